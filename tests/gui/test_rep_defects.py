"""The defects reps hit in a working day (issue 13), each shown fixed in the real window.

Numbers refer to the issue's list. Dialog focus, the checklist's keys, fact-card numbers and contrast
are tested with those widgets (tests/gui/test_dialogs.py, test_checklist_widget.py, ...); prospect
editing and the e-mail column in the store's tests."""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDialog, QLabel, QLineEdit, QListWidget, QPlainTextEdit, QPushButton

from app.research.facts import FoundFact
from app.storage.database import open_store
from app.storage.repo import WorkspaceRepo
from tests.helpers.window import UrlCatcher, checklist_text, find, store_change, trigger

ROOT = Path(__file__).resolve().parents[2]


def _seed(home, notes=("Opened a second cross-dock in Reno",), company="Harbor & Pine", sent=None):
    store = open_store(home / "earned.db")
    repo = WorkspaceRepo(store.conn)
    p = repo.add_prospect(company, "harborpine.example", "Dana Okafor")
    ids = [repo.add_note(p.id, n).id for n in notes]
    if sent:
        repo.record_touch(p.id, "first-touch", sent, f"Congrats on Reno [^{ids[0]}].", [ids[0]], [])
    store.conn.close()
    return p.id, ids


def _open(qtbot, open_window, earned_home, **seed):
    pid, ids = _seed(earned_home, **seed)
    window = open_window()
    composer = find(window, QPlainTextEdit, "composer")
    qtbot.waitUntil(lambda: composer.isEnabled() and window.research.facts.count() == len(ids))
    return window, composer, pid, ids


# -- 1. the window fits the screen -------------------------------------------------------------
@pytest.mark.parametrize("scale", ["1", "1.5"])
def test_every_control_of_every_kind_is_reachable_on_a_1024x768_screen(tmp_path, scale):
    """The window at 1024x768 (and at 150%: 683x512 logical pixels), in its own process: the offscreen
    platform reads the screen from a config file."""
    screen = tmp_path / "screen.json"
    screen.write_text(json.dumps({"screens": [{"name": "s", "x": 0, "y": 0, "width": 1024, "height": 768,
                                               "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}]}))
    env = {**os.environ, "QT_QPA_PLATFORM": f"offscreen:configfile={screen}", "QT_SCALE_FACTOR": scale,
           "EARNED_HOME": str(tmp_path / "home")}
    proc = subprocess.run([sys.executable, "-m", "tests.helpers.screen_check", str(tmp_path / "home")], cwd=ROOT,
                          env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    report = json.loads(proc.stdout.strip().splitlines()[-1])
    assert report["screen"] == ([1024, 768] if scale == "1" else [683, 512])
    for kind, seen in report["kinds"].items():
        assert seen["window_fits"], (kind, report["window"])
        assert seen["unreachable"] == [], (kind, seen["unreachable"])
        assert seen["copy_visible"], (kind, seen["copy"])


def test_the_first_size_fits_a_small_screen(qtbot, open_window):
    window = open_window()
    area = window.screen().availableGeometry()
    assert window.frameGeometry().width() <= area.width() and window.frameGeometry().height() <= area.height()


# -- 2. the mail app -------------------------------------------------------------------------------
@pytest.mark.qt_log_ignore("does not support QPlatformServices::openUrl")
def test_no_mail_app_logs_nothing_and_keeps_the_draft(qtbot, open_window, earned_home):
    window, composer, pid, (fid,) = _open(qtbot, open_window, earned_home)
    find(window, QLineEdit, "subjectEdit").setText("Reno check-ins")
    text = f"Congrats on the second cross-dock in Reno [^{fid}]. How are check-ins going?"
    composer.setPlainText(text)
    # No URL handler and no desktop: QDesktopServices.openUrl says it could not open the mail app.
    qtbot.mouseClick(find(window, QPushButton, "mailtoButton"), Qt.MouseButton.LeftButton)
    window.service.wait()
    qtbot.wait(50)
    assert composer.toPlainText() == text
    assert window.session.touches == []
    assert "No mail app could be opened" in window.banner.text()


def test_the_mail_app_gets_the_contacts_address(qtbot, open_window, earned_home):
    window, composer, pid, (fid,) = _open(qtbot, open_window, earned_home)
    store = open_store(earned_home / "earned.db")
    store.conn.execute("UPDATE prospects SET email = 'dana@harborpine.example' WHERE id = ?", (pid,))
    store.conn.commit()
    store.conn.close()
    window.session.reload()
    qtbot.waitUntil(lambda: getattr(window.session.prospect, "email", "") == "dana@harborpine.example")
    find(window, QLineEdit, "subjectEdit").setText("Reno check-ins")
    composer.setPlainText(f"Congrats on the second cross-dock in Reno [^{fid}]. How are check-ins going?")
    with UrlCatcher("mailto") as mail, store_change(qtbot, window, "touches"):
        qtbot.mouseClick(find(window, QPushButton, "mailtoButton"), Qt.MouseButton.LeftButton)
    assert mail.urls[0].toString().startswith("mailto:dana@harborpine.example?")


# -- 3. the subject -----------------------------------------------------------------------------
def test_the_subject_stays_in_reach_after_copy_and_a_follow_up_shows_its_fwd_subject(qtbot, open_window, earned_home):
    window, composer, pid, (fid,) = _open(qtbot, open_window, earned_home)
    subject = find(window, QLineEdit, "subjectEdit")
    subject.setText("Reno check-ins")
    composer.setPlainText(f"Congrats on the second cross-dock in Reno [^{fid}]. How are check-ins going?")
    with store_change(qtbot, window, "touches"):
        qtbot.mouseClick(find(window, QPushButton, "copyButton"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: find(window, QLabel, "sentLabel").isVisible())
    assert "Reno check-ins" in find(window, QLabel, "sentLabel").text()
    qtbot.mouseClick(find(window, QPushButton, "copySubjectButton"), Qt.MouseButton.LeftButton)
    assert QGuiApplication.clipboard().text() == "Reno check-ins"
    # The next message is the follow-up, and it shows the subject it will carry.
    qtbot.waitUntil(lambda: window.composer.current_kind() == "follow-up")
    assert subject.text() == "Fwd: Reno check-ins" and subject.isReadOnly()


# -- 6. research never steals the selection ---------------------------------------------------------
def test_research_adding_facts_keeps_the_reps_selection(qtbot, open_window, earned_home):
    window, composer, pid, ids = _open(qtbot, open_window, earned_home,
                                       notes=("Opened a second cross-dock in Reno", "Hiring 12 supervisors"))
    facts = window.research.facts
    chosen = next(facts.item(i) for i in range(facts.count()) if "supervisors" in facts.item(i).text())
    facts.setCurrentItem(chosen)
    for i in range(3):
        with store_change(qtbot, window, "facts"):
            window.service.add_found_fact(pid, FoundFact("news", f"Harbor & Pine news item {i}.",
                                                         f"https://news.example/{i}", "Gazette", "2026-11-0" + str(i + 1),
                                                         score=9.0))
    assert facts.count() == 5
    assert "supervisors" in facts.currentItem().text()  # still the rep's choice
    qtbot.mouseClick(find(window, QPushButton, "citeButton"), Qt.MouseButton.LeftButton)
    assert f"[^{ids[1]}]" in composer.toPlainText()


def test_a_fact_saved_during_a_search_is_listed_and_citable(qtbot, open_window, earned_home):
    window, composer, pid, ids = _open(qtbot, open_window, earned_home)
    search = find(window, QLineEdit, "factSearch")
    with qtbot.waitSignal(window.session.search_changed, timeout=5000):
        search.setText("Reno")
    with store_change(qtbot, window, "facts"):
        window.service.add_found_fact(pid, FoundFact("news", "Harbor & Pine hired 40 drivers.",
                                                     "https://news.example/d", "Gazette", "2026-11-10"))
    new_id = next(f.id for f in window.session.facts.values() if "40 drivers" in f.text)
    composer.setPlainText("Forty new drivers ")
    window.research.fact_activated.emit(new_id)  # what a double-click on its card does
    assert f"[^{new_id}]" in composer.toPlainText()
    search.clear()
    qtbot.waitUntil(lambda: window.research.facts.count() == 2)
    assert any("40 drivers" in window.research.facts.item(i).text() for i in range(2))


# -- 7. the sent message names its facts ------------------------------------------------------------
def test_a_sent_message_shows_the_facts_it_cited(qtbot, open_window, earned_home):
    window, composer, pid, (fid,) = _open(qtbot, open_window, earned_home, sent="Reno")
    history = find(window, QListWidget, "touchHistory")
    qtbot.waitUntil(lambda: history.count() == 1)
    assert "Opened a second cross-dock" in history.item(0).text()
    history.setCurrentRow(0)
    qtbot.keyClick(history, Qt.Key.Key_Return)
    dialog = next(d for d in window.findChildren(QDialog) if d.isVisible())
    shown = " ".join(w.toPlainText() for w in dialog.findChildren(QPlainTextEdit)) + " ".join(
        w.text() for w in dialog.findChildren(QLabel))
    assert f"[^{fid}] Opened a second cross-dock in Reno" in shown and "(cited" not in shown


# -- 8. the follow-up box and its quick phrase --------------------------------------------------------
def test_a_follow_up_has_room_and_its_own_quick_phrase_passes(qtbot, open_window, earned_home):
    window, composer, pid, (fid,) = _open(qtbot, open_window, earned_home, sent="Reno")
    qtbot.waitUntil(lambda: window.composer.current_kind() == "follow-up")
    assert composer.height() >= composer.fontMetrics().lineSpacing() * 8
    buried = next(a for a in window.composer.quick if a.objectName() == "quickQuestion2")
    buried.trigger()
    assert composer.toPlainText() == "Want to follow up in case this e-mail got buried."
    line = next(line for line in checklist_text(window) if " follow-up-short:" in line)
    assert line.startswith("✔"), line


# -- 9. the checklist ---------------------------------------------------------------------------
def test_an_empty_draft_passes_nothing_and_the_last_explanation_goes_with_its_prospect(qtbot, open_window,
                                                                                        earned_home):
    window, composer, pid, (fid,) = _open(qtbot, open_window, earned_home)
    assert composer.toPlainText() == ""
    assert not any(line.startswith("✔") for line in checklist_text(window))
    assert not find(window, QPushButton, "copyButton").isEnabled()
    composer.setPlainText("Just checking in.")
    checklist = window.composer.checklist
    checklist.setCurrentRow(0)
    qtbot.keyClick(checklist, Qt.Key.Key_Return)
    why = find(window, QLabel, "ruleWhyLabel")
    assert why.text().startswith("cites-research:")
    with qtbot.waitCallback() as added:
        window.service.add_prospect("Bolt Freight").success(added)
    other = added.args[0].id
    window.research.select_prospect(other)
    qtbot.waitUntil(lambda: window.session.prospect_id == other and window.session.is_loaded)
    assert not why.text().startswith("cites-research:")


# -- 10. the kind follows the prospect ---------------------------------------------------------------
def test_the_kind_is_the_one_due_for_each_prospect(qtbot, open_window, earned_home):
    pid_sent, _ = _seed(earned_home, company="Acme Anvils", sent="Anvils")
    window, composer, pid, (fid,) = _open(qtbot, open_window, earned_home, company="Bolt Freight")
    window.research.select_prospect(pid_sent)
    qtbot.waitUntil(lambda: window.session.prospect_id == pid_sent and window.session.is_loaded)
    assert window.composer.current_kind() == "follow-up"
    window.research.select_prospect(pid)
    qtbot.waitUntil(lambda: window.session.prospect_id == pid and window.session.is_loaded)
    assert window.composer.current_kind() == "first-touch"


# -- 11. pin, and nothing jumps -------------------------------------------------------------------
def test_pin_says_unpin_and_the_card_moves_at_once(qtbot, open_window, earned_home):
    window, composer, pid, ids = _open(qtbot, open_window, earned_home,
                                       notes=("First note about Reno", "Second note about hiring"))
    facts = window.research.facts
    facts.setCurrentRow(facts.count() - 1)
    last = facts.currentItem().data(Qt.ItemDataRole.UserRole)
    pin = find(window, QPushButton, "pinFactButton")
    assert pin.text() == "Pin"
    with store_change(qtbot, window, "facts"):
        qtbot.mouseClick(pin, Qt.MouseButton.LeftButton)
    assert facts.item(0).data(Qt.ItemDataRole.UserRole) == last  # on top now, no reload needed
    assert facts.currentRow() == 0 and pin.text() == "Unpin"
    assert "📌" not in facts.item(0).text()


def test_changing_the_kind_or_reading_a_rule_moves_nothing_below(qtbot, open_window, earned_home):
    window, composer, pid, (fid,) = _open(qtbot, open_window, earned_home, sent="Reno")
    copy = find(window, QPushButton, "copyButton")
    checklist = window.composer.checklist

    def place():
        return copy.mapTo(window, copy.rect().topLeft()), checklist.mapTo(window.composer, checklist.rect().topLeft())

    kind = window.composer.kind
    kind.setCurrentIndex(kind.findData("first-touch"))
    before = place()
    kind.setCurrentIndex(kind.findData("linkedin-note"))
    kind.setCurrentIndex(kind.findData("first-touch"))
    composer.setPlainText("Just checking in.")
    checklist.setCurrentRow(0)
    qtbot.keyClick(checklist, Qt.Key.Key_Return)
    after = place()
    assert after[0] == before[0]


def test_every_rule_of_the_checklist_is_in_view_without_scrolling_the_list(qtbot, open_window, earned_home):
    window, composer, pid, (fid,) = _open(qtbot, open_window, earned_home)
    composer.setPlainText(f"Congrats on Reno [^{fid}]. How is it going?")
    checklist = window.composer.checklist

    def last_row_in_view() -> bool:
        return checklist.visualItemRect(checklist.item(checklist.count() - 1)).bottom() < checklist.viewport().height()

    qtbot.waitUntil(last_row_in_view)  # once the layout has run (the next repaint)
    assert checklist.verticalScrollBar().maximum() == 0


# -- 13. settings ----------------------------------------------------------------------------------
def test_two_quick_clicks_on_settings_open_one_dialog(qtbot, open_window):
    window = open_window()
    trigger(window, "settingsAction")
    trigger(window, "settingsAction")
    qtbot.waitUntil(lambda: any(d.isVisible() for d in window.findChildren(QDialog)))
    window.service.wait()
    qtbot.wait(50)
    assert len([d for d in window.findChildren(QDialog) if d.objectName() == "settingsDialog"]) == 1


def test_a_failed_settings_load_leaves_nothing_that_pops_up_later(qtbot, open_window, monkeypatch):
    window = open_window()
    real = WorkspaceRepo.get_setting

    def unreadable(self, key, default=None):
        raise OSError("the settings could not be read")

    monkeypatch.setattr(WorkspaceRepo, "get_setting", unreadable)
    trigger(window, "settingsAction")
    qtbot.waitUntil(lambda: window.banner_row.isVisible())
    monkeypatch.setattr(WorkspaceRepo, "get_setting", real)
    with store_change(qtbot, window, "settings"):
        window.service.save_settings({"follow_up_days": 4})
    qtbot.wait(50)
    assert not any(d.isVisible() for d in window.findChildren(QDialog))
    trigger(window, "settingsAction")  # and the next click still opens it
    qtbot.waitUntil(lambda: any(d.isVisible() for d in window.findChildren(QDialog)))


# -- contrast ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("kind", ["first-touch", "follow-up", "linkedin-note", "call-script"])
def test_every_text_in_the_window_is_readable(qtbot, open_window, earned_home, kind):
    from app.ui.contrast import low_contrast_texts

    window, composer, pid, (fid,) = _open(qtbot, open_window, earned_home, sent="Reno")
    window.composer.kind.setCurrentIndex(window.composer.kind.findData(kind))
    composer.setPlainText(f"Just checking in about Reno [^{fid}].")
    window.show_notice("A notice the rep must be able to read.")
    assert low_contrast_texts(window) == []


def test_the_settings_dialog_is_readable(qtbot, open_window):
    from app.ui.contrast import low_contrast_texts

    window = open_window()
    trigger(window, "settingsAction")
    qtbot.waitUntil(lambda: any(d.isVisible() for d in window.findChildren(QDialog)))
    dialog = next(d for d in window.findChildren(QDialog) if d.isVisible())
    assert low_contrast_texts(dialog) == []


# -- also expected of a composer -------------------------------------------------------------------
def test_preview_shows_the_message_as_the_prospect_gets_it_and_copy_sends(qtbot, open_window, earned_home):
    window, composer, pid, (fid,) = _open(qtbot, open_window, earned_home)
    find(window, QLineEdit, "subjectEdit").setText("Reno check-ins")
    composer.setPlainText(f"Congrats on the second cross-dock in Reno [^{fid}]. How are check-ins going?")
    trigger(window, "previewAction")
    dialog = next(d for d in window.findChildren(QDialog) if d.isVisible())
    shown = dialog.shown_text() + " ".join(label.text() for label in dialog.findChildren(QLabel))
    assert "Reno check-ins" in shown and "How are check-ins going?" in shown and "[^" not in shown
    with store_change(qtbot, window, "touches"):
        qtbot.mouseClick(find(dialog, QPushButton, dialog.copy_button.objectName()), Qt.MouseButton.LeftButton)
    assert QGuiApplication.clipboard().text().startswith("Congrats on the second cross-dock in Reno.")


def test_undo_send_takes_it_out_of_the_log_and_brings_the_text_back(qtbot, open_window, earned_home):
    window, composer, pid, (fid,) = _open(qtbot, open_window, earned_home)
    text = f"Congrats on the second cross-dock in Reno [^{fid}]. How are check-ins going?"
    find(window, QLineEdit, "subjectEdit").setText("Reno check-ins")
    composer.setPlainText(text)
    with store_change(qtbot, window, "touches"):
        qtbot.mouseClick(find(window, QPushButton, "copyButton"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: composer.toPlainText() == "" and find(window, QPushButton, "undoSendButton").isVisible())
    with store_change(qtbot, window, "touches"):
        qtbot.mouseClick(find(window, QPushButton, "undoSendButton"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: composer.toPlainText() == text)
    assert window.session.touches == [] and window.composer.current_kind() == "first-touch"
    assert find(window, QLineEdit, "subjectEdit").text() == "Reno check-ins"
    assert window.session.prospect.status == "new"


# -- the whole flow from the keyboard ---------------------------------------------------------------
def test_pick_cite_write_and_copy_without_the_mouse(qtbot, open_window, earned_home):
    from PySide6.QtWidgets import QApplication

    _seed(earned_home, company="Acme Anvils")
    pid, (fid,) = _seed(earned_home, company="Bolt Freight", notes=("Bolt opened a Reno cross-dock in October",))
    window = open_window()
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)

    def keys(*sequence):  # each to the widget that has the focus, as a keyboard sends them
        for key in sequence:
            target = QApplication.focusWidget()
            if isinstance(key, str):
                qtbot.keyClicks(target, key)
            elif isinstance(key, tuple):
                qtbot.keyClick(target, *key)
            else:
                qtbot.keyClick(target, key)

    ctrl = Qt.KeyboardModifier.ControlModifier
    keys((Qt.Key.Key_1, ctrl))  # Go > Prospect list
    assert QApplication.focusWidget() is window.research.prospects
    keys(Qt.Key.Key_Home, Qt.Key.Key_Down)  # Acme Anvils, then Bolt Freight
    qtbot.waitUntil(lambda: window.session.prospect_id == pid and window.session.is_loaded)
    keys((Qt.Key.Key_2, ctrl))  # Go > Facts: the best fact is current
    assert QApplication.focusWidget() is window.research.facts
    keys((Qt.Key.Key_3, ctrl))  # Go > Message
    assert QApplication.focusWidget() is window.composer.body
    keys("Congrats on the Reno cross-dock")
    keys((Qt.Key.Key_C, ctrl | Qt.KeyboardModifier.ShiftModifier))  # Cite the selected fact
    keys(". How are check-ins going?", (Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier))  # to the subject
    assert QApplication.focusWidget() is find(window, QLineEdit, "subjectEdit")
    keys("Reno check-ins")
    with store_change(qtbot, window, "touches"):
        keys((Qt.Key.Key_Return, ctrl))  # Compose > Copy message
    assert QGuiApplication.clipboard().text() == "Congrats on the Reno cross-dock. How are check-ins going?"
    assert window.session.touches[-1].cited_fact_ids == (fid,)


def _spelling_underlines(editor) -> list[str]:
    from PySide6.QtGui import QTextCharFormat

    out = []
    block = editor.document().firstBlock()
    while block.isValid():
        for r in block.layout().formats():
            if r.format.underlineStyle() == QTextCharFormat.UnderlineStyle.SpellCheckUnderline:
                out.append(block.text()[r.start:r.start + r.length])
        block = block.next()
    return out


def test_a_misspelling_is_underlined_once_typed_and_an_added_word_is_kept(qtbot, open_window, earned_home):
    window, composer, pid, (fid,) = _open(qtbot, open_window, earned_home)
    assert window.spelling_actions.speller is None  # not loaded before the rep writes
    qtbot.keyClicks(composer, "We ")  # the first key in the message box loads the dictionary
    qtbot.waitUntil(lambda: window.spelling_actions.speller is not None, timeout=10_000)
    qtbot.keyClicks(composer, "recieve")
    assert _spelling_underlines(composer) == []  # still being typed
    qtbot.keyClicks(composer, " ")
    assert _spelling_underlines(composer) == ["recieve"]  # one keystroke later
    # Harbor & Pine and Dana Okafor are the prospect's own names: never flagged.
    qtbot.keyClicks(composer, "Harbor Okafor teh ")
    assert _spelling_underlines(composer) == ["recieve", "teh"]
    with store_change(qtbot, window, "settings"):
        composer.highlighter.add_word("recieve")  # what "Add to dictionary" in its context menu does
    assert _spelling_underlines(composer) == ["teh"]
    window.close()
    again = open_window()
    box = find(again, QPlainTextEdit, "composer")
    qtbot.waitUntil(box.isEnabled)
    qtbot.keyClicks(box, "x")
    qtbot.waitUntil(lambda: again.spelling_actions.speller is not None, timeout=10_000)
    assert "recieve" in again.spelling_actions.own_words


# -- 5 and 12. prospects can be edited, merged, deleted, reopened; they have an e-mail ------------------------
def _dialog(qtbot, window, name):
    qtbot.waitUntil(lambda: any(d.isVisible() and d.objectName() == name for d in window.findChildren(QDialog)))
    return next(d for d in window.findChildren(QDialog) if d.isVisible() and d.objectName() == name)


def test_adding_a_company_again_offers_the_one_there_and_editing_adds_its_email(qtbot, open_window, earned_home):
    window, composer, pid, (fid,) = _open(qtbot, open_window, earned_home)
    prospects = window.research.prospects
    qtbot.mouseClick(find(window, QPushButton, "newProspectButton"), Qt.MouseButton.LeftButton)
    dialog = _dialog(qtbot, window, "newProspectDialog")
    qtbot.keyClicks(find(dialog, QLineEdit, "companyEdit"), "Harbor and Pine, Inc.")
    assert find(dialog, QPushButton, "openExistingButton").isVisible()  # "Already in your list: Harbor & Pine"
    qtbot.mouseClick(find(dialog, QPushButton, "openExistingButton"), Qt.MouseButton.LeftButton)
    assert prospects.count() == 1 and not dialog.isVisible()  # no duplicate made

    qtbot.mouseClick(find(window, QPushButton, "editProspectButton"), Qt.MouseButton.LeftButton)
    dialog = _dialog(qtbot, window, "prospectDialog")
    assert find(dialog, QLineEdit, "companyEdit").text() == "Harbor & Pine"
    qtbot.keyClicks(find(dialog, QLineEdit, "emailEdit"), "dana@harborpine.example")
    with store_change(qtbot, window, "prospects"):
        qtbot.mouseClick(find(dialog, QPushButton, "dialogSaveButton"), Qt.MouseButton.LeftButton)
    assert window.session.prospect.email == "dana@harborpine.example"
    assert "dana@harborpine.example" in find(window, QLabel, "recipientLabel").text()


def test_disqualify_can_be_undone(qtbot, open_window, earned_home):
    window, composer, pid, (fid,) = _open(qtbot, open_window, earned_home)
    button = find(window, QPushButton, "disqualifyButton")
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    dialog = _dialog(qtbot, window, "disqualifyDialog")
    find(dialog, QLineEdit, "disqualifyReasonEdit").setText("No budget until 2027")
    with store_change(qtbot, window, "prospects"):
        qtbot.mouseClick(find(dialog, QPushButton, "dialogSaveButton"), Qt.MouseButton.LeftButton)
    assert button.text() == "Reopen"
    with store_change(qtbot, window, "prospects"):
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert window.session.prospect.status == "new" and button.text() == "Disqualify…"


def test_merge_two_look_alikes_and_delete_one(qtbot, open_window, earned_home):
    from PySide6.QtGui import QAction

    _seed(earned_home, company="Harbor & Pine Co.", notes=("Hiring 12 supervisors",))
    window, composer, pid, ids = _open(qtbot, open_window, earned_home, company="Harbor & Pine")
    prospects = window.research.prospects
    assert prospects.count() == 2
    find(window, QAction, "prospectMergeAction").trigger()  # with one selected: it and its look-alike
    dialog = _dialog(qtbot, window, "mergeProspectsDialog")
    with store_change(qtbot, window, "prospects"):
        qtbot.mouseClick(find(dialog, QPushButton, "mergeButton"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: prospects.count() == 1 and window.session.is_loaded and len(window.session.facts) == 2)

    find(window, QAction, "prospectDeleteAction").trigger()
    dialog = _dialog(qtbot, window, "confirmDeleteProspectDialog")
    assert "2 research facts and notes" in " ".join(label.text() for label in dialog.findChildren(QLabel))
    qtbot.mouseClick(find(dialog, QPushButton, "deleteProspectButton"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: prospects.count() == 0 and window.session.prospect is None)


def test_a_facts_date_and_source_are_edited_and_facts_filter_by_kind_and_sort_by_date(qtbot, open_window,
                                                                                        earned_home):
    from PySide6.QtWidgets import QComboBox

    window, composer, pid, (fid,) = _open(qtbot, open_window, earned_home)
    for i, day in enumerate(["2026-10-01", "2026-11-05"]):
        with store_change(qtbot, window, "facts"):
            window.service.add_found_fact(pid, FoundFact("news", f"Harbor & Pine news {i}.", f"https://n.example/{i}",
                                                         "Gazette", day, score=1.0 - i / 10))
    facts = window.research.facts
    facts.setCurrentRow(next(i for i in range(facts.count()) if "cross-dock" in facts.item(i).text()))
    qtbot.mouseClick(find(window, QPushButton, "editFactButton"), Qt.MouseButton.LeftButton)
    dialog = _dialog(qtbot, window, "editFactDialog")
    find(dialog, QLineEdit, "factPublishedEdit").setText("2026-09-15")
    find(dialog, QLineEdit, "factSourceUrlEdit").setText("https://harborpine.example/news/reno")
    with store_change(qtbot, window, "facts"):
        qtbot.mouseClick(find(dialog, QPushButton, "dialogSaveButton"), Qt.MouseButton.LeftButton)
    assert window.session.facts[fid].published == "2026-09-15"
    assert window.session.facts[fid].source_url == "https://harborpine.example/news/reno"

    kind = find(window, QComboBox, "factKindFilter")
    kind.setCurrentIndex(kind.findData("news"))
    assert facts.count() == 2 and all("NEWS" in facts.item(i).text() for i in range(2))
    kind.setCurrentIndex(kind.findData(""))
    sort = find(window, QComboBox, "factSort")
    sort.setCurrentIndex(sort.findData("oldest"))
    assert [facts.item(i).data(Qt.ItemDataRole.UserRole + 1).published for i in range(3)] == [
        "2026-09-15", "2026-10-01", "2026-11-05"]


def test_the_timeline_lists_what_happened_newest_first(qtbot, open_window, earned_home):
    from PySide6.QtGui import QAction

    window, composer, pid, (fid,) = _open(qtbot, open_window, earned_home, sent="Reno")
    find(window, QAction, "prospectTimelineAction").trigger()
    dialog = _dialog(qtbot, window, "timelineDialog")
    rows = find(dialog, QListWidget, "timelineList")
    texts = [rows.item(i).text() for i in range(rows.count())]
    assert any("Reno" in t for t in texts) and any("added" in t.lower() for t in texts)


def test_a_saved_signature_and_snippet_are_inserted_and_kept(qtbot, open_window, earned_home):
    from PySide6.QtGui import QAction

    window, composer, pid, (fid,) = _open(qtbot, open_window, earned_home)
    trigger(window, "snippetsAction")
    dialog = _dialog(qtbot, window, "snippetsDialog")
    find(dialog, QPlainTextEdit, "signatureEdit").setPlainText("Jordan Lee\nDockly")
    qtbot.mouseClick(find(dialog, QPushButton, "addSnippetButton"), Qt.MouseButton.LeftButton)
    find(dialog, QLineEdit, "snippetNameEdit").setText("Video offer")
    find(dialog, QPlainTextEdit, "snippetTextEdit").setPlainText("Would a two-minute video help?")
    with store_change(qtbot, window, "settings"):
        qtbot.mouseClick(find(dialog, QPushButton, "dialogSaveButton"), Qt.MouseButton.LeftButton)
    composer.setPlainText("Congrats on Reno. ")
    composer.moveCursor(composer.textCursor().MoveOperation.End)
    find(window, QAction, "insertSnippet0").trigger()
    find(window, QAction, "insertSignatureAction").trigger()
    assert composer.toPlainText() == "Congrats on Reno. Would a two-minute video help?\n\nJordan Lee\nDockly"
    window.close()
    again = open_window()
    qtbot.waitUntil(lambda: again.findChild(QAction, "insertSnippet0") is not None)
    assert again.findChild(QAction, "insertSnippet0").text() == "Video offer"


# -- 5. research without a website says what the rep can do ---------------------------------------------
def test_research_without_a_website_points_to_edit(qtbot, open_window, earned_home):
    from app.services.research_service import ResearchService

    store = open_store(earned_home / "earned.db")
    WorkspaceRepo(store.conn).add_prospect("Nowhere Freight", "")
    store.conn.close()
    off = {name: False for name in ("site", "feeds", "gdelt", "newsapi", "gnews", "sec")}
    research = ResearchService(earned_home / "earned.db", overrides={"sources": off})
    window = open_window(research=research)
    qtbot.waitUntil(lambda: window.research.research.isEnabled())
    with qtbot.waitSignal(research.finished, timeout=10_000):
        trigger(window, "researchAction")
    assert "press Edit… under Prospects" in window.banner.text()
    assert find(window, QPushButton, "editProspectButton").isEnabled()
