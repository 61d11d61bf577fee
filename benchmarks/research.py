"""Research benchmark: page extraction, and a whole research run against its bare fetch time.

Three parts, in one run:

  1. `analyze_page` (decode, parse, links, metadata, main text, snippets, date) on each of the ten
     real pages of the dev corpus (`/work/shared/corpus/dev/*/source.html`, read-only): one
     warm-up, then several timed calls per page. Median and p95 per page, facts (snippets) found,
     the median over pages and pages/s. A second table times the stages of analyze_page separately
     (the same calls, in the same order) to show where the time goes.
  2. A whole research run (`Researcher.run()`, news sources off, site and feeds on, max_pages=10)
     against a company site served on 127.0.0.1 by tests.fixtures.http_server.LocalServer: a home
     page linking to nine pages (about, leadership, newsroom, a press release, a blog post, careers,
     a job posting, products, customers) of 20-60 KB each, generated from templates with a seeded
     random generator (realistic chrome: inline CSS, scripts, a mega-menu, a footer with inline
     SVG icons), robots.txt naming a sitemap, and one RSS feed announced with
     <link rel="alternate" type="application/rss+xml">. Timed with the fetcher's crawl delay D = 0
     (the main measurement) and, fewer times, with the default D = 1.0 s.
  3. The bare fetch of the same URLs: a plain requests.Session GET, in order, of exactly the
     paths the research run requested (taken from the server's log: robots.txt, the pages, the
     sitemap, the feed), one new Session per repetition. Research runs (A) and bare fetches (B)
     are interleaved A, B, A, B ... in the same process, after one uncounted warm-up of each.

The target (from the issue): the whole run costs at most 1.5x the bare fetch plus the crawl
delays, where the crawl delays are D x (requests to the host - 1). For D = 0 that is just
whole / bare. The crawl delay overlaps the extraction (the fetcher starts the pause when a
response has been read, and the page is analysed during the pause), so with D = 1.0 the ratio
mostly measures how little work is left outside the pauses.

After the timed runs, a few uncounted instrumented runs (module functions wrapped with
perf_counter, as benchmarks/checklist.py does) split a D = 0 run into fetching, page analysis
and feed parsing.

Run from the repo root:  .venv/bin/python benchmarks/research.py [--quick]
(--quick: 2 timed calls per corpus page, 3 interleaved runs at D = 0, 1 run at D = 1.0.)
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import sys
import time
from importlib.metadata import version as pkg_version
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import requests  # noqa: E402

from app.research import extract as extract_mod  # noqa: E402
from app.research import feeds as feeds_mod  # noqa: E402
from app.research.discover import feed_links, page_links  # noqa: E402
from app.research.extract import analyze_page, decode_html, main_text, page_date  # noqa: E402
from app.research.fetcher import Fetched, Fetcher  # noqa: E402
from app.research.metadata import extract_metadata, parse_html  # noqa: E402
from app.research.pipeline import ResearchOptions, Researcher  # noqa: E402
from app.research.sources import SOURCES as REGISTRY  # noqa: E402
from app.research.snippets import best_snippets  # noqa: E402
from tests.fixtures.http_server import LocalServer  # noqa: E402

CORPUS = Path("/work/shared/corpus/dev")
# The company's own site and feeds only: every source of the registry (news, job boards, filings) off.
SOURCES = {"site": True, "feeds": True, **{src.name: False for src in REGISTRY}}
MAX_PAGES = 10
DEFAULT_DELAY = 1.0  # ResearchOptions / Fetcher default
TARGET_RATIO = 1.5


# -- helpers ---------------------------------------------------------------------------------
def p95(samples: list[float]) -> float:
    if len(samples) < 2:
        return samples[0]
    return statistics.quantiles(samples, n=100, method="inclusive")[94]


def summary(samples: list[float]) -> tuple[float, float]:
    return statistics.median(samples), p95(samples)


def clock_ms(fn, *args, **kwargs):
    start = time.perf_counter()
    out = fn(*args, **kwargs)
    return (time.perf_counter() - start) * 1000, out


# -- part 1: extraction on the dev corpus ----------------------------------------------------
def corpus_pages() -> list[tuple[str, bytes]]:
    if not CORPUS.is_dir():
        return []
    return [(p.parent.name, p.read_bytes()) for p in sorted(CORPUS.glob("*/source.html"))]


def fetched_for(name: str, body: bytes) -> tuple[str, Fetched]:
    url = f"https://{name}.example/"
    return url, Fetched(url, url, 200, "text/html", None, body)


STAGES = ("decode+parse", "links+feeds", "metadata", "main_text", "snippets", "date")


def stage_times(fetched: Fetched, home: str) -> dict[str, float]:
    """analyze_page's steps, timed one by one (the same calls in the same order)."""
    t = {}
    start = time.perf_counter()
    html, encoding = decode_html(fetched.body, fetched.charset)
    soup = parse_html(fetched.body, encoding=encoding)
    t["decode+parse"] = time.perf_counter()
    url = fetched.final_url
    page_links(soup, url, home)
    feed_links(soup, url)
    t["links+feeds"] = time.perf_counter()
    meta = extract_metadata(None, url, soup=soup)
    t["metadata"] = time.perf_counter()
    text = "" if meta.js_only else main_text(html, url)
    t["main_text"] = time.perf_counter()
    if text:
        best_snippets(text, 5, None)
    t["snippets"] = time.perf_counter()
    page_date(html, meta)
    t["date"] = time.perf_counter()
    out, prev = {}, start
    for stage in STAGES:
        out[stage] = (t[stage] - prev) * 1000
        prev = t[stage]
    return out


def extraction(reps: int) -> None:
    pages = corpus_pages()
    if not pages:
        print(f"Part 1 skipped: the dev corpus is missing ({CORPUS}/*/source.html not found).\n")
        return
    print(f"1. analyze_page on the dev corpus ({len(pages)} pages, category 'news'; 1 warm-up + {reps} timed "
          f"calls per page; ms per call)\n")
    print(f"{'page':22} {'KB':>5}   {'median':>7} {'p95':>7}   {'facts':>5}  {'date':4}  {'text chars':>10}")
    medians, stage_rows = [], []
    for name, body in pages:
        url, fetched = fetched_for(name, body)
        analyze_page(fetched, home=url, category="news")  # warm-up
        samples, result = [], None
        for _ in range(reps):
            ms, result = clock_ms(analyze_page, fetched, home=url, category="news")
            samples.append(ms)
        med, high = summary(samples)
        medians.append(med)
        print(f"{name:22} {len(body) / 1024:5.0f}   {med:7.1f} {high:7.1f}   {len(result.snippets):5d}  "
              f"{'yes' if result.published else 'no':4}  {len(result.text):10,d}")
        per_stage = [stage_times(fetched, url) for _ in range(max(1, reps // 2))]
        stage_rows.append({s: statistics.median(r[s] for r in per_stage) for s in STAGES})
    total = sum(medians)
    print(f"\n  median over pages {statistics.median(medians):6.1f} ms   mean {statistics.mean(medians):6.1f} ms   "
          f"=> {1000 * len(medians) / total:4.1f} pages/s (one core)")
    print("\n  Stages of analyze_page, ms (median over pages of the per-page median; share of the sum of means):")
    means = {s: statistics.mean(r[s] for r in stage_rows) for s in STAGES}
    whole = sum(means.values())
    print("  " + "  ".join(f"{s} {statistics.median(r[s] for r in stage_rows):.1f} ({100 * means[s] / whole:.0f}%)"
                           for s in STAGES))
    print()


# -- part 2: the company site ----------------------------------------------------------------
COMPANY = "Larkspur Logistics"
CITIES = ["Reno", "Tacoma", "Rotterdam", "Columbus", "Memphis", "Monterrey", "Antwerp", "Savannah", "Calgary",
          "Lyon", "Nagoya", "Gdańsk", "Leeds", "Valencia", "Tulsa"]
CUSTOMERS = ["Harbor & Pine Freight", "Cascadia Cold Chain", "Blue Mesa Foods", "Northgate Retail",
             "Keller Brothers Distribution", "Oakline Beverages", "Sundial Pharma Logistics", "Ridgeway 3PL",
             "Brightwater Grocers", "Ironwood Building Supply"]
PEOPLE = [("Maya Lindqvist", "Chief Executive Officer"), ("Tomás Herrera", "Chief Technology Officer"),
          ("Priya Raman", "Chief Operating Officer"), ("Jonah Whitfield", "VP of Sales, North America"),
          ("Aiko Matsuda", "VP of Engineering"), ("Grace Okonkwo", "Chief Financial Officer"),
          ("Lars de Vries", "General Manager, EMEA"), ("Dana Brooks", "VP of Customer Success")]
PRODUCTS = ["Larkspur Yard", "Larkspur Gate", "Larkspur Dock", "Larkspur Insights"]
INVESTORS = ["Harbor Capital", "Summit Peak Ventures", "Northline Partners", "Cedar Grove Capital"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]
FACTS = [
    "{company} opened a new cross-dock office in {city} in {month} {year}, adding {n} jobs.",
    "{customer} cut gate wait times by {pct} percent after moving {big} loads a week onto {product}.",
    "The company raised ${m} million in a Series B round led by {investor} in {month} {year}.",
    "{company} now serves {big} warehouses in {k} countries from offices in {city} and {city2}.",
    "In {year}, {company} was named a leader in yard management by the Freight Tech Review.",
    "{person}, formerly of {customer}, joined {company} as {role} in {month} {year}.",
    "{product} processed {m} million truck check-ins in {year}, up {pct} percent from the year before.",
    "{company} signed a {k}-year contract with {customer} covering {n} distribution centres.",
    "Revenue grew {pct} percent in {year}, and the team passed {big} employees across {k} offices.",
    "{customer} rolled out {product} at {n} sites in {city} and {city2} within {k} months.",
    "The {city} team launched a carrier app in {month} {year} that {big} drivers now use every week.",
    "{company} partnered with {customer} in {month} {year} to share dock schedules with {n} carriers.",
]
FLUFF = [
    "Our platform brings drivers, docks and dispatchers onto the same page, so every load arrives with fewer "
    "surprises.",
    "Teams use it on every shift to see what is coming, where it should go and who needs to act next.",
    "It works with the warehouse management system you already run, and it takes days rather than months to set up.",
    "Every screen is designed for people who spend their day on the floor, not behind a desk.",
    "Good logistics is mostly about information arriving on time, and that is the part we care about.",
    "Security is built in from the first line of code, with regular independent audits.",
    "We believe the best software disappears into the work and lets people get on with their day.",
    "When something changes at the gate, everyone who needs to know hears about it within seconds.",
    "Dispatchers stop chasing phone calls and start planning the next hour instead.",
    "The yard becomes a place you can see at a glance, from any browser, on any device.",
    "Our support team answers in minutes, around the clock, in English, Spanish, Dutch and Japanese.",
    "Small improvements at the dock add up to hours saved every week across a whole network.",
    "Drivers get clear instructions on their phone, in their language, before they reach the gate.",
    "Managers see the trends that matter without building a single spreadsheet.",
]
NAV_SVG = ('<svg xmlns="http://www.w3.org/2000/svg" width="24" height="24" viewBox="0 0 24 24" aria-hidden="true">'
           '<path d="M{a} {b}c{c}.{d} 0 {e}.{a}-{b}.{c} {d}.{e}-{a}s-{b}.{c}-{d}.{e}-{a}.{b}-{c}H{d}v{e}h{a}.{b}'
           'l-{c}.{d} {e}.{a}c-.{b} .{c}-.{d} {e}.{a}-{b} {c}z" fill="currentColor"/></svg>')


class SiteWriter:
    """Deterministic, realistic company pages: chrome from a typical marketing site, varied text."""

    def __init__(self, seed: int = 2026):
        self.rng = random.Random(seed)

    def fact(self) -> str:
        r = self.rng
        city, city2 = r.sample(CITIES, 2)
        person, role = r.choice(PEOPLE)
        return r.choice(FACTS).format(
            company=COMPANY, city=city, city2=city2, month=r.choice(MONTHS), year=r.randint(2019, 2026),
            n=r.randint(3, 60), pct=r.randint(8, 62), big=f"{r.randint(120, 9800):,}", m=r.randint(4, 90),
            k=r.randint(2, 14), customer=r.choice(CUSTOMERS), product=r.choice(PRODUCTS), investor=r.choice(INVESTORS),
            person=person, role=role.lower())

    def paragraph(self, facts: int = 1, fluff: int = 3) -> str:
        sentences = [self.fact() for _ in range(facts)] + self.rng.sample(FLUFF, fluff)
        self.rng.shuffle(sentences)
        return "<p>" + " ".join(sentences) + "</p>"

    def paragraphs(self, n: int) -> str:
        return "\n".join(self.paragraph(self.rng.randint(0, 2), self.rng.randint(2, 4)) for _ in range(n))

    def svg(self) -> str:
        r = self.rng
        return NAV_SVG.format(a=r.randint(1, 23), b=r.randint(1, 23), c=r.randint(1, 99), d=r.randint(1, 99),
                              e=r.randint(1, 99))

    def css(self) -> str:
        r = self.rng
        rules = []
        for i in range(90):
            rules.append(f".c-{r.choice(['nav', 'hero', 'card', 'grid', 'btn', 'ftr', 'menu', 'tag'])}-{i}"
                         f"{{display:{r.choice(['flex', 'grid', 'block'])};margin:0 auto;padding:{r.randint(0, 48)}px "
                         f"{r.randint(0, 48)}px;color:#{r.randrange(16 ** 6):06x};font-size:{r.randint(12, 40)}px}}")
        return "<style>" + "".join(rules) + "</style>"

    def head(self, title: str, description: str, path: str, extra: str = "") -> str:
        scripts = (
            "<script>(function(w,d,s,l,i){w[l]=w[l]||[];w[l].push({'gtm.start':new Date().getTime(),event:'gtm.js'});"
            "var f=d.getElementsByTagName(s)[0],j=d.createElement(s),dl=l!='dataLayer'?'&l='+l:'';j.async=true;"
            "j.src='https://www.googletagmanager.com/gtm.js?id='+i+dl;f.parentNode.insertBefore(j,f);})"
            "(window,document,'script','dataLayer','GTM-LARK26');</script>"
            '<script id="consent-config" type="application/json">' + json.dumps(
                {"banner": {"title": "We value your privacy", "categories": [
                    {"id": c, "label": c.title(), "description": " ".join(self.rng.sample(FLUFF, 2))}
                    for c in ("necessary", "analytics", "marketing", "preferences")]}}) + "</script>")
        return (
            f"<!doctype html><html lang='en'><head><meta charset='utf-8'>"
            f"<meta name='viewport' content='width=device-width, initial-scale=1'><title>{title}</title>"
            f"<meta name='description' content='{description}'>"
            f"<link rel='canonical' href='{path}'><meta property='og:site_name' content='{COMPANY}'>"
            f"<meta property='og:title' content='{title}'><meta property='og:description' content='{description}'>"
            f"<meta property='og:type' content='website'>"
            f"<meta property='og:image' content='/img/og-{sum(map(ord, path)) % 97}.png'>"
            f"<meta name='twitter:card' content='summary_large_image'><meta name='twitter:site' content='@larkspurlog'>"
            + "".join(f"<link rel='preload' as='font' type='font/woff2' crossorigin href='/fonts/inter-{w}.woff2'>"
                      for w in (400, 500, 600, 700))
            + "<link rel='stylesheet' href='/assets/app.4f9c2e.css'><link rel='icon' href='/favicon.ico'>"
            "<link rel='alternate' type='application/rss+xml' title='Larkspur newsroom' href='/news/feed.xml'>"
            + self.css() + scripts + extra + "</head>"
        )

    def nav(self) -> str:
        menus = {
            ("Products", "/products"): [(p, f"/products#{p.split()[-1].lower()}") for p in PRODUCTS]
            + [("Integrations", "/integrations"), ("Security", "/security"), ("Developer docs", "/docs")],
            ("Customers", "/customers"): [(n, f"/customers#{n.split()[0].lower()}") for n in CUSTOMERS[:6]],
            ("Resources", "/resources/guides"): [("Guides", "/resources/guides"), ("Webinars", "/resources/webinars"),
                                                 ("Events", "/events"), ("Help centre", "/support")],
            ("Company", "/about"): [("About", "/about"), ("Leadership", "/about/leadership"),
                                    ("Newsroom", "/news"), ("Careers", "/careers"), ("Contact", "/contact")],
        }
        out = ["<header class='site-header'><a class='logo' href='/' aria-label='Larkspur home'>" + self.svg() + "</a>"
               "<nav aria-label='Main'><ul class='c-menu'>"]
        for (label, href), items in menus.items():
            out.append(f"<li class='c-menu-item has-dropdown'><a href='{href}'>{label}</a>"
                       "<div class='dropdown'><ul>")
            for text, link in items:
                out.append(f"<li><a class='c-menu-link' href='{link}'>{self.svg()}<span class='t'>{text}</span>"
                           f"<span class='d'>{self.rng.choice(FLUFF)}</span></a></li>")
            out.append("</ul></div></li>")
        out.append("</ul><a class='btn' href='/login'>Log in</a><a class='btn primary' href='/demo'>Book a demo</a>"
                   "</nav></header>")
        return "".join(out)

    def footer(self) -> str:
        cols = {
            "Platform": [("Larkspur Yard", "/products#yard"), ("Larkspur Gate", "/products#gate"),
                         ("Integrations", "/integrations"), ("Security", "/security"), ("Status", "/status")],
            "Company": [("About", "/about"), ("Leadership", "/about/leadership"), ("Careers", "/careers"),
                        ("Newsroom", "/news"), ("Contact", "/contact")],
            "Resources": [("Guides", "/resources/guides"), ("Webinars", "/resources/webinars"), ("Events", "/events"),
                          ("Help centre", "/support"), ("Developer docs", "/docs")],
            "Legal": [("Privacy policy", "/legal/privacy"), ("Terms of service", "/legal/terms"),
                      ("Cookie settings", "/legal/cookies"), ("Accessibility", "/legal/accessibility")],
        }
        out = ["<footer class='site-footer'><div class='c-grid-1'>"]
        for title, links in cols.items():
            out.append(f"<div class='col'><h4>{title}</h4><ul>"
                       + "".join(f"<li><a href='{h}'>{t}</a></li>" for t, h in links) + "</ul></div>")
        out.append("</div><form class='newsletter' action='/subscribe' method='post'><label for='email'>Subscribe to "
                   "our newsletter</label><input id='email' type='email' name='email' placeholder='you@company.com'>"
                   "<button type='submit'>Sign up</button></form><div class='social'>"
                   + "".join(f"<a href='https://www.{s}.com/larkspurlog' aria-label='{s}'>{self.svg()}</a>"
                             for s in ("linkedin", "twitter", "youtube", "instagram"))
                   + f"</div><p>© 2026 {COMPANY}, Inc. All rights reserved. 400 Harbor Way, Tacoma, WA 98402.</p>"
                   "<div id='cookie-banner' role='dialog'><p>We use cookies to improve your experience. Read our "
                   "privacy policy.</p><button>Accept all</button><button>Reject</button></div></footer>"
                   "<script src='/assets/runtime.91be.js' defer></script><script src='/assets/app.4f9c2e.js' defer>"
                   "</script>")
        return "".join(out)

    def page(self, title: str, description: str, path: str, main: str, extra_head: str = "") -> str:
        return (self.head(title, description, path, extra_head) + "<body>" + self.nav()
                + f"<main id='content'>{main}</main>" + self.footer() + "</body></html>")

    def section(self, heading: str, paras: int, bullets: int = 0) -> str:
        items = "".join(f"<li>{self.rng.choice(FLUFF)}</li>" for _ in range(bullets))
        return (f"<section class='c-grid-{self.rng.randint(1, 99)}'><h2>{heading}</h2>{self.paragraphs(paras)}"
                + (f"<ul>{items}</ul>" if items else "") + "</section>")

    def site(self, base: str) -> dict[str, tuple[str, bytes]]:
        r = self.rng
        pages: dict[str, str] = {}
        org = {"@context": "https://schema.org", "@type": "Organization", "name": COMPANY,
               "legalName": f"{COMPANY}, Inc.", "url": base + "/", "logo": base + "/img/logo.png",
               "description": "Yard and dock software for mid-size warehouses.", "foundingDate": "2016",
               "numberOfEmployees": {"@type": "QuantitativeValue", "value": 410},
               "address": {"@type": "PostalAddress", "streetAddress": "400 Harbor Way", "addressLocality": "Tacoma",
                           "addressRegion": "WA", "postalCode": "98402", "addressCountry": "US"},
               "sameAs": ["https://www.linkedin.com/company/larkspurlog", "https://twitter.com/larkspurlog"]}
        pages["/"] = self.page(
            f"{COMPANY} | Yard and dock software for mid-size warehouses",
            "Yard and dock software for mid-size warehouses.", "/",
            "<section class='hero'><h1>Every truck, every door, one screen</h1>" + self.paragraphs(2) + "</section>"
            "<section class='logos'>" + "".join(f"<img src='/img/logos/{i}.svg' alt='{c}'>"
                                                 for i, c in enumerate(CUSTOMERS)) + "</section>"
            + "".join(self.section(h, 2, 4) for h in ("See the yard at a glance", "Check drivers in before the gate",
                                                       "Plan doors an hour ahead"))
            + "<section class='stats'>" + "".join(f"<div><strong>{r.randint(10, 999)}</strong><span>{self.fact()}"
                                                   f"</span></div>" for _ in range(4)) + "</section>"
            + "<section class='quotes'>" + "".join(f"<blockquote><p>{self.fact()} {r.choice(FLUFF)}</p><cite>{p}, "
                                                   f"{c}</cite></blockquote>" for p, c in
                                                   zip([p for p, _ in PEOPLE[:3]], CUSTOMERS[3:6])) + "</section>"
            "<section class='latest'><h2>Latest from Larkspur</h2>"
            "<a class='card' href='/news/series-b-funding'><h3>Larkspur raises $38 million Series B</h3></a>"
            "<a class='card' href='/blog/reno-cross-dock'><h3>What we learned at the Reno cross-dock</h3></a>"
            "<a class='card' href='/news'><h3>All news</h3></a></section>",
            extra_head=f"<script type='application/ld+json'>{json.dumps(org)}</script>")
        pages["/about"] = self.page(
            f"About us | {COMPANY}", "The story of Larkspur Logistics.", "/about",
            "<h1>About Larkspur</h1>" + self.section("Our story", 5)
            + "<section class='timeline'><h2>Milestones</h2><ol>" + "".join(
                f"<li><time>{y}</time> {self.fact()}</li>" for y in range(2016, 2027)) + "</ol></section>"
            + self.section("What we value", 3, 6)
            + "<section class='people'><h2>Leadership</h2>" + "".join(
                f"<div class='card'><img src='/img/people/{i}.jpg' alt='{n}'><h3>{n}</h3><p>{t}</p></div>"
                for i, (n, t) in enumerate(PEOPLE)) + "</section>"
            + "<section class='offices'><h2>Offices</h2>" + "".join(
                f"<address>{r.randint(10, 900)} {r.choice(['Harbor', 'Dock', 'Mill', 'Canal'])} Street, {c}</address>"
                for c in CITIES[:5]) + "</section>")
        pages["/about/leadership"] = self.page(
            f"Leadership | {COMPANY}", "The people who run Larkspur Logistics.", "/about/leadership",
            "<h1>Leadership</h1>" + "".join(f"<article class='bio'><h2>{n}</h2><p class='role'>{t}</p>"
                                            + self.paragraphs(6) + "</article>" for n, t in PEOPLE))
        releases = [(f"2026-{m:02d}-{r.randint(1, 28):02d}", self.fact()) for m in range(11, 0, -1)]
        pages["/news"] = self.page(
            f"Newsroom | {COMPANY}", "Press releases and news from Larkspur Logistics.", "/news",
            "<h1>Newsroom</h1>" + "".join(
                f"<article class='teaser'><time datetime='{d}'>{d}</time><h2><a href='/news/{i}'>{f}</a></h2>"
                + self.paragraph(1, 2) + "</article>" for i, (d, f) in enumerate(releases))
            + "<section class='media'><h2>Media contact</h2><p>press@larkspur.example, +1 253 555 0147</p></section>")
        article = {"@context": "https://schema.org", "@type": "NewsArticle",
                   "headline": "Larkspur raises $38 million Series B to expand into Europe",
                   "datePublished": "2026-10-14T09:00:00Z", "author": {"@type": "Organization", "name": COMPANY}}
        pages["/news/series-b-funding"] = self.page(
            f"Larkspur raises $38 million Series B | {COMPANY}", "Funding led by Harbor Capital.",
            "/news/series-b-funding",
            "<article><h1>Larkspur raises $38 million Series B to expand into Europe</h1>"
            "<time datetime='2026-10-14'>October 14, 2026</time>"
            "<p>Larkspur Logistics announced a $38 million Series B led by Harbor Capital on October 14, 2026 to "
            "open an office in Rotterdam and hire 60 engineers by the end of 2027.</p>" + self.paragraphs(5)
            + f"<blockquote><p>{self.fact()}</p><cite>{PEOPLE[0][0]}</cite></blockquote>"
            + "<h2>About Larkspur Logistics</h2>" + self.paragraphs(1) + "</article>",
            extra_head=f"<script type='application/ld+json'>{json.dumps(article)}</script>")
        pages["/blog/reno-cross-dock"] = self.page(
            f"What we learned at the Reno cross-dock | {COMPANY} blog", "Notes from a cross-dock rollout.",
            "/blog/reno-cross-dock",
            "<article><h1>What we learned at the Reno cross-dock</h1><p class='byline'>By "
            f"<a rel='author' href='/about/leadership'>{PEOPLE[4][0]}</a> · <time datetime='2026-09-02'>"
            "September 2, 2026</time></p>" + "".join(self.section(h, 8, 3) for h in (
                "The problem at the gate", "Why the paperwork was late", "What we tried first", "What we changed",
                "What the drivers said", "What the dock office said", "What the numbers said", "What comes next"))
            + "</article>")
        roles = [(f"{r.choice(['Senior ', 'Staff ', ''])}{t}", c) for t, c in
                 zip(["Backend Engineer", "Field Service Technician", "Account Executive", "Product Designer",
                      "Data Engineer", "Support Lead", "Solutions Consultant", "Site Reliability Engineer",
                      "Technical Writer", "Implementation Manager"] * 2, CITIES * 2)]
        pages["/careers"] = self.page(
            f"Careers | {COMPANY}", "Work at Larkspur Logistics.", "/careers",
            "<h1>Build the software that keeps freight moving</h1>" + self.section("Life at Larkspur", 3)
            + self.section("Benefits", 2, 10) + "<section class='roles'><h2>Open roles</h2><ul>" + "".join(
                f"<li><a href='/careers/field-service-technician'>{t}</a><span>{c}</span><span>Full time</span></li>"
                for t, c in roles) + "</ul></section>" + self.section("How we hire", 2, 4))
        posting = {"@context": "https://schema.org", "@type": "JobPosting", "title": "Field Service Technician",
                   "datePosted": "2026-11-02", "hiringOrganization": {"@type": "Organization", "name": COMPANY},
                   "jobLocation": {"@type": "Place", "address": {"@type": "PostalAddress", "addressLocality": "Reno"}}}
        pages["/careers/field-service-technician"] = self.page(
            f"Field Service Technician, Reno | {COMPANY}", "Join our field team in Reno.",
            "/careers/field-service-technician",
            "<h1>Field Service Technician</h1><p class='meta'>Reno, Nevada · Full time</p>"
            + self.section("About the role", 1) + self.section("What you will do", 0, 6)
            + self.section("What you bring", 0, 5),
            extra_head=f"<script type='application/ld+json'>{json.dumps(posting)}</script>")
        pages["/products"] = self.page(
            f"Products | {COMPANY}", "Yard, gate, dock and insights software.", "/products",
            "<h1>One platform for the yard, the gate and the dock</h1>"
            + "".join(f"<section id='{p.split()[-1].lower()}'><h2>{p}</h2>" + self.paragraphs(2) + "<ul>"
                      + "".join(f"<li>{r.choice(FLUFF)}</li>" for _ in range(5)) + "</ul></section>" for p in PRODUCTS)
            + "<section class='pricing'><h2>Plans</h2><table>" + "".join(
                f"<tr><th>{t}</th><td>${r.randint(3, 40) * 100} per site per month</td><td>{r.choice(FLUFF)}</td></tr>"
                for t in ("Starter", "Growth", "Enterprise")) + "</table></section>"
            + "<section class='faq'><h2>Questions</h2>" + "".join(
                f"<details><summary>{q}</summary>{self.paragraph(0, 2)}</details>" for q in (
                    "How long does it take to set up?", "Does it work with my WMS?", "Do drivers need an app?",
                    "Where is my data stored?", "Can I try it first?", "How is it priced?")) + "</section>")
        pages["/customers"] = self.page(
            f"Customers | {COMPANY}", "How warehouses use Larkspur.", "/customers",
            "<h1>Customers</h1><section class='cards'>" + "".join(
                f"<div class='card' id='{c.split()[0].lower()}'><h2>{c}</h2><p>{self.fact()}</p>"
                f"<p>{r.choice(FLUFF)}</p></div>" for c in CUSTOMERS) + "</section>"
            + "".join(self.section(f"{c}: a closer look", 3, 3) for c in CUSTOMERS[:2]))

        site = {path: ("text/html; charset=utf-8", html.encode("utf-8")) for path, html in pages.items()}
        items = "".join(
            f"<item><title>{f.split(',')[0].rstrip('.')}</title><link>{base}/news/{i}</link>"
            f"<description>&lt;p&gt;{f}&lt;/p&gt;</description><guid>{base}/news/{i}</guid>"
            f"<pubDate>{time.strftime('%a, %d %b %Y 09:00:00 GMT', time.strptime(d, '%Y-%m-%d'))}</pubDate></item>"
            for i, (d, f) in enumerate(releases[:10]))
        site["/news/feed.xml"] = ("application/rss+xml; charset=utf-8", (
            "<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel><title>Larkspur newsroom</title>"
            f"<link>{base}/news</link><description>News from {COMPANY}</description>{items}</channel></rss>"
        ).encode("utf-8"))
        listed = list(pages) + ["/contact", "/legal/privacy", "/legal/terms", "/resources/guides", "/events"]
        site["/sitemap.xml"] = ("application/xml", (
            "<?xml version='1.0' encoding='UTF-8'?><urlset xmlns='http://www.sitemaps.org/schemas/sitemap/0.9'>"
            + "".join(f"<url><loc>{base}{p}</loc><lastmod>2026-11-01</lastmod></url>" for p in listed) + "</urlset>"
        ).encode("utf-8"))
        robots = f"User-agent: *\nDisallow: /admin/\nSitemap: {base}/sitemap.xml\n"
        site["/robots.txt"] = ("text/plain", robots.encode())
        return site


# -- part 2 and 3: research runs and bare fetches ----------------------------------------------
def research_once(server: LocalServer, delay: float):
    """(seconds, result, server log entries of this run) for one whole research run."""
    start_log = len(server.log)
    start = time.perf_counter()
    options = ResearchOptions(name=COMPANY, url=server.base + "/", max_pages=MAX_PAGES, crawl_delay=delay,
                              sources=dict(SOURCES))
    result = Researcher(options, fetcher=Fetcher(crawl_delay=delay)).run()
    seconds = time.perf_counter() - start
    return seconds, result, server.log[start_log:]


def bare_once(server: LocalServer, paths: list[str], user_agent: str) -> float:
    """Seconds to GET paths in order with one new requests.Session (keep-alive), bodies read."""
    start = time.perf_counter()
    with requests.Session() as session:
        session.trust_env = False
        session.headers["User-Agent"] = user_agent
        session.headers["Accept-Encoding"] = "gzip, deflate"
        for path in paths:
            response = session.get(server.base + path, timeout=10)
            response.raise_for_status()
            _ = response.content
    return time.perf_counter() - start


def instrumented(server: LocalServer, runs: int) -> dict[str, float]:
    """Medians over runs of where a D = 0 run's time goes (ms)."""
    rows = []
    for _ in range(runs):
        spent = {"fetch": 0.0, "analyze_page": 0.0, "parse_feed": 0.0}

        def wrap(name, fn):
            def timed(*args, **kwargs):
                start = time.perf_counter()
                try:
                    return fn(*args, **kwargs)
                finally:
                    spent[name] += (time.perf_counter() - start) * 1000
            return timed

        # (The run has no parse worker, so it calls these by module and name in this process.)
        real_analyze, real_feed, real_fetch = extract_mod.analyze_page, feeds_mod.parse_feed, Fetcher.fetch
        extract_mod.analyze_page = wrap("analyze_page", real_analyze)
        feeds_mod.parse_feed = wrap("parse_feed", real_feed)
        Fetcher.fetch = wrap("fetch", real_fetch)
        try:
            seconds, _, _ = research_once(server, 0.0)
        finally:
            extract_mod.analyze_page, feeds_mod.parse_feed, Fetcher.fetch = real_analyze, real_feed, real_fetch
        spent["whole"] = seconds * 1000
        spent["other"] = spent["whole"] - spent["fetch"] - spent["analyze_page"] - spent["parse_feed"]
        rows.append(spent)
    return {k: statistics.median(r[k] for r in rows) for k in rows[0]}


def serve_site(server: LocalServer, nodelay: bool) -> tuple[dict, list[int]]:
    """Route the generated site on server; count TCP connections. nodelay: TCP_NODELAY on the server's sockets."""
    # http.server sends the headers and the body in two writes; with Nagle's algorithm on, the body's last
    # segment waits for the client's delayed ACK (about 40 ms on Linux) on every back-to-back keep-alive
    # request. Real web servers set TCP_NODELAY; StreamRequestHandler does when this attribute is true.
    server.httpd.RequestHandlerClass.disable_nagle_algorithm = nodelay
    connections = [0]
    real_process = server.httpd.process_request

    def counting(request, client_address):  # one call per accepted TCP connection
        connections[0] += 1
        return real_process(request, client_address)

    server.httpd.process_request = counting
    site = SiteWriter().site(server.base)
    for path, (content_type, body) in site.items():
        server.route(path, body=body, content_type=content_type)
    return site, connections


def same_run(log, result, paths, reference) -> bool:
    return [p for _, p, _ in log] == paths and len(result.pages) == len(reference.pages) and not result.errors


def run_site(runs: int, delay_runs: int) -> list[tuple[str, bool, str]]:
    with LocalServer() as server:
        site, connections = serve_site(server, nodelay=True)
        page_paths = [p for p, (ct, _) in site.items() if ct.startswith("text/html")]
        sizes = [len(site[p][1]) / 1024 for p in page_paths]
        print(f"2-3. Research run vs bare fetch, site on 127.0.0.1 (TCP_NODELAY): {len(page_paths)} HTML pages "
              f"({min(sizes):.0f}-{max(sizes):.0f} KB, {sum(sizes):.0f} KB in all), robots.txt, sitemap, "
              f"an RSS feed of {site['/news/feed.xml'][1].count(b'<item>')} items")
        print("   pages (KB): " + ", ".join(f"{p} {len(site[p][1]) / 1024:.0f}" for p in page_paths))
        print(f"   sources: {', '.join(k for k, v in SOURCES.items() if v)} on; "
              f"{', '.join(k for k, v in SOURCES.items() if not v)} off; max_pages={MAX_PAGES}\n")

        # Warm-ups (uncounted); the first run also tells us exactly which URLs a run fetches.
        before = connections[0]
        _, result, log = research_once(server, 0.0)
        research_conns = connections[0] - before
        paths = [p for _, p, _ in log]
        user_agent = log[0][2]
        before = connections[0]
        bare_once(server, paths, user_agent)
        bare_conns = connections[0] - before

        read = [p["url"].removeprefix(server.base) for p in result.pages]
        print(f"   Warm-up run: {len(result.pages)} pages read: {', '.join(read)}")
        kinds: dict[str, int] = {}
        for f in result.facts:
            kinds[f.kind] = kinds.get(f.kind, 0) + 1
        print(f"   facts: {len(result.facts)} ({', '.join(f'{k} {v}' for k, v in sorted(kinds.items()))}); "
              f"result.errors: {len(result.errors)}")
        for e in result.errors:
            print(f"     error: {e.source} {e.kind} {e.url} {e.message}")
        print(f"   requests to the host: {len(paths)} ({', '.join(paths)})")
        print(f"   TCP connections opened: research run {research_conns}, bare fetch {bare_conns}\n")

        # Timed, interleaved: A (research, D = 0), B (bare fetch), ...
        a0, b = [], []
        changed = 0
        for _ in range(runs):
            seconds, res, log = research_once(server, 0.0)
            a0.append(seconds * 1000)
            changed += not same_run(log, res, paths, result)
            b.append(bare_once(server, paths, user_agent) * 1000)
        # The default crawl delay, fewer runs, still interleaved with bare fetches.
        a1, gaps_all = [], []
        for _ in range(delay_runs):
            seconds, res, log = research_once(server, DEFAULT_DELAY)
            a1.append(seconds * 1000)
            changed += not same_run(log, res, paths, result)
            gaps_all.append([later[0] - earlier[0] for earlier, later in zip(log, log[1:])])
            b.append(bare_once(server, paths, user_agent) * 1000)
        breakdown = instrumented(server, 3 if runs >= 5 else 1)

    # The fixture server as the tests use it (Nagle on): D = 0 only, for comparison.
    with LocalServer() as server:
        serve_site(server, nodelay=False)
        research_once(server, 0.0)
        bare_once(server, paths, user_agent)
        n_a0, n_b = [], []
        for _ in range(runs):
            seconds, res, log = research_once(server, 0.0)
            n_a0.append(seconds * 1000)
            changed += not same_run(log, res, paths, result)
            n_b.append(bare_once(server, paths, user_agent) * 1000)

    n = len(paths)
    a0_med, a0_p95 = summary(a0)
    b_med, b_p95 = summary(b)
    print(f"   Timed: {runs} research runs at D = 0 interleaved with {runs} bare fetches, then {delay_runs} at "
          f"D = {DEFAULT_DELAY:g} s each followed by a bare fetch ({len(b)} bare fetches in all)")
    if changed:
        print(f"   WARNING: {changed} timed run(s) fetched other URLs, read other pages or reported errors")
    print(f"\n   {'':52} {'median ms':>10} {'p95 ms':>9}")
    print(f"   {'A  research run, crawl delay D = 0':52} {a0_med:10.1f} {a0_p95:9.1f}")
    print(f"   {'B  bare fetch, the same %d URLs (requests.Session)' % n:52} {b_med:10.1f} {b_p95:9.1f}")
    a1_med, a1_p95 = summary(a1) if a1 else (float("nan"),) * 2
    if a1:
        print(f"   {'A  research run, crawl delay D = %g s' % DEFAULT_DELAY:52} {a1_med:10.1f} {a1_p95:9.1f}")
    print(f"\n   Where a D = 0 run goes (instrumented, uncounted runs; ms): fetch {breakdown['fetch']:.1f} "
          f"({n} requests, robots.txt included), analyze_page {breakdown['analyze_page']:.1f} "
          f"({len(result.pages)} pages), parse_feed {breakdown['parse_feed']:.1f}, the rest "
          f"{breakdown['other']:.1f}, whole {breakdown['whole']:.1f}")
    print(f"   => {len(result.pages) / (a0_med / 1000):.1f} pages/s for a whole run at D = 0")

    results = []
    ratio0 = a0_med / b_med
    print(f"\n   Ratio at D = 0: whole / bare = {a0_med:.1f} / {b_med:.1f} = {ratio0:.1f}x")
    results.append((f"whole <= {TARGET_RATIO}x bare fetch, D = 0", ratio0 <= TARGET_RATIO, f"{ratio0:.1f}x"))
    if a1:
        allowance = DEFAULT_DELAY * (n - 1)
        pauses = [sum(1 for g in gaps if g >= 0.9 * DEFAULT_DELAY) for gaps in gaps_all]
        enforced = DEFAULT_DELAY * max(pauses)
        ratio1 = a1_med / (b_med + allowance * 1000)
        ratio1_strict = a1_med / (b_med + enforced * 1000)
        long_gaps = statistics.median(sum(g for g in gaps if g >= 0.9 * DEFAULT_DELAY) for gaps in gaps_all)
        print(f"   Ratio at D = {DEFAULT_DELAY:g} s: whole / (bare + D x ({n} requests - 1)) = {a1_med:.0f} / "
              f"({b_med:.1f} + {allowance * 1000:.0f}) = {ratio1:.3f}x")
        print(f"     the fetcher paused before {max(pauses)} of the {n - 1} requests after the first (robots.txt "
              f"sets no pause before the home page);")
        print(f"     against those pauses only: {a1_med:.0f} / ({b_med:.1f} + {enforced * 1000:.0f}) = "
              f"{ratio1_strict:.3f}x")
        print(f"     the {max(pauses)} gaps between request starts that include a pause took {long_gaps:.3f} s "
              f"(median over runs): each pause also covers the previous page's analysis;")
        print(f"     the rest of the run (start to home page, last request to the end) took "
              f"{a1_med - long_gaps * 1000:.0f} ms")
        results.append((f"whole <= {TARGET_RATIO}x (bare + delays), D = {DEFAULT_DELAY:g} s", ratio1 <= TARGET_RATIO,
                        f"{ratio1:.3f}x"))
        results.append((f"same, against the pauses enforced, D = {DEFAULT_DELAY:g} s",
                        ratio1_strict <= TARGET_RATIO, f"{ratio1_strict:.3f}x"))

    na_med, na_p95 = summary(n_a0)
    nb_med, nb_p95 = summary(n_b)
    print(f"\n   For comparison, the fixture server as the tests use it (Nagle on: about 40 ms stall per "
          f"back-to-back request), D = 0, {runs} interleaved pairs:")
    print(f"   {'A  research run, crawl delay D = 0':52} {na_med:10.1f} {na_p95:9.1f}")
    print(f"   {'B  bare fetch, the same %d URLs' % n:52} {nb_med:10.1f} {nb_p95:9.1f}")
    print(f"   ratio {na_med / nb_med:.2f}x (not a target: the stall acts like ~40 ms of network latency per request)")

    if len(result.pages) != MAX_PAGES:
        print(f"   WARNING: {len(result.pages)} pages read, not {MAX_PAGES}")
    results.append((f"{MAX_PAGES} pages read, no errors, same URLs every run",
                    len(result.pages) == MAX_PAGES and not result.errors and not changed,
                    f"{len(result.pages)} pages, {len(result.errors)} errors"))
    return results


# -- main ------------------------------------------------------------------------------------
def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer repetitions (a smoke test, not a result)")
    parser.add_argument("--reps", type=int, help="timed analyze_page calls per corpus page (default 5)")
    parser.add_argument("--runs", type=int, help="interleaved research/bare pairs at D = 0 (default 7)")
    parser.add_argument("--delay-runs", type=int, help=f"research runs at D = {DEFAULT_DELAY:g} s (default 2)")
    args = parser.parse_args()
    reps = args.reps or (2 if args.quick else 5)
    runs = args.runs or (3 if args.quick else 7)
    delay_runs = args.delay_runs if args.delay_runs is not None else (1 if args.quick else 2)

    libs = ", ".join(f"{name} {pkg_version(name)}" for name in ("trafilatura", "lxml", "beautifulsoup4", "htmldate",
                                                                  "requests"))
    print(f"Python {platform.python_version()}, {os.cpu_count()} CPUs, {platform.system()}; {libs}")
    print(f"analyze_page from {extract_mod.__name__}; news sources off; everything on 127.0.0.1\n")

    extraction(reps)
    results = run_site(runs, delay_runs)

    print("\nTargets:")
    for label, ok, value in results:
        print(f"  {'PASS' if ok else 'MISS'}  {label:46} {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
