"""A research run: the company's own site, its feeds and the news, gathered as citable facts.

Headless and thread-based: the site is read page by page (politeness is per host) while news
sources are asked in parallel. Progress, facts and errors are reported through one callback
as they happen, so a window can stream them; the final ResearchResult holds everything.
"""
from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from typing import Callable

from app.core.redact import redact

from . import news
from .discover import choose_pages, guess_feed_urls, sitemap_links
from .errors import Cancelled, FetchError, ResearchError
from .extract import PageResult, analyze_page
from .feeds import FeedError, parse_feed
from .fetcher import Fetcher, normalize_url
from .resolve import resolve_site
from .sources import DEFAULT_SOURCES, NEWS_SOURCES, ResearchOptions

__all__ = ["DEFAULT_SOURCES", "NEWS_SOURCES", "FoundFact", "ResearchOptions", "ResearchResult", "Researcher"]

MAX_FEEDS = 2
MAX_FEED_ITEMS = 8
MAX_NEWS_ITEMS = 10


@dataclass(frozen=True)
class FoundFact:
    kind: str  # site | feed | news
    text: str
    source_url: str
    source_title: str
    published: str | None


@dataclass
class ResearchResult:
    company: dict
    pages: list[dict] = field(default_factory=list)
    facts: list[FoundFact] = field(default_factory=list)
    errors: list[ResearchError] = field(default_factory=list)
    cancelled: bool = False

    def to_json(self) -> dict:
        return {
            "company": self.company,
            "pages": self.pages,
            "facts": [asdict(f) for f in self.facts],
            "errors": [asdict(e) for e in self.errors],
        }


Event = Callable[[str, object], None]  # ("progress", (source, text)) | ("fact", FoundFact) | ("error", ResearchError)


class Researcher:
    def __init__(self, options: ResearchOptions, fetcher: Fetcher | None = None, on_event: Event | None = None,
                 cancel: threading.Event | None = None):
        if not (options.name or "").strip() and not (options.url or "").strip():
            raise ValueError("Give a company name or a website to research.")
        self.options = options
        self.fetcher = fetcher or Fetcher(contact=options.contact, crawl_delay=options.crawl_delay,
                                          redact=tuple(options.keys.values()), cancel=cancel)
        self.cancel = self.fetcher.cancel
        self._emit = on_event or (lambda kind, payload: None)
        self._lock = threading.Lock()
        self._seen_snippets: list = []
        self._fact_keys: set = set()
        self.result = ResearchResult(company={"name": (options.name or "").strip() or None, "website": None,
                                              "description": None})
        # News needs the company's name; given only a URL, the home page tells us.
        self._name_known = threading.Event()
        if self.result.company["name"]:
            self._name_known.set()

    # -- reporting -----------------------------------------------------------------
    # Everything reported passes through redact(): an API may echo its key back (in an error, a link,
    # a title), and what is reported here reaches the window, the CLI's output, the database and logs.
    def _progress(self, source: str, text: str) -> None:
        self._emit("progress", (source, redact(text)))

    def _fact(self, fact: FoundFact) -> None:
        published = fact.published
        if published and len(published) > 10 and published[4:5] == "-":
            published = published[:10]
        fact = FoundFact(fact.kind, redact(fact.text), redact(fact.source_url), redact(fact.source_title),
                         published)
        key = (fact.kind, " ".join(fact.text.lower().split()))
        with self._lock:
            if key in self._fact_keys or not fact.text.strip():
                return
            self._fact_keys.add(key)
            self.result.facts.append(fact)
        self._emit("fact", fact)

    def _error(self, error: ResearchError) -> None:
        error = ResearchError(error.source, redact(error.url), error.kind, redact(error.message))
        with self._lock:
            self.result.errors.append(error)
        self._emit("error", error)

    # -- the run -------------------------------------------------------------------
    def run(self) -> ResearchResult:
        """Gather everything; per-source failures are listed, never raised. Cancel keeps what was found."""
        sources = {**DEFAULT_SOURCES, **self.options.sources}
        jobs: list[tuple[str, Callable[[], None]]] = []
        if sources.get("site") and (self.options.url or self.result.company["name"]):
            jobs.append(("site", self._site))
        else:
            self._name_known.set()
        for source in NEWS_SOURCES:
            if not sources.get(source) or self.options.single_page:
                continue
            if source in ("newsapi", "gnews") and not self.options.keys.get(source):
                continue  # only with a saved key
            jobs.append((source, lambda s=source: self._news(s)))
        with ThreadPoolExecutor(max_workers=max(1, len(jobs))) as pool:
            for future in [pool.submit(self._guard, source, job) for source, job in jobs]:
                future.result()
        self.result.cancelled = self.cancel.is_set()
        company = self.result.company
        company.update({k: _redacted(v) for k, v in company.items()})
        return self.result

    def _guard(self, source: str, job: Callable[[], None]) -> None:
        try:
            job()
        except Cancelled:
            self._progress(source, "cancelled")
        except FetchError as e:
            self._error(ResearchError.from_fetch(source, e))
            self._progress(source, "failed")
        except Exception as e:  # noqa: BLE001 - one broken source must not lose the others' facts
            self._error(ResearchError(source, "", "parse-failed", f"{source} failed unexpectedly ({type(e).__name__})."))
            self._progress(source, "failed")

    # -- the company's own site ----------------------------------------------------------
    def _site(self) -> None:
        if not self.options.url:
            self._progress("site", "looking for the company's website")
            found = resolve_site(self.fetcher, self.result.company["name"], self.options.site_candidates)
            if found is None:
                self._error(ResearchError("site", "", "invalid-url",
                                          "Couldn't find the company's website from its name: add it to the "
                                          "prospect to research its own pages."))
                self._progress("site", "no website")
                return
            self.options.url = found
        if self.options.single_page:
            url = normalize_url(self.options.url)
            self._progress("site", f"reading {url}")
            page = self._page(url, "page", url, snippet_limit=6)
            self._name_known.set()
            self._progress("site", "done" if page else "failed")
            return
        home_url = normalize_url(self.options.url)
        self.result.company["website"] = home_url
        self._progress("site", "reading the home page")
        home = self._page(home_url, "home", home_url, snippet_limit=4)
        if home is None:
            self._name_known.set()  # news goes on with whatever name we have (maybe none)
            self._progress("site", "failed")
            return
        home_url = home.url  # after redirects (http -> https, www.)
        self.result.company["website"] = home_url
        org = home.meta.organization or {}
        if not self.result.company["name"]:
            self.result.company["name"] = org.get("name") or home.meta.site_name or home.meta.title
        self._name_known.set()
        self.result.company["description"] = org.get("description") or home.meta.description

        candidates = list(home.links) + self._sitemap_candidates(home_url)
        chosen = choose_pages(candidates, max(0, self.options.max_pages - 1))
        feeds = list(home.feeds)
        for i, (url, category) in enumerate(chosen, 1):
            if self.cancel.is_set():
                raise Cancelled()
            self._progress("site", f"reading page {i + 1} of {len(chosen) + 1}: {category}")
            page = self._page(url, category, home_url)
            if page is not None:
                feeds += [f for f in page.feeds if f not in feeds]
        self._progress("site", f"done: {len(self.result.pages)} page(s)")
        self._feeds(feeds, home_url)

    def _sitemap_candidates(self, home_url: str) -> list[tuple[str, str]]:
        try:
            maps = self.fetcher.sitemaps(home_url) or [home_url.rstrip("/") + "/sitemap.xml"]
        except FetchError:
            return []
        pages: list[tuple[str, str]] = []
        for sitemap in maps[:2]:
            try:
                got = self.fetcher.fetch(sitemap, kind="feed")
            except FetchError:
                continue  # a missing sitemap is normal; not worth an error line
            found, nested = sitemap_links(got.body, home_url)
            pages += found
            for inner in nested[:2]:
                try:
                    pages += sitemap_links(self.fetcher.fetch(inner, kind="feed").body, home_url)[0]
                except FetchError:
                    continue
        return pages

    def _page(self, url: str, category: str, home_url: str, snippet_limit: int = 5) -> PageResult | None:
        try:
            got = self.fetcher.fetch(url, kind="page")
        except FetchError as e:
            self._error(ResearchError.from_fetch("site", e))
            return None
        try:
            page = analyze_page(got, home_url, category, self._seen_snippets, snippet_limit)
        except Exception as e:  # noqa: BLE001 - a page our parsers choke on is one error, not a crash
            self._error(ResearchError("site", got.final_url, "parse-failed",
                                      f"{got.final_url} could not be read ({type(e).__name__})."))
            return None
        meta = page.meta
        title = meta.title or meta.site_name or page.url
        self.result.pages.append({"url": redact(page.url), "title": _redacted(meta.title),
                                  "site_name": _redacted(meta.site_name), "published": page.published,
                                  "description": _redacted(meta.description)})
        if meta.js_only:
            self._error(ResearchError("site", page.url, "js-only",
                                      f"{page.url} needs JavaScript to show its text; only its metadata was used."))
        for snippet in page.snippets:
            self._fact(FoundFact("site", snippet.text, page.url, title, page.published))
        for fact_text in _organization_facts(meta.organization, self.result.company["name"]):
            self._fact(FoundFact("site", fact_text, page.url, title, None))
        for article in meta.articles[:5]:
            if article.get("headline") and category in ("news", "home"):
                self._fact(FoundFact("site", article["headline"], page.url, title,
                                     (article.get("datePublished") or "")[:10] or None))
        if not page.snippets and meta.description:  # a page with no citable sentence still says what it is
            self._fact(FoundFact("site", meta.description, page.url, title, page.published))
        return page

    # -- feeds ---------------------------------------------------------------------
    def _feeds(self, announced: list[str], home_url: str) -> None:
        if not {**DEFAULT_SOURCES, **self.options.sources}.get("feeds"):
            return
        self._progress("feed", "looking for feeds")
        candidates = announced[:MAX_FEEDS] or self._feed_guesses(home_url)
        read = 0
        for url in candidates:
            if read >= MAX_FEEDS or self.cancel.is_set():
                break
            try:
                got = self.fetcher.fetch(url, kind="feed")
                feed = parse_feed(got.body, got.charset, got.content_type)
            except FetchError as e:
                if url in announced:  # a guessed path that isn't there is not news
                    self._error(ResearchError.from_fetch("feed", e))
                continue
            except FeedError as e:
                self._error(ResearchError("feed", url, "parse-failed", f"{url} is not a readable feed ({e})."))
                continue
            read += 1
            for item in feed.items[:MAX_FEED_ITEMS]:
                text = item.title if not item.summary else f"{item.title}: {_first_sentence(item.summary)}"
                self._fact(FoundFact("feed", text.strip(": "), item.link or got.final_url,
                                     feed.title or got.final_url, item.published))
        self._progress("feed", f"done: {read} feed(s)" if read else "no feed found")

    def _feed_guesses(self, home_url: str) -> list[str]:
        """The usual feed paths; /blog/feed and /news/feed only when the site has a blog or news section."""
        sections = {p["url"].rstrip("/").rsplit("/", 1)[-1] for p in self.result.pages}
        guesses = guess_feed_urls(home_url)
        return [g for g in guesses if not g.endswith(("/blog/feed", "/news/feed"))
                or g.rsplit("/", 2)[-2] in sections][:6]

    # -- news ----------------------------------------------------------------------
    def _news(self, source: str) -> None:
        self._progress(source, "waiting for the company's name")
        while not self._name_known.wait(0.1):
            if self.cancel.is_set():
                raise Cancelled()
        name = self.result.company["name"]
        if not name:
            self._error(ResearchError(source, "", "invalid-url", "News search needs the company's name; add it."))
            return
        self._progress(source, "searching")
        opts = self.options
        if source == "gdelt":
            items = news.gdelt(self.fetcher, name, opts.endpoints)
        elif source == "newsapi":
            items = news.newsapi(self.fetcher, name, opts.keys["newsapi"], opts.endpoints)
        elif source == "gnews":
            items = news.gnews(self.fetcher, name, opts.keys["gnews"], opts.endpoints)
        else:
            items = news.google_news(self.fetcher, name, opts.endpoints)
        for item in items[:MAX_NEWS_ITEMS]:
            text = item.title if not item.description else f"{item.title}: {_first_sentence(item.description)}"
            self._fact(FoundFact("news", text, item.url, item.source, item.published))
        self._progress(source, f"done: {min(len(items), MAX_NEWS_ITEMS)} article(s)")


def _redacted(text: str | None) -> str | None:
    return redact(text) if isinstance(text, str) else text


def _first_sentence(text: str, limit: int = 240) -> str:
    text = " ".join(text.split())
    for end in (". ", "! ", "? "):
        i = text.find(end)
        if 0 < i < limit:
            return text[: i + 1]
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + "…"


def _organization_facts(org: dict | None, name: str | None) -> list[str]:
    """Plain sentences from the site's own JSON-LD Organization data."""
    if not org:
        return []
    who = org.get("name") or name or "The company"
    org = {k: str(v).strip().rstrip(".") if isinstance(v, str) else v for k, v in org.items()}
    out = []
    if org.get("foundingDate"):
        out.append(f"{who} was founded in {str(org['foundingDate'])[:10]}.")
    if org.get("numberOfEmployees"):
        out.append(f"{who} has about {org['numberOfEmployees']} employees.")
    if org.get("address"):
        out.append(f"{who} is based at {org['address']}.")
    return out
