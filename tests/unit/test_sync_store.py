"""Team sync, the workspace's side: migration 0010 (global ids, the capture triggers), the outbox and its payloads,
rows pulled from the team (idempotent, all-or-nothing), adopting the server's gid, team_context, and the rep's own
sent log staying the rep's own. Every test runs on a real workspace file."""
from __future__ import annotations

import re
import uuid
import sqlite3
from datetime import date, datetime, timezone

import pytest

from app.core.errors import InputError
from app.core.models import Draft, TeamContext
from app.storage.database import LATEST_VERSION, connect, migrate, open_store
from app.storage.repo import WorkspaceRepo
from app.storage.sync_store import SyncStore

UUID4 = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")
SYNC_TABLES = ("sync_state", "sync_outbox", "team_owners", "do_not_contact", "team_members", "field_history",
               "team_settings")
TODAY = date(2026, 11, 20)
SERVER_GID = "0b0b0b0b-1111-4222-8333-444444444444"


@pytest.fixture
def ws(tmp_path):
    store = open_store(tmp_path / "earned.db")
    yield WorkspaceRepo(store.conn), SyncStore(store.conn)
    store.conn.close()


def outbox(conn) -> list[tuple]:
    return [tuple(r) for r in conn.execute("SELECT entity, gid, op, field FROM sync_outbox ORDER BY id")]


def count(conn, table: str) -> int:
    return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def sent(day: int, hour: int = 9) -> datetime:
    return datetime(2026, 11, day, hour, 0, tzinfo=timezone.utc)


def teammate_touch(prospect_gid: str, gid: str, sent_at: str, by: str = "dana", **extra) -> dict:
    return {"gid": gid, "prospect_gid": prospect_gid, "kind": "first-touch", "subject": "Reno", "text": "Hi there",
            "sent_at": sent_at, "follow_up_due": "2026-11-25", "created_by": by, **extra}


# -- the migration -----------------------------------------------------------------------------------
def test_migration_gives_every_old_row_a_gid_and_every_new_row_one(tmp_path):
    path = tmp_path / "earned.db"
    conn = connect(path)
    conn.execute("PRAGMA foreign_keys=ON")
    migrate(conn, upto=9)
    for pid in (1, 2):
        conn.execute("INSERT INTO prospects (id, company, created_at) VALUES (?, ?, 'x')", (pid, f"Acme {pid}"))
    conn.execute("INSERT INTO facts (id, prospect_id, kind, text, retrieved_at, content_hash)"
                 " VALUES (4, 1, 'note', 'Opened a plant in Austin', 'x', 'h4')")
    conn.execute("INSERT INTO touches (id, prospect_id, kind, text, sent_at, follow_up_due)"
                 " VALUES (7, 1, 'first-touch', 'Hello', '2026-03-05T09:00:00+00:00', '2026-03-10')")
    before = {t: [tuple(r) for r in conn.execute(f"SELECT * FROM {t} ORDER BY rowid")]
              for t in ("prospects", "facts", "touches")}
    kept = {tuple(r) for r in conn.execute("SELECT type, name, sql FROM sqlite_master WHERE type IN"
                                           " ('index', 'trigger')")}
    conn.close()

    store = open_store(path)
    conn = store.conn
    assert conn.execute("PRAGMA user_version").fetchone()[0] == LATEST_VERSION >= 10
    gids = []
    for table, rows in before.items():
        found = [tuple(r) for r in conn.execute(f"SELECT * FROM {table} ORDER BY rowid")]
        assert [r[:len(rows[0])] for r in found] == rows, table  # every row and column as it was
        gids += [r["gid"] for r in conn.execute(f"SELECT gid FROM {table}")]
    assert len(gids) == 4 and all(UUID4.fullmatch(g) for g in gids) and len(set(gids)) == 4
    assert kept <= {tuple(r) for r in conn.execute("SELECT type, name, sql FROM sqlite_master")}
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert all(count(conn, t) == 0 for t in SYNC_TABLES), "nothing queued for a rep without a team"

    # Every insert path gets a gid: the repo, plain SQL (an import, a tool); a row that has one keeps it.
    repo = WorkspaceRepo(conn)
    p = repo.add_prospect("Bolt")
    note = repo.add_note(p.id, "Bolt ships from Reno")
    touch = repo.record_touch(p.id, "first-touch", "Hi", "Hello", [note.id])
    conn.execute("INSERT INTO prospects (company, created_at) VALUES ('Raw', 'x')")
    conn.execute("INSERT INTO prospects (company, created_at, gid) VALUES ('Pulled', 'x', ?)", (SERVER_GID,))
    new = [p.gid, note.gid, touch.gid, repo.list_prospects()[-1].gid]
    assert all(UUID4.fullmatch(g) for g in new) and not set(new) & set(gids)
    assert repo.find_duplicates("Pulled")[0].gid == SERVER_GID
    with pytest.raises(sqlite3.IntegrityError):  # a gid names one row
        conn.execute("INSERT INTO prospects (company, created_at, gid) VALUES ('Twin', 'x', ?)", (SERVER_GID,))
    assert all(count(conn, t) == 0 for t in SYNC_TABLES)
    conn.close()


def test_a_rep_without_a_team_writes_nothing_to_the_sync_tables(ws):
    repo, sync = ws
    a, b = repo.add_prospect("Acme", email="sam@acme.example"), repo.add_prospect("Acme Inc")
    fact, _ = repo.add_fact(a.id, "news", "Acme opened a plant in Austin", "https://news.example/a")
    repo.edit_fact(fact.id, "Acme opened a plant in Austin, Texas")
    repo.set_pinned(fact.id, True)
    repo.update_prospect(a.id, "Acme Corp", "https://acme.example", "Sam", "COO", "sam@acme.example")
    repo.save_draft(Draft(a.id, "first-touch", "Austin", "Congrats [^1]"))
    t = repo.record_touch(a.id, "first-touch", "Austin", "Congrats", [fact.id])
    repo.unlog_touch(t.id)
    repo.set_status(b.id, "disqualified", "no budget")
    repo.merge_prospects(a.id, b.id)
    repo.delete_prospect(a.id)
    assert not sync.connected()
    assert all(count(repo.conn, t) == 0 for t in SYNC_TABLES)


# -- capture -----------------------------------------------------------------------------------------
def test_connect_queues_every_shared_row_in_order_and_keeps_no_password(ws):
    repo, sync = ws
    a, b = repo.add_prospect("Acme"), repo.add_prospect("Bolt")
    f1, f2 = repo.add_note(b.id, "Bolt ships from Reno"), repo.add_note(a.id, "Acme likes numbers")
    t = repo.record_touch(a.id, "first-touch", "Hi", "Hello", [f2.id])
    repo.conn.execute("INSERT INTO facts (prospect_id, kind, text, retrieved_at, content_hash, created_by)"
                      " VALUES (?, 'note', 'A teammate wrote this', 'x', 'h', 'dana')", (a.id,))
    with pytest.raises(InputError, match="without the password"):
        sync.connect("jordan", "Jordan Lee", "postgresql://jordan:hunter2@team.example/earned")
    assert not sync.connected() and count(repo.conn, "sync_outbox") == 0

    queued = sync.connect("jordan", "Jordan Lee", "postgresql://jordan@team.example/earned")
    assert queued == 5 and sync.connected()
    assert outbox(repo.conn) == [("prospect", a.gid, "insert", None), ("prospect", b.gid, "insert", None),
                                 ("fact", f1.gid, "insert", None), ("fact", f2.gid, "insert", None),
                                 ("touch", t.gid, "insert", None)]  # the teammate's fact is theirs to share
    assert (sync.state("role"), sync.state("display_name"), sync.state("url")) == (
        "jordan", "Jordan Lee", "postgresql://jordan@team.example/earned")
    stored = " ".join(str(v) for r in repo.conn.execute("SELECT * FROM sync_state") for v in r)
    assert "hunter2" not in stored

    sync.disconnect()
    assert not sync.connected() and count(repo.conn, "sync_outbox") == 0
    repo.add_note(a.id, "Written after leaving the team")
    assert count(repo.conn, "sync_outbox") == 0
    assert len(repo.list_facts(a.id)) == 3  # leaving the team keeps every local row


def test_one_field_row_per_shared_column_changed_and_private_changes_stay_private(ws):
    repo, sync = ws
    p = repo.add_prospect("Acme", "https://acme.example", "Sam", "COO", "sam@acme.example")
    fact, _ = repo.add_fact(p.id, "news", "Acme opened a plant in Austin", "https://news.example/a", "Gazette")
    sync.connect("jordan", "Jordan", "https://team.example")
    sync.done(r.id for r in sync.pending())

    repo.update_prospect(p.id, "Acme Corp", "https://acme.example", "Sam", "CEO", "sam@acme.example")
    assert outbox(repo.conn) == [("prospect", p.gid, "field", "company"), ("prospect", p.gid, "field", "role")]
    sync.done(r.id for r in sync.pending())
    repo.set_status(p.id, "disqualified", "no budget")
    assert outbox(repo.conn) == [("prospect", p.gid, "field", "status"),
                                 ("prospect", p.gid, "field", "status_reason")]
    sync.done(r.id for r in sync.pending())

    # Private: pin, discard, the draft, a source fix; the same text again (a refresh) is no edit either.
    repo.set_pinned(fact.id, True)
    repo.set_discarded(fact.id, True)
    repo.set_discarded(fact.id, False)
    repo.save_draft(Draft(p.id, "first-touch", "Austin", "Congrats [^1]"))
    repo.edit_fact(fact.id, source_title="Austin Gazette")
    repo.add_fact(p.id, "news", "Acme opened a plant in Austin", "https://news.example/a")
    repo.update_prospect(p.id, "Acme Corp", "https://acme.example", "Sam", "CEO", "sam@acme.example")
    assert outbox(repo.conn) == []

    repo.edit_fact(fact.id, "Acme opened a plant in Austin, Texas")
    note = repo.add_note(p.id, "Sam prefers short notes")
    t = repo.record_touch(p.id, "first-touch", "Austin", "Congrats", [fact.id])
    assert outbox(repo.conn) == [("fact", fact.gid, "field", "text"), ("fact", note.gid, "insert", None),
                                 ("touch", t.gid, "insert", None)]  # disqualified stays so: no status change
    sync.done(r.id for r in sync.pending())
    repo.unlog_touch(t.id)
    assert outbox(repo.conn) == [("touch", t.gid, "delete", None)]  # a send taken back: a tombstone


def test_deleting_a_prospect_takes_no_send_back_from_the_team(ws):
    repo, sync = ws
    p = repo.add_prospect("Acme")
    repo.record_touch(p.id, "first-touch", "Hi", "Hello", [])
    sync.connect("jordan", "Jordan", "https://team.example")
    sync.done(r.id for r in sync.pending())
    repo.delete_prospect(p.id)
    assert outbox(repo.conn) == []


def test_rows_from_the_team_and_teammates_rows_are_never_queued(ws):
    repo, sync = ws
    sync.connect("jordan", "Jordan", "https://team.example")
    with sync.applying():
        pid = sync.apply_account({"gid": SERVER_GID, "company": "Harbor & Pine", "status": "contacted"})
        fid = sync.apply_fact({"gid": "f-1", "prospect_gid": SERVER_GID, "kind": "note", "text": "Dana's note",
                               "created_by": "dana"})
        sync.apply_touch(teammate_touch(SERVER_GID, "t-1", "2026-11-18T09:00:00+00:00"))
        sync.apply_field("prospect", SERVER_GID, "website", "https://hp.example", "2026-11-18T10:00:00Z", "dana",
                         applied=True)
        sync.set_cursor("accounts", 3, 12)
    assert outbox(repo.conn) == [] and sync.state("applying") is None
    assert repo.get_prospect(pid).website == "https://hp.example" and sync.cursor("accounts") == (3, 12)

    # A teammate's rows written outside a pull are still theirs: new ones, an edit of their note, their send
    # taken back.
    repo.conn.execute("INSERT INTO facts (prospect_id, kind, text, retrieved_at, content_hash, created_by)"
                      " VALUES (?, 'note', 'Another of Dana''s notes', 'x', 'h2', 'dana')", (pid,))
    repo.conn.execute("INSERT INTO touches (prospect_id, kind, text, sent_at, created_by)"
                      " VALUES (?, 'call-script', 'Dana called', '2026-11-19T09:00:00+00:00', 'dana')", (pid,))
    repo.edit_fact(fid, "Dana's note, corrected")
    sync.apply_touch(teammate_touch(SERVER_GID, "t-1", "2026-11-18T09:00:00+00:00", deleted_at="2026-11-19"))
    assert [t.text for t in repo.team_touches(pid)] == ["Dana called"]
    repo.conn.execute("DELETE FROM touches WHERE created_by = 'dana'")
    assert outbox(repo.conn) == []
    # The rep's own writes to that account are queued as usual.
    repo.set_status(pid, "replied")
    assert outbox(repo.conn) == [("prospect", SERVER_GID, "field", "status")]


# -- push --------------------------------------------------------------------------------------------
def test_payloads_are_read_at_push_time_with_the_current_gids(ws):
    repo, sync = ws
    sync.connect("jordan", "Jordan", "https://team.example")
    p = repo.add_prospect("Acme", email="sam@acme.example")
    old_gid = p.gid
    f1, f2 = repo.add_note(p.id, "Acme likes numbers"), repo.add_note(p.id, "Acme opened in Austin")
    t = repo.record_touch(p.id, "first-touch", "Austin", "Congrats on Austin [^%d] [^%d]" % (f2.id, f1.id),
                          [f2.id, f1.id], overrides=["length"], sent_at=sent(16))
    repo.update_prospect(p.id, "Acme Corp", "", "", "", "sam@acme.example")
    pending = sync.pending()
    assert [(r.entity, r.op, r.field) for r in pending] == [  # oldest first (record_touch made it 'contacted')
        ("prospect", "insert", None), ("fact", "insert", None), ("fact", "insert", None), ("touch", "insert", None),
        ("prospect", "field", "status"), ("prospect", "field", "company")]
    assert [r.id for r in pending] == sorted(r.id for r in pending) and len(sync.pending(limit=2)) == 2

    account = sync.payload(pending[0])
    assert account["company"] == "Acme Corp" and account["gid"] == old_gid  # the current values
    assert set(account) == {"entity", "op", "gid", "at", "company", "website", "contact_name", "role", "email",
                            "status", "status_reason", "created_at", "status_changed_at"}
    assert account["status"] == "contacted"

    # The server says our new prospect is an account it already has: ours takes its gid.
    assert sync.adopt_gid(old_gid, SERVER_GID) == p.id
    assert repo.get_prospect(p.id).gid == SERVER_GID
    fact = sync.payload(next(r for r in sync.pending() if r.gid == f1.gid))
    assert fact["prospect_gid"] == SERVER_GID and fact["text"] == "Acme likes numbers" and fact["kind"] == "note"
    assert "pinned" not in fact and "discarded" not in fact
    touch = sync.payload(next(r for r in sync.pending() if r.gid == t.gid))
    assert touch["prospect_gid"] == SERVER_GID
    assert touch["cited_fact_ids"] == [f2.id, f1.id] and touch["cited_fact_gids"] == [f2.gid, f1.gid]
    assert touch["overrides"] == ["length"] and touch["follow_up_due"] == t.follow_up_due
    assert not [r for r in sync.pending() if r.entity == "prospect" and r.op == "insert"]  # the team has it
    edit = sync.payload(next(r for r in sync.pending() if r.field == "company"))
    assert (edit["gid"], edit["field"], edit["value"]) == (SERVER_GID, "company", "Acme Corp")

    # A row gone before its push has nothing to send; a send taken back is a tombstone.
    repo.unlog_touch(t.id)
    assert sync.payload(next(r for r in sync.pending() if r.gid == t.gid and r.op == "insert")) is None
    tomb = sync.payload(next(r for r in sync.pending() if r.op == "delete"))
    assert tomb == {"entity": "touch", "op": "delete", "gid": t.gid, "at": tomb["at"]}
    sync.done([r.id for r in sync.pending()])
    assert sync.pending() == []


def test_adopting_a_gid_another_prospect_has_merges_them_into_that_one(ws):
    repo, sync = ws
    sync.connect("jordan", "Jordan", "https://team.example")
    with sync.applying():
        theirs = sync.apply_account({"gid": SERVER_GID, "company": "Acme", "status": "new"})
        sync.apply_fact({"gid": "f-team", "prospect_gid": SERVER_GID, "kind": "note", "text": "Dana: Acme likes "
                         "numbers", "created_by": "dana"})
    ours = repo.add_prospect("Acme Inc", email="sam@acme.example")
    note = repo.add_note(ours.id, "Acme opened in Austin")
    t = repo.record_touch(ours.id, "first-touch", "Austin", f"Congrats [^{note.id}]", [note.id])
    repo.save_draft(Draft(theirs, "first-touch", "Mine", "Draft"))

    assert sync.adopt_gid(ours.gid, SERVER_GID) == theirs
    with pytest.raises(InputError):
        repo.get_prospect(ours.id)
    kept = repo.get_prospect(theirs)
    assert (kept.gid, kept.email, kept.status) == (SERVER_GID, "sam@acme.example", "contacted")
    assert {f.text for f in repo.list_facts(theirs)} == {"Dana: Acme likes numbers", "Acme opened in Austin"}
    assert [x.id for x in repo.list_touches(theirs)] == [t.id]
    # What the merge filled in from ours goes to the team; our pending rows now name the team's account.
    assert ("prospect", SERVER_GID, "field", "email") in outbox(repo.conn)
    assert sync.payload(next(r for r in sync.pending() if r.gid == note.gid))["prospect_gid"] == SERVER_GID
    assert not [r for r in sync.pending() if r.gid == ours.gid]  # ours is gone, and the team has the account
    before = outbox(repo.conn)
    assert sync.adopt_gid(ours.gid, SERVER_GID) == theirs  # again: nothing more
    assert outbox(repo.conn) == before


# -- pull --------------------------------------------------------------------------------------------
def _batch(local_fact_gid: str) -> list[tuple[str, dict]]:
    return [
        ("member", {"role": "dana", "display_name": "Dana Reyes"}),
        ("account", {"gid": SERVER_GID, "company": "Harbor & Pine", "website": "https://hp.example",
                     "status": "contacted", "created_at": "2026-11-01T09:00:00+00:00"}),
        ("owner", {"prospect_gid": SERVER_GID, "owner": "dana", "claimed_at": "2026-11-17T09:00:00Z",
                   "expires_at": "2026-12-17T09:00:00Z"}),
        ("fact", {"gid": "f-1", "prospect_gid": SERVER_GID, "kind": "news", "text": "Harbor & Pine opened in Reno",
                  "source_url": "https://news.example/reno", "published": "2026-11-02", "created_by": "dana"}),
        ("touch", teammate_touch(SERVER_GID, "t-1", "2026-11-18T09:00:00+00:00", text="Congrats on Reno [^41]",
                                 cited_fact_ids=[41], cited_fact_gids=["f-1"])),
        ("dnc", {"gid": "d-1", "domain": "blocked.example", "reason": "Legal asked", "created_by": "dana"}),
        ("settings", {"key": "follow_up_days", "value": 4}),
        ("field", {"entity": "fact", "gid": local_fact_gid, "field": "text", "value": "Edited by Dana",
                   "at": "2026-11-18T10:00:00Z", "by": "dana", "applied": True}),
    ]


def _apply(sync: SyncStore, batch) -> None:
    for kind, row in batch:
        if kind == "field":
            sync.apply_field(**row)
        else:
            getattr(sync, f"apply_{kind}")(row)


def _snapshot(conn) -> dict:
    tables = ("prospects", "facts", "touches", "do_not_contact", "team_owners", "team_members", "team_settings",
              "field_history", "sync_outbox", "sync_state")
    return {t: [tuple(r) for r in conn.execute(f"SELECT * FROM {t} ORDER BY rowid")] for t in tables}


def test_applying_the_same_batch_twice_leaves_the_same_rows(ws):
    repo, sync = ws
    mine = repo.add_prospect("Acme")
    note = repo.add_note(mine.id, "Acme likes numbers")
    sync.connect("jordan", "Jordan", "https://team.example")
    sync.done(r.id for r in sync.pending())
    snapshots = []
    for _ in range(2):
        with sync.applying():
            _apply(sync, _batch(note.gid))
            sync.set_cursor("changes", 7, 70)
        snapshots.append(_snapshot(repo.conn))
    first = snapshots[0]
    assert _snapshot(repo.conn) == first
    assert count(repo.conn, "prospects") == 2 and count(repo.conn, "facts") == 2
    assert count(repo.conn, "field_history") == 1  # the rep's wording that lost, once
    pid = repo.find_duplicates("Harbor & Pine")[0].id
    [touch] = repo.team_touches(pid)
    fact = next(f for f in repo.list_facts(pid))
    assert (touch.sent_by, touch.text, touch.cited_fact_ids) == ("dana", f"Congrats on Reno [^{fact.id}]",
                                                                  (fact.id,))
    assert (fact.created_by, repo.get_fact(note.id).text) == ("dana", "Edited by Dana")
    assert sync.team_setting("follow_up_days") == 4 and sync.cursor("changes") == (7, 70)
    assert outbox(repo.conn) == []


def test_a_crash_inside_applying_leaves_nothing_and_the_cursor_where_it_was(ws, tmp_path):
    repo, sync = ws
    sync.connect("jordan", "Jordan", "https://team.example")
    with sync.applying():
        sync.set_cursor("changes", 1, 5)
    before = _snapshot(repo.conn)
    with pytest.raises(RuntimeError):
        with sync.applying():
            sync.apply_account({"gid": SERVER_GID, "company": "Harbor & Pine"})
            sync.apply_member({"role": "dana", "display_name": "Dana"})
            sync.set_cursor("changes", 2, 9)
            # Another connection never sees the flag (nor the rows): it is set and cleared inside the transaction.
            other = connect(tmp_path / "earned.db")
            assert other.execute("SELECT count(*) FROM sync_state WHERE key = 'applying'").fetchone()[0] == 0
            assert other.execute("SELECT count(*) FROM prospects").fetchone()[0] == 0
            other.close()
            raise RuntimeError("the connection dropped")
    assert _snapshot(repo.conn) == before and sync.cursor("changes") == (1, 5)
    assert sync.state("applying") is None
    # A batch opened by one SyncStore stays quiet to the end when another on the same connection applies a row.
    with sync.applying():
        SyncStore(repo.conn).apply_member({"role": "dana", "display_name": "Dana"})
        repo.add_prospect("Written by the engine inside the batch")
    assert outbox(repo.conn) == [] and sync.state("applying") is None
    p = repo.add_prospect("Acme")  # and capture works again
    assert outbox(repo.conn)[-1] == ("prospect", p.gid, "insert", None)


def test_last_writer_wins_sets_the_newer_value_and_keeps_the_one_that_lost(ws):
    repo, sync = ws
    p = repo.add_prospect("Acme", contact_name="Sam")
    sync.connect("jordan", "Jordan", "https://team.example")
    sync.done(r.id for r in sync.pending())
    repo.update_prospect(p.id, "Acme", "", "Sam Rivera", "", "")
    [edit] = sync.pending()

    # The team's value is older than the rep's unpushed edit: the edit stays and goes out next.
    older = "2000-01-01T00:00:00Z"
    assert not sync.apply_field("prospect", p.gid, "contact_name", "Samuel", older, "dana", applied=True)
    assert repo.get_prospect(p.id).contact_name == "Sam Rivera" and sync.pending() == [edit]
    # Newer: the team's value is set, the rep's goes to the history, and the edit that lost is not pushed.
    newer = "2999-01-01T00:00:00Z"
    assert sync.apply_field("prospect", p.gid, "contact_name", "Samuel", newer, "dana", applied=True)
    assert repo.get_prospect(p.id).contact_name == "Samuel" and sync.pending() == []
    # The rep's next edit wins on the server: the teammate's value is kept in the history.
    assert not sync.apply_field("prospect", p.gid, "role", "CFO", older, "dana", applied=False)
    assert not sync.apply_field("prospect", p.gid, "role", "CFO", older, "dana", applied=False)  # once
    history = [tuple(r)[1:] for r in repo.conn.execute("SELECT * FROM field_history ORDER BY id")]
    assert history == [("prospect", p.gid, "contact_name", "Sam Rivera", edit.at, None, 0),
                       ("prospect", p.gid, "role", "CFO", "2000-01-01T00:00:00.000Z", "dana", 1)]
    with pytest.raises(InputError):
        sync.apply_field("fact", p.gid, "pinned", "1", newer, "dana", applied=True)  # private: never synced


# -- team context and the rep's own sent log -----------------------------------------------------------
def test_team_context_tells_owner_recent_teammate_touch_and_do_not_contact(ws):
    repo, sync = ws
    sync.connect("jordan", "Jordan", "https://team.example")
    p = repo.add_prospect("Acme", "https://www.shop.acme.example", email="sam@acme.example")
    assert repo.team_context(p.id, today=TODAY) == TeamContext(None, False, None, None)
    with sync.applying():
        sync.apply_member({"role": "dana", "display_name": "Dana Reyes"})
        sync.apply_owner({"prospect_gid": p.gid, "owner": "dana", "expires_at": "2026-12-01T00:00:00Z"})
        sync.apply_touch(teammate_touch(p.gid, "t-old", "2026-10-01T09:00:00+00:00"))
        sync.apply_touch(teammate_touch(p.gid, "t-new", "2026-11-17T09:00:00-05:00", by="alex"))
        sync.apply_touch(teammate_touch(p.gid, "t-me", "2026-11-19T09:00:00+00:00", by="jordan"))  # mine
    repo.record_touch(p.id, "first-touch", "Hi", "Hello", [], sent_at=sent(19, 12))

    ctx = sync.team_context(p.id, "jordan", 14, TODAY)
    assert ctx == TeamContext(owner="Dana Reyes", owner_is_me=False, last_team_touch=("alex", "2026-11-17"),
                              do_not_contact=None)
    assert sync.team_context(p.id, "dana", 14, TODAY).owner_is_me
    assert sync.team_context(p.id, "jordan", 2, TODAY).last_team_touch is None  # older than 2 days
    assert sync.team_context(p.id, "alex", 90, TODAY).last_team_touch == ("Dana Reyes", "2026-10-01")
    assert sync.team_context(p.id, "jordan", 14, date(2026, 12, 2)).owner is None  # the claim ran out

    # Do not contact: by account, by address, by domain (the e-mail's, or the website's parent domain).
    for kwargs in ({"prospect_id": p.id}, {"email": "SAM@acme.example"}, {"domain": "acme.example"}):
        gid = sync.add_do_not_contact("Asked us to stop", **kwargs)
        assert sync.team_context(p.id, "jordan", 14, TODAY).do_not_contact == "Asked us to stop"
        sync.lift_do_not_contact(gid)
        assert sync.team_context(p.id, "jordan", 14, TODAY).do_not_contact is None
    sync.add_do_not_contact("Other company", domain="notacme.example")
    assert sync.team_context(p.id, "jordan", 14, TODAY).do_not_contact is None
    assert [r[0] for r in outbox(repo.conn) if r[0] == "dnc"] == ["dnc"] * 7  # 3 added, 3 lifted, 1 added


def test_the_owner_shows_in_the_prospect_list(ws):
    repo, sync = ws
    p, q = repo.add_prospect("Acme"), repo.add_prospect("Bolt")
    with sync.applying():
        sync.apply_member({"role": "dana", "display_name": "Dana Reyes"})
        sync.apply_owner({"prospect_gid": p.gid, "owner": "dana", "expires_at": "2999-01-01T00:00:00Z"})
        sync.apply_owner({"prospect_gid": q.gid, "owner": "alex", "expires_at": "2000-01-01T00:00:00Z"})
    assert [(x.company, x.owner) for x in repo.list_prospects()] == [("Acme", "Dana Reyes"), ("Bolt", None)]
    with sync.applying():
        sync.apply_owner({"prospect_gid": p.gid, "owner": None})  # released
    assert repo.get_prospect(p.id).owner is None


def test_the_reps_sent_log_and_follow_ups_ignore_teammates_touches(ws):
    repo, sync = ws
    sync.connect("jordan", "Jordan", "https://team.example")
    mine = repo.add_prospect("Acme")
    only_team = repo.add_prospect("Bolt")
    own = repo.record_touch(mine.id, "first-touch", "Hi", "Hello", [], sent_at=sent(16))
    assert own.follow_up_due == "2026-11-19"
    with sync.applying():
        # A teammate's later email, with its own follow-up date, on both prospects.
        sync.apply_touch(teammate_touch(mine.gid, "t-1", "2026-11-18T09:00:00+00:00"))
        sync.apply_touch(teammate_touch(only_team.gid, "t-2", "2026-11-18T09:00:00+00:00"))

    assert [t.id for t in repo.list_touches(mine.id)] == [own.id]
    prospect = repo.get_prospect(mine.id)
    assert prospect.follow_up_due == "2026-11-19" and prospect.shown_status("2026-11-20") == "follow-up due"
    assert [t.sent_by for t in repo.team_touches(mine.id)] == ["dana"]
    assert [e.kind for e in repo.timeline(mine.id)].count("sent") == 1
    # Only teammates wrote to Bolt: for this rep it is still new, with nothing to follow up or take back.
    bolt = repo.get_prospect(only_team.id)
    assert (bolt.status, bolt.follow_up_due, repo.list_touches(only_team.id)) == ("new", None, [])
    team_touch = repo.team_touches(only_team.id)[0]
    with pytest.raises(InputError):
        repo.unlog_touch(team_touch.id)
    repo.set_status(only_team.id, "disqualified", "no budget")
    assert repo.reopen_prospect(only_team.id).status == "new"
    # Taking back the rep's own send: the status follows the rep's own log, the teammate's email aside.
    after, _ = repo.unlog_touch(own.id)
    assert (after.status, after.follow_up_due) == ("new", None)


def test_a_teammates_touch_cites_this_workspaces_facts(ws):
    repo, sync = ws
    p = repo.add_prospect("Acme")
    f = repo.add_note(p.id, "Acme opened in Austin")
    for n in range(5):
        repo.add_note(p.id, f"Filler {n}")  # so local ids and the sender's ids differ
    with sync.applying():
        tid = sync.apply_touch(teammate_touch(p.gid, "t-1", "2026-11-18T09:00:00+00:00",
                                              text=f"Austin [^{f.id + 4}], Reno [^3], and [^x]",
                                              cited_fact_ids=[f.id + 4, 3], cited_fact_gids=[f.gid, "f-unknown"]))
        assert sync.apply_touch({"gid": "t-9", "prospect_gid": "nowhere", "kind": "first-touch", "text": "x",
                                 "sent_at": "2026-11-18", "created_by": "dana"}) is None
        with pytest.raises(InputError, match="who wrote it"):
            sync.apply_touch({**teammate_touch(p.gid, "t-3", "2026-11-18"), "created_by": None})
    [t] = repo.team_touches(p.id)
    assert t.id == tid and t.text == f"Austin [^{f.id}], Reno, and [^x]" and t.cited_fact_ids == (f.id,)


def test_rows_as_the_server_sends_them_uuids_times_and_account_gid(ws):
    """psycopg hands the engine uuid.UUID, datetime and date values and the server's column names (account_gid):
    they are stored as text, under the workspace's names, and sqlite3 never sees a type it can't store."""
    repo, sync = ws
    sync.connect("jordan", "Jordan", "https://team.example")
    account, fact, touch = (uuid.UUID(SERVER_GID), uuid.uuid4(), uuid.uuid4())
    stamp = datetime(2026, 11, 18, 9, 0, tzinfo=timezone.utc)
    with sync.applying():
        pid = sync.apply_account({"gid": account, "company": "Harbor & Pine", "created_at": stamp, "xid": 7,
                                  "change_id": 3, "versions": {}, "name_key": "harborandpine"})
        fid = sync.apply_fact({"gid": fact, "account_gid": account, "kind": "news", "text": "Opened in Reno",
                               "off_site": False, "created_by": "dana"})
        sync.apply_touch({"gid": touch, "account_gid": account, "kind": "follow-up", "subject": "Reno",
                          "text": "About Reno [^12]", "cited_fact_gids": [fact], "overrides": [], "sent_at": stamp,
                          "follow_up_due": date(2026, 11, 23), "created_by": "dana", "deleted_at": None})
        sync.apply_owner({"account_gid": account, "owner": "dana", "claimed_at": stamp,
                          "expires_at": datetime(2999, 1, 1, tzinfo=timezone.utc)})
        sync.apply_dnc({"gid": uuid.uuid4(), "account_gid": None, "email": "", "domain": "blocked.example",
                        "reason": "Legal", "created_by": "dana", "created_at": stamp, "deleted_at": None})
        sync.apply_history({"account_gid": account, "field": "status", "value": "replied", "value_at": stamp,
                            "value_by": "dana"})
        sync.apply_settings({"key": "teammate_touch_days", "value": 3})
    prospect = repo.get_prospect(pid)
    assert (prospect.gid, prospect.created_at, prospect.owner) == (SERVER_GID, stamp.isoformat(), "dana")
    [t] = repo.team_touches(pid)
    assert (t.gid, t.sent_at, t.follow_up_due, t.text, t.cited_fact_ids) == (
        str(touch), stamp.isoformat(), "2026-11-23", "About Reno", (fid,))  # the sender's marker: unknown here
    assert repo.get_fact(fid).gid == str(fact)
    assert [tuple(r)[1:] for r in repo.conn.execute("SELECT * FROM field_history")] == [
        ("prospect", SERVER_GID, "status", "replied", "2026-11-18T09:00:00.000Z", "dana", 1)]
    # The team's setting is the teammate-touch window: a touch 2 days old counts, with 3 days; not with 1.
    assert repo.team_context(pid, today=date(2026, 11, 20)).last_team_touch == ("dana", "2026-11-18")
    with sync.applying():
        sync.apply_settings({"key": "teammate_touch_days", "value": 1})
    assert repo.team_context(pid, today=date(2026, 11, 20)).last_team_touch is None
    assert outbox(repo.conn) == []


def test_the_engine_records_a_push_of_ours_that_lost(ws):
    repo, sync = ws
    p = repo.add_prospect("Acme")
    sync.connect("jordan", "Jordan", "https://team.example")
    sync.done(r.id for r in sync.pending())
    repo.set_status(p.id, "replied")
    [row] = sync.pending()
    payload = sync.payload(row)
    assert (payload["field"], payload["value"], payload["status"]) == ("status", "replied", "replied")
    # What the engine does when the server kept a newer value: our value is the loser, by our own role.
    assert not sync.apply_field(row.entity, row.gid, row.field, payload["status"], row.at, "jordan", applied=False)
    history = [tuple(r)[1:] for r in repo.conn.execute("SELECT * FROM field_history")]
    assert history == [("prospect", p.gid, "status", "replied", row.at, None, 1)]
    assert repo.get_prospect(p.id).status == "replied"  # until the team's value is pulled
