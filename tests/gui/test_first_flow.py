"""The first end-to-end flow, through the widgets a rep clicks."""
import sqlite3

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QLineEdit, QListWidget, QPlainTextEdit, QPushButton

from tests.helpers.window import checklist_text, find, open_dialog, save_dialog


def test_new_prospect_note_cite_copy(qtbot, open_window, earned_home):
    window = open_window()
    prospects = find(window, QListWidget, "prospectList")
    assert prospects.count() == 0

    dialog = open_dialog(qtbot, window, "newProspectButton")
    qtbot.keyClicks(find(dialog, QLineEdit, "companyEdit"), "Harbor & Pine Freight")
    qtbot.keyClicks(find(dialog, QLineEdit, "websiteEdit"), "harborpine.example")
    qtbot.keyClicks(find(dialog, QLineEdit, "contactEdit"), "Dana Okafor")
    save_dialog(qtbot, dialog)
    qtbot.waitUntil(lambda: prospects.count() == 1 and prospects.currentItem() is not None)
    assert "Harbor & Pine Freight" in prospects.item(0).text()

    composer = find(window, QPlainTextEdit, "composer")
    qtbot.waitUntil(composer.isEnabled)
    dialog = open_dialog(qtbot, window, "addNoteButton")
    qtbot.keyClicks(find(dialog, QPlainTextEdit, "noteTextEdit"), "Opened a second cross-dock in Reno this spring.")
    save_dialog(qtbot, dialog)
    facts = find(window, QListWidget, "factList")
    qtbot.waitUntil(lambda: facts.count() == 1)
    assert "Reno" in facts.item(0).text()

    copy = find(window, QPushButton, "copyButton")
    find(window, QLineEdit, "subjectEdit").setText("Reno dock check-ins")
    qtbot.keyClicks(composer, "Congrats on the Reno cross-dock")
    assert not copy.isEnabled()
    assert any(line.startswith("✘") and "cites-research" in line for line in checklist_text(window))

    facts.setCurrentRow(0)
    qtbot.mouseClick(find(window, QPushButton, "citeButton"), Qt.MouseButton.LeftButton)
    qtbot.keyClicks(composer, ". How are check-ins going?")
    fact_id = facts.item(0).data(Qt.ItemDataRole.UserRole)
    assert f"[^{fact_id}]" in composer.toPlainText()
    assert any(line.startswith("✔") and "cites-research" in line for line in checklist_text(window))
    assert copy.isEnabled()

    qtbot.mouseClick(copy, Qt.MouseButton.LeftButton)
    expected = "Congrats on the Reno cross-dock. How are check-ins going?"
    assert QGuiApplication.clipboard().text() == expected
    qtbot.waitUntil(lambda: composer.toPlainText() == "")  # the draft became a sent message

    conn = sqlite3.connect(earned_home / "earned.db")
    touch = conn.execute("SELECT kind, subject, text, cited_fact_ids, follow_up_due FROM touches").fetchone()
    assert touch[:4] == ("first-touch", "Reno dock check-ins", expected, f"[{fact_id}]")
    assert touch[4] is not None
    assert conn.execute("SELECT count(*) FROM drafts").fetchone()[0] == 0
    assert "contacted" in prospects.item(0).text()
