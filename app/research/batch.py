"""Research a list: a queue of prospects researched in the background, several hosts at a time.

Politeness holds across the whole batch, not just within one run:
- every run fetches through ONE shared Fetcher, so its host gate (one request at a time per host,
  the crawl delay between them) and its robots.txt cache cover all runs at once. Two prospects on
  one host are also never started together (they would only queue behind each other's pauses);
- API sources (news, job boards, filings) keep their spacing process-wide already (sources/api.py);
- pages are parsed in killable child processes (a small ParserPool of ParseWorkers).

Cancel stops every run within a moment; facts are handed to save_fact as they are found, so a
cancelled batch keeps them all. stop() is the same but puts interrupted prospects back in the queue
(the app is quitting: the batch resumes next time). No Qt here: the window's service and the CLI
both drive this class.

Each prospect's problems (ResearchErrors, redacted by the pipeline) are kept with its row in the queue,
so the window and the CLI can list them after the run. The batch claims rows as their owner and says it
is alive while it runs, so another process opening the queue leaves its rows alone.
"""
from __future__ import annotations

import logging
import os
import queue
import threading
from dataclasses import dataclass, field, replace
from typing import Callable, Protocol

from app.core import urls
from app.core.redact import redact
from app.storage.research_queue import HEARTBEAT, end_owner, new_owner

from .errors import Cancelled, FetchError, ResearchError
from .fetcher import Fetcher
from .pipeline import Researcher
from .sources import ResearchOptions
from .worker import ParseWorker

log = logging.getLogger(__name__)

DEFAULT_CONCURRENCY = 4
MAX_CONCURRENCY = 16
LOOKAHEAD = 200  # queued prospects looked at for one whose host is free
WAIT = 0.25  # how often a worker waiting for a free host looks at Cancel again
POLL = 0.05
# Kinds that are notices, not failures: a run with only these and no facts found nothing, but nothing broke.
NOTICE_KINDS = ("crawl-delay", "wrong-site", "needs-setting", "js-only")


class QueueStore(Protocol):
    """What the batch needs from the queue (app.storage.research_queue.ResearchQueueRepo has it all)."""

    def pending(self, limit: int) -> list: ...  # queued items (.prospect_id, .company, .website), in order
    def claim(self, prospect_id: int, owner: str) -> bool: ...
    def heartbeat(self, owner: str) -> None: ...
    def finish(self, prospect_id: int, state: str, facts: int, errors: int, message: str, problems: tuple) -> None: ...
    def release(self, prospect_id: int) -> None: ...
    def cancel_pending(self, owner: str) -> int: ...


@dataclass(frozen=True)
class Outcome:
    """How one prospect's research ended."""
    prospect_id: int
    company: str
    state: str  # done | failed | cancelled | queued (stopped by a quit: it will run again)
    facts: int = 0  # found (and handed to save_fact), kept also when cancelled
    errors: int = 0  # problems listed
    message: str = ""  # a failure's reason, in the rep's words
    problems: tuple = ()  # the ResearchErrors listed (redacted): each one line for the rep


@dataclass
class BatchSummary:
    outcomes: list[Outcome] = field(default_factory=list)  # this run's, in the order they finished
    cancelled: bool = False  # the rep cancelled
    stopped: bool = False  # stopped to resume later (quit)
    problems: list[str] = field(default_factory=list)  # the queue itself failed (a full disk...)

    def count(self, state: str) -> int:
        return sum(1 for o in self.outcomes if o.state == state)


Event = Callable[[int, str, object], None]
# (prospect id, kind, payload): "started" queue item | "progress" (source, text) | "fact" FoundFact |
# "error" ResearchError | "finished" Outcome


class ParserPool:
    """ParseWorkers behind ParseWorker.call(): each call takes whichever child is free."""

    def __init__(self, size: int, factory: Callable[[], ParseWorker] = ParseWorker):
        self.size = max(1, size)
        self._workers = [factory() for _ in range(self.size)]
        self._free: queue.Queue = queue.Queue()
        for worker in self._workers:
            self._free.put(worker)
        self._closed = False

    def start(self) -> None:
        """Start the children now: they load the parsers while the first pages are fetched."""
        for worker in self._workers:
            worker.start()

    def call(self, target: str, *args, url: str = "", cancel: threading.Event | None = None,
             timeout: float | None = None):
        while True:
            if self._closed or (cancel is not None and cancel.is_set()):
                raise Cancelled()
            try:
                worker = self._free.get(timeout=POLL)
                break
            except queue.Empty:
                continue
        try:
            return worker.call(target, *args, url=url, cancel=cancel, timeout=timeout)
        finally:
            self._free.put(worker)

    @property
    def pids(self) -> list[int]:
        return [w.pid for w in self._workers if w.pid is not None]

    def close(self) -> None:
        """Stop every child (quit, or the end of a CLI run); any thread may call it."""
        self._closed = True
        for worker in self._workers:
            worker.close()


def default_parsers(concurrency: int) -> int:
    """Parse processes for a batch: one per run, at most one per core (parsing is CPU work)."""
    return max(1, min(concurrency, os.cpu_count() or 1))


def _normal(url: str | None) -> str | None:
    """url as the fetcher reads it (urls.normalize); None if it is no web address."""
    if not url:
        return None
    try:
        return urls.normalize(url)
    except urls.NotAWebAddress:
        return None


def _host(url: str | None) -> str | None:
    """scheme://host[:port] of url as the fetcher keys its hosts; None if it is no web address."""
    normal = _normal(url)
    return urls.origin(normal) if normal else None


def _server(url: str | None) -> str | None:
    """The server a website lives on, for scheduling: host and port, "www." and the scheme aside
    (http://x.com, https://www.x.com: one server; researching both at once would only make them wait)."""
    normal = _normal(url)
    if normal is None:
        return None
    port = urls.split(normal).port
    return f"{urls.site(normal)}:{port}" if port else urls.site(normal)


class _Notices:
    """The shared fetcher's notices (a capped crawl delay, a page read in part), each given to a run
    that fetched from the host it is about."""

    def __init__(self):
        self._lock = threading.Lock()
        self._held: list[FetchError] = []

    def take(self, fetcher: Fetcher, hosts: set[str]) -> list[FetchError]:
        with self._lock:
            self._held += fetcher.take_notices()
            mine = [n for n in self._held if _host(n.url) in hosts]
            self._held = [n for n in self._held if _host(n.url) not in hosts]
        return mine


class _RunFetcher:
    """One run's view of the batch's Fetcher: the same host gates, robots.txt cache and Cancel; only
    its own notices. Everything else is the shared fetcher's."""

    def __init__(self, shared: Fetcher, notices: _Notices):
        self._shared, self._notices = shared, notices
        self._hosts: set[str] = set()

    def __getattr__(self, name):
        return getattr(self._shared, name)

    def _note(self, url: str) -> None:
        host = _host(url)
        if host:
            self._hosts.add(host)

    def fetch(self, url: str, *args, **kwargs):
        self._note(url)
        got = self._shared.fetch(url, *args, **kwargs)
        self._note(got.final_url)
        return got

    def sitemaps(self, url: str) -> list[str]:
        self._note(url)
        return self._shared.sitemaps(url)

    def take_notices(self) -> list[FetchError]:
        return self._notices.take(self._shared, self._hosts)


def failure_message(errors: list[ResearchError]) -> str:
    """Why a run that found nothing failed: the site's own problem first, in one line."""
    real = [e for e in errors if e.kind not in NOTICE_KINDS] or list(errors)
    real.sort(key=lambda e: e.source != "site")
    first = real[0].message if real else "Research found nothing."
    more = len(real) - 1
    return first + (f" (and {more} more problem{'s' if more != 1 else ''})" if more > 0 else "")


class BatchResearcher:
    """Runs the queue until it is empty, Cancel, or stop().

    store: the queue (see QueueStore); options: the workspace's research options (name and url are
    set per prospect); save_fact(prospect_id, FoundFact): called for each fact as it is found.
    Calls to store and save_fact are serialised under store_lock (give the lock that guards the
    store's connection elsewhere too).

    stopping: set it (before cancel) to stop for a quit rather than cancel; stop() sets it itself. It is
    what a run reads when it sees the cancel, so a quit can never be recorded as the rep's Cancel."""

    def __init__(self, store: QueueStore, options: ResearchOptions, save_fact: Callable[[int, object], None],
                 concurrency: int = DEFAULT_CONCURRENCY, on_event: Event | None = None,
                 cancel: threading.Event | None = None, fetcher: Fetcher | None = None, parser=None,
                 store_lock=None, stopping: threading.Event | None = None):
        self.store, self.options, self.save_fact = store, options, save_fact
        self.concurrency = max(1, min(int(concurrency), MAX_CONCURRENCY))
        self.fetcher = fetcher or Fetcher(contact=options.contact, crawl_delay=options.crawl_delay,
                                          redact=tuple(options.keys.values()), cancel=cancel,
                                          allow_private_redirects=options.allow_private_redirects)
        self.cancel_event = self.fetcher.cancel
        self._own_parser = parser is None
        self.parser = parser if parser is not None else ParserPool(default_parsers(self.concurrency))
        self._emit = on_event or (lambda prospect_id, kind, payload: None)
        self._store_lock = store_lock or threading.RLock()
        self._cond = threading.Condition()
        self._busy: set[str] = set()  # servers a run is researching now
        self._notices = _Notices()
        self._stopping = stopping or threading.Event()
        self.owner = new_owner()  # this batch, on the rows it claims
        self.summary = BatchSummary()

    # -- control (any thread) ----------------------------------------------------------
    def cancel(self) -> None:
        """The rep cancelled: stop every run now, keep what was found; nothing left waits."""
        self.cancel_event.set()
        with self._cond:
            self._cond.notify_all()

    def stop(self) -> None:
        """Stop now and leave the unfinished prospects queued (the app is quitting)."""
        self._stopping.set()  # first: a run that sees the cancel must already know it is a stop
        self.cancel()

    @property
    def stopping(self) -> bool:
        return self._stopping.is_set()

    # -- the run -----------------------------------------------------------------------
    def run(self) -> BatchSummary:
        """Research queued prospects until none is left (or Cancel); returns what happened."""
        if self._own_parser:
            self.parser.start()
        workers = [threading.Thread(target=self._worker, name=f"earned-batch-{i}", daemon=True)
                   for i in range(self.concurrency)]
        ended = threading.Event()
        beat = threading.Thread(target=self._heartbeat, args=(ended,), name="earned-batch-heartbeat", daemon=True)
        try:
            beat.start()
            for worker in workers:
                worker.start()
            for worker in workers:
                worker.join()
            if self.cancel_event.is_set():
                if self.stopping:
                    self.summary.stopped = True
                else:
                    self.summary.cancelled = True
                    try:
                        with self._store_lock:
                            self.store.cancel_pending(self.owner)
                    except Exception as e:  # noqa: BLE001 - the queue's own failure is reported, not raised
                        self._problem(e)
        finally:
            ended.set()
            if self._own_parser:
                self.parser.close()
            beat.join()
            end_owner(self.owner)  # after the last write: until then no recover() in this process takes its rows
        return self.summary

    def _heartbeat(self, ended: threading.Event) -> None:
        """Tell the queue this batch is alive, so another process leaves its running rows alone."""
        while not ended.wait(HEARTBEAT):
            try:
                with self._store_lock:
                    self.store.heartbeat(self.owner)
            except Exception as e:  # noqa: BLE001 - a missed beat only lets another process take the rows later
                log.warning("research queue heartbeat failed: %s", redact(str(e)))

    def _problem(self, error: BaseException) -> None:
        log.error("research queue failed", exc_info=error)
        with self._cond:
            self.summary.problems.append(redact(str(error)) or type(error).__name__)

    def _worker(self) -> None:
        try:
            while True:
                job = self._next()
                if job is None:
                    return
                item, server = job
                try:
                    self._research(item)
                finally:
                    with self._cond:
                        self._busy.discard(server)
                        self._cond.notify_all()
        except Exception as e:  # noqa: BLE001 - the queue failed (a full disk, a locked file): this worker stops
            self._problem(e)

    def _next(self):
        """The next queued prospect whose server no run is researching, claimed; None when none is left."""
        with self._cond:
            while not self.cancel_event.is_set():
                with self._store_lock:
                    candidates = self.store.pending(LOOKAHEAD)
                if not candidates:
                    return None
                for item in candidates:
                    server = _server(item.website)
                    if server is not None and server in self._busy:
                        continue
                    with self._store_lock:
                        claimed = self.store.claim(item.prospect_id, self.owner)
                    if claimed:
                        if server is not None:
                            self._busy.add(server)
                        return item, server
                # Every waiting prospect's server is being researched: wait for a run to end.
                self._cond.wait(WAIT)
        return None

    def _research(self, item) -> None:
        pid = item.prospect_id
        self._emit(pid, "started", item)
        save_failed: list[BaseException] = []

        def on_event(kind: str, payload) -> None:
            if kind == "fact":
                try:
                    with self._store_lock:
                        self.save_fact(pid, payload)
                except Exception as e:  # noqa: BLE001 - the run goes on; the prospect is marked failed
                    save_failed.append(e)
                    return
            self._emit(pid, kind, payload)

        options = replace(self.options, name=(item.company or "").strip() or None,
                          url=(item.website or "").strip() or None)
        result = None
        try:
            result = Researcher(options, fetcher=_RunFetcher(self.fetcher, self._notices), on_event=on_event,
                                parser=self.parser).run()
        except ValueError as e:  # nothing to research by: no name, no website
            outcome = Outcome(pid, item.company, "failed", message=str(e))
        except Exception as e:  # noqa: BLE001 - one prospect's bug must not end the batch
            log.error("research of prospect %s failed", pid, exc_info=e)
            outcome = Outcome(pid, item.company, "failed",
                              message=f"Research failed unexpectedly ({type(e).__name__}).")
        if result is not None:
            facts, errors, problems = len(result.facts), len(result.errors), tuple(result.errors)
            if result.cancelled or self.cancel_event.is_set():
                state = "queued" if self.stopping else "cancelled"
                outcome = Outcome(pid, item.company, state, facts, errors,
                                  f"cancelled; kept {facts} fact{'s' if facts != 1 else ''}", problems)
            elif save_failed:
                outcome = Outcome(pid, item.company, "failed", facts, errors,
                                  f"Its facts could not be saved: {redact(str(save_failed[0]))}", problems)
            elif not result.facts and result.errors:
                outcome = Outcome(pid, item.company, "failed", 0, errors, failure_message(result.errors), problems)
            else:
                outcome = Outcome(pid, item.company, "done", facts, errors, problems=problems)
        with self._store_lock:
            if outcome.state == "queued":
                self.store.release(pid)
            else:
                self.store.finish(pid, outcome.state, outcome.facts, outcome.errors, outcome.message,
                                  outcome.problems)
        with self._cond:
            self.summary.outcomes.append(outcome)
        self._emit(pid, "finished", outcome)
