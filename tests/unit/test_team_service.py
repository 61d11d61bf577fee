"""TeamService without a window: it joins, syncs off the UI thread, and tells the window what changed."""
from __future__ import annotations

import pytest

from app.secrets import SecretStore
from app.services.team_service import TeamService
from app.services.workspace_service import WorkspaceService
from app.storage.database import open_store
from app.storage.repo import WorkspaceRepo
from app.team import client
from tests.fixtures.postgres import postgres  # noqa: F401 - postgres is the fixture
from tests.helpers.team import team_database
from tests.unit.test_secrets import MemoryKeyring


@pytest.fixture
def team_db(postgres):  # noqa: F811
    return team_database(postgres, {"alice": "Alice", "bob": "Bob"}, "v")


def test_joining_and_syncing_in_the_background_reaches_the_window(qtbot, tmp_path, team_db):
    # Alice shares an account first, from her own workspace.
    url, password, _ = team_db["alice"]
    alice = WorkspaceRepo(open_store(tmp_path / "alice.db").conn)
    alice_keys = SecretStore(MemoryKeyring())
    client.connect(alice, url, "Alice", password, alice_keys)
    p = alice.add_prospect("Acme Robotics", "acme-robotics.example")
    alice.add_note(p.id, "Acme Robotics opened a second plant in Tacoma.")
    client.sync(alice, alice_keys)
    alice.conn.close()

    # Bob's window: the workspace service, and the team service beside it.
    workspace = WorkspaceService(tmp_path / "bob.db", seed_demo=False)
    with qtbot.waitCallback() as opened:
        workspace.open().success(opened)
    team = TeamService(workspace.db_path, workspace=workspace, secrets=SecretStore(MemoryKeyring()))
    changes = []
    workspace.changed.connect(changes.append)
    statuses = []
    team.status_changed.connect(statuses.append)
    url, password, _ = team_db["bob"]
    with qtbot.waitSignal(workspace.changed, timeout=20_000, check_params_cb=lambda c: c.reload):
        team.connect(url, "Bob", password)  # joins, then syncs at once
    qtbot.waitUntil(lambda: any(s.get("last_sync") for s in statuses), timeout=10_000)
    assert statuses[-1]["connected"] and statuses[-1]["pending"] == 0
    with qtbot.waitCallback() as listed:
        workspace.list_prospects().success(listed)
    assert [x.company for x in listed.args[0]] == ["Acme Robotics"]
    team.stop()
    workspace.close()


def test_a_rep_with_no_team_never_syncs(qtbot, tmp_path):
    workspace = WorkspaceService(tmp_path / "solo.db", seed_demo=False)
    with qtbot.waitCallback() as opened:
        workspace.open().success(opened)
    team = TeamService(workspace.db_path, workspace=workspace, secrets=SecretStore(MemoryKeyring()))
    with qtbot.waitSignal(team.status_changed, timeout=5000) as status:
        team.start()
    assert status.args[0]["connected"] is False
    qtbot.wait(100)
    assert not team.scheduled()  # nothing runs for a solo rep
    team.stop()
    workspace.close()
