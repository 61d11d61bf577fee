"""One fetched page, taken apart: metadata, main text, date, snippets, links and feeds."""
from __future__ import annotations

import codecs
import re
import warnings
from dataclasses import dataclass

import trafilatura

from .discover import feed_links, page_links
from .fetcher import Fetched
from .metadata import PageMeta, extract_metadata, parse_html
from .snippets import Snippet, best_snippets

_META_CHARSET_RE = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.IGNORECASE)
_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


def _known(encoding: str | None) -> str | None:
    if not encoding:
        return None
    try:
        name = codecs.lookup(encoding).name
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


@dataclass(frozen=True)
class PageResult:
    url: str  # the final URL: what facts cite
    category: str  # home, about, news, careers, products
    meta: PageMeta
    published: str | None
    text: str
    snippets: tuple[Snippet, ...]
    links: tuple[tuple[str, str], ...]
    feeds: tuple[str, ...]


def main_text(html: str, url: str) -> str:
    """The page's own content (not navigation, footer or cookie banners), favouring precision."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        # deduplicate stays off: trafilatura's de-duplication remembers text across calls in a
        # process-wide cache, so researching a company twice would lose its paragraphs.
        text = trafilatura.extract(html, url=url, favor_precision=True, include_comments=False,
                                   include_tables=False, deduplicate=False, with_metadata=False)
    return text or ""


def page_date(html: str, meta: PageMeta) -> str | None:
    if meta.published:
        return meta.published
    from htmldate import find_date  # imported late: it is only needed when the page gives no date

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return find_date(html, extensive_search=False, original_date=True)
        except Exception:  # noqa: BLE001 - a date is a bonus; a broken page must not lose its facts
            return None


def analyze_page(fetched: Fetched, home: str, category: str, seen: list | None = None,
                 snippet_limit: int = 5) -> PageResult:
    html, encoding = decode_html(fetched.body, fetched.charset)
    url = fetched.final_url
    soup = parse_html(fetched.body, encoding=encoding)
    links = tuple(page_links(soup, url, home))
    feeds = tuple(feed_links(soup, url))
    meta = extract_metadata(None, url, soup=soup)
    text = "" if meta.js_only else main_text(html, url)
    snippets = tuple(best_snippets(text, snippet_limit, seen)) if text else ()
    published = page_date(html, meta)
    return PageResult(url, category, meta, published, text, snippets, links, feeds)
