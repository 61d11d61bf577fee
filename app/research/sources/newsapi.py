"""NewsAPI.org /v2/everything (https://newsapi.org/docs/endpoints/everything).

The key goes in the X-Api-Key header (https://newsapi.org/docs/authentication), never the URL. Errors
are JSON {"status": "error", "code": "apiKeyInvalid", "message": "..."} with a 4xx status
(https://newsapi.org/docs/errors): the message is what the rep sees, since NewsAPI's messages say
how to fix the problem. Nothing is retried, not even a timeout: each request counts against the daily
quota. A 429 ("rateLimited", "apiKeyExhausted") rests the source for its Retry-After, else an hour
(the docs say only "back off for a while"). Deleted articles come back as "[Removed]".
"""
from __future__ import annotations

from urllib.parse import quote_plus

from .. import names
from ..errors import FetchError
from ..facts import FoundFact
from .api import said, sentence
from .base import SourceContext
from .news_items import common_articles, facts, json_object

PAGE_SIZE = 20


def fetch(ctx: SourceContext) -> list[FoundFact]:
    query = quote_plus(f'"{names.search_name(ctx.company)}"')  # articles write "Acme", seldom "Acme, Inc."
    url = f"{ctx.base_url}?q={query}&sortBy=publishedAt&pageSize={PAGE_SIZE}"
    got = ctx.api.get(url, headers={"X-Api-Key": ctx.key}, explain=explain, limited=limited)
    data = json_object(got.body, url, "NewsAPI")
    if data.get("status") == "error":
        raise FetchError("http-status", url, f"NewsAPI said: {said(got.body)}" if said(got.body) else
                         "NewsAPI reported an error without saying what it was.")
    return facts(common_articles(data, url, "NewsAPI"), ctx.company)


def explain(status: int, body: bytes) -> str:
    words = said(body)
    if status >= 500:
        return f"{sentence(words) or 'NewsAPI had trouble on its side.'} Try again later."
    return words


def limited(status: int, body: bytes, wall: float) -> float | None:
    """A 429 (rateLimited, apiKeyExhausted) means too often: an hour's rest unless Retry-After says otherwise."""
    return 3600.0 if status == 429 else None
