"""One parse per page: bytes to text to one lxml tree, and the small tree walks everyone shares.

Every part of page analysis (metadata, links, main text, dates) reads this one tree: parsing a page
again per library was most of the time research spent on a page.
"""
from __future__ import annotations

import re
from typing import Callable, Iterator
import itertools

import lxml.html
from lxml import etree

from app.core import encodings, urls

from .discover import FEED_TYPES, MAX_PAGE_LINKS, categorize, clean_link

# Control characters lxml refuses (NUL and friends), but not tab, newline or carriage return.
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
# The parser trafilatura uses itself, so the tree we hand it is the tree it would have built.
_PARSER = lxml.html.HTMLParser(collect_ids=False, default_doctype=False, encoding="utf-8", remove_comments=True,
                               remove_pis=True)
# Never text a reader sees.
INVISIBLE = frozenset({"script", "style", "noscript", "template", "svg", "head", "title", "iframe", "object", "canvas",
                       "math"})


def sniff_encoding(body: bytes, header_charset: str | None) -> str:
    """The page's encoding (app.core.encodings.sniff: a BOM, valid UTF-8, the HTTP header, <meta
    charset>, windows-1252)."""
    return encodings.sniff(body, header_charset, html=True)


def decode_html(body: bytes, header_charset: str | None) -> tuple[str, str]:
    """(the page as text, the encoding it was read with)."""
    return encodings.decode(body, header_charset, html=True)


def parse_tree(html: str | bytes, header_charset: str | None = None) -> lxml.html.HtmlElement:
    """The page as one lxml tree (an <html> root, never None); bytes are decoded first."""
    if isinstance(html, (bytes, bytearray, memoryview)):
        html = decode_html(bytes(html), header_charset)[0]
    data = _CONTROL_RE.sub("", html or "").encode("utf-8", "replace")
    try:
        root = lxml.html.document_fromstring(data, parser=_PARSER)
    except (etree.ParserError, ValueError):  # an empty or binary document
        root = None
    if root is None or not isinstance(root.tag, str):
        root = lxml.html.document_fromstring(b"<html><body></body></html>", parser=_PARSER)
    return root


def elements(node, tag: str | None = None) -> Iterator:
    """Elements under node (node included), comments and processing instructions left out."""
    for el in node.iter(tag) if tag else node.iter():
        if isinstance(el.tag, str):
            yield el


def classes(el) -> str:
    """The element's class and id, lowercased, as one string to match against."""
    return f"{el.get('class') or ''} {el.get('id') or ''}".lower()


def walk_text(node, skip: Callable[[object], bool], br: str = " ") -> Iterator[str]:
    """node's text in document order; a skipped element's own text is left out, not its tail."""
    if node.text:
        yield node.text
    stack: list = list(reversed(node))  # elements still to visit, and tails (str) waiting their turn
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            yield item
        elif isinstance(item.tag, str) and not skip(item):
            if item.tag == "br":
                yield br
            elif item.text:
                yield item.text
            if item.tail:
                stack.append(item.tail)  # after the children, which go on top of it
            stack.extend(reversed(item))
        elif item.tail:
            yield item.tail


def inner_text(node) -> str:
    """Text of node with <br> as a space and scripts, styles and the like left out."""
    return "".join(walk_text(node, lambda el: el.tag in INVISIBLE))


def page_links(root, base: str, home: str, other: bool = False) -> list[tuple[str, str]]:
    """(url, category) of same-site links worth reading, in page order, without repeats
    (discover.page_links, on this tree); other: links of no category too, as "other"."""
    found: dict[str, str] = {}
    tried: set[str] = set()
    home_host = urls.site(home)
    for a in itertools.islice(elements(root, "a"), MAX_PAGE_LINKS):
        href = (a.get("href") or "").strip()
        if not href or href in tried:
            continue  # (menus repeat their links: each is looked at once)
        tried.add(href)
        if href.startswith(("http://", "https://", "//")) and urls.site(href) != home_host:
            continue  # another site's link (urls.site reads an everyday link's host without taking it all apart)
        url = clean_link(href, base)
        if not url or not urls.same_site(url, home) or url.rstrip("/") == home.rstrip("/"):
            continue
        category = categorize(url, " ".join(a.text_content().split())) or ("other" if other else None)
        if category and url not in found:
            found[url] = category
    return list(found.items())


def feed_links(root, base: str) -> list[str]:
    """Feeds the page announces with <link rel="alternate"> (discover.feed_links, on this tree)."""
    feeds = []
    for link in elements(root, "link"):
        href = link.get("href")
        rel = (link.get("rel") or "").lower().split()
        kind = (link.get("type") or "").strip().lower()
        if href is not None and "alternate" in rel and kind in FEED_TYPES:
            url = urls.absolute(href, base)
            if url and url not in feeds:
                feeds.append(url)
    return feeds
