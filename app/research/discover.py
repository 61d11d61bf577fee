"""Which pages of a company's site to read, and where its feeds are.

From the home page's own links and the sitemap: about/company, press/newsroom/news/blog,
careers/jobs, products/solutions. Only pages of the same site, never more than asked.
"""
from __future__ import annotations

import re

from bs4 import BeautifulSoup

from app.core import urls

CATEGORIES = {
    "about": ("about", "about-us", "company", "who-we-are", "our-story", "mission", "team", "leadership"),
    "news": ("press", "newsroom", "news", "blog", "media", "stories", "press-releases", "announcements", "insights"),
    "careers": ("careers", "jobs", "join-us", "work-with-us", "hiring", "join"),
    "products": ("products", "product", "solutions", "platform", "services", "customers", "case-studies",
                 "industries", "pricing"),
}
# The order pages are read in when there is room for only a few.
CATEGORY_ORDER = ("about", "news", "careers", "products")
FEED_PATHS = ("/feed", "/rss", "/blog/feed", "/news/feed", "/feed.xml", "/rss.xml", "/atom.xml", "/index.xml")
FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/feed+json", "application/json",
              "application/rdf+xml", "text/xml", "application/xml")
_SKIP_EXT = re.compile(r"\.(?:pdf|jpe?g|png|gif|svg|webp|zip|gz|mp4|mp3|docx?|xlsx?|pptx?|ics|css|js)$", re.I)
# A <loc> runs to the next "<": the scan is linear however many <loc>s are left unclosed
# (".*?</loc>" rescans the rest of the file from every one of them).
_LOC = re.compile(rb"<loc>([^<]{0,4096})</loc>")
MAX_SITEMAP_LOCS = 5_000  # enough to find an about or careers page; each costs a little Python
MAX_PAGE_LINKS = 5_000  # the links worth reading are in a page's navigation, near its top


def clean_link(href: str, base: str) -> str | None:
    href = (href or "").strip()
    if not href or href.startswith(("#", "mailto:", "tel:", "javascript:", "data:")):
        return None
    url = urls.absolute(href, base)
    if not url or _SKIP_EXT.search(urls.path(url)):
        return None
    return urls.page_address(url)


def categorize(url: str, text: str = "") -> str | None:
    """The category a link belongs to, from its path segments or its anchor text."""
    segments = [s.lower() for s in urls.path(url).split("/") if s]
    words = set(re.findall(r"[a-z-]+", text.lower()))
    for category in CATEGORY_ORDER:
        names = CATEGORIES[category]
        if any(seg in names for seg in segments[:2]) or (len(words) <= 3 and words & set(names)):
            return category
    return None


def page_links(soup: BeautifulSoup, base: str, home: str) -> list[tuple[str, str]]:
    """(url, category) of same-site links worth reading, in page order, without repeats."""
    found: dict[str, str] = {}
    for a in soup.find_all("a", href=True, limit=MAX_PAGE_LINKS):
        url = clean_link(a["href"], base)
        if not url or not urls.same_site(url, home) or url.rstrip("/") == home.rstrip("/"):
            continue
        category = categorize(url, a.get_text(" ", strip=True))
        if category and url not in found:
            found[url] = category
    return list(found.items())


def sitemap_links(xml: bytes, home: str) -> tuple[list[tuple[str, str]], list[str]]:
    """(pages worth reading, nested sitemaps) from a sitemap or sitemap index."""
    pages, nested = [], []
    for i, match in enumerate(_LOC.finditer(xml or b"")):
        if i >= MAX_SITEMAP_LOCS:
            break
        loc = match.group(1).decode("utf-8", "replace").strip().replace("&amp;", "&")
        if not urls.is_web_url(loc) or not urls.same_site(loc, home):
            continue
        if loc.lower().endswith((".xml", ".xml.gz")):
            nested.append(loc)
            continue
        category = categorize(loc)
        if category:
            pages.append((loc, category))
    return pages, nested


def choose_pages(candidates: list[tuple[str, str]], limit: int) -> list[tuple[str, str]]:
    """Up to limit pages, spread over the categories (an about page, a news page, careers...),
    shallow URLs first: /about before /about/board/2019."""
    by_category: dict[str, list[str]] = {c: [] for c in CATEGORY_ORDER}
    for url, category in candidates:
        if url not in by_category[category]:
            by_category[category].append(url)
    for found in by_category.values():
        found.sort(key=lambda u: (len([s for s in urls.path(u).split("/") if s]), len(u)))
    chosen: list[tuple[str, str]] = []
    while len(chosen) < limit and any(by_category.values()):
        for category in CATEGORY_ORDER:
            if by_category[category] and len(chosen) < limit:
                chosen.append((by_category[category].pop(0), category))
    return chosen


def feed_links(soup: BeautifulSoup, base: str) -> list[str]:
    """Feeds the page announces with <link rel="alternate">."""
    feeds = []
    for link in soup.find_all("link", href=True, limit=MAX_PAGE_LINKS):
        rel = " ".join(link.get("rel") or []).lower()
        kind = (link.get("type") or "").lower()
        if "alternate" in rel and kind in FEED_TYPES:
            url = urls.absolute(link["href"], base)
            if url and url not in feeds:
                feeds.append(url)
    return feeds


def guess_feed_urls(home: str) -> list[str]:
    return [urls.origin(home) + path for path in FEED_PATHS]
