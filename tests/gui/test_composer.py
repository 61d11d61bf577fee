"""Composer details: autosave and restart, chips, bad dialog input, late answers."""
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDialog, QLabel, QLineEdit, QListWidget, QPlainTextEdit, QPushButton, QSpinBox

from app.storage.database import open_store
from app.storage.repo import WorkspaceRepo
from tests.helpers.store import saved_draft
from tests.helpers.window import checklist_text, find, open_dialog, save_dialog, trigger


def seed(home, notes=("Opened a Reno cross-dock",)):
    store = open_store(home / "earned.db")
    repo = WorkspaceRepo(store.conn)
    p = repo.add_prospect("Harbor & Pine", "harborpine.example", "Dana")
    ids = [repo.add_note(p.id, n).id for n in notes]
    store.conn.close()
    return p.id, ids


def test_draft_autosaves_and_comes_back_after_restart(qtbot, open_window, earned_home):
    pid, (fid,) = seed(earned_home)
    window = open_window()
    composer = find(window, QPlainTextEdit, "composer")
    qtbot.waitUntil(composer.isEnabled)
    find(window, QLineEdit, "subjectEdit").setText("Reno 🚚")
    window.composer.kind.setCurrentIndex(window.composer.kind.findData("follow-up"))
    # QTest types ASCII only; the emoji and dash go in as a paste would.
    qtbot.keyClicks(composer, f"Saw the Reno news [^{fid}]")
    composer.insertPlainText(" — congrats!")
    body = f"Saw the Reno news [^{fid}] — congrats!"
    qtbot.waitUntil(lambda: saved_draft(earned_home / "earned.db", pid) == ("follow-up", "Reno 🚚", body), timeout=5000)
    window.close()

    again = open_window()
    composer = find(again, QPlainTextEdit, "composer")
    qtbot.waitUntil(lambda: composer.isEnabled() and composer.toPlainText() != "")
    assert composer.toPlainText() == body
    assert again.composer.current_kind() == "follow-up"
    # A follow-up carries the forwarded email's subject; the draft's own comes back on a first touch.
    again.composer.kind.setCurrentIndex(again.composer.kind.findData("first-touch"))
    assert find(again, QLineEdit, "subjectEdit").text() == "Reno 🚚"


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


TEAM_PACK = """\
[[rules]]
id = "one-ask"
applies_to = ["first-touch"]
description = "Exactly one question: our team's playbook."
source = "Team playbook."
pass_message = "One question."
params = { questions = 1 }
overridable = false

[[rules.checks]]
kind = "occurrence"
feature = "questions"
min = "$questions"
max = "$questions"
level = "fail"
message = "Ask exactly one question."
"""


def test_a_team_rule_pack_is_used_and_its_gate_holds(qtbot, open_window, earned_home):
    _, (fid,) = seed(earned_home)
    (earned_home / "rules").mkdir()
    (earned_home / "rules" / "outreach.toml").write_text(TEAM_PACK, encoding="utf-8")
    window = open_window()
    composer = find(window, QPlainTextEdit, "composer")
    qtbot.waitUntil(composer.isEnabled)
    assert window.composer.pack.get("one-ask").source == "Team playbook."
    assert not window.banner_row.isVisible()
    composer.setPlainText(f"Congrats on the Reno cross-dock [^{fid}]. Who runs it? How many doors?")
    line = next(line for line in checklist_text(window) if "one-ask" in line)
    assert line.startswith("✘")
    anyway = find(window, QPushButton, "copyAnywayButton")
    assert anyway.isVisible() and not anyway.isEnabled()  # the team made it a gate: no copying over it
    assert "one-ask can't be overridden" in anyway.toolTip()
    QGuiApplication.clipboard().setText("nothing copied")
    window.send_actions.copy(["one-ask"])  # not even by calling it directly
    assert QGuiApplication.clipboard().text() == "nothing copied"

    window.findChild(type(window.menuBar().actions()[0]), "ruleSettingsAction").trigger()
    qtbot.waitUntil(lambda: any(d.isVisible() for d in window.findChildren(QDialog)))
    dialog = next(d for d in window.findChildren(QDialog) if d.isVisible())
    assert dialog.findChild(QSpinBox, "one-ask.questions") is None  # not overridable: not tunable either
    assert dialog.findChild(QSpinBox, "follow-up-short.max_words") is not None
    dialog.reject()


def test_a_malformed_team_rule_pack_is_shown_and_the_builtin_rules_apply(qtbot, open_window, earned_home):
    seed(earned_home)
    (earned_home / "rules").mkdir()
    (earned_home / "rules" / "outreach.toml").write_text(TEAM_PACK.replace("min =", "minimum ="), encoding="utf-8")
    window = open_window()
    qtbot.waitUntil(window.banner_row.isVisible)
    text = window.banner.text()
    assert "built-in rules apply" in text and "outreach.toml:13: rule one-ask: unknown key 'minimum'" in text
    assert window.composer.pack.get("one-ask").source.startswith("Boomerang")


def test_fact_card_age_badges_follow_the_tuned_age_limits(qtbot, open_window, earned_home):
    from datetime import date, timedelta

    from app.ui.fact_cards import META_ROLE

    store = open_store(earned_home / "earned.db")
    repo = WorkspaceRepo(store.conn)
    p = repo.add_prospect("Harbor & Pine", "harborpine.example", "Dana")
    repo.add_fact(p.id, "news", "Harbor & Pine opened a cross-dock in Reno.", "https://news.example/a", "Gazette",
                  (date.today() - timedelta(days=30)).isoformat())
    repo.set_setting("rule_overrides", {"fresh-facts": {"news_days": 20}})
    store.conn.close()
    window = open_window()
    facts = find(window, QListWidget, "factList")
    qtbot.waitUntil(lambda: facts.count() == 1)
    assert facts.item(0).data(META_ROLE)["age"] == "stale"  # 30 days against the tuned 20 (the default 90: fresh)
