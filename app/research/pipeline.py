"""A research run: the company's own site, its feeds, and the sources of the registry (news, job
boards, SEC filings), gathered as citable facts.

Headless and thread-based: the site is read page by page (politeness is per host) while the API
sources are asked in parallel, each under its own documented rules (sources/api.py). News and filings
start once the company's name is known; job boards once the site has been read (its careers pages
say which board the company uses). Progress, facts and errors are reported through one callback
as they happen, so a window can stream them; the final ResearchResult holds everything.
"""
from __future__ import annotations

import importlib
import re
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field, replace
from typing import Callable

from app.core import dates, urls
from app.core.redact import redact

from . import language, names, rank
from .discover import choose_pages, guess_feed_urls
from .errors import Cancelled, FetchError, ResearchError
from .extract import PageResult
from .facts import FoundFact
from .feeds import FeedError
from .fetcher import Fetcher, normalize_url
from .resolve import resolve_site
from .snippets import is_repeat, key
from .sources import BY_NAME, CRAWL_SOURCES, DEFAULT_SOURCES, NEWS_SOURCES, SOURCES, ResearchOptions, Source
from .sources.base import Board, SourceContext
from .sources.news_items import first_sentence
from .worker import WorkerError

__all__ = ["DEFAULT_SOURCES", "NEWS_SOURCES", "FoundFact", "ResearchOptions", "ResearchResult", "Researcher"]

MAX_FEEDS = 2
MAX_FEED_ITEMS = 8
DESCRIPTION_SCORE = 10.0  # the site's own description, when good, comes first
DEAD_SECTION = 3  # failed links of one kind (products, news...), none working, after which the rest are skipped
STRUCTURE_BELOW = 3  # a page with fewer facts than this also gets facts from its structure (structure.py)
EXTRA_TRIES = 12  # pages tried beyond max_pages when some fail (old sites link many dead pages; a 404 is cheap)


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
            # (a news item's headline is the fact's own business: the text or, once quoted, source_title)
            "facts": [{k: v for k, v in asdict(f).items() if k != "headline"} for f in self.facts],
            "errors": [asdict(e) for e in self.errors],
        }


Event = Callable[[str, object], None]  # ("progress", (source, text)) | ("fact", FoundFact) | ("error", ResearchError)


class Researcher:
    def __init__(self, options: ResearchOptions, fetcher: Fetcher | None = None, on_event: Event | None = None,
                 cancel: threading.Event | None = None, parser=None):
        """parser: a worker.ParseWorker to read pages in a child process (None: in this one)."""
        if not (options.name or "").strip() and not (options.url or "").strip():
            raise ValueError("Give a company name or a website to research.")
        self.options = options
        self.parser = parser
        self.fetcher = fetcher or Fetcher(contact=options.contact, crawl_delay=options.crawl_delay,
                                          redact=tuple(options.keys.values()), cancel=cancel,
                                          allow_private_redirects=options.allow_private_redirects)
        self.cancel = self.fetcher.cancel
        self._emit = on_event or (lambda kind, payload: None)
        self._lock = threading.Lock()
        self._seen_snippets: list = []
        self._fact_keys: set = set()
        # The site's facts wait here while no page read so far names the prospect's company; they are
        # reported once one does, or at the end, marked as from a site that never names it.
        self._held: list[FoundFact] = []
        self._site_named: bool | None = None  # None: no company name to look for
        self.result = ResearchResult(company={"name": (options.name or "").strip() or None, "website": None,
                                              "description": None})
        # News needs the company's name; given only a URL, the home page tells us.
        self._name_known = threading.Event()
        if self.result.company["name"]:
            self._name_known.set()
        # Job boards wait for the site: its careers pages say which board the company uses.
        self._site_read = threading.Event()
        self._boards: list[Board] = []
        self._job_postings: list[tuple[dict, str]] = []  # JobPosting JSON-LD, with the page it is on
        self._postings_held: list[FoundFact] = []  # their facts, while the site's job board is read
        self._articles_left = options.read_articles  # news articles still to read and quote this run
        self._news_waiting: set[str] = set()  # news sources of this run not answered yet (each is left an article)

    # -- reporting -----------------------------------------------------------------
    # Everything reported passes through redact(): an API may echo its key back (in an error, a link,
    # a title), and what is reported here reaches the window, the CLI's output, the database and logs.
    def _progress(self, source: str, text: str) -> None:
        self._emit("progress", (source, redact(text)))

    def _fact(self, fact: FoundFact) -> None:
        published = dates.day(fact.published) or fact.published  # a timestamp to its day; other text kept
        snapshot = fact.snapshot and replace(fact.snapshot, quote=redact(fact.snapshot.quote),
                                             url=redact(fact.snapshot.url))
        fact = replace(fact, text=redact(fact.text), source_url=redact(fact.source_url),
                       source_title=redact(fact.source_title), published=published,
                       headline=fact.headline and redact(fact.headline), snapshot=snapshot)
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
        if not jobs:
            self._site_read.set()
        for src in SOURCES:
            if not sources.get(src.name) or self.options.single_page:
                continue
            if src.needs_key and not self.options.keys.get(src.name):
                # Only with a saved key: not a problem (most reps have none), but the progress says why.
                self._progress(src.name, "skipped: no key saved (Settings > Research)")
                continue
            jobs.append((src.name, lambda src=src: self._api_source(src)))
            if src.group == "news":
                self._news_waiting.add(src.name)
        with ThreadPoolExecutor(max_workers=max(1, len(jobs))) as pool:
            for future in [pool.submit(self._guard, source, job) for source, job in jobs]:
                future.result()
        if self._postings_held and not any(f.kind == "hiring" for f in self.result.facts):
            for fact in self._postings_held:  # the job board gave nothing: the careers pages' own postings
                self._fact(fact)
        for notice in self.fetcher.take_notices():  # a capped crawl delay, a page read in part
            self._error(ResearchError.from_fetch("site", notice))
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
            label = BY_NAME[source].label if source in BY_NAME else dict(CRAWL_SOURCES).get(source, source)
            self._error(ResearchError(source, "", "parse-failed", (
                f"{label} failed unexpectedly ({type(e).__name__}); what the other sources found is kept. Try "
                "Research again; if it keeps failing, turn it off in Settings > Research.")))
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
                self._site_read.set()
                return
            self.options.url = found
        if self.options.single_page:
            url = normalize_url(self.options.url)
            self._progress("site", f"reading {url}")
            page = self._page(url, "page", url, snippet_limit=6)
            self._name_known.set()
            self._site_read.set()
            self._progress("site", "done" if page else "failed")
            return
        home_url = normalize_url(self.options.url)
        self.result.company["website"] = home_url
        if (self.options.name or "").strip():
            self._site_named = False
        try:
            self._read_site(home_url)
        finally:
            self._site_done()
            self._job_posting_facts()
            self._site_read.set()

    def _read_site(self, home_url: str) -> None:
        self._progress("site", "reading the home page")
        home = self._page(home_url, "home", home_url, snippet_limit=6)
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
        budget = max(0, self.options.max_pages - 1)
        # A broken link doesn't cost one of the pages asked for (the next candidate is read instead), but a
        # site of broken links can't keep the research going either.
        tries = budget + EXTRA_TRIES if budget else 0
        queue = choose_pages(candidates, 4 * tries)
        queue += [(url, "other") for url in more_pages(home.other_links, {u for u, _ in queue}, tries)]
        feeds = list(home.feeds)
        read = tried = 0
        failed: dict[str, int] = {}
        worked: set[str] = set()
        for url, category in queue:
            if read >= budget or tried >= tries:
                break
            if category != "other" and failed.get(category, 0) >= DEAD_SECTION and category not in worked:
                continue  # a section whose links all fail (a dead catalogue): give the other pages a turn
            if self.cancel.is_set():
                raise Cancelled()
            self._progress("site", f"reading page {read + 2} of up to {budget + 1}: {category}")
            tried += 1
            page = self._page(url, category, home_url)
            if page is not None:
                read += 1
                worked.add(category)
                feeds += [f for f in page.feeds if f not in feeds]
            else:
                failed[category] = failed.get(category, 0) + 1
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
            found, nested = self._parse("app.research.discover:sitemap_links", got.body, home_url, url=sitemap)
            pages += found
            for inner in nested[:2]:
                try:
                    body = self.fetcher.fetch(inner, kind="feed").body
                    pages += self._parse("app.research.discover:sitemap_links", body, home_url, url=inner)[0]
                except FetchError:
                    continue
        return pages

    def _parse(self, target: str, *args, url: str):
        """target(*args) on bytes a website sent: in the parse worker's child process when there is one,
        where a parser stuck in C code can be killed (a FetchError then) without freezing anything."""
        if self.parser is None:
            module, _, func = target.partition(":")
            return getattr(importlib.import_module(module), func)(*args)
        try:
            return self.parser.call(target, *args, url=url, cancel=self.cancel)
        except WorkerError as e:
            if e.type_name == "FeedError":  # the feed's own plain reason, as in-process
                raise FeedError(str(e).split(": ", 1)[-1]) from None
            raise

    def _page(self, url: str, category: str, home_url: str, snippet_limit: int = 5) -> PageResult | None:
        try:
            got = self.fetcher.fetch(url, kind="page")
        except FetchError as e:
            self._error(ResearchError.from_fetch("site", e))
            return None
        name = (self.options.name or "").strip() or self.result.company["name"]
        try:
            page = self._parse("app.research.extract:analyze_page", got, home_url, category, None, snippet_limit,
                               name, url=got.final_url)
        except Cancelled:
            raise
        except FetchError as e:  # the worker's: a parse that took too long, or crashed the page reader
            self._error(ResearchError.from_fetch("site", e))
            return None
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
        if self._site_named is False and page.names_company:
            self._site_named = True
        with self._lock:  # what the careers pages say about hiring: read by the job-board sources
            self._boards += [b for b in page.boards if b not in self._boards]
            self._job_postings += [(posting, page.url) for posting in page.job_postings]
        for fact in self._page_facts(page, category, title, name):
            self._site_fact(fact)
        return page

    def _page_facts(self, page: PageResult, category: str, title: str, name: str | None) -> list[FoundFact]:
        """The page's facts worth showing, each with its score, date and language."""
        meta = page.meta
        org = meta.organization or {}
        firm = names.company([name, *page.names], short_forms=True)
        single = category == "page"  # a page the rep chose: its best sentence even when it is weak
        facts: list[FoundFact] = []
        # The site's own description: first when it is good (the home page's, or the rep's page's).
        description = org.get("description") if category in ("home", "page") else None
        if not description and not meta.description_from_text:  # (a first paragraph is no description)
            description = meta.description
        text, _why = rank.description_fact(description, firm, page.lang)
        score = DESCRIPTION_SCORE
        if text and category not in ("home", "page") and not meta.js_only:
            # Another page's description is often a fragment of the page, its topic or a customer's
            # words: it counts like the page's sentences (a JavaScript-only page has nothing else).
            score = rank.score(text, firm, page.lang, "p", page.testimonials).score
            text = text if score >= rank.SHOW_AT else None
        if text:
            facts.append(FoundFact("site", text, page.url, title, None, language.detect(text, page.lang),
                                   score=score))
        for snippet in page.snippets:
            if snippet.score >= rank.SHOW_AT or single:
                facts.append(FoundFact("site", snippet.text, page.url, title, snippet.published,
                                       snippet.lang or page.lang, score=snippet.score))
        for fact_text, score in _organization_facts(meta.organization, self.result.company["name"]):
            # Sentences we write from structured data: English whatever the page's language.
            facts.append(FoundFact("site", fact_text, page.url, title, None, "en", score=score))
        for article in meta.articles[:5]:
            headline = article.get("headline")
            if headline and category in ("news", "home", "page"):
                scored = rank.score(headline, firm, language.detect(headline, page.lang), "headline")
                if scored.score >= rank.SHOW_AT or single:
                    facts.append(FoundFact("site", headline, page.url, title,
                                           dates.day(article.get("datePublished")), page.lang,
                                           score=scored.score))
        if len(facts) < STRUCTURE_BELOW:
            # A page that says little in sentences often says what the company does in its title, main
            # heading or a labelled list of its service lines: statements written from those, ranked last.
            for fact_text in page.structure[:STRUCTURE_BELOW - len(facts)]:
                facts.append(FoundFact("site", fact_text, page.url, title, None,
                                       language.detect(fact_text, page.lang), score=rank.STRUCTURE_SCORE))
        return facts

    def _site_fact(self, fact: FoundFact) -> None:
        """Report a site fact unless it repeats one already found; hold it while the site hasn't named
        the prospect's company yet."""
        text_key = key(fact.text)
        if is_repeat(text_key, self._seen_snippets):
            return
        self._seen_snippets.append(text_key)
        if self._site_named is False:
            self._held.append(fact)
            return
        self._release_held()
        self._fact(fact)

    def _release_held(self, off_site: bool = False) -> None:
        held, self._held = self._held, []
        for fact in held:
            self._fact(replace(fact, off_site=off_site))

    def _site_done(self) -> None:
        """After the site (or on Cancel): say plainly when it never named the company, keep its facts
        apart, and order the site's facts by usefulness and date."""
        if self._site_named is False and self.result.pages:
            name = self.options.name.strip()
            host = urls.host(self.result.company["website"] or "") or "this site"
            read = "The pages read so far" if self.cancel.is_set() else f"This site ({host})"
            self._error(ResearchError("site", self.result.company["website"] or "", "wrong-site",
                                      f"{read} does not mention {name}: check that it is {name}'s website. "
                                      "Its facts are kept apart, after the others."))
        self._release_held(off_site=self._site_named is False)
        with self._lock:
            facts = self.result.facts
            places = [i for i, f in enumerate(facts) if f.kind == "site"]
            ordered = sorted((facts[i] for i in places), key=_usefulness)
            for i, fact in zip(places, ordered):
                facts[i] = fact

    def _job_posting_facts(self) -> None:
        """Openings the careers pages describe in JobPosting JSON-LD (the job boards come after)."""
        from .sources.hiring import jobposting_facts

        with self._lock:
            postings = list(self._job_postings)
        if not postings:
            return
        # One listing for the whole site: a site that puts each opening on its own page must not give a
        # "lists one open role" fact per page. Each role cites its own page; the summary the page with most.
        pages = [url for _, url in postings]
        listing = max(dict.fromkeys(pages), key=pages.count)
        merged = [{**p, "url": p.get("url") or url} if isinstance(p, dict) else p for p, url in postings]
        facts = [replace(fact, off_site=self._site_named is False)  # (a site not the company's: apart)
                 for fact in jobposting_facts(merged, self.result.company["name"] or "", listing)]
        sources = {**DEFAULT_SOURCES, **self.options.sources}
        with self._lock:
            boards = [b for b in self._boards if sources.get(b.ats)]
        if boards:
            # The job board the page uses is read next and says the same better (every role, by team):
            # these are shown only if it gives nothing, so the rep never sees two counts of one list.
            self._postings_held = facts
            return
        for fact in facts:
            self._fact(fact)

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
                feed = self._parse("app.research.feeds:parse_feed", got.body, got.charset, got.content_type,
                                   got.final_url, url=got.final_url)
            except FetchError as e:
                if url in announced:  # a guessed path that isn't there is not news
                    self._error(ResearchError.from_fetch("feed", e))
                continue
            except FeedError as e:
                self._error(ResearchError("feed", url, "parse-failed", f"{url} is not a readable feed ({e})."))
                continue
            read += 1
            for item in feed.items[:MAX_FEED_ITEMS]:
                text = item.title if not item.summary else f"{item.title}: {first_sentence(item.summary)}"
                self._fact(FoundFact("feed", text.strip(": "), item.link or got.final_url,
                                     feed.title or got.final_url, item.published, score=rank.recency(item.published)))
        self._progress("feed", f"done: {read} feed(s)" if read else "no feed found")

    def _feed_guesses(self, home_url: str) -> list[str]:
        """The usual feed paths; /blog/feed and /news/feed only when the site has a blog or news section."""
        sections = {p["url"].rstrip("/").rsplit("/", 1)[-1] for p in self.result.pages}
        guesses = guess_feed_urls(home_url)
        return [g for g in guesses if not g.endswith(("/blog/feed", "/news/feed"))
                or g.rsplit("/", 2)[-2] in sections][:6]

    # -- the registry's sources (news, job boards, filings) ---------------------------------
    def _api_source(self, src: Source) -> None:
        if src.group != "news":
            return self._ask_source(src)
        try:
            self._ask_source(src)
        finally:
            with self._lock:
                self._news_waiting.discard(src.name)  # (one that failed leaves its share to the others)

    def _ask_source(self, src: Source) -> None:
        wait_for = self._site_read if src.group == "hiring" else self._name_known
        self._progress(src.name, "waiting for the site" if src.group == "hiring" else "waiting for the company's name")
        while not wait_for.wait(0.1):
            if self.cancel.is_set():
                raise Cancelled()
        name = self.result.company["name"]
        if not name:
            self._error(ResearchError(src.name, "", "needs-setting",
                                      f"{src.label} needs the company's name; add it to the prospect."))
            return
        with self._lock:
            boards = [b for b in self._boards if b.ats == src.name]
        if src.group == "hiring" and not boards:
            self._progress(src.name, "no such job board on the site")
            return
        self._progress(src.name, "searching")
        ctx = SourceContext(src, self.fetcher, name, self.result.company["website"], self.options.keys.get(src.name, ""),
                            self.options.endpoints, self.options.contact, boards,
                            progress=lambda text: self._progress(src.name, text), parser=self.parser,
                            problem=lambda e: self._error(ResearchError.from_fetch(src.name, e)))
        found = src.load().fetch(ctx)
        if src.group == "news":
            found = self._quote_articles(src, found, name)
        elif src.group == "hiring" and self._site_named is False:
            # The board a site that never names the prospect links to is that site's, maybe not the prospect's.
            found = [replace(f, off_site=True) for f in found]
        for fact in found:
            self._fact(fact)
        self._progress(src.name, f"done: {len(found)} fact(s)")

    def _quote_articles(self, src: Source, found: list[FoundFact], name: str) -> list[FoundFact]:
        """The freshest items of the run (options.read_articles in all, across the news sources): the
        article itself, read like a website, so the fact quotes what happened (and keeps a snapshot);
        the headline when the article can't be read or doesn't say. A source takes its share when it
        answers, leaving one article for each news source not answered yet, so a quick source can't take
        them all."""
        from .articles import quoted_fact

        out = list(found)
        with self._lock:
            self._news_waiting.discard(src.name)
            mine = max(0, min(len(out), self._articles_left - len(self._news_waiting)))
            self._articles_left -= mine
        for i in sorted(range(len(out)), key=lambda i: -(out[i].score or 0))[:mine]:
            self._progress(src.name, f"reading the article: {out[i].headline or out[i].text}")
            quoted = quoted_fact(self.fetcher, self.parser, out[i], name)
            if quoted is not None:
                out[i] = quoted
        return out


def _redacted(text: str | None) -> str | None:
    return redact(text) if isinstance(text, str) else text


# Pages of no category that are still worth a look when the site has few about/news/careers/products
# pages (small sites link "History", "Our Store", "Contact"), and pages never worth it (small print,
# accounts, carts, search).
_WORTH_A_LOOK = re.compile(r"histor|profile|overview|story|who|info|company|welcome|mission|values|location|office"
                           r"|contact|find-?us|visit", re.IGNORECASE)
_NEVER = re.compile(r"privacy|terms|legal|disclaim|cookie|shipping|delivery|return|refund|faq|sitemap|log-?in|sign-?in"
                    r"|register|account|cart|basket|checkout|search|print|rss|feed|subscribe|password|wishlist|compare"
                    r"|testimonial|testemonial|review|policy|policies|copyright|accessib", re.IGNORECASE)


_HOME_AGAIN = re.compile(r"^/*(?:index|default|home)(?:\.\w+)?/?$", re.IGNORECASE)  # "/index.html" is the home page


def more_pages(links: tuple[str, ...], chosen: set[str], room: int) -> list[str]:
    """Up to room more pages from links of no category: likely about-the-company pages first,
    then the rest in page order; never small print, accounts or carts."""
    if room <= 0:
        return []
    parts = {u: urls.split(u) for u in links}
    usable = [u for u in links if u not in chosen and parts[u] and not _NEVER.search(parts[u].path + parts[u].query)
              and not _HOME_AGAIN.match(parts[u].path)]
    usable.sort(key=lambda u: (not _WORTH_A_LOOK.search(parts[u].path), parts[u].path.count("/")))
    return usable[:room]


def _usefulness(fact: FoundFact) -> tuple:
    """Sort key of site facts: on-site first; then by score (in whole points); then dated facts,
    newest first (an ISO date's characters, negated, sort the later date first); then the rest."""
    newest_first = tuple(-ord(c) for c in fact.published or "")
    # (Below SHOW_AT and still shown: a statement written from the page's structure, after the page's own.)
    return (fact.off_site, -round(fact.score or 0.0), (fact.score or 0.0) < rank.SHOW_AT, not fact.published,
            newest_first)


def _organization_facts(org: dict | None, name: str | None) -> list[tuple[str, float]]:
    """Plain sentences from the site's own JSON-LD Organization data, with their scores."""
    if not org:
        return []
    who = org.get("name") or name or "The company"
    org = {k: str(v).strip().rstrip(".") if isinstance(v, str) else v for k, v in org.items()}
    out = []
    if org.get("foundingDate"):
        founded = str(org["foundingDate"])
        out.append((f"{who} was founded in {dates.day(founded) or founded}.", 7.0))
    if org.get("numberOfEmployees"):
        out.append((f"{who} has about {org['numberOfEmployees']} employees.", 7.0))
    if org.get("address"):
        # Where it is, not the street address (a bare address is contact data, not a fact).
        parts = [p for p in org["address"].split(", ") if p]
        if len(parts) > 1 and parts[0][:1].isdigit():
            parts = parts[1:]
        out.append((f"{who} is based in {', '.join(parts)}.", 5.0))
    return out
