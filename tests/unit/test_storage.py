"""The workspace file: migrations, damage, newer versions, locks, and the repo's records."""
import hashlib
import json
import sqlite3
from datetime import datetime

import pytest

from app.core.errors import InputError, SchemaTooNew, StoreError, StoreLocked
from app.core.models import Draft
from app.storage.database import LATEST_VERSION, connect, migrate, open_store
from app.storage.repo import WorkspaceRepo


@pytest.fixture
def repo(tmp_path):
    store = open_store(tmp_path / "earned.db")
    yield WorkspaceRepo(store.conn)
    store.conn.close()


def test_migrates_from_empty_to_latest_with_wal_and_foreign_keys(tmp_path):
    store = open_store(tmp_path / "earned.db")
    conn = store.conn
    assert store.created
    assert conn.execute("PRAGMA user_version").fetchone()[0] == LATEST_VERSION
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"prospects", "facts", "drafts", "touches", "facts_fts"} <= tables


def test_migrates_from_previous_version_and_indexes_old_facts(tmp_path):
    path = tmp_path / "earned.db"
    conn = connect(path)
    migrate(conn, upto=LATEST_VERSION - 1)
    conn.execute("INSERT INTO prospects (company, created_at) VALUES ('Acme', 'x')")
    conn.execute(
        "INSERT INTO facts (prospect_id, kind, text, retrieved_at, content_hash) "
        "VALUES (1, 'note', 'Opened a plant in Austin', 'x', 'h')"
    )
    conn.close()

    store = open_store(path)
    assert not store.created
    assert store.conn.execute("PRAGMA user_version").fetchone()[0] == LATEST_VERSION
    found = WorkspaceRepo(store.conn).search_facts("austin")
    assert [f.text for f in found] == ["Opened a plant in Austin"]


def test_failed_migration_rolls_back_whole(tmp_path, monkeypatch):
    import app.storage.database as database

    path = tmp_path / "earned.db"
    conn = connect(path)
    migrate(conn, upto=1)
    broken = tmp_path / "migrations"
    broken.mkdir()
    for version, f in database.migrations():
        text = f.read_text()
        (broken / f.name).write_text(text + "\nCREATE TABLE prospects (x);" if version == 2 else text)
    monkeypatch.setattr(database, "MIGRATIONS_DIR", broken)
    with pytest.raises(sqlite3.OperationalError):
        migrate(conn)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
    assert conn.execute("SELECT count(*) FROM sqlite_master WHERE name = 'facts_fts'").fetchone()[0] == 0


def test_garbage_file_is_moved_aside_and_a_fresh_workspace_starts(tmp_path):
    path = tmp_path / "earned.db"
    garbage = b"this is not sqlite at all\x00" * 200
    path.write_bytes(garbage)
    store = open_store(path)
    assert store.created and store.notices
    assert "could not be read" in store.notices[0]
    kept = list(tmp_path.glob("earned.db.corrupt-*"))
    assert len(kept) == 1 and kept[0].read_bytes() == garbage
    assert WorkspaceRepo(store.conn).list_prospects() == []


def test_truncated_database_is_moved_aside(tmp_path):
    path = tmp_path / "earned.db"
    store = open_store(path)
    repo = WorkspaceRepo(store.conn)
    p = repo.add_prospect("Acme")
    for i in range(300):
        repo.add_note(p.id, f"fact number {i} " + "padding " * 40)
    store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.conn.close()
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 3])
    reopened = open_store(path)
    assert reopened.notices, "a damaged file must be reported"
    assert list(tmp_path.glob("earned.db.corrupt-*"))


def test_newer_schema_is_refused_and_left_untouched(tmp_path):
    path = tmp_path / "earned.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE future (x)")
    conn.execute(f"PRAGMA user_version = {LATEST_VERSION + 5}")
    conn.commit()
    conn.close()
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    with pytest.raises(SchemaTooNew, match="newer version of Earned"):
        open_store(path)
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before
    assert not list(tmp_path.glob("earned.db.corrupt-*"))


def test_locked_database_says_another_program_has_it(tmp_path, monkeypatch):
    import app.storage.database as database

    path = tmp_path / "earned.db"
    open_store(path).conn.close()
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("PRAGMA locking_mode = EXCLUSIVE")
    holder.execute("BEGIN EXCLUSIVE")
    monkeypatch.setattr(database, "BUSY_TIMEOUT_MS", 100)
    try:
        with pytest.raises(StoreLocked, match="in use by another program"):
            open_store(path)
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def test_unwritable_data_folder_gives_a_clear_message(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    with pytest.raises(StoreError, match="EARNED_HOME"):
        open_store(blocker / "sub" / "earned.db")


def test_same_fact_twice_is_one_fact_refreshed(repo):
    p = repo.add_prospect("Acme", "acme.io")
    first, created = repo.add_fact(p.id, "site", "Acme opened a plant in Austin.", "https://acme.io/news")
    again, created_again = repo.add_fact(p.id, "site", "  acme opened a plant   in Austin. ", "", "Newsroom")
    assert created and not created_again
    assert again.id == first.id and again.source_title == "Newsroom" and again.source_url == "https://acme.io/news"
    assert len(repo.list_facts(p.id)) == 1


def test_unknown_prospect_gets_a_message_with_what_to_do(repo):
    with pytest.raises(InputError, match="no prospect with id 42"):
        repo.add_note(42, "hello")


def test_search_survives_fts_syntax_in_the_query(repo):
    p = repo.add_prospect("Acme")
    repo.add_note(p.id, 'They said "AND" OR NOT near(x) in the keynote')
    assert repo.search_facts('"AND" OR NOT near(') != []
    assert repo.search_facts('*^"') == []


def test_draft_round_trip(repo):
    p = repo.add_prospect("Acme")
    repo.save_draft(Draft(p.id, "follow-up", "Re", "Body [^1] 🎉"))
    d = repo.get_draft(p.id)
    assert (d.kind, d.subject, d.body) == ("follow-up", "Re", "Body [^1] 🎉")


def test_touch_logs_sets_follow_up_on_a_business_day_and_clears_draft(repo):
    p = repo.add_prospect("Acme")
    fact = repo.add_note(p.id, "Austin plant")
    repo.save_draft(Draft(p.id, "first-touch", "Austin", "text [^1]"))
    friday = datetime(2026, 11, 20, 10, 0).astimezone()
    t = repo.record_touch(p.id, "first-touch", "Austin", "text", [fact.id], ["length"], sent_at=friday)
    assert t.cited_fact_ids == (fact.id,) and t.overrides == ("length",)
    assert t.follow_up_due == "2026-11-25"  # Fri + 3 business days = Wed
    assert repo.get_draft(p.id) is None
    assert repo.get_prospect(p.id).status == "contacted"
    listed = repo.get_prospect(p.id)
    assert listed.follow_up_due == "2026-11-25"
    assert listed.shown_status("2026-11-25") == "follow-up due" and listed.shown_status("2026-11-24") == "contacted"


def test_deleting_a_prospect_cascades(repo):
    p = repo.add_prospect("Acme")
    repo.add_note(p.id, "note")
    repo.conn.execute("DELETE FROM prospects WHERE id = ?", (p.id,))
    assert repo.conn.execute("SELECT count(*) FROM facts").fetchone()[0] == 0
    assert repo.search_facts("note") == []


# -- version 9: the contact's e-mail and the status history ------------------------------------------
def _schema(conn, table):
    """What must survive a migration: columns, foreign keys, indexes (with their SQL) and triggers."""
    columns = [tuple(r) for r in conn.execute(f"PRAGMA table_info({table})")]
    keys = [tuple(r) for r in conn.execute(f"PRAGMA foreign_key_list({table})")]
    others = sorted(tuple(r) for r in conn.execute(
        "SELECT type, name, sql FROM sqlite_master WHERE tbl_name = ? AND type IN ('index', 'trigger')", (table,)))
    return columns, keys, others


def test_migration_to_v9_adds_the_email_and_the_history_and_keeps_everything_else(tmp_path):
    path = tmp_path / "earned.db"
    conn = connect(path)
    conn.execute("PRAGMA foreign_keys=ON")
    migrate(conn, upto=8)
    conn.execute("INSERT INTO prospects (id, company, website, status, status_reason, status_changed_at, created_at)"
                 " VALUES (1, 'Acme', 'https://acme.example', 'disqualified', 'no budget',"
                 " '2026-03-01T10:00:00+00:00', '2026-01-01T00:00:00+00:00')")
    conn.execute("INSERT INTO prospects (id, company, status, created_at) VALUES (2, 'Bolt', 'contacted', 'x')")
    conn.execute("INSERT INTO facts (id, prospect_id, kind, text, retrieved_at, content_hash)"
                 " VALUES (4, 1, 'note', 'Opened a plant in Austin', 'x', 'h4')")
    conn.execute("INSERT INTO touches (id, prospect_id, kind, text, sent_at, follow_up_due)"
                 " VALUES (7, 2, 'first-touch', 'Hello', '2026-03-05T09:00:00+00:00', '2026-03-10')")
    conn.execute("INSERT INTO research_queue (prospect_id, position, queued_at) VALUES (2, 1, 'x')")
    tables = ("prospects", "facts", "drafts", "touches", "research_queue", "settings")
    before = {t: [tuple(r) for r in conn.execute(f"SELECT * FROM {t} ORDER BY rowid")] for t in tables}
    schema = {t: _schema(conn, t) for t in tables}
    conn.close()

    store = open_store(path)
    conn = store.conn
    assert conn.execute("PRAGMA user_version").fetchone()[0] == LATEST_VERSION >= 9
    # Every row as it was; prospects have one more column, at the end, empty. (Later migrations add columns after
    # those, and indexes and triggers: 0010's team sync. v8's are all there, as they were.)
    width = len(schema["prospects"][0]) + 1
    assert [tuple(r)[:width] for r in conn.execute("SELECT * FROM prospects ORDER BY rowid")] == [
        row + ("",) for row in before["prospects"]]
    for table in tables[1:]:
        (columns, keys, others), (old_columns, old_keys, old_others) = _schema(conn, table), schema[table]
        assert [tuple(r)[:len(old_columns)] for r in conn.execute(f"SELECT * FROM {table} ORDER BY rowid")] \
            == before[table], table
        assert columns[:len(old_columns)] == old_columns and keys == old_keys, table
        assert set(old_others) <= set(others), table
    columns, keys, others = _schema(conn, "prospects")
    assert columns[:width - 1] == schema["prospects"][0] and columns[width - 1][1:5] == ("email", "TEXT", 1, "''")
    assert keys == schema["prospects"][1] and set(schema["prospects"][2]) <= set(others)
    # The last status change older workspaces knew is the start of the history.
    events = conn.execute("SELECT prospect_id, at, status, previous, reason FROM prospect_events").fetchall()
    assert [tuple(r) for r in events] == [(1, "2026-03-01T10:00:00+00:00", "disqualified", None, "no budget")]
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"

    repo = WorkspaceRepo(conn)
    assert [(p.company, p.email) for p in repo.list_prospects()] == [("Acme", ""), ("Bolt", "")]
    assert repo.get_prospect(2).follow_up_due == "2026-03-10"
    assert [f.id for f in repo.search_facts("austin")] == [4]
    with pytest.raises(sqlite3.IntegrityError):  # the history is checked like the prospects it belongs to
        conn.execute("INSERT INTO prospect_events (prospect_id, at, status) VALUES (1, 'x', 'maybe')")
    with pytest.raises(sqlite3.IntegrityError):
        conn.execute("INSERT INTO prospect_events (prospect_id, at, status) VALUES (99, 'x', 'new')")
    with pytest.raises(sqlite3.IntegrityError):  # and a company name is still required
        conn.execute("INSERT INTO prospects (company, created_at) VALUES ('  ', 'x')")
    conn.execute("DELETE FROM prospects WHERE id = 1")
    assert conn.execute("SELECT count(*) FROM prospect_events").fetchone()[0] == 0
    conn.close()


def test_the_demo_seed_reads_an_email_when_it_has_one(repo, tmp_path):
    from app.core.paths import resources_dir

    bundled = repo.seed_demo(resources_dir() / "demo" / "workspace.json")
    assert bundled.company == "Harbor & Pine Freight" and bundled.email == ""
    demo = tmp_path / "demo.json"
    demo.write_text(json.dumps({"prospect": {"company": "Acme", "contact": "Sam", "email": "sam@acme.example"},
                                "facts": [{"kind": "note", "text": "Sam likes numbers"}]}), encoding="utf-8")
    seeded = repo.seed_demo(demo)
    assert (seeded.contact_name, seeded.email) == ("Sam", "sam@acme.example")
