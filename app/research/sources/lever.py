"""Lever job boards: the roles a company lists, from Lever's public Postings API.

    GET {base}/v0/postings/{site}?mode=json
    -> [{"id", "text", "categories": {"team", "department", "location", "commitment"},
         "createdAt": <ms since 1970>, "hostedUrl", "applyUrl", "workplaceType", ...}]
    unknown site -> 404 {"ok": false, "error": "Document not found"}

Docs: https://github.com/lever/postings-api ("Get a list of job postings"). No key. Sites on Lever's
EU instance (jobs.eu.lever.co, api.eu.lever.co) are not read.
"""
from __future__ import annotations

from urllib.parse import quote

from . import hiring
from .base import Board, FoundFact, SourceContext, link, plain

NAME = "Lever"


def fetch(ctx: SourceContext) -> list[FoundFact]:
    return hiring.read_boards(ctx, NAME, _read)


def _read(ctx: SourceContext, board: Board) -> hiring.Listing:
    url = f"{ctx.base_url}/v0/postings/{quote(board.token, safe='')}?mode=json"
    data = hiring.get_json(ctx, url, board, NAME)
    if not isinstance(data, list):
        raise hiring.shape_error(url, NAME, board, "a list of postings")
    return hiring.Listing([job for job in map(_job, data) if job], f"https://jobs.lever.co/{board.token}")


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
