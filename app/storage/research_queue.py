"""The research queue: prospects waiting to be researched in the background, kept in the workspace.

A row goes queued -> running -> done | failed | cancelled. The rows in the table are the current
batch: queueing while nothing waits starts a new batch (the finished rows of the last one go).
The queue outlives the process: open it with recover() and a row a crash left 'running' is queued
again, so the batch resumes where it stopped. A running row names its owner (the batch researching it:
its process id and a token) and the owner refreshes heartbeat_at while it runs, so recover() takes only
rows whose owner is gone (its process ended, or it went quiet): a second process on the same workspace
(`earned research --all` while the window researches a list) leaves the other's rows alone.

Each finished row keeps its problem lines (source, kind, message, url), as research listed them.
"""
from __future__ import annotations

import json
import os
import sqlite3
import threading
import time
import uuid
from dataclasses import dataclass
from typing import Iterable

from app.core.dates import now_iso
from app.core.redact import redact

from .repo import WorkspaceRepo

STATES = ("queued", "running", "done", "failed", "cancelled")
FINISHED = ("done", "failed", "cancelled")

_SELECT = ("SELECT q.prospect_id, q.position, q.state, q.facts, q.errors, q.message, q.problems, q.owner,"
           " p.company, p.website FROM research_queue q JOIN prospects p ON p.id = q.prospect_id")

HEARTBEAT = 30.0  # seconds between a running batch's "still here" on its rows
STALE_AFTER = 180.0  # a running row whose owner said nothing for this long is taken back (a hung or frozen owner)


@dataclass(frozen=True)
class Problem:
    """One line of a prospect's research problems (app.research.errors.ResearchError, without its type)."""
    source: str
    kind: str
    message: str
    url: str = ""

    def to_json(self) -> dict:
        return {"source": self.source, "kind": self.kind, "message": self.message, "url": self.url}


def problems_of(errors: Iterable) -> tuple[Problem, ...]:
    """Problems from ResearchErrors (or anything with source, kind, message, url). Redacted again: the
    workspace file is one more place an API key must never land."""
    return tuple(Problem(redact(str(e.source)), str(e.kind), redact(str(e.message)),
                         redact(str(getattr(e, "url", "") or ""))) for e in errors)


def _read_problems(text: str | None) -> tuple[Problem, ...]:
    try:
        rows = json.loads(text or "[]")
        return tuple(Problem(str(r.get("source", "")), str(r.get("kind", "")), str(r.get("message", "")),
                             str(r.get("url", ""))) for r in rows if isinstance(r, dict))
    except (ValueError, TypeError, AttributeError):
        return ()  # a damaged cell loses its lines, never the queue


# -- owners ---------------------------------------------------------------------------------------------------
# Batches of this process that are running now. A row owned by this process is taken back only if its owner is
# not among them (a batch that ended without putting the row back); one owned by another process, if that
# process is gone.
_live_owners: set[str] = set()
_owners_lock = threading.Lock()


def new_owner() -> str:
    """An owner for one batch: "pid:token" (the token tells two batches of one process apart)."""
    owner = f"{os.getpid()}:{uuid.uuid4().hex[:12]}"
    with _owners_lock:
        _live_owners.add(owner)
    return owner


def end_owner(owner: str) -> None:
    with _owners_lock:
        _live_owners.discard(owner)


def pid_alive(pid: int) -> bool:
    """Whether a process with this id runs now (on this computer)."""
    if pid <= 0:
        return False
    if os.name == "nt":  # (os.kill on Windows would end the process, not ask about it)
        import ctypes

        kernel32 = ctypes.windll.kernel32
        handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
        if not handle:
            return False
        try:
            code = ctypes.c_ulong()
            return bool(kernel32.GetExitCodeProcess(handle, ctypes.byref(code))) and code.value == 259  # STILL_ACTIVE
        finally:
            kernel32.CloseHandle(handle)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process: alive
    except OSError:
        return False
    return True


def owner_gone(owner: str | None, heartbeat_at: float | None, now: float | None = None) -> bool:
    """Whether a running row's owner stopped researching it: none recorded (an older Earned, a test), silent
    for STALE_AFTER, a batch of this process that ended, or another process that is no longer running."""
    if not owner or heartbeat_at is None:
        return True
    if (now if now is not None else time.time()) - heartbeat_at > STALE_AFTER:
        return True
    pid_text, _, _ = owner.partition(":")
    try:
        pid = int(pid_text)
    except ValueError:
        return True
    if pid == os.getpid():
        with _owners_lock:
            return owner not in _live_owners
    return not pid_alive(pid)


@dataclass(frozen=True)
class QueueItem:
    prospect_id: int
    company: str
    website: str
    state: str  # one of STATES
    facts: int = 0  # facts found (done, or kept when cancelled)
    errors: int = 0  # problems research listed
    message: str = ""  # why it failed, in the rep's words
    position: int = 0
    problems: tuple[Problem, ...] = ()  # the problem lines research listed (a finished row's)
    owner: str | None = None  # the batch researching a running row


def _item(row: sqlite3.Row) -> QueueItem:
    return QueueItem(prospect_id=row["prospect_id"], company=row["company"], website=row["website"],
                     state=row["state"], facts=row["facts"], errors=row["errors"], message=row["message"],
                     position=row["position"], problems=_read_problems(row["problems"]), owner=row["owner"])


class ResearchQueueRepo:
    """The queue over one workspace connection, used from one thread at a time (callers serialise)."""

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn
        self._repo = WorkspaceRepo(conn)  # for its transactions: they wait their turn behind another writer

    # -- reading -----------------------------------------------------------------
    def items(self) -> list[QueueItem]:
        """The whole batch, in the order it was queued."""
        return [_item(r) for r in self.conn.execute(f"{_SELECT} ORDER BY q.position")]

    def get(self, prospect_id: int) -> QueueItem | None:
        row = self.conn.execute(f"{_SELECT} WHERE q.prospect_id = ?", (prospect_id,)).fetchone()
        return _item(row) if row else None

    def pending(self, limit: int = 200) -> list[QueueItem]:
        """The next queued rows (not the running ones), first queued first."""
        rows = self.conn.execute(f"{_SELECT} WHERE q.state = 'queued' ORDER BY q.position LIMIT ?", (limit,))
        return [_item(r) for r in rows]

    def counts(self) -> dict[str, int]:
        """Rows by state, every state present (0 when none)."""
        found = dict(self.conn.execute("SELECT state, count(*) FROM research_queue GROUP BY state").fetchall())
        return {state: found.get(state, 0) for state in STATES}

    def has_pending(self) -> bool:
        """Anything queued or running: a batch to go on with."""
        return self.conn.execute(
            "SELECT 1 FROM research_queue WHERE state IN ('queued', 'running') LIMIT 1").fetchone() is not None

    # -- writing -----------------------------------------------------------------
    def recover(self) -> int:
        """On opening: rows a crash (or a quit mid-run) left 'running' are queued again; rows another live
        batch is researching are left to it (owner_gone). Returns how many were queued again."""
        running = self.conn.execute(
            "SELECT prospect_id, owner, heartbeat_at FROM research_queue WHERE state = 'running'").fetchall()
        now = time.time()
        orphans = [(r["prospect_id"], r["owner"]) for r in running if owner_gone(r["owner"], r["heartbeat_at"], now)]
        if not orphans:
            return 0  # the usual case: nothing to write (a read-only or full workspace still opens quietly)
        with self._repo.transaction():
            # Only if the owner judged gone still has it: another process may have taken the row back and
            # claimed it again since it was read.
            return sum(self.conn.execute(
                "UPDATE research_queue SET state = 'queued', owner = NULL, heartbeat_at = NULL"
                " WHERE prospect_id = ? AND state = 'running' AND owner IS ?", (pid, owner)).rowcount
                for pid, owner in orphans)

    def enqueue(self, prospect_ids: Iterable[int]) -> int:
        """Queue prospects (unknown ids are skipped; one already waiting keeps its place; a finished one
        is queued again). With nothing waiting, this starts a new batch. Returns how many were queued."""
        ids = list(dict.fromkeys(int(i) for i in prospect_ids))
        added = 0
        with self._repo.transaction():
            if not self.has_pending():
                self.conn.execute("DELETE FROM research_queue")
            position = self.conn.execute("SELECT coalesce(max(position), 0) FROM research_queue").fetchone()[0]
            known = {r[0] for r in self.conn.execute(
                f"SELECT id FROM prospects WHERE id IN ({','.join('?' * len(ids))})", ids)} if ids else set()
            stamp = now_iso()
            for prospect_id in ids:
                if prospect_id not in known:
                    continue
                position += 1
                cur = self.conn.execute(
                    "INSERT INTO research_queue (prospect_id, position, state, queued_at) VALUES (?, ?, 'queued', ?)"
                    " ON CONFLICT (prospect_id) DO UPDATE SET position = excluded.position, state = 'queued',"
                    " facts = 0, errors = 0, message = '', problems = '[]', owner = NULL, heartbeat_at = NULL,"
                    " queued_at = excluded.queued_at, finished_at = NULL"
                    " WHERE research_queue.state NOT IN ('queued', 'running')",
                    (prospect_id, position, stamp))
                added += cur.rowcount
        return added

    def enqueue_all(self) -> int:
        """Queue every prospect there is something to research for (a name or a website), by name."""
        ids = [r[0] for r in self.conn.execute(
            "SELECT id FROM prospects WHERE length(trim(company)) > 0 OR length(trim(website)) > 0"
            " ORDER BY company COLLATE NOCASE, id")]
        return self.enqueue(ids)

    def claim(self, prospect_id: int, owner: str | None = None) -> bool:
        """Take a queued row to research it (False if it is not queued any more). owner: the batch's
        (new_owner()); it must call heartbeat() while it runs, or recover() elsewhere takes the row back."""
        with self._repo.transaction():
            return self.conn.execute(
                "UPDATE research_queue SET state = 'running', owner = ?, heartbeat_at = ?"
                " WHERE prospect_id = ? AND state = 'queued'", (owner, time.time(), prospect_id)).rowcount == 1

    def claim_next(self, owner: str | None = None) -> QueueItem | None:
        """Take the first queued row, or None when nothing is queued."""
        with self._repo.transaction():
            for item in self.pending(limit=1):
                self.claim(item.prospect_id, owner)
                return self.get(item.prospect_id)
        return None

    def heartbeat(self, owner: str) -> None:
        """The owner's running rows: still being researched."""
        with self._repo.transaction():
            self.conn.execute("UPDATE research_queue SET heartbeat_at = ? WHERE owner = ? AND state = 'running'",
                              (time.time(), owner))

    def finish(self, prospect_id: int, state: str, facts: int = 0, errors: int = 0, message: str = "",
               problems: Iterable = ()) -> None:
        """Record how a row ended: done, failed (message says why) or cancelled (facts kept); problems: the
        ResearchErrors (or Problems) research listed, kept as lines to show."""
        if state not in FINISHED:
            raise ValueError(f"not a finished state: {state!r}")
        lines = json.dumps([p.to_json() for p in problems_of(problems)], ensure_ascii=False)
        with self._repo.transaction():
            self.conn.execute(
                "UPDATE research_queue SET state = ?, facts = ?, errors = ?, message = ?, problems = ?,"
                " finished_at = ?, owner = NULL, heartbeat_at = NULL WHERE prospect_id = ?",
                (state, int(facts), int(errors), redact(message), lines, now_iso(), prospect_id))

    def mark_done(self, prospect_id: int, facts: int, errors: int = 0, problems: Iterable = ()) -> None:
        self.finish(prospect_id, "done", facts, errors, problems=problems)

    def mark_failed(self, prospect_id: int, message: str, facts: int = 0, errors: int = 0,
                    problems: Iterable = ()) -> None:
        self.finish(prospect_id, "failed", facts, errors, message, problems)

    def release(self, prospect_id: int) -> None:
        """A run stopped before its end without the rep cancelling (the app quit): queue it again."""
        with self._repo.transaction():
            self.conn.execute("UPDATE research_queue SET state = 'queued', owner = NULL, heartbeat_at = NULL"
                              " WHERE prospect_id = ? AND state = 'running'", (prospect_id,))

    def cancel_pending(self, owner: str | None = None) -> int:
        """The rep cancelled the batch: whatever still waits is cancelled too, so it doesn't resume later.
        Rows another live batch is researching (the window's, when the CLI is cancelled) stay with it."""
        now = time.time()
        with self._repo.transaction():
            running = self.conn.execute(
                "SELECT prospect_id, owner, heartbeat_at FROM research_queue WHERE state = 'running'").fetchall()
            others = [r["prospect_id"] for r in running
                      if r["owner"] != owner and not owner_gone(r["owner"], r["heartbeat_at"], now)]
            return self.conn.execute(
                "UPDATE research_queue SET state = 'cancelled', finished_at = ?, owner = NULL, heartbeat_at = NULL"
                f" WHERE state IN ('queued', 'running') AND prospect_id NOT IN ({','.join('?' * len(others))})",
                (now_iso(), *others)).rowcount

    def clear(self) -> None:
        """Forget the batch, finished or not."""
        with self._repo.transaction():
            self.conn.execute("DELETE FROM research_queue")
