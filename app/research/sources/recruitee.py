"""Recruitee job boards: the roles a company lists, from Recruitee's Careers Site API.

    GET https://{company}.recruitee.com/api/offers/
    -> {"offers": [{"id", "slug", "title", "status", "department", "location", "city", "country",
        "remote", "employment_type_code", "careers_url", "careers_apply_url", "created_at",
        "published_at", ...}]}

Docs: https://docs.recruitee.com/reference/offers (and https://career.recruitee.com/docs, the Careers
Site API: "does not require authorization and is available under your Careers Site address"). The API
lives on each company's own subdomain, so the base URL holds "{board}"; a test server may put it in
its path instead.
"""
from __future__ import annotations

from urllib.parse import quote

from . import hiring
from .base import Board, FoundFact, SourceContext, link, plain

NAME = "Recruitee"


def fetch(ctx: SourceContext) -> list[FoundFact]:
    return hiring.read_boards(ctx, NAME, _read)


def page(board: Board) -> str:
    """The board's public page: what facts cite and failures point the rep to."""
    return f"https://{board.token}.recruitee.com/"


def _read(ctx: SourceContext, board: Board) -> hiring.Listing:
    url = f"{ctx.base_url.replace('{board}', quote(board.token, safe=''))}/api/offers/"
    data = hiring.get_json(ctx, url, board, NAME, page(board))
    items = data.get("offers") if isinstance(data, dict) else None
    if not isinstance(items, list):
        raise hiring.shape_error(url, NAME, board, "a list of offers", page(board))
    return hiring.Listing([job for job in map(_job, items) if job], page(board))


def _job(item) -> hiring.Job | None:
    if not isinstance(item, dict) or not hiring.title(item.get("title")):
        return None
    if isinstance(item.get("status"), str) and item["status"] != "published":
        return None  # a draft or closed offer the endpoint still lists
    place = plain(item.get("city")) or plain(item.get("location")) or plain(item.get("country"))
    if not place and item.get("remote") is True:
        place = "Remote"
    return hiring.Job(hiring.title(item.get("title")), plain(item.get("department")), place,
                      posted=hiring.day(item.get("published_at")) or hiring.day(item.get("created_at")),
                      url=link(item.get("careers_url")))
