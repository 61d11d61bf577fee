"""Ashby job boards: the roles a company lists, from Ashby's public Job Posting API.

    GET {base}/posting-api/job-board/{JOB_BOARD_NAME}
    -> {"apiVersion": "1", "jobs": [{"title", "location", "secondaryLocations", "department", "team",
        "isListed", "isRemote", "publishedAt", "employmentType", "jobUrl", "applyUrl", ...}]}

Docs: https://developers.ashbyhq.com/docs/public-job-posting-api. No key. Unlisted postings
(isListed false) are reachable only by their link: they are not counted.
"""
from __future__ import annotations

from urllib.parse import quote

from . import hiring
from .base import Board, FoundFact, SourceContext, link, plain

NAME = "Ashby"


def fetch(ctx: SourceContext) -> list[FoundFact]:
    return hiring.read_boards(ctx, NAME, _read)


def page(board: Board) -> str:
    """The board's public page: what facts cite and failures point the rep to."""
    return f"https://jobs.ashbyhq.com/{board.token}"


def _read(ctx: SourceContext, board: Board) -> hiring.Listing:
    url = f"{ctx.base_url}/posting-api/job-board/{quote(board.token, safe='')}"
    data = hiring.get_json(ctx, url, board, NAME, page(board))
    items = data.get("jobs") if isinstance(data, dict) else None
    if not isinstance(items, list):
        raise hiring.shape_error(url, NAME, board, "a list of jobs", page(board))
    return hiring.Listing([job for job in map(_job, items) if job], page(board))


def _job(item) -> hiring.Job | None:
    if not isinstance(item, dict) or not hiring.title(item.get("title")) or item.get("isListed") is False:
        return None
    location = plain(item.get("location"))
    if not location and item.get("isRemote") is True:
        location = "Remote"
    return hiring.Job(hiring.title(item.get("title")), plain(item.get("department")) or plain(item.get("team")),
                      location, posted=hiring.day(item.get("publishedAt")), url=link(item.get("jobUrl")))
