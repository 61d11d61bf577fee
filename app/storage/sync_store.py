"""SyncStore: the workspace's side of team sync. What waits to be pushed (the outbox, filled by the triggers of
migration 0010 so no write path can forget it), what was pulled from the team, and the connection's state.

The sync engine calls it from its own thread, on its own connection. Every write is one transaction; a batch of
pulled rows is one too (`with store.applying():`), with its new cursor, so a crash half-way leaves nothing of it.
"""
from __future__ import annotations

import json
import re
import sqlite3
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from typing import Iterable, Iterator

from app.core import dates, urls
from app.core.errors import InputError
from app.core.models import FACT_KINDS, MESSAGE_KINDS, PROSPECT_STATUSES, TeamContext
from app.core.text import CITATION_RE

from .duplicates import website_host
from .repo import WorkspaceRepo, content_hash

# The columns the team shares, as the capture triggers of 0010 list them.
PROSPECT_FIELDS = ("company", "website", "contact_name", "role", "email", "status", "status_reason")
FACT_FIELDS = ("text",)  # a note's edit; pinned and discarded are the rep's own
# What a fact carries to the team besides its text (its source and snapshot; not the rep's pin or discard).
FACT_PAYLOAD_FIELDS = ("kind", "text", "source_url", "source_title", "published", "retrieved_at", "edited_at",
                       "lang", "off_site", "score", "quote", "quote_url", "quote_retrieved_at", "quote_sha256")
TOUCH_PAYLOAD_FIELDS = ("kind", "subject", "text", "sent_at", "follow_up_due")
DNC_PAYLOAD_FIELDS = ("prospect_gid", "email", "domain", "reason", "created_at", "deleted_at")
_SHARED = {"prospect": PROSPECT_FIELDS, "fact": FACT_FIELDS}
_CONNECTED, _APPLYING = "connected", "applying"
# A citation marker with the spaces before it (a marker dropped takes them along: "Reno [^3]." -> "Reno.").
_MARKER = re.compile(r"([ \t]*)" + CITATION_RE.pattern)


@dataclass(frozen=True)
class OutboxRow:
    """One local change waiting to be pushed: which row (entity, gid), what happened (op: insert, field, delete;
    field: the column, for op 'field') and when (UTC, ISO 8601 with milliseconds)."""
    id: int
    entity: str
    gid: str
    op: str
    field: str | None
    at: str


def utc_stamp(value: object = None) -> str:
    """A time as the outbox writes it ("2026-03-01T10:00:00.123Z"), so stamps compare as text; now for None.
    A time without a zone is taken as UTC (the server's)."""
    moment = datetime.now(timezone.utc) if value is None else dates.parse_datetime(value)
    if moment is None:
        raise InputError(f"Not a time: {value!r}")
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _expiry(value: object) -> str | None:
    # team_owners.expires_at in one form (UTC, seconds, "+00:00"): repo._PROSPECT_SELECT compares it as text.
    if value in (None, ""):
        return None
    return utc_stamp(value)[:19] + "+00:00"


class SyncStore:
    """The local sync API over one workspace connection (used from one thread at a time)."""

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn
        self.repo = WorkspaceRepo(conn)  # its transactions (busy waits, error sentences) and its merge
        self._applying_here = False  # inside this object's own applying() batch
        self.notices: list[str] = []  # things the rep should be told (a merge that dropped a draft)

    # -- the connection ------------------------------------------------------------------------------
    def state(self, key: str) -> str | None:
        row = self.conn.execute("SELECT value FROM sync_state WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def set_state(self, key: str, value: str | None) -> None:
        """Set one sync_state value (None removes it)."""
        with self.repo.transaction():
            self._set(key, value)

    def _set(self, key: str, value: str | None) -> None:
        if value is None:
            self.conn.execute("DELETE FROM sync_state WHERE key = ?", (key,))
        else:
            self.conn.execute("INSERT INTO sync_state (key, value) VALUES (?, ?)"
                              " ON CONFLICT (key) DO UPDATE SET value = excluded.value", (key, str(value)))

    def connected(self) -> bool:
        return self.state(_CONNECTED) == "1"

    def connect(self, role: str, display_name: str, url_without_password: str) -> int:
        """Join a team as role: remember who and where, and queue every row the team shares (prospects, then
        facts, then sent messages, then do-not-contact entries, each in id order) so the first push sends them
        all. Pull cursors start over. Returns how many rows were queued. InputError for an empty role or a URL
        with a password in it (passwords live in the keyring, never in the workspace)."""
        role = (role or "").strip()
        if not role:
            raise InputError("Say which role you have on the team (e.g. 'jordan').")
        parts = urls.split(url_without_password or "")
        if url_without_password and parts is None:
            raise InputError("That is not a server address: give it as postgresql://user@host/database.")
        if parts is not None and parts.password is not None:
            raise InputError("Give the team server's address without the password: Earned keeps the password "
                             "in your keyring, not in the workspace.")
        stamp = utc_stamp()
        with self.repo.transaction():
            for key, value in (("role", role), ("display_name", (display_name or "").strip() or role),
                               ("url", url_without_password or "")):
                self._set(key, value)
            self.conn.execute("DELETE FROM sync_state WHERE key LIKE 'cursor:%'")
            self.conn.execute("DELETE FROM sync_outbox")
            self._set(_CONNECTED, "1")
            for entity, rows in (
                ("prospect", "prospects ORDER BY id"),
                ("fact", "facts WHERE created_by IS NULL ORDER BY id"),
                ("touch", "touches WHERE created_by IS NULL ORDER BY id"),
                ("dnc", "do_not_contact WHERE created_by IS NULL AND deleted_at IS NULL ORDER BY rowid"),
            ):
                self.conn.execute(f"INSERT INTO sync_outbox (entity, gid, op, at) SELECT ?, gid, 'insert', ?"
                                  f" FROM {rows}", (entity, stamp))
            return self.conn.execute("SELECT count(*) FROM sync_outbox").fetchone()[0]

    def disconnect(self) -> None:
        """Leave the team: nothing more is queued and what waited is dropped; every local row stays."""
        with self.repo.transaction():
            self._set(_CONNECTED, "0")
            self.conn.execute("DELETE FROM sync_outbox")

    def cursor(self, table: str) -> tuple[int, int]:
        """Where the last pull of a server table stopped: (transaction id, change id); (0, 0) before the first."""
        value = self.state(f"cursor:{table}")
        if not value:
            return 0, 0
        xid, change_id = json.loads(value)
        return int(xid), int(change_id)

    def set_cursor(self, table: str, xid: int, change_id: int) -> None:
        """Call inside `with applying():`, so the cursor moves in the same transaction as the rows it covers."""
        with self.repo.transaction():
            self._set(f"cursor:{table}", json.dumps([int(xid), int(change_id)]))

    # -- push ----------------------------------------------------------------------------------------
    def pending(self, limit: int = 100) -> list[OutboxRow]:
        """The oldest local changes waiting to be pushed, oldest first."""
        rows = self.conn.execute("SELECT id, entity, gid, op, field, at FROM sync_outbox ORDER BY id LIMIT ?",
                                 (limit,))
        return [OutboxRow(*tuple(r)) for r in rows]

    def payload(self, row: OutboxRow) -> dict | None:
        """What to send for an outbox row, read now from the row it names (so a prospect's gid is its current
        one, also after adopt_gid); None when that row is gone (push nothing, mark it done).

        Every payload has entity, op, gid and at. Then, by entity and op:
        prospect insert: PROSPECT_FIELDS and created_at; fact insert: prospect_gid and FACT_PAYLOAD_FIELDS;
        touch insert: prospect_gid, TOUCH_PAYLOAD_FIELDS, overrides (list), cited_fact_ids (this workspace's ids,
        as the text's [^id] markers use them) and cited_fact_gids (the same facts' gids, in the same order; a
        fact since deleted is left out of both); dnc insert: DNC_PAYLOAD_FIELDS.
        op 'field' (prospect, fact): field, value, and the value under the field's own name too ({"field":
        "status", "value": "replied", "status": "replied"}); a fact's also has prospect_gid.
        op 'delete': nothing more (a touch taken back; for dnc, deleted_at too: an entry lifted)."""
        base = {"entity": row.entity, "op": row.op, "gid": row.gid, "at": row.at}
        if row.op == "delete" and row.entity == "touch":
            return base
        if row.entity == "prospect":
            found = self.conn.execute("SELECT * FROM prospects WHERE gid = ?", (row.gid,)).fetchone()
            if found is None:
                return None
            if row.op == "field":
                return {**base, "field": row.field, "value": found[row.field], row.field: found[row.field]}
            return {**base, **{f: found[f] for f in PROSPECT_FIELDS}, "created_at": found["created_at"],
                    "status_changed_at": found["status_changed_at"]}
        if row.entity == "fact":
            found = self.conn.execute("SELECT f.*, p.gid AS prospect_gid FROM facts f JOIN prospects p"
                                      " ON p.id = f.prospect_id WHERE f.gid = ?", (row.gid,)).fetchone()
            if found is None:
                return None
            if row.op == "field":
                return {**base, "prospect_gid": found["prospect_gid"], "field": row.field, "value": found[row.field],
                        row.field: found[row.field]}
            return {**base, "prospect_gid": found["prospect_gid"], **{f: found[f] for f in FACT_PAYLOAD_FIELDS},
                    "off_site": bool(found["off_site"])}
        if row.entity == "touch":
            found = self.conn.execute("SELECT t.*, p.gid AS prospect_gid FROM touches t JOIN prospects p"
                                      " ON p.id = t.prospect_id WHERE t.gid = ?", (row.gid,)).fetchone()
            if found is None:
                return None
            cited = [int(i) for i in json.loads(found["cited_fact_ids"])]
            gids = self._gids("facts", cited)
            kept = [i for i in cited if i in gids]
            return {**base, "prospect_gid": found["prospect_gid"], **{f: found[f] for f in TOUCH_PAYLOAD_FIELDS},
                    "overrides": json.loads(found["overrides"]), "cited_fact_ids": kept,
                    "cited_fact_gids": [gids[i] for i in kept]}
        found = self.conn.execute("SELECT * FROM do_not_contact WHERE gid = ?", (row.gid,)).fetchone()
        if found is None:
            return None
        return {**base, **{f: found[f] for f in DNC_PAYLOAD_FIELDS}}

    def done(self, ids: Iterable[int]) -> None:
        """Forget outbox rows the server has taken."""
        ids = list(ids)
        if not ids:
            return
        with self.repo.transaction():
            self.conn.executemany("DELETE FROM sync_outbox WHERE id = ?", [(i,) for i in ids])

    # -- pull ----------------------------------------------------------------------------------------
    @contextmanager
    def applying(self) -> Iterator["SyncStore"]:
        """One transaction for rows pulled from the team: the capture triggers stay quiet for them (the
        'applying' row, set here and removed before COMMIT, so no other connection ever sees it). Any error
        rolls all of it back, the cursor set inside with it. Nested calls are savepoints of the outer one."""
        if self._applying_here:
            # Already inside this store's own batch (each apply_* opens one for callers that apply a single
            # row): the batch is the transaction. A savepoint and a flag read per row cost the first pull of a
            # big team about a third of its time.
            yield self
            return
        with self.repo.transaction():
            # Outer or not is read from the flag itself, not from this object: another SyncStore on the same
            # connection may have opened the batch, and only the one that set the flag may clear it.
            outer = self.state(_APPLYING) != "1"
            if outer:
                self._set(_APPLYING, "1")
            self._applying_here = True
            try:
                yield self
            finally:
                self._applying_here = False
            if outer:
                self._set(_APPLYING, None)

    def apply_account(self, row: dict) -> int:
        """Insert or update the local prospect with row["gid"] (keys: gid, PROSPECT_FIELDS, created_at; a missing
        field is left as it is). A field the rep changed and has not pushed yet keeps the rep's value: the push
        decides it (apply_field). Returns the local prospect's id. InputError for an empty company or an
        unknown status."""
        row = plain_row(row)
        gid = _required(row, "gid")
        values = {f: _text(row[f]) for f in PROSPECT_FIELDS if f in row}
        if "company" in values and not values["company"].strip():
            raise InputError(f"The team's account {gid} has no company name.")
        if "status" in values and values["status"] not in PROSPECT_STATUSES:
            raise InputError(f"The team's account {gid} has an unknown status {values['status']!r}.")
        with self.applying():
            found = self.conn.execute("SELECT * FROM prospects WHERE gid = ?", (gid,)).fetchone()
            if found is None:
                if "company" not in values:
                    raise InputError(f"The team's account {gid} has no company name.")
                columns = {**values, "gid": gid, "created_at": row.get("created_at") or dates.now_iso()}
                cur = self.conn.execute(f"INSERT INTO prospects ({', '.join(columns)}) VALUES"
                                        f" ({', '.join('?' * len(columns))})", list(columns.values()))
                return cur.lastrowid
            mine = self._pending_fields("prospect", gid)
            changes = {f: v for f, v in values.items() if f not in mine and found[f] != v}
            if changes:
                if "status" in changes:
                    changes["status_changed_at"] = row.get("status_changed_at") or dates.now_iso()
                self._update("prospects", found["id"], changes)
            return found["id"]

    def adopt_gid(self, local_gid: str, server_gid: str) -> int | None:
        """The server found our new prospect is an account the team already has: ours takes its gid. If another
        local prospect already has that gid, the two are merged (WorkspaceRepo.merge_prospects) into that one,
        and what the merge filled in from ours (an e-mail the team lacked) is queued for the team. Returns the
        surviving prospect's id (None if neither is here). Our prospect's pending 'insert' row is dropped (the
        team has the account); its pending field edits, facts and sends go to the team's account. InputError if
        ours is being researched right now (merge_prospects refuses)."""
        local_gid, server_gid = str(local_gid), str(server_gid)  # the server's may be a uuid.UUID
        with self.applying():
            ours = self._id("prospects", local_gid)
            theirs = self._id("prospects", server_gid)
            if ours is None or local_gid == server_gid:
                return theirs
            if theirs is None:
                self.conn.execute("UPDATE prospects SET gid = ? WHERE id = ?", (server_gid, ours))
                kept = ours
            else:
                before = self.conn.execute("SELECT * FROM prospects WHERE id = ?", (theirs,)).fetchone()
                self.repo.merge_prospects(theirs, ours)
                self.notices += self.repo.take_notices()
                after = self.conn.execute("SELECT * FROM prospects WHERE id = ?", (theirs,)).fetchone()
                for f in PROSPECT_FIELDS:
                    if before[f] != after[f]:
                        self._enqueue("prospect", server_gid, "field", f)
                kept = theirs
            # The team has the account, so ours is not to be inserted again (pushed as an insert, the team's
            # account would take all our values, past last-writer-wins). Everything else that pointed at our gid
            # points at the team's now: edits waiting to be pushed, the history shown, the lists.
            self.conn.execute("DELETE FROM sync_outbox WHERE entity = 'prospect' AND gid = ? AND op = 'insert'",
                              (local_gid,))
            self.conn.execute("UPDATE sync_outbox SET gid = ? WHERE entity = 'prospect' AND gid = ?",
                              (server_gid, local_gid))
            self.conn.execute("UPDATE field_history SET gid = ? WHERE entity = 'prospect' AND gid = ?",
                              (server_gid, local_gid))
            self.conn.execute("UPDATE do_not_contact SET prospect_gid = ? WHERE prospect_gid = ?",
                              (server_gid, local_gid))
            self.conn.execute("UPDATE OR IGNORE team_owners SET prospect_gid = ? WHERE prospect_gid = ?",
                              (server_gid, local_gid))
            self.conn.execute("DELETE FROM team_owners WHERE prospect_gid = ?", (local_gid,))
            return kept

    def apply_field(self, entity: str, gid: str, field: str, value, at, by: str | None, applied: bool) -> bool:
        """The server's last-writer-wins decision on a value of one shared field (entity 'prospect' or 'fact'):
        `value`, set at `at` by role `by` (this rep's own role or None: the rep's value).

        applied=True: that value won and is the team's. It is set here, unless the rep changed the field again
        after `at` (that edit is still to be pushed and will be decided on its own); edits of the rep's older than
        it are dropped from the outbox (they lost), and the value it replaces here goes to field_history (kept 0).
        applied=False: that value lost; it goes to field_history (kept 1: it changed nothing here; when it is the
        rep's own, the team's value comes with the next pull of the account).
        Returns whether the local value changed. The same decision applied twice is recorded once."""
        if field not in _SHARED.get(entity, ()):
            raise InputError(f"{entity}.{field} is not a field the team shares.")
        table = "prospects" if entity == "prospect" else "facts"
        value, gid = _text(plain(value)), str(gid)
        stamp = utc_stamp(plain(at))
        with self.applying():
            by = None if not by or by == self.state("role") else by
            found = self.conn.execute(f"SELECT * FROM {table} WHERE gid = ?", (gid,)).fetchone()
            if found is None:
                return False
            local = found[field]
            if not applied:
                if by is None or value != local:  # a teammate's value the rep already has lost nothing
                    self._history(entity, gid, field, value, stamp, by, kept=True)
                return False
            mine = self._pending_fields(entity, gid).get(field)
            if mine is not None and mine > stamp:
                return False
            self.conn.execute("DELETE FROM sync_outbox WHERE entity = ? AND gid = ? AND op = 'field' AND field = ?",
                              (entity, gid, field))
            if value == local:
                return False
            if not self._set_field(entity, found, field, value, stamp):
                self._history(entity, gid, field, value, stamp, by, kept=True)
                return False
            self._history(entity, gid, field, local, mine, None, kept=False)
            return True

    def apply_history(self, row: dict) -> None:
        """A value the team set aside in a last-writer-wins edit of an account (keys: prospect_gid or account_gid,
        field, value, value_at, value_by), kept in field_history (kept 1: it changed nothing here) once."""
        row = plain_row(row)
        prospect_gid, field = _required(row, "prospect_gid"), _required(row, "field")
        by = row.get("value_by")
        with self.applying():
            self._history("prospect", prospect_gid, field, _text(row.get("value")),
                          utc_stamp(row["value_at"]) if row.get("value_at") else None,
                          None if not by or by == self.state("role") else by, kept=True)

    def apply_fact(self, row: dict) -> int | None:
        """Insert or update a fact pulled from the team (keys: gid, prospect_gid, created_by, FACT_PAYLOAD_FIELDS).
        created_by is the author's role (the rep's own role: the rep's fact, from another machine). A fact the
        account already has in the same words is not added twice (its id is returned). The rep's pin and
        discard are kept; a text the rep edited and has not pushed stays. Returns the local fact id, or None
        when the account is not here (pull accounts first)."""
        row = plain_row(row)
        gid = _required(row, "gid")
        author = self._author(row)
        with self.applying():
            found = self.conn.execute("SELECT * FROM facts WHERE gid = ?", (gid,)).fetchone()
            if found is not None:
                changes = {f: row[f] for f in ("source_url", "source_title", "published", "lang", "score")
                           if f in row and row[f] is not None and row[f] != found[f]}
                text = _text(row.get("text"))
                if text and text != found["text"] and "text" not in self._pending_fields("fact", gid):
                    self._set_field("fact", found, "text", text, row.get("edited_at"))  # False: another fact says it
                if changes:
                    self._update("facts", found["id"], changes)
                return found["id"]
            prospect_id = self._id("prospects", _required(row, "prospect_gid"))
            if prospect_id is None:
                return None
            kind, text = row.get("kind"), _text(row.get("text")).strip()
            if kind not in FACT_KINDS or not text:
                raise InputError(f"The team's fact {gid} has no text or an unknown kind {kind!r}.")
            digest = content_hash(text)
            same = self.conn.execute("SELECT id FROM facts WHERE prospect_id = ? AND content_hash = ?",
                                     (prospect_id, digest)).fetchone()
            if same is not None:
                return same["id"]  # two reps found the same news: one fact here
            columns = {f: row.get(f) for f in FACT_PAYLOAD_FIELDS if f not in ("kind", "text")}
            columns["off_site"] = int(bool(columns["off_site"]))
            columns["retrieved_at"] = columns["retrieved_at"] or dates.now_iso()
            columns["source_url"] = columns["source_url"] or ""
            columns["source_title"] = columns["source_title"] or ""
            if not columns["quote"]:
                for f in ("quote", "quote_url", "quote_retrieved_at", "quote_sha256"):
                    columns[f] = None  # a snapshot is whole or absent
            columns.update(prospect_id=prospect_id, kind=kind, text=text, content_hash=digest, gid=gid,
                           created_by=author)
            cur = self.conn.execute(f"INSERT INTO facts ({', '.join(columns)}) VALUES"
                                    f" ({', '.join('?' * len(columns))})", list(columns.values()))
            return cur.lastrowid

    def apply_touch(self, row: dict) -> int | None:
        """A message sent by a teammate (or by the rep on another machine: created_by is the rep's role), keys as
        payload() gives them plus created_by and deleted_at. The sent log is append-only: a known gid is left as
        it is; one with deleted_at (a send taken back) is removed here. Citations are mapped to this workspace's
        facts by gid; a marker whose fact is not here is dropped from the text. Returns the local id, or None
        (removed, or the account is not here)."""
        row = plain_row(row)
        gid = _required(row, "gid")
        with self.applying():
            if row.get("deleted_at"):
                self.conn.execute("DELETE FROM touches WHERE gid = ?", (gid,))
                return None
            found = self._id("touches", gid)
            if found is not None:
                return found
            author = self._author(row)
            prospect_id = self._id("prospects", _required(row, "prospect_gid"))
            if prospect_id is None:
                return None
            if row.get("kind") not in MESSAGE_KINDS:
                raise InputError(f"The team's message {gid} has an unknown kind {row.get('kind')!r}.")
            gids = list(row.get("cited_fact_gids") or [])
            local = self._ids("facts", gids)
            remap = {str(i): local[g] for i, g in zip(row.get("cited_fact_ids") or [], gids) if g in local}
            # The sender's [^id] markers, as this workspace numbers the same facts; in one pass, so a renumbered
            # marker is never read again as one of the sender's.
            text = _MARKER.sub(lambda m: m.group(0) if not m.group(2).isdigit() else
                               f"{m.group(1)}[^{remap[m.group(2)]}]" if m.group(2) in remap else "",
                               _text(row.get("text")))
            cited = [local[g] for g in gids if g in local]
            cur = self.conn.execute(
                "INSERT INTO touches (prospect_id, kind, subject, text, cited_fact_ids, overrides, sent_at,"
                " follow_up_due, gid, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (prospect_id, row["kind"], _text(row.get("subject")), text, json.dumps(cited),
                 json.dumps(list(row.get("overrides") or [])), _required(row, "sent_at"), row.get("follow_up_due"),
                 gid, author))
            return cur.lastrowid

    def apply_owner(self, row: dict) -> None:
        """Who works an account now (keys: prospect_gid, owner (a role), claimed_at, expires_at); no owner, or
        released_at / deleted_at set: nobody."""
        row = plain_row(row)
        prospect_gid = _required(row, "prospect_gid")
        with self.applying():
            if not row.get("owner") or row.get("released_at") or row.get("deleted_at"):
                self.conn.execute("DELETE FROM team_owners WHERE prospect_gid = ?", (prospect_gid,))
                return
            self.conn.execute(
                "INSERT INTO team_owners (prospect_gid, owner, claimed_at, expires_at) VALUES (?, ?, ?, ?)"
                " ON CONFLICT (prospect_gid) DO UPDATE SET owner = excluded.owner, claimed_at = excluded.claimed_at,"
                " expires_at = excluded.expires_at",
                (prospect_gid, row["owner"], row.get("claimed_at"), _expiry(row.get("expires_at"))))

    def apply_dnc(self, row: dict) -> None:
        """A do-not-contact entry from the team (keys: gid, created_by, DNC_PAYLOAD_FIELDS); deleted_at: lifted."""
        row = plain_row(row)
        gid = _required(row, "gid")
        values = {"prospect_gid": row.get("prospect_gid"), "email": _lower(row.get("email")),
                  "domain": _lower(row.get("domain")), "reason": _text(row.get("reason")).strip() or "Do not contact",
                  "created_by": self._author(row), "created_at": row.get("created_at"),
                  "deleted_at": row.get("deleted_at")}
        with self.applying():
            self.conn.execute(
                f"INSERT INTO do_not_contact (gid, {', '.join(values)}) VALUES (?{', ?' * len(values)})"
                f" ON CONFLICT (gid) DO UPDATE SET {', '.join(f'{k} = excluded.{k}' for k in values)}",
                (gid, *values.values()))

    def apply_member(self, row: dict) -> None:
        """A teammate (keys: role, display_name); deleted_at: gone from the team."""
        row = plain_row(row)
        role = _required(row, "role")
        with self.applying():
            if row.get("deleted_at"):
                self.conn.execute("DELETE FROM team_members WHERE role = ?", (role,))
                return
            self.conn.execute("INSERT INTO team_members (role, display_name) VALUES (?, ?) ON CONFLICT (role)"
                              " DO UPDATE SET display_name = excluded.display_name", (role, row.get("display_name")))

    def apply_settings(self, row: dict) -> None:
        """One of the team's settings (keys: key, value: any JSON value); value None or deleted_at: unset."""
        row = plain_row(row)
        key = _required(row, "key")
        with self.applying():
            if row.get("value") is None or row.get("deleted_at"):
                self.conn.execute("DELETE FROM team_settings WHERE key = ?", (key,))
                return
            self.conn.execute("INSERT INTO team_settings (key, value) VALUES (?, ?) ON CONFLICT (key)"
                              " DO UPDATE SET value = excluded.value", (key, json.dumps(row["value"])))

    def team_setting(self, key: str, default=None):
        row = self.conn.execute("SELECT value FROM team_settings WHERE key = ?", (key,)).fetchone()
        return json.loads(row[0]) if row else default

    # -- the rep's own do-not-contact entries ---------------------------------------------------------------
    def add_do_not_contact(self, reason: str, prospect_id: int | None = None, email: str = "",
                           domain: str = "") -> str:
        """Put an account, an address or a domain on the do-not-contact list; returns the entry's gid (queued for
        the team when connected). InputError without a reason or without anything to put on the list."""
        reason = (reason or "").strip()
        if not reason:
            raise InputError("Say why nobody should write to them (e.g. 'asked us to stop').")
        prospect_gid = self.repo.get_prospect(prospect_id).gid if prospect_id is not None else None
        if not (prospect_gid or email.strip() or domain.strip()):
            raise InputError("Choose the prospect, the address or the domain nobody should write to.")
        gid = str(uuid.uuid4())  # made here, not by the table's DEFAULT: RETURNING needs SQLite 3.35
        with self.repo.transaction():
            self.conn.execute("INSERT INTO do_not_contact (gid, prospect_gid, email, domain, reason, created_at)"
                              " VALUES (?, ?, ?, ?, ?, ?)",
                              (gid, prospect_gid, _lower(email), _lower(domain), reason, dates.now_iso()))
        return gid

    def lift_do_not_contact(self, gid: str) -> None:
        """Take an entry off the list (kept as lifted, so the lifting reaches the team too)."""
        with self.repo.transaction():
            self.conn.execute("UPDATE do_not_contact SET deleted_at = ? WHERE gid = ? AND deleted_at IS NULL",
                              (dates.now_iso(), gid))

    # -- what the composer shows ------------------------------------------------------------------------
    def team_context(self, prospect_id: int, me: str, days: int, today: date | datetime) -> TeamContext:
        """Who owns the prospect (an expired claim is nobody's), the latest touch by a teammate (not role `me`)
        sent within `days` days of today, and the do-not-contact reason that covers the account, its contact's
        address or its domain (e-mail or website). InputError for an unknown prospect."""
        prospect = self.repo.get_prospect(prospect_id)
        names = {r[0]: r[1] for r in self.conn.execute("SELECT role, display_name FROM team_members")}

        def name(role: str) -> str:
            return names.get(role) or role
        owner = owner_is_me = None
        claim = self.conn.execute("SELECT owner, expires_at FROM team_owners WHERE prospect_gid = ?",
                                  (prospect.gid,)).fetchone()
        if claim is not None and not _expired(claim["expires_at"], today):
            owner, owner_is_me = name(claim["owner"]), claim["owner"] == me
        day = today.date() if isinstance(today, datetime) else today
        since = day - timedelta(days=days)
        recent = [(dates.to_date(r["sent_at"]), r["sent_at"], r["created_by"]) for r in self.conn.execute(
            "SELECT sent_at, created_by FROM touches WHERE prospect_id = ? AND created_by IS NOT NULL"
            " AND created_by != ?", (prospect_id, me))]
        recent = [t for t in recent if t[0] is not None and since <= t[0] <= day]
        last = max(recent, default=None, key=lambda t: (t[0], t[1]))
        domains = {d for d in (prospect.email.rpartition("@")[2].lower() if "@" in prospect.email else "",
                               website_host(prospect.website)) if d}
        blocked = None
        for r in self.conn.execute(
                "SELECT reason, email, domain, prospect_gid FROM do_not_contact WHERE deleted_at IS NULL"
                " AND (prospect_gid = ? OR (email != '' AND email = ?) OR (domain IS NOT NULL AND domain != ''))"
                " ORDER BY prospect_gid = ? DESC, created_at, rowid", (prospect.gid, prospect.email.lower(),
                                                                      prospect.gid)):
            if r["prospect_gid"] == prospect.gid or (r["email"] and r["email"] == prospect.email.lower()) or any(
                    d == r["domain"] or d.endswith("." + r["domain"]) for d in domains if r["domain"]):
                blocked = r["reason"]
                break
        return TeamContext(owner=owner, owner_is_me=bool(owner_is_me),
                           last_team_touch=(name(last[2]), last[0].isoformat()) if last else None,
                           do_not_contact=blocked)

    # -- helpers -------------------------------------------------------------------------------------
    def _author(self, row: dict) -> str | None:
        """created_by as stored: None for the rep's own role (their rows from another machine), else the role."""
        by = (row.get("created_by") or "").strip()
        if not by:
            raise InputError(f"A row pulled from the team must say who wrote it: {row.get('gid')!r}.")
        return None if by == self.state("role") else by

    def _id(self, table: str, gid: str) -> int | None:
        row = self.conn.execute(f"SELECT id FROM {table} WHERE gid = ?", (gid,)).fetchone()
        return row[0] if row else None

    def _ids(self, table: str, gids: list[str]) -> dict[str, int]:
        if not gids:
            return {}
        marks = ",".join("?" * len(gids))
        return {r[0]: r[1] for r in self.conn.execute(f"SELECT gid, id FROM {table} WHERE gid IN ({marks})",
                                                      list(gids))}

    def _gids(self, table: str, ids: list[int]) -> dict[int, str]:
        if not ids:
            return {}
        marks = ",".join("?" * len(ids))
        return {r[0]: r[1] for r in self.conn.execute(f"SELECT id, gid FROM {table} WHERE id IN ({marks})", ids)}

    def _pending_fields(self, entity: str, gid: str) -> dict[str, str]:
        """{field: when the rep last changed it} for edits of this row still waiting to be pushed."""
        return {r[0]: r[1] for r in self.conn.execute(
            "SELECT field, max(at) FROM sync_outbox WHERE entity = ? AND gid = ? AND op = 'field' GROUP BY field",
            (entity, gid))}

    def _enqueue(self, entity: str, gid: str, op: str, field: str | None = None) -> None:
        # What a trigger would have queued, for a change made while applying (a merge adopt_gid asked for).
        if self.connected():
            self.conn.execute("INSERT INTO sync_outbox (entity, gid, op, field, at) VALUES (?, ?, ?, ?, ?)",
                              (entity, gid, op, field, utc_stamp()))

    def _update(self, table: str, row_id: int, changes: dict) -> None:
        self.conn.execute(f"UPDATE {table} SET {', '.join(f'{k} = ?' for k in changes)} WHERE id = ?",
                          (*changes.values(), row_id))

    def _set_field(self, entity: str, found: sqlite3.Row, field: str, value: str, at: str | None) -> bool:
        """Write the team's value of a field; False when it can't be (a company left empty, an unknown status, a
        fact's text another fact of the account already says)."""
        if entity == "prospect":
            if (field == "company" and not value.strip()) or (field == "status" and value not in PROSPECT_STATUSES):
                return False
            changes = {field: value, **({"status_changed_at": at or dates.now_iso()} if field == "status" else {})}
            self._update("prospects", found["id"], changes)
            return True
        text = value.strip()
        digest = content_hash(text)
        clash = self.conn.execute("SELECT 1 FROM facts WHERE prospect_id = ? AND content_hash = ? AND id != ?",
                                  (found["prospect_id"], digest, found["id"])).fetchone()
        if not text or clash:
            return False
        self._update("facts", found["id"], {"text": text, "content_hash": digest,
                                            "edited_at": at or dates.now_iso()})
        return True

    def _history(self, entity: str, gid: str, field: str, value, at: str | None, by: str | None,
                 kept: bool) -> None:
        """Keep the value that lost, once (a decision applied twice is recorded once)."""
        args = (entity, gid, field, value, at, by, int(kept))
        if self.conn.execute("SELECT 1 FROM field_history WHERE entity = ? AND gid = ? AND field = ? AND value IS ?"
                             " AND value_at IS ? AND value_by IS ? AND kept = ?", args).fetchone():
            return
        self.conn.execute("INSERT INTO field_history (entity, gid, field, value, value_at, value_by, kept)"
                          " VALUES (?, ?, ?, ?, ?, ?, ?)", args)


def plain(value):
    """A value from the server as the workspace stores it: a UUID as text, a time or date as ISO 8601 text, a
    list of them as a list (psycopg's types would otherwise reach sqlite3, which has no adapter for them)."""
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    return value


def plain_row(row: dict) -> dict:
    """A row pulled from the team with plain values, and the server's account_gid named as here: prospect_gid."""
    out = {k: plain(v) for k, v in dict(row).items()}
    if out.get("prospect_gid") is None and out.get("account_gid") is not None:
        out["prospect_gid"] = out["account_gid"]
    return out


def _required(row: dict, key: str) -> str:
    value = row.get(key)
    if value in (None, ""):
        raise InputError(f"A row pulled from the team has no {key}: {row!r:.200}")
    return value


def _text(value) -> str:
    # The workspace's text columns are NOT NULL ''; the server may send NULL for empty.
    return "" if value is None else str(value)


def _lower(value) -> str:
    return (value or "").strip().lower()


def _expired(expires_at: str | None, today: date | datetime) -> bool:
    if not expires_at:
        return False
    moment = dates.parse_datetime(expires_at)
    if moment is None:
        return False
    if isinstance(today, datetime):
        now = today if today.tzinfo else today.astimezone()
        return moment <= now
    return moment.date() < today  # a claim running out later today still holds today
