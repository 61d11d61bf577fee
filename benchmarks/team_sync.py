"""Team sync benchmark: three reps and a throwaway PostgreSQL server; rep A's workspace holds 2,000 prospects,
40,000 facts (research facts and notes) and 5,000 sent messages (touches).

For each batch size (default: 500, the engine's default, then 200 and 2000), on a fresh database:

  first sync   A connects (the outbox is filled with every row) and syncs: every row is pushed, then the team's
               rows are pulled (A's own come back too, with rep C's);
  first pull   B, with an empty workspace, connects and syncs: every row is pulled;
  floor        the same rows A pushed written with COPY (psycopg cursor.copy) in one transaction into plain
               tables of the same shape (schema bench_floor: same columns, defaults and indexes; no row-level
               security, no triggers, no foreign keys), and the team's rows read back with COPY TO STDOUT as B.

Then, at the first batch size only:

  incremental  A records one touch and syncs, then B syncs: the wall time from A's record to B having it
               (median of --latency-runs);
  idle         a sync with nothing to do, by A and by B (median of --latency-runs).

Rep C starts with a small workspace of its own (200 prospects, 20 of them the same companies as A's, 1,000
facts, 250 touches) and syncs before A, so A's first sync meets a team that already has accounts.

Run from the repo root:  .venv/bin/python benchmarks/team_sync.py [--batches 500,200,2000] [--latency-runs 20]
                                                                   [--scale 1.0] [--profile]
--scale shrinks every size (a quick check, e.g. --scale 0.05 --batches 50,20,100): keep each batch size a divisor
of A's prospect count, or below it. A batch that holds both a prospect the team already has (C's 20) and that
prospect's facts fails with a foreign-key violation, in the engine as it stands (2026-11-23). --profile runs
cProfile over A's first sync and B's, at the first batch size only, and prints where the time went (the profiler
slows both down: its times are not the benchmark's).
Needs PostgreSQL's server programs (tests/fixtures/postgres.py finds them); the cluster is deleted at the end,
also on an error or Ctrl-C.
"""
from __future__ import annotations

import argparse
import cProfile
import hashlib
import io
import json
import os
import platform
import pstats
import random
import shutil
import signal
import sqlite3
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

# The words facts are made of: the startup benchmark's, so both read the same kind of text.
from benchmarks.startup import _OBJECTS, _SUBJECTS, _VERBS, _WHERE  # noqa: E402

PROSPECTS, FACTS, TOUCHES = 2_000, 40_000, 5_000
NOTE_EVERY = 10  # every 10th fact is a note the rep typed; the rest are research facts
SNAPSHOT_EVERY = 4  # every 4th research fact carries a quote snapshot
C_PROSPECTS, C_SHARED, C_FACTS, C_TOUCHES = 200, 20, 1_000, 250

# -- text that reads like the real thing, varied so no two facts are the same ----------------------------------
_WORD1 = ["Northwind", "Bluewater", "Granite", "Summit", "Harbor", "Cedar", "Ironwood", "Lakeside", "Redline",
          "Silverline", "Keystone", "Brightpath", "Oakridge", "Pioneer", "Evergreen", "Atlas"]
_WORD2 = ["Logistics", "Freight", "Robotics", "Foods", "Health", "Analytics", "Manufacturing", "Energy",
          "Software", "Retail", "Labs", "Supply"]
_FIRST = ["Sam", "Dana", "Priya", "Jonas", "Mei", "Carlos", "Aisha", "Tom", "Lena", "Omar", "Grace", "Ivan"]
_LAST = ["Rivera", "Okafor", "Shah", "Berg", "Chen", "Ortiz", "Khan", "Walsh", "Novak", "Haddad", "Kim", "Petrov"]
_ROLES = ["VP Operations", "Head of Logistics", "CFO", "Director of Procurement", "COO", "Head of Engineering"]
_SOURCES = ["the quarterly report", "a press release", "the local business journal", "their careers page",
            "an investor call", "a trade-press interview"]
_RESEARCH_KINDS = ["news", "site", "feed", "hiring", "filing"]
_MESSAGE_KINDS = ["first-touch", "follow-up", "linkedin-note", "call-script"]


def company(i: int, tag: str = "") -> tuple[str, str]:
    """(name, website) of prospect i; tag keeps another rep's companies apart."""
    name = f"{_WORD1[i % 16]} {_WORD2[(i // 16) % 12]} {tag}{i}"
    slug = name.lower().replace(" ", "-")
    return name, f"https://{slug}.example"


def fact_text(n: int, tag: str = "") -> str:
    """About 150 characters, like a sentence research keeps."""
    return (f"{_SUBJECTS[n % 8]} {_VERBS[(n // 8) % 8]} {_OBJECTS[(n // 64) % 8]} {_WHERE[(n // 512) % 8]}"
            f" in {['March', 'June', 'September', 'November'][n % 4]} {2022 + n % 4}, according to"
            f" {_SOURCES[n % 6]}; about {(n * 37) % 400 + 12} staff are involved (item {tag}{n}).")


def note_text(n: int, tag: str = "") -> str:
    return (f"Call with {_FIRST[n % 12]} {_LAST[(n // 12) % 12]} on day {n % 28 + 1}: they are unhappy with"
            f" their current carrier's {['tracking', 'invoicing', 'delays'][n % 3]}; budget review in Q{n % 4 + 1}"
            f" (note {tag}{n}).")


def touch_text(n: int, first: str, cited: list[tuple[int, str]]) -> str:
    lines = [f"Hi {first},", ""]
    for fact_id, text in cited:
        lines.append(f"I read that {text[0].lower()}{text[1:90].rstrip()} [^{fact_id}].")
    lines += ["", "We help teams like yours cut the time between order and delivery without adding headcount;"
              " a 20-minute call next week to see whether it fits?", "", f"Best,\nAlex (message {n})"]
    return "\n".join(lines)


def build_workspace(path: Path, prospects: int, facts: int, touches: int, tag: str = "",
                    shared: int = 0, seed: int = 1) -> dict[int, list[tuple[int, str]]]:
    """A workspace built through WorkspaceRepo (add_prospect, add_fact, add_note, record_touch) in one
    transaction. Prospects below `shared` are the same companies rep A has (the same names and websites).
    Returns {prospect id: [(fact id, text)]}, for touches citing facts later."""
    from app.storage.database import open_store
    from app.storage.repo import WorkspaceRepo

    rng = random.Random(seed)
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = open_store(path).conn
    repo = WorkspaceRepo(conn)
    by_prospect: dict[int, list[tuple[int, str]]] = {}
    now = datetime.now(timezone.utc)
    with repo.transaction():
        ids = []
        for i in range(prospects):
            name, website = company(i, "" if i < shared else tag)
            first, last = _FIRST[i % 12], _LAST[(i // 12) % 12]
            slug = website.split("//")[1]
            p = repo.add_prospect(name, website, f"{first} {last}", _ROLES[i % 6], f"{first.lower()}@{slug}")
            ids.append(p.id)
            by_prospect[p.id] = []
        for n in range(facts):
            pid = ids[n % prospects]
            if n % NOTE_EVERY == NOTE_EVERY - 1:
                fact = repo.add_note(pid, note_text(n, tag))
                text = fact.text
            else:
                text = fact_text(n, tag)
                url = f"https://news.example/{tag}{n}"
                snapshot = None
                if n % SNAPSHOT_EVERY == 0:
                    snapshot = {"quote": text, "url": url, "retrieved_at": now.isoformat(timespec="seconds"),
                                "sha256": hashlib.sha256(text.encode()).hexdigest()}
                fact, _ = repo.add_fact(pid, _RESEARCH_KINDS[n % 5], text, url, f"{_WORD1[n % 16]} business news",
                                        f"{2022 + n % 4}-0{n % 9 + 1}-1{n % 9}", "en", n % 7 == 0,
                                        round(rng.random(), 3), snapshot)
            by_prospect[pid].append((fact.id, text))
        for n in range(touches):
            pid = ids[n % prospects]
            cited = rng.sample(by_prospect[pid], k=min(2, len(by_prospect[pid])))
            kind = _MESSAGE_KINDS[n % 4]
            sent = now - timedelta(days=rng.randint(1, 120), minutes=rng.randint(0, 600))
            repo.record_touch(pid, kind, f"{_OBJECTS[n % 8].capitalize()} {_WHERE[n % 8]}",
                              touch_text(n, _FIRST[n % 12], cited), [c[0] for c in cited], [],
                              follow_up_days=3, sent_at=sent)
    conn.close()
    return by_prospect


def copy_workspace(source: Path, target: Path) -> Path:
    target.mkdir(parents=True, exist_ok=True)
    for part in source.parent.glob(source.name + "*"):  # earned.db and any -wal / -shm
        shutil.copy2(part, target / part.name)
    return target / source.name


# -- the team ------------------------------------------------------------------------------------------------
class Rep:
    """A rep with their own workspace file and keychain, syncing as their own PostgreSQL role."""

    def __init__(self, db: Path, url: str, password: str, name: str):
        from app.secrets import SecretStore
        from app.storage.database import open_store
        from app.storage.repo import WorkspaceRepo
        from tests.unit.test_secrets import MemoryKeyring

        self.url, self.password, self.name = url, password, name
        self.repo = WorkspaceRepo(open_store(db).conn)
        self.secrets = SecretStore(MemoryKeyring())

    def connect(self) -> dict:
        from app.team import client

        return client.connect(self.repo, self.url, self.name, self.password, self.secrets)

    def sync(self, batch: int) -> dict:
        from app.team import client

        return client.sync(self.repo, self.secrets, batch=batch)

    def count(self, sql: str, *args) -> int:
        return self.repo.conn.execute(sql, args).fetchone()[0]


# Push and pull times inside one client.sync() call: client.sync looks Syncer up when it runs, so wrapping its
# methods here times the engine's own code without changing it.
PHASES: dict[str, float] = {}


def _timed(name: str, method):
    def wrapper(self, *args, **kwargs):
        start = time.perf_counter()
        try:
            return method(self, *args, **kwargs)
        finally:
            PHASES[name] = PHASES.get(name, 0.0) + time.perf_counter() - start
    return wrapper


def install_phase_timers() -> None:
    from app.team.sync import Syncer

    Syncer.push = _timed("push", Syncer.push)
    Syncer.pull = _timed("pull", Syncer.pull)


def timed(fn, *args):
    """(result, seconds) of one call; the phase timers start from zero."""
    PHASES.clear()
    start = time.perf_counter()
    result = fn(*args)
    return result, time.perf_counter() - start


# -- the COPY floor ------------------------------------------------------------------------------------------
FLOOR_TABLES = {
    "accounts": ("gid", "company", "website", "domain_key", "name_key", "contact_name", "role", "email",
                 "versions", "created_by"),
    "facts": ("gid", "account_gid", "kind", "text", "source_url", "source_title", "published", "lang", "off_site",
              "score", "quote", "quote_url", "quote_retrieved_at", "quote_sha256", "created_by"),
    "touches": ("gid", "account_gid", "kind", "subject", "text", "cited_fact_gids", "overrides", "sent_at",
                "follow_up_due", "created_by"),
    "ownership": ("account_gid", "owner", "expires_at"),
}


def floor_rows(workspace: Path, role: str) -> dict[str, list[tuple]]:
    """The rows A's first sync writes on the server, as tuples in FLOOR_TABLES' column order, read from A's
    workspace (the same values the sync sends; versions as claim_account makes them)."""
    from app.storage.duplicates import company_key, website_host

    conn = sqlite3.connect(workspace)
    conn.row_factory = sqlite3.Row
    stamp = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    expires = (datetime.now(timezone.utc) + timedelta(days=90)).isoformat()
    version = {"at": stamp, "by": role}
    accounts = []
    for p in conn.execute("SELECT * FROM prospects ORDER BY id"):
        versions = {f: version for f in ("company", "website", "contact_name", "role", "email") if p[f]}
        accounts.append((p["gid"], p["company"], p["website"], website_host(p["website"]), company_key(p["company"]),
                         p["contact_name"], p["role"], p["email"], json.dumps(versions), role))
    facts = [(f["gid"], f["pgid"], f["kind"], f["text"], f["source_url"] or "", f["source_title"] or "",
              f["published"], f["lang"], bool(f["off_site"]), f["score"], f["quote"], f["quote_url"],
              f["quote_retrieved_at"], f["quote_sha256"], role)
             for f in conn.execute("SELECT f.*, p.gid AS pgid FROM facts f JOIN prospects p ON p.id = f.prospect_id"
                                   " WHERE f.created_by IS NULL ORDER BY f.id")]
    fact_gids = dict(conn.execute("SELECT id, gid FROM facts").fetchall())
    touches, owned = [], {}
    for t in conn.execute("SELECT t.*, p.gid AS pgid FROM touches t JOIN prospects p ON p.id = t.prospect_id"
                          " WHERE t.created_by IS NULL ORDER BY t.id"):
        cited = [fact_gids[i] for i in json.loads(t["cited_fact_ids"]) if i in fact_gids]
        touches.append((t["gid"], t["pgid"], t["kind"], t["subject"], t["text"], cited, json.loads(t["overrides"]),
                        t["sent_at"], t["follow_up_due"], role))
        owned[t["pgid"]] = (t["pgid"], role, expires)
    conn.close()
    return {"accounts": accounts, "facts": facts, "touches": touches, "ownership": list(owned.values())}


def copy_floor_in(admin_url: str, admin_password: str, rows: dict[str, list[tuple]]) -> float:
    """Seconds to COPY the rows into bench_floor's tables (made first, not timed) in one transaction."""
    from psycopg import sql

    from app.team import server

    with server.connect(admin_url, admin_password) as conn:
        conn.execute("DROP SCHEMA IF EXISTS bench_floor CASCADE")
        conn.execute("CREATE SCHEMA bench_floor")
        for table in FLOOR_TABLES:
            conn.execute(sql.SQL("CREATE TABLE bench_floor.{t} (LIKE earned.{t} INCLUDING DEFAULTS"
                                 " INCLUDING CONSTRAINTS INCLUDING INDEXES)").format(t=sql.Identifier(table)))
        start = time.perf_counter()
        with conn.transaction():
            cur = conn.cursor()
            for table, columns in FLOOR_TABLES.items():
                statement = sql.SQL("COPY bench_floor.{} ({}) FROM STDIN").format(
                    sql.Identifier(table), sql.SQL(", ").join(map(sql.Identifier, columns)))
                with cur.copy(statement) as copy:
                    for row in rows[table]:
                        copy.write_row(row)
        return time.perf_counter() - start


def copy_floor_out(rep_url: str, password: str) -> tuple[int, float]:
    """(rows, seconds) to read every shared table with COPY TO STDOUT as a rep, each row parsed into a tuple."""
    from psycopg import sql

    from app.team import server

    rows = 0
    with server.connect(rep_url, password) as conn:
        start = time.perf_counter()
        with conn.transaction():
            cur = conn.cursor()
            for table in server.FEED_TABLES:
                with cur.copy(sql.SQL("COPY (SELECT * FROM earned.{}) TO STDOUT").format(sql.Identifier(table))) \
                        as copy:
                    rows += sum(1 for _ in copy.rows())
        return rows, time.perf_counter() - start


# -- one batch size ------------------------------------------------------------------------------------------
def run_batch(cluster, batch: int, run: int, work: Path, built: dict, args, latency: bool) -> dict:
    from app.team import server
    from tests.fixtures.postgres import ADMIN

    db = cluster.new_database()
    server.init_server(db.url_for(ADMIN), cluster.admin_password)
    reps = {}
    with server.connect(db.url_for(ADMIN), cluster.admin_password) as admin:
        for who, name in (("a", "Alex Morgan"), ("b", "Bea Lindqvist"), ("c", "Chidi Eze")):
            role, password = f"rep_{who}_{run}", f"{who}-bench-password-{run}"
            server.add_rep(admin, role, password, name)
            source = built.get(who)
            home = work / f"run{run}" / who
            path = copy_workspace(source, home) if source else home / "earned.db"
            reps[who] = Rep(path, db.url_for(role), password, name)
    a, b, c = reps["a"], reps["b"], reps["c"]
    out: dict = {"batch": batch}
    try:
        c.connect()
        report, out["c_seconds"] = timed(c.sync, batch)
        out["c_pushed"] = report["pushed"]

        contacted_before = a.count("SELECT count(*) FROM prospects WHERE status = 'contacted'")
        if args.profile:
            profiler = cProfile.Profile()
            profiler.enable()
        queued, out["a_connect"] = timed(a.connect)
        report, out["a_sync"] = timed(a.sync, batch)
        if args.profile:
            profiler.disable()
            out["profile_a"] = profiler
        out["a_pending_after_connect"] = queued["pending"]
        out["a_pushed"], out["a_pulled"] = report["pushed"], report["pulled_total"]
        out["a_push"], out["a_pull"] = PHASES.get("push", 0.0), PHASES.get("pull", 0.0)
        out["a_lost"] = report["lost_edits"]
        out["a_contacted"] = (contacted_before, a.count("SELECT count(*) FROM prospects WHERE status = 'contacted'"))

        b.connect()
        if args.profile:
            profiler = cProfile.Profile()
            profiler.enable()
        report, out["b_sync"] = timed(b.sync, batch)
        if args.profile:
            profiler.disable()
            out["profile_b"] = profiler
        out["b_pulled"], out["b_pulled_by_table"] = report["pulled_total"], report["pulled"]
        out["b_pull"] = PHASES.get("pull", 0.0)

        with server.connect(db.url_for(ADMIN), cluster.admin_password) as admin:
            out["server"] = {t: admin.execute(f"SELECT count(*) FROM earned.{t}").fetchone()[0]
                             for t in ("accounts", "facts", "touches", "ownership")}
        out["b_local"] = {
            "prospects": b.count("SELECT count(*) FROM prospects"),
            "facts": b.count("SELECT count(*) FROM facts"),
            "touches": b.count("SELECT count(*) FROM touches"),
        }

        # The floor, on the same server, after the syncs (so it competes with nothing).
        rows, out["floor_prepare"] = timed(floor_rows, built["a"], a.repo.conn.execute(
            "SELECT value FROM sync_state WHERE key = 'role'").fetchone()[0])
        out["floor_rows"] = sum(len(r) for r in rows.values())
        out["floor_in"] = copy_floor_in(db.url_for(ADMIN), cluster.admin_password, rows)
        out["floor_out_rows"], out["floor_out"] = copy_floor_out(b.url, b.password)

        if latency:
            out.update(measure_latency(a, b, batch, args.latency_runs))
    finally:
        for rep in reps.values():
            rep.repo.conn.close()
    return out


def measure_latency(a: Rep, b: Rep, batch: int, runs: int) -> dict:
    """A records a touch and syncs, B syncs: per run, the three times and whether B then has the touch."""
    pids = [r[0] for r in a.repo.conn.execute("SELECT id FROM prospects ORDER BY id LIMIT ?", (runs,))]
    record_ms, a_ms, b_ms, total_ms, missed = [], [], [], [], 0
    for n, pid in enumerate(pids):
        fact = a.repo.conn.execute("SELECT id, text FROM facts WHERE prospect_id = ? AND created_by IS NULL"
                                   " ORDER BY id LIMIT 1", (pid,)).fetchone()
        start = time.perf_counter()
        touch = a.repo.record_touch(pid, "follow-up", "Checking in", touch_text(90_000 + n, "there",
                                    [(fact[0], fact[1])]), [fact[0]], [], follow_up_days=3)
        recorded = time.perf_counter()
        a.sync(batch)
        a_done = time.perf_counter()
        b.sync(batch)
        end = time.perf_counter()
        if not b.count("SELECT count(*) FROM touches WHERE gid = ?", touch.gid):
            missed += 1
        record_ms.append((recorded - start) * 1000)
        a_ms.append((a_done - recorded) * 1000)
        b_ms.append((end - a_done) * 1000)
        total_ms.append((end - start) * 1000)
    idle_a, idle_b = [], []
    for _ in range(runs):
        for rep, times in ((a, idle_a), (b, idle_b)):
            report, seconds = timed(rep.sync, batch)
            if report["pushed"] or report["pulled_total"]:
                raise RuntimeError(f"an idle sync did something: {report}")
            times.append(seconds * 1000)
    return {"lat_record": record_ms, "lat_a": a_ms, "lat_b": b_ms, "lat_total": total_ms, "lat_missed": missed,
            "idle_a": idle_a, "idle_b": idle_b}


# -- output --------------------------------------------------------------------------------------------------
def p95(values: list[float]) -> float:
    """Nearest-rank 95th percentile."""
    ordered = sorted(values)
    return ordered[max(1, -(-95 * len(ordered) // 100)) - 1]


def per_second(rows: int, seconds: float) -> str:
    return f"{rows / seconds:,.0f}" if seconds > 0 else "-"


def print_run(r: dict) -> None:
    floor = r["floor_in"]
    first = r["a_connect"] + r["a_sync"]
    print(f"\nBatch {r['batch']}")
    print(f"  {'':<44}{'seconds':>9}{'rows':>10}{'rows/s':>10}{'x COPY':>9}")
    lines = [
        ("C first sync (its own workspace)", r["c_seconds"], r["c_pushed"], None),
        ("A connect (outbox filled)", r["a_connect"], r["a_pending_after_connect"], None),
        ("A first sync: push", r["a_push"], r["a_pushed"], r["a_push"] / floor),
        ("A first sync: pull (own rows back, and C's)", r["a_pull"], r["a_pulled"], None),
        ("A first sync, connect + push + pull", first, r["a_pushed"], first / floor),
        ("B first sync (pull everything)", r["b_sync"], r["b_pulled"], r["b_sync"] / floor),
        ("COPY floor in: A's rows, one transaction", floor, r["floor_rows"], 1.0),
        ("COPY floor out: every shared row, as B", r["floor_out"], r["floor_out_rows"], None),
    ]
    for label, seconds, rows, ratio in lines:
        rate = "" if label.startswith("A connect") else per_second(rows, seconds)
        print(f"  {label:<44}{seconds:>9.2f}{rows:>10,}{rate:>10}"
              f"{'' if ratio is None else f'{ratio:.1f}':>9}")
    print(f"  (preparing the COPY rows from A's workspace, not counted: {r['floor_prepare']:.2f} s; "
          f"B's pull against COPY out: {r['b_sync'] / r['floor_out']:.0f}x)")
    print(f"  server: {', '.join(f'{k} {v:,}' for k, v in r['server'].items())};"
          f" B's workspace: {', '.join(f'{k} {v:,}' for k, v in r['b_local'].items())}")
    print(f"  B pulled by table: {', '.join(f'{k} {v:,}' for k, v in r['b_pulled_by_table'].items() if v)}")
    before, after = r["a_contacted"]
    print(f"  A's prospects with status 'contacted': {before:,} before its first sync, {after:,} after;"
          f" edits lost: {r['a_lost']}")


def print_latency(r: dict, runs: int) -> None:
    print(f"\nIncremental sync, batch {r['batch']}, {runs} runs (A records one touch and syncs, then B syncs)")
    print(f"  {'':<44}{'median ms':>10}{'p95 ms':>9}")
    for label, key in (("A record_touch (local write)", "lat_record"), ("A sync (pushes it)", "lat_a"),
                       ("B sync (pulls it)", "lat_b"), ("A's record to B having it (wall)", "lat_total"),
                       ("Idle sync, A (nothing to do)", "idle_a"), ("Idle sync, B (nothing to do)", "idle_b")):
        print(f"  {label:<44}{statistics.median(r[key]):>10.0f}{p95(r[key]):>9.0f}")
    print(f"  B had the touch after its sync in {runs - r['lat_missed']} of {runs} runs")


def print_summary(results: list[dict]) -> None:
    print("\nSummary (each batch size on a fresh database, in the order run)")
    print(f"  {'batch':>6}{'A first s':>11}{'push rows/s':>13}{'pull rows/s':>13}{'B first s':>11}"
          f"{'B rows/s':>10}{'COPY s':>8}{'A/COPY':>8}{'B/COPY':>8}")
    for r in results:
        first = r["a_connect"] + r["a_sync"]
        print(f"  {r['batch']:>6}{first:>11.1f}{per_second(r['a_pushed'], r['a_push']):>13}"
              f"{per_second(r['a_pulled'], r['a_pull']):>13}{r['b_sync']:>11.1f}"
              f"{per_second(r['b_pulled'], r['b_sync']):>10}{r['floor_in']:>8.2f}{first / r['floor_in']:>8.1f}"
              f"{r['b_sync'] / r['floor_in']:>8.1f}")


def print_profile(profiler: cProfile.Profile, what: str) -> None:
    for order in ("tottime", "cumulative"):
        text = io.StringIO()
        pstats.Stats(profiler, stream=text).strip_dirs().sort_stats(order).print_stats(22)
        print(f"\ncProfile of {what}, by {order}:")
        print("\n".join(line for line in text.getvalue().splitlines()[6:] if line.strip()))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batches", default="500,200,2000", help="batch sizes, the first one also for latency")
    parser.add_argument("--latency-runs", type=int, default=20)
    parser.add_argument("--scale", type=float, default=1.0, help="multiply every size (e.g. 0.1 for a quick check)")
    parser.add_argument("--profile", action="store_true", help="cProfile A's first sync at the first batch only")
    args = parser.parse_args(argv)
    batches = [int(b) for b in args.batches.split(",")]
    if args.profile:
        batches = batches[:1]

    def size(n: int) -> int:
        return max(1, round(n * args.scale))

    # SIGTERM ends the run through the finally below (the cluster is destroyed), as Ctrl-C does.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))

    import psycopg

    from tests.fixtures.postgres import start_cluster

    install_phase_timers()
    sizes = (size(PROSPECTS), size(FACTS), size(TOUCHES))
    c_sizes = (size(C_PROSPECTS), size(C_FACTS), size(C_TOUCHES))
    with tempfile.TemporaryDirectory(prefix="earned-team-bench-") as tmp:
        work = Path(tmp)
        start = time.perf_counter()
        build_workspace(work / "built-a" / "earned.db", *sizes)
        a_build = time.perf_counter() - start
        start = time.perf_counter()
        build_workspace(work / "built-c" / "earned.db", *c_sizes, tag="c", shared=size(C_SHARED), seed=2)
        c_build = time.perf_counter() - start
        built = {"a": work / "built-a" / "earned.db", "c": work / "built-c" / "earned.db"}
        print(f"Built A's workspace ({sizes[0]:,} prospects, {sizes[1]:,} facts of which {sizes[1] // NOTE_EVERY:,}"
              f" notes, {sizes[2]:,} touches) in {a_build:.1f} s (not counted)")
        print(f"Built C's workspace ({c_sizes[0]:,} prospects, {size(C_SHARED):,} of them A's companies too,"
              f" {c_sizes[1]:,} facts, {c_sizes[2]:,} touches) in {c_build:.1f} s; B starts empty")

        cluster = start_cluster()
        try:
            with psycopg.connect(cluster.admin_url, password=cluster.admin_password) as conn:
                pg_version = conn.execute("SHOW server_version").fetchone()[0]
                settings = {k: conn.execute(f"SHOW {k}").fetchone()[0]
                            for k in ("fsync", "synchronous_commit", "shared_buffers")}
            print(f"\nPython {platform.python_version()}, PostgreSQL {pg_version} (throwaway cluster on 127.0.0.1:"
                  f" {', '.join(f'{k}={v}' for k, v in settings.items())}), psycopg {psycopg.__version__}"
                  f" ({psycopg.pq.__impl__}), SQLite {sqlite3.sqlite_version}, {os.cpu_count()} CPUs")
            print(f"Batch sizes: {', '.join(map(str, batches))} (the engine's default is 500)")
            results = []
            for run, batch in enumerate(batches, 1):
                result = run_batch(cluster, batch, run, work, built, args, latency=(run == 1 and not args.profile))
                results.append(result)
                print_run(result)
                if "lat_total" in result:
                    print_latency(result, args.latency_runs)
                if args.profile:
                    print_profile(result["profile_a"], "A's connect + first sync")
                    print_profile(result["profile_b"], "B's first sync (the pull)")
                sys.stdout.flush()
            print_summary(results)
        finally:
            cluster.destroy()
    return 0


if __name__ == "__main__":
    sys.exit(main())
