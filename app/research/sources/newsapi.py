"""NewsAPI.org /v2/everything (https://newsapi.org/docs/endpoints/everything).

The key goes in the X-Api-Key header (https://newsapi.org/docs/authentication), never the URL. Errors
are JSON {"status": "error", "code": "apiKeyInvalid", "message": "..."} with a 4xx status
(https://newsapi.org/docs/errors): the message is what the rep sees. A 429 ("rateLimited") is not
retried: each request counts against the daily quota. Deleted articles come back as "[Removed]".
"""
from __future__ import annotations

from urllib.parse import quote_plus

from ..errors import FetchError
from ..facts import FoundFact
from .api import said
from .base import SourceContext
from .news_items import common_articles, facts, json_object

PAGE_SIZE = 20


def fetch(ctx: SourceContext) -> list[FoundFact]:
    url = f"{ctx.base_url}?q={quote_plus(chr(34) + ctx.company + chr(34))}&sortBy=publishedAt&pageSize={PAGE_SIZE}"
    got = ctx.api.get(url, headers={"X-Api-Key": ctx.key}, explain=explain)
    data = json_object(got.body, url, "NewsAPI")
    if data.get("status") == "error":
        raise FetchError("http-status", url, f"NewsAPI said: {said(got.body)}" if said(got.body) else
                         "NewsAPI reported an error without saying what it was.")
    return facts(common_articles(data, url, "NewsAPI"), ctx.company)


def explain(status: int, body: bytes) -> str:
    words = said(body)
    if status == 401 and not words:
        return "your NewsAPI key was not accepted; check it in Settings"
    return words
