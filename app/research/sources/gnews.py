"""GNews.io /api/v4/search (https://docs.gnews.io/endpoints/search-endpoint).

The key goes in the X-Api-Key header (https://docs.gnews.io/authentication), never the URL, so no
message, log or redirect can carry it. Errors (https://docs.gnews.io/error-handling) are JSON
{"errors": ["..."]} (or {"errors": {"field": "..."}}): 400 bad request, 401 bad key, 403 daily quota
reached, 429 too many requests a second, 500/503 server trouble. A 429 or 403 is not retried: it
would only burn the quota.
"""
from __future__ import annotations

from urllib.parse import quote_plus

from ..errors import FetchError
from ..facts import FoundFact
from .api import said
from .base import SourceContext
from .news_items import common_articles, facts, json_object

MAX = 10


def fetch(ctx: SourceContext) -> list[FoundFact]:
    url = f"{ctx.base_url}?q={quote_plus(chr(34) + ctx.company + chr(34))}&lang=en&max={MAX}"
    got = ctx.api.get(url, headers={"X-Api-Key": ctx.key}, explain=explain)
    data = json_object(got.body, url, "GNews")
    if data.get("errors"):
        raise FetchError("http-status", url, f"GNews said: {said(got.body)}" if said(got.body) else
                         "GNews reported an error without saying what it was.")
    return facts(common_articles(data, url, "GNews"), ctx.company)


def explain(status: int, body: bytes) -> str:
    words = said(body)
    if status == 403:
        return (words + ": " if words else "") + "your GNews daily quota is used up; it resets at midnight UTC"
    if status == 401 and not words:
        return "your GNews key was not accepted; check it in Settings"
    return words
