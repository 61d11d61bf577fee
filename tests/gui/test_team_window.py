"""Team mode in the real window: join from Settings > Team, see a teammate's account with its owner, and the
composer says who owns it and stops a second rep from writing."""
from __future__ import annotations

import pytest
from PySide6.QtWidgets import QDialog, QLabel, QLineEdit, QListWidget, QPlainTextEdit, QPushButton

from app.secrets import SecretStore
from app.services.team_service import TeamService
from app.storage.database import open_store
from app.storage.repo import WorkspaceRepo
from app.team import client
from tests.fixtures.postgres import postgres  # noqa: F401 - postgres is the fixture
from tests.helpers.team import team_database
from tests.helpers.window import checklist_text, find, trigger
from tests.unit.test_secrets import MemoryKeyring


@pytest.fixture
def team_db(postgres):  # noqa: F811
    return team_database(postgres, {"alice": "Alice Adams", "bob": "Bob Brown"}, "w")


def test_join_from_settings_and_a_teammates_account_is_theirs(qtbot, open_window, earned_home, tmp_path, team_db):
    url, password, name = team_db["alice"]
    alice = WorkspaceRepo(open_store(tmp_path / "alice.db").conn)
    keys = SecretStore(MemoryKeyring())
    client.connect(alice, url, name, password, keys)
    p = alice.add_prospect("Acme Robotics", "acme-robotics.example", "Sam Rivera")
    fact = alice.add_note(p.id, "Acme Robotics opened a second plant in Tacoma.")
    alice.record_touch(p.id, "first-touch", "Tacoma", f"Congrats on Tacoma [^{fact.id}].", [fact.id], [],
                       follow_up_days=3)
    client.sync(alice, keys)
    alice.conn.close()

    team = TeamService(earned_home / "earned.db", secrets=SecretStore(MemoryKeyring()))
    window = open_window(team=team)
    trigger(window, "settingsAction")
    qtbot.waitUntil(lambda: any(d.isVisible() for d in window.findChildren(QDialog)))
    dialog = next(d for d in window.findChildren(QDialog) if d.isVisible())
    url, password, name = team_db["bob"]
    find(dialog, QLineEdit, "teamUrlEdit").setText(url)
    find(dialog, QLineEdit, "teamNameEdit").setText(name)
    find(dialog, QLineEdit, "teamPasswordEdit").setText(password)
    find(dialog, QPushButton, "teamConnectButton").click()
    status = find(dialog, QLabel, "teamStatusLabel")
    qtbot.waitUntil(lambda: "Connected as Bob Brown" in status.text(), timeout=20_000)
    dialog.reject()

    prospects = find(window, QListWidget, "prospectList")
    qtbot.waitUntil(lambda: prospects.count() == 1 and "owner: Alice Adams" in prospects.item(0).text(),
                    timeout=20_000)
    composer = find(window, QPlainTextEdit, "composer")
    qtbot.waitUntil(lambda: composer.isEnabled() and window.session.team is not None, timeout=10_000)
    assert "owned by Alice Adams" in find(window, QLabel, "recipientLabel").text()
    fid = next(iter(window.session.facts))
    composer.setPlainText(f"Saw the Tacoma plant [^{fid}]. How is hiring going?")
    line = next(line for line in checklist_text(window) if " teammate-touch:" in line)
    assert line.startswith("✘") and "Alice Adams" in line
    assert not find(window, QPushButton, "copyButton").isEnabled()
    assert not find(window, QPushButton, "copyAnywayButton").isEnabled()  # not Bob's account: the owner's call
