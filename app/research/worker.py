"""Parse untrusted bytes in a child process that can be killed.

A website chooses the bytes our parsers read. Some inputs make a C parser (lxml, expat, the
regex engine) run for minutes while holding the interpreter lock: no budget checked in Python can
stop it, and in a thread it freezes the whole window. In a child process it can't touch the window,
and a hard time limit, Cancel or closing the window kills it; the next call starts a fresh one.

Only the call crosses the process boundary: the arguments and results are plain picklable
records (Fetched, PageResult, ...), and the function is named as "module:function" so the child
imports it itself (spawned, not forked: a forked Qt process is not safe to use).
"""
from __future__ import annotations

import importlib
import multiprocessing
import threading
import time
from multiprocessing.connection import Connection

from .errors import Cancelled, FetchError

CALL_TIMEOUT = 20.0  # seconds one parse may take: the slowest real page we know takes well under 1 s
POLL = 0.05  # how often a waiting call looks at Cancel
# What the child imports before its first call, so the first page doesn't pay for it mid-run.
PRELOAD = ("app.research.extract", "app.research.feeds", "app.research.discover", "app.research.articles")


class ParseTimeout(FetchError):
    def __init__(self, url: str, seconds: float):
        super().__init__("parse-failed", url, f"{url} took longer than {seconds:.0f} s to read, so Earned stopped "
                                              "reading it; the rest of the research goes on.")


def _child(conn: Connection, preload: tuple[str, ...]) -> None:
    """The child's loop: receive (target, args), send ("ok", result) or ("error", type name, message)."""
    for name in preload:
        importlib.import_module(name)
    while True:
        try:
            target, args = conn.recv()
        except EOFError:
            return  # the parent went away
        module, _, func = target.partition(":")
        try:
            result = getattr(importlib.import_module(module), func)(*args)
            conn.send(("ok", result))
        except Exception as e:  # noqa: BLE001 - every failure goes back to the caller as a value
            conn.send(("error", type(e).__name__, str(e)))


class ParseWorker:
    """One child process, one call at a time; thread-safe. Killed on a timeout or Cancel, and
    started again on the next call."""

    def __init__(self, timeout: float = CALL_TIMEOUT, preload: tuple[str, ...] = PRELOAD):
        self.timeout = timeout
        self.preload = preload
        self._lock = threading.Lock()  # one call at a time
        self._proc: multiprocessing.Process | None = None
        self._conn: Connection | None = None
        self._closed = False  # after close(), no child is started again (the app is quitting)

    def start(self) -> None:
        """Start the child now (it loads the parsers while the first page is being fetched)."""
        with self._lock:
            if not self._closed:
                self._ensure()

    def _ensure(self) -> Connection:
        if self._proc is None or not self._proc.is_alive():
            self._discard()
            context = multiprocessing.get_context("spawn")
            parent, child = context.Pipe()
            self._proc = context.Process(target=_child, args=(child, self.preload), daemon=True,
                                         name="earned-parser")
            self._proc.start()
            child.close()
            self._conn = parent
        return self._conn

    def call(self, target: str, *args, url: str = "", cancel: threading.Event | None = None,
             timeout: float | None = None):
        """target(*args) in the child. Raises ParseTimeout (the child is killed), Cancelled (killed
        too), or RuntimeError with the child's error when the function itself failed."""
        limit = self.timeout if timeout is None else timeout
        with self._lock:
            if self._closed or (cancel is not None and cancel.is_set()):
                raise Cancelled()
            conn = self._ensure()
            conn.send((target, args))
            started = time.monotonic()
            while not conn.poll(POLL):
                if cancel is not None and cancel.is_set():
                    self._kill()
                    raise Cancelled()
                if time.monotonic() - started > limit:
                    self._kill()
                    raise ParseTimeout(url or target, limit)
            try:
                reply = conn.recv()
            except (EOFError, OSError):  # the child died (out of memory, a crash in a C library), or close()
                self._kill()
                if cancel is not None and cancel.is_set():
                    raise Cancelled() from None
                raise FetchError("parse-failed", url or target,
                                 f"{url or target} made the page reader crash; it was skipped.") from None
        if reply[0] == "ok":
            return reply[1]
        raise WorkerError(reply[1], reply[2])

    def _kill(self) -> None:
        if self._proc is not None and self._proc.is_alive():
            self._proc.kill()
            self._proc.join(5)
        self._discard()

    def _discard(self) -> None:
        if self._conn is not None:
            self._conn.close()
        if self._proc is not None and not self._proc.is_alive():
            self._proc.join()  # reap it: no zombie left behind
        self._proc, self._conn = None, None

    @property
    def pid(self) -> int | None:
        return self._proc.pid if self._proc is not None else None

    def close(self) -> None:
        """Stop the child (on quit, or at the end of a CLI run). Safe to call from any thread, even
        while another thread waits in call(): that call then fails as a crashed parse, or as Cancelled."""
        self._closed = True
        proc = self._proc
        if proc is not None and proc.is_alive():
            proc.kill()
        if self._lock.acquire(timeout=5):
            try:
                self._kill()
            finally:
                self._lock.release()


class WorkerError(Exception):
    """The parsing function raised in the child: its type name and message, for a plain report."""

    def __init__(self, type_name: str, message: str):
        super().__init__(f"{type_name}: {message}")
        self.type_name = type_name
