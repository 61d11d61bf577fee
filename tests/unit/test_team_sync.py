"""Team sync end to end: reps with their own workspaces, a real throwaway PostgreSQL server (tests/fixtures/
postgres.py), the real sync engine; crashes of either side mid-sync lose nothing."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from app.compose import check_text
from app.core.errors import EarnedError
from app.secrets import SecretStore
from app.storage.database import open_store
from app.storage.repo import WorkspaceRepo
from app.team import client, server
from tests.conftest import ROOT
from tests.fixtures.postgres import ADMIN, postgres  # noqa: F401 - postgres is the fixture
from tests.unit.test_secrets import MemoryKeyring


class Rep:
    """A rep: their own workspace file and keychain, connected to the team's database as their own role."""

    def __init__(self, home: Path, url: str, password: str, name: str):
        self.home, self.url, self.password, self.name = home, url, password, name
        home.mkdir(parents=True, exist_ok=True)
        self.db = home / "earned.db"
        self.repo = WorkspaceRepo(open_store(self.db).conn)
        self.secrets = SecretStore(MemoryKeyring())

    def connect(self) -> dict:
        return client.connect(self.repo, self.url, self.name, self.password, self.secrets)

    def sync(self, batch: int | None = None) -> dict:
        return client.sync(self.repo, self.secrets, batch=batch)

    def prospect(self, company: str):
        return next(p for p in self.repo.list_prospects() if p.company == company)


class Team:
    def __init__(self, cluster, tmp_path: Path):
        self.cluster, self.tmp = cluster, tmp_path
        self.db = cluster.new_database()
        server.init_server(self.db.url_for(ADMIN), cluster.admin_password)
        self.admin = server.connect(self.db.url_for(ADMIN), cluster.admin_password)
        self.suffix = self.db.name.rsplit("_", 1)[1]
        self.reps: list[Rep] = []

    def rep(self, first: str, name: str) -> Rep:
        role, password = f"{first}_s{self.suffix}", f"{first}-password-{self.suffix}"
        server.add_rep(self.admin, role, password, name)
        rep = Rep(self.tmp / first, self.db.url_for(role), password, name)
        self.reps.append(rep)
        return rep

    def count(self, table: str) -> int:
        return self.admin.execute(f"SELECT count(*) FROM earned.{table}").fetchone()[0]

    def close(self) -> None:
        for rep in self.reps:
            rep.repo.conn.close()
        self.admin.close()


@pytest.fixture
def team(postgres, tmp_path):  # noqa: F811 - the imported fixture
    team = Team(postgres, tmp_path)
    try:
        yield team
    finally:
        team.close()


def _seed(rep: Rep, company: str = "Acme Robotics", website: str = "acme-robotics.example"):
    p = rep.repo.add_prospect(company, website, "Sam Rivera")
    fact = rep.repo.add_note(p.id, f"{company} opened a second plant in Tacoma in October.")
    touch = rep.repo.record_touch(p.id, "first-touch", "Tacoma plant", f"Congrats on the Tacoma plant [^{fact.id}].",
                                  [fact.id], [], follow_up_days=3)
    return p, fact, touch


def test_a_teammate_sees_the_account_its_research_and_the_touch_and_is_stopped_from_writing(team):
    alice, bob = team.rep("alice", "Alice Adams"), team.rep("bob", "Bob Brown")
    alice.connect()
    p, fact, touch = _seed(alice)
    report = alice.sync()
    assert report["pushed"] >= 3 and team.count("accounts") == 1 and team.count("touches") == 1

    bob.connect()
    bob.sync()
    acme = bob.prospect("Acme Robotics")
    assert [f.text for f in bob.repo.list_facts(acme.id)] == [fact.text]
    assert bob.repo.list_touches(acme.id) == []  # Bob's own sent log: he sent nothing
    [theirs] = bob.repo.team_touches(acme.id)
    assert theirs.subject == "Tacoma plant" and theirs.sent_by == alice.url.split("//")[1].split("@")[0]
    assert acme.owner == "Alice Adams" and acme.last_team_touch.startswith("Alice Adams, ")

    # Bob's draft to Acme fails teammate-touch, and says who.
    context = bob.repo.team_context_if_connected(acme.id)
    facts = [f.as_check_dict() for f in bob.repo.list_facts(acme.id)]
    draft = f"Subject: Tacoma\n\nSaw the second plant in Tacoma [^{facts[0]['id']}]. How is hiring going?"
    result = check_text(draft, "first-touch", facts, company="Acme Robotics", team=context)
    rule = next(r for r in result["rules"] if r["id"] == "teammate-touch")
    assert rule["status"] == "fail" and "Alice Adams" in rule["message"]
    # Alice, who owns it, is not stopped by her own touch.
    mine = alice.repo.team_context_if_connected(p.id)
    assert mine.owner_is_me and mine.last_team_touch is None


def test_the_same_company_added_by_two_reps_is_one_account(team):
    alice, bob = team.rep("alice", "Alice Adams"), team.rep("bob", "Bob Brown")
    alice.connect()
    bob.connect()
    _seed(alice, "Acme Robotics", "acme-robotics.example")
    bob.repo.add_prospect("ACME Robotics, Inc.", "https://www.acme-robotics.example/about")
    alice.sync()
    bob.sync()
    assert team.count("accounts") == 1
    assert [p.company for p in bob.repo.list_prospects()] == ["Acme Robotics"]  # merged into the team's
    alice.sync()
    assert len(alice.repo.list_prospects()) == 1


def test_concurrent_edits_keep_the_later_one_and_the_other_in_history(team):
    alice, bob = team.rep("alice", "Alice Adams"), team.rep("bob", "Bob Brown")
    alice.connect()
    p, _, _ = _seed(alice)
    alice.sync()
    bob.connect()
    bob.sync()
    acme = bob.prospect("Acme Robotics")
    # Both edit the contact offline; Bob's edit is the later one, but Alice syncs last.
    alice.repo.update_prospect(p.id, p.company, p.website, "Sam Rivera-Lee", p.role, p.email)
    # (Bob's edit is later, or in the same millisecond, where the greater role name, Bob's, wins the tie.)
    bob.repo.update_prospect(acme.id, acme.company, acme.website, "Samantha Rivera", acme.role, acme.email)
    bob.sync()
    report = alice.sync()
    bob.sync()
    assert report["lost_edits"] == 1
    assert alice.prospect("Acme Robotics").contact_name == bob.prospect("Acme Robotics").contact_name \
        == "Samantha Rivera"
    kept = alice.repo.conn.execute("SELECT value FROM field_history WHERE field = 'contact_name'").fetchall()
    assert ("Sam Rivera-Lee",) in [tuple(r) for r in kept]
    # ... and shown to the rep, in the prospect's timeline.
    lines = [e.text for e in alice.repo.timeline(p.id) if e.kind == "edit"]
    assert "Contact: your “Sam Rivera-Lee” was replaced by a later edit" in lines


def test_three_reps_in_their_own_processes_share_one_log(team):
    reps = [team.rep(n, f"{n.title()} Rep") for n in ("ann", "ben", "cal")]
    for rep in reps:
        rep.connect()
    for i, rep in enumerate(reps):
        p = rep.repo.add_prospect(f"Company {i}", f"company{i}.example")
        rep.repo.add_note(p.id, f"Company {i} hired a new COO.")
    procs = [subprocess.Popen([sys.executable, "-m", "tests.helpers.team_sync_proc", str(rep.db)], cwd=ROOT,
                              env={**os.environ, "EARNED_TEST_TEAM_PASSWORD": rep.password},
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for rep in reps]
    for proc in procs:
        out, err = proc.communicate(timeout=60)
        assert proc.returncode == 0 and "DONE" in out, err[-2000:]
    for rep in reps:
        rep.sync()
        assert sorted(p.company for p in rep.repo.list_prospects()) == ["Company 0", "Company 1", "Company 2"]
    assert team.count("accounts") == 3 and team.count("facts") == 3


def _local_counts(rep: Rep) -> tuple[int, int, int]:
    c = rep.repo.conn
    return tuple(c.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("prospects", "facts", "touches"))


def test_kill_9_during_a_sync_loses_nothing(team):
    alice = team.rep("alice", "Alice Adams")
    alice.connect()
    with alice.repo.transaction():
        for i in range(60):
            p = alice.repo.add_prospect(f"Firm {i:03d}", f"firm{i:03d}.example")
            for j in range(10):
                alice.repo.add_note(p.id, f"Firm {i:03d} fact {j}: opened site {j}.")
    alice.repo.conn.commit()
    env = {**os.environ, "EARNED_TEST_TEAM_PASSWORD": alice.password}
    for batches in (1, 3, 7, 12):  # a few kills, each after another pushed batch (the child goes on meanwhile)
        proc = subprocess.Popen([sys.executable, "-m", "tests.helpers.team_sync_proc", str(alice.db), "25"],
                                cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        assert proc.stdout.readline().strip() == "SYNCING"
        for _ in range(batches):
            assert proc.stdout.readline().strip() == "BATCH"
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        proc.stdout.close()
    alice.repo.conn.close()
    alice.repo = WorkspaceRepo(open_store(alice.db).conn)
    assert alice.repo.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    alice.sync()  # the next sync completes what the killed ones started
    assert client.status(alice.repo)["pending"] == 0
    assert (team.count("accounts"), team.count("facts")) == _local_counts(alice)[:2] == (60, 600)


@pytest.mark.parametrize("how", ["stopped", "killed"])
def test_the_server_going_away_mid_batch_loses_nothing_and_the_next_sync_completes(team, postgres, monkeypatch,  # noqa: F811
                                                                                   how):
    from app.team import sync as sync_module

    alice = team.rep("alice", "Alice Adams")
    alice.connect()
    with alice.repo.transaction():
        for i in range(40):
            p = alice.repo.add_prospect(f"Shop {i:03d}", f"shop{i:03d}.example")
            for j in range(10):
                alice.repo.add_note(p.id, f"Shop {i:03d} fact {j}.")
    real = sync_module.Syncer._push_batch
    calls = []

    def third_batch_without_a_server(self, rows, attempts=3):
        calls.append(len(rows))
        if len(calls) == 3:  # the server goes away as the third batch is sent: shut down, or kill -9
            postgres.stop("immediate") if how == "stopped" else postgres.kill()
        return real(self, rows, attempts)

    monkeypatch.setattr(sync_module.Syncer, "_push_batch", third_batch_without_a_server)
    with pytest.raises(EarnedError) as stopped:
        alice.sync(batch=10)
    assert "stopped answering" in str(stopped.value) and alice.password not in str(stopped.value)
    left = client.status(alice.repo)["pending"]
    assert 0 < left < 440  # two batches went through before the server went away
    monkeypatch.setattr(sync_module.Syncer, "_push_batch", real)
    postgres.start()
    team.admin.close()  # (its server went away)
    team.admin = server.connect(team.db.url_for(ADMIN), postgres.admin_password)
    assert team.count("facts") + team.count("accounts") == 440 - left  # what landed, landed whole
    alice.sync()
    assert client.status(alice.repo)["pending"] == 0
    assert (team.count("accounts"), team.count("facts")) == (40, 400)


def test_a_rep_with_no_team_notices_nothing(tmp_path):
    repo = WorkspaceRepo(open_store(tmp_path / "earned.db").conn)
    p = repo.add_prospect("Solo Co", "solo.example")
    repo.add_note(p.id, "Solo Co is hiring.")
    state = client.status(repo)
    assert not state["connected"] and state["pending"] == 0
    assert repo.team_context_if_connected(p.id) is None
    result = check_text("Subject: Hi\n\nHello [^1].", "first-touch", [], company="Solo Co", today=date(2026, 11, 23))
    assert not {"teammate-touch", "team-hold"} & {r["id"] for r in result["rules"]}
    with pytest.raises(EarnedError, match="not connected to a team"):
        client.sync(repo, SecretStore(MemoryKeyring()))
    repo.conn.close()


def test_the_password_is_kept_in_the_keychain_only(team):
    alice = team.rep("alice", "Alice Adams")
    alice.connect()
    files = b"".join(p.read_bytes() for p in alice.home.iterdir() if p.is_file())
    assert alice.password.encode() not in files
    assert client.status(alice.repo)["url"] == alice.url and alice.password not in alice.url
    bad = Rep(team.tmp / "mallory", alice.url, "not-the-password", "Mallory")
    with pytest.raises(EarnedError) as refused:
        bad.connect()
    assert "not-the-password" not in str(refused.value)
    bad.repo.conn.close()


def test_the_keychain_name_is_the_one_the_keychain_knows():
    from app import secrets

    store = secrets.SecretStore(MemoryKeyring())
    store.set(f"{client.TEAM_KEY}:postgresql://dana@db.example/earned", "pw-1234567")  # one per server and role
    assert client.TEAM_KEY == secrets.TEAM_SERVER_KEY
    with pytest.raises(ValueError):
        store.set("team-servr:x", "pw")  # a typo is still caught


def test_joining_keeps_each_prospects_status_for_the_team(team):
    alice, bob = team.rep("alice", "Alice Adams"), team.rep("bob", "Bob Brown")
    lost = alice.repo.add_prospect("Gone Co", "gone.example")
    alice.repo.set_status(lost.id, "disqualified", "Chose a competitor")
    p, _, _ = _seed(alice)  # contacted
    alice.connect()  # after the fact: everything is queued
    alice.sync()
    assert alice.prospect("Gone Co").status == "disqualified" and alice.prospect("Gone Co").status_reason
    assert alice.prospect("Acme Robotics").status == "contacted"
    bob.connect()
    bob.sync()
    assert (bob.prospect("Gone Co").status, bob.prospect("Gone Co").status_reason) == (
        "disqualified", "Chose a competitor")


def test_a_company_the_team_has_with_a_note_in_the_same_sync_lands_on_the_teams_account(team):
    alice, bob = team.rep("alice", "Alice Adams"), team.rep("bob", "Bob Brown")
    alice.connect()
    _seed(alice)
    alice.sync()
    bob.connect()
    mine = bob.repo.add_prospect("Acme Robotics Inc.", "acme-robotics.example")
    bob.repo.add_note(mine.id, "Acme Robotics is hiring welders in Tacoma.")
    bob.sync()  # the claim finds Alice's account; Bob's note goes to it in the same batch
    assert client.status(bob.repo)["pending"] == 0
    assert team.count("accounts") == 1 and team.count("facts") == 2
    alice.sync()
    texts = {f.text for f in alice.repo.list_facts(alice.prospect("Acme Robotics").id)}
    assert "Acme Robotics is hiring welders in Tacoma." in texts
