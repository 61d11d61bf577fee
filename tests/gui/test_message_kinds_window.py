"""LinkedIn notes and call scripts in the real window: the kind selector, no subject, the character count,
the checklist of the kind's rules, and Copy logging a touch of that kind in the sent log."""
import sqlite3

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QListWidget, QPushButton

from app.compose.rulepack import default_pack
from tests.gui.test_checklist_live import line_for, ready
from tests.helpers.window import checklist_text, find


def choose(qtbot, window, label: str) -> None:
    kind = find(window, QComboBox, "composerKind")
    index = kind.findText(label)
    assert index >= 0, [kind.itemText(i) for i in range(kind.count())]
    kind.setCurrentIndex(index)


def shown_rules(window) -> set[str]:
    """The rule ids the checklist lists (each row is "<mark>  <rule id>: <message>")."""
    return {line.split(None, 1)[1].split(":", 1)[0] for line in checklist_text(window)}


def test_the_kind_selector_offers_the_new_kinds_by_label(qtbot, open_window, earned_home):
    window, _, _ = ready(qtbot, open_window, earned_home)
    kind = find(window, QComboBox, "composerKind")
    offered = {kind.itemText(i): kind.itemData(i) for i in range(kind.count())}
    assert offered["LinkedIn note"] == "linkedin-note" and offered["Call script"] == "call-script"
    assert offered["First touch"] == "first-touch"


def test_linkedin_note_count_limit_and_copy_logs_the_touch(qtbot, open_window, earned_home):
    window, composer, (fid,) = ready(qtbot, open_window, earned_home)
    subject = find(window, QLineEdit, "subjectEdit")
    count = find(window, QLabel, "charCount")
    assert subject.isVisible() and not count.isVisible()
    subject.setText("Reno check-ins")  # typed for an email, before the rep switched: never sent with a note

    choose(qtbot, window, "LinkedIn note")
    assert window.composer.current_kind() == "linkedin-note"
    # The subject row stays (nothing below moves) but holds nothing a rep could type: a note has no subject.
    assert subject.isReadOnly() and subject.text() == "" and "No subject" in subject.placeholderText()
    assert count.isVisible() and count.text() == "0 / 300"
    assert not find(window, QPushButton, "mailtoButton").isVisible()
    shown = shown_rules(window)
    assert {"linkedin-short", "no-pitch", "cites-research"} <= shown
    assert not shown & {"subject", "length", "one-ask", "insight", "deliverability"}

    # The count follows the typing; a citation marker doesn't count.
    qtbot.keyClicks(composer, "Congrats")
    assert count.text() == "8 / 300"
    qtbot.keyClicks(composer, f" on the second cross-dock in Reno [^{fid}].")
    assert count.text() == f"{len('Congrats on the second cross-dock in Reno.')} / 300"

    # Over the limit: the rule fails, the count says so, Copy is off.
    composer.insertPlainText(" Glad to connect." * 16)
    over = len(composer.toPlainText().replace(f" [^{fid}]", ""))
    assert over > 300 and count.text() == f"{over} / 300"
    assert line_for(window, "linkedin-short").startswith("✘") and f"{over} characters" in line_for(
        window, "linkedin-short")
    assert not find(window, QPushButton, "copyButton").isEnabled()

    # A free account's 200 is the rule's setting: the count shows it.
    window.composer.set_pack(default_pack().tuned({"linkedin-short": {"max_chars": 200}}))
    assert count.text() == f"{over} / 200"
    window.composer.set_pack(default_pack())

    composer.clear()
    note = f"Congrats on the second cross-dock in Reno [^{fid}]. I follow how new docks handle carrier check-ins " \
           "and would be glad to connect."
    qtbot.keyClicks(composer, note)
    assert line_for(window, "linkedin-short").startswith("✔"), checklist_text(window)
    copy = find(window, QPushButton, "copyButton")
    assert copy.isEnabled(), checklist_text(window)
    with qtbot.waitSignal(window.session.touches_changed, timeout=5000):
        qtbot.mouseClick(copy, Qt.MouseButton.LeftButton)
    sent = note.replace(f" [^{fid}]", "")
    assert QGuiApplication.clipboard().text() == sent

    db = sqlite3.connect(earned_home / "earned.db")
    rows = db.execute("SELECT kind, subject, text, cited_fact_ids, follow_up_due FROM touches").fetchall()
    assert rows == [("linkedin-note", "", sent, f"[{fid}]", None)]
    db.close()
    history = find(window, QListWidget, "touchHistory")
    assert history.count() == 1 and "LinkedIn note" in history.item(0).text()
    assert "(no subject)" not in history.item(0).text()
    assert "contacted" in window.research.prospects.currentItem().text()


def test_call_script_has_no_subject_nor_count_and_its_rules(qtbot, open_window, earned_home):
    window, composer, (fid,) = ready(qtbot, open_window, earned_home)
    choose(qtbot, window, "Call script")
    subject = find(window, QLineEdit, "subjectEdit")
    assert subject.isReadOnly() and subject.text() == "" and "No subject" in subject.placeholderText()
    assert not find(window, QLabel, "charCount").isVisible()
    qtbot.keyClicks(composer, f"Dana, congrats on the second cross-dock in Reno [^{fid}]. Call me back at 555-0100.")
    assert line_for(window, "call-next-step").startswith("✘")
    assert line_for(window, "call-length").startswith("!")
    assert line_for(window, "call-reason-first").startswith("✔")
    assert {"call-length", "call-reason-first", "call-next-step", "no-pitch"} <= shown_rules(window)
    assert "subject" not in shown_rules(window)

    # Back to an email: the subject returns, the count goes.
    choose(qtbot, window, "First touch")
    assert not find(window, QLineEdit, "subjectEdit").isReadOnly() and not find(window, QLabel, "charCount").isVisible()
    assert "subject" in shown_rules(window) and "call-length" not in shown_rules(window)
