"""Which public job board a careers page uses, from its links, iframes and script sources.

An applicant-tracking system hosts the company's board under a name of its own ("acme" in
boards.greenhouse.io/acme); that name is all a hiring source needs to ask the board's API. Pages
link to the board, embed it in an iframe, or load it with a script, so all three are read.
"""
from __future__ import annotations

import itertools
import re
from typing import Iterable
from urllib.parse import parse_qs, unquote

from app.core import urls

from .base import Board

# Elements and the attributes that carry a board's address (data-src: embeds that load late).
_CARRIERS = {"a": ("href",), "iframe": ("src", "data-src"), "script": ("src", "data-src"), "link": ("href",),
             "form": ("action",)}
_MAX_ELEMENTS = 5000  # a page with more links than this is a sitemap, not a careers page
# Cheap test before parsing a URL: only addresses on these hosts can name a board.
_HOSTS = re.compile(r"greenhouse\.io|lever\.co|ashbyhq\.com|workable\.com|smartrecruiters\.com|recruitee\.com",
                    re.IGNORECASE)
# What a board's name looks like in every one of these systems: letters, digits, dots, dashes, underscores.
_TOKEN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,79}$")
# Path words that are the systems' own pages, never a company's board.
_JUNK = frozenset("""embed jobs job api apply v0 v1 v2 js css static assets images img favicon.ico robots.txt
sitemap.xml login signin sign-in signup logout search careers career about privacy terms legal help support
security home index oneclick-ui sr-jobs posting-api postings job-board j undefined null none""".split())
# Recruitee's own subdomains (its docs live at career.recruitee.com).
_RECRUITEE_OWN = frozenset("www app api careers career docs blog help support status partners marketplace".split())


def detect(tree, page_url: str = "") -> list[Board]:
    """Boards the page (an lxml tree from htmltree.parse_tree) links to, embeds or loads, in page
    order, each once."""
    found: list[str] = []
    for el in itertools.islice(tree.iter(*_CARRIERS), _MAX_ELEMENTS):
        for attr in _CARRIERS[el.tag]:
            value = el.get(attr)
            if value and _HOSTS.search(value):
                found.append(value.strip())
    return detect_urls(found, page_url)


def detect_urls(addresses: Iterable[str], found_on: str = "") -> list[Board]:
    """The boards these addresses point at (relative ones read against found_on), each once."""
    boards: list[Board] = []
    seen: set[tuple[str, str]] = set()
    for url in addresses:
        board = board_from_url(urls.join(found_on, url) if found_on else url, found_on)
        if board and (board.ats, board.token.lower()) not in seen:
            seen.add((board.ats, board.token.lower()))
            boards.append(board)
    return boards


def board_from_url(url: str, found_on: str = "") -> Board | None:
    """The board one address belongs to, or None."""
    parts = urls.split(url.strip())
    if parts is None or parts.scheme.lower() not in (*urls.WEB_SCHEMES, ""):
        return None
    host = urls.host(url.strip())
    segments = [unquote(s) for s in parts.path.split("/") if s]
    first = segments[0] if segments else ""
    ats, token = None, None
    if host in ("boards.greenhouse.io", "job-boards.greenhouse.io"):
        ats = "greenhouse"
        if first == "embed":  # embed/job_board?for=acme, embed/job_board/js?for=acme, embed/job_app?for=acme
            token = (parse_qs(parts.query).get("for") or [""])[0]
        else:
            token = first
    elif host in ("boards-api.greenhouse.io", "api.greenhouse.io"):
        # A page that reads the board itself: /v1/boards/acme/jobs
        ats = "greenhouse"
        token = segments[2] if len(segments) > 2 and segments[:2] == ["v1", "boards"] else None
    elif host == "jobs.lever.co":
        ats, token = "lever", first
    elif host == "jobs.ashbyhq.com":
        ats, token = "ashby", first
    elif host == "apply.workable.com":
        ats, token = "workable", first
    elif host in ("jobs.smartrecruiters.com", "careers.smartrecruiters.com"):
        ats = "smartrecruiters"
        # jobs.smartrecruiters.com/oneclick-ui/company/Acme/... is an application form for Acme's board.
        token = segments[2] if first == "oneclick-ui" and len(segments) > 2 and segments[1] == "company" else first
    elif host.endswith(".recruitee.com") and host.count(".") == 2:
        ats, token = "recruitee", host.split(".")[0]
        if token in _RECRUITEE_OWN:
            return None
    if not ats or not token or not _TOKEN.match(token) or token.lower() in _JUNK:
        return None
    return Board(ats, token, found_on)
