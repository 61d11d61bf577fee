"""The research queue: prospects waiting to be researched in the background, kept in the workspace.

A row goes queued -> running -> done | failed | cancelled. The rows in the table are the current
batch: queueing while nothing waits starts a new batch (the finished rows of the last one go).
The queue outlives the process: open it with recover() and a row a crash left 'running' is queued
again, so the batch resumes where it stopped.
"""
from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import Iterable

from app.core.dates import now_iso

from .repo import WorkspaceRepo

STATES = ("queued", "running", "done", "failed", "cancelled")
FINISHED = ("done", "failed", "cancelled")

_SELECT = ("SELECT q.prospect_id, q.position, q.state, q.facts, q.errors, q.message, p.company, p.website"
           " FROM research_queue q JOIN prospects p ON p.id = q.prospect_id")


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


def _item(row: sqlite3.Row) -> QueueItem:
    return QueueItem(prospect_id=row["prospect_id"], company=row["company"], website=row["website"],
                     state=row["state"], facts=row["facts"], errors=row["errors"], message=row["message"],
                     position=row["position"])


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
        """On opening: rows a crash (or a quit mid-run) left 'running' are queued again. Returns how many."""
        if self.conn.execute("SELECT 1 FROM research_queue WHERE state = 'running' LIMIT 1").fetchone() is None:
            return 0  # the usual case: nothing to write (a read-only or full workspace still opens quietly)
        with self._repo.transaction():
            return self.conn.execute("UPDATE research_queue SET state = 'queued' WHERE state = 'running'").rowcount

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
                    " facts = 0, errors = 0, message = '', queued_at = excluded.queued_at, finished_at = NULL"
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

    def claim(self, prospect_id: int) -> bool:
        """Take a queued row to research it (False if it is not queued any more)."""
        with self._repo.transaction():
            return self.conn.execute(
                "UPDATE research_queue SET state = 'running' WHERE prospect_id = ? AND state = 'queued'",
                (prospect_id,)).rowcount == 1

    def claim_next(self) -> QueueItem | None:
        """Take the first queued row, or None when nothing is queued."""
        with self._repo.transaction():
            for item in self.pending(limit=1):
                self.conn.execute("UPDATE research_queue SET state = 'running' WHERE prospect_id = ?",
                                  (item.prospect_id,))
                return self.get(item.prospect_id)
        return None

    def finish(self, prospect_id: int, state: str, facts: int = 0, errors: int = 0, message: str = "") -> None:
        """Record how a row ended: done, failed (message says why) or cancelled (facts kept)."""
        if state not in FINISHED:
            raise ValueError(f"not a finished state: {state!r}")
        with self._repo.transaction():
            self.conn.execute(
                "UPDATE research_queue SET state = ?, facts = ?, errors = ?, message = ?, finished_at = ?"
                " WHERE prospect_id = ?", (state, int(facts), int(errors), message, now_iso(), prospect_id))

    def mark_done(self, prospect_id: int, facts: int, errors: int = 0) -> None:
        self.finish(prospect_id, "done", facts, errors)

    def mark_failed(self, prospect_id: int, message: str, facts: int = 0, errors: int = 0) -> None:
        self.finish(prospect_id, "failed", facts, errors, message)

    def release(self, prospect_id: int) -> None:
        """A run stopped before its end without the rep cancelling (the app quit): queue it again."""
        with self._repo.transaction():
            self.conn.execute("UPDATE research_queue SET state = 'queued' WHERE prospect_id = ? AND state = 'running'",
                              (prospect_id,))

    def cancel_pending(self) -> int:
        """The rep cancelled the batch: whatever still waits is cancelled too, so it doesn't resume later."""
        with self._repo.transaction():
            return self.conn.execute(
                "UPDATE research_queue SET state = 'cancelled', finished_at = ? WHERE state IN ('queued', 'running')",
                (now_iso(),)).rowcount

    def clear(self) -> None:
        """Forget the batch, finished or not."""
        with self._repo.transaction():
            self.conn.execute("DELETE FROM research_queue")
