"""Greenhouse job boards: the roles a company lists, from Greenhouse's public Job Board API.

    GET {base}/v1/boards/{board_token}/jobs?content=true
    -> {"jobs": [{"id", "title", "updated_at", "location": {"name"}, "absolute_url",
                  "departments": [{"id", "name"}], "offices": [...], "content", ...}],
        "meta": {"total": N}}

Docs: https://developers.greenhouse.io/job-board.html ("List Jobs"; content=true adds each job's
departments and offices). No key. A board token Greenhouse doesn't know answers 404. A board hosted
on Greenhouse's EU instance (job-boards.eu.greenhouse.io) is asked at boards-api.eu.greenhouse.io.

content=true also sends every job's whole description: a big company's board can be larger than
Earned reads from an API. Then the jobs are asked without content and their teams from
GET {base}/v1/boards/{board_token}/departments -> {"departments": [{"id", "name", "jobs": [{"id", ...}]}]}
("List Departments"; jobs without one are under "No Department").
"""
from __future__ import annotations

from urllib.parse import quote

from ..errors import FetchError
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
    api = f"{ctx.api_base(board)}/v1/boards/{quote(board.token, safe='')}"
    try:
        items = _list(ctx, board, f"{api}/jobs?content=true", "jobs")
    except FetchError as e:
        if e.kind != "too-large":
            raise
        # Too big with every description: the jobs alone, and each one's team from the departments.
        items = _list(ctx, board, f"{api}/jobs", "jobs")
        team = {_id(job): plain(dept.get("name"))
                for dept in _list(ctx, board, f"{api}/departments", "departments") if isinstance(dept, dict)
                if plain(dept.get("name")) != "No Department"
                for job in (dept.get("jobs") if isinstance(dept.get("jobs"), list) else []) if _id(job) is not None}
        items = [{**item, "departments": [{"name": team[_id(item)]}] if _id(item) in team else []}
                 if isinstance(item, dict) else item for item in items]
    return hiring.Listing([job for job in map(_job, items) if job], page(board))


def _id(job) -> int | str | None:
    """A job's id, when it is one (an id of another type can't be looked up)."""
    value = job.get("id") if isinstance(job, dict) else None
    return value if isinstance(value, (int, str)) and not isinstance(value, bool) else None


def _list(ctx: SourceContext, board: Board, url: str, key: str) -> list:
    data = hiring.get_json(ctx, url, board, NAME, page(board))
    items = data.get(key) if isinstance(data, dict) else None
    if not isinstance(items, list):
        raise hiring.shape_error(url, NAME, board, f"a list of {key}", page(board))
    return items


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
