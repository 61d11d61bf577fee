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


def serve_site(server: LocalServer, company: str, title: str | None = None, slow: float = 0.0) -> LocalServer:
    """A four-page company site. slow: seconds every page but the home page takes to arrive."""
    def html(path: str) -> bytes:
        return (f"<!doctype html><html lang='en'><head><title>{title or company} | {path.strip('/') or 'home'}"
                f"</title></head><body><nav><a href='/about'>About us</a> <a href='/news'>Newsroom</a> "
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
    assert set(out["prospects"][0]) == {"id", "company", "website", "state", "facts", "errors", "message"}
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
