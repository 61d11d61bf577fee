"""The parse worker: a real child process that a runaway C parser can't take the app down with."""
import os
import threading
import time

import pytest

from app.research.errors import Cancelled
from app.research.extract import analyze_page
from app.research.fetcher import Fetched
from app.research.worker import ParseTimeout, ParseWorker, WorkerError


@pytest.fixture
def worker():
    w = ParseWorker(preload=())
    yield w
    w.close()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    with open(f"/proc/{pid}/stat") as f:  # a zombie is not alive
        return f.read().split(") ")[1][0] != "Z"


def test_a_page_is_analysed_in_the_child_exactly_as_in_process(worker):
    body = (b"<html lang='en'><head><title>Rosa's Bakery</title></head><body><main><p>Rosa's Bakery opened a second "
            b"shop in Tacoma in May 2026 and now employs 14 bakers.</p></main></body></html>")
    got = Fetched("http://rosas.example/", "http://rosas.example/", 200, "text/html", None, body)
    here = analyze_page(got, got.url, "home", [], 5)
    there = worker.call("app.research.extract:analyze_page", got, got.url, "home", [], 5)
    assert there == here and there.snippets
    assert worker.pid != os.getpid()


def test_a_runaway_parser_is_killed_at_its_time_limit_and_the_next_call_gets_a_fresh_child(worker):
    ticks = []
    stop = threading.Event()

    def main_thread_work():  # the window's event loop, in small: it must keep running meanwhile
        while not stop.wait(0.01):
            ticks.append(time.monotonic())

    runner = threading.Thread(target=main_thread_work)
    runner.start()
    try:
        with pytest.raises(ParseTimeout, match="took longer than 1 s"):
            worker.call("tests.fixtures.slow_parsers:catastrophic", url="http://hostile.example/", timeout=1.0)
    finally:
        stop.set()
        runner.join()
    gaps = [b - a for a, b in zip(ticks, ticks[1:])]
    assert len(ticks) > 20 and max(gaps) < 0.5, "the parent's threads were held up by the parser"
    assert worker.call("tests.fixtures.slow_parsers:echo", 42) == 42


def test_cancel_kills_the_child_at_once(worker):
    worker.call("tests.fixtures.slow_parsers:echo", 1)
    first = worker.pid
    cancel = threading.Event()
    timer = threading.Timer(0.3, cancel.set)
    timer.start()
    with pytest.raises(Cancelled):
        worker.call("tests.fixtures.slow_parsers:catastrophic", cancel=cancel, timeout=60)
    assert not _alive(first)


def test_close_from_another_thread_ends_a_waiting_call(worker):
    worker.call("tests.fixtures.slow_parsers:echo", 1)
    pid = worker.pid
    errors = []

    def call():
        try:
            worker.call("tests.fixtures.slow_parsers:catastrophic", timeout=60)
        except Exception as e:  # noqa: BLE001
            errors.append(e)

    caller = threading.Thread(target=call)
    caller.start()
    threading.Timer(0.3, worker.close).start()
    caller.join(10)
    assert not caller.is_alive() and errors, "close() must end the waiting call"
    assert not _alive(pid)


def test_a_failing_parser_reports_its_error_and_the_child_goes_on(worker):
    with pytest.raises(WorkerError, match="ValueError: this page is not what it says"):
        worker.call("tests.fixtures.slow_parsers:fails")
    pid = worker.pid
    assert worker.call("tests.fixtures.slow_parsers:echo", "again") == "again"
    assert worker.pid == pid
