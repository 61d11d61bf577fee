"""Company feeds (RSS, Atom, JSON Feed), parsed from bytes we fetched ourselves.

Never feedparser.parse(url): it fetches with no timeout. We hand it bytes and the
charset from the HTTP header.
"""
from __future__ import annotations

import html
import json
import re
import time
from dataclasses import dataclass

import feedparser

_TAG_RE = re.compile(r"<[^>]+>")


@dataclass(frozen=True)
class FeedItem:
    title: str
    summary: str
    link: str
    published: str | None  # ISO date


@dataclass(frozen=True)
class Feed:
    title: str
    items: tuple[FeedItem, ...]


class FeedError(ValueError):
    pass


def _plain(text: str) -> str:
    """Feed summaries are HTML: keep the words only (shown as plain text anyway)."""
    return " ".join(html.unescape(_TAG_RE.sub(" ", text or "")).split())


def _iso(struct) -> str | None:
    if not struct:
        return None
    try:
        return time.strftime("%Y-%m-%d", struct)
    except (TypeError, ValueError):
        return None


def _json_feed(body: bytes) -> Feed:
    try:
        data = json.loads(body.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise FeedError(f"not valid JSON ({type(e).__name__})") from None
    if not isinstance(data, dict) or not isinstance(data.get("items"), list):
        raise FeedError("a JSON document, but not a JSON Feed")
    items = []
    for item in data["items"][:100]:
        if not isinstance(item, dict):
            continue
        title = _plain(str(item.get("title") or ""))
        summary = _plain(str(item.get("summary") or item.get("content_text") or item.get("content_html") or ""))
        published = str(item.get("date_published") or "")[:10] or None
        items.append(FeedItem(title, summary, str(item.get("url") or ""), published))
    return Feed(_plain(str(data.get("title") or "")), tuple(items))


def parse_feed(body: bytes, charset: str | None = None, content_type: str = "") -> Feed:
    """Items of an RSS/Atom/JSON feed; FeedError when the bytes are not a feed at all."""
    if content_type.endswith("json") or body.lstrip()[:1] == b"{":
        return _json_feed(body)
    headers = {"content-type": f"application/xml; charset={charset}"} if charset else {}
    parsed = feedparser.parse(body, response_headers=headers, sanitize_html=False, resolve_relative_uris=False)
    entries = parsed.get("entries") or []
    if not entries and (parsed.get("bozo") or not parsed.get("feed")):
        reason = parsed.get("bozo_exception")
        raise FeedError(f"not a readable feed ({type(reason).__name__ if reason else 'no items'})")
    items = []
    for e in entries[:100]:
        title = _plain(e.get("title", ""))
        summary = _plain(e.get("summary", ""))
        published = _iso(e.get("published_parsed") or e.get("updated_parsed"))
        if title or summary:
            items.append(FeedItem(title, summary, e.get("link", ""), published))
    return Feed(_plain(parsed.get("feed", {}).get("title", "")), tuple(items))
