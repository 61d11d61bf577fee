"""GDELT DOC 2.0 article search (https://blog.gdeltproject.org/gdelt-doc-2-0-api-debuts/): free, no key.

What its documentation and behaviour ask of a client:
- at most one request every 5 seconds (RatePolicy in the registry; retries included);
- a bad query is answered HTTP 200 with a plain-text or HTML sentence, not JSON: that sentence is
  what the rep sees, with what to do about it;
- asking too often is answered HTTP 429 without Retry-After, or HTTP 200 with the sentence "Please
  limit requests to one every 5 seconds...": both are waited out (5 s) once, then the source rests;
- its JSON sometimes carries invalid escapes ("\\'") or raw control characters in titles: read
  leniently rather than dropping the whole batch;
- `seendate` is when GDELT saw the URL, not when the article was published: shown as such.
"""
from __future__ import annotations

import re
from html import unescape
from urllib.parse import quote_plus

from app.core import dates

from .. import names
from ..errors import FetchError
from ..facts import FoundFact
from .base import SourceContext, domain, link, plain
from .news_items import NewsItem, article_list, facts, json_object

MAX_RECORDS = 25
TIMESPAN = "3months"
SPACING = 5.0  # "one request every 5 seconds"
_THROTTLED = re.compile(r"limit requests to one every", re.IGNORECASE)


def fetch(ctx: SourceContext) -> list[FoundFact]:
    query = quote_plus(f'"{names.search_name(ctx.company)}"')  # articles write "Acme", seldom "Acme, Inc."
    url = (f"{ctx.base_url}?query={query}&mode=ArtList&format=json&maxrecords={MAX_RECORDS}"
           f"&timespan={TIMESPAN}&sort=DateDesc")
    got = ctx.api.get(url, limited=limited)
    return facts(items(got.body, url), ctx.company)


def limited(status: int, body: bytes, wall: float) -> float | None:
    """A 429, or its throttle sentence sent as a 200 answer, means too often: 5 s, its documented pace."""
    text = body[:500].decode("utf-8", "replace").lstrip()
    throttled = status == 200 and not text.startswith(("{", "[")) and _THROTTLED.search(text)
    return SPACING if status == 429 or throttled else None


def items(body: bytes, url: str) -> list[NewsItem]:
    data = _read(body, url)
    out = []
    for a in article_list(data, url, "GDELT"):
        title, where = plain(a.get("title")), link(a.get("url"))
        if title and where:
            out.append(NewsItem(title, "", where, plain(a.get("domain")) or domain(where), None,
                                seen=dates.day(a.get("seendate"))))  # "20261103T101500Z": when GDELT saw it
    return out


def _read(body: bytes, url: str) -> dict:
    text = body.decode("utf-8", "replace").strip()
    if not text.startswith(("{", "[")):
        # GDELT's way of saying the query is wrong (too short, too common, bad characters): a sentence.
        said = " ".join(unescape(re.sub(r"<[^>]{0,300}>", " ", text)).split())[:300]
        raise FetchError("http-status", url, (
            f"GDELT said: {said.rstrip('.')}. Check the company's name in the prospect." if said else
            "GDELT sent an empty answer. Try again later."))
    return json_object(body, url, "GDELT", lenient=True)
