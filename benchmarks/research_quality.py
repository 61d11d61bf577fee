"""Research quality on real small-business sites, judged fact by fact, beside two baselines.

Each site of the business corpus (`../shared/corpus/business/<id>/`, read-only) is served whole on
127.0.0.1 (its pages at their own paths, home at `/`, 404 elsewhere, text/html without a charset;
links written with the site's own host point to the local server, as if it were that host) and
researched as the app does: `Researcher` with the prospect's company name and the site's URL,
news off, feeds on, crawl delay 0. The facts shown are the run's site facts in the order the
result lists them (the order the CLI prints and the window is asked to show); the first 5 count.

Two baselines a skeptic would reach for, on the same home pages in the same run:
  - meta description: the home page's <meta name="description"> (else og:description) alone;
  - trafilatura first 3: the first 3 sentences of `trafilatura.extract()` on the home page with its
    default settings (lines split at sentence ends: ". ", "! ", "? ").

Every shown fact is looked up in benchmarks/data/research_labels.jsonl, keyed by (site id, exact
text), labelled by hand with the rubric in shared/RESEARCH_QUALITY.md: CITABLE, weak or NOT, with a
one-line reason. A fact with no label counts as NOT, and the count of those is printed; with
--strict the script exits 1 when any shown fact is unlabelled. --unlabelled FILE writes them out
(one JSON line each, with the label left empty) to be labelled and appended to the labels file.

Figures (RESEARCH_QUALITY.md): P@5 = CITABLE share of the first (up to) 5 facts, pooled over
sites; hit@3 = share of sites with a CITABLE fact among the first 3; facts/site; empty = share of
sites with no fact; weak = weak share of the facts shown; seconds/site of the whole run (wall).
Extraction speed: `analyze_page` (Earned's whole per-page work: decode, parse, metadata, links,
text, sentences, ranking, dates, language) against `trafilatura.extract()` alone, CPU time
(thread_time) of each page, interleaved, median of --reps calls, over every page of the corpus.

Run from the repo root:  .venv/bin/python benchmarks/research_quality.py [--reps N] [--strict]
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import re
import statistics
import sys
import time
import warnings
from collections import Counter
from dataclasses import dataclass, field
from importlib.metadata import version as pkg_version
from pathlib import Path
from urllib.parse import unquote

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import lxml.html  # noqa: E402
import trafilatura  # noqa: E402

from app.research.extract import analyze_page  # noqa: E402
from app.research.fetcher import Fetched, Fetcher  # noqa: E402
from app.research.pipeline import ResearchOptions, Researcher  # noqa: E402
from tests.fixtures.http_server import LocalServer  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus" / "business"
LABELS = ROOT / "benchmarks" / "data" / "research_labels.jsonl"
SOURCES = {"site": True, "feeds": True, "gdelt": False, "newsapi": False, "gnews": False, "sec": False}
SHOWN = 5
LABEL_VALUES = ("CITABLE", "weak", "NOT")
SYSTEMS = ("Earned", "meta description", "trafilatura first 3")


@dataclass
class Site:
    id: str
    name: str
    host: str
    pages: dict[str, Path]  # URL path (with its query) -> saved file

    @property
    def home(self) -> Path:
        return self.pages["/"]


@dataclass
class Outcome:
    shown: dict[str, list[str]] = field(default_factory=dict)  # system -> facts in shown order
    seconds: dict[str, float] = field(default_factory=dict)


def load_sites() -> list[Site]:
    sites = []
    for folder in sorted(CORPUS.glob("*/site.json"), key=lambda p: p.parent.name):
        info = json.loads(folder.read_text(encoding="utf-8"))
        # The corpus's name is an annotation cut from a page ("Fundraising Skills ("): a rep types it
        # without the stray punctuation.
        name = re.sub(r"[\s(\[{|,:;-]+$", "", info["name"]).strip()
        sites.append(Site(folder.parent.name, name, info["host"],
                          {p: folder.parent / f for p, f in info["pages"].items()}))
    return sites


def serve(server: LocalServer, site: Site) -> None:
    """The site's pages at their own paths (query included), 404 for everything else. Links that
    name the site's own host (http://www.example.com/contact) point to the local server instead, as
    if the site were served from its own host: without that, pages linked that way are never read."""
    own = re.compile(rb"https?://(?:www\.)?" + re.escape(site.host.encode()) + rb"(?=[/\"'?#]|$)", re.IGNORECASE)
    base = server.base.encode()
    by_path = {unquote(path): own.sub(base, file.read_bytes()) for path, file in site.pages.items()}

    def route(request):
        body = by_path.get(unquote(request.path))
        if body is None:
            return 404, {"Content-Type": "text/plain"}, b"not found"
        return 200, {"Content-Type": "text/html"}, body

    server.routes.clear()
    server.routes["*"] = route


# -- the three systems ------------------------------------------------------------------------
def earned(server: LocalServer, site: Site) -> tuple[list[str], float, object]:
    options = ResearchOptions(name=site.name, url=server.base + "/", sources=dict(SOURCES), crawl_delay=0.0)
    start = time.perf_counter()
    result = Researcher(options, fetcher=Fetcher(crawl_delay=0.0)).run()
    seconds = time.perf_counter() - start
    facts = [f.text for f in result.facts if f.kind == "site"]
    return facts, seconds, result


def meta_description(html: bytes) -> list[str]:
    tree = lxml.html.document_fromstring(html)
    for xpath in ("//meta[translate(@name,'DESCRIPTION','description')='description']/@content",
                  "//meta[@property='og:description']/@content"):
        for value in tree.xpath(xpath):
            text = " ".join(str(value).split())
            if text:
                return [text]
    return []


_NAIVE_SPLIT = re.compile(r"(?<=[.!?])\s+")


def trafilatura_first3(html: bytes) -> list[str]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        text = trafilatura.extract(html) or ""
    out = []
    for line in text.splitlines():
        out += [s.strip() for s in _NAIVE_SPLIT.split(line) if s.strip()]
    return out[:3]


def timed(fn, *args):
    start = time.perf_counter()
    out = fn(*args)
    return out, time.perf_counter() - start


# -- labels -------------------------------------------------------------------------------------
def load_labels() -> dict[tuple[str, str], dict]:
    labels: dict[tuple[str, str], dict] = {}
    if not LABELS.exists():
        return labels
    for n, line in enumerate(LABELS.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        row = json.loads(line)
        if row.get("label") not in LABEL_VALUES or not row.get("why"):
            raise SystemExit(f"{LABELS}:{n}: a label must be one of {LABEL_VALUES} with a reason: {line}")
        labels[(row["site"], row["text"])] = row  # a later line re-labels the same fact
    return labels


@dataclass
class Figures:
    p5: float
    hit3: float
    facts_per_site: float
    empty: float
    weak: float
    unlabelled: int
    seconds: float
    counts: Counter  # labels of the facts shown (unlabelled ones as "none")


def figures(system: str, outcomes: dict[str, Outcome], labels: dict) -> tuple[Figures, list[dict]]:
    shown_total = citable = weak = unlabelled = hits = empty = 0
    counts: Counter = Counter()
    missing = []
    for site_id, outcome in outcomes.items():
        facts = outcome.shown[system][:SHOWN]
        marks = []
        for text in facts:
            row = labels.get((site_id, text))
            if row is None:
                unlabelled += 1
                missing.append({"site": site_id, "text": text, "label": "", "why": "", "system": system})
            marks.append(row["label"] if row else "NOT")
            counts[row["label"] if row else "none"] += 1
        shown_total += len(facts)
        citable += marks.count("CITABLE")
        weak += marks.count("weak")
        hits += "CITABLE" in marks[:3]
        empty += not facts
    n = len(outcomes)
    seconds = statistics.mean(o.seconds[system] for o in outcomes.values())
    return Figures(citable / max(1, shown_total), hits / n, shown_total / n, empty / n, weak / max(1, shown_total),
                   unlabelled, seconds, counts), missing


# -- extraction speed ---------------------------------------------------------------------------
def extraction_speed(sites: list[Site], reps: int) -> tuple[list[float], list[float]]:
    """Per page, the median CPU ms of analyze_page and of trafilatura.extract, calls interleaved."""
    ours, theirs = [], []
    for site in sites:
        for path, file in site.pages.items():
            body = file.read_bytes()
            url = "http://127.0.0.1" + path
            fetched = Fetched(url, url, 200, "text/html", None, body)
            a, b = [], []
            analyze_page(fetched, "http://127.0.0.1/", "home")  # warm-up (imports, caches)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                trafilatura.extract(body)
                for _ in range(reps):
                    start = time.thread_time()
                    analyze_page(fetched, "http://127.0.0.1/", "home")
                    a.append(time.thread_time() - start)
                    start = time.thread_time()
                    trafilatura.extract(body)
                    b.append(time.thread_time() - start)
            ours.append(statistics.median(a) * 1000)
            theirs.append(statistics.median(b) * 1000)
    return ours, theirs


# -- main ---------------------------------------------------------------------------------------
def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reps", type=int, default=5, help="timed calls per page for the speed figures")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a shown fact has no label")
    parser.add_argument("--unlabelled", type=Path, help="write the unlabelled shown facts here (JSON lines)")
    parser.add_argument("--dump", type=Path, help="write every site's shown facts and labels here (JSON)")
    parser.add_argument("--sites", help="comma-separated site ids (development only: figures need them all)")
    args = parser.parse_args()
    if not CORPUS.is_dir():
        print(f"The business corpus is missing ({CORPUS}).")
        return 1
    sites = load_sites()
    if args.sites:
        sites = [s for s in sites if s.id in args.sites.split(",")]
    labels = load_labels()

    libs = ", ".join(f"{name} {pkg_version(name)}" for name in ("trafilatura", "lxml", "htmldate"))
    print(f"Python {platform.python_version()}, {os.cpu_count()} CPUs, {platform.system()}; {libs}")
    print(f"{len(sites)} sites, {sum(len(s.pages) for s in sites)} pages, served on 127.0.0.1; "
          f"{len(labels)} labels in {LABELS.relative_to(ROOT)}\n")

    outcomes: dict[str, Outcome] = {}
    details: dict[str, dict] = {}
    with LocalServer() as server:
        for site in sites:
            serve(server, site)
            home = site.home.read_bytes()
            outcome = Outcome()
            facts, seconds, result = earned(server, site)
            outcome.shown["Earned"], outcome.seconds["Earned"] = facts, seconds
            outcome.shown["meta description"], outcome.seconds["meta description"] = timed(meta_description, home)
            outcome.shown["trafilatura first 3"], outcome.seconds["trafilatura first 3"] = timed(
                trafilatura_first3, home)
            outcomes[site.id] = outcome
            details[site.id] = {
                "name": site.name, "pages": len(result.pages),
                "errors": [f"{e.kind}: {e.message}" for e in result.errors if e.source == "site"],
                "facts": [{"text": f.text, "url": f.source_url[len(server.base):], "published": f.published,
                           "lang": getattr(f, "lang", None), "off_site": getattr(f, "off_site", False)}
                          for f in result.facts if f.kind == "site"],
            }

    print(f"{'':22} {'P@5':>5} {'hit@3':>6} {'facts/site':>10} {'empty':>6} {'weak':>5} {'unlabelled':>10} "
          f"{'s/site':>7}   shown: CITABLE/weak/NOT")
    missing: list[dict] = []
    for system in SYSTEMS:
        fig, gaps = figures(system, outcomes, labels)
        missing += gaps
        print(f"{system:22} {fig.p5:5.2f} {fig.hit3:6.2f} {fig.facts_per_site:10.2f} {fig.empty:6.0%} "
              f"{fig.weak:5.0%} {fig.unlabelled:10d} {fig.seconds:7.3f}   "
              f"{fig.counts['CITABLE']}/{fig.counts['weak']}/{fig.counts['NOT']}")
    print(f"\n{len(labels)} labelled facts in the file; {len(missing)} shown facts unlabelled (counted as NOT)")

    ours, theirs = extraction_speed(sites, args.reps)
    med_a, med_b = statistics.median(ours), statistics.median(theirs)
    print(f"\nExtraction, CPU ms per page over {len(ours)} pages ({args.reps} interleaved calls each, median):")
    print(f"  Earned analyze_page      median {med_a:6.1f}   mean {statistics.mean(ours):6.1f}   "
          f"total {sum(ours):7.0f}")
    print(f"  trafilatura.extract      median {med_b:6.1f}   mean {statistics.mean(theirs):6.1f}   "
          f"total {sum(theirs):7.0f}")
    print(f"  ratio: medians {med_a / med_b:.2f}x, totals {sum(ours) / sum(theirs):.2f}x (target <= 1.5x)")

    if args.dump:
        for site_id, info in details.items():
            info["shown"] = {s: [{"text": t, **({k: labels[(site_id, t)][k] for k in ("label", "why")}
                                                if (site_id, t) in labels else {})}
                                 for t in outcomes[site_id].shown[s][:SHOWN]] for s in SYSTEMS}
        args.dump.write_text(json.dumps(details, indent=1, ensure_ascii=False), encoding="utf-8")
    if args.unlabelled:
        unique = list({(m["site"], m["text"]): m for m in missing}.values())
        args.unlabelled.write_text("".join(json.dumps(m, ensure_ascii=False) + "\n" for m in unique),
                                   encoding="utf-8")
    return 1 if args.strict and missing else 0


if __name__ == "__main__":
    sys.exit(main())
