"""Research a list: the queue in the workspace, the batch (several hosts at once, each host politely),
Cancel, resuming after a crash, and `earned research --all`."""
from __future__ import annotations

import json
import signal
import sqlite3
import subprocess
import sys
import threading

import pytest

from app.research.batch import BatchResearcher, failure_message
from app.research.errors import ResearchError
from app.research.sources import DEFAULT_SOURCES, ResearchOptions
from app.storage.database import open_store
from app.storage.repo import WorkspaceRepo
from app.storage.research_queue import ResearchQueueRepo
from tests.conftest import ROOT, cli_env, run_app
from tests.fixtures.http_server import LocalServer, Watch

SENTENCES = {
    "/": "{c} opened a second warehouse in Tacoma in September 2026, adding 40 jobs.",
    "/about": "{c} was founded in 2012 by two former dock managers in Reno, Nevada.",
    "/news": "{c} raised $12 million in a Series A led by Harbor Capital in March 2026.",
    "/careers": "{c} is hiring 15 field technicians across the Midwest this year.",
}


def offline_sources() -> dict:
    """The company's own site and feeds only: no API source (news, job boards, filings) is asked."""
    return {name: name in ("site", "feeds") for name in DEFAULT_SOURCES}


BROKEN_FEED = "/feed.xml"  # a feed the site announces, answering HTTP 500


def serve_site(server: LocalServer, company: str, title: str | None = None, slow: float = 0.0,
               broken_feed: bool = False) -> LocalServer:
    """A four-page company site. slow: seconds every page but the home page takes to arrive. broken_feed: the
    pages announce a feed that answers HTTP 500 (the site works, one source fails)."""
    feed = f"<link rel='alternate' type='application/rss+xml' href='{BROKEN_FEED}'>" if broken_feed else ""

    def html(path: str) -> bytes:
        return (f"<!doctype html><html lang='en'><head><title>{title or company} | {path.strip('/') or 'home'}"
                f"</title>{feed}</head><body><nav><a href='/about'>About us</a> <a href='/news'>Newsroom</a> "
                f"<a href='/careers'>Careers</a></nav><main><h1>{company}</h1><p>{SENTENCES[path].format(c=company)}"
                f"</p></main></body></html>").encode()

    server.route("/robots.txt", body="User-agent: *\nAllow: /\n", content_type="text/plain")
    for path in SENTENCES:
        body = html(path)
        if slow and path != "/":
            server.routes[path] = lambda req, b=body: (200, {"Content-Type": "text/html"},
                                                       [(b[:50], 0.0)] + [(b[50:], slow)])
        else:
            server.route(path, body=body)
    if broken_feed:
        server.route(BROKEN_FEED, status=500, body="Internal Server Error", content_type="text/plain")
    return server


def workspace(home, prospects: list[tuple[str, str]], crawl_delay: float = 0.0):
    """A workspace with these (company, website) prospects and research off the internet; (repo, ids)."""
    store = open_store(home / "earned.db")
    repo = WorkspaceRepo(store.conn)
    ids = [repo.add_prospect(company, website).id for company, website in prospects]
    repo.set_setting("research_sources", offline_sources())
    repo.set_setting("crawl_delay", crawl_delay)
    return repo, ids


def saver(repo: WorkspaceRepo, saved: list | None = None):
    def save(prospect_id, f):
        repo.add_fact(prospect_id, f.kind, f.text, f.source_url, f.source_title, f.published, f.lang, f.off_site,
                      f.score)
        if saved is not None:
            saved.append((prospect_id, f.text))
    return save


def facts_of(home, prospect_id: int) -> list[str]:
    with sqlite3.connect(home / "earned.db") as db:
        return [r[0] for r in db.execute("SELECT text FROM facts WHERE prospect_id = ?", (prospect_id,))]


# -- the queue itself ------------------------------------------------------------------------------
def test_the_queue_keeps_its_order_and_states_across_reopening(tmp_path):
    repo, (a, b, c) = workspace(tmp_path, [("Acme", "acme.example"), ("Bolt", ""), ("Cogs", "cogs.example")])
    queue = ResearchQueueRepo(repo.conn)
    assert queue.enqueue([b, a, c, 999, a]) == 3  # an unknown id is skipped, a repeat keeps its place
    repo.conn.close()

    queue = ResearchQueueRepo(open_store(tmp_path / "earned.db").conn)
    assert [(i.prospect_id, i.company, i.state) for i in queue.items()] == [(b, "Bolt", "queued"),
                                                                            (a, "Acme", "queued"),
                                                                            (c, "Cogs", "queued")]
    first = queue.claim_next()
    assert first.prospect_id == b and first.state == "running" and not queue.claim(b)
    queue.mark_done(b, facts=5, errors=1)
    assert queue.claim(a)
    queue.mark_failed(a, "acme.example refused the connection.")
    assert queue.counts() == {"queued": 1, "running": 0, "done": 1, "failed": 1, "cancelled": 0}
    assert queue.enqueue([a]) == 1  # a failed one goes again, at the end, while the batch goes on
    assert [(i.prospect_id, i.state, i.facts, i.message) for i in queue.items()] == [
        (b, "done", 5, ""), (c, "queued", 0, ""), (a, "queued", 0, "")]
    assert queue.get(b).errors == 1

    for item in iter(queue.claim_next, None):
        queue.mark_done(item.prospect_id, facts=2)
    assert not queue.has_pending()
    assert queue.enqueue([c]) == 1  # nothing waits: a new batch, the last one's rows gone
    assert [(i.prospect_id, i.state) for i in queue.items()] == [(c, "queued")]
    queue.clear()
    assert queue.items() == [] and queue.enqueue_all() == 3


def test_rows_a_crash_left_running_are_queued_again_on_opening(tmp_path):
    repo, (a, b, c) = workspace(tmp_path, [("Acme", ""), ("Bolt", ""), ("Cogs", "")])
    queue = ResearchQueueRepo(repo.conn)
    queue.enqueue([a, b, c])
    queue.mark_done(queue.claim_next().prospect_id, facts=3)
    assert queue.claim_next().prospect_id == b
    repo.conn.close()  # the process dies here: b is left 'running'

    queue = ResearchQueueRepo(open_store(tmp_path / "earned.db").conn)
    assert queue.counts()["running"] == 1
    assert queue.recover() == 1 and queue.recover() == 0
    assert [(i.prospect_id, i.state) for i in queue.items()] == [(a, "done"), (b, "queued"), (c, "queued")]
    assert [i.prospect_id for i in queue.pending()] == [b, c]  # b keeps its place


def test_a_run_that_found_nothing_says_why_with_the_sites_problem_first():
    errors = [ResearchError("sec", "", "needs-setting", "Add your contact email."),
              ResearchError("gdelt", "https://g.example", "offline", "Could not connect to g.example."),
              ResearchError("site", "https://acme.example/", "offline", "acme.example refused the connection.")]
    assert failure_message(errors) == "acme.example refused the connection. (and 1 more problem)"


# -- the batch -------------------------------------------------------------------------------------
def test_hosts_are_researched_at_once_but_each_host_one_request_at_a_time(tmp_path):
    """Two prospects whose only name leads to one shared site (a holding company's) are researched at
    the same time, so their requests meet at one host: the batch's one fetcher still sends them one at a
    time with the crawl delay between. Two other hosts are researched meanwhile."""
    delay = 0.15
    with LocalServer() as shared, LocalServer() as b, LocalServer() as c:
        serve_site(shared, "Acme Anvils", title="Acme Anvils and Acme Rockets")
        serve_site(b, "Bolt Freight")
        serve_site(c, "Cogs Robotics")
        watches = {name: Watch(s) for name, s in (("shared", shared), ("b", b), ("c", c))}
        repo, ids = workspace(tmp_path, [("Acme Anvils", ""), ("Acme Rockets", ""), ("Bolt Freight", b.base + "/"),
                                         ("Cogs Robotics", c.base + "/")])
        options = ResearchOptions(sources=offline_sources(), crawl_delay=delay, max_pages=4,
                                  site_candidates=[shared.base + "/"])
        events: list[tuple[int, str]] = []
        batch = BatchResearcher(ResearchQueueRepo(repo.conn), options, saver(repo), concurrency=4,
                                on_event=lambda pid, kind, _: kind in ("started", "finished") and events.append(
                                    (pid, kind)))
        ResearchQueueRepo(repo.conn).enqueue(ids)
        summary = batch.run()

    assert [o.state for o in summary.outcomes] == ["done"] * 4, summary.outcomes
    # All four ran at once: every run started before the first one finished.
    first_finish = next(i for i, (_, kind) in enumerate(events) if kind == "finished")
    assert sorted(pid for pid, kind in events[:first_finish]) == sorted(ids)
    # The shared host was asked by both Acme runs: its home page twice (once to find each one's site).
    assert shared.hits("/") >= 2 and shared.hits("/about") >= 2
    for name, watch in watches.items():
        assert watch.most == 1, f"{name}: {watch.most} requests at once"
        assert min(watch.gaps()) >= delay, f"{name}: requests {min(watch.gaps()):.3f} s apart"
    # ...while the hosts were asked side by side: each host's requests overlap the others' in time.
    spans = {name: (w.starts[0][0], w.starts[-1][0]) for name, w in watches.items()}
    assert max(s for s, _ in spans.values()) < min(e for _, e in spans.values())


def test_cancel_stops_every_run_and_keeps_the_facts_already_saved(tmp_path):
    with LocalServer() as a, LocalServer() as b, LocalServer() as c:
        for server, name in ((a, "Acme Anvils"), (b, "Bolt Freight"), (c, "Cogs Robotics")):
            serve_site(server, name, slow=30.0)  # after the home page, pages that never finish
        repo, ids = workspace(tmp_path, [("Acme Anvils", a.base), ("Bolt Freight", b.base),
                                         ("Cogs Robotics", c.base)])
        saved: list = []
        both = threading.Event()

        def save(prospect_id, fact):
            saver(repo, saved)(prospect_id, fact)
            if {pid for pid, _ in saved} == set(ids[:2]):
                both.set()

        queue = ResearchQueueRepo(repo.conn)
        queue.enqueue(ids)
        batch = BatchResearcher(queue, ResearchOptions(sources=offline_sources(), crawl_delay=0.0), save,
                                concurrency=2)
        ended: list = []
        runner = threading.Thread(target=lambda: ended.append(batch.run()))
        runner.start()
        assert both.wait(20), "the first two prospects' home pages gave no facts"
        batch.cancel()
        runner.join(10)
        assert not runner.is_alive(), "Cancel did not stop the batch"

    summary = ended[0]
    assert summary.cancelled and {o.prospect_id: o.state for o in summary.outcomes} == {
        ids[0]: "cancelled", ids[1]: "cancelled"}
    items = {i.prospect_id: i for i in ResearchQueueRepo(repo.conn).items()}
    for pid in ids[:2]:  # what each run found before Cancel is in the workspace, and the queue says so
        kept = facts_of(tmp_path, pid)
        assert kept and sorted(kept) == sorted(t for p, t in saved if p == pid)
        assert items[pid].state == "cancelled" and items[pid].facts == len(kept)
    assert items[ids[2]].state == "cancelled" and c.hits("/") == 0  # never started, and won't resume
    assert not ResearchQueueRepo(repo.conn).has_pending()


def test_stop_puts_unfinished_prospects_back_in_the_queue(tmp_path):
    """Quitting the window is not Cancel: the batch goes on next time."""
    with LocalServer() as a, LocalServer() as b:
        serve_site(a, "Acme Anvils", slow=30.0)
        serve_site(b, "Bolt Freight", slow=30.0)
        repo, ids = workspace(tmp_path, [("Acme Anvils", a.base), ("Bolt Freight", b.base)])
        queue = ResearchQueueRepo(repo.conn)
        queue.enqueue(ids)
        started = threading.Event()
        batch = BatchResearcher(queue, ResearchOptions(sources=offline_sources(), crawl_delay=0.0),
                                saver(repo), concurrency=1,
                                on_event=lambda pid, kind, _: kind == "fact" and started.set())
        runner = threading.Thread(target=batch.run)
        runner.start()
        assert started.wait(20)
        batch.stop()
        runner.join(10)
        assert not runner.is_alive()
    assert [(i.state, bool(facts_of(tmp_path, i.prospect_id))) for i in queue.items()] == [("queued", True),
                                                                                           ("queued", False)]
    assert batch.summary.stopped and not batch.summary.cancelled


# -- earned research --all -------------------------------------------------------------------------
def test_research_all_prints_a_line_as_each_prospect_finishes_and_exits_1_if_one_failed(earned_home):
    with LocalServer() as gone:
        closed = gone.base  # nothing listens there any more
    with LocalServer() as a, LocalServer() as b:
        serve_site(a, "Acme Anvils")
        serve_site(b, "Bolt Freight")
        repo, ids = workspace(earned_home, [("Acme Anvils", a.base), ("Bolt Freight", b.base),
                                            ("Cogs Robotics", closed)])
        repo.conn.close()
        proc = run_app(earned_home, "research", "--all", "--no-news")
    assert proc.returncode == 1, proc.stderr
    lines = proc.stdout.splitlines()
    finished = sorted(line for line in lines if line.startswith(("done", "failed")))
    assert len(finished) == 3
    assert finished[0].startswith(f"done       Acme Anvils (#{ids[0]}): ")
    assert finished[1].startswith(f"done       Bolt Freight (#{ids[1]}): ")
    assert finished[2].startswith(f"failed     Cogs Robotics (#{ids[2]}): ") and "refused" in finished[2]
    assert lines[-1].startswith("2 done, 1 failed;")
    assert len(facts_of(earned_home, ids[0])) == 4 and facts_of(earned_home, ids[2]) == []


def test_research_all_json_gives_each_prospects_result_and_exits_0_when_all_are_done(earned_home):
    with LocalServer() as a, LocalServer() as b:
        serve_site(a, "Acme Anvils")
        serve_site(b, "Bolt Freight")
        repo, ids = workspace(earned_home, [("Acme Anvils", a.base), ("Bolt Freight", b.base)])
        repo.conn.close()
        proc = run_app(earned_home, "research", "--all", "--json", "--no-news", "--concurrency", "2")
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert [(p["id"], p["company"], p["state"], p["facts"], p["errors"]) for p in out["prospects"]] == [
        (ids[0], "Acme Anvils", "done", 4, 0), (ids[1], "Bolt Freight", "done", 4, 0)]
    assert set(out["prospects"][0]) == {"id", "company", "website", "state", "facts", "errors", "message",
                                        "problems"}
    assert out["prospects"][0]["problems"] == []
    assert (out["done"], out["failed"], out["cancelled"], out["queued"]) == (2, 0, 0, 0)
    assert len(facts_of(earned_home, ids[1])) == 4


@pytest.mark.parametrize("args, phrase", [
    (["--all", "--name", "Acme"], "can't be combined with --name, --url or --save"),
    (["--all", "--url", "https://acme.example"], "can't be combined with --name, --url or --save"),
    (["--concurrency", "3", "--name", "Acme"], "--concurrency goes with --all"),
    (["--all", "--concurrency", "0"], "--concurrency must be between 1 and 16"),
])
def test_research_all_with_one_company_options_is_a_usage_error(earned_home, args, phrase):
    proc = run_app(earned_home, "research", *args)
    assert proc.returncode == 2 and phrase in proc.stderr and "Traceback" not in proc.stderr


def _start_research_all(home, *args) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "app", "research", "--all", "--no-news", *args], cwd=ROOT,
                            env=cli_env(home), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_ctrl_c_cancels_research_all_and_keeps_what_was_found(earned_home):
    with LocalServer() as a:
        serve_site(a, "Acme Anvils", slow=30.0)
        asked = threading.Event()
        for path in ("/about", "/news", "/careers"):  # a second page: the home page's facts are saved by then
            a.routes[path] = lambda req, slow=a.routes[path]: (asked.set(), slow(req))[1]
        repo, (pid,) = workspace(earned_home, [("Acme Anvils", a.base)])
        repo.conn.close()
        proc = _start_research_all(earned_home)
        try:
            assert asked.wait(30), "research never reached the second page"
            proc.send_signal(signal.SIGINT)
            out, err = proc.communicate(timeout=30)
        finally:
            proc.kill()
    assert proc.returncode == 130, err
    assert f"cancelled  Acme Anvils (#{pid}): kept 1 fact" in out and "1 cancelled" in out
    assert "Traceback" not in err
    assert facts_of(earned_home, pid) == [SENTENCES["/"].format(c="Acme Anvils")]


def test_research_all_goes_on_after_a_crash_without_redoing_finished_prospects(earned_home):
    with LocalServer() as a, LocalServer() as b, LocalServer() as c:
        serve_site(a, "Acme Anvils")
        serve_site(b, "Bolt Freight", slow=30.0)  # still running when the process is killed
        serve_site(c, "Cogs Robotics", slow=30.0)
        repo, ids = workspace(earned_home, [("Acme Anvils", a.base), ("Bolt Freight", b.base),
                                            ("Cogs Robotics", c.base)])
        repo.conn.close()
        proc = _start_research_all(earned_home, "--concurrency", "2")
        try:
            first = proc.stdout.readline()  # printed once the prospect's row says done
            assert first.startswith("done       Acme Anvils"), first + proc.stderr.read()
        finally:
            proc.kill()  # SIGKILL: no clean-up at all, as in a crash
            proc.communicate()
        with sqlite3.connect(earned_home / "earned.db") as db:
            states = dict(db.execute("SELECT prospect_id, state FROM research_queue"))
        assert states[ids[0]] == "done" and states[ids[1]] == "running"

        serve_site(b, "Bolt Freight")  # the slow sites recovered
        serve_site(c, "Cogs Robotics")
        again = run_app(earned_home, "research", "--all", "--no-news", "--json")
    assert again.returncode == 0, again.stderr
    assert "going on with the research queue: 2 prospect(s) left" in again.stderr
    assert [(p["id"], p["state"]) for p in json.loads(again.stdout)["prospects"]] == [(i, "done") for i in ids]
    assert a.hits("/") == 1 and a.hits("/careers") == 1  # the finished prospect was not researched again
    assert b.hits("/") == 2 and len(facts_of(earned_home, ids[1])) == 4


# -- each prospect's problems, kept as lines -------------------------------------------------------------
def test_a_batch_keeps_each_prospects_problem_lines_in_the_queue(tmp_path):
    with LocalServer() as a, LocalServer() as b:
        serve_site(a, "Acme Anvils", broken_feed=True)  # the site works; its feed answers HTTP 500
        serve_site(b, "Bolt Freight")
        repo, (ida, idb) = workspace(tmp_path, [("Acme Anvils", a.base), ("Bolt Freight", b.base)])
        queue = ResearchQueueRepo(repo.conn)
        queue.enqueue([ida, idb])
        summary = BatchResearcher(queue, ResearchOptions(sources=offline_sources(), crawl_delay=0.0), saver(repo),
                                  concurrency=2).run()
    outcome = next(o for o in summary.outcomes if o.prospect_id == ida)
    assert (outcome.state, outcome.facts, outcome.errors) == ("done", 4, 1)
    (problem,) = outcome.problems
    assert (problem.source, problem.kind) == ("feed", "http-status") and "500" in problem.message
    items = {i.prospect_id: i for i in ResearchQueueRepo(open_store(tmp_path / "earned.db").conn).items()}
    assert items[ida].errors == 1 and [(p.source, p.kind, p.message, p.url) for p in items[ida].problems] == [
        (problem.source, problem.kind, problem.message, problem.url)]
    assert items[idb].problems == () and items[idb].errors == 0
    queue.enqueue([ida])  # queued again: the last run's lines go with its count
    assert ResearchQueueRepo(repo.conn).get(ida).problems == ()


def test_problem_lines_are_stored_redacted_and_a_damaged_cell_reads_as_none(tmp_path):
    from app.core.redact import register
    from app.research.errors import ResearchError

    key = "zq81batchqueuekey0f3c5a9de1b7"
    register(key)
    repo, (a, b) = workspace(tmp_path, [("Acme", ""), ("Bolt", "")])
    queue = ResearchQueueRepo(repo.conn)
    queue.enqueue([a, b])
    queue.claim(a)
    queue.mark_done(a, facts=1, errors=1, problems=[ResearchError("newsapi", f"https://n.example/?apiKey={key}",
                                                                  "http-status", f"Bad key {key} answered 401.")])
    stored = repo.conn.execute("SELECT problems FROM research_queue WHERE prospect_id = ?", (a,)).fetchone()[0]
    assert key not in stored and key[:10] not in stored and "newsapi" in stored
    repo.conn.execute("UPDATE research_queue SET problems = 'not json' WHERE prospect_id = ?", (b,))
    assert queue.get(b).problems == ()


# -- API limits hold across the whole queue -------------------------------------------------------------
def test_an_api_sources_spacing_holds_across_every_run_of_the_batch(tmp_path, monkeypatch):
    """Four prospects researched four at a time all ask GDELT: the server sees them min_interval apart
    (the spacing is process-wide, not per run). The policy is shrunk to 0.3 s to keep the test fast."""
    from dataclasses import replace

    from app.research import pipeline
    from app.research.sources import SOURCES, api

    interval = 0.3
    monkeypatch.setattr(pipeline, "SOURCES", tuple(
        replace(s, rate=replace(s.rate, min_interval=interval)) if s.name == "gdelt" else s for s in SOURCES))
    api.reset()
    try:
        with LocalServer() as gdelt:
            gdelt.route("/gdelt", body=json.dumps({"articles": []}), content_type="application/json")
            watch = Watch(gdelt)
            monkeypatch.setenv("EARNED_GDELT_URL", gdelt.base + "/gdelt")
            names = ["Acme Anvils", "Bolt Freight", "Cogs Robotics", "Dune Mills"]
            repo, ids = workspace(tmp_path, [(n, "") for n in names])
            queue = ResearchQueueRepo(repo.conn)
            queue.enqueue(ids)
            events: list[tuple[int, str]] = []
            options = ResearchOptions(sources={**{n: False for n in DEFAULT_SOURCES}, "gdelt": True}, crawl_delay=0.0)
            summary = BatchResearcher(queue, options, saver(repo), concurrency=4,
                                      on_event=lambda pid, kind, _: kind in ("started", "finished") and events.append(
                                          (pid, kind))).run()
    finally:
        api.reset()
    assert [o.state for o in summary.outcomes] == ["done"] * 4, summary.outcomes
    first_finish = next(i for i, (_, kind) in enumerate(events) if kind == "finished")
    assert first_finish == 4, events  # the four ran at once: only the shared spacing kept them apart
    assert len(watch.starts) == 4 and all(path.startswith("/gdelt?") for _, path in watch.starts)
    # The server's own arrival times: the next request waits the interval from the previous answer as well
    # as from its start, so however slow a request was on its way, the API never sees two closer together.
    # Without the shared spacing the four would arrive together.
    assert min(watch.gaps()) >= interval, watch.gaps()


# -- quitting is never taken for Cancel ---------------------------------------------------------------------
def test_a_stop_flag_set_before_the_cancel_puts_interrupted_runs_back(tmp_path):
    """The window's service sets its quit flag, then the cancel event it gave the batch, without calling stop():
    a run that sees the cancel reads the flag, so it is queued again (not recorded as the rep's Cancel)."""
    with LocalServer() as a, LocalServer() as b:
        serve_site(a, "Acme Anvils", slow=30.0)
        serve_site(b, "Bolt Freight", slow=30.0)
        repo, ids = workspace(tmp_path, [("Acme Anvils", a.base), ("Bolt Freight", b.base)])
        queue = ResearchQueueRepo(repo.conn)
        queue.enqueue(ids)
        started, stopping, cancel = threading.Event(), threading.Event(), threading.Event()
        batch = BatchResearcher(queue, ResearchOptions(sources=offline_sources(), crawl_delay=0.0), saver(repo),
                                concurrency=1, cancel=cancel, stopping=stopping,
                                on_event=lambda pid, kind, _: kind == "fact" and started.set())
        runner = threading.Thread(target=batch.run)
        runner.start()
        assert started.wait(20)
        stopping.set()
        cancel.set()
        runner.join(10)
        assert not runner.is_alive()
    assert [i.state for i in queue.items()] == ["queued", "queued"]
    assert batch.summary.stopped and not batch.summary.cancelled
    assert [o.state for o in batch.summary.outcomes] == ["queued"]


# -- a running row's owner ------------------------------------------------------------------------------------
def _live_process() -> subprocess.Popen:
    """Another process that runs until the test kills it (it waits on its standard input)."""
    return subprocess.Popen([sys.executable, "-c", "import sys; sys.stdin.read()"], stdin=subprocess.PIPE)


def test_recover_and_cancel_leave_the_rows_another_live_batch_is_researching(tmp_path):
    from app.storage.research_queue import end_owner, new_owner

    repo, ids = workspace(tmp_path, [(n, "") for n in ("Acme", "Bolt", "Cogs", "Dune", "Echo", "Fern")])
    a, b, c, d, e, f = ids
    queue = ResearchQueueRepo(repo.conn)
    queue.enqueue(ids)
    other = _live_process()
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    try:
        mine, ended = new_owner(), new_owner()
        end_owner(ended)
        assert queue.claim(a, f"{other.pid}:window")  # another process, running
        assert queue.claim(b, f"{gone.pid}:crashed")  # another process, gone
        assert queue.claim(c, mine)  # a batch of this process, running
        assert queue.claim(d, ended)  # a batch of this process that ended without putting it back
        assert queue.claim(e, f"{other.pid}:hung")  # alive, but silent for ten minutes
        repo.conn.execute("UPDATE research_queue SET heartbeat_at = heartbeat_at - 600 WHERE prospect_id = ?", (e,))
        assert queue.recover() == 3
        assert {i.prospect_id: i.state for i in queue.items()} == {
            a: "running", b: "queued", c: "running", d: "queued", e: "queued", f: "queued"}
        queue.heartbeat(f"{other.pid}:window")
        assert queue.recover() == 0 and queue.get(a).owner == f"{other.pid}:window"
        # Cancel in another batch (the CLI's Ctrl-C): what waits is cancelled; the live batches' rows stay theirs.
        assert queue.cancel_pending(new_owner()) == 4
        assert {i.prospect_id: i.state for i in queue.items()} == {
            a: "running", b: "cancelled", c: "running", d: "cancelled", e: "cancelled", f: "cancelled"}
    finally:
        other.stdin.close()  # it ends at the end of its input
        other.wait()
    assert queue.recover() == 1 and queue.get(a).state == "queued"  # its process ended: a is taken back
    end_owner(mine)
    assert queue.recover() == 1 and queue.get(c).state == "queued"


def test_research_all_leaves_the_rows_a_running_window_is_researching(earned_home):
    with LocalServer() as a, LocalServer() as b:
        serve_site(a, "Acme Anvils")
        serve_site(b, "Bolt Freight")
        repo, (ida, idb) = workspace(earned_home, [("Acme Anvils", a.base), ("Bolt Freight", b.base)])
        queue = ResearchQueueRepo(repo.conn)
        queue.enqueue([ida, idb])
        window = _live_process()  # stands in for the window
        try:
            assert queue.claim(ida, f"{window.pid}:batch")
            repo.conn.close()
            proc = run_app(earned_home, "research", "--all", "--json", "--no-news")
        finally:
            window.stdin.close()  # it ends at the end of its input
            window.wait()
    assert proc.returncode == 1, proc.stderr  # not every prospect is done: Acme is still being researched
    assert "going on with the research queue: 1 prospect(s) left" in proc.stderr
    assert [(p["id"], p["state"]) for p in json.loads(proc.stdout)["prospects"]] == [(ida, "running"), (idb, "done")]
    assert a.hits("/") == 0 and b.hits("/") >= 1


def test_research_all_says_so_when_another_earned_is_researching_the_whole_list(earned_home):
    repo, (ida, idb) = workspace(earned_home, [("Acme Anvils", ""), ("Bolt Freight", "")])
    queue = ResearchQueueRepo(repo.conn)
    queue.enqueue([ida, idb])
    window = _live_process()  # stands in for the window, researching both
    try:
        assert queue.claim(ida, f"{window.pid}:batch") and queue.claim(idb, f"{window.pid}:batch")
        repo.conn.close()
        proc = run_app(earned_home, "research", "--all", "--no-news")
    finally:
        window.stdin.close()
        window.wait()
    assert proc.returncode == 1 and proc.stdout == ""
    assert "another Earned (the window?) is researching this list now: 2 prospect(s) running" in proc.stderr
    assert "Traceback" not in proc.stderr


# -- earned research --all: the problems, and import-csv's hint ------------------------------------------------
def test_research_all_lists_each_prospects_problems_in_text_and_json(earned_home):
    with LocalServer() as a, LocalServer() as b:
        serve_site(a, "Acme Anvils", broken_feed=True)
        serve_site(b, "Bolt Freight")
        repo, (ida, idb) = workspace(earned_home, [("Acme Anvils", a.base), ("Bolt Freight", b.base)])
        repo.conn.close()
        text = run_app(earned_home, "research", "--all", "--no-news")
        as_json = run_app(earned_home, "research", "--all", "--no-news", "--json")
    assert text.returncode == 0, text.stderr
    lines = text.stdout.splitlines()
    at = lines.index(f"done       Acme Anvils (#{ida}): 4 facts, 1 problem")
    assert lines[at + 1].startswith("           - feed: http-status: ") and "500" in lines[at + 1]
    assert f"done       Bolt Freight (#{idb}): 4 facts" in lines
    assert as_json.returncode == 0, as_json.stderr
    acme, bolt = json.loads(as_json.stdout)["prospects"]
    assert acme["errors"] == 1 and bolt["problems"] == [] and bolt["errors"] == 0
    (problem,) = acme["problems"]
    assert set(problem) == {"source", "kind", "message", "url"}
    assert (problem["source"], problem["kind"], problem["url"]) == ("feed", "http-status", a.base + BROKEN_FEED)
    assert lines[at + 1] == f"           - feed: http-status: {problem['message']}"


def test_import_csv_ends_with_how_to_research_what_it_added(earned_home, tmp_path):
    leads = tmp_path / "leads.csv"
    leads.write_text("Company,Website\nAcme Anvils,acme.example\n", encoding="utf-8")
    added = run_app(earned_home, "import-csv", str(leads))
    assert added.returncode == 0, added.stderr
    assert added.stdout.splitlines()[-1] == "Research them: earned research --all"
    again = run_app(earned_home, "import-csv", str(leads))  # nothing new: nothing to research
    assert again.returncode == 0 and "Research them" not in again.stdout


def test_recover_never_takes_a_row_another_process_claimed_again_meanwhile(tmp_path, monkeypatch):
    from app.storage import research_queue

    repo, (ida,) = workspace(tmp_path, [("Acme Anvils", "")])
    queue = ResearchQueueRepo(repo.conn)
    queue.enqueue([ida])
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    assert queue.claim(ida, f"{gone.pid}:crashed")
    live = _live_process()
    real_owner_gone = research_queue.owner_gone

    def owner_gone_and_meanwhile(owner, heartbeat_at, now=None):
        # Between recover()'s read and its write, another Earned takes the row back and claims it itself.
        with repo.transaction():
            repo.conn.execute("UPDATE research_queue SET owner = ? WHERE prospect_id = ?", (f"{live.pid}:window", ida))
        return real_owner_gone(owner, heartbeat_at, now)

    monkeypatch.setattr(research_queue, "owner_gone", owner_gone_and_meanwhile)
    try:
        assert queue.recover() == 0
        assert (queue.get(ida).state, queue.get(ida).owner) == ("running", f"{live.pid}:window")
    finally:
        live.stdin.close()
        live.wait()
