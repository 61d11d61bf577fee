"""The composer's text box: citation markers [^ID] show as chips and are deleted whole."""
from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QColor, QFont, QKeyEvent, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import QPlainTextEdit, QToolTip

from app.core.models import Fact
from app.core.text import CITATION_RE

from .qt_text import plain_tooltip, py_index, qt_pos
from .spell_check import SpellHighlighter


class CitationHighlighter(SpellHighlighter):
    """Paints each marker as a chip: green when it resolves to a fact, red when it does not; and, as a
    SpellHighlighter (one document takes one highlighter), underlines misspelled words."""

    def __init__(self, document, known_ids):
        super().__init__(document)
        self._known_ids = known_ids  # callable -> set[str]
        self._ok = QTextCharFormat()
        self._ok.setBackground(QColor("#d8f0dc"))
        self._ok.setForeground(QColor("#1d5f2a"))
        self._ok.setFontWeight(QFont.Weight.DemiBold)
        self._bad = QTextCharFormat(self._ok)
        self._bad.setBackground(QColor("#f8d7d7"))
        self._bad.setForeground(QColor("#8a1c1c"))

    def highlightBlock(self, text: str) -> None:
        super().highlightBlock(text)  # spelling first: markers are never flagged, so nothing overlaps
        if "[^" not in text:
            return
        known = self._known_ids()
        for m in CITATION_RE.finditer(text):
            start, end = qt_pos(text, m.start()), qt_pos(text, m.end())
            self.setFormat(start, end - start, self._ok if m.group(1) in known else self._bad)


class CitationEdit(QPlainTextEdit):
    def __init__(self, parent=None):
        super().__init__(parent)
        self._fact_source = dict  # () -> {"12": Fact}: the facts the markers may cite (the session's)
        self.findings: list[tuple[int, int, str]] = []  # (qt start, qt end, message) of underlined spans
        self.highlighter = CitationHighlighter(self.document(), lambda: self.facts.keys())
        self.highlighter.follow(self)  # the word being typed is not flagged until the cursor leaves it
        self.setTabChangesFocus(True)
        self.setMouseTracking(True)

    def contextMenuEvent(self, event) -> None:
        """The editor's own menu, with a misspelling's suggestions and "Add to dictionary" first."""
        menu = self.createStandardContextMenu(event.pos())
        actions = self.highlighter.context_actions(self.cursorForPosition(event.pos()).position(), menu)
        if actions:
            menu.insertActions(menu.actions()[0], actions)
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        menu.popup(event.globalPos())

    @property
    def facts(self) -> dict[str, Fact]:
        return self._fact_source()

    def set_fact_source(self, source) -> None:
        """Where the citable facts are read from (a callable returning {"12": Fact}); not a copy of them."""
        self._fact_source = source
        self.highlighter.rehighlight()

    def insert_citation(self, fact_id: int) -> None:
        cursor = self.textCursor()
        text = self.toPlainText()
        before = text[: py_index(text, cursor.position())]
        marker = f"[^{fact_id}]"
        if before and not before[-1].isspace():
            marker = " " + marker
        cursor.insertText(marker)
        self.setTextCursor(cursor)
        self.setFocus()

    def _marker_at(self, pos: int):
        """The marker (match, block start) touching Qt position pos, if any."""
        block = self.document().findBlock(pos)
        text = block.text()
        offset = py_index(text, pos - block.position())
        for m in CITATION_RE.finditer(text):
            if m.start() <= offset <= m.end():
                return m, block.position(), text
        return None

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # A chip is one thing: Backspace after it or Delete before it removes it whole.
        key = event.key()
        cursor = self.textCursor()
        if key in (Qt.Key.Key_Backspace, Qt.Key.Key_Delete) and not cursor.hasSelection():
            found = self._marker_at(cursor.position())
            if found:
                m, block_pos, text = found
                start = block_pos + qt_pos(text, m.start())
                end = block_pos + qt_pos(text, m.end())
                at_end = cursor.position() == end and key == Qt.Key.Key_Backspace
                at_start = cursor.position() == start and key == Qt.Key.Key_Delete
                if at_end or at_start:
                    cursor.setPosition(start)
                    cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
                    cursor.removeSelectedText()
                    self.setTextCursor(cursor)
                    return
        super().keyPressEvent(event)

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip:
            pos = self.cursorForPosition(event.pos()).position()
            found = self._marker_at(pos)
            notes = [m for s, e, m in self.findings if s <= pos <= e]
            if notes:
                QToolTip.showText(event.globalPos(), plain_tooltip("\n".join(dict.fromkeys(notes))), self)
            elif found:
                fact = self.facts.get(found[0].group(1))
                tip = (f"{fact.text}\n\nSource: {fact.source_title or fact.source_url or 'your note'}"
                       if fact else "This citation matches no research fact of this prospect.")
                QToolTip.showText(event.globalPos(), plain_tooltip(tip), self)
            else:
                QToolTip.hideText()
            return True
        return super().event(event)
