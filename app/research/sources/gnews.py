"""GNews.io /api/v4/search (https://docs.gnews.io/endpoints/search-endpoint).

The key goes in the X-Api-Key header (https://docs.gnews.io/authentication), never the URL, so no
message, log or redirect can carry it. Errors (https://docs.gnews.io/error-handling) are JSON
{"errors": ["..."]} (or {"errors": {"field": "..."}}): 400 bad request, 401 bad key, 403 daily quota
reached (the next reset is at 00:00 UTC), 429 more than its requests a second, 500/503 server
trouble. Nothing is retried, not even a timeout: each request counts against the daily quota. A 403
rests the source until midnight UTC, a 429 for its Retry-After (else a second, its free plan's pace).
"""
from __future__ import annotations

from urllib.parse import quote_plus

from .. import names
from ..errors import FetchError
from ..facts import FoundFact
from .api import said, sentence
from .base import SourceContext
from .news_items import common_articles, facts, json_object

MAX = 10
DAY = 24 * 3600.0


def fetch(ctx: SourceContext) -> list[FoundFact]:
    query = quote_plus(f'"{names.search_name(ctx.company)}"')  # articles write "Acme", seldom "Acme, Inc."
    url = f"{ctx.base_url}?q={query}&lang=en&max={MAX}"
    got = ctx.api.get(url, headers={"X-Api-Key": ctx.key}, explain=explain, limited=limited)
    data = json_object(got.body, url, "GNews")
    if data.get("errors"):
        raise FetchError("http-status", url, f"GNews said: {said(got.body)}" if said(got.body) else
                         "GNews reported an error without saying what it was.")
    return facts(common_articles(data, url, "GNews"), ctx.company)


def explain(status: int, body: bytes) -> str:
    words = said(body)
    if status == 403:
        return words or "your GNews daily quota is used up; it resets at midnight UTC"
    if status >= 500:
        return f"{sentence(words) or 'GNews had trouble on its side.'} Try again later."
    return words


def limited(status: int, body: bytes, wall: float) -> float | None:
    """403 is the daily quota (rest until the next midnight UTC); 429 too many a second (rest a second)."""
    if status == 403:
        return DAY - wall % DAY
    return 1.0 if status == 429 else None
