"""WorkspaceRepo: every read and write of the workspace, as plain records."""
from __future__ import annotations

import functools
import hashlib
import json
import re
import sqlite3
import time
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from app.core.dates import add_business_days, now_iso
from app.core.errors import InputError, StoreBusy
from app.core.models import (
    EMAIL_KINDS, FACT_KINDS, MESSAGE_KINDS, PROSPECT_STATUSES, Draft, Fact, Prospect, TeamContext, TimelineEvent,
    Touch,
)
from app.core.text import CITATION_RE, MAX_NOTE_CHARS, sanitize
from app.core.validate import note_input, prospect_input

from . import database, history
from .duplicates import company_key, website_host
from app.core.fields import email_input, published_input, source_title_input, source_url_input

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
        email=row["email"], gid=row["gid"], owner=row["owner"] if "owner" in keys else None,
        last_team_touch=row["team_touch"] if "team_touch" in keys else None,
    )


# The follow-up date of the last email sent: a call or a LinkedIn note afterwards is a touch, but the email
# still waits for its reply (and a voicemail points to an email, it doesn't replace one). "Last" by when it was
# sent, as the sent log is listed: after a merge the two logs' ids interleave, and the later send's date wins.
# Only the rep's own sends (created_by IS NULL): a teammate's email waits for its own reply, not the rep's.
# The owner is the team's current claim on the account (an expired one is nobody's), by display name.
_EMAIL_KINDS_SQL = ", ".join(f"'{k}'" for k in EMAIL_KINDS)
_PROSPECT_SELECT = (
    "SELECT p.*, (SELECT t.follow_up_due FROM touches t WHERE t.prospect_id = p.id AND t.created_by IS NULL"
    f" AND t.kind IN ({_EMAIL_KINDS_SQL}) ORDER BY t.sent_at DESC, t.id DESC LIMIT 1) AS due,"
    " (SELECT COALESCE(NULLIF(m.display_name, ''), o.owner) FROM team_owners o"
    " LEFT JOIN team_members m ON m.role = o.owner WHERE o.prospect_gid = p.gid"
    " AND (o.expires_at IS NULL OR o.expires_at > strftime('%Y-%m-%dT%H:%M:%S+00:00', 'now'))) AS owner,"
    # A teammate's last touch of the account ("Sam Lee, 2026-11-18"), for the prospect list.
    " (SELECT COALESCE(NULLIF(m.display_name, ''), t.created_by) || ', ' || substr(t.sent_at, 1, 10)"
    " FROM touches t LEFT JOIN team_members m ON m.role = t.created_by WHERE t.prospect_id = p.id"
    " AND t.created_by IS NOT NULL ORDER BY t.sent_at DESC LIMIT 1) AS team_touch"
    " FROM prospects p"
)
# What a merge keeps of a duplicate fact's source and snapshot: keep's own, else the other's.
_FILLED_FACT_FIELDS = ("source_url", "source_title", "published", "lang", "score")
_SNAPSHOT_FIELDS = ("quote", "quote_url", "quote_retrieved_at", "quote_sha256")


def _fact(row: sqlite3.Row) -> Fact:
    return Fact(
        id=row["id"], prospect_id=row["prospect_id"], kind=row["kind"], text=row["text"],
        source_url=row["source_url"], source_title=row["source_title"], published=row["published"],
        retrieved_at=row["retrieved_at"], pinned=bool(row["pinned"]), discarded=bool(row["discarded"]),
        lang=row["lang"], off_site=bool(row["off_site"]), score=row["score"], quote=row["quote"],
        quote_url=row["quote_url"], quote_retrieved_at=row["quote_retrieved_at"], quote_sha256=row["quote_sha256"],
        gid=row["gid"], created_by=row["created_by"],
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
        sent_at=row["sent_at"], follow_up_due=row["follow_up_due"], gid=row["gid"], sent_by=row["created_by"],
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
    def add_prospect(self, company: str, website: str = "", contact_name: str = "", role: str = "",
                     email: str = "") -> Prospect:
        """A new prospect (it may be a duplicate: the UI asks find_duplicates first). InputError for a bad field."""
        data = prospect_input(company, website, contact_name, role)
        address = email_input(email)
        cur = self.conn.execute(
            "INSERT INTO prospects (company, website, contact_name, role, email, created_at) VALUES (?, ?, ?, ?, ?, ?)",
            (data.company, data.website, data.contact_name, data.role, address, now_iso()),
        )
        return self.get_prospect(cur.lastrowid)

    @_writes
    def update_prospect(self, prospect_id: int, company: str, website: str, contact_name: str, role: str,
                        email: str) -> Prospect:
        """The rep's edit of a prospect's details, every field as the form shows it ("" clears one).
        InputError (nothing written) for an empty company, a website that is not http(s), a malformed e-mail."""
        self.get_prospect(prospect_id)
        data = prospect_input(company, website, contact_name, role)
        address = email_input(email)
        self.conn.execute(
            "UPDATE prospects SET company = ?, website = ?, contact_name = ?, role = ?, email = ? WHERE id = ?",
            (data.company, data.website, data.contact_name, data.role, address, prospect_id),
        )
        return self.get_prospect(prospect_id)

    def find_duplicates(self, company: str, website: str = "", exclude_id: int | None = None) -> list[Prospect]:
        """Prospects that look like the same company: the same name (case, punctuation, accents and legal endings
        such as Inc, LLC, GmbH aside) or a website at the same host ("www." and http/https aside). Oldest first."""
        key, host = company_key(company), website_host(website)
        if not key and not host:
            return []
        # Every name is compared in Python: the key needs Unicode folding SQL can't do portably. A few
        # thousand prospects take milliseconds; the rep asks once per prospect added.
        ids = {row["id"] for row in self.conn.execute("SELECT id, company, website FROM prospects")
               if row["id"] != exclude_id and ((key and company_key(row["company"]) == key)
                                               or (host and website_host(row["website"]) == host))}
        return sorted(self.prospects_by_id(ids), key=lambda p: p.id)

    def prospects_by_id(self, ids: set[int]) -> list[Prospect]:
        if not ids:
            return []
        marks = ",".join("?" * len(ids))
        return [_prospect(r) for r in self.conn.execute(f"{_PROSPECT_SELECT} WHERE p.id IN ({marks})", list(ids))]

    @_writes
    def set_status(self, prospect_id: int, status: str, reason: str = "") -> Prospect:
        if status not in PROSPECT_STATUSES:
            raise InputError(f"Unknown status {status!r}; use one of {', '.join(PROSPECT_STATUSES)}.")
        before = self.get_prospect(prospect_id)
        if status == "disqualified" and not reason.strip():
            raise InputError("Say why you are disqualifying this prospect (e.g. 'no budget until 2027').")
        self._change_status(before, status, reason.strip())
        return self.get_prospect(prospect_id)

    def _change_status(self, before: Prospect, status: str, reason: str, chosen: bool = True) -> None:
        """Set a status; one the rep chose is kept in the prospect's history (prospect_events), which the timeline
        shows and undoing a send reads. The same status and reason again is no change."""
        if (status, reason) == (before.status, before.status_reason):
            return
        stamp = now_iso()
        self.conn.execute("UPDATE prospects SET status = ?, status_reason = ?, status_changed_at = ? WHERE id = ?",
                          (status, reason, stamp, before.id))
        if chosen:
            self.conn.execute("INSERT INTO prospect_events (prospect_id, at, status, previous, reason)"
                              " VALUES (?, ?, ?, ?, ?)", (before.id, stamp, status, before.status, reason))

    @_writes
    def reopen_prospect(self, prospect_id: int) -> Prospect:
        """Undo a disqualification: back to what the sent log says ('contacted' if anything was sent, with the
        last email's follow-up date; else 'new'), the reason cleared. InputError if it isn't disqualified."""
        before = self.get_prospect(prospect_id)
        if before.status != "disqualified":
            raise InputError(f"{before.company} is not disqualified (it is {before.status}), so there is nothing to "
                             "reopen.")
        sent = self.conn.execute("SELECT 1 FROM touches WHERE prospect_id = ? AND created_by IS NULL LIMIT 1",
                                 (prospect_id,)).fetchone()
        self._change_status(before, "contacted" if sent else "new", "")
        return self.get_prospect(prospect_id)

    @_writes
    def delete_prospect(self, prospect_id: int) -> Prospect:
        """Delete a prospect with everything kept for it: facts (and their search entries), drafts, the sent log,
        its research-queue row and status history. Returns the prospect as it was. InputError for an unknown id."""
        gone = self.get_prospect(prospect_id)
        sent = [r[0] for r in self.conn.execute("SELECT gid FROM touches WHERE prospect_id = ?", (prospect_id,))]
        # The tables cascade, but only on a connection with foreign keys on (any tool's, PostgreSQL's later):
        # deleting each row here holds everywhere. Deleting facts row by row fires the search-index trigger.
        for table in ("facts", "drafts", "touches", "research_queue", "prospect_events"):
            self.conn.execute(f"DELETE FROM {table} WHERE prospect_id = ?", (prospect_id,))
        self.conn.execute("DELETE FROM prospects WHERE id = ?", (prospect_id,))
        if sent:
            # Dropping a prospect from this workspace takes no send back: the team keeps its sent log, so the
            # tombstones the delete trigger queued (team mode) go too.
            marks = ",".join("?" * len(sent))
            self.conn.execute(f"DELETE FROM sync_outbox WHERE entity = 'touch' AND op = 'delete' AND gid IN ({marks})",
                              sent)
        return gone

    @_writes
    def merge_prospects(self, keep_id: int, other_id: int) -> Prospect:
        """Fold other into keep and delete other, in one transaction (on any failure nothing changes).

        keep gets other's facts (a fact keep already has is kept once: pinned if either was, with the rep's
        edited wording, keep's source unless it had none), sent log, status history, research-queue row (when keep
        has none, or other's still waits and keep's has finished) and draft (when keep has none, else other's is
        dropped and self.notices says so); keep's empty website, contact, role and e-mail are filled from other's.
        The status furthest along wins (history.merged_status); the follow-up date is the later send's.
        InputError: the same id twice, an unknown id, or other being researched right now."""
        if keep_id == other_id:
            raise InputError("A prospect can't be merged with itself: choose the duplicate to fold into it.")
        keep, other = self.get_prospect(keep_id), self.get_prospect(other_id)
        queued = {r["prospect_id"]: r["state"] for r in self.conn.execute(
            "SELECT prospect_id, state FROM research_queue WHERE prospect_id IN (?, ?)", (keep_id, other_id))}
        if queued.get(other_id) == "running":
            raise InputError(f"{other.company} is being researched right now. Wait for it to finish (or cancel the "
                             "research), then merge.")
        remap = self._merge_facts(keep_id, other_id)
        for row in self.conn.execute("SELECT id, text, cited_fact_ids FROM touches WHERE prospect_id = ?",
                                     (other_id,)).fetchall():
            cited = [remap.get(i, i) for i in json.loads(row["cited_fact_ids"])]
            self.conn.execute("UPDATE touches SET prospect_id = ?, text = ?, cited_fact_ids = ? WHERE id = ?",
                              (keep_id, _renumber(row["text"], remap), json.dumps(cited), row["id"]))
        self._merge_draft(keep, other, remap)
        if other_id in queued and (keep_id not in queued or (queued[keep_id] in ("done", "failed", "cancelled")
                                                             and queued[other_id] == "queued")):
            self.conn.execute("DELETE FROM research_queue WHERE prospect_id = ?", (keep_id,))
            self.conn.execute("UPDATE research_queue SET prospect_id = ? WHERE prospect_id = ?", (keep_id, other_id))
        self.conn.execute("UPDATE prospect_events SET prospect_id = ? WHERE prospect_id = ?", (keep_id, other_id))
        self.conn.execute(
            "UPDATE prospects SET website = ?, contact_name = ?, role = ?, email = ? WHERE id = ?",
            (keep.website or other.website, keep.contact_name or other.contact_name, keep.role or other.role,
             keep.email or other.email, keep_id))
        status = history.merged_status(keep.status, other.status)
        reason = (keep.status_reason or other.status_reason) if status == "disqualified" else ""
        # Other's status history came along and explains a status taken from it; only reopening a disqualified
        # keep is news the timeline must show.
        self._change_status(keep, status, reason, chosen=keep.status == "disqualified")
        self.delete_prospect(other_id)
        return self.get_prospect(keep_id)

    def _merge_facts(self, keep_id: int, other_id: int) -> dict[int, int]:
        """Move other's facts to keep; a fact keep already has (same text) is folded into keep's. Returns
        {other's fact id: keep's} for the folded ones, whose citations must follow them."""
        mine = {r["content_hash"]: r for r in self.conn.execute("SELECT * FROM facts WHERE prospect_id = ?",
                                                                (keep_id,))}
        remap: dict[int, int] = {}
        for theirs in self.conn.execute("SELECT * FROM facts WHERE prospect_id = ?", (other_id,)).fetchall():
            ours = mine.get(theirs["content_hash"])
            if ours is None:
                self.conn.execute("UPDATE facts SET prospect_id = ? WHERE id = ?", (keep_id, theirs["id"]))
                continue
            # The same words, case and spacing aside: the rep's edited wording wins (the later edit if both).
            wording = theirs if (theirs["edited_at"] or "") > (ours["edited_at"] or "") else ours
            values = {
                "text": wording["text"], "edited_at": wording["edited_at"],
                "pinned": int(ours["pinned"] or theirs["pinned"]),
                "discarded": int(ours["discarded"] and theirs["discarded"]),
                "retrieved_at": max(ours["retrieved_at"], theirs["retrieved_at"]),
                **{f: ours[f] if ours[f] not in (None, "") else theirs[f] for f in _FILLED_FACT_FIELDS},
                **{f: (ours if ours["quote"] else theirs)[f] for f in _SNAPSHOT_FIELDS},  # a snapshot is whole
            }
            self.conn.execute("DELETE FROM facts WHERE id = ?", (theirs["id"],))
            self.conn.execute(f"UPDATE facts SET {', '.join(f'{k} = ?' for k in values)} WHERE id = ?",
                              (*values.values(), ours["id"]))
            remap[theirs["id"]] = ours["id"]
        return remap

    def _merge_draft(self, keep: Prospect, other: Prospect, remap: dict[int, int]) -> None:
        theirs = self.get_draft(other.id)
        if theirs is None or not (theirs.subject.strip() or theirs.body.strip()):
            return
        ours = self.get_draft(keep.id)
        if ours is not None and (ours.subject.strip() or ours.body.strip()):
            self.notices.append(f"The draft written for {other.company} ({theirs.subject or 'no subject'}) was not "
                                f"kept: {keep.company} already had one.")
            return
        self.conn.execute("DELETE FROM drafts WHERE prospect_id = ?", (keep.id,))
        self.conn.execute("UPDATE drafts SET prospect_id = ?, body = ? WHERE prospect_id = ?",
                          (keep.id, _renumber(theirs.body, remap), other.id))

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

    def add_found_fact(self, prospect_id: int, found) -> tuple[Fact, bool]:
        """Save what research found (an app.research.facts.FoundFact): the one way research is saved, by the
        window's research, a background batch and the command line alike. Returns (fact, created)."""
        return self.add_fact(prospect_id, found.kind, found.text, found.source_url, found.source_title,
                             found.published, found.lang, found.off_site, found.score, getattr(found, "snapshot", None))

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
    def edit_fact(self, fact_id: int, text: str | None = None, published: str | None = None,
                  source_url: str | None = None, source_title: str | None = None) -> Fact:
        """The rep's correction of a fact: None leaves a field as it is, "" clears published, source_url or
        source_title. published is YYYY-MM-DD, not after today; source_url is http(s). InputError (nothing
        written) for an empty text, one another fact of the prospect already says, a bad date or address."""
        fact = self.get_fact(fact_id)
        changes: dict[str, object] = {}
        if text is not None:
            data = note_input(text)
            digest = content_hash(data.text)
            clash = self.conn.execute("SELECT id FROM facts WHERE prospect_id = ? AND content_hash = ? AND id != ?",
                                      (fact.prospect_id, digest, fact_id)).fetchone()
            if clash:
                raise InputError(f"Fact [^{clash['id']}] already says that.")
            changes.update(text=data.text, content_hash=digest)
        if published is not None:
            changes["published"] = published_input(published, date.today())
        if source_url is not None:
            changes["source_url"] = source_url_input(source_url)
        if source_title is not None:
            changes["source_title"] = source_title_input(source_title)
        if not changes:
            return fact
        changes["edited_at"] = now_iso()
        # One UPDATE: the search-index trigger (on text and source_title) sees the old and new row once.
        self.conn.execute(f"UPDATE facts SET {', '.join(f'{k} = ?' for k in changes)} WHERE id = ?",
                          (*changes.values(), fact_id))
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
        """The rep's own sent log for a prospect, oldest first (a teammate's sends: team_touches)."""
        rows = self.conn.execute("SELECT * FROM touches WHERE prospect_id = ? AND created_by IS NULL"
                                 " ORDER BY sent_at, id", (prospect_id,))
        return [_touch(r) for r in rows]

    def team_touches(self, prospect_id: int) -> list[Touch]:
        """What teammates sent this prospect (pulled from the team; sent_by is their role), oldest first."""
        rows = self.conn.execute("SELECT * FROM touches WHERE prospect_id = ? AND created_by IS NOT NULL"
                                 " ORDER BY sent_at, id", (prospect_id,))
        return [_touch(r) for r in rows]

    def team_context_if_connected(self, prospect_id: int) -> TeamContext | None:
        """The team context drafts to this prospect are checked with; None when the workspace is in no team
        (a solo rep: the team rules are not checked)."""
        from .sync_store import SyncStore

        return self.team_context(prospect_id) if SyncStore(self.conn).connected() else None

    def team_context(self, prospect_id: int, days: int | None = None, today: date | None = None) -> TeamContext:
        """Owner, a teammate's recent touch and do-not-contact for a prospect (see sync_store.team_context); the
        rep is the role the team connection was made with; days: the team's setting teammate_touch_days (14 when
        unset). InputError for an unknown id."""
        from .sync_store import SyncStore  # sync_store builds on this module

        store = SyncStore(self.conn)
        if days is None:
            days = int(store.team_setting("teammate_touch_days", 14))
        return store.team_context(prospect_id, store.state("role") or "", days, today or date.today())

    def get_touch(self, touch_id: int) -> Touch:
        """One of the rep's own sends (a teammate's can't be taken back from here)."""
        row = self.conn.execute("SELECT * FROM touches WHERE id = ? AND created_by IS NULL", (touch_id,)).fetchone()
        if row is None:
            raise InputError(f"There is no sent message with id {touch_id} (it may have been taken back already).")
        return _touch(row)

    @_writes
    def unlog_touch(self, touch_id: int) -> tuple[Prospect, Touch]:
        """Take back a logged send, as if it had never been sent: the touch goes, the follow-up date is the
        remaining last email's, the status is recomputed (history.status_after_unsend). Returns the prospect
        as it is now and the removed touch (its text can go back into the draft). InputError for an unknown id."""
        touch = self.get_touch(touch_id)
        prospect = self.get_prospect(touch.prospect_id)
        remaining = [history.instant(t.sent_at) for t in self.list_touches(prospect.id) if t.id != touch_id]
        status = history.status_after_unsend(prospect.status, history.instant(touch.sent_at), remaining,
                                             self._status_marks(prospect.id))
        self.conn.execute("DELETE FROM touches WHERE id = ?", (touch_id,))
        if status != prospect.status:
            # Not a choice of the rep's, so not in the history: the send it answered is gone from it too.
            self.conn.execute("UPDATE prospects SET status = ? WHERE id = ?", (status, prospect.id))
        return self.get_prospect(prospect.id), touch

    def _status_marks(self, prospect_id: int) -> list[history.StatusMark]:
        """The statuses the rep chose, oldest first."""
        rows = self.conn.execute("SELECT * FROM prospect_events WHERE prospect_id = ?", (prospect_id,))
        marks = [history.StatusMark(history.instant(r["at"]), r["status"], r["previous"], r["reason"], r["id"])
                 for r in rows]
        return sorted(marks, key=lambda m: (m.at, m.id))

    def timeline(self, prospect_id: int) -> list[TimelineEvent]:
        """What happened with a prospect, newest first: added, facts found and notes written (discarded ones
        left out), messages sent, statuses chosen, the follow-up date waiting. InputError for an unknown id."""
        prospect = self.get_prospect(prospect_id)
        facts = [_fact(r) for r in self.conn.execute(
            "SELECT * FROM facts WHERE prospect_id = ? AND NOT discarded ORDER BY id", (prospect_id,))]
        touches = self.list_touches(prospect_id)
        # The email the follow-up date is for: the last one sent, in the order _PROSPECT_SELECT reads it.
        emails = [t for t in touches if t.kind in EMAIL_KINDS]
        due_touch = emails[-1] if emails and prospect.follow_up_due else None
        gids = [prospect.gid] + [f.gid for f in facts]
        marks = ",".join("?" * len(gids))
        edits = [tuple(r) for r in self.conn.execute(
            f"SELECT id, field, value, value_at, value_by FROM field_history WHERE gid IN ({marks})", gids)] \
            if prospect.gid else []
        names = {r[0]: r[1] for r in self.conn.execute("SELECT role, display_name FROM team_members")}
        return history.timeline(prospect, facts, touches, self._status_marks(prospect_id), due_touch,
                                self.team_touches(prospect_id), edits, names)

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
            prospect = self.add_prospect(p["company"], p.get("website", ""), p.get("contact", ""), p.get("role", ""),
                                         p.get("email", ""))
            for fact in data["facts"]:
                self.add_fact(
                    prospect.id, fact["kind"], fact["text"], fact.get("source_url", ""),
                    fact.get("source_title", ""), fact.get("published"),
                )
        return prospect


def _renumber(text: str, remap: dict[int, int]) -> str:
    """Citation markers [^old] as [^new]: a merged duplicate fact keeps one id, and the sent log and draft
    that cited the other must still point at it."""
    if not remap:
        return text
    return CITATION_RE.sub(lambda m: f"[^{remap[int(m.group(1))]}]" if m.group(1).isdigit()
                           and int(m.group(1)) in remap else m.group(0), text)


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
