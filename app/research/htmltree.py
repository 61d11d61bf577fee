"""One parse per page: bytes to text to one lxml tree, and the small tree walks everyone shares.

Every part of page analysis (metadata, links, main text, dates) reads this one tree: parsing a page
again per library was most of the time research spent on a page.
"""
from __future__ import annotations

import codecs
import re
from typing import Callable, Iterator
import itertools
from urllib.parse import urljoin, urlsplit

import lxml.html
from lxml import etree

from .discover import FEED_TYPES, MAX_PAGE_LINKS, categorize, clean_link, same_site

_META_CHARSET_RE = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.IGNORECASE)
_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
# Control characters lxml refuses (NUL and friends), but not tab, newline or carriage return.
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
# The parser trafilatura uses itself, so the tree we hand it is the tree it would have built.
_PARSER = lxml.html.HTMLParser(collect_ids=False, default_doctype=False, encoding="utf-8", remove_comments=True,
                               remove_pis=True)
# Never text a reader sees.
INVISIBLE = frozenset({"script", "style", "noscript", "template", "svg", "head", "title", "iframe", "object", "canvas",
                       "math"})


def _known(encoding: str | None) -> str | None:
    if not encoding:
        return None
    try:
        name = codecs.lookup(encoding.strip().strip("\"'")).name
    except LookupError:
        return None
    # Pages that say latin-1 almost always mean windows-1252 (browsers treat them so).
    return "cp1252" if name in ("latin-1", "iso8859-1", "ascii") else name


def sniff_encoding(body: bytes, header_charset: str | None) -> str:
    """The page's encoding: a BOM; then UTF-8 whenever the bytes are valid non-ASCII UTF-8 (servers
    that say ISO-8859-1 by default are common; text in another charset is almost never valid UTF-8
    by accident); then the HTTP header, <meta charset>, and cp1252."""
    for bom, name in _BOMS:
        if body.startswith(bom):
            return name
    if not body.isascii():
        try:
            body.decode("utf-8")
            return "utf-8"
        except UnicodeDecodeError:
            pass
    for candidate in (header_charset, *(_META_CHARSET_RE.findall(body[:4096]) or [b""])[:1]):
        if isinstance(candidate, bytes):
            candidate = candidate.decode("ascii", "ignore")
        name = _known(candidate)
        if name:
            return name
    try:
        body.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        return "cp1252"


def decode_html(body: bytes, header_charset: str | None) -> tuple[str, str]:
    encoding = sniff_encoding(body, header_charset)
    text = body.decode(encoding, "replace")
    return text.lstrip("\ufeff"), encoding


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
    home_host = (urlsplit(home).hostname or "").removeprefix("www.")
    for a in itertools.islice(elements(root, "a"), MAX_PAGE_LINKS):
        href = (a.get("href") or "").strip()
        if not href or href in tried:
            continue  # (menus repeat their links: each is looked at once)
        tried.add(href)
        if href.startswith(("http://", "https://", "//")):  # another site's link costs no URL parsing
            host = href.split("/")[2].split("@")[-1].split(":")[0].lower().removeprefix("www.")
            if host != home_host:
                continue
        url = clean_link(href, base)
        if not url or not same_site(url, home) or url.rstrip("/") == home.rstrip("/"):
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
            url = urljoin(base, href.strip())
            if url.startswith(("http://", "https://")) and url not in feeds:
                feeds.append(url)
    return feeds
