"""BatchResearchService: research a list of prospects in the background (app.research.batch).

The queue lives in the workspace (app.storage.research_queue): queueing, reading it back and the
batch itself run on worker threads, over the service's own connection to the workspace file
(guarded by one lock; the window's thread never takes it). Results come back as signals. Facts go
as they are found are saved by this service through the workspace it saves to (save_to), the path the
command line takes too; fact_found says so as well.

Cancel ends every run within a moment and keeps what was found; on quit (shutdown) the unfinished
prospects stay queued, and resume() (when the window opens) goes on with them.
"""
from __future__ import annotations

import threading
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal

from app.core.redact import redact
from app.storage import database
from app.storage.repo import WorkspaceRepo
from app.storage.research_queue import QueueItem, ResearchQueueRepo, problems_of

from .tasks import TaskRunner
from .workspace_service import user_message

DEFAULT_MAX_PAGES = 8
FETCHER_OVERRIDES = ("deadline", "read_timeout", "connect_timeout")


class BatchResearchService(QObject):
    queue_loaded = Signal(list)  # [QueueItem]: the whole batch, in order (new, resumed, or after it ended)
    item_changed = Signal(object)  # QueueItem: one prospect's new state (running, done, failed, cancelled)
    progress = Signal(int, str, str)  # prospect id, source, what it is doing
    fact_found = Signal(int, object)  # prospect id, FoundFact (saved through the workspace given to save_to)
    error_found = Signal(int, object)  # prospect id, ResearchError (as it is found; the finished item lists them all)
    batch_started = Signal()
    batch_finished = Signal(object)  # app.research.batch.BatchSummary
    failed = Signal(str)  # a message for the rep
    _event = Signal(int, str, object)  # prospect id, kind, payload (from worker threads)

    def __init__(self, db_path: Path, parent: QObject | None = None, overrides: dict | None = None,
                 concurrency: int | None = None, max_pages: int = DEFAULT_MAX_PAGES):
        super().__init__(parent)
        self.db_path = db_path
        self.overrides = overrides or {}  # tests: research options and fetcher settings
        self.concurrency = concurrency  # None: the workspace's research_concurrency setting (default 4)
        self.max_pages = max_pages
        # Queue reads and writes on one thread, the batch on another (its runs start their own threads):
        # queueing more while a batch runs never waits for it.
        self._queue_runner = TaskRunner(self, max_threads=1)
        self._batch_runner = TaskRunner(self, max_threads=1)
        self._db_lock = threading.RLock()  # the connection below, shared by the two threads and the runs
        self._conn = None
        self._recovered = False
        self._running = False  # main thread only
        self._cancel = threading.Event()
        # Set on quit, before any cancel: every batch reads it, so a run that ends as the window closes is
        # put back in the queue (resumed next time), never recorded as the rep's Cancel.
        self._quitting = threading.Event()
        self._batch = None  # the BatchResearcher running now (set on its thread)
        self._parser = None  # app.research.batch.ParserPool, kept between batches
        self._workspace = None  # the WorkspaceService facts are saved through (save_to)
        self._started_items: dict[int, QueueItem] = {}
        self._event.connect(self._deliver, Qt.ConnectionType.QueuedConnection)

    # -- the queue (worker threads) ----------------------------------------------------------
    def _queue(self) -> ResearchQueueRepo:
        """The queue over the service's connection; call with _db_lock held. The first call of a session
        puts back what a crash (or a quit) left running."""
        if self._conn is None:
            self._conn = database.connect(self.db_path)
            self._conn.execute("PRAGMA foreign_keys=ON")
        queue = ResearchQueueRepo(self._conn)
        if not self._recovered:
            queue.recover()
            self._recovered = True
        return queue

    def _fail(self, doing: str):
        def fail(error: BaseException) -> None:
            self.failed.emit(redact(user_message(error, doing, self.db_path)))
        return fail

    # -- operations (main thread) --------------------------------------------------------------
    def enqueue(self, prospect_ids) -> None:
        """Queue prospects and research them (added to the batch running now, or a new batch)."""
        ids = [int(i) for i in prospect_ids]

        def work():
            with self._db_lock:
                queue = self._queue()
                queue.enqueue(ids)
                return queue.items()

        self._queue_runner.run(work, self._loaded, self._fail("queueing research"))

    def resume(self) -> None:
        """Go on with a batch the last session left unfinished (call when the workspace opens)."""
        def work():
            with self._db_lock:
                queue = self._queue()
                return queue.items() if queue.has_pending() else None

        self._queue_runner.run(work, lambda items: items and self._loaded(items), self._fail("resuming research"))

    def _loaded(self, items: list[QueueItem]) -> None:
        self.queue_loaded.emit(items)
        if not self._running and any(i.state == "queued" for i in items):
            self._start()

    def cancel(self) -> None:
        """Stop every run now; what was found is kept, and nothing left in the batch runs later."""
        self._cancel.set()
        batch = self._batch
        if batch is not None:
            batch.cancel()

    def is_running(self) -> bool:
        return self._running

    def _start(self) -> None:
        self._running = True
        self._cancel = cancel = threading.Event()
        self._started_items = {}
        self.batch_started.emit()

        def work():
            from app.config import research_options  # the keychain and the research code load here, not at startup
            from app.research.batch import DEFAULT_CONCURRENCY, BatchResearcher, ParserPool, default_parsers

            with self._db_lock:
                queue = self._queue()
                repo = WorkspaceRepo(self._conn)
                options = research_options(repo, None, None, self.max_pages)
                concurrency = self.concurrency or int(repo.get_setting("research_concurrency", DEFAULT_CONCURRENCY))
            for key, value in self.overrides.items():
                if key not in FETCHER_OVERRIDES:
                    setattr(options, key, value)
            if self._parser is None or self._parser.size != default_parsers(concurrency):
                if self._parser is not None:
                    self._parser.close()
                self._parser = ParserPool(default_parsers(concurrency))
            self._parser.start()  # (again after a Cancel killed them) loads the parsers while pages are fetched
            batch = BatchResearcher(
                queue, options, save_fact=lambda pid, fact: self._event.emit(pid, "save", fact),
                concurrency=concurrency, on_event=lambda pid, kind, payload: self._event.emit(pid, kind, payload),
                cancel=cancel, parser=self._parser, store_lock=self._db_lock, stopping=self._quitting)
            for key in FETCHER_OVERRIDES:
                if key in self.overrides:
                    setattr(batch.fetcher, key, self.overrides[key])
            self._batch = batch
            if self._quitting.is_set():  # the window closed while this was being set up
                batch.stop()
            try:
                return batch.run()
            finally:
                self._batch = None

        def done(summary) -> None:
            self._running = False
            for problem in summary.problems:
                self.failed.emit(f"Research of the list stopped: {problem}")
            self.batch_finished.emit(summary)
            self._reload(go_on=not (summary.cancelled or summary.stopped or summary.problems))

        def fail(error: BaseException) -> None:
            self._running = False
            self._fail("researching the list")(error)
            self._reload(go_on=False)

        self._batch_runner.run(work, done, fail)

    def _reload(self, go_on: bool) -> None:
        """Show the batch as the store has it (cancelled rows included); go on if more was queued meanwhile."""
        def work():
            with self._db_lock:
                return self._queue().items()

        def done(items) -> None:
            self.queue_loaded.emit(items)
            if go_on and not self._running and any(i.state == "queued" for i in items):
                self._start()

        self._queue_runner.run(work, done, self._fail("reading the research queue"))

    def save_to(self, workspace) -> None:
        """Save the facts the batch finds in this WorkspaceService (one store thread for every write)."""
        self._workspace = workspace

    def _deliver(self, prospect_id: int, kind: str, payload) -> None:
        # Nothing is dropped: a cancelled run's last facts were found before Cancel, and are kept.
        if kind == "save":
            if self._workspace is not None:
                self._workspace.add_found_fact(prospect_id, payload)
            self.fact_found.emit(prospect_id, payload)
        elif kind == "started":
            item = replace(payload, state="running")
            self._started_items[prospect_id] = item
            self.item_changed.emit(item)
        elif kind == "progress":
            self.progress.emit(prospect_id, *payload)
        elif kind == "error":
            self.error_found.emit(prospect_id, payload)
        elif kind == "finished":
            known = self._started_items.pop(prospect_id, None) or QueueItem(prospect_id, payload.company, "", "")
            self.item_changed.emit(replace(known, state=payload.state, facts=payload.facts, errors=payload.errors,
                                           message=payload.message, problems=problems_of(payload.problems)))

    # -- quit ----------------------------------------------------------------------------
    def wait(self, msecs: int = -1) -> bool:
        """Block until no batch or queue work runs (on quit, and in tests)."""
        return self._batch_runner.wait(msecs) and self._queue_runner.wait(msecs)

    def shutdown(self) -> None:
        """On quit: stop every run now, leaving the unfinished prospects queued for next time; the facts
        already found are handed to the workspace (and fact_found) before this returns, so they are saved."""
        self._quitting.set()  # before the cancel below: see __init__
        self._cancel.set()
        batch = self._batch
        if batch is not None:
            batch.stop()
        if self._parser is not None:
            self._parser.close()
        self._batch_runner.wait(10_000)
        self._queue_runner.wait(10_000)
        QCoreApplication.sendPostedEvents(self)  # the facts the runs reported last
        with self._db_lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None
