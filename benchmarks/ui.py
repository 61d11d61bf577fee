"""UI benchmark: startup, peak memory, switching prospects and fact search, on a 20,000-fact workspace.

Builds (in a child process, so its memory does not count) a workspace of 1,000 prospects and
20,000 facts of varied, realistic sentences (kinds news/site/feed/note, most news and feed facts
dated): two prospects have exactly 200 facts each and a third has 5; 50 prospects, one of the two
big ones among them, have a first touch logged 6-40 days ago, so their follow-ups are due; the two
big prospects also have a saved draft citing their facts. Then, in one run:

  1. Startup to an idle main window: the whole-process wall time of
     `python -m app --quit-after-startup` (A) interleaved with a bare PySide6 process (B: import
     PySide6, QApplication, show an empty QMainWindow, quit on the first idle; the same script as
     benchmarks/startup.py), after one uncounted warm-up each.
  2. Peak memory: the peak RSS of each of those children (from os.wait4, that child alone), and
     the peak RSS of this process (RUSAGE_SELF) after the in-process session of 3 and 4.
  3. Switching prospects in the real MainWindow (built as tests/gui/conftest.py does, shown
     offscreen): from `window.research.select_prospect(pid)` until the facts, the sent log and
     the draft are back and handled (facts_loaded, touches_loaded, draft_loaded, in that order
     on the one store thread), `processEvents()` has run and the fact list's viewport has been
     painted since the facts arrived; then the list must hold all of that prospect's facts and
     the composer be enabled. The two 200-fact prospects and the small one take turns, so every
     switch is a real one.
  4. Fact search over all 20,000 facts: (a) `WorkspaceRepo(conn).search_facts(q, limit=100)` on
     a separate connection; (b) end to end in the window: set the text of the fact search field
     and wait until `service.search_results` has been delivered and handled, `processEvents()`
     has run and the list (in search mode, with every result) has been painted.

Waiting is done with QEventLoops quit by the signals (and a viewport paint-event filter), never
with sleeps. Run from the repo root:  .venv/bin/python benchmarks/ui.py [--quick]
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

os.environ["QT_QPA_PLATFORM"] = "offscreen"  # before PySide6 is imported, here or by app.*

from benchmarks.startup import BASELINE_SCRIPT, p95  # noqa: E402

PROSPECTS = 1_000
FACTS = 20_000
BIG = 200  # facts of each of the two big prospects
SMALL = 5  # facts of the small one
TOUCHED = 50  # prospects with a sent first touch (follow-up due)
SEED = 20261122

# Targets from the issue.
TARGET_STARTUP_MS = 1000.0  # median, whole process to an idle window
TARGET_RSS_MB = 300.0  # peak RSS, app process and in-process session
TARGET_SWITCH_MS = 100.0  # switch to a 200-fact prospect, painted
TARGET_SEARCH_MS = 20.0  # fact search, store call and end to end

QUERIES = ["austin", "hiring", "series", "warehouse expansion", "logist", "cryogenic", "same-day delivery",
           "chicago", "erp migration", "cold chain"]

# -- the workspace -------------------------------------------------------------------------------------

_NAME_A = ["Harbor", "Summit", "Blue", "Granite", "Cedar", "North", "Prairie", "Iron", "Silver", "Red",
           "Lakeside", "Copper", "Atlas", "Pioneer", "Coastal", "Evergreen", "Keystone", "Redwood", "Union",
           "Meridian", "Falcon", "Orchard", "Beacon", "Highland", "Tidewater"]
_NAME_B = ["Pine", "Ridge", "River", "Peak", "Bay", "Stone", "Field", "Rock", "Oak", "Line", "Point", "Gate",
           "Star", "Mill", "Crest", "Valley", "Harbor", "Bridge", "Trail", "Works"]
_NAME_C = ["Freight", "Logistics", "Foods", "Supply", "Distribution", "Manufacturing", "Cold Storage",
           "Wholesale", "Industries", "Transport", "Packaging", "Brands"]
_FIRST = ["Dana", "Priya", "Marcus", "Elena", "Tom", "Aisha", "Jonas", "Mei", "Carlos", "Sofia", "Grace",
          "Omar", "Lena", "Rahul", "Hannah", "Diego", "Ingrid", "Kwame", "Yuki", "Patrick"]
_LAST = ["Okafor", "Sharma", "Lindqvist", "Novak", "Brennan", "Haddad", "Moreau", "Tanaka", "Alvarez", "Fischer",
         "Osei", "Kowalski", "Nguyen", "Romano", "Becker", "Adeyemi", "Walsh", "Costa", "Larsen", "Patel"]
_ROLES = ["VP Operations", "Head of Logistics", "Director of Supply Chain", "COO", "Procurement Manager",
          "Warehouse Operations Lead", "CFO", "IT Director", "Head of Fulfilment", "Transport Manager"]
_CITIES = ["Austin", "Chicago", "Reno", "Rotterdam", "Memphis", "Lyon", "Gdansk", "Columbus", "Toronto",
           "Atlanta", "Denver", "Leeds", "Dallas", "Phoenix", "Hamburg", "Savannah", "Calgary", "Nashville"]
_REGIONS = ["the Midwest", "the Pacific Northwest", "Texas", "the Benelux", "the Nordics", "Ontario",
            "the Southeast", "northern France", "the Mountain states", "the UK Midlands"]
_INVESTORS = ["Sequoia", "Insight Partners", "a16z", "General Catalyst", "Bessemer", "Tiger Global",
              "Index Ventures", "Accel", "Lightspeed", "Battery Ventures"]
_PARTNERS = ["Maersk", "DHL Supply Chain", "Flexport", "C.H. Robinson", "Ryder", "XPO", "Kuehne+Nagel",
             "UPS", "Geodis", "DB Schenker"]
_SOFTWARE = ["SAP", "Oracle NetSuite", "Manhattan WMS", "Blue Yonder", "Microsoft Dynamics", "Infor",
             "Salesforce", "Epicor", "Odoo", "a homegrown WMS"]
_DEPTS = ["logistics", "operations", "procurement", "finance", "IT", "fulfilment", "transport", "customer service"]
_THINGS = ["its cold chain", "same-day delivery", "an ERP migration", "a new customer portal", "route planning",
           "returns processing", "its EV fleet", "warehouse automation", "cross-border shipping",
           "a second distribution centre"]
_PAINS = ["carrier invoices", "late inbound trucks", "manual pick lists", "spreadsheet forecasting",
          "detention fees", "returns backlog", "driver turnover", "dock scheduling"]
_TOPICS = ["scaling a regional fleet", "hiring in a tight labour market", "what automation really costs",
           "surviving peak season", "moving off spreadsheets", "nearshoring"]
_OUTLETS = [("Supply Chain Dive", "supplychaindive.com"), ("FreightWaves", "freightwaves.com"),
            ("Reuters", "reuters.com"), ("Business Wire", "businesswire.com"), ("TechCrunch", "techcrunch.com"),
            ("Logistics Management", "logisticsmgmt.com"), ("The Loadstar", "theloadstar.com"),
            ("Modern Materials Handling", "mmh.com")]
_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December"]

_NEWS = [
    "{co} raised a ${n2}M Series {series} round led by {investor} to expand {thing}.",
    "{co} is hiring {n1} warehouse associates and {n0} drivers for its new site in {city}.",
    "{co} announced a warehouse expansion in {city}, adding {n2},000 square feet of racking by Q{q} {year}.",
    "{co} named {person} as {role}; the previous head of {dept} left in {month}.",
    "{co} signed a {n0}-year freight contract with {partner} covering {region}.",
    "{co} reported {n1}% revenue growth in Q{q} {year}, citing demand in {region}.",
    "{co} opened a distribution centre in {city} to cut delivery times across {region}.",
    "{co} said it will move {thing} in-house after a dispute with {partner}.",
    "{co} is hiring a {role} to lead a logistics overhaul, according to a {month} report.",
    "{co} cut {n1} office jobs in {city} but kept hiring in {dept}.",
]
_SITE = [
    "{co} operates {n1} distribution centres across {region}.",
    "The careers page lists {n1} open roles, mostly in {dept} in {city}.",
    "The {dept} team runs on {software} and plans a move to {software2} in {year}.",
    "{co} serves {n2} customers in {region}, according to its customers page.",
    "The leadership page lists {person} as {role}, based in {city}.",
    "{co} offers same-day delivery in {city} and next-day delivery across {region}.",
    "The about page says {co} was founded in {founded} and employs about {n2}0 people.",
    "{co} lists {partner} and {partner2} as logistics partners on its site.",
]
_FEED = [
    "Blog: how {co} cut dock-to-stock time by {n1}% at its {city} warehouse.",
    "Press release: {co} partners with {partner} on {thing}.",
    "Podcast: {person}, {role} at {co}, on {topic}.",
    "Blog: {co}'s {dept} team explains its switch to {software}.",
    "Newsroom: {co} wins a {partner} supplier award for {thing}.",
]
_NOTE = [
    "Call with {person}: the {dept} budget is set in {month}; they want {thing}.",
    "Met {person} at a {city} trade show; mentioned pain with {pains}.",
    "Referral from {partner}: {person} owns the {dept} vendor shortlist.",
    "{person} said on LinkedIn they are rethinking {thing} after peak season.",
    "Follow up with {person} after {month}: they renew their {software} contract then.",
]
_RARE = "{co} is piloting cryogenic storage for biologics at its {city} site, per a {month} filing."


def _slug(text: str) -> str:
    return "".join(ch if ch.isalnum() else "-" for ch in text.lower()).strip("-")


def _fact(rng: random.Random, company: str, website: str, n: int, today: date) -> tuple[str, str, str, str, str | None]:
    """(kind, text, source_url, source_title, published) of a plausible research fact."""
    kind = rng.choices(("news", "site", "feed", "note"), weights=(40, 30, 18, 12))[0]
    values = {
        "co": company, "n0": rng.randint(2, 9), "n1": rng.randint(10, 95), "n2": rng.randint(12, 480),
        "series": rng.choice("ABCD"), "investor": rng.choice(_INVESTORS), "thing": rng.choice(_THINGS),
        "city": rng.choice(_CITIES), "region": rng.choice(_REGIONS), "q": rng.randint(1, 4),
        "year": rng.randint(2024, 2027), "person": f"{rng.choice(_FIRST)} {rng.choice(_LAST)}",
        "role": rng.choice(_ROLES), "dept": rng.choice(_DEPTS), "month": rng.choice(_MONTHS),
        "partner": rng.choice(_PARTNERS), "partner2": rng.choice(_PARTNERS), "software": rng.choice(_SOFTWARE),
        "software2": rng.choice(_SOFTWARE), "pains": rng.choice(_PAINS), "topic": rng.choice(_TOPICS),
        "founded": rng.randint(1952, 2019),
    }
    if n % 5000 == 1234:  # a handful of facts with a rare word
        kind, template = "news", _RARE
    else:
        template = rng.choice({"news": _NEWS, "site": _SITE, "feed": _FEED, "note": _NOTE}[kind])
    text = template.format(**values)
    published = None
    if kind in ("news", "feed") or (kind == "site" and rng.random() < 0.3):
        published = (today - timedelta(days=rng.randint(1, 900))).isoformat()
    if kind == "news":
        title, host = rng.choice(_OUTLETS)
        url = f"https://www.{host}/{(published or '2026')[:4]}/{_slug(text)[:60]}"
    elif kind == "site":
        page = rng.choice(("about", "careers", "customers", "leadership", "services", "locations"))
        url, title = f"https://{website}/{page}", f"{company} | {page.title()}"
    elif kind == "feed":
        url, title = f"https://{website}/blog/{_slug(text)[:50]}", f"{company} blog"
    else:
        url, title = ("https://www.linkedin.com/in/example", "LinkedIn") if rng.random() < 0.3 else ("", "")
    return kind, text, url, title, published


def build_workspace(home: Path) -> dict:
    """The benchmark's workspace in home/earned.db; returns the ids of the big and small prospects."""
    from app.core.models import Draft
    from app.storage.database import open_store
    from app.storage.repo import WorkspaceRepo

    rng = random.Random(SEED)
    today = date.today()
    home.mkdir(parents=True, exist_ok=True)
    store = open_store(home / "earned.db")
    repo = WorkspaceRepo(store.conn)
    names = rng.sample([f"{a} {b} {c}" for a in _NAME_A for b in _NAME_B for c in _NAME_C], PROSPECTS)
    # Fact counts: two big prospects, a small one, the rest spread evenly (19 or 20 each).
    rest = FACTS - 2 * BIG - SMALL
    counts = [BIG, BIG, SMALL] + [rest // (PROSPECTS - 3) + (1 if i < rest % (PROSPECTS - 3) else 0)
                                  for i in range(PROSPECTS - 3)]
    assert sum(counts) == FACTS
    order = list(range(PROSPECTS))
    rng.shuffle(order)  # the big ones are not the first rows of the list
    prospect_ids: list[int] = [0] * PROSPECTS
    fact_ids: dict[int, list[int]] = {}
    n = 0
    with repo.transaction():
        for slot in order:
            company = names[slot]
            website = f"{_slug(company).replace('-', '')}.example"
            p = repo.add_prospect(company, website, f"{rng.choice(_FIRST)} {rng.choice(_LAST)}", rng.choice(_ROLES))
            prospect_ids[slot] = p.id
            ids = fact_ids.setdefault(p.id, [])
            while len(ids) < counts[slot]:
                fact, created = repo.add_fact(p.id, *_fact(rng, company, website, n, today))
                n += 1
                if created:  # the same sentence twice for one prospect is one fact: draw again
                    ids.append(fact.id)
    big, small = prospect_ids[:2], prospect_ids[2]
    # Sent first touches, 6-40 days ago: their follow-ups (3 business days) are due.
    touched = [big[0]] + rng.sample(prospect_ids[3:], TOUCHED - 1)
    for pid in touched:
        cited = fact_ids[pid][:2]
        sent = datetime.now().astimezone() - timedelta(days=rng.randint(6, 40), hours=rng.randint(0, 8))
        repo.record_touch(pid, "first-touch", "Your new distribution site",
                          f"Hi, I saw the news about your expansion [^{cited[0]}] and the hiring [^{cited[1]}]. "
                          "We help teams like yours schedule docks. Worth a 15-minute call next week?",
                          cited, [], sent_at=sent)
    for pid in big:  # a draft in progress on each big prospect, citing two of its facts
        a, b = fact_ids[pid][5], fact_ids[pid][17]
        repo.save_draft(Draft(pid, "first-touch", "Dock scheduling in your new site",
                              f"Hi,\n\nI read that you are adding warehouse space [^{a}] and hiring for it [^{b}]. "
                              "Teams at that stage often find that dock appointments pile up before the new "
                              "racking is even in. We cut detention fees by a third at two similar sites.\n\n"
                              "Would a 15-minute call on Tuesday be useful?\n\nBest,\nSam"))
    counts_db = dict(store.conn.execute("SELECT prospect_id, count(*) FROM facts GROUP BY prospect_id").fetchall())
    total = store.conn.execute("SELECT count(*) FROM facts").fetchone()[0]
    store.conn.close()
    assert total == FACTS and counts_db[big[0]] == counts_db[big[1]] == BIG and counts_db[small] == SMALL, \
        (total, counts_db[big[0]], counts_db[big[1]], counts_db[small])
    return {"big": big, "small": small, "touched": len(touched), "facts": total,
            "prospects": len(counts_db)}


# -- 1 and 2: whole processes --------------------------------------------------------------------------

def run_child(cmd: list[str], env: dict) -> tuple[float, float]:
    """(wall ms, peak RSS MB) of one whole process, from spawn to exit; fails loudly on a non-zero exit."""
    with tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = (time.perf_counter() - start) * 1000
        proc.returncode = code = os.waitstatus_to_exitcode(status)
        if code != 0:
            err.seek(0)
            raise SystemExit(f"{' '.join(cmd)} exited {code}:\n{err.read().decode(errors='replace')}")
    return elapsed, usage.ru_maxrss / 1024  # ru_maxrss is in KiB on Linux


# -- 3 and 4: the real window, in this process -----------------------------------------------------------

class Session:
    """The real MainWindow on the workspace, with helpers that wait on its signals (no sleeps)."""

    def __init__(self, home: Path):
        from PySide6.QtCore import QEvent, QObject, QSettings, qInstallMessageHandler
        from PySide6.QtWidgets import QApplication

        from app.services.workspace_service import WorkspaceService
        from app.ui.main_window import MainWindow

        def quiet(mode, context, message):  # the offscreen plugin's one harmless warning, on every show()
            if "propagateSizeHints" not in message:
                print(message, file=sys.stderr)

        qInstallMessageHandler(quiet)
        self.app = QApplication.instance() or QApplication([sys.argv[0]])
        self.service = WorkspaceService(home / "earned.db", seed_demo=False)
        self.settings = QSettings(str(home / "settings.ini"), QSettings.Format.IniFormat)
        self.window = MainWindow(self.service, self.settings)
        self.facts = self.window.research.facts

        session = self

        class PaintWatch(QObject):
            def eventFilter(self, obj, event):  # noqa: N802 - Qt's name
                if event.type() == QEvent.Type.Paint:
                    session.last_paint = time.perf_counter()
                    if session.paint_loop is not None:
                        session.paint_loop.quit()
                return False

        self.last_paint = 0.0
        self.paint_loop = None
        self._watch = PaintWatch()
        self.facts.viewport().installEventFilter(self._watch)
        self.unpainted = 0  # waits where processEvents() alone did not paint the list

        self._wait_for(self.window.ready, lambda: (self.window.show(), self.service.open()))
        self.settle()

    def _wait_for(self, signal, start, timeout_ms: int = 10_000):
        """Run start(), then an event loop until `signal` fires (our slot runs after the window's)."""
        from PySide6.QtCore import QEventLoop, QTimer

        loop = QEventLoop()
        got: list = []

        def slot(*args):
            got.append((time.perf_counter(), args))
            loop.quit()

        signal.connect(slot)
        guard = QTimer()
        guard.setSingleShot(True)
        guard.timeout.connect(loop.quit)
        guard.start(timeout_ms)
        try:
            start()
            if not got:
                loop.exec()
        finally:
            guard.stop()
            signal.disconnect(slot)
        if not got:
            raise SystemExit(f"timed out waiting for {signal}")
        return got[0]

    def _painted_since(self, since: float) -> None:
        """processEvents(), then if the list has not been painted since `since`, wait for its paint event."""
        from PySide6.QtCore import QEventLoop, QTimer

        self.app.processEvents()
        if self.last_paint >= since:
            return
        self.unpainted += 1
        self.paint_loop = QEventLoop()
        QTimer.singleShot(2000, self.paint_loop.quit)
        try:
            self.paint_loop.exec()
        finally:
            self.paint_loop = None
        if self.last_paint < since:
            raise SystemExit("the fact list was not painted within 2 s")

    def settle(self) -> None:
        """Let queued work (e.g. the start-up prospect's facts) finish, outside any timing."""
        self.service.wait()
        for _ in range(3):
            self.app.processEvents()

    def switch(self, pid: int, expected: int) -> dict:
        """Select prospect pid; ms until its facts, sent log and draft are handled and the list is painted."""
        research, service = self.window.research, self.service
        assert research.current_prospect_id() != pid
        marks: dict[str, float] = {}

        def on_facts(prospect_id, _facts):
            marks.setdefault("facts", time.perf_counter())

        service.facts_loaded.connect(on_facts)
        try:
            start = time.perf_counter()

            def go():
                research.select_prospect(pid)
                marks["selected"] = time.perf_counter()

            marks["draft"], _ = self._wait_for(service.draft_loaded, go)
        finally:
            service.facts_loaded.disconnect(on_facts)
        self._painted_since(marks["facts"])
        end = time.perf_counter()
        ok = self.facts.count() == expected and self.window.composer.isEnabled()
        if not ok:
            raise SystemExit(f"switch to {pid}: {self.facts.count()} cards (expected {expected}), "
                             f"composer enabled: {self.window.composer.isEnabled()}")
        ms = lambda t: (t - start) * 1000  # noqa: E731
        return {"total": ms(end), "selected": ms(marks["selected"]), "facts": ms(marks["facts"]),
                "draft": ms(marks["draft"])}

    def search(self, query: str) -> tuple[float, float, int]:
        """Set the fact search's text; (ms until shown and painted, ms until the results were handled, hits)."""
        research = self.window.research
        assert research.fact_search.text() != query
        start = time.perf_counter()
        done, (_gen, _q, facts, _names) = self._wait_for(self.service.search_results,
                                                          lambda: research.fact_search.setText(query))
        self._painted_since(done)
        end = time.perf_counter()
        if not research.search_mode or self.facts.count() != len(facts):
            raise SystemExit(f"search {query!r}: search_mode={research.search_mode}, "
                             f"{self.facts.count()} cards for {len(facts)} results")
        return (end - start) * 1000, (done - start) * 1000, len(facts)

    def close(self) -> None:
        self.window.research.fact_search.clear()
        self.settle()
        self.window.close()


# -- report ----------------------------------------------------------------------------------------------

def verdict(ok: bool) -> str:
    return "PASS" if ok else "MISS"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer runs: 3 startups each, 9 switches, fewer searches")
    parser.add_argument("--runs", type=int, help="timed startup runs of each process (default 11, --quick 3)")
    parser.add_argument("--build-workspace", metavar="DIR", help=argparse.SUPPRESS)  # the child's job
    args = parser.parse_args(argv)
    if args.build_workspace:
        print(json.dumps(build_workspace(Path(args.build_workspace))))
        return 0
    runs = args.runs or (3 if args.quick else 11)
    cycles = 3 if args.quick else 12  # each cycle: big A, big B, small
    store_reps = 5 if args.quick else 30
    e2e_reps = 2 if args.quick else 6

    import PySide6

    with tempfile.TemporaryDirectory(prefix="earned-bench-") as tmp:
        home = Path(tmp) / "workspace"
        start = time.perf_counter()
        built = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--build-workspace", str(home)],
                               cwd=ROOT, check=True, capture_output=True, text=True)
        info = json.loads(built.stdout.strip().splitlines()[-1])
        print(f"Built workspace ({info['prospects']:,} prospects, {info['facts']:,} facts; two with {BIG} facts, "
              f"one with {SMALL}; {info['touched']} follow-ups due) in {time.perf_counter() - start:.1f} s")

        # 1 and 2: startup and the app process's peak memory.
        env = dict(os.environ, EARNED_HOME=str(home), QT_QPA_PLATFORM="offscreen")
        env.pop("PYTHONDONTWRITEBYTECODE", None)  # as benchmarks/startup.py: .pyc cached, in a temp prefix
        env["PYTHONPYCACHEPREFIX"] = str(Path(tmp) / "pycache")
        app_cmd = [sys.executable, "-m", "app", "--quit-after-startup"]
        base_cmd = [sys.executable, "-c", BASELINE_SCRIPT]
        run_child(app_cmd, env)  # warm-ups, not counted
        run_child(base_cmd, env)
        app_ms, app_rss, base_ms, base_rss = [], [], [], []
        for _ in range(runs):
            ms, rss = run_child(app_cmd, env)
            app_ms.append(ms), app_rss.append(rss)
            ms, rss = run_child(base_cmd, env)
            base_ms.append(ms), base_rss.append(rss)

        # 4a: the store call alone, on a separate connection.
        from app.storage.database import connect
        from app.storage.repo import WorkspaceRepo

        conn = connect(home / "earned.db")
        repo = WorkspaceRepo(conn)
        store_ms: dict[str, list[float]] = {q: [] for q in QUERIES}
        hits: dict[str, int] = {}
        for q in QUERIES:
            hits[q] = len(repo.search_facts(q, limit=100))  # warm-up
        for _ in range(store_reps):
            for q in QUERIES:
                t = time.perf_counter()
                repo.search_facts(q, limit=100)
                store_ms[q].append((time.perf_counter() - t) * 1000)
        t = time.perf_counter()
        for _ in range(store_reps):
            repo.list_facts(info["big"][0])
        list_facts_ms = (time.perf_counter() - t) * 1000 / store_reps
        conn.close()
        rss_before_window = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

        # 3: switching prospects in the real window.
        session = Session(home)
        big_a, big_b = info["big"]
        small = info["small"]
        if session.window.research.current_prospect_id() == big_a:
            big_a, big_b = big_b, big_a
        for pid, n in ((big_a, BIG), (small, SMALL), (big_b, BIG)):  # warm-up, not counted
            session.switch(pid, n)
        switches: list[dict] = []
        small_ms: list[float] = []
        for _ in range(cycles):
            for pid, n in ((big_a, BIG), (big_b, BIG), (small, SMALL)):
                result = session.switch(pid, n)
                (switches.append(result) if n == BIG else small_ms.append(result["total"]))

        # 4b: search end to end in the window (consecutive queries always differ).
        session.search("warehouse")  # warm-up
        e2e_ms: dict[str, list[float]] = {q: [] for q in QUERIES}
        handled_ms: list[float] = []
        for _ in range(e2e_reps):
            for q in QUERIES:
                ms, handled, n = session.search(q)
                handled_ms.append(handled)
                if n != hits[q]:
                    raise SystemExit(f"search {q!r}: {n} results in the window, {hits[q]} from the store")
                e2e_ms[q].append(ms)
        unpainted = session.unpainted
        session.close()
        rss_session = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    # -- the report ------------------------------------------------------------------------------------
    def med(xs):
        return statistics.median(xs)

    print()
    print(f"Python {platform.python_version()}, PySide6 {PySide6.__version__}, {os.cpu_count()} CPUs, "
          f"QT_QPA_PLATFORM=offscreen{', --quick' if args.quick else ''}")
    print()
    print(f"1. Startup to an idle window, whole process ({runs} runs each, interleaved, after a warm-up each)")
    print(f"{'':<38}{'median ms':>10}{'p95 ms':>9}{'peak RSS MB (median / max)':>30}")
    am, bm = med(app_ms), med(base_ms)
    print(f"{'   A  app --quit-after-startup':<38}{am:>10.0f}{p95(app_ms):>9.0f}"
          f"{med(app_rss):>19.1f} / {max(app_rss):.1f}")
    print(f"{'   B  bare QApplication+QMainWindow':<38}{bm:>10.0f}{p95(base_ms):>9.0f}"
          f"{med(base_rss):>19.1f} / {max(base_rss):.1f}")
    print(f"   Ratio of medians A/B: {am / bm:.2f}")
    print()
    print("2. Peak RSS of this process (RUSAGE_SELF; the workspace was built in a child):")
    print(f"   after imports and the store searches: {rss_before_window:.1f} MB; "
          f"after the window session (3 and 4): {rss_session:.1f} MB")
    print()
    totals = [s["total"] for s in switches]
    print(f"3. Switch prospect in the real MainWindow: {len(switches)} switches to a {BIG}-fact prospect "
          f"(alternating two, with a {SMALL}-fact one between), ms from select_prospect")
    print(f"   {BIG}-fact prospect, until all {BIG} cards are shown and painted and the composer is enabled:"
          f"  median {med(totals):.1f}  p95 {p95(totals):.1f}  max {max(totals):.1f}")
    part = {key: med([s[key] for s in switches]) for key in ("selected", "facts", "draft")}
    print(f"   of which (medians, from select_prospect): select_prospect returned {part['selected']:.1f}, "
          f"facts handled {part['facts']:.1f}, draft handled {part['draft']:.1f}")
    print(f"   {SMALL}-fact prospect ({len(small_ms)} switches): median {med(small_ms):.1f}  p95 {p95(small_ms):.1f}")
    print(f"   store alone: list_facts of a {BIG}-fact prospect {list_facts_ms:.2f} ms (separate connection)")
    print()
    all_store = [x for xs in store_ms.values() for x in xs]
    all_e2e = [x for xs in e2e_ms.values() for x in xs]
    print(f"4. Fact search over {FACTS:,} facts (limit 200): (a) store call, {store_reps} calls per query; "
          f"(b) end to end in the window, {e2e_reps} per query")
    print(f"   {'query':<22}{'hits':>6}{'store med':>11}{'p95':>8}{'window med':>12}{'p95':>8}")
    for q in QUERIES:
        print(f"   {q:<22}{hits[q]:>6}{med(store_ms[q]):>11.2f}{p95(store_ms[q]):>8.2f}"
              f"{med(e2e_ms[q]):>12.1f}{p95(e2e_ms[q]):>8.1f}")
    print(f"   {'all queries':<22}{'':>6}{med(all_store):>11.2f}{p95(all_store):>8.2f}"
          f"{med(all_e2e):>12.1f}{p95(all_e2e):>8.1f}")
    print(f"   window, of which (median): results delivered and handled {med(handled_ms):.1f} ms (store thread + "
          f"show_search_results), then processEvents() (layout, paint) to the end")
    print(f"   waits where processEvents() alone had not painted the list (3 and 4): {unpainted}")
    print()
    rows = [
        (am <= TARGET_STARTUP_MS, f"startup median <= {TARGET_STARTUP_MS:.0f} ms", f"{am:.0f} ms"),
        (max(app_rss) <= TARGET_RSS_MB, f"app process peak RSS <= {TARGET_RSS_MB:.0f} MB (max of runs)",
         f"{max(app_rss):.1f} MB"),
        (rss_session <= TARGET_RSS_MB, f"in-process session peak RSS <= {TARGET_RSS_MB:.0f} MB",
         f"{rss_session:.1f} MB"),
        (med(totals) <= TARGET_SWITCH_MS, f"switch to {BIG} facts, median <= {TARGET_SWITCH_MS:.0f} ms",
         f"{med(totals):.1f} ms"),
        (p95(totals) <= TARGET_SWITCH_MS, f"switch to {BIG} facts, p95 <= {TARGET_SWITCH_MS:.0f} ms",
         f"{p95(totals):.1f} ms"),
        (med(all_store) <= TARGET_SEARCH_MS, f"search, store call, median <= {TARGET_SEARCH_MS:.0f} ms",
         f"{med(all_store):.2f} ms"),
        (p95(all_store) <= TARGET_SEARCH_MS, f"search, store call, p95 <= {TARGET_SEARCH_MS:.0f} ms",
         f"{p95(all_store):.2f} ms"),
        (med(all_e2e) <= TARGET_SEARCH_MS, f"search, end to end, median <= {TARGET_SEARCH_MS:.0f} ms",
         f"{med(all_e2e):.1f} ms"),
        (p95(all_e2e) <= TARGET_SEARCH_MS, f"search, end to end, p95 <= {TARGET_SEARCH_MS:.0f} ms",
         f"{p95(all_e2e):.1f} ms"),
    ]
    print("Targets:")
    width = max(len(r[1]) for r in rows) + 2
    for ok, label, value in rows:
        print(f"  {verdict(ok)}  {label:<{width}}{value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
