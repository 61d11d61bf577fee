"""Spell checking in a real text box: what the rep sees underlined while typing, and the menu that fixes it."""
from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QColor, QFocusEvent, QTextCharFormat, QTextCursor, QTextFormat
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QPlainTextEdit, QTextEdit

from app.compose.spelling import Speller
from app.ui.spell_check import UNDERLINE_COLOR, SpellHighlighter

SPELL = QTextCharFormat.UnderlineStyle.SpellCheckUnderline


@pytest.fixture(scope="module")
def shared_speller() -> Speller:
    return Speller.load()


@pytest.fixture
def speller() -> Speller:
    """A speller of the test's own: "Add to dictionary" changes it."""
    return Speller.load()


def underlined(block) -> list[tuple[int, int]]:
    """(start, length) of the spell-check underlines Qt will draw in this block, red ones only."""
    out = []
    for r in block.layout().formats():
        if r.format.underlineStyle() == SPELL:
            assert r.format.underlineColor() == UNDERLINE_COLOR
            out.append((r.start, r.length))
    return out


def underlined_text(editor) -> list[str]:
    """The text under each underline, read back through Qt positions (UTF-16 units)."""
    out = []
    block = editor.document().firstBlock()
    while block.isValid():
        for start, length in underlined(block):
            cursor = QTextCursor(editor.document())
            cursor.setPosition(block.position() + start)
            cursor.setPosition(block.position() + start + length, QTextCursor.MoveMode.KeepAnchor)
            out.append(cursor.selectedText())
        block = block.next()
    return out


@pytest.fixture(params=[QTextEdit, QPlainTextEdit])
def editor(request, qtbot):
    box = request.param()
    if isinstance(box, QTextEdit):
        box.setAcceptRichText(False)
    qtbot.addWidget(box)
    box.show()
    return box


def checked(editor, speller) -> SpellHighlighter:
    highlighter = SpellHighlighter(editor.document(), speller)
    highlighter.follow(editor)
    return highlighter


def test_a_misspelling_is_underlined_once_the_space_is_typed_not_while_typing(qtbot, editor, shared_speller):
    checked(editor, shared_speller)
    block = editor.document().firstBlock()
    for ch in "We recieve":
        QTest.keyClicks(editor, ch)
        assert underlined(block) == [], f"underlined while typing, at {editor.toPlainText()!r}"
    QTest.keyClicks(editor, " ")
    assert underlined(block) == [(3, 7)]
    assert underlined_text(editor) == ["recieve"]
    QTest.keyClicks(editor, "the deck.")
    assert underlined_text(editor) == ["recieve"]


def test_moving_into_a_word_holds_its_underline_and_leaving_shows_it(qtbot, editor, shared_speller):
    checked(editor, shared_speller)
    QTest.keyClicks(editor, "Teh deck is here")
    assert underlined_text(editor) == ["Teh"]
    editor.moveCursor(QTextCursor.MoveOperation.Start)  # the cursor touches "Teh"
    assert underlined_text(editor) == []
    editor.moveCursor(QTextCursor.MoveOperation.End)
    assert underlined_text(editor) == ["Teh"]


def test_the_last_word_is_flagged_when_the_box_loses_focus(qtbot, editor, shared_speller):
    checked(editor, shared_speller)
    QTest.keyClicks(editor, "We recieve")
    assert underlined_text(editor) == []
    QApplication.sendEvent(editor, QFocusEvent(QEvent.Type.FocusOut, Qt.FocusReason.TabFocusReason))
    assert underlined_text(editor) == ["recieve"]
    # A context menu taking focus is not the rep leaving: the word stays held while it is open.
    QApplication.sendEvent(editor, QFocusEvent(QEvent.Type.FocusIn, Qt.FocusReason.OtherFocusReason))
    QApplication.sendEvent(editor, QFocusEvent(QEvent.Type.FocusOut, Qt.FocusReason.PopupFocusReason))
    assert underlined_text(editor) == []


def test_a_suggestion_replaces_the_word_and_ctrl_z_undoes_it(qtbot, editor, shared_speller):
    highlighter = checked(editor, shared_speller)
    QTest.keyClicks(editor, "We recieve the deck.")
    assert highlighter.misspelling_at(5) == (3, 10, "recieve")
    actions = highlighter.context_actions(5, editor)
    labels = [a.text() for a in actions]
    assert labels[0] == "receive"
    assert "Add to dictionary" in labels and actions[-1].isSeparator()
    actions[0].trigger()
    assert editor.toPlainText() == "We receive the deck."
    assert underlined_text(editor) == []
    QTest.keyClick(editor, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert editor.toPlainText() == "We recieve the deck."
    editor.moveCursor(QTextCursor.MoveOperation.End)
    assert underlined_text(editor) == ["recieve"]


def test_no_actions_away_from_a_misspelling(qtbot, editor, shared_speller):
    highlighter = checked(editor, shared_speller)
    QTest.keyClicks(editor, "We recieve the deck.")
    assert highlighter.misspelling_at(14) is None
    assert highlighter.context_actions(14, editor) == []


def test_add_to_dictionary_removes_the_underline_and_emits_the_word(qtbot, editor, speller):
    highlighter = checked(editor, speller)
    QTest.keyClicks(editor, "Dockly cuts teh wait. Dockly again.")
    assert underlined_text(editor) == ["Dockly", "teh", "Dockly"]
    add = next(a for a in highlighter.context_actions(2, editor) if a.text() == "Add to dictionary")
    with qtbot.waitSignal(highlighter.word_added, timeout=1000) as signal:
        add.trigger()
    assert signal.args == ["Dockly"]
    assert underlined_text(editor) == ["teh"]
    assert "Dockly" in speller.user_words


def test_emoji_before_the_word_keeps_the_underline_on_it(qtbot, editor, shared_speller):
    checked(editor, shared_speller)
    editor.insertPlainText("🎉🎉 Hi, naïve café fans. ")
    QTest.keyClicks(editor, "We recieve ")
    block = editor.document().firstBlock()
    # Qt counts an emoji as two: "🎉🎉 Hi, naïve café fans. We " is 29 units, 27 code points.
    assert underlined(block) == [(29, 7)]
    assert underlined_text(editor) == ["recieve"]
    highlighter = editor.document().findChild(SpellHighlighter)
    assert highlighter.misspelling_at(31) == (29, 36, "recieve")


def test_positions_are_document_positions_across_blocks(qtbot, editor, shared_speller):
    highlighter = checked(editor, shared_speller)
    editor.setPlainText("Hello there.\n🎉 teh end\nAll fine")
    editor.moveCursor(QTextCursor.MoveOperation.End)
    start, end, word = highlighter.misspelling_at(17)
    cursor = QTextCursor(editor.document())
    cursor.setPosition(start)
    cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
    assert (word, cursor.selectedText()) == ("teh", "teh")
    assert underlined_text(editor) == ["teh"]


def test_turning_it_off_removes_every_underline(qtbot, editor, shared_speller):
    highlighter = checked(editor, shared_speller)
    editor.setPlainText("Teh first.\nSeperate second.")
    editor.moveCursor(QTextCursor.MoveOperation.End)
    assert underlined_text(editor) == ["Teh", "Seperate"]
    highlighter.set_enabled(False)
    assert underlined_text(editor) == [] and highlighter.misspelling_at(1) is None
    highlighter.set_enabled(True)
    assert underlined_text(editor) == ["Teh", "Seperate"]


def test_the_speller_can_arrive_later(qtbot, editor, shared_speller):
    """The UI loads the dictionary off the main thread: the box works without it meanwhile."""
    highlighter = SpellHighlighter(editor.document(), None)
    highlighter.follow(editor)
    QTest.keyClicks(editor, "Teh deck is here.")
    assert underlined_text(editor) == [] and highlighter.context_actions(1, editor) == []
    highlighter.set_speller(shared_speller)
    assert underlined_text(editor) == ["Teh"]


class CountingHighlighter(SpellHighlighter):
    def __init__(self, *args):
        super().__init__(*args)
        self.blocks: list[int] = []

    def highlightBlock(self, text):  # noqa: N802
        self.blocks.append(self.currentBlock().blockNumber())
        super().highlightBlock(text)


def test_a_keystroke_rechecks_only_its_own_block(qtbot, editor, shared_speller):
    highlighter = CountingHighlighter(editor.document(), shared_speller)
    highlighter.follow(editor)
    editor.setPlainText("First paragraph here.\nSecond one.\nThird: we recieve")
    editor.moveCursor(QTextCursor.MoveOperation.End)
    highlighter.blocks.clear()
    QTest.keyClicks(editor, " it")
    assert set(highlighter.blocks) == {2}
    assert underlined_text(editor) == ["recieve"]


def test_extra_selections_and_spelling_show_together(qtbot, shared_speller):
    """The composer marks rule findings with extra selections; the spelling underline must not hide them,
    nor they it: both are in the box's data, and both are painted."""
    editor = QTextEdit()
    editor.setAcceptRichText(False)
    qtbot.addWidget(editor)
    editor.resize(500, 120)
    editor.show()
    qtbot.waitExposed(editor)
    highlighter = checked(editor, shared_speller)
    editor.setPlainText("We recieve the deck today.")
    editor.moveCursor(QTextCursor.MoveOperation.End)

    def red_and_yellow_pixels():
        image = editor.viewport().grab().toImage()
        red = yellow = 0
        for y in range(0, image.height()):
            for x in range(0, image.width()):
                c = image.pixelColor(x, y)
                if c.red() - max(c.green(), c.blue()) > 60 and c.green() < 180:  # the wave is antialiased
                    red += 1
                elif c.red() > 230 and c.green() > 200 and c.blue() < 120:
                    yellow += 1
        return red, yellow

    highlighter.set_enabled(False)
    assert red_and_yellow_pixels() == (0, 0)
    highlighter.set_enabled(True)
    finding = QTextEdit.ExtraSelection()
    finding.cursor = QTextCursor(editor.document())
    finding.cursor.setPosition(15)
    finding.cursor.setPosition(19, QTextCursor.MoveMode.KeepAnchor)  # "deck"
    finding.format.setBackground(QColor("#ffeb3b"))
    for _ in range(3):  # the composer sets them again on every edit
        editor.setExtraSelections([finding])

    assert underlined_text(editor) == ["recieve"]
    assert [s.cursor.selectedText() for s in editor.extraSelections()] == ["deck"]
    red, yellow = red_and_yellow_pixels()
    assert red > 5 and yellow > 50


class ChipsAndSpelling(SpellHighlighter):
    """How a box with a highlighter of its own (the composer's citation chips) adds spelling."""

    def highlightBlock(self, text):  # noqa: N802
        super().highlightBlock(text)
        chip = QTextCharFormat()
        chip.setBackground(QColor("#d8f0dc"))
        start = text.find("[^")
        if start >= 0:
            self.setFormat(start, text.index("]", start) + 1 - start, chip)


def test_a_subclass_keeps_its_own_formats_and_the_underlines(qtbot, shared_speller):
    editor = QPlainTextEdit()
    qtbot.addWidget(editor)
    highlighter = ChipsAndSpelling(editor.document(), shared_speller)
    highlighter.follow(editor)
    editor.setPlainText("We recieve [^12] the deck.")
    editor.moveCursor(QTextCursor.MoveOperation.End)
    ranges = editor.document().firstBlock().layout().formats()
    chips = [(r.start, r.length) for r in ranges if r.format.hasProperty(QTextFormat.Property.BackgroundBrush)]
    assert chips == [(11, 5)]
    assert underlined(editor.document().firstBlock()) == [(3, 7)]
