"""Red squiggles under misspelled words in a text box, and the context-menu actions that fix them.

The words come from app.compose.spelling.Speller (Python offsets); Qt positions count UTF-16 units,
so every span goes through app.ui.qt_text. Formats are set per block: Qt re-highlights only the block
that was edited, which keeps a keystroke cheap (one block, per-word verdicts cached by the speller).

One document takes one QSyntaxHighlighter: a second one replaces the first's formats. To add
spelling to a box that already has a highlighter (the composer's CitationHighlighter), make that
highlighter a SpellHighlighter subclass whose highlightBlock calls super().highlightBlock(text)
first, then sets its own formats (citation markers are never flagged, so the two don't overlap).
Extra selections (QTextEdit.setExtraSelections) are drawn apart from these formats: both show.
"""
from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QAction, QColor, QSyntaxHighlighter, QTextCharFormat, QTextCursor, QTextDocument

from app.compose.spelling import Speller

from .qt_text import qt_pos

UNDERLINE_COLOR = QColor("#d11a1a")
MAX_SUGGESTIONS = 5


class SpellHighlighter(QSyntaxHighlighter):
    """Underlines misspellings in `document`, except the word at the text cursor (still being typed).

    `speller` may be None until the shared one is loaded off the UI thread: then set_speller().
    Positions in this API are Qt document positions (UTF-16 units), as QTextCursor uses.
    """

    word_added = Signal(str)  # "Add to dictionary" was chosen: the app persists the word

    def __init__(self, document: QTextDocument, speller: Speller | None = None):
        super().__init__(document)
        self._speller = speller
        self._enabled = True
        self._cursor: int | None = None  # document position of the text cursor, None when not typing
        # (block number, start, end) of the misspelling left plain because the cursor touches it.
        self._held: tuple[int, int, int] | None = None
        self._editor = None  # the box whose cursor follow() tracks
        self._format = QTextCharFormat()
        self._format.setUnderlineStyle(QTextCharFormat.UnderlineStyle.SpellCheckUnderline)
        self._format.setUnderlineColor(UNDERLINE_COLOR)

    # -- settings --------------------------------------------------------------------------------

    def set_speller(self, speller: Speller | None) -> None:
        """Check with `speller` from now on (None: underline nothing) and redo every block."""
        self._speller = speller
        self.rehighlight()

    def set_enabled(self, enabled: bool) -> None:
        """Turn spell checking on or off; off removes every underline."""
        if enabled != self._enabled:
            self._enabled = enabled
            self.rehighlight()

    def is_enabled(self) -> bool:
        return self._enabled

    def set_cursor_position(self, position: int | None) -> None:
        """Where the text cursor is (None: the box is not being typed in). The misspelling it touches
        stays plain until it leaves; only the blocks whose underline changes are redone."""
        self._cursor = position
        held = self._touching(position)
        if held != self._held:
            blocks = {key[0] for key in (self._held, held) if key is not None}
            self._held = held
            for number in blocks:
                block = self.document().findBlockByNumber(number)
                if block.isValid():
                    self.rehighlightBlock(block)

    def follow(self, editor) -> None:
        """Track `editor`'s text cursor (a QTextEdit or QPlainTextEdit on this document): the word
        being typed is held back, and flagged once the cursor leaves it or the box loses focus."""
        self._editor = editor
        # A bound method, not a lambda: Qt drops the connection when this highlighter is deleted.
        editor.cursorPositionChanged.connect(self._editor_cursor_moved)
        editor.installEventFilter(self)
        if editor.hasFocus():
            self._editor_cursor_moved()

    def _editor_cursor_moved(self) -> None:
        self.set_cursor_position(self._editor.textCursor().position())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        kind = event.type()
        if kind == QEvent.Type.FocusOut and event.reason() != Qt.FocusReason.PopupFocusReason:
            self.set_cursor_position(None)  # typing stopped: show what is wrong with the last word
        elif kind == QEvent.Type.FocusIn:
            self._editor_cursor_moved()
        return False

    # -- what is wrong where ---------------------------------------------------------------------

    def misspelling_at(self, position: int) -> tuple[int, int, str] | None:
        """(start, end, word) of the misspelling at document `position` (start <= position <= end),
        in document positions; None if there is none, or checking is off. The cursor's word counts."""
        block = self.document().findBlock(position)
        if not block.isValid():
            return None
        base = block.position()
        for start, end, word in self._spans(block.text()):
            if start <= position - base <= end:
                return base + start, base + end, word
        return None

    def context_actions(self, position: int, parent: QObject) -> list[QAction]:
        """Actions for the context menu at document `position`: the top suggestions (each replaces
        the word, one undo step), "Add to dictionary", and a separator; [] if no misspelling is there.

        Put them first in the editor's own menu:
            menu = editor.createStandardContextMenu(event.pos())
            actions = highlighter.context_actions(editor.cursorForPosition(event.pos()).position(), menu)
            if actions:
                menu.insertActions(menu.actions()[0], actions)
        """
        found = self.misspelling_at(position)
        if found is None or self._speller is None:
            return []
        start, end, word = found
        actions = []
        for suggestion in self._speller.suggestions(word, MAX_SUGGESTIONS):
            action = QAction(suggestion, parent)
            action.triggered.connect(lambda _=False, s=suggestion: self.replace(start, end, word, s))
            actions.append(action)
        if not actions:
            none = QAction("(no suggestions)", parent)
            none.setEnabled(False)
            actions.append(none)
        add = QAction("Add to dictionary", parent)
        add.triggered.connect(lambda _=False: self.add_word(word))
        actions.append(add)
        separator = QAction(parent)
        separator.setSeparator(True)
        actions.append(separator)
        return actions

    # -- fixing ----------------------------------------------------------------------------------

    def replace(self, start: int, end: int, word: str, replacement: str) -> bool:
        """Replace `word` at document positions start:end with `replacement`, as one undo step.
        False, and nothing done, if the text there is no longer `word` (it changed meanwhile)."""
        cursor = QTextCursor(self.document())
        cursor.setPosition(start)
        cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
        if cursor.selectedText() != word:
            return False
        cursor.beginEditBlock()
        cursor.insertText(replacement)
        cursor.endEditBlock()
        return True

    def add_word(self, word: str) -> None:
        """Accept `word` from now on, remove its underlines here, and emit word_added so it is kept."""
        if self._speller is None:
            return
        self._speller.add_words([word])
        self.rehighlight()
        self.word_added.emit(word)

    # -- QSyntaxHighlighter ----------------------------------------------------------------------

    def highlightBlock(self, text: str) -> None:  # noqa: N802 - Qt's name
        """Underline this block's misspellings. A subclass that adds formats of its own calls this first."""
        spans = self._spans(text)
        if not spans:
            return
        cursor = self._cursor
        base = self.currentBlock().position()
        for start, end, _ in spans:
            if cursor is not None and base + start <= cursor <= base + end:
                continue  # the word at the cursor: the rep may still be typing it
            self.setFormat(start, end - start, self._format)

    # -- internals -------------------------------------------------------------------------------

    def _spans(self, text: str) -> list[tuple[int, int, str]]:
        """The block's misspellings in block positions (UTF-16 units, as setFormat counts)."""
        if not self._enabled or self._speller is None or not text:
            return []
        found = self._speller.misspelled(text)
        if not found or text.isascii():
            return found
        return [(qt_pos(text, s), qt_pos(text, e), w) for s, e, w in found]

    def _touching(self, position: int | None) -> tuple[int, int, int] | None:
        if position is None:
            return None
        block = self.document().findBlock(position)
        if not block.isValid():
            return None
        rel = position - block.position()
        for start, end, _ in self._spans(block.text()):
            if start <= rel <= end:
                return block.blockNumber(), start, end
        return None
