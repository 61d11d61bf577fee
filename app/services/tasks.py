"""TaskRunner: run a function on a worker thread, get its result back on the main thread.

Picard's run_task, in small: the worker never touches a widget; it emits a signal that
Qt queues to the thread the runner lives in (the main thread), where the callback runs.
"""
from __future__ import annotations

import logging
import traceback
from typing import Any, Callable

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Qt, Signal

log = logging.getLogger(__name__)


class _Job(QRunnable):
    def __init__(self, runner: "TaskRunner", func, on_done, on_error):
        super().__init__()
        self.runner, self.func, self.on_done, self.on_error = runner, func, on_done, on_error

    def run(self) -> None:
        try:
            result = self.func()
        except BaseException as e:  # noqa: BLE001 - every failure goes back to the caller
            log.debug("task failed: %s", "".join(traceback.format_exception(e)))
            self.runner._finished.emit(self.on_error, e)
            return
        self.runner._finished.emit(self.on_done, result)


class TaskRunner(QObject):
    _finished = Signal(object, object)  # callback, value

    def __init__(self, parent: QObject | None = None, max_threads: int = 1):
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(max_threads)
        # A thread that stays alive keeps SQLite's per-thread caches warm.
        self._pool.setExpiryTimeout(-1)
        self._finished.connect(self._deliver, Qt.ConnectionType.QueuedConnection)

    def run(self, func: Callable[[], Any], on_done: Callable[[Any], None] | None = None,
            on_error: Callable[[BaseException], None] | None = None) -> None:
        self._pool.start(_Job(self, func, on_done, on_error))

    def _deliver(self, callback, value) -> None:
        if callback is not None:
            callback(value)
        elif isinstance(value, BaseException):
            log.error("background task failed: %s", value)

    def wait(self, msecs: int = -1) -> bool:
        """Block until queued work is done (only on quit, and in tests)."""
        return self._pool.waitForDone(msecs)
