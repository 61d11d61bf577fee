"""What a source module gets for one research run, and the helpers every source shares.

A source module has one entry point:

    def fetch(ctx: SourceContext) -> list[FoundFact]

It asks its API through ctx.api (the source's own rate policy), reads pages through ctx.fetcher (the
crawler's rules: robots.txt, crawl delay), reports progress through ctx.progress, and raises FetchError
with a plain message when the source fails (the pipeline lists it; other sources go on). A failure
that does not stop the source (one of two boards) goes to ctx.report, so the rest's facts are kept.
It never sees another source's key.
"""
from __future__ import annotations

import html
import re
import threading
from dataclasses import dataclass, field
from typing import Callable

from app.core import urls

from .. import names
from ..errors import FetchError
from ..facts import FoundFact
from ..fetcher import Fetcher
from . import Source
from .api import ApiClient, Clock


@dataclass(frozen=True)
class Board:
    """A public job board the company's site links to or embeds: ("greenhouse", "acme")."""
    ats: str  # a hiring source's name
    token: str  # the board's name in that system
    found_on: str = ""  # the page that links to it
    region: str = ""  # "eu": hosted on the provider's EU instance (Lever, Greenhouse), whose API alone knows it


@dataclass
class SourceContext:
    source: Source
    fetcher: Fetcher
    company: str  # the company's name (the rep's, else the site's)
    website: str | None = None  # the company's site, when known
    key: str = ""  # the source's API key ("" when it needs none)
    settings: dict = field(default_factory=dict)  # base URLs by source name, from the workspace's settings
    contact: str = ""  # the rep's contact (the SEC requires one in the User-Agent)
    boards: list[Board] = field(default_factory=list)  # job boards found on the site (hiring sources)
    job_postings: list[dict] = field(default_factory=list)  # JobPosting JSON-LD found on the site
    progress: Callable[[str], None] = lambda text: None
    # Where a failure that did not stop the source goes: the run's list of problems (None: a progress line).
    problem: Callable[[FetchError], None] | None = None
    clock: Clock | None = None  # tests pass a fake one
    parser: object = None  # a worker.ParseWorker to read pages in a child process (None: in this one)
    _api: ApiClient | None = None

    @property
    def api(self) -> ApiClient:
        if self._api is None:
            self._api = ApiClient(self.fetcher, self.source, self.clock)
        return self._api

    @property
    def base_url(self) -> str:
        return self.source.base_url(self.settings)

    def api_base(self, board: Board) -> str:
        """The API's base URL for this board: its region's instance when it has one."""
        return self.source.base_url(self.settings, board.region)

    @property
    def cancel(self) -> threading.Event:
        return self.fetcher.cancel

    def report(self, error: FetchError) -> None:
        """A failure the rep should read though the source goes on (one board of several failed)."""
        if self.problem is not None:
            self.problem(error)
        else:
            self.progress(error.message)


def names_company(ctx_or_name, text: str) -> bool:
    """Whether text names the company: whole words, legal endings ignored ("Acme, Inc." is "Acme"),
    so "General Motors" is not "general election"."""
    name = ctx_or_name.company if isinstance(ctx_or_name, SourceContext) else ctx_or_name
    return names.company([name]).named_in(text)


def plain(value) -> str:
    """A text field from an API as one line: HTML entities unescaped ("AT&amp;T" -> "AT&T"), tags
    and extra spaces gone; anything that is not text is nothing."""
    if not isinstance(value, str):
        return ""
    # Tags out before and after unescaping (some APIs send "&lt;p&gt;" for "<p>"); a tag starts with a
    # letter or "/", so "revenue < $5M, costs > $1M" keeps its words.
    text = _TAG.sub(" ", value) if "<" in value else value
    if "&" in text:
        text = html.unescape(html.unescape(text))
        text = _TAG.sub(" ", text) if "<" in text else text
    return " ".join(text.split())


_TAG = re.compile(r"</?[A-Za-z][^<>]{0,500}>")


# An http(s) link to cite, or nothing: a fact must point at a page the rep can open.
link = urls.web_url
# The site a link is on, "www." aside ("news.example" of https://www.news.example/a).
domain = urls.site


__all__ = ["Board", "FoundFact", "SourceContext", "domain", "link", "names_company", "plain"]
