"""Every research source Earned knows, in one registry that the settings, the CLI, the pipeline and
the docs read; and a run's options.

Light to import: the window needs the registry at startup, long before a source module (loaded by
name on the first Research) or the extractors.

Two kinds of source:
- crawling the company's own site and feeds ("site", "feeds"): robots.txt and its crawl delay govern;
- documented APIs (news, job boards, SEC filings): each follows its own documented rate limits,
  User-Agent and retry rules (`RatePolicy`, enforced by `api.ApiClient`), not robots.txt.
"""
from __future__ import annotations

import importlib
import os
from dataclasses import dataclass, field


@dataclass(frozen=True)
class RatePolicy:
    """How often and how persistently an API may be asked, from its documentation."""
    min_interval: float = 0.0  # seconds between two requests to it, retries included, across the process
    retries: int = 0  # further tries after a 5xx or a dropped connection (never sooner than min_interval)
    retry_429: bool = False  # a 429 is tried again after its Retry-After (within max_wait); else it ends the source
    max_wait: float = 30.0  # the longest pause Earned takes for it; longer asks end the source with a message
    breaker_after: int = 3  # failed runs in a row after which the source pauses (circuit breaker)
    breaker_pause: float = 600.0  # seconds the source then rests


@dataclass(frozen=True)
class Source:
    name: str  # the id: settings keys, CLI names, ResearchError.source
    label: str  # what the rep reads
    group: str  # "news" | "hiring" | "filings"
    module: str  # the module with fetch(ctx) -> list[FoundFact]
    default_url: str  # the API's base URL
    env: str  # EARNED_<SOURCE>_URL overrides the base URL (tests serve documented shapes on 127.0.0.1)
    docs: str  # the documentation page the module follows
    sends: str  # what leaves the rep's machine when it is used (README, Settings)
    terms: str = ""  # what the rep must know before using it (shown where it is turned on or its key entered)
    needs_key: bool = False  # an API key from the keychain
    needs_contact: bool = False  # the rep's contact email in the User-Agent (the SEC requires it)
    default_on: bool = True
    rate: RatePolicy = field(default_factory=RatePolicy)
    eu_url: str = ""  # the API's EU instance, which alone knows the boards hosted there ("" = none)
    eu_env: str = ""  # EARNED_<SOURCE>_EU_URL overrides it (tests)

    def base_url(self, settings: dict | None = None, region: str = "") -> str:
        """The environment wins over the workspace's settings, which win over the documented default.
        region "eu": the EU instance's (settings key "<name>_eu"), for a source that has one."""
        if region == "eu" and self.eu_url:
            env, key, default = self.eu_env, f"{self.name}_eu", self.eu_url
        else:
            env, key, default = self.env, self.name, self.default_url
        return (os.environ.get(env) or (settings or {}).get(key) or default).rstrip("/")

    def load(self):
        """The source's module (imported on first use)."""
        return importlib.import_module(self.module)


_JOB_BOARD_TERMS = ("Reads the job board the company publishes for anyone to read; no key, and the same "
                    "User-Agent as for websites. Asked at most once a second.")

SOURCES: tuple[Source, ...] = (
    Source("gdelt", "GDELT news search", "news", "app.research.sources.gdelt",
           "https://api.gdeltproject.org/api/v2/doc/doc", "EARNED_GDELT_URL",
           "https://blog.gdeltproject.org/gdelt-doc-2-0-api-debuts/",
           "the company's name, as a search",
           terms="Free, no key. GDELT asks for at most one request every 5 seconds; Earned keeps to that.",
           rate=RatePolicy(min_interval=5.0, retries=1, retry_429=True, max_wait=30.0)),
    Source("newsapi", "NewsAPI.org", "news", "app.research.sources.newsapi",
           "https://newsapi.org/v2/everything", "EARNED_NEWSAPI_URL",
           "https://newsapi.org/docs/endpoints/everything",
           "the company's name, as a search, and your NewsAPI key (in a header)",
           terms=("NewsAPI's free Developer key is for development only, not for production use: its articles "
                  "are delayed 24 hours, only the last month is searchable, and it allows 100 requests a day. "
                  "Use a paid plan for work."),
           # retries=0: every request counts against the daily quota, even one that timed out on the way back.
           needs_key=True, rate=RatePolicy(min_interval=1.0, retries=0, retry_429=False)),
    Source("gnews", "GNews.io", "news", "app.research.sources.gnews",
           "https://gnews.io/api/v4/search", "EARNED_GNEWS_URL",
           "https://docs.gnews.io/endpoints/search-endpoint",
           "the company's name, as a search, and your GNews key (in a header)",
           terms=("GNews's free plan allows 100 requests a day, 10 articles a request, and is for "
                  "non-commercial use; its articles are delayed 12 hours and only the last 30 days are "
                  "searchable. A paid plan is for work."),
           # retries=0: every request counts against the daily quota, even one that timed out on the way back.
           needs_key=True, rate=RatePolicy(min_interval=1.0, retries=0, retry_429=False)),
    Source("greenhouse", "Greenhouse job boards", "hiring", "app.research.sources.greenhouse",
           "https://boards-api.greenhouse.io", "EARNED_GREENHOUSE_URL",
           "https://developers.greenhouse.io/job-board.html",
           "the job board's name the company's careers page links to", terms=_JOB_BOARD_TERMS,
           rate=RatePolicy(min_interval=1.0, retries=1),
           eu_url="https://boards-api.eu.greenhouse.io", eu_env="EARNED_GREENHOUSE_EU_URL"),
    Source("lever", "Lever job boards", "hiring", "app.research.sources.lever",
           "https://api.lever.co", "EARNED_LEVER_URL",
           "https://github.com/lever/postings-api",
           "the job board's name the company's careers page links to", terms=_JOB_BOARD_TERMS,
           rate=RatePolicy(min_interval=1.0, retries=1),
           eu_url="https://api.eu.lever.co", eu_env="EARNED_LEVER_EU_URL"),
    Source("ashby", "Ashby job boards", "hiring", "app.research.sources.ashby",
           "https://api.ashbyhq.com", "EARNED_ASHBY_URL",
           "https://developers.ashbyhq.com/docs/public-job-posting-api",
           "the job board's name the company's careers page links to", terms=_JOB_BOARD_TERMS,
           rate=RatePolicy(min_interval=1.0, retries=1)),
    Source("workable", "Workable job boards", "hiring", "app.research.sources.workable",
           "https://www.workable.com", "EARNED_WORKABLE_URL",
           "https://workable.readme.io/reference/jobs-1",
           "the job board's name the company's careers page links to", terms=_JOB_BOARD_TERMS,
           rate=RatePolicy(min_interval=1.0, retries=1)),
    Source("smartrecruiters", "SmartRecruiters job boards", "hiring", "app.research.sources.smartrecruiters",
           "https://api.smartrecruiters.com", "EARNED_SMARTRECRUITERS_URL",
           "https://dev.smartrecruiters.com/customer-api/posting-api/endpoints/postings/",
           "the job board's name the company's careers page links to", terms=_JOB_BOARD_TERMS,
           rate=RatePolicy(min_interval=1.0, retries=1)),
    Source("recruitee", "Recruitee job boards", "hiring", "app.research.sources.recruitee",
           "https://{board}.recruitee.com", "EARNED_RECRUITEE_URL",
           "https://docs.recruitee.com/reference/offers",
           "the job board's name the company's careers page links to", terms=_JOB_BOARD_TERMS,
           rate=RatePolicy(min_interval=1.0, retries=1)),
    Source("sec", "SEC EDGAR filings (US public companies)", "filings", "app.research.sources.sec",
           "https://data.sec.gov", "EARNED_SEC_URL",
           "https://www.sec.gov/search-filings/edgar-application-programming-interfaces",
           "a request for the company's filings (found by matching its name, on your machine, against the SEC's "
           "public list of companies, fetched from `https://www.sec.gov/files/company_tickers.json` at most once "
           "a week) and your name and email in the User-Agent, as the SEC requires",
           terms=("The SEC requires every program to say who is asking: your name or company and a contact "
                  "email, sent in the User-Agent. Earned asks at most 10 times a second, as the SEC allows."),
           needs_contact=True, rate=RatePolicy(min_interval=0.1, retries=1, retry_429=False)),
)
BY_NAME = {s.name: s for s in SOURCES}

# Crawling the company's own pages: not an API; robots.txt governs.
CRAWL_SOURCES = (("site", "The company's own website"), ("feeds", "The company's news feeds (RSS, Atom, JSON Feed)"))
NEWS_SOURCES = tuple(s.name for s in SOURCES if s.group == "news")
KEY_SOURCES = tuple(s.name for s in SOURCES if s.needs_key)
DEFAULT_SOURCES = {**{name: True for name, _ in CRAWL_SOURCES}, **{s.name: s.default_on for s in SOURCES}}


def source(name: str) -> Source:
    return BY_NAME[name]


def describe(src: Source) -> str:
    """One Markdown list item: what the source is, what it sends, its terms and limits. The CLI prints
    these (`earned sources`) and README's "What leaves your machine" is written from them (a test checks)."""
    needs = " Needs your API key." if src.needs_key else " Needs your name and email (Settings)." \
        if src.needs_contact else ""
    on = "" if src.default_on else " Off unless you turn it on."
    address = f"`{src.default_url}`, or `{src.env}`"
    if src.eu_url:
        address += f"; boards on its EU instance: `{src.eu_url}`, or `{src.eu_env}`"
    return (f"- **{src.label}** (`{src.name}`, {src.group}): sends {src.sends}.{needs}{on} {src.terms} "
            f"Address: {address}.").replace("  ", " ")


@dataclass
class ResearchOptions:
    name: str | None = None
    url: str | None = None
    max_pages: int = 8
    sources: dict = field(default_factory=lambda: dict(DEFAULT_SOURCES))
    keys: dict = field(default_factory=dict)  # API keys by source name, from the keychain
    endpoints: dict = field(default_factory=dict)  # API base URLs by source name, from settings
    contact: str = ""
    crawl_delay: float = 1.0
    allow_private_redirects: bool = False  # a site may redirect into the local network (intranet research)
    single_page: bool = False  # read just this URL (a page the rep pasted or dropped)
    site_candidates: list | None = None  # where to look for the website when only a name is given (tests)
    read_articles: int = 3  # news articles fetched and quoted per run (the best ones)
