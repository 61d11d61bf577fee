"""Greenhouse job boards: the roles a company lists, from Greenhouse's public Job Board API.

    GET {base}/v1/boards/{board_token}/jobs?content=true
    -> {"jobs": [{"id", "title", "updated_at", "location": {"name"}, "absolute_url",
                  "departments": [{"id", "name"}], "offices": [...], "content", ...}],
        "meta": {"total": N}}

Docs: https://developers.greenhouse.io/job-board.html ("List Jobs"; content=true adds each job's
departments and offices). No key. A board token Greenhouse doesn't know answers 404. A board hosted
on Greenhouse's EU instance (job-boards.eu.greenhouse.io) is asked at boards-api.eu.greenhouse.io.
"""
from __future__ import annotations

from urllib.parse import quote

from . import hiring
from .base import Board, FoundFact, SourceContext, link, plain

NAME = "Greenhouse"


def fetch(ctx: SourceContext) -> list[FoundFact]:
    return hiring.read_boards(ctx, NAME, _read)


def page(board: Board) -> str:
    """The board's public page: what facts cite and failures point the rep to."""
    host = "job-boards.eu.greenhouse.io" if board.region == "eu" else "boards.greenhouse.io"
    return f"https://{host}/{board.token}"


def _read(ctx: SourceContext, board: Board) -> hiring.Listing:
    url = f"{ctx.api_base(board)}/v1/boards/{quote(board.token, safe='')}/jobs?content=true"
    data = hiring.get_json(ctx, url, board, NAME, page(board))
    items = data.get("jobs") if isinstance(data, dict) else None
    if not isinstance(items, list):
        raise hiring.shape_error(url, NAME, board, "a list of jobs", page(board))
    return hiring.Listing([job for job in map(_job, items) if job], page(board))


def _job(item) -> hiring.Job | None:
    if not isinstance(item, dict) or not hiring.title(item.get("title")):
        return None
    location = item.get("location")
    departments = item.get("departments") if isinstance(item.get("departments"), list) else []
    team = next((plain(d.get("name")) for d in departments if isinstance(d, dict) and plain(d.get("name"))), "")
    # first_published, where a board sends it, is when the role went up; updated_at changes on any edit.
    return hiring.Job(hiring.title(item.get("title")), team,
                      plain(location.get("name")) if isinstance(location, dict) else "",
                      posted=hiring.day(item.get("first_published")), updated=hiring.day(item.get("updated_at")),
                      url=link(item.get("absolute_url")))
