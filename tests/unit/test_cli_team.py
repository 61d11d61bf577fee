"""`earned team connect|status|sync|disconnect` as a rep runs them: separate workspaces, the real keychain
(gnome-keyring on a private D-Bus), a real throwaway PostgreSQL server."""
from __future__ import annotations

import json

import pytest

from tests.conftest import run_app
from tests.fixtures.postgres import ADMIN, postgres  # noqa: F401 - postgres is the fixture
from tests.helpers.team import team_database


@pytest.fixture
def team_db(postgres):  # noqa: F811 - the imported fixture
    return team_database(postgres, {"alice": "Alice Adams", "bob": "Bob Brown"}, "c")


def _ok(proc):
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def test_two_reps_from_the_command_line(team_db, tmp_path, secret_service_env):
    homes = {rep: tmp_path / rep for rep in team_db}
    for rep, (url, password, name) in team_db.items():
        out = _ok(run_app(homes[rep], "team", "connect", "--url", url, "--name", name, input=password + "\n",
                          env=secret_service_env))
        assert f"as {name}" in out and password not in out
        assert password.encode() not in b"".join(p.read_bytes() for p in homes[rep].iterdir() if p.is_file())

    alice = homes["alice"]
    pid = int(_ok(run_app(alice, "prospect", "add", "--company", "Acme Robotics", "--website",
                          "acme-robotics.example")).strip())
    fid = int(_ok(run_app(alice, "notes", "add", "--prospect", str(pid), "--text",
                          "Acme Robotics opened a second plant in Tacoma.")).strip())
    draft = tmp_path / "draft.txt"
    draft.write_text(f"Subject: Tacoma plant\n\nCongrats on the second plant in Tacoma [^{fid}]. How is hiring going?\n",
                     encoding="utf-8")
    _ok(run_app(alice, "touches", "add", "--prospect", str(pid), "--kind", "first-touch", str(draft)))
    sent = json.loads(_ok(run_app(alice, "team", "sync", "--json", env=secret_service_env)))
    assert sent["pushed"] >= 3

    bob = homes["bob"]
    got = json.loads(_ok(run_app(bob, "team", "sync", "--json", env=secret_service_env)))
    assert got["pulled"]["accounts"] == 1 and got["pulled"]["touches"] == 1
    [acme] = json.loads(_ok(run_app(bob, "prospect", "list", "--json")))
    bob_fid = json.loads(_ok(run_app(bob, "notes", "list", "--prospect", str(acme["id"]), "--json")))[0]["id"]
    draft.write_text(f"Subject: Tacoma\n\nSaw the Tacoma plant news [^{bob_fid}]. How is hiring going?\n",
                     encoding="utf-8")
    checked = run_app(bob, "check", str(draft), "--prospect", str(acme["id"]), "--json")
    assert checked.returncode == 1
    rule = next(r for r in json.loads(checked.stdout)["rules"] if r["id"] == "teammate-touch")
    assert rule["status"] == "fail" and "Alice Adams" in rule["message"]
    # Logging a send over it is refused too (Bob does not own the account).
    refused = run_app(bob, "touches", "add", "--prospect", str(acme["id"]), "--kind", "first-touch", str(draft))
    assert refused.returncode == 1

    status = json.loads(_ok(run_app(bob, "team", "status", "--json")))
    assert status["connected"] and status["pending"] == 0 and status["last_sync"] and status["last_error"] == ""
    assert team_db["bob"][1] not in json.dumps(status)
    _ok(run_app(bob, "team", "disconnect", env=secret_service_env))
    assert not json.loads(_ok(run_app(bob, "team", "status", "--json")))["connected"]
    # Bob keeps what he had; he just stops sharing.
    assert len(json.loads(_ok(run_app(bob, "prospect", "list", "--json")))) == 1


def test_a_wrong_password_is_refused_in_words_and_never_echoed(team_db, tmp_path, secret_service_env):
    url, password, name = team_db["alice"]
    proc = run_app(tmp_path / "alice", "team", "connect", "--url", url, "--name", name, input="hunter2-nope\n",
                   env=secret_service_env)
    assert proc.returncode == 2 and "hunter2-nope" not in proc.stderr + proc.stdout
    assert "password" in proc.stderr.lower()
    assert not json.loads(_ok(run_app(tmp_path / "alice", "team", "status", "--json")))["connected"]


def test_the_admin_sets_up_the_server_and_a_rep_from_the_command_line(postgres, tmp_path, secret_service_env):  # noqa: F811
    db = postgres.new_database()
    admin_url = db.url_for(ADMIN)
    out = _ok(run_app(tmp_path / "admin", "team", "init-server", "--url", admin_url,
                      input=postgres.admin_password + "\n"))
    assert "ready" in out and postgres.admin_password not in out
    suffix = db.name.rsplit("_", 1)[1]
    role = f"dana_a{suffix}"
    _ok(run_app(tmp_path / "admin", "team", "add-rep", "--url", admin_url, "--role", role, "--name", "Dana Okafor",
                input=f"{postgres.admin_password}\ndana-password-{suffix}\n"))
    joined = run_app(tmp_path / "dana", "team", "connect", "--url", db.url_for(role), "--name", "Dana Okafor",
                     input=f"dana-password-{suffix}\n", env=secret_service_env)
    assert joined.returncode == 0, joined.stderr


def test_the_do_not_contact_list_is_the_teams(team_db, tmp_path, secret_service_env):
    homes = {rep: tmp_path / rep for rep in team_db}
    for rep, (url, password, name) in team_db.items():
        _ok(run_app(homes[rep], "team", "connect", "--url", url, "--name", name, input=password + "\n",
                    env=secret_service_env))
    alice, bob = homes["alice"], homes["bob"]
    pid = int(_ok(run_app(alice, "prospect", "add", "--company", "Quiet Co", "--website", "quiet.example")).strip())
    _ok(run_app(alice, "notes", "add", "--prospect", str(pid), "--text", "Quiet Co moved to Reno."))
    _ok(run_app(alice, "team", "dnc", "add", "--prospect", str(pid), "--reason", "Asked us to stop writing"))
    _ok(run_app(alice, "team", "sync", env=secret_service_env))
    _ok(run_app(bob, "team", "sync", env=secret_service_env))
    listed = json.loads(_ok(run_app(bob, "team", "dnc", "list", "--json")))
    assert [(r["company"], r["reason"]) for r in listed] == [("Quiet Co", "Asked us to stop writing")]
    [quiet] = json.loads(_ok(run_app(bob, "prospect", "list", "--json")))
    bob_fid = json.loads(_ok(run_app(bob, "notes", "list", "--prospect", str(quiet["id"]), "--json")))[0]["id"]
    draft = tmp_path / "d.txt"
    draft.write_text(f"Subject: Reno\n\nSaw the move to Reno [^{bob_fid}]. How is it going?\n", encoding="utf-8")
    checked = run_app(bob, "check", str(draft), "--prospect", str(quiet["id"]), "--json")
    hold = next(r for r in json.loads(checked.stdout)["rules"] if r["id"] == "team-hold")
    assert checked.returncode == 1 and hold["status"] == "fail" and "Asked us to stop writing" in hold["message"]
