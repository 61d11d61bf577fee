"""Lever job boards: the roles a company lists, from Lever's public Postings API.

    GET {base}/v0/postings/{site}?mode=json
    -> [{"id", "text", "categories": {"team", "department", "location", "commitment"},
         "createdAt": <ms since 1970>, "hostedUrl", "applyUrl", "workplaceType", ...}]
    unknown site -> 404 {"ok": false, "error": "Document not found"}

Docs: https://github.com/lever/postings-api ("Get a list of job postings"). No key. A site on Lever's
EU instance (jobs.eu.lever.co) is known only to its EU API, https://api.eu.lever.co/v0/postings/{site}.
"""
from __future__ import annotations

from urllib.parse import quote

from . import hiring
from .base import Board, FoundFact, SourceContext, link, plain

NAME = "Lever"


def fetch(ctx: SourceContext) -> list[FoundFact]:
    return hiring.read_boards(ctx, NAME, _read)


def page(board: Board) -> str:
    """The board's public page: what facts cite and failures point the rep to."""
    host = "jobs.eu.lever.co" if board.region == "eu" else "jobs.lever.co"
    return f"https://{host}/{board.token}"


def _read(ctx: SourceContext, board: Board) -> hiring.Listing:
    url = f"{ctx.api_base(board)}/v0/postings/{quote(board.token, safe='')}?mode=json"
    data = hiring.get_json(ctx, url, board, NAME, page(board))
    if not isinstance(data, list):
        raise hiring.shape_error(url, NAME, board, "a list of postings", page(board))
    return hiring.Listing([job for job in map(_job, data) if job], page(board))


def _job(item) -> hiring.Job | None:
    if not isinstance(item, dict) or not hiring.title(item.get("text")):
        return None
    categories = item.get("categories") if isinstance(item.get("categories"), dict) else {}
    location = plain(categories.get("location"))
    if not location and item.get("workplaceType") == "remote":
        location = "Remote"
    return hiring.Job(hiring.title(item.get("text")),
                      plain(categories.get("department")) or plain(categories.get("team")), location,
                      posted=hiring.day_from_ms(item.get("createdAt")), url=link(item.get("hostedUrl")))
