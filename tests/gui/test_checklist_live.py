"""The rule engine live in the composer: checklist, underlines, Copy anyway, thresholds."""
import json
import sqlite3

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QTextCharFormat
from PySide6.QtWidgets import QDialog, QPlainTextEdit, QPushButton, QSpinBox

from tests.gui.test_composer import seed
from tests.helpers.window import checklist_text, find, store_change, trigger


def line_for(window, rule_id):
    return next(line for line in checklist_text(window) if f" {rule_id}:" in line)


def ready(qtbot, open_window, earned_home, notes=("Opened a second cross-dock in Reno",)):
    _, ids = seed(earned_home, notes)
    window = open_window()
    composer = find(window, QPlainTextEdit, "composer")
    qtbot.waitUntil(lambda: composer.isEnabled() and window.research.facts.count() == len(ids))
    return window, composer, ids


def underlines(composer):
    out = []
    for sel in composer.extraSelections():
        fmt = sel.format
        if fmt.underlineStyle() == QTextCharFormat.UnderlineStyle.WaveUnderline:
            out.append((sel.cursor.selectionStart(), sel.cursor.selectionEnd(), fmt.underlineColor().name()))
    return out


def test_checklist_goes_from_fail_to_pass_and_back_as_the_rep_types(qtbot, open_window, earned_home):
    window, composer, (fid,) = ready(qtbot, open_window, earned_home)
    assert len(checklist_text(window)) == len(window.composer.pack.for_kind("first-touch"))  # every one listed
    qtbot.keyClicks(composer, "Congrats on the Reno cross-dock")
    assert line_for(window, "cites-research").startswith("✘")
    qtbot.keyClicks(composer, f" [^{fid}]. How are check-ins going?")
    assert line_for(window, "cites-research").startswith("✔")
    assert find(window, QPushButton, "copyButton").isEnabled()
    for _ in range(len(f" [^{fid}]. How are check-ins going?")):
        qtbot.keyClick(composer, Qt.Key.Key_Backspace)
    assert line_for(window, "cites-research").startswith("✘")
    assert not find(window, QPushButton, "copyButton").isEnabled()


def test_entitlement_phrase_is_underlined_in_red_after_emoji(qtbot, open_window, earned_home):
    window, composer, (fid,) = ready(qtbot, open_window, earned_home)
    composer.insertPlainText(f"🎉 Congrats on the Reno cross-dock [^{fid}]. ")
    qtbot.keyClicks(composer, "Just checking in, how is it going?")
    assert line_for(window, "no-entitlement").startswith("✘")
    text = composer.toPlainText()
    red = [(s, e) for s, e, color in underlines(composer) if color == "#d32f2f"]
    utf16 = text.encode("utf-16-le")
    assert [utf16[2 * s:2 * e].decode("utf-16-le") for s, e in red] == ["Just checking in"]

    # Clicking the checklist item selects the phrase.
    checklist = window.composer.checklist
    item = next(checklist.item(i) for i in range(checklist.count()) if "no-entitlement" in checklist.item(i).text())
    qtbot.mouseClick(checklist.viewport(), Qt.MouseButton.LeftButton, pos=checklist.visualItemRect(item).center())
    assert composer.textCursor().selectedText() == "Just checking in"
    assert "Brock" in window.composer.why.text()

    # Fixing the text clears the underline.
    composer.setPlainText(f"🎉 Congrats on the Reno cross-dock [^{fid}]. How is it going?")
    assert not [u for u in underlines(composer) if u[2] == "#d32f2f"]


def test_copy_anyway_records_the_override_but_the_citation_gate_holds(qtbot, open_window, earned_home):
    window, composer, (fid,) = ready(qtbot, open_window, earned_home)
    copy, anyway = find(window, QPushButton, "copyButton"), find(window, QPushButton, "copyAnywayButton")
    qtbot.keyClicks(composer, "Just checking in about the Reno cross-dock. Any news?")
    assert not copy.isEnabled() and anyway.isVisible() and not anyway.isEnabled()  # no citation: no override
    window.send_actions.copy(["cites-research", "no-entitlement"])  # not even by calling it directly
    assert QGuiApplication.clipboard().text() != "Just checking in about the Reno cross-dock. Any news?"

    composer.setPlainText(f"Just checking in about the Reno cross-dock [^{fid}]. Any news?")
    assert not copy.isEnabled() and anyway.isEnabled()
    with store_change(qtbot, window, "touches"):
        qtbot.mouseClick(anyway, Qt.MouseButton.LeftButton)
    assert QGuiApplication.clipboard().text() == "Just checking in about the Reno cross-dock. Any news?"
    row = sqlite3.connect(earned_home / "earned.db").execute("SELECT overrides, cited_fact_ids FROM touches").fetchone()
    assert json.loads(row[0]) == ["no-entitlement"] and json.loads(row[1]) == [fid]


def test_follow_up_sees_the_last_message_and_reused_facts(qtbot, open_window, earned_home):
    window, composer, (fid, fid2) = ready(qtbot, open_window, earned_home,
                                         notes=("Opened a second cross-dock in Reno", "Hiring 12 supervisors"))
    composer.setPlainText(f"Congrats on the Reno cross-dock [^{fid}]. How are check-ins going?")
    with qtbot.waitSignal(window.session.touches_changed, timeout=5000):
        qtbot.mouseClick(find(window, QPushButton, "copyButton"), Qt.MouseButton.LeftButton)
    window.composer.kind.setCurrentIndex(window.composer.kind.findData("follow-up"))
    assert len(checklist_text(window)) == len(window.composer.pack.for_kind("follow-up"))
    composer.setPlainText(f"Congrats on the Reno cross-dock [^{fid}]. How are check-ins going?")
    assert line_for(window, "not-a-repeat").startswith("✘")
    assert line_for(window, "fact-reuse").startswith("!")
    composer.setPlainText(f"Saw you are hiring 12 supervisors [^{fid2}]. What would be a good next step?")
    assert line_for(window, "not-a-repeat").startswith("✔") and line_for(window, "fact-reuse").startswith("✔")


def test_thresholds_are_tuned_in_settings_and_kept(qtbot, open_window, earned_home):
    window, composer, (fid,) = ready(qtbot, open_window, earned_home)
    window.composer.kind.setCurrentIndex(window.composer.kind.findData("follow-up"))
    composer.setPlainText(f"The Reno cross-dock [^{fid}] opened with twelve supervisor roles to fill. "
                          "What would be a good next step?")
    assert line_for(window, "follow-up-short").startswith("✔")
    window.findChild(type(window.menuBar().actions()[0]), "ruleSettingsAction").trigger()
    qtbot.waitUntil(lambda: any(d.isVisible() for d in window.findChildren(QDialog)))
    dialog = next(d for d in window.findChildren(QDialog) if d.isVisible())
    spin = dialog.findChild(QSpinBox, "follow-up-short.max_words")
    assert spin.value() == 50 and "the 2017 post" in " ".join(
        label.text() for label in dialog.findChildren(type(window.banner)))  # the source stays visible
    spin.setValue(10)
    with store_change(qtbot, window, "settings"):
        qtbot.mouseClick(dialog.findChild(QPushButton, "dialogSaveButton"), Qt.MouseButton.LeftButton)
    assert line_for(window, "follow-up-short").startswith("✘") and "10 words" in line_for(window, "follow-up-short")
    window.close()
    again = open_window()
    qtbot.waitUntil(lambda: again.composer.pack.get("follow-up-short").params["max_words"] == 10)
