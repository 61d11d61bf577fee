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

from app.core.redact import redact, register

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


# -- answers' shapes -------------------------------------------------------------------
# APIs change and proxies meddle: an answer is checked against the shape its documentation
# gives before anything is read from it. An item with a wrong field is skipped; an answer whose
# overall shape is wrong is one plain error ("had 'articles' as text, not a list").

def _kind(value) -> str:
    """A JSON value's type in plain words."""
    return {dict: "an object", list: "a list", str: "text", bool: "true/false", int: "a number",
            float: "a number", type(None): "empty (null)"}.get(type(value), type(value).__name__)


def _shape_error(url: str, source: str, what: str) -> FetchError:
    return FetchError("parse-failed", url, f"{source}'s answer {what}, so its news could not be read.")


def _text(value) -> str:
    """A string field as one line of text; anything else (a number, a list, null) as nothing."""
    return " ".join(value.split()) if isinstance(value, str) else ""


def _link(value) -> str:
    """An http(s) link to cite, or nothing: a news item must point at a page the rep can open."""
    link = value.strip() if isinstance(value, str) else ""
    return link if urlsplit(link).scheme.lower() in ("http", "https") and urlsplit(link).hostname else ""


def _snippet(text: str, limit: int) -> str:
    """At most limit characters of what an API said, redacted. Cut at a space: a key cut in two
    could leave a piece too short to recognise as part of it."""
    text = " ".join(text.split())
    if len(text) > limit:
        text = text[:limit].rsplit(" ", 1)[0] + "…"
    return redact(text)


def _parse_json(body: bytes, url: str, source: str) -> dict:
    """The answer as a JSON object; plain-text answers are the API talking (errors, throttling)."""
    text = body.decode("utf-8", "replace").strip()
    if not text.startswith(("{", "[")):
        # GDELT reports throttling and query errors as HTTP 200 plain text; others may echo the key.
        raise FetchError("http-status", url, f"{source} said: {_snippet(text, 200) or 'nothing'}")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as e:
        raise FetchError("parse-failed", url, f"{source} sent JSON that could not be read ({e.msg}).") from None
    if not isinstance(data, dict):
        raise _shape_error(url, source, f"was {_kind(data)}, not the object its documentation describes")
    return data


def _article_list(data: dict, url: str, source: str) -> list:
    """data["articles"]: a list, or nothing at all (GDELT answers {} when nothing matched)."""
    articles = data.get("articles")
    if articles is None:
        return []
    if not isinstance(articles, list):
        raise _shape_error(url, source, f"had 'articles' as {_kind(articles)}, not a list")
    return articles


def _said(value) -> str:
    """What an API's error field says, as text: a string, a list of strings, or {field: message}."""
    if isinstance(value, str):
        parts = [value]
    elif isinstance(value, list):
        parts = [v for v in value if isinstance(v, str)]
    elif isinstance(value, dict):
        parts = [f"{k}: {v}" for k, v in value.items() if isinstance(v, str)]
    else:
        parts = []
    return _snippet(" ".join(parts), 300)


def gdelt(fetcher: Fetcher, name: str, settings: dict | None = None, max_records: int = 25,
          timespan: str = "3months") -> list[NewsItem]:
    """GDELT DOC 2.0 ArtList: {"articles": [{url, title, seendate "YYYYMMDDTHHMMSSZ", domain, ...}]}."""
    query = quote_plus(f'"{name}"')
    url = (f"{base_url('gdelt', settings)}?query={query}&mode=ArtList&format=json&maxrecords={max_records}"
           f"&timespan={timespan}&sort=DateDesc")
    _gdelt_spacing.wait(fetcher.cancel)
    got = fetcher.fetch(url, kind="api", service="GDELT")
    data = _parse_json(got.body, url, "GDELT")
    items = []
    for a in _article_list(data, url, "GDELT"):
        if not isinstance(a, dict):
            continue
        title, link = _text(a.get("title")), _link(a.get("url"))
        if not title or not link:
            continue
        items.append(NewsItem(title, "", link, _text(a.get("domain")) or _domain(link),
                              _gdelt_date(a.get("seendate"))))
    return [i for i in items if _mentions(i, name)]


def _gdelt_date(value) -> str | None:
    if not isinstance(value, str):
        return None  # documented as text; a number is a shape we do not guess at
    try:
        return datetime.strptime(value[:8], "%Y%m%d").date().isoformat()
    except ValueError:
        return None


def _iso_date(value) -> str | None:
    if not isinstance(value, str):
        return None
    try:
        return datetime.strptime(value[:10], "%Y-%m-%d").date().isoformat()
    except ValueError:
        return None


def _articles(data: dict, url: str, source: str, name: str) -> list[NewsItem]:
    """NewsAPI and GNews answer in the same shape: {"articles": [{title, description, url, publishedAt,
    source: {name, ...}}]}."""
    items = []
    for a in _article_list(data, url, source):
        if not isinstance(a, dict):
            continue
        title, link = _text(a.get("title")), _link(a.get("url"))
        if not title or not link:
            continue
        publication = a.get("source")
        publication = _text(publication.get("name")) if isinstance(publication, dict) else ""
        items.append(NewsItem(title, _text(a.get("description")), link, publication or _domain(link),
                              _iso_date(a.get("publishedAt"))))
    return [i for i in items if _mentions(i, name)]


def newsapi(fetcher: Fetcher, name: str, key: str, settings: dict | None = None) -> list[NewsItem]:
    """NewsAPI /v2/everything (https://newsapi.org/docs/endpoints/everything; errors:
    https://newsapi.org/docs/errors: {"status": "error", "code": ..., "message": ...})."""
    register(key)
    url = f"{base_url('newsapi', settings)}?q={quote_plus(chr(34) + name + chr(34))}&sortBy=publishedAt&pageSize=20"
    got = fetcher.fetch(url, kind="api", headers={"X-Api-Key": key}, service="NewsAPI")  # the key in a header
    data = _parse_json(got.body, url, "NewsAPI")
    if data.get("status") == "error":
        said = _said(data.get("message")) or _said(data.get("code"))
        raise FetchError("http-status", url, f"NewsAPI said: {said}" if said else
                         "NewsAPI reported an error without saying what it was.")
    return _articles(data, url, "NewsAPI", name)


def gnews(fetcher: Fetcher, name: str, key: str, settings: dict | None = None) -> list[NewsItem]:
    """GNews /api/v4/search (https://docs.gnews.io/endpoints/search-endpoint; errors:
    https://docs.gnews.io/error-handling: {"errors": ["..."]} or {"errors": {"field": "..."}})."""
    register(key)
    # GNews takes the key only in the URL: every message shows the URL redacted.
    url = (f"{base_url('gnews', settings)}?q={quote_plus(chr(34) + name + chr(34))}&lang=en&max=10"
           f"&apikey={quote_plus(key)}")
    shown = redact(url)
    got = fetcher.fetch(url, kind="api", service="GNews")
    data = _parse_json(got.body, shown, "GNews")
    if data.get("errors"):
        said = _said(data["errors"])
        raise FetchError("http-status", shown, f"GNews said: {said}" if said else
                         "GNews reported an error without saying what it was.")
    return _articles(data, shown, "GNews", name)


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
