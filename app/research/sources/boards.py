"""Which public job board a careers page uses, from its links, iframes, script sources and inline scripts.

An applicant-tracking system hosts the company's board under a name of its own ("acme" in
boards.greenhouse.io/acme); that name is all a hiring source needs to ask the board's API. Pages
link to the board, embed it in an iframe, load it with a script, or ask the board's API from a
script of their own (fetch("https://api.lever.co/v0/postings/acme")), so all four are read.
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
# Workable's own subdomains; any other {name}.workable.com is an account's old-style board.
_WORKABLE_OWN = frozenset("""www apply jobs api help support resources blog engineering careers status developers
workable app id login marketplace partners""".split())
# An address to a board's system inside a script's text (JSON escapes its slashes: "https:\/\/..."). The
# host part is bounded and the rest is one character class, so a search is linear in the script's length.
_INLINE_URL = re.compile(r"""(?:https?:)?//[A-Za-z0-9.-]{0,60}(?:greenhouse\.io|lever\.co|ashbyhq\.com|workable\.com|"""
                         r"""smartrecruiters\.com|recruitee\.com)(?:[/?][^\s"'<>\\`]{0,300})?""", re.IGNORECASE)
_MAX_SCRIPT_CHARS = 200_000  # of each inline script: a board's address sits near its loader, not 1 MB in
_MAX_INLINE_URLS = 50  # per script: one that names more is a directory of boards, not one company's loader


def detect(tree, page_url: str = "") -> list[Board]:
    """Boards the page (an lxml tree from htmltree.parse_tree) links to, embeds or loads, in page
    order, each once."""
    found: list[str] = []
    for el in itertools.islice(tree.iter(*_CARRIERS), _MAX_ELEMENTS):
        for attr in _CARRIERS[el.tag]:
            value = el.get(attr)
            if value and _HOSTS.search(value):
                found.append(value.strip())
        if el.tag == "script" and el.text and not el.get("src"):
            found += inline_urls(el.text)
    return detect_urls(found, page_url)


def inline_urls(script: str) -> list[str]:
    """Addresses on a board system's hosts that a script's text names, in order (at most _MAX_INLINE_URLS)."""
    text = script[:_MAX_SCRIPT_CHARS]
    if not _HOSTS.search(text):
        return []
    text = text.replace("\\/", "/")
    return [m.group(0) for m in itertools.islice(_INLINE_URL.finditer(text), _MAX_INLINE_URLS)]


def detect_urls(addresses: Iterable[str], found_on: str = "") -> list[Board]:
    """The boards these addresses point at (relative ones read against found_on), each once."""
    boards: list[Board] = []
    seen: set[tuple[str, str, str]] = set()
    for url in addresses:
        board = board_from_url(urls.join(found_on, url) if found_on else url, found_on)
        if board and (board.ats, board.region, board.token.lower()) not in seen:
            seen.add((board.ats, board.region, board.token.lower()))
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
    ats, token, region = None, None, ""
    if host in ("boards.greenhouse.io", "job-boards.greenhouse.io", "boards.eu.greenhouse.io",
                "job-boards.eu.greenhouse.io"):
        ats, region = "greenhouse", _region(host)
        if first == "embed":  # embed/job_board?for=acme, embed/job_board/js?for=acme, embed/job_app?for=acme
            token = (parse_qs(parts.query).get("for") or [""])[0]
        else:
            token = first
    elif host in ("boards-api.greenhouse.io", "api.greenhouse.io", "boards-api.eu.greenhouse.io"):
        # A page that reads the board itself: /v1/boards/acme/jobs
        ats, region = "greenhouse", _region(host)
        token = _after(segments, "v1", "boards")
    elif host in ("jobs.lever.co", "jobs.eu.lever.co"):
        ats, token, region = "lever", first, _region(host)
    elif host in ("api.lever.co", "api.eu.lever.co"):  # /v0/postings/acme?mode=json
        ats, token, region = "lever", _after(segments, "v0", "postings"), _region(host)
    elif host == "jobs.ashbyhq.com":
        ats, token = "ashby", first
    elif host == "api.ashbyhq.com":  # /posting-api/job-board/acme
        ats, token = "ashby", _after(segments, "posting-api", "job-board")
    elif host == "apply.workable.com":
        ats = "workable"
        # The board's own script asks /api/v1/widget/accounts/acme or /api/v3/accounts/acme/jobs.
        token = segments[segments.index("accounts") + 1] if first == "api" and "accounts" in segments[:-1] else first
    elif host == "www.workable.com":  # the documented API: /api/accounts/acme
        ats, token = "workable", _after(segments, "api", "accounts")
    elif host.endswith(".workable.com") and host.count(".") == 2:  # an old-style board: acme.workable.com
        ats, token = "workable", host.split(".")[0]
        if token in _WORKABLE_OWN:
            return None
    elif host in ("jobs.smartrecruiters.com", "careers.smartrecruiters.com"):
        ats = "smartrecruiters"
        # jobs.smartrecruiters.com/oneclick-ui/company/Acme/... is an application form for Acme's board.
        token = segments[2] if first == "oneclick-ui" and len(segments) > 2 and segments[1] == "company" else first
    elif host == "api.smartrecruiters.com":  # /v1/companies/Acme/postings
        ats, token = "smartrecruiters", _after(segments, "v1", "companies")
    elif host.endswith(".recruitee.com") and host.count(".") == 2:
        ats, token = "recruitee", host.split(".")[0]
        if token in _RECRUITEE_OWN:
            return None
    if not ats or not token or not _TOKEN.match(token) or token.lower() in _JUNK:
        return None
    return Board(ats, token, found_on, region)


def _region(host: str) -> str:
    """ "eu" for a host on a provider's EU instance (jobs.eu.lever.co, job-boards.eu.greenhouse.io)."""
    return "eu" if ".eu." in f".{host}" else ""


def _after(segments: list[str], *prefix: str) -> str | None:
    """The path segment after prefix, when the path starts with it: ("v1", "boards") of /v1/boards/acme/jobs."""
    n = len(prefix)
    return segments[n] if len(segments) > n and tuple(segments[:n]) == prefix else None
