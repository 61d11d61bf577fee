"""ResearchService: research runs in the background; progress, facts and errors come back as signals.

Each fact found is saved as it is found, by this service, through the workspace it saves to
(save_to): WorkspaceRepo.add_found_fact, the path the command line takes too. The window only shows
what the workspace then says changed.

Each run has a generation number: events from a run the rep cancelled or replaced are dropped.
Cancelling is cooperative (a flag the fetcher checks between reads and during waits).
"""
from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal

from app.core.redact import redact
# The registry, for the UI (which does not import app.research itself): light, no source module loaded.
from app.research.sources import CRAWL_SOURCES, DEFAULT_SOURCES, SOURCES  # noqa: F401
from app.storage.repo import WorkspaceRepo

from .tasks import TaskRunner
from .workspace_service import user_message


class ResearchService(QObject):
    started = Signal(int)  # prospect id
    progress = Signal(int, str, str)  # prospect id, source, what it is doing
    fact_found = Signal(int, object)  # prospect id, FoundFact
    error_found = Signal(int, object)  # prospect id, ResearchError
    finished = Signal(int, object)  # prospect id, ResearchResult (None if the run itself failed)
    failed = Signal(int, str)  # prospect id, a message for the rep
    _event = Signal(int, int, str, object)  # generation, prospect id, kind, payload (from worker threads)

    def __init__(self, db_path: Path, parent: QObject | None = None, overrides: dict | None = None):
        super().__init__(parent)
        self.db_path = db_path
        self.overrides = overrides or {}  # tests: fetcher settings (crawl delay, deadlines)
        # Research has its own pool: a slow site must not hold up saving a draft.
        self._runner = TaskRunner(self, max_threads=1)
        self._generation = 0
        self._cancel = threading.Event()
        self.running_prospect: int | None = None
        # The child process that parses what websites send (app.research.worker); kept between runs
        # so each run doesn't pay for starting it, killed by Cancel and on quit.
        self._parser = None
        self._event.connect(self._deliver, Qt.ConnectionType.QueuedConnection)
        self._workspace = None

    def save_to(self, workspace) -> None:
        """Save the facts research finds in this WorkspaceService (one store thread for every write)."""
        self._workspace = workspace

    def _settings_options(self, name, url, max_pages):
        from app.config import research_options  # the keychain and extractors load on first use, not at startup

        # A short read-only look at the workspace settings; WAL lets it read beside the store thread.
        conn = sqlite3.connect(f"file:{self.db_path}?mode=ro", uri=True, timeout=2)
        conn.row_factory = sqlite3.Row
        try:
            return research_options(WorkspaceRepo(conn), name, url, max_pages)
        except sqlite3.Error:
            return research_options(None, name, url, max_pages)
        finally:
            conn.close()

    def start(self, prospect_id: int, name: str, url: str, max_pages: int = 8, single_page: bool = False) -> None:
        self.cancel()
        self._generation += 1
        generation = self._generation
        cancel = self._cancel = threading.Event()
        self.running_prospect = prospect_id
        self.started.emit(prospect_id)

        def work():
            from app.research.pipeline import Researcher  # loaded by the worker: the window never waits on it
            from app.research.worker import ParseWorker

            if self._parser is None:
                self._parser = ParseWorker()
            self._parser.start()  # (again after a Cancel killed it) loads the parsers while pages are fetched
            options = self._settings_options(name or None, url or None, max_pages)
            options.single_page = single_page
            for key, value in self.overrides.items():
                setattr(options, key, value)
            researcher = Researcher(options, cancel=cancel, parser=self._parser, on_event=lambda kind, payload:
                                    self._event.emit(generation, prospect_id, kind, payload))
            for key in ("deadline", "read_timeout"):
                if key in self.overrides:
                    setattr(researcher.fetcher, key, self.overrides[key])
            return researcher.run()

        def done(result) -> None:
            if generation == self._generation:
                self.running_prospect = None
                self.finished.emit(prospect_id, result)

        def fail(error: BaseException) -> None:
            if generation == self._generation:
                self.running_prospect = None
                # An unexpected error's text may quote what an API sent back, key included.
                self.failed.emit(prospect_id, redact(user_message(error, "researching")))
                self.finished.emit(prospect_id, None)

        self._runner.run(work, done, fail)

    def _deliver(self, generation: int, prospect_id: int, kind: str, payload) -> None:
        if generation != self._generation:
            return  # a run that was cancelled or replaced
        if kind == "progress":
            self.progress.emit(prospect_id, *payload)
        elif kind == "fact":
            if self._workspace is not None:
                self._workspace.add_found_fact(prospect_id, payload)
            self.fact_found.emit(prospect_id, payload)
        elif kind == "error":
            self.error_found.emit(prospect_id, payload)

    def cancel(self) -> None:
        self._cancel.set()

    def is_running(self) -> bool:
        return self.running_prospect is not None

    def parser_running(self) -> bool:
        """Whether the page parser's child process is alive (it must not outlive the window)."""
        return self._parser is not None and self._parser.pid is not None

    def wait(self, msecs: int = -1) -> bool:
        """Block until no research thread runs (on quit, and in tests); False if one still did."""
        return self._runner.wait(msecs)

    def shutdown(self) -> None:
        """On quit: stop research at once. Cancel ends waits and open connections; killing the
        parser ends a page that a parser is stuck in. Then the research thread has nothing left."""
        self.cancel()
        if self._parser is not None:
            self._parser.close()
        self._runner.wait(10_000)
