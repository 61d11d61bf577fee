"""Composer details: autosave and restart, chips, bad dialog input, late answers."""
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QLineEdit, QListWidget, QPlainTextEdit, QPushButton

from app.storage.database import open_store
from app.storage.repo import WorkspaceRepo
from tests.gui.test_first_flow import checklist_text, find, open_dialog, save_dialog


def seed(home, notes=("Opened a Reno cross-dock",)):
    store = open_store(home / "earned.db")
    repo = WorkspaceRepo(store.conn)
    p = repo.add_prospect("Harbor & Pine", "harborpine.example", "Dana")
    ids = [repo.add_note(p.id, n).id for n in notes]
    store.conn.close()
    return p.id, ids


def test_draft_autosaves_and_comes_back_after_restart(qtbot, open_window, earned_home):
    _, (fid,) = seed(earned_home)
    window = open_window()
    composer = find(window, QPlainTextEdit, "composer")
    qtbot.waitUntil(composer.isEnabled)
    window.composer.kind.setCurrentIndex(window.composer.kind.findData("follow-up"))
    find(window, QLineEdit, "subjectEdit").setText("Reno 🚚")
    with qtbot.waitSignal(window.service.draft_saved, timeout=5000) as saved:
        # QTest types ASCII only; the emoji and dash go in as a paste would.
        qtbot.keyClicks(composer, f"Saw the Reno news [^{fid}]")
        composer.insertPlainText(" — congrats!")
    assert saved.args[0].body == f"Saw the Reno news [^{fid}] — congrats!"
    window.close()

    again = open_window()
    composer = find(again, QPlainTextEdit, "composer")
    qtbot.waitUntil(lambda: composer.isEnabled() and composer.toPlainText() != "")
    assert composer.toPlainText() == f"Saw the Reno news [^{fid}] — congrats!"
    assert find(again, QLineEdit, "subjectEdit").text() == "Reno 🚚"
    assert again.composer.current_kind() == "follow-up"


def test_unknown_citation_keeps_copy_disabled(qtbot, open_window, earned_home):
    seed(earned_home)
    window = open_window()
    composer = find(window, QPlainTextEdit, "composer")
    qtbot.waitUntil(composer.isEnabled)
    qtbot.keyClicks(composer, "Congrats on the plant [^999].")
    assert not find(window, QPushButton, "copyButton").isEnabled()
    assert any("[^999]" in line and line.startswith("✘") for line in checklist_text(window))


def test_backspace_deletes_a_citation_chip_whole(qtbot, open_window, earned_home):
    _, (fid,) = seed(earned_home)
    window = open_window()
    composer = find(window, QPlainTextEdit, "composer")
    qtbot.waitUntil(lambda: composer.isEnabled() and find(window, QListWidget, "factList").count() == 1)
    composer.insertPlainText("Congrats 🎉")
    qtbot.mouseClick(find(window, QPushButton, "citeButton"), Qt.MouseButton.LeftButton)
    assert composer.toPlainText() == f"Congrats 🎉 [^{fid}]"
    qtbot.keyClick(composer, Qt.Key.Key_Backspace)
    assert composer.toPlainText() == "Congrats 🎉 "
    assert not find(window, QPushButton, "copyButton").isEnabled()


def test_bad_dialog_input_is_explained_and_nothing_typed_is_lost(qtbot, open_window):
    window = open_window()
    dialog = open_dialog(qtbot, window, "newProspectButton")
    qtbot.keyClicks(find(dialog, QLineEdit, "websiteEdit"), "ftp://acme.example")
    qtbot.keyClicks(find(dialog, QLineEdit, "contactEdit"), "Sam Rivera")
    save_dialog(qtbot, dialog)
    error = find(dialog, QLabel, "dialogError")
    assert dialog.isVisible() and "Company name is empty" in error.text()
    qtbot.keyClicks(find(dialog, QLineEdit, "companyEdit"), "Acme")
    save_dialog(qtbot, dialog)
    assert dialog.isVisible() and "http:// or https://" in error.text()
    assert find(dialog, QLineEdit, "contactEdit").text() == "Sam Rivera"
    find(dialog, QLineEdit, "websiteEdit").setText("acme.example")
    save_dialog(qtbot, dialog)
    prospects = find(window, QListWidget, "prospectList")
    qtbot.waitUntil(lambda: prospects.count() == 1)
    assert "Sam Rivera" in prospects.item(0).text()


def test_demo_workspace_is_seeded_on_first_launch(qtbot, open_window):
    window = open_window(seed_demo=True)
    prospects = find(window, QListWidget, "prospectList")
    assert prospects.count() == 1 and "Harbor & Pine Freight" in prospects.item(0).text()
    facts = find(window, QListWidget, "factList")
    qtbot.waitUntil(lambda: facts.count() >= 3)


def test_scraped_html_in_a_fact_is_shown_as_text(qtbot, open_window, earned_home):
    seed(earned_home, notes=('<img src="http://127.0.0.1:9/x.png"><a href="javascript:alert(1)">click</a>',))
    window = open_window()
    facts = find(window, QListWidget, "factList")
    qtbot.waitUntil(lambda: facts.count() == 1)
    assert "<img src=" in facts.item(0).text()
    assert "&lt;img" in facts.tooltip_for(facts.item(0).data(Qt.ItemDataRole.UserRole + 1))  # escaped: not rendered
