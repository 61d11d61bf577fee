"""TaskRunner: run a function on a worker thread, get its result back on the main thread.

Picard's run_task and Anki's CollectionOp, in small: the worker never touches a widget; it emits a
signal that Qt queues to the thread the runner lives in (the main thread), where the caller's own
callbacks run. Each call returns an Op; the caller says what happens next on that call alone:

    service.add_note(pid, text).success(show_fact).failure(show_error)

so nobody has to match a broadcast reply to the request that caused it.
"""
from __future__ import annotations

import logging
import traceback
from typing import Any, Callable

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Qt, Signal

log = logging.getLogger(__name__)


class Op:
    """The outcome of one background call, delivered on the main thread.

    success(cb) and failure(cb) return the Op, so they chain; both are set before the event loop runs
    again (the result is delivered through the event loop), so no result can arrive unseen. Without
    a failure callback the runner's own handler deals with the error (a service shows it to the rep)."""

    __slots__ = ("_success", "_failure", "_then")

    def __init__(self):
        self._success: Callable[[Any], None] | None = None
        self._failure: Callable[[BaseException], None] | None = None
        self._then: list[Callable[[], None]] = []

    def success(self, callback: Callable[[Any], None]) -> "Op":
        self._success = callback
        return self

    def failure(self, callback: Callable[[BaseException], None]) -> "Op":
        self._failure = callback
        return self

    def finally_(self, callback: Callable[[], None]) -> "Op":
        """Runs after success or failure (a button re-enabled, a busy flag cleared)."""
        self._then.append(callback)
        return self


class _Job(QRunnable):
    def __init__(self, runner: "TaskRunner", func, op: Op):
        super().__init__()
        self.runner, self.func, self.op = runner, func, op

    def run(self) -> None:
        try:
            result = self.func()
        except BaseException as e:  # noqa: BLE001 - every failure goes back to the caller
            log.debug("task failed: %s", "".join(traceback.format_exception(e)))
            self.runner._finished.emit(self.op, False, e)
            return
        self.runner._finished.emit(self.op, True, result)


class TaskRunner(QObject):
    _finished = Signal(object, bool, object)  # op, ok, result or error

    def __init__(self, parent: QObject | None = None, max_threads: int = 1,
                 on_unhandled: Callable[[BaseException], None] | None = None):
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(max_threads)
        # A thread that stays alive keeps SQLite's per-thread caches warm.
        self._pool.setExpiryTimeout(-1)
        self._on_unhandled = on_unhandled
        self._finished.connect(self._deliver, Qt.ConnectionType.QueuedConnection)

    def run(self, func: Callable[[], Any], on_done: Callable[[Any], None] | None = None,
            on_error: Callable[[BaseException], None] | None = None) -> Op:
        op = Op()
        if on_done is not None:
            op.success(on_done)
        if on_error is not None:
            op.failure(on_error)
        self._pool.start(_Job(self, func, op))
        return op

    def _deliver(self, op: Op, ok: bool, value) -> None:
        try:
            if ok:
                if op._success is not None:
                    op._success(value)
            elif op._failure is not None:
                op._failure(value)
            elif self._on_unhandled is not None:
                self._on_unhandled(value)
            else:
                log.error("background task failed: %s", value)
        finally:
            for callback in op._then:
                callback()

    def wait(self, msecs: int = -1) -> bool:
        """Block until queued work is done (only on quit, and in tests)."""
        return self._pool.waitForDone(msecs)
