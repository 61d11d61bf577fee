"""Sync: the rep's workspace and the team's server, kept in step, local-first.

Push: what the rep changed since the last sync waits in the workspace's outbox (SQLite triggers put it
there, in the same transaction as the change). A batch is sent in ONE server transaction; only after it
commits are those outbox rows removed, in one local transaction. Every server call is idempotent
(accounts are claimed by key, facts and touches inserted ON CONFLICT DO NOTHING, edits carry their own
time, tombstones set once), so a crash or a lost connection between the two commits only means the
batch is sent again, with the same result.

Pull: each shared table is read after its cursor (the change feed: app.team.server.changes) and the
rows are applied in ONE local transaction that also moves the cursor; a crash leaves the old cursor and
no partial rows, and the batch is read again.

Nothing here touches Qt: the command line runs it directly, the window on a worker thread.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field

from app.storage.duplicates import company_key, website_host

# The server's tables, in the order their rows can be applied locally (an account before its facts, a
# fact before the touches that cite it).
PULL_ORDER = ("reps", "team_settings", "accounts", "facts", "touches", "ownership", "do_not_contact",
              "account_history")
DEFAULT_BATCH = 500


@dataclass
class SyncReport:
    pushed: int = 0  # outbox rows sent
    pulled: dict[str, int] = field(default_factory=dict)  # table -> rows applied
    lost_edits: int = 0  # our edits another rep's later edit won (kept in the history)
    seconds: float = 0.0

    def as_json(self) -> dict:
        return {"pushed": self.pushed, "pulled": dict(self.pulled), "pulled_total": sum(self.pulled.values()),
                "lost_edits": self.lost_edits, "seconds": round(self.seconds, 3)}


class Syncer:
    """One sync of one workspace with the server: push(), pull(), or run() for both."""

    def __init__(self, store, repo, server_conn, batch: int = DEFAULT_BATCH):
        self.store = store  # app.storage.sync_store.SyncStore on the workspace
        self.repo = repo  # app.storage.repo.WorkspaceRepo on the same connection (for merges)
        self.server = server_conn  # a psycopg connection as this rep's role
        self.batch = batch
        self._settings: dict | None = None

    def run(self) -> SyncReport:
        started = time.monotonic()
        report = SyncReport()
        self._register()
        report.pushed, report.lost_edits = self.push()
        report.pulled = self.pull()
        report.seconds = time.monotonic() - started
        return report

    def _register(self) -> None:
        from . import server

        name = self.store.state("display_name") or ""
        if name:
            server.register(self.server, name)

    def _team_setting(self, key: str, default):
        if self._settings is None:
            from . import server

            self._settings = server.team_settings(self.server)
        return self._settings.get(key, default)

    # -- push ----------------------------------------------------------------------------------
    def push(self) -> tuple[int, int]:
        """Send the outbox, a batch at a time. Returns (rows sent, our edits that lost)."""
        sent = lost = 0
        while True:
            rows = self.store.pending(self.batch)
            if not rows:
                return sent, lost
            adopted, losers = self._push_batch(rows)
            # The server has the batch: now (and only now) it leaves the outbox, with the gid changes it caused.
            with self.store.applying():
                for local_gid, server_gid in adopted:
                    self.store.adopt_gid(local_gid, server_gid)
                for row, ours, winner in losers:
                    # A teammate's later edit won: take theirs, and keep ours in the history for the rep to see.
                    self.store.apply_field(row.entity, winner["gid"], row.field, winner["value"], winner["at"],
                                           winner["by"], applied=True)
                    self.store.apply_field(row.entity, winner["gid"], row.field, ours, row.at,
                                           self.store.state("role") or "", applied=False)
                self.store.done([r.id for r in rows])
            sent += len(rows)
            lost += len(losers)

    def _push_batch(self, rows, attempts: int = 3):
        """One batch in one server transaction. Two reps claiming the same accounts in another order can
        deadlock; PostgreSQL then ends one of them, which simply tries again."""
        import psycopg

        for attempt in range(attempts):
            adopted: dict[str, str] = {}  # our prospect's gid -> the team's account it turned out to be
            losers: list[tuple] = []
            try:
                # Pipeline mode: the batch's statements go out without waiting for each answer (most need none:
                # inserts); a claim's answer is read when it is needed. One round trip per row made the first
                # sync of a big workspace about 39x slower than a plain COPY of the same rows.
                with self.server.pipeline(), self.server.transaction():
                    cur = self.server.cursor()
                    for row in rows:
                        payload = self.store.payload(row)
                        if payload is None:
                            continue  # the row is gone since (a prospect merged away, a touch undone)
                        # A prospect the team already had, claimed earlier in this batch: its facts and touches go
                        # to the team's account (ours takes that gid once the batch is in).
                        for key in ("gid", "prospect_gid") if row.entity == "prospect" else ("prospect_gid",):
                            if payload.get(key) in adopted:
                                payload[key] = adopted[payload[key]]
                        result = self._send(cur, row, payload)
                        if isinstance(result, tuple):
                            adopted[payload["gid"]] = result[1]
                        elif result is False:
                            losers.append((row, str(payload.get(row.field) or ""),
                                           self._current(cur, row.entity, payload["gid"], row.field)))
                return list(adopted.items()), losers
            except (psycopg.errors.DeadlockDetected, psycopg.errors.SerializationFailure):
                if attempt == attempts - 1:
                    raise
        return [], []

    @staticmethod
    def _current(cur, entity: str, gid: str, field: str) -> dict:
        """The value on the server that won over ours, with when and by whom it was written."""
        from psycopg import sql

        table = "accounts" if entity == "prospect" else "facts"
        cur.execute(sql.SQL("SELECT {field}, versions -> %s ->> 'at', versions -> %s ->> 'by' FROM earned.{table}"
                            " WHERE gid = %s").format(field=sql.Identifier(field), table=sql.Identifier(table)),
                    (field, field, gid))
        value, at, by = cur.fetchone()
        return {"gid": gid, "value": "" if value is None else str(value), "at": at or "", "by": by or ""}

    def _send(self, cur, row, payload: dict):
        entity, op = row.entity, row.op
        if entity == "prospect" and op == "insert":
            cur.execute(
                "SELECT earned.claim_account(%s, %s, %s, %s, %s, %s, %s, %s, %s)",
                (payload["gid"], payload["company"], payload["website"], website_host(payload["website"]),
                 company_key(payload["company"]), payload.get("contact_name", ""), payload.get("role", ""),
                 payload.get("email", ""), row.at))
            gid = str(cur.fetchone()[0])
            # The claim carries what identifies the account; the status (a disqualification and its reason, a
            # reply) is an edit like any other, dated when the rep set it, so the team's later one still wins.
            if payload.get("status") not in (None, "", "new") or payload.get("status_reason"):
                when = payload.get("status_changed_at") or payload.get("created_at") or row.at
                for name in ("status", "status_reason"):
                    cur.execute("SELECT earned.set_account_field(%s, %s, %s, %s)",
                                (gid, name, str(payload.get(name) or ""), when))
            return ("adopt", gid) if gid != payload["gid"] else True
        if entity == "prospect" and op == "field":
            cur.execute("SELECT earned.set_account_field(%s, %s, %s, %s)",
                        (payload["gid"], row.field, str(payload.get(row.field) or ""), row.at))
            return bool(cur.fetchone()[0])
        if entity == "fact" and op == "insert":
            cur.execute(
                "INSERT INTO earned.facts (gid, account_gid, kind, text, source_url, source_title, published, lang,"
                " off_site, score, quote, quote_url, quote_retrieved_at, quote_sha256)"
                " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s) ON CONFLICT (gid) DO NOTHING",
                (payload["gid"], payload["prospect_gid"], payload["kind"], payload["text"],
                 payload.get("source_url") or "", payload.get("source_title") or "", payload.get("published"),
                 payload.get("lang"), bool(payload.get("off_site")), payload.get("score"), payload.get("quote"),
                 payload.get("quote_url"), payload.get("quote_retrieved_at"), payload.get("quote_sha256")))
            return True
        if entity == "fact" and op == "field":
            cur.execute("SELECT earned.set_fact_text(%s, %s, %s)", (payload["gid"], payload["text"], row.at))
            return bool(cur.fetchone()[0])
        if entity == "touch" and op == "insert":
            cur.execute(
                "INSERT INTO earned.touches (gid, account_gid, kind, subject, text, cited_fact_gids, overrides,"
                " sent_at, follow_up_due) VALUES (%s, %s, %s, %s, %s, %s::uuid[], %s, %s, %s)"
                " ON CONFLICT (gid) DO NOTHING",
                (payload["gid"], payload["prospect_gid"], payload["kind"], payload.get("subject") or "",
                 payload["text"], list(payload.get("cited_fact_gids") or []), list(payload.get("overrides") or []),
                 payload["sent_at"], payload.get("follow_up_due")))
            # The first rep to write to an account owns it for a while (the team's rules of engagement).
            cur.execute("SELECT earned.claim_ownership(%s, %s)",
                        (payload["prospect_gid"], int(self._team_setting("ownership_days", 90))))
            return True
        if entity == "touch" and op == "delete":
            cur.execute("UPDATE earned.touches SET deleted_at = now() WHERE gid = %s AND deleted_at IS NULL",
                        (row.gid,))
            return True
        if entity == "dnc" and op == "insert":
            cur.execute(
                "INSERT INTO earned.do_not_contact (gid, account_gid, email, domain, reason)"
                " VALUES (%s, %s, %s, %s, %s) ON CONFLICT (gid) DO NOTHING",
                (payload["gid"], payload.get("prospect_gid"), payload.get("email") or "",
                 payload.get("domain") or "", payload["reason"]))
            return True
        raise ValueError(f"the outbox holds {entity}/{op}, which this version does not know how to send")

    # -- pull ----------------------------------------------------------------------------------
    def pull(self) -> dict[str, int]:
        """Apply what the team changed since the last sync, table by table, a batch per transaction."""
        from . import server

        applied: dict[str, int] = {}
        for table in PULL_ORDER:
            count = 0
            while True:
                cursor = self.store.cursor(table)
                rows = server.changes(self.server, table, cursor, self.batch)
                if not rows:
                    break
                with self.store.applying():
                    for row in rows:
                        self._apply(table, row)
                    last = rows[-1]
                    self.store.set_cursor(table, int(last["xid"]), int(last["change_id"]))
                count += len(rows)
                if len(rows) < self.batch:
                    break
            applied[table] = count
        return applied

    def _apply(self, table: str, row: dict) -> None:
        s = self.store
        {"reps": s.apply_member, "team_settings": s.apply_settings, "accounts": s.apply_account,
         "facts": s.apply_fact, "touches": s.apply_touch, "ownership": s.apply_owner,
         "do_not_contact": s.apply_dnc, "account_history": s.apply_history}[table](row)
