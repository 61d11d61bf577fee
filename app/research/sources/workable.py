"""Workable job boards: the roles a company lists, from Workable's public account jobs endpoint.

    GET {base}/api/accounts/{subdomain}
    -> {"name", "description", "jobs": [{"title", "shortcode", "code", "employment_type", "telecommuting",
        "department", "url", "shortlink", "application_url", "published_on", "created_at", "country",
        "city", "state", "locations": [...]}]}

Docs: https://workable.readme.io/reference/jobs-1 ("api/accounts/:subdomain": the public jobs of an
account; base https://www.workable.com). No key. The board's own page is apply.workable.com/{subdomain}.
"""
from __future__ import annotations

from urllib.parse import quote

from . import hiring
from .base import Board, FoundFact, SourceContext, link, plain

NAME = "Workable"


def fetch(ctx: SourceContext) -> list[FoundFact]:
    return hiring.read_boards(ctx, NAME, _read)


def page(board: Board) -> str:
    """The board's public page: what facts cite and failures point the rep to."""
    return f"https://apply.workable.com/{board.token}/"


def _read(ctx: SourceContext, board: Board) -> hiring.Listing:
    url = f"{ctx.base_url}/api/accounts/{quote(board.token, safe='')}"
    data = hiring.get_json(ctx, url, board, NAME, page(board))
    items = data.get("jobs") if isinstance(data, dict) else None
    if not isinstance(items, list):
        raise hiring.shape_error(url, NAME, board, "a list of jobs", page(board))
    return hiring.Listing([job for job in map(_job, items) if job], page(board),
                          company=plain(data.get("name")))


def _job(item) -> hiring.Job | None:
    if not isinstance(item, dict) or not hiring.title(item.get("title")):
        return None
    location = plain(item.get("city")) or plain(item.get("state")) or plain(item.get("country"))
    if not location and item.get("telecommuting") is True:
        location = "Remote"
    return hiring.Job(hiring.title(item.get("title")), plain(item.get("department")), location,
                      posted=hiring.day(item.get("published_on")) or hiring.day(item.get("created_at")),
                      url=link(item.get("url")) or link(item.get("shortlink")))
