"""Research batch benchmark: a list of prospects researched through the queue, against the ideal and
against researching them one by one.

What it does, in one run:

  1. Serves N company sites (default 200) on 127.0.0.1, one tests.fixtures.http_server.LocalServer
     each (the fetcher's host key includes the port: N hosts). Each site has 8 HTML pages (home,
     about, leadership, newsroom, a press release, careers, products, customers; about 20 KB each,
     generated from the templates of benchmarks/research.py with a seed per site and the site's own
     company name), robots.txt naming a sitemap, the sitemap, and one RSS feed announced on every page.
  2. Puts N prospects (company, website) in a temporary workspace and researches them all through
     the research queue exactly as `earned research --all` does (app.research.batch.BatchResearcher
     over app.storage.research_queue, facts saved to the workspace as they are found), with the
     crawl delay D = 1 s, max_pages = 8, the site and feeds only (news and the other API sources
     off), and C runs at a time (default 4).
  3. Researches the first K of the same sites (default 10) one by one, as `earned research --save`
     does for one company (a Researcher with its own Fetcher and ParseWorker, facts saved), and
     extrapolates that to N prospects: researching all N one by one would take over half an hour,
     so only K are measured, and the output says so.

Figures: wall time of the batch against the ideal D x pages / C (the crawl delay paid once per page,
C hosts at a time) and against D x pauses / C (every pause the fetcher must take per host: between
all its requests but the first two, robots.txt being fetched just before the home page); per-prospect
times (median, p95) in the batch and one by one; the speed-up over one by one. Politeness is checked
from the servers' own records: requests in flight at once per host (must be 1) and the shortest gap
between two requests to one host (at least D, except just after robots.txt).

Run from the repo root:  .venv/bin/python benchmarks/research_batch.py [--quick]
(--quick: 20 prospects, 3 one by one.)
"""
from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from app.research.batch import BatchResearcher, default_parsers  # noqa: E402
from app.research.fetcher import Fetcher  # noqa: E402
from app.research.pipeline import Researcher  # noqa: E402
from app.research.sources import DEFAULT_SOURCES, ResearchOptions  # noqa: E402
from app.research.worker import ParseWorker  # noqa: E402
from app.storage.database import open_store  # noqa: E402
from app.storage.repo import WorkspaceRepo  # noqa: E402
from app.storage.research_queue import ResearchQueueRepo  # noqa: E402
from benchmarks.research import CITIES, CUSTOMERS, FACTS, FLUFF, INVESTORS, MONTHS, PEOPLE  # noqa: E402
from tests.fixtures.http_server import LocalServer, Watch  # noqa: E402

DELAY = 1.0
MAX_PAGES = 8
SOURCES = {name: name in ("site", "feeds") for name in DEFAULT_SOURCES}  # news and API sources off
WORDS = ["Harbor", "Cedar", "Summit", "Blue", "North", "Iron", "Bright", "Oak", "Keller", "Ridge", "Sun", "Pine",
         "Falcon", "Granite", "Willow", "Copper", "Lake", "Maple", "Stone", "River"]
TRADES = ["Logistics", "Robotics", "Foods", "Freight", "Tools", "Software", "Analytics", "Materials", "Health",
          "Energy"]


# -- the sites ------------------------------------------------------------------------------------
class Site:
    """One company's 8-page site, deterministic for its seed."""

    PAGES = ("/", "/about", "/about/leadership", "/news", "/news/series-b", "/careers", "/products", "/customers")

    def __init__(self, seed: int):
        self.rng = random.Random(seed)
        r = self.rng
        self.company = f"{r.choice(WORDS)} {r.choice(WORDS)} {r.choice(TRADES)} {seed}"
        self.products = [f"{self.company.split()[0]} {p}" for p in ("Yard", "Gate", "Dock", "Insights")]

    def fact(self) -> str:
        r = self.rng
        city, city2 = r.sample(CITIES, 2)
        person, role = r.choice(PEOPLE)
        return r.choice(FACTS).format(
            company=self.company, city=city, city2=city2, month=r.choice(MONTHS), year=r.randint(2019, 2026),
            n=r.randint(3, 60), pct=r.randint(8, 62), big=f"{r.randint(120, 9800):,}", m=r.randint(4, 90),
            k=r.randint(2, 14), customer=r.choice(CUSTOMERS), product=r.choice(self.products),
            investor=r.choice(INVESTORS), person=person, role=role.lower())

    def paragraphs(self, n: int) -> str:
        out = []
        for _ in range(n):
            sentences = [self.fact() for _ in range(self.rng.randint(0, 2))] + self.rng.sample(FLUFF, 3)
            self.rng.shuffle(sentences)
            out.append("<p>" + " ".join(sentences) + "</p>")
        return "\n".join(out)

    def chrome(self, title: str, description: str, main: str) -> str:
        r = self.rng
        css = "".join(f".c-{i}{{margin:0 auto;padding:{r.randint(0, 48)}px;color:#{r.randrange(16 ** 6):06x}}}"
                      for i in range(250))
        script = ("<script>window.dataLayer=window.dataLayer||[];" + "".join(
            f"dataLayer.push({{event:'v{i}',page:'{title}',ts:{r.randint(10 ** 9, 10 ** 10)}}});" for i in range(40))
            + "</script>")
        nav = "".join(f"<li><a href='{p}'>{p.strip('/').replace('/', ' ').title() or 'Home'}</a></li>"
                      for p in self.PAGES)
        footer = "".join(f"<li><a href='/legal/{x}'>{x.title()}</a></li>" for x in ("privacy", "terms", "cookies"))
        return (f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>{title} | {self.company}</title>"
                f"<meta name='description' content='{description}'><meta property='og:site_name' "
                f"content='{self.company}'><link rel='alternate' type='application/rss+xml' href='/news/feed.xml'>"
                f"<style>{css}</style>{script}</head><body><header><nav><ul>{nav}</ul></nav></header>"
                f"<main>{main}</main><footer><ul>{footer}</ul><p>© 2026 {self.company}, Inc. All rights "
                f"reserved.</p></footer></body></html>")

    def routes(self, base: str) -> dict[str, tuple[str, bytes]]:
        r = self.rng
        c = self.company
        pages = {
            "/": self.chrome("Home", f"{c} builds software for mid-size warehouses.",
                             f"<h1>{c}</h1>" + self.paragraphs(10)),
            "/about": self.chrome("About us", f"The story of {c}.", "<h1>About us</h1>" + self.paragraphs(14)),
            "/about/leadership": self.chrome("Leadership", f"The people who run {c}.", "<h1>Leadership</h1>" + "".join(
                f"<h2>{n}</h2><p>{t}</p>" + self.paragraphs(4) for n, t in PEOPLE[:5])),
            "/news": self.chrome("Newsroom", f"News from {c}.", "<h1>Newsroom</h1>" + "".join(
                f"<article><time datetime='2026-{m:02d}-10'>2026-{m:02d}-10</time><h2>{self.fact()}</h2>"
                + self.paragraphs(2) + "</article>" for m in range(10, 4, -1))),
            "/news/series-b": self.chrome(
                "Series B", f"{c} raises a Series B.",
                f"<article><h1>{c} raises ${r.randint(10, 90)} million Series B</h1><time datetime='2026-10-14'>"
                f"October 14, 2026</time>" + self.paragraphs(12) + "</article>"),
            "/careers": self.chrome("Careers", f"Work at {c}.", "<h1>Careers</h1>" + self.paragraphs(8) + "<ul>"
                                    + "".join(f"<li>{t} in {r.choice(CITIES)}</li>" for t in (
                                        "Backend Engineer", "Account Executive", "Support Lead", "Data Engineer"))
                                    + "</ul>"),
            "/products": self.chrome("Products", f"What {c} makes.", "<h1>Products</h1>" + "".join(
                f"<h2>{p}</h2>" + self.paragraphs(4) for p in self.products)),
            "/customers": self.chrome("Customers", f"Who works with {c}.", "<h1>Customers</h1>" + "".join(
                f"<h2>{x}</h2><p>{self.fact()}</p>" + self.paragraphs(2) for x in CUSTOMERS[:6])),
        }
        site = {p: ("text/html; charset=utf-8", html.encode()) for p, html in pages.items()}
        items = "".join(f"<item><title>{self.fact()}</title><link>{base}/news/{i}</link><pubDate>"
                        f"Mon, {10 + i:02d} Nov 2026 09:00:00 GMT</pubDate></item>" for i in range(5))
        site["/news/feed.xml"] = ("application/rss+xml", (
            f"<?xml version='1.0'?><rss version='2.0'><channel><title>{c} news</title><link>{base}/news</link>"
            f"{items}</channel></rss>").encode())
        site["/sitemap.xml"] = ("application/xml", (
            "<?xml version='1.0'?><urlset xmlns='http://www.sitemaps.org/schemas/sitemap/0.9'>"
            + "".join(f"<url><loc>{base}{p}</loc></url>" for p in self.PAGES) + "</urlset>").encode())
        robots = f"User-agent: *\nDisallow: /admin/\nSitemap: {base}/sitemap.xml\n"
        site["/robots.txt"] = ("text/plain", robots.encode())
        return site


class Served:
    """A LocalServer with one site, counting requests in flight over each whole exchange."""

    def __init__(self, seed: int):
        self.server = LocalServer().__enter__()
        self.site = Site(seed)
        self.pages = {}
        for path, (ctype, body) in self.site.routes(self.server.base).items():
            self.server.route(path, body=body, content_type=ctype)
            self.pages[path] = len(body)
        self.server.httpd.RequestHandlerClass.disable_nagle_algorithm = True  # as real servers do
        self.watch = Watch(self.server)

    def close(self) -> None:
        self.server.__exit__(None, None, None)


# -- helpers ----------------------------------------------------------------------------------------
def p95(samples: list[float]) -> float:
    if len(samples) < 2:
        return samples[0]
    return statistics.quantiles(samples, n=100, method="inclusive")[94]


def saver(repo: WorkspaceRepo, lock: threading.Lock):
    def save(prospect_id, f):
        with lock:
            repo.add_fact(prospect_id, f.kind, f.text, f.source_url, f.source_title, f.published, f.lang,
                          f.off_site, f.score, getattr(f, "snapshot", None))
    return save


def options() -> ResearchOptions:
    return ResearchOptions(max_pages=MAX_PAGES, crawl_delay=DELAY, sources=dict(SOURCES))


# -- the two ways -----------------------------------------------------------------------------------
def run_batch(repo: WorkspaceRepo, ids: list[int], concurrency: int) -> tuple[float, dict, object]:
    queue = ResearchQueueRepo(repo.conn)
    queue.enqueue(ids)
    started: dict[int, float] = {}
    took: dict[int, float] = {}

    def on_event(pid, kind, payload):
        if kind == "started":
            started[pid] = time.perf_counter()
        elif kind == "finished":
            took[pid] = time.perf_counter() - started[pid]
            if len(took) % 25 == 0:
                print(f"   ... {len(took)} done", file=sys.stderr, flush=True)

    batch = BatchResearcher(queue, options(), saver(repo, threading.Lock()), concurrency=concurrency,
                            on_event=on_event)
    begin = time.perf_counter()
    summary = batch.run()
    return time.perf_counter() - begin, took, summary


def one_by_one(repo: WorkspaceRepo, prospects: list[tuple[int, str, str]]) -> list[tuple[float, int, int]]:
    """(seconds, facts, errors) per prospect, each researched alone as `earned research --save` does."""
    out = []
    save = saver(repo, threading.Lock())
    for pid, company, url in prospects:
        begin = time.perf_counter()
        parser = ParseWorker()
        parser.start()
        try:
            opts = options()
            opts.name, opts.url = company, url
            result = Researcher(opts, fetcher=Fetcher(crawl_delay=DELAY), parser=parser).run()
        finally:
            parser.close()
        for f in result.facts:
            save(pid, f)
        out.append((time.perf_counter() - begin, len(result.facts), len(result.errors)))
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="20 prospects, 3 one by one (a smoke test)")
    parser.add_argument("--prospects", type=int, help="prospects in the batch (default 200)")
    parser.add_argument("--alone", type=int, help="prospects researched one by one (default 10)")
    parser.add_argument("--concurrency", type=int, default=4, help="runs at a time (default 4)")
    args = parser.parse_args()
    n = args.prospects or (20 if args.quick else 200)
    k = min(n, args.alone or (3 if args.quick else 10))
    c = args.concurrency

    print(f"Python {platform.python_version()}, {os.cpu_count()} CPUs, {platform.system()}; everything on 127.0.0.1")
    served = [Served(seed) for seed in range(1, n + 1)]
    try:
        sizes = [size / 1024 for s in served for path, size in s.pages.items() if path in Site.PAGES]
        print(f"{n} sites, one LocalServer (host:port) each: {len(Site.PAGES)} HTML pages a site "
              f"({min(sizes):.0f}-{max(sizes):.0f} KB, median {statistics.median(sizes):.0f} KB), robots.txt with a "
              f"sitemap, one RSS feed")
        print(f"crawl delay D = {DELAY:g} s, max_pages = {MAX_PAGES}, sources: site and feeds (news and API sources "
              f"off); batch: {c} at a time, {default_parsers(c)} parse processes\n")

        with tempfile.TemporaryDirectory() as home:
            store = open_store(Path(home) / "earned.db")
            repo = WorkspaceRepo(store.conn)
            ids = [repo.add_prospect(s.site.company, s.server.base + "/").id for s in served]

            print(f"1. The batch: {n} prospects through the research queue ({c} at a time)", file=sys.stderr)
            wall, took, summary = run_batch(repo, ids, c)
            requests = [len(s.watch.starts) for s in served]
            pauses = sum(r - 2 for r in requests)  # none before robots.txt, none between it and the home page
            most = max(s.watch.most for s in served)
            gaps = [g for s in served for g in s.watch.gaps()]
            facts = [o.facts for o in summary.outcomes]
            states = {state: summary.count(state) for state in ("done", "failed", "cancelled")}
            pages_read = n * MAX_PAGES
            ideal_pages = DELAY * pages_read / c
            ideal_pauses = DELAY * pauses / c
            for s in served[:k]:
                s.watch.starts.clear()

            print(f"2. One by one: {k} of the same prospects", file=sys.stderr)
            prospects = [(pid, s.site.company, s.server.base + "/") for pid, s in zip(ids, served[:k])]
            alone = one_by_one(repo, prospects)
            store.conn.close()
    finally:
        for s in served:
            s.close()

    times = sorted(took.values())
    alone_times = [t for t, _, _ in alone]
    extrapolated = statistics.mean(alone_times) * n
    print(f"Batch: {n} prospects, {c} at a time")
    print(f"   outcomes: {states['done']} done, {states['failed']} failed, {states['cancelled']} cancelled; facts "
          f"{sum(facts)} (median {statistics.median(facts):.0f} a prospect); requests {sum(requests)} "
          f"({statistics.median(requests):.0f} a host: robots.txt, {MAX_PAGES} pages, sitemap, feed)")
    print(f"   politeness, from the servers' records: at most {most} request(s) in flight to one host; shortest gap "
          f"between two requests to one host {min(gaps):.3f} s (D = {DELAY:g} s; robots.txt -> home page excluded)")
    print(f"   wall time {wall:.1f} s")
    print(f"   ideal, D x pages / C = {DELAY:g} x {pages_read} / {c} = {ideal_pages:.0f} s  -> ratio "
          f"{wall / ideal_pages:.2f}x")
    print(f"   ideal, D x pauses / C = {DELAY:g} x {pauses} / {c} = {ideal_pauses:.0f} s  -> ratio "
          f"{wall / ideal_pauses:.2f}x  (every pause the fetcher owes a host: {pauses / n:.0f} a host)")
    print(f"   per prospect, start to finish: median {statistics.median(times):.1f} s, p95 {p95(times):.1f} s, "
          f"min {times[0]:.1f} s, max {times[-1]:.1f} s")
    print(f"\nOne by one (as `earned research --save`, a new Fetcher and parse process each): {k} of the {n} "
          f"measured, the rest extrapolated")
    print(f"   per prospect: median {statistics.median(alone_times):.1f} s, p95 {p95(alone_times):.1f} s; facts "
          f"median {statistics.median(f for _, f, _ in alone):.0f}, errors {sum(e for _, _, e in alone)}")
    print(f"   all {n} one by one (extrapolated: {n} x mean {statistics.mean(alone_times):.2f} s) = "
          f"{extrapolated:.0f} s")
    print(f"\nRatios: one by one / batch = {extrapolated:.0f} / {wall:.1f} = {extrapolated / wall:.2f}x "
          f"(concurrency {c}); batch per-prospect median / one-by-one median = "
          f"{statistics.median(times) / statistics.median(alone_times):.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
