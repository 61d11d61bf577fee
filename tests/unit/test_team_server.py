"""The team server against a real, throwaway PostgreSQL (tests/fixtures/postgres.py): migrations, account
de-duplication, last-writer-wins, the change feed, row-level security, ownership, and passwords kept out of
every message."""
from __future__ import annotations

import shutil
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta, timezone

import psycopg
import pytest
from psycopg import errors

from app.core.errors import InputError
from app.team import server
from tests.fixtures.postgres import ADMIN, postgres  # noqa: F401 - postgres is the fixture

T0 = datetime.now(timezone.utc).replace(microsecond=0) - timedelta(hours=3)


def at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


class Team:
    """A fresh database set up as a team server, its admin, and two reps (role names unique to the test:
    roles belong to the whole cluster)."""

    def __init__(self, cluster):
        self.cluster = cluster
        self._open: list[psycopg.Connection] = []

    def set_up(self) -> None:
        self.db = self.cluster.new_database()
        self.applied = server.init_server(self.db.url_for(ADMIN), self.cluster.admin_password)
        self.admin = self.connect(ADMIN, self.cluster.admin_password)
        suffix = self.db.name.rsplit("_", 1)[1]
        # "alice_..." < "bob_...": bob has the greater role name, which wins ties.
        self.alice_role, self.bob_role = f"alice_t{suffix}", f"bob_t{suffix}"
        self.passwords = {self.alice_role: f"alice-secret-{suffix}x", self.bob_role: f"bob-secret-{suffix}xy"}
        server.add_rep(self.admin, self.alice_role, self.passwords[self.alice_role], "Alice Adams")
        server.add_rep(self.admin, self.bob_role, self.passwords[self.bob_role], "Bob Brown")
        self.alice = self.connect(self.alice_role)
        self.bob = self.connect(self.bob_role)

    def connect(self, role: str, password: str | None = None, **kw) -> psycopg.Connection:
        conn = server.connect(self.db.url_for(role), password or self.passwords[role], **kw)
        self._open.append(conn)
        return conn

    def close(self) -> None:
        for conn in self._open:
            conn.close()


@pytest.fixture
def team(postgres):  # noqa: F811 - the imported fixture
    team = Team(postgres)
    try:
        team.set_up()
        yield team
    finally:
        team.close()  # every connection, even when the set-up failed halfway


def one(conn, query, params=()):
    return conn.execute(query, params).fetchone()[0]


def claim(conn, company, domain_key="", name_key=None, gid=None, when=at(0), email=""):
    return one(conn, "SELECT earned.claim_account(%s, %s, %s, %s, %s, %s, %s, %s, %s)",
               (gid or uuid.uuid4(), company, f"https://{domain_key}" if domain_key else "", domain_key,
                name_key or company.lower(), "", "", email, when))


def set_field(conn, gid, field, value, when):
    return one(conn, "SELECT earned.set_account_field(%s, %s, %s, %s)", (gid, field, value, when))


def add_fact(conn, account, text="Opened a Berlin office", kind="note", gid=None):
    gid = gid or uuid.uuid4()
    conn.execute("INSERT INTO earned.facts (gid, account_gid, kind, text) VALUES (%s, %s, %s, %s)"
                 " ON CONFLICT (gid) DO NOTHING", (gid, account, kind, text))
    return gid


def add_touch(conn, account, text="Hello"):
    gid = uuid.uuid4()
    conn.execute("INSERT INTO earned.touches (gid, account_gid, kind, text, sent_at) VALUES (%s, %s, 'email', %s, %s)",
                 (gid, account, text, at(0)))
    return gid


def wait_until(condition, timeout=10.0):
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.01)


# -- migrations ------------------------------------------------------------------------------------------
def test_migrations_apply_once_and_are_recorded(team):
    assert team.applied == [1]
    assert server.init_server(team.db.url_for(ADMIN), team.cluster.admin_password) == []
    assert team.admin.execute("SELECT version FROM earned.schema_version").fetchall() == [(1,)]
    # A rep sees the version (to refuse a server it does not know) and the team's default settings.
    assert server.require_schema(team.alice) == server.LATEST_VERSION == 1
    assert server.team_settings(team.alice) == {"teammate_touch_days": 14, "ownership_days": 90}


def test_a_failing_migration_leaves_nothing_behind_and_a_newer_server_is_refused(team, tmp_path):
    shutil.copy(server.MIGRATIONS_DIR / "0001_team.sql", tmp_path)
    broken = tmp_path / "0002_next.sql"
    broken.write_text("CREATE TABLE earned.half_done (x int);\nSELECT 1 / 0;\n")
    with pytest.raises(server.TeamServerError, match="division by zero"):
        server.migrate(team.admin, tmp_path)
    assert one(team.admin, "SELECT max(version) FROM earned.schema_version") == 1
    assert one(team.admin, "SELECT to_regclass('earned.half_done')") is None

    broken.write_text("CREATE TABLE earned.half_done (x int);\n")
    assert server.migrate(team.admin, tmp_path) == [2]
    # This Earned knows only version 1: it must not touch (or sync with) a server at version 2.
    with pytest.raises(server.TeamSchemaMismatch, match="newer Earned"):
        server.migrate(team.admin)
    with pytest.raises(server.TeamSchemaMismatch, match="newer Earned"):
        server.require_schema(team.alice)


# -- claim_account ---------------------------------------------------------------------------------------
def test_claim_account_finds_the_same_company_by_domain_then_by_name(team):
    acme = claim(team.alice, "Acme", "acme.com")
    assert claim(team.bob, "ACME Inc.", "acme.com", name_key="acme inc") == acme
    assert claim(team.bob, "Acme", "") == acme  # no domain: the name finds it
    acme_io = claim(team.bob, "Acme", "acme.io")  # another domain is another company, whatever its name
    assert acme_io != acme
    globex = uuid.uuid4()
    assert claim(team.alice, "Globex", "", gid=globex) == globex
    # Retried after a crash: the same answers, nothing more written.
    assert claim(team.alice, "Globex", "", gid=globex) == globex
    assert claim(team.bob, "ACME Inc.", "acme.com", name_key="acme inc") == acme
    rows = team.admin.execute("SELECT company, domain_key, created_by FROM earned.accounts"
                              " ORDER BY created_at").fetchall()
    assert rows == [("Acme", "acme.com", team.alice_role), ("Acme", "acme.io", team.bob_role),
                    ("Globex", "", team.alice_role)]


def test_two_reps_claiming_acme_at_the_same_moment_get_one_account(team):
    start = threading.Barrier(2)

    def claim_as(conn, name):
        start.wait()
        return claim(conn, name, "")

    with ThreadPoolExecutor(2) as pool:
        for name in ("Acme", "Initech", "Umbrella"):
            results = [pool.submit(claim_as, conn, name) for conn in (team.alice, team.bob)]
            gids = {future.result(timeout=30) for future in results}
            assert len(gids) == 1, name
    assert one(team.admin, "SELECT count(*) FROM earned.accounts") == 3


def test_a_second_claim_waits_for_the_first_and_finds_its_account(team):
    """The race made certain: bob claims while alice's claim is inside an open transaction."""
    with ThreadPoolExecutor(1) as pool:
        with team.alice.transaction():
            alices = claim(team.alice, "Acme", "")
            bobs = pool.submit(claim, team.bob, "Acme", "")
            bob_pid = team.bob.info.backend_pid
            wait_until(lambda: one(team.admin, "SELECT wait_event FROM pg_stat_activity WHERE pid = %s",
                                   (bob_pid,)) == "advisory")
            assert not bobs.done()
        assert bobs.result(timeout=30) == alices
    assert one(team.admin, "SELECT count(*) FROM earned.accounts") == 1


# -- last writer wins ------------------------------------------------------------------------------------
def history(team, gid):
    return team.admin.execute("SELECT field, value, value_at, value_by, created_by FROM earned.account_history"
                              " WHERE account_gid = %s ORDER BY id", (gid,)).fetchall()


def test_set_account_field_keeps_the_later_edit_and_the_loser_in_history(team):
    gid = claim(team.alice, "Acme", "acme.com", email="jo@acme.com", when=at(0))
    assert set_field(team.bob, gid, "email", "joan@acme.com", at(20)) is True
    # Alice's edit was made earlier (offline) and arrives later: it loses, and is kept as hers.
    assert set_field(team.alice, gid, "email", "j.o@acme.com", at(10)) is False
    assert one(team.alice, "SELECT email FROM earned.accounts WHERE gid = %s", (gid,)) == "joan@acme.com"
    expected = [("email", "jo@acme.com", at(0), team.alice_role, team.bob_role),  # overwritten by bob
                ("email", "j.o@acme.com", at(10), team.alice_role, team.alice_role)]  # too late
    assert history(team, gid) == expected

    # The same calls again (a retried sync): same answers, nothing new in the table or in the feed.
    before = one(team.admin, "SELECT change_id FROM earned.accounts WHERE gid = %s", (gid,))
    assert set_field(team.bob, gid, "email", "joan@acme.com", at(20)) is True
    assert set_field(team.alice, gid, "email", "j.o@acme.com", at(10)) is False
    assert history(team, gid) == expected
    assert one(team.admin, "SELECT change_id FROM earned.accounts WHERE gid = %s", (gid,)) == before
    versions = one(team.admin, "SELECT versions FROM earned.accounts WHERE gid = %s", (gid,))
    assert versions["email"] == {"at": at(20).strftime("%Y-%m-%dT%H:%M:%S.%fZ"), "by": team.bob_role}


def test_on_the_same_instant_the_greater_role_name_wins_whoever_arrives_first(team):
    gid = claim(team.alice, "Acme", "acme.com")
    # role: alice first, then bob; status: bob first, then alice. Bob's role name is greater both times.
    assert set_field(team.alice, gid, "role", "CTO", at(30)) is True
    assert set_field(team.bob, gid, "role", "VP Engineering", at(30)) is True
    assert set_field(team.bob, gid, "status", "contacted", at(30)) is True
    assert set_field(team.alice, gid, "status", "lost", at(30)) is False
    assert team.admin.execute("SELECT role, status FROM earned.accounts WHERE gid = %s", (gid,)).fetchone() == \
        ("VP Engineering", "contacted")
    assert {(f, v, by) for f, v, _, by, _ in history(team, gid)} == {
        ("role", "CTO", team.alice_role), ("status", "lost", team.alice_role)}


def test_set_account_field_refuses_unknown_fields_and_times_from_the_future(team):
    gid = claim(team.alice, "Acme", "acme.com")
    with pytest.raises(errors.InvalidParameterValue, match="no shared field"):
        set_field(team.alice, gid, "created_by", team.alice_role, at(1))
    with pytest.raises(errors.InvalidParameterValue, match="clock"):
        set_field(team.alice, gid, "email", "x@acme.com", datetime.now(timezone.utc) + timedelta(days=2))
    with pytest.raises(errors.NoDataFound):
        set_field(team.alice, uuid.uuid4(), "email", "x@acme.com", at(1))


def test_set_fact_text_is_last_writer_wins_and_for_the_author_only(team):
    account = claim(team.alice, "Acme", "acme.com")
    note = add_fact(team.alice, account, "Met at the fair")

    def set_text(conn, text, when):
        return one(conn, "SELECT earned.set_fact_text(%s, %s, %s)", (note, text, when))

    assert set_text(team.alice, "Met at the Hanover fair", at(20)) is True
    assert set_text(team.alice, "Met at a fair", at(10)) is False  # an older edit from her other laptop
    assert set_text(team.alice, "Met at the Hanover fair", at(20)) is True  # retried
    with pytest.raises(errors.InsufficientPrivilege, match="only its author"):
        set_text(team.bob, "Never met", at(30))
    assert one(team.bob, "SELECT text FROM earned.facts WHERE gid = %s", (note,)) == "Met at the Hanover fair"


# -- the change feed -------------------------------------------------------------------------------------
NAIVE_CHANGES = ("SELECT gid FROM earned.facts WHERE (xid, change_id) > (%s::text::xid8, %s)"
                 " ORDER BY xid, change_id")


def test_the_change_feed_never_skips_a_transaction_that_commits_late(team):
    account = claim(team.alice, "Acme", "acme.com")
    with team.alice.transaction():
        early = add_fact(team.alice, account, "written first, committed last")  # T1: the smaller xid
        late = add_fact(team.bob, account, "written second, committed first")  # T2, autocommit
        # Without the snapshot condition a client would read T2's row now and move its cursor past T1 for good.
        assert [r[0] for r in team.bob.execute(NAIVE_CHANGES, ("0", 0))] == [late]
        assert server.changes(team.bob, "facts", (0, 0), 100) == []
    rows = server.changes(team.bob, "facts", (0, 0), 100)
    assert [r["gid"] for r in rows] == [early, late]
    assert rows[0]["xid"] < rows[1]["xid"] and isinstance(rows[0]["xid"], int)

    # Page by page from the cursor; a row changed again (a tombstone) comes again, after the cursor.
    cursor = (rows[0]["xid"], rows[0]["change_id"])
    assert [r["gid"] for r in server.changes(team.bob, "facts", cursor, 100)] == [late]
    cursor = (rows[1]["xid"], rows[1]["change_id"])
    assert server.changes(team.bob, "facts", cursor, 100) == []
    team.alice.execute("UPDATE earned.facts SET deleted_at = now() WHERE gid = %s AND deleted_at IS NULL", (early,))
    again = server.changes(team.bob, "facts", cursor, 100)
    assert [(r["gid"], r["deleted_at"] is not None) for r in again] == [(early, True)]
    # Tombstoned again by a retried sync: no change, nothing new to pull.
    team.alice.execute("UPDATE earned.facts SET deleted_at = deleted_at WHERE gid = %s", (early,))
    assert server.changes(team.bob, "facts", (again[0]["xid"], again[0]["change_id"]), 100) == []


def test_a_client_cannot_stamp_its_own_place_in_the_feed(team):
    account = claim(team.alice, "Acme", "acme.com")
    team.alice.execute("INSERT INTO earned.facts (gid, account_gid, kind, text, xid, change_id)"
                       " VALUES (%s, %s, 'note', 'x', '1'::xid8, 1)", (uuid.uuid4(), account))
    row = server.changes(team.bob, "facts", (0, 0), 10)[0]
    assert row["xid"] > 1 and row["change_id"] > 1
    with pytest.raises(ValueError):
        server.changes(team.bob, "pg_authid", (0, 0), 10)


# -- row-level security ----------------------------------------------------------------------------------
def test_a_rep_cannot_rewrite_or_delete_another_reps_sent_log_or_notes(team):
    account = claim(team.alice, "Acme", "acme.com")
    touch, note = add_touch(team.alice, account), add_fact(team.alice, account, "Alice's note")
    bob = team.bob

    assert bob.execute("UPDATE earned.touches SET deleted_at = now() WHERE gid = %s", (touch,)).rowcount == 0
    assert bob.execute("UPDATE earned.facts SET deleted_at = now() WHERE gid = %s", (note,)).rowcount == 0
    assert bob.execute("UPDATE earned.facts SET text = 'Bob was here' WHERE gid = %s", (note,)).rowcount == 0
    with pytest.raises(errors.InsufficientPrivilege):  # the sent log is append-only, even for its author
        bob.execute("UPDATE earned.touches SET text = 'Bob was here' WHERE gid = %s", (touch,))
    for table, gid in (("touches", touch), ("facts", note), ("accounts", account)):
        with pytest.raises(errors.InsufficientPrivilege):
            bob.execute(f"DELETE FROM earned.{table} WHERE gid = %s", (gid,))
    assert team.admin.execute("SELECT text, deleted_at FROM earned.touches").fetchall() == [("Hello", None)]
    assert team.admin.execute("SELECT text, deleted_at FROM earned.facts").fetchall() == [("Alice's note", None)]

    # Her own tombstone works.
    assert team.alice.execute("UPDATE earned.touches SET deleted_at = now() WHERE gid = %s", (touch,)).rowcount == 1


def test_a_rep_cannot_write_a_row_as_another_rep(team):
    account = claim(team.alice, "Acme", "acme.com")
    bob, alice = team.bob, team.alice_role
    attempts = [
        ("INSERT INTO earned.touches (gid, account_gid, kind, text, sent_at, created_by)"
         " VALUES (%s, %s, 'email', 'hi', now(), %s)", (uuid.uuid4(), account, alice)),
        ("INSERT INTO earned.facts (gid, account_gid, kind, text, created_by) VALUES (%s, %s, 'note', 'x', %s)",
         (uuid.uuid4(), account, alice)),
        ("INSERT INTO earned.do_not_contact (gid, email, reason, created_by) VALUES (%s, 'a@b.c', 'asked', %s)",
         (uuid.uuid4(), alice)),
        ("INSERT INTO earned.ownership (account_gid, owner, expires_at) VALUES (%s, %s, now() + interval '1 day')",
         (account, alice)),
        ("INSERT INTO earned.account_history (account_gid, field, value, value_at, value_by)"
         " VALUES (%s, 'email', 'made up', now(), %s)", (account, alice)),
        ("INSERT INTO earned.reps (role, display_name) VALUES (%s, 'Not Alice')", (alice,)),
        # An edit passed off as hers: versions are signed by whoever writes them.
        ("UPDATE earned.accounts SET company = 'Acme Evil', versions = versions || jsonb_build_object("
         "'company', jsonb_build_object('at', now()::text, 'by', %s::text)) WHERE gid = %s", (alice, account)),
        ("UPDATE earned.accounts SET created_by = %s WHERE gid = %s", (team.bob_role, account)),
        ("UPDATE earned.team_settings SET value = '1' WHERE key = 'ownership_days'", ()),
    ]
    for query, params in attempts:
        with pytest.raises(errors.InsufficientPrivilege):
            bob.execute(query, params)
    assert team.admin.execute("SELECT company, created_by FROM earned.accounts").fetchall() == [("Acme", alice)]
    assert one(team.admin, "SELECT (SELECT count(*) FROM earned.facts) + (SELECT count(*) FROM earned.touches)") == 0
    assert server.team_settings(bob)["ownership_days"] == 90


def test_accounts_are_shared_a_rep_edits_anothers_account_through_its_versions(team):
    account = claim(team.alice, "Acme", "acme.com")
    assert set_field(team.bob, account, "status", "meeting booked", at(5)) is True
    # Bob's own UPDATE works too, when it signs the new version as his.
    assert team.bob.execute(
        "UPDATE earned.accounts SET website = 'https://acme.example', versions = versions || jsonb_build_object("
        "'website', jsonb_build_object('at', %s::text, 'by', current_user::text)) WHERE gid = %s",
        (at(6).isoformat(), account)).rowcount == 1
    # ... but not a change nobody signed for, which the history could not attribute.
    with pytest.raises(errors.CheckViolation, match="new version"):
        team.bob.execute("UPDATE earned.accounts SET email = 'x@acme.com' WHERE gid = %s", (account,))
    assert team.alice.execute("SELECT status, website FROM earned.accounts").fetchone() == \
        ("meeting booked", "https://acme.example")
    # The overwritten website was Alice's: it is in the history as hers, recorded for Bob's edit.
    assert [(f, v, by, writer) for f, v, _, by, writer in history(team, account)] == \
        [("website", "https://acme.com", team.alice_role, team.bob_role)]


# -- ownership -------------------------------------------------------------------------------------------
def test_ownership_goes_to_the_first_claimant_until_the_claim_expires(team):
    account = claim(team.alice, "Acme", "acme.com")

    def claim_owner(conn, days=None):
        return one(conn, "SELECT earned.claim_ownership(%s, %s)", (account, days))

    def expires():
        return one(team.admin, "SELECT expires_at FROM earned.ownership WHERE account_gid = %s", (account,))

    assert claim_owner(team.alice) == team.alice_role
    first_expiry = expires()
    assert timedelta(days=89) < first_expiry - datetime.now(timezone.utc) <= timedelta(days=90)  # team setting
    assert claim_owner(team.bob, 30) == team.alice_role
    assert claim_owner(team.alice) == team.alice_role and expires() == first_expiry  # retried: unchanged
    assert team.bob.execute("UPDATE earned.ownership SET owner = current_user WHERE account_gid = %s",
                            (account,)).rowcount == 0

    team.admin.execute("UPDATE earned.ownership SET expires_at = now() - interval '1 second'")
    assert claim_owner(team.bob, 30) == team.bob_role
    assert claim_owner(team.alice, 30) == team.bob_role
    assert team.admin.execute("SELECT owner, expires_at - claimed_at FROM earned.ownership").fetchone() == \
        (team.bob_role, timedelta(days=30))


# -- reps and their passwords ----------------------------------------------------------------------------
def test_register_sets_the_reps_name_once(team):
    server.register(team.alice, "Alice A. Adams")
    row = team.admin.execute("SELECT display_name, change_id FROM earned.reps WHERE role = %s",
                             (team.alice_role,)).fetchone()
    server.register(team.alice, "Alice A. Adams")  # every sync does this: no change to pull
    assert team.admin.execute("SELECT display_name, change_id FROM earned.reps WHERE role = %s",
                              (team.alice_role,)).fetchone() == row == ("Alice A. Adams", row[1])
    with pytest.raises(InputError):
        server.register(team.alice, "  ")


def test_add_rep_checks_names_and_passwords(team):
    for role, password in (("Robert'); DROP TABLE x;--", "long-enough"), ("pg_bob", "long-enough"),
                           ("earned_rep", "long-enough"), ("carol", "short")):
        with pytest.raises(InputError):
            server.add_rep(team.admin, role, password, "Someone")
    with pytest.raises(InputError, match="already has a user"):
        server.add_rep(team.admin, team.alice_role, "another-password", "Alice Again")


def test_no_password_appears_in_an_error_or_the_server_log(team):
    wrong = "Tr0ub4dor-wrong-horse"
    url = team.db.url_for(team.alice_role)
    with pytest.raises(server.TeamAuthFailed) as caught:
        server.connect(url, wrong)
    in_url = url.replace(f"{team.alice_role}@", f"{team.alice_role}:{wrong}@")
    with pytest.raises(server.TeamAuthFailed) as caught_in_url:
        server.connect(in_url)
    with pytest.raises(server.TeamUnreachable) as unreachable:
        server.connect(f"postgresql://{team.alice_role}:{wrong}@127.0.0.1:1/x")
    with pytest.raises(InputError) as malformed:
        server.connect(f"postgresql://{team.alice_role}:{wrong}@127.0.0.1/x?sslmode")
    for exc in (caught.value, caught_in_url.value, unreachable.value, malformed.value):
        assert wrong not in str(exc) and wrong not in repr(exc)
        # Nothing chained either: psycopg's own exception holds the password in its pgconn.
        assert exc.__cause__ is None and exc.__context__ is None
    assert "refused the user name or password" in str(caught.value)

    # The admin creates a rep with every statement logged: the server only ever sees a SCRAM verifier.
    team.admin.execute("SET log_statement = 'all'")
    secret = "Correct-Horse-Battery-Staple"
    server.add_rep(team.admin, f"carol_{team.db.name}", secret, "Carol")
    assert server.connect(team.db.url_for(f"carol_{team.db.name}"), secret).close() is None
    log = team.cluster.log.read_text(errors="replace")
    assert "CREATE ROLE" in log and "SCRAM-SHA-256$" in log
    assert secret not in log and wrong not in log


# -- the fixture itself: the sync engine's tests stop and kill this server mid-sync --------------------------
def test_the_server_can_be_stopped_killed_and_started_again(team):
    account = claim(team.alice, "Acme", "acme.com")
    team.cluster.stop()
    with pytest.raises(psycopg.OperationalError) as lost:
        team.alice.execute("SELECT 1")
    assert isinstance(server.explain(lost.value), server.TeamUnreachable)
    with pytest.raises(server.TeamUnreachable):
        server.connect(team.db.url_for(team.bob_role), team.passwords[team.bob_role])

    team.cluster.start()
    bob = team.connect(team.bob_role)
    with bob.transaction():
        note = add_fact(bob, account, "committed before the crash")
    team.cluster.kill()
    assert not team.cluster.running()
    team.cluster.start()
    bob = team.connect(team.bob_role)
    assert one(bob, "SELECT text FROM earned.facts WHERE gid = %s", (note,)) == "committed before the crash"
