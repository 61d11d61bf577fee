"""Hiring signals: a company's open roles, as facts a rep can cite.

A company that is hiring is growing, starting something or replacing someone: a reason to write. The
job-board sources (greenhouse.py, lever.py, ...) each read their API into Jobs and hand them here;
the careers pages' own JobPosting JSON-LD comes through jobposting_facts. Both end as the same facts:
one summary ("Tallgrass Mills lists 5 open roles, 3 in Engineering in Omaha (Greenhouse, updated
2026-11-18).") and a few notable roles ("Tallgrass Mills is hiring a Senior Data Engineer in Omaha
(Greenhouse, posted 2026-11-18).").
"""
from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from typing import Callable

from app.core import dates

from .. import names, rank
from ..errors import FetchError
from ..facts import FoundFact
from .api import sentence
from .base import Board, SourceContext, link, plain

MAX_ROLES = 4  # notable roles per board, besides its summary: enough to show what the hiring is about
_TITLE_MAX = 120
# Standing postings that are not an opening: an open application, a talent pool.
_NOT_A_ROLE = re.compile(r"(?i)\b(general|open|spontaneous|unsolicited|speculative) application\b|talent "
                         r"(pool|community|network)|initiativbewerbung|candidature spontan|don'?t see (a|the|your)")
# How senior a title reads: a new head of something is a bigger signal than another associate.
_SENIOR = (re.compile(r"(?i)\b(chief|c[a-z]o|vp|svp|evp|vice president|head of|director|general manager)\b"),
           re.compile(r"(?i)\b(principal|lead|manager|senior|sr\.?|staff|architect)\b"))
_ONLY_REMOTE = re.compile(r"(?i)^(fully |100% )?remote$|^anywhere$|^worldwide$")
# Acronyms with vowels that are still read letter by letter ("an SEO Specialist").
_ACRONYMS = frozenset("SEO IT UX UI AI AE HVAC SAP AWS API IOS ERP ESG EHS HSE EMEA".split())


@dataclass(frozen=True)
class Job:
    """One open role, as any board describes it."""
    title: str
    team: str = ""  # department or team
    location: str = ""
    posted: str | None = None  # YYYY-MM-DD
    updated: str | None = None  # YYYY-MM-DD
    url: str = ""  # the role's own public page, when the board gives one


@dataclass(frozen=True)
class Listing:
    """What one board answered: its roles, the page a rep can open, and its own count when it has
    more roles than were read (a paged API)."""
    jobs: list[Job] = field(default_factory=list)
    page: str = ""
    total: int | None = None
    company: str = ""  # the board's own name for the company (used when the rep gave none)


# -- asking a board ----------------------------------------------------------------------------------
def read_boards(ctx: SourceContext, name: str, read: Callable[[SourceContext, Board], Listing]) -> list[FoundFact]:
    """Facts from every board of this source the site links to (none: nothing, no request). A board
    that fails while another gives facts is reported (ctx.report) and the facts kept; when none gives
    any, the first failure is the source's and the others are reported."""
    facts: list[FoundFact] = []
    failed: list[FetchError] = []
    # (Several pages of a site link to the same board: it is read once.)
    boards = {(b.region, b.token.lower()): b for b in ctx.boards[::-1] if b.ats == ctx.source.name}  # first wins
    for board in sorted(boards.values(), key=ctx.boards.index):
        ctx.progress(f"Reading the {name} job board “{board.token}”…")
        try:
            listing = read(ctx, board)
        except FetchError as e:
            failed.append(e)
            continue
        company = ctx.company or listing.company or board.token
        facts += board_facts(listing.jobs, company, name, listing.page, total=listing.total)
    first = failed.pop(0) if failed and not facts else None
    for error in failed:
        ctx.report(error)
    if first:
        raise first
    return facts


def get_json(ctx: SourceContext, url: str, board: Board, name: str, page: str):
    """The board's answer as JSON; a failure is a FetchError that says which board it was and what the
    rep can do (page: the board's public page, where its roles can still be read)."""
    try:
        got = ctx.api.get(url)
    except FetchError as e:
        if e.status == 404:
            where = (f"the link to it on {board.found_on} may be out of date. Open that page to find the current "
                     "one." if board.found_on else "the link to it may be out of date.")
            raise FetchError("http-status", e.url, f"{name} has no public job board named “{board.token}”; {where}",
                             404) from None
        if e.kind == "rate-limited":
            raise  # (its message already says when to try again)
        raise FetchError(e.kind, e.url, f"{sentence(e.message)} Try again later, or open {page} to see its roles.",
                         e.status) from None
    try:
        return json.loads(got.body)
    except (ValueError, RecursionError):  # (a body that is not UTF-8 is a ValueError too)
        raise FetchError("parse-failed", url, f"{name} answered for the “{board.token}” board with something that "
                                              f"is not JSON, so Earned could not read its roles. Open {page} to see "
                                              "them.") from None


def shape_error(url: str, name: str, board: Board, what: str, page: str) -> FetchError:
    """A JSON answer without the job list the provider documents."""
    return FetchError("parse-failed", url, f"{name} answered for the “{board.token}” board without {what}, so Earned "
                                           f"could not read its roles. Open {page} to see them.")


# -- reading fields ------------------------------------------------------------------------------------
def title(value) -> str:
    """A job title as one line, cut at a word if absurdly long; "" when it is not text."""
    text = plain(value)
    return text if len(text) <= _TITLE_MAX else text[:_TITLE_MAX].rsplit(" ", 1)[0] + "…"


def day(value) -> str | None:
    """An API's date ("2026-11-18T10:55:28-05:00", "2026-11-18 08:08:52 UTC") as YYYY-MM-DD; None when
    it is not one, or an implausible one (a job posted next year)."""
    found = dates.to_date(value)
    return found.isoformat() if found and _plausible(found) else None


def day_from_ms(value) -> str | None:
    """Milliseconds since 1970 (Lever's createdAt) as YYYY-MM-DD, or None."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    try:
        found = datetime.fromtimestamp(value / 1000, tz=timezone.utc).date()
    except (OverflowError, OSError, ValueError):
        return None
    return found.isoformat() if _plausible(found) else None


def _plausible(found: date) -> bool:
    return date(1995, 1, 1) <= found <= date.today() + timedelta(days=1)


# -- writing facts -------------------------------------------------------------------------------------
def board_facts(jobs: list[Job], company: str, where: str, page: str, total: int | None = None) -> list[FoundFact]:
    """A summary of the roles and up to MAX_ROLES notable ones. where names the board in the text
    ("Greenhouse"); page is what the facts cite: the board's public page (never its API)."""
    jobs = [j for j in jobs if j.title and not _NOT_A_ROLE.search(j.title)]
    if not jobs:
        return []
    source_title = f"Jobs at {company} ({where})"
    newest, word = _newest(jobs)
    facts = [FoundFact("hiring", _summary(jobs, company, where, total, newest, word), page, source_title, newest,
                       "en", score=rank.recency(newest))]
    if len(jobs) > 1:  # (one role: the summary names it)
        for group in _notable(jobs)[:MAX_ROLES]:
            job = group[0]
            when = f"posted {job.posted}" if job.posted else f"updated {job.updated}" if job.updated else ""
            tail = f" ({where}{', ' + when if when else ''})."
            if len(group) == 1:
                text = f"{company} is hiring {_article(job.title)} {job.title}{_place(job.location)}{tail}"
            else:
                same_place = len({j.location for j in group}) == 1
                text = (f"{company} has {len(group)} openings for {job.title}"
                        f"{_place(job.location) if same_place else ''}{tail}")
            dated = job.posted or job.updated
            facts.append(FoundFact("hiring", text, job.url or page, source_title, dated, "en",
                                   score=max(rank.SHOW_AT, rank.recency(dated) - 1.0)))
    return facts


def jobposting_facts(postings, company: str, page_url: str) -> list[FoundFact]:
    """Facts from JobPosting JSON-LD found on the company's own pages (PageResult.job_postings): roles
    whose posting has closed, or that another company is hiring for, are left out."""
    today = date.today().isoformat()
    jobs: list[Job] = []
    seen: set[tuple] = set()
    owner = ""
    for posting in postings or ():
        if not isinstance(posting, dict):
            continue
        name = title(posting.get("title"))
        closes = _closing_day(posting.get("validThrough"))
        org = plain(posting.get("hiringOrganization"))
        if not name or (closes and closes < today) or (company and org and not _same_company(company, org)):
            continue
        # (schema.org's JobPosting says datePosted; some sites write datePublished instead.)
        posted = day(posting.get("datePosted")) or day(posting.get("datePublished"))
        job = Job(name, "", plain(posting.get("location")), posted, None,
                  link(posting.get("url")) or link(page_url))
        if (job.title, job.location, job.url) in seen:
            continue
        seen.add((job.title, job.location, job.url))
        jobs.append(job)
        owner = owner or org
    return board_facts(jobs, company or owner or "The company", "careers page", link(page_url) or page_url)


def _closing_day(value) -> str | None:
    # A closing date may lie years ahead: it is read as a date, not checked for plausibility as a past one.
    return dates.day(value)


def _same_company(a: str, b: str) -> bool:
    return names.company([a]).named_in(b) or names.company([b]).named_in(a)


def _summary(jobs: list[Job], company: str, where: str, total: int | None, newest: str | None, word: str) -> str:
    count = max(len(jobs), total or 0)
    tail = f" ({where}{f', {word} {newest}' if newest else ''})."
    if count == 1:
        return f"{company} lists one open role: {jobs[0].title}{_place(jobs[0].location)}{tail}"
    head = f"{company} lists {count} open roles"
    if len(jobs) < count:
        return head + tail  # only part of the board was read: its teams and places would mislead
    team, in_team = _top(j.team for j in jobs)
    place, at_place = _top(j.location for j in jobs)
    parts = []
    if team and in_team >= 2:
        part = f"{_share(in_team, count)} in {team}"
        if place and {j.location for j in jobs if j.team == team} == {place}:
            part += _place(place)  # "3 in Engineering in Omaha": every one of them is there
            place = ""
        parts.append(part)
    if place and at_place >= 2:
        share = _share(at_place, count)
        parts.append(f"{share} remote" if _ONLY_REMOTE.match(place) else f"{share} in {place}")
    return head + "".join(f", {p}" for p in parts) + tail


def _share(part: int, count: int) -> str:
    return ("both" if count == 2 else "all") if part == count else str(part)


def _newest(jobs: list[Job]) -> tuple[str | None, str]:
    """The board's newest date, and what it is: "updated" when the board gives update times, else the
    newest posting."""
    updated = [j.updated for j in jobs if j.updated]
    if updated:
        return max(updated), "updated"
    posted = [j.posted for j in jobs if j.posted]
    return (max(posted), "newest posted") if posted else (None, "")


def _notable(jobs: list[Job]) -> list[list[Job]]:
    """Roles by title (the same title in several places is one role), most senior first, then newest."""
    groups: dict[str, list[Job]] = {}
    for job in sorted(jobs, key=lambda j: j.posted or j.updated or "", reverse=True):
        groups.setdefault(job.title.casefold(), []).append(job)
    return sorted(groups.values(), key=lambda g: _seniority(g[0].title), reverse=True)


def _seniority(text: str) -> int:
    return next((len(_SENIOR) - i for i, pattern in enumerate(_SENIOR) if pattern.search(text)), 0)


def _top(values) -> tuple[str, int]:
    counted = Counter(v for v in values if v)
    return counted.most_common(1)[0] if counted else ("", 0)


def _place(location: str) -> str:
    if not location:
        return ""
    if _ONLY_REMOTE.match(location):
        return ", remote"
    return f", {location}" if "remote" in location.lower() else f" in {location}"


def _article(text: str) -> str:
    """ "a" or "an" before a job title, by sound: "an SDR", "a UX Designer", "a User Researcher", "an Engineer"."""
    first = text.split()[0].strip("(\"'") if text.split() else ""
    if first.isupper() and len(first) <= 4 and (first in _ACRONYMS or not re.search(r"[AEIOU]", first)):
        return "an" if first[0] in "AEFHILMNORSX" else "a"  # read letter by letter
    if re.match(r"(?i)(uni|use|usa|eu|one|once)", first):
        return "a"
    return "an" if first[:1].lower() in "aeiou" else "a"


