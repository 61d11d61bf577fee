"""WorkspaceRepo: every read and write of the workspace, as plain records."""
from __future__ import annotations

import functools
import hashlib
import json
import re
import sqlite3
import time
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from app.core.dates import add_business_days, now_iso
from app.core.errors import InputError, StoreBusy
from app.core.models import EMAIL_KINDS, FACT_KINDS, MESSAGE_KINDS, PROSPECT_STATUSES, Draft, Fact, Prospect, Touch
from app.core.text import MAX_NOTE_CHARS, sanitize
from app.core.validate import note_input, prospect_input

from . import database

if TYPE_CHECKING:
    from app.research.facts import Snapshot

DEFAULT_FOLLOW_UP_DAYS = 3
SEARCH_INDEX_REBUILT = ("The search index of your facts was damaged; Earned rebuilt it from the facts themselves. "
                        "Nothing was lost.")


def _writes(method):
    """A repo write: one transaction that waits its turn behind another writer, repairs a damaged
    search index and tries once more, and fails with a sentence the rep can act on."""

    @functools.wraps(method)
    def write(self: "WorkspaceRepo", *args, **kwargs):
        if self.conn.in_transaction:
            return method(self, *args, **kwargs)  # part of a larger write, which handles all this
        try:
            with self.transaction():
                return method(self, *args, **kwargs)
        except sqlite3.DatabaseError:
            # The FTS triggers fail with a bare "constraint failed" when the index is damaged:
            # only a check of the index tells that apart from a real bug.
            if not self.repair_search_index():
                raise
        with self.transaction():
            return method(self, *args, **kwargs)

    return write


def content_hash(text: str) -> str:
    """Same words, case and spacing aside, give the same hash."""
    normal = " ".join(text.casefold().split())
    return hashlib.sha256(normal.encode("utf-8")).hexdigest()


def _prospect(row: sqlite3.Row) -> Prospect:
    keys = row.keys()
    return Prospect(
        id=row["id"], company=row["company"], website=row["website"], contact_name=row["contact_name"],
        role=row["role"], status=row["status"], created_at=row["created_at"], status_reason=row["status_reason"],
        follow_up_due=row["due"] if "due" in keys and row["status"] == "contacted" else None,
    )


# The follow-up date of the last email sent: a call or a LinkedIn note afterwards is a touch, but the email
# still waits for its reply (and a voicemail points to an email, it doesn't replace one).
_EMAIL_KINDS_SQL = ", ".join(f"'{k}'" for k in EMAIL_KINDS)
_PROSPECT_SELECT = (
    "SELECT p.*, (SELECT t.follow_up_due FROM touches t WHERE t.prospect_id = p.id"
    f" AND t.kind IN ({_EMAIL_KINDS_SQL}) ORDER BY t.id DESC LIMIT 1) AS due FROM prospects p"
)


def _fact(row: sqlite3.Row) -> Fact:
    return Fact(
        id=row["id"], prospect_id=row["prospect_id"], kind=row["kind"], text=row["text"],
        source_url=row["source_url"], source_title=row["source_title"], published=row["published"],
        retrieved_at=row["retrieved_at"], pinned=bool(row["pinned"]), discarded=bool(row["discarded"]),
        lang=row["lang"], off_site=bool(row["off_site"]), score=row["score"], quote=row["quote"],
        quote_url=row["quote_url"], quote_retrieved_at=row["quote_retrieved_at"], quote_sha256=row["quote_sha256"],
    )


_SHA256 = re.compile(r"[0-9a-f]{64}")


def snapshot_values(snapshot) -> tuple[str, str, str, str] | None:
    """(quote, url, retrieved_at, sha256) of a snapshot: a research.facts.Snapshot, any object with
    those attributes, or a dict with those keys; None for none."""
    if snapshot is None:
        return None
    get = snapshot.get if isinstance(snapshot, dict) else lambda name: getattr(snapshot, name, None)
    quote, _ = sanitize(str(get("quote") or ""))
    quote = " ".join(quote.split())[:MAX_NOTE_CHARS]
    url = str(get("url") or "").strip()
    retrieved_at = str(get("retrieved_at") or "").strip()
    digest = str(get("sha256") or "").strip().lower()
    if not quote:
        return None  # nothing was quoted: no snapshot to keep
    if not retrieved_at or not _SHA256.fullmatch(digest):
        raise InputError("A quote's snapshot needs the time it was read and the sha256 of the text it was read in.")
    return quote, url, retrieved_at, digest


def _touch(row: sqlite3.Row) -> Touch:
    return Touch(
        id=row["id"], prospect_id=row["prospect_id"], kind=row["kind"], subject=row["subject"], text=row["text"],
        cited_fact_ids=tuple(json.loads(row["cited_fact_ids"])), overrides=tuple(json.loads(row["overrides"])),
        sent_at=row["sent_at"], follow_up_due=row["follow_up_due"],
    )


def fts_query(text: str) -> str:
    """The rep's words as an FTS5 query: every word must match (prefix on the last), no syntax errors."""
    words = re.findall(r"\w+", text)
    if not words:
        return ""
    quoted = [f'"{w}"' for w in words]
    quoted[-1] += "*"
    return " ".join(quoted)


class WorkspaceRepo:
    """One connection, used from one thread at a time (the store worker, or the CLI)."""

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn
        self.notices: list[str] = []  # things the rep should be told (the caller shows and clears them)
        self.on_busy: Callable[[], None] | None = None  # called once when a write starts waiting for a lock

    @functools.cached_property
    def path(self) -> Path:
        row = self.conn.execute("PRAGMA database_list").fetchone()
        return Path(row["file"] if row and row["file"] else "earned.db")

    def take_notices(self) -> list[str]:
        notices, self.notices = self.notices, []
        return notices

    # -- prospects ---------------------------------------------------------------
    def list_prospects(self) -> list[Prospect]:
        rows = self.conn.execute(f"{_PROSPECT_SELECT} ORDER BY p.company COLLATE NOCASE, p.id")
        return [_prospect(r) for r in rows]

    def get_prospect(self, prospect_id: int) -> Prospect:
        row = self.conn.execute(f"{_PROSPECT_SELECT} WHERE p.id = ?", (prospect_id,)).fetchone()
        if row is None:
            raise InputError(f"There is no prospect with id {prospect_id}. List them with: earned prospect list")
        return _prospect(row)

    @_writes
    def add_prospect(self, company: str, website: str = "", contact_name: str = "", role: str = "") -> Prospect:
        data = prospect_input(company, website, contact_name, role)
        cur = self.conn.execute(
            "INSERT INTO prospects (company, website, contact_name, role, created_at) VALUES (?, ?, ?, ?, ?)",
            (data.company, data.website, data.contact_name, data.role, now_iso()),
        )
        return self.get_prospect(cur.lastrowid)

    def prospects_by_id(self, ids: set[int]) -> list[Prospect]:
        if not ids:
            return []
        marks = ",".join("?" * len(ids))
        return [_prospect(r) for r in self.conn.execute(f"{_PROSPECT_SELECT} WHERE p.id IN ({marks})", list(ids))]

    @_writes
    def set_status(self, prospect_id: int, status: str, reason: str = "") -> Prospect:
        if status not in PROSPECT_STATUSES:
            raise InputError(f"Unknown status {status!r}; use one of {', '.join(PROSPECT_STATUSES)}.")
        self.get_prospect(prospect_id)
        if status == "disqualified" and not reason.strip():
            raise InputError("Say why you are disqualifying this prospect (e.g. 'no budget until 2027').")
        self.conn.execute(
            "UPDATE prospects SET status = ?, status_reason = ?, status_changed_at = ? WHERE id = ?",
            (status, reason.strip(), now_iso(), prospect_id),
        )
        return self.get_prospect(prospect_id)

    # -- facts -------------------------------------------------------------------
    @_writes
    def add_fact(
        self, prospect_id: int, kind: str, text: str, source_url: str = "", source_title: str = "",
        published: str | None = None, lang: str | None = None, off_site: bool = False, score: float | None = None,
        snapshot: "Snapshot | dict | None" = None,
    ) -> tuple[Fact, bool]:
        """Save a fact; the same text again refreshes the existing one. Returns (fact, created).
        snapshot: where a quoted fact's sentences were read (see snapshot_values); a refresh without one
        keeps the saved snapshot, with its own time."""
        if kind not in FACT_KINDS:
            raise InputError(f"Unknown fact kind {kind!r}; use one of {', '.join(FACT_KINDS)}.")
        self.get_prospect(prospect_id)
        text, _ = sanitize(text)
        text = text.strip()[:MAX_NOTE_CHARS]
        if not text:
            raise InputError("A fact needs some text.")
        digest = content_hash(text)
        stamp = now_iso()
        snap = snapshot_values(snapshot)
        if snap is not None and not snap[1]:
            snap = (snap[0], source_url, *snap[2:])  # the quote was read on the fact's own page
        existing = self.conn.execute(
            "SELECT id FROM facts WHERE prospect_id = ? AND content_hash = ?", (prospect_id, digest)
        ).fetchone()
        if existing:
            self.conn.execute(
                "UPDATE facts SET discarded = 0, retrieved_at = ?, source_url = COALESCE(NULLIF(?, ''), source_url),"
                " source_title = COALESCE(NULLIF(?, ''), source_title), published = COALESCE(?, published),"
                " lang = COALESCE(?, lang), off_site = ?, score = COALESCE(?, score) WHERE id = ?",
                (stamp, source_url, source_title, published, lang, int(off_site), score, existing["id"]),
            )
            if snap is not None:  # a newer reading replaces the snapshot whole, never in part
                self.conn.execute("UPDATE facts SET quote = ?, quote_url = ?, quote_retrieved_at = ?, quote_sha256 = ?"
                                  " WHERE id = ?", (*snap, existing["id"]))
            return self.get_fact(existing["id"]), False
        cur = self.conn.execute(
            "INSERT INTO facts (prospect_id, kind, text, source_url, source_title, published, retrieved_at,"
            " content_hash, lang, off_site, score, quote, quote_url, quote_retrieved_at, quote_sha256)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (prospect_id, kind, text, source_url, source_title, published, stamp, digest, lang, int(off_site), score,
             *(snap or (None,) * 4)),
        )
        return self.get_fact(cur.lastrowid), True

    @_writes
    def add_note(self, prospect_id: int, text: str, source_url: str = "") -> Fact:
        data = note_input(text, source_url)
        fact, _ = self.add_fact(prospect_id, "note", data.text, source_url=data.source_url)
        return fact

    def get_fact(self, fact_id: int) -> Fact:
        row = self.conn.execute("SELECT * FROM facts WHERE id = ?", (fact_id,)).fetchone()
        if row is None:
            raise InputError(f"There is no fact with id {fact_id}.")
        return _fact(row)

    def list_facts(self, prospect_id: int) -> list[Fact]:
        self.get_prospect(prospect_id)
        rows = self.conn.execute(
            # Pinned first; the rep's own notes (no score) newest first; then research by usefulness and
            # date; facts from a site that never names the company last.
            "SELECT * FROM facts WHERE prospect_id = ? AND NOT discarded ORDER BY pinned DESC, off_site,"
            " score IS NOT NULL, score DESC, published DESC, id DESC", (prospect_id,)
        )
        return [_fact(r) for r in rows]

    def search_facts(self, query: str, prospect_id: int | None = None, limit: int = 100) -> list[Fact]:
        match = fts_query(query)
        if not match:
            return []
        sql = (
            "SELECT facts.* FROM facts_fts JOIN facts ON facts.id = facts_fts.rowid"
            " WHERE facts_fts MATCH ? AND NOT facts.discarded"
        )
        params: list = [match]
        if prospect_id is not None:
            sql += " AND facts.prospect_id = ?"
            params.append(prospect_id)
        sql += " ORDER BY bm25(facts_fts) LIMIT ?"
        params.append(limit)
        return [_fact(r) for r in self.conn.execute(sql, params)]

    @_writes
    def set_pinned(self, fact_id: int, pinned: bool) -> Fact:
        self.get_fact(fact_id)
        self.conn.execute("UPDATE facts SET pinned = ? WHERE id = ?", (int(pinned), fact_id))
        return self.get_fact(fact_id)

    @_writes
    def edit_fact(self, fact_id: int, text: str) -> Fact:
        """The rep's correction of a fact's wording; its source stays."""
        data = note_input(text)
        fact = self.get_fact(fact_id)
        digest = content_hash(data.text)
        clash = self.conn.execute("SELECT id FROM facts WHERE prospect_id = ? AND content_hash = ? AND id != ?",
                                  (fact.prospect_id, digest, fact_id)).fetchone()
        if clash:
            raise InputError(f"Fact [^{clash['id']}] already says that.")
        self.conn.execute("UPDATE facts SET text = ?, content_hash = ?, edited_at = ? WHERE id = ?",
                          (data.text, digest, now_iso(), fact_id))
        return self.get_fact(fact_id)

    @_writes
    def set_discarded(self, fact_id: int, discarded: bool) -> Fact:
        """Discarding hides a fact (cited drafts keep their marker); undo brings it back."""
        self.get_fact(fact_id)
        self.conn.execute("UPDATE facts SET discarded = ? WHERE id = ?", (int(discarded), fact_id))
        return self.get_fact(fact_id)

    # -- drafts ------------------------------------------------------------------
    def get_draft(self, prospect_id: int) -> Draft | None:
        row = self.conn.execute("SELECT * FROM drafts WHERE prospect_id = ?", (prospect_id,)).fetchone()
        if row is None:
            return None
        return Draft(row["prospect_id"], row["kind"], row["subject"], row["body"], row["updated_at"])

    @_writes
    def save_draft(self, draft: Draft) -> Draft:
        if draft.kind not in MESSAGE_KINDS:
            raise InputError(f"Unknown message kind {draft.kind!r}; use one of {', '.join(MESSAGE_KINDS)}.")
        subject, _ = sanitize(draft.subject)
        body, _ = sanitize(draft.body)
        stamp = now_iso()
        self.conn.execute(
            "INSERT INTO drafts (prospect_id, kind, subject, body, updated_at) VALUES (?, ?, ?, ?, ?)"
            " ON CONFLICT (prospect_id) DO UPDATE SET kind = excluded.kind, subject = excluded.subject,"
            " body = excluded.body, updated_at = excluded.updated_at",
            (draft.prospect_id, draft.kind, subject, body, stamp),
        )
        return Draft(draft.prospect_id, draft.kind, subject, body, stamp)

    # -- touches (the sent log) --------------------------------------------------
    @_writes
    def record_touch(
        self, prospect_id: int, kind: str, subject: str, text: str, cited_fact_ids: list[int],
        overrides: list[str] = (), follow_up_days: int = DEFAULT_FOLLOW_UP_DAYS, sent_at: datetime | None = None,
    ) -> Touch:
        """Log a sent message, set its follow-up date, clear the draft and mark the prospect contacted.
        Only an email gets a follow-up date: a LinkedIn note or a call script is logged without one."""
        if kind not in MESSAGE_KINDS:
            raise InputError(f"Unknown message kind {kind!r}; use one of {', '.join(MESSAGE_KINDS)}.")
        self.get_prospect(prospect_id)
        sent = sent_at or datetime.now().astimezone()
        awaits_reply = kind in EMAIL_KINDS and follow_up_days > 0
        due = add_business_days(sent.date(), follow_up_days).isoformat() if awaits_reply else None
        with self.transaction():
            cur = self.conn.execute(
                "INSERT INTO touches (prospect_id, kind, subject, text, cited_fact_ids, overrides, sent_at,"
                " follow_up_due) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (prospect_id, kind, subject, text, json.dumps(list(cited_fact_ids)), json.dumps(list(overrides)),
                 sent.isoformat(timespec="seconds"), due),
            )
            self.conn.execute("DELETE FROM drafts WHERE prospect_id = ?", (prospect_id,))
            self.conn.execute(
                "UPDATE prospects SET status = 'contacted' WHERE id = ? AND status NOT IN ('replied', 'disqualified')",
                (prospect_id,),
            )
        row = self.conn.execute("SELECT * FROM touches WHERE id = ?", (cur.lastrowid,)).fetchone()
        return _touch(row)

    def list_touches(self, prospect_id: int) -> list[Touch]:
        rows = self.conn.execute("SELECT * FROM touches WHERE prospect_id = ? ORDER BY sent_at, id", (prospect_id,))
        return [_touch(r) for r in rows]

    # -- settings (JSON values) ----------------------------------------------------
    def get_setting(self, key: str, default=None):
        row = self.conn.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
        return json.loads(row["value"]) if row else default

    @_writes
    def set_setting(self, key: str, value) -> None:
        self.conn.execute(
            "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (key, json.dumps(value)),
        )

    # -- helpers -----------------------------------------------------------------
    def transaction(self):
        return _Transaction(self)

    def repair_search_index(self) -> bool:
        """Check the full-text index against the facts and rebuild it if damaged; True if it was."""
        try:
            self.conn.execute("INSERT INTO facts_fts (facts_fts, rank) VALUES ('integrity-check', 1)")
            return False
        except sqlite3.DatabaseError as e:
            if database.error_code(e) != database.SQLITE_CORRUPT:
                raise
        with self.transaction():
            self.conn.execute("INSERT INTO facts_fts (facts_fts) VALUES ('rebuild')")
        self.notices.append(SEARCH_INDEX_REBUILT)
        return True

    def seed_demo(self, demo_file: Path) -> Prospect:
        """Load the bundled demo prospect so a first launch shows something real."""
        data = json.loads(demo_file.read_text(encoding="utf-8"))
        with self.transaction():
            p = data["prospect"]
            prospect = self.add_prospect(p["company"], p.get("website", ""), p.get("contact", ""), p.get("role", ""))
            for fact in data["facts"]:
                self.add_fact(
                    prospect.id, fact["kind"], fact["text"], fact.get("source_url", ""),
                    fact.get("source_title", ""), fact.get("published"),
                )
        return prospect


class _Transaction:
    """BEGIN IMMEDIATE ... COMMIT, or ROLLBACK on any error (the connection is in autocommit mode).
    Inside another transaction it is a savepoint, so repo methods can be combined.

    BEGIN IMMEDIATE takes the write lock up front, so another writer (a second window, the CLI,
    an import) can only make us wait here, never fail half-way; we wait up to LOCK_WAIT_S."""

    def __init__(self, repo: WorkspaceRepo):
        self.repo = repo
        self.conn = repo.conn
        self.nested = False

    def __enter__(self):
        self.nested = self.conn.in_transaction
        if self.nested:
            self.conn.execute("SAVEPOINT repo")
            return self.conn
        waiting_since = None
        while True:
            try:
                self.conn.execute("BEGIN IMMEDIATE")  # itself waits up to the busy timeout
                return self.conn
            except sqlite3.OperationalError as e:
                if not database.is_busy(e):
                    raise self._translate(e) from None
                now = time.monotonic()
                if waiting_since is None:
                    waiting_since = now
                    if self.repo.on_busy:
                        self.repo.on_busy()
                elif now - waiting_since >= database.LOCK_WAIT_S:
                    raise StoreBusy(
                        f"Another Earned window or command has been writing to the workspace for "
                        f"{database.LOCK_WAIT_S:.0f} s, so this change was not saved. Try again when it "
                        "finishes; nothing saved earlier was lost.") from None
                time.sleep(0.05)  # SQLite may answer busy at once (no handler): don't spin

    def __exit__(self, exc_type, exc, tb):
        if self.nested:
            if exc_type:
                self.conn.execute("ROLLBACK TO repo")
            self.conn.execute("RELEASE repo")
            return False
        if exc_type is None:
            try:
                self.conn.execute("COMMIT")
                return False
            except sqlite3.Error as e:
                exc = e
        if self.conn.in_transaction:
            self.conn.execute("ROLLBACK")
        if isinstance(exc, sqlite3.Error):
            translated = self._translate(exc)
            if translated is not exc:
                raise translated from None
            if exc_type is None:
                raise exc
        return False

    def _translate(self, error: sqlite3.Error) -> Exception:
        """Store errors the rep can act on become StoreError; anything else (a bug) stays as it is."""
        return database.store_error(error, self.repo.path) or error
