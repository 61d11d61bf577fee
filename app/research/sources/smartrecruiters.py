"""SmartRecruiters job boards: the roles a company lists, from SmartRecruiters' public Posting API.

    GET {base}/v1/companies/{companyIdentifier}/postings?limit=100
    -> {"offset": 0, "limit": 100, "totalFound": N, "content": [{"id", "uuid", "name", "refNumber",
        "company": {"identifier", "name"}, "releasedDate", "location": {"city", "region", "country",
        "remote"}, "department": {"id", "label"}, "function": {"id", "label"},
        "typeOfEmployment": {"label"}, "experienceLevel": {...}, "ref", ...}]}

Docs: https://dev.smartrecruiters.com/customer-api/posting-api/endpoints/postings/ (and the Posting
object: .../posting-api/objects/posting/). No key. One page of 100 is read; a bigger board is
counted by its totalFound. "ref" is an API address, so the summary cites the company's careers page
(careers.smartrecruiters.com/{companyIdentifier}, as the docs name it) and a role its public posting
page (jobs.smartrecruiters.com/{companyIdentifier}/{id}).
"""
from __future__ import annotations

from urllib.parse import quote

from . import hiring
from .base import Board, FoundFact, SourceContext, link, plain

NAME = "SmartRecruiters"
PAGE = 100  # the most the API gives at once


def fetch(ctx: SourceContext) -> list[FoundFact]:
    return hiring.read_boards(ctx, NAME, _read)


def page(board: Board) -> str:
    """The board's public page: what facts cite and failures point the rep to."""
    return f"https://careers.smartrecruiters.com/{board.token}"


def _read(ctx: SourceContext, board: Board) -> hiring.Listing:
    url = f"{ctx.base_url}/v1/companies/{quote(board.token, safe='')}/postings?limit={PAGE}"
    data = hiring.get_json(ctx, url, board, NAME, page(board))
    items = data.get("content") if isinstance(data, dict) else None
    if not isinstance(items, list):
        raise hiring.shape_error(url, NAME, board, "a list of postings", page(board))
    total = data.get("totalFound")
    total = total if isinstance(total, int) and not isinstance(total, bool) and total > len(items) else None
    jobs = [job for job in (_job(item, board.token) for item in items) if job]
    company = next((plain(i["company"].get("name")) for i in items
                    if isinstance(i, dict) and isinstance(i.get("company"), dict)), "")
    return hiring.Listing(jobs, page(board), total, company)


def _job(item, token: str) -> hiring.Job | None:
    if not isinstance(item, dict) or not hiring.title(item.get("name")):
        return None
    company = item.get("company") if isinstance(item.get("company"), dict) else {}
    identifier = plain(company.get("identifier")) or token
    posting = plain(item.get("id"))
    url = link(f"https://jobs.smartrecruiters.com/{quote(identifier, safe='')}/{quote(posting, safe='')}") \
        if posting.isdigit() else None
    location = item.get("location") if isinstance(item.get("location"), dict) else {}
    place = plain(location.get("city")) or plain(location.get("region"))
    if not place and location.get("remote") is True:
        place = "Remote"
    return hiring.Job(hiring.title(item.get("name")), _label(item.get("department")) or _label(item.get("function")),
                      place, posted=hiring.day(item.get("releasedDate")), url=url)


def _label(value) -> str:
    return plain(value.get("label")) if isinstance(value, dict) else ""
