"""Company feeds (RSS, Atom, JSON Feed), parsed from bytes we fetched ourselves.

Never feedparser.parse(url): it fetches with no timeout. We hand it a stream of bytes (given bytes,
feedparser first tries them as a file name and reads that file from disk) and the charset from the
HTTP header. What it reads is capped first: its loose parser costs a few microseconds per tag or
entity, and its DOCTYPE clean-up is quadratic in the lines before the root element.
"""
from __future__ import annotations

import codecs
import html
import io
import json
import re
import time
from dataclasses import dataclass

import feedparser

from app.core import dates, urls

_TAG_RE = re.compile(r"<[^>]+>")
MAX_ITEMS = 100
# A feed's newest items come first and we use a handful: 2 MiB and 100,000 tags and entities hold
# dozens of items with full HTML, and keep the worst parse of one feed under a second.
FEED_MAX_BYTES = 2 * 1024 * 1024
FEED_MAX_MARKUP = 100_000
TEXT_MAX_CHARS = 20_000  # of one title or summary, before its tags are stripped
_MARKUP = re.compile(rb"[<&]")
_ROOT = re.compile(rb"<([A-Za-z_][\w.:-]{0,100})")
_DECLARATION = re.compile(rb"\s{0,100}<\?xml[^>]{0,300}\?>")
_ITEM_ENDS = (b"</item>", b"</entry>")


@dataclass(frozen=True)
class FeedItem:
    title: str
    summary: str
    link: str  # an absolute http(s) URL, or "" (never javascript:, data:, file: or ftp:)
    published: str | None  # ISO date


@dataclass(frozen=True)
class Feed:
    title: str
    items: tuple[FeedItem, ...]
    truncated: bool = False  # too big to parse whole: these items are from its first part


class FeedError(ValueError):
    pass


def _plain(text: str) -> str:
    """Feed summaries are HTML: keep the words only (shown as plain text anyway)."""
    return " ".join(html.unescape(_TAG_RE.sub(" ", (text or "")[:TEXT_MAX_CHARS])).split())


def _link(value, base: str) -> str:
    """value as a URL a fact may cite, or "": relative links resolved against the feed's address."""
    return urls.absolute(value, base)


def _iso(struct) -> str | None:
    if not struct:
        return None
    try:
        return time.strftime("%Y-%m-%d", struct)
    except (TypeError, ValueError):
        return None


def _json_feed(body: bytes, base: str) -> Feed:
    try:
        data = json.loads(body.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise FeedError(f"not valid JSON ({type(e).__name__})") from None
    except RecursionError:
        raise FeedError("JSON nested too deeply to read") from None
    if not isinstance(data, dict) or not isinstance(data.get("items"), list):
        raise FeedError("a JSON document, but not a JSON Feed")
    items = []
    for item in data["items"][:MAX_ITEMS]:
        if not isinstance(item, dict):
            continue
        title = _plain(str(item.get("title") or ""))
        summary = _plain(str(item.get("summary") or item.get("content_text") or item.get("content_html") or ""))
        published = dates.day(item.get("date_published"))
        items.append(FeedItem(title, summary, _link(item.get("url"), base), published))
    return Feed(_plain(str(data.get("title") or "")), tuple(items))


def _prepared(body: bytes) -> tuple[bytes, bool]:
    """(what feedparser may read, whether it was cut). At most FEED_MAX_BYTES and FEED_MAX_MARKUP tags
    and entities, cut after the last whole item and closed again so the strict parser still reads it;
    nothing between the XML declaration and the root element: a DTD's entities are the classic
    expansion attack and almost never in a real feed, and feedparser's own DTD clean-up takes time
    quadratic in the lines before the root."""
    root = _ROOT.search(body)
    if root is None:
        return body[:FEED_MAX_BYTES], len(body) > FEED_MAX_BYTES
    # The budget counts from the root element on: the prolog is dropped below, whatever its size.
    cut = min(len(body), root.start() + FEED_MAX_BYTES)
    if body.count(b"<", root.start(), cut) + body.count(b"&", root.start(), cut) > FEED_MAX_MARKUP:
        for i, mark in enumerate(_MARKUP.finditer(body, root.start(), cut)):
            if i == FEED_MAX_MARKUP:
                cut = mark.start()
                break
    truncated = cut < len(body)
    closing = b""
    if truncated:
        ends = []
        for tag in _ITEM_ENDS:
            at = body.rfind(tag, root.end(), cut)
            if at >= 0:
                ends.append(at + len(tag))
        if ends:
            cut = max(ends)
            closing = b"</channel></rss>" if root.group(1) == b"rss" else b"</" + root.group(1) + b">"
    bom = codecs.BOM_UTF8 if body.startswith(codecs.BOM_UTF8) else b""
    declaration = _DECLARATION.match(body, len(bom))
    return bom + (declaration.group(0) if declaration else b"") + body[root.start():cut] + closing, truncated


def parse_feed(body: bytes, charset: str | None = None, content_type: str = "", base: str = "") -> Feed:
    """Items of an RSS/Atom/JSON feed; FeedError when the bytes are not a feed at all.

    base: the feed's own URL, to resolve relative item links against (without it they are dropped).
    """
    if content_type.endswith("json") or body.lstrip()[:1] == b"{":
        return _json_feed(body, base)
    data, truncated = _prepared(body)
    headers = {"content-type": f"application/xml; charset={charset}"} if charset else {}
    parsed = feedparser.parse(io.BytesIO(data), response_headers=headers, sanitize_html=False,
                              resolve_relative_uris=False)
    entries = parsed.get("entries") or []
    if not entries and (parsed.get("bozo") or not parsed.get("feed")):
        reason = parsed.get("bozo_exception")
        raise FeedError(f"not a readable feed ({type(reason).__name__ if reason else 'no items'})")
    items = []
    for e in entries[:MAX_ITEMS]:
        title = _plain(e.get("title", ""))
        summary = _plain(e.get("summary", ""))
        published = _iso(e.get("published_parsed") or e.get("updated_parsed"))
        if title or summary:
            items.append(FeedItem(title, summary, _link(e.get("link", ""), base), published))
    return Feed(_plain(parsed.get("feed", {}).get("title", "")), tuple(items), truncated)
