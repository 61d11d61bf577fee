"""Issue 12 in the composer: an uncited claim and a misquoted number are underlined as the rep types, and the
checklist shows claims-cited and cited-accurately failing, then passing once the draft is fixed."""
from PySide6.QtGui import QTextCharFormat
from PySide6.QtWidgets import QLineEdit, QListWidget, QPlainTextEdit, QPushButton

from tests.gui.test_composer import seed
from tests.helpers.window import checklist_text, find

RED = "#d32f2f"
NOTES = ("Harbor & Pine opened a second cross-dock in Reno, adding 120 jobs.",
         "The new Reno center is a 410,000 sq ft cross-dock.")


def line_for(window, rule_id):
    return next(line for line in checklist_text(window) if f" {rule_id}:" in line)


def red_underlines(composer):
    """The text under each red wavy underline, as the rep sees it."""
    text = composer.toPlainText()
    out = []
    for sel in composer.extraSelections():
        fmt = sel.format
        if fmt.underlineStyle() == QTextCharFormat.UnderlineStyle.WaveUnderline and fmt.underlineColor().name() == RED:
            out.append(text[sel.cursor.selectionStart():sel.cursor.selectionEnd()])  # ASCII: Qt and Python agree
    return out


def test_uncited_claim_and_misquoted_number_are_underlined_as_the_rep_types(qtbot, open_window, earned_home):
    _, (reno, size) = seed(earned_home, NOTES)
    window = open_window()
    composer = find(window, QPlainTextEdit, "composer")
    qtbot.waitUntil(lambda: composer.isEnabled() and find(window, QListWidget, "factList").count() == 2)
    find(window, QLineEdit, "subjectEdit").setText("Reno doors")

    qtbot.keyClicks(composer, f"Congrats on the second cross-dock in Reno [^{reno}]. ")
    assert line_for(window, "claims-cited").startswith("✔")
    assert line_for(window, "cited-accurately").startswith("✔")

    claim = "Saw you raised a Series B last week."
    qtbot.keyClicks(composer, claim)
    assert line_for(window, "claims-cited").startswith("✘")
    assert "Cite the fact this comes from, or cut the claim: “Saw you raised a Series B…”" \
        in line_for(window, "claims-cited")
    assert claim in red_underlines(composer)

    qtbot.keyClicks(composer, f" A 500,000 sq ft site [^{size}] is a lot of doors to schedule. How are check-ins?")
    assert line_for(window, "cited-accurately").startswith("✘")
    assert "“500,000 sq ft” but the fact says “410,000 sq ft”" in line_for(window, "cited-accurately")
    assert {claim, "500,000 sq ft"} <= set(red_underlines(composer))
    assert not find(window, QPushButton, "copyButton").isEnabled()

    # The rep fixes both: the claim goes, the number is the fact's. The underlines and the failures go too.
    text = composer.toPlainText()
    composer.setPlainText(text.replace(claim + " ", "").replace("500,000", "410,000"))
    assert line_for(window, "claims-cited").startswith("✔")
    assert line_for(window, "cited-accurately").startswith("✔")
    assert claim not in red_underlines(composer) and "500,000 sq ft" not in red_underlines(composer)
    assert not red_underlines(composer)
    assert find(window, QPushButton, "copyButton").isEnabled()
