"""News about the company: GDELT DOC 2.0 by default, NewsAPI.org and GNews.io with a saved key,
Google News RSS as an opt-in (its terms limit it to personal, non-commercial use).

Every base URL is a setting with an environment override, so tests point them at 127.0.0.1.
Keys are sent in headers where the API allows it, and redacted from every message.
"""
from __future__ import annotations

import json
import os
import threading
import time
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import quote_plus, urlsplit

from .errors import FetchError
from .feeds import FeedError, parse_feed
from .fetcher import Fetcher

DEFAULT_URLS = {
    "gdelt": "https://api.gdeltproject.org/api/v2/doc/doc",
    "newsapi": "https://newsapi.org/v2/everything",
    "gnews": "https://gnews.io/api/v4/search",
    "google-news": "https://news.google.com/rss/search",
}
ENV_OVERRIDES = {
    "gdelt": "EARNED_GDELT_URL", "newsapi": "EARNED_NEWSAPI_URL", "gnews": "EARNED_GNEWS_URL",
    "google-news": "EARNED_GOOGLE_NEWS_URL",
}
GOOGLE_NEWS_TERMS = ("Google News search results are for personal, non-commercial use under Google's terms; "
                     "turn this source on only if that fits how you use Earned.")
GDELT_MIN_INTERVAL = 5.0  # GDELT asks for at most one request every 5 seconds


def base_url(source: str, settings: dict | None = None) -> str:
    """The environment wins over settings, which win over the default."""
    return os.environ.get(ENV_OVERRIDES[source]) or (settings or {}).get(source) or DEFAULT_URLS[source]


@dataclass(frozen=True)
class NewsItem:
    title: str
    description: str
    url: str
    source: str  # the publication (domain or name)
    published: str | None  # ISO date


class _Spacing:
    """Process-wide: the next GDELT request waits until 5 s after the previous one."""

    def __init__(self, interval: float):
        self.interval = interval
        self._lock = threading.Lock()
        self._next = 0.0

    def wait(self, cancel: threading.Event) -> None:
        with self._lock:
            delay = self._next - time.monotonic()
            if delay > 0 and cancel.wait(delay):
                from .errors import Cancelled

                raise Cancelled()
            self._next = time.monotonic() + self.interval


_gdelt_spacing = _Spacing(GDELT_MIN_INTERVAL)


def _mentions(item: NewsItem, name: str) -> bool:
    """News search is fuzzy: keep items that name the company (or its distinctive first word)."""
    hay = f"{item.title} {item.description}".lower()
    name = name.lower().strip()
    if name in hay:
        return True
    first = name.split()[0] if name.split() else ""
    return len(first) >= 4 and first in hay


def _domain(url: str) -> str:
    return (urlsplit(url).hostname or "").removeprefix("www.")


def _parse_json(body: bytes, url: str, source: str) -> dict:
    text = body.decode("utf-8", "replace").strip()
    if not text.startswith("{"):
        # GDELT reports throttling and query errors as HTTP 200 plain text.
        raise FetchError("http-status", url, f"{source} said: {text[:200] or 'nothing'}")
    try:
        return json.loads(text)
    except json.JSONDecodeError as e:
        raise FetchError("parse-failed", url, f"{source} sent JSON that could not be read ({e.msg}).") from None


def gdelt(fetcher: Fetcher, name: str, settings: dict | None = None, max_records: int = 25,
          timespan: str = "3months") -> list[NewsItem]:
    query = quote_plus(f'"{name}"')
    url = (f"{base_url('gdelt', settings)}?query={query}&mode=ArtList&format=json&maxrecords={max_records}"
           f"&timespan={timespan}&sort=DateDesc")
    _gdelt_spacing.wait(fetcher.cancel)
    got = fetcher.fetch(url, kind="api")
    data = _parse_json(got.body, url, "GDELT")
    items = []
    for a in data.get("articles") or []:
        if not isinstance(a, dict) or not a.get("url") or not a.get("title"):
            continue
        seen = str(a.get("seendate") or "")
        try:
            published = datetime.strptime(seen[:8], "%Y%m%d").date().isoformat() if seen else None
        except ValueError:
            published = None
        items.append(NewsItem(" ".join(str(a["title"]).split()), "", a["url"], a.get("domain") or _domain(a["url"]),
                              published))
    return [i for i in items if _mentions(i, name)]


def _iso_date(value) -> str | None:
    text = str(value or "")[:10]
    try:
        return datetime.strptime(text, "%Y-%m-%d").date().isoformat()
    except ValueError:
        return None


def _articles(data: dict, name: str) -> list[NewsItem]:
    """NewsAPI and GNews answer in the same shape: {"articles": [{title, description, url, publishedAt, source}]}."""
    items = []
    for a in data.get("articles") or []:
        if isinstance(a, dict) and a.get("url") and a.get("title"):
            source = (a.get("source") or {}).get("name") or _domain(a["url"])
            items.append(NewsItem(" ".join(a["title"].split()), " ".join(str(a.get("description") or "").split()),
                                  a["url"], source, _iso_date(a.get("publishedAt"))))
    return [i for i in items if _mentions(i, name)]


def newsapi(fetcher: Fetcher, name: str, key: str, settings: dict | None = None) -> list[NewsItem]:
    url = f"{base_url('newsapi', settings)}?q={quote_plus(chr(34) + name + chr(34))}&sortBy=publishedAt&pageSize=20"
    got = fetcher.fetch(url, kind="api", headers={"X-Api-Key": key})  # the key in a header, not the URL
    data = _parse_json(got.body, url, "NewsAPI")
    if data.get("status") == "error":
        raise FetchError("http-status", url, f"NewsAPI said: {fetcher.clean(str(data.get('message', 'error')))}")
    return _articles(data, name)


def gnews(fetcher: Fetcher, name: str, key: str, settings: dict | None = None) -> list[NewsItem]:
    # GNews takes the key only in the URL: the fetcher redacts it from every message.
    url = f"{base_url('gnews', settings)}?q={quote_plus(chr(34) + name + chr(34))}&lang=en&max=10&apikey={key}"
    got = fetcher.fetch(url, kind="api")
    data = _parse_json(got.body, fetcher.clean(url), "GNews")
    if data.get("errors"):
        raise FetchError("http-status", fetcher.clean(url), f"GNews said: {fetcher.clean(str(data['errors']))}")
    return _articles(data, name)


def google_news(fetcher: Fetcher, name: str, settings: dict | None = None) -> list[NewsItem]:
    url = f"{base_url('google-news', settings)}?q={quote_plus(chr(34) + name + chr(34))}&hl=en-US&gl=US&ceid=US:en"
    got = fetcher.fetch(url, kind="feed")
    try:
        feed = parse_feed(got.body, got.charset, got.content_type)
    except FeedError as e:
        raise FetchError("parse-failed", url, f"Google News sent something that is not a feed ({e}).") from None
    items = []
    for it in feed.items:
        # Titles read "Headline - Publication".
        title, _, publication = it.title.rpartition(" - ")
        items.append(NewsItem(title or it.title, "", it.link, publication or "Google News", it.published))
    return [i for i in items if _mentions(i, name)]
