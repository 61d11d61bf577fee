"""What a research run may use, and its options: light to import (the window needs them at startup,
long before the extractors are loaded on the first Research)."""
from __future__ import annotations

from dataclasses import dataclass, field

NEWS_SOURCES = ("gdelt", "newsapi", "gnews", "google-news")
DEFAULT_SOURCES = {"site": True, "feeds": True, "gdelt": True, "newsapi": True, "gnews": True, "google-news": False}


@dataclass
class ResearchOptions:
    name: str | None = None
    url: str | None = None
    max_pages: int = 8
    sources: dict = field(default_factory=lambda: dict(DEFAULT_SOURCES))
    keys: dict = field(default_factory=dict)  # newsapi / gnews keys, from the keychain
    endpoints: dict = field(default_factory=dict)  # news base URLs from settings
    contact: str = ""
    crawl_delay: float = 1.0
    allow_private_redirects: bool = False  # a site may redirect into the local network (intranet research)
    single_page: bool = False  # read just this URL (a page the rep pasted or dropped)
    site_candidates: list | None = None  # where to look for the website when only a name is given (tests)
