"""Fact cards: how a research fact is drawn in the list (kind, source, date, age, pin, matches).

Painted by a delegate, not built from widgets, so switching to a prospect with hundreds of
facts stays fast. Text is drawn as plain text: nothing from the web is ever rendered as HTML.
"""
from __future__ import annotations

from datetime import date

from PySide6.QtCore import QEvent, QMimeData, QPointF, QRect, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPalette, QPen, QTextCharFormat, QTextLayout, QTextOption
from PySide6.QtWidgets import (
    QAbstractItemView, QListWidget, QListWidgetItem, QStyle, QStyledItemDelegate, QToolTip,
)

from app.compose.rulepack import default_pack
from app.core import dates, urls
from app.core.models import Fact

from .contrast import mix, readable
from .qt_text import plain_tooltip, qt_pos

FACT_ROLE = Qt.ItemDataRole.UserRole + 1  # the Fact record
META_ROLE = Qt.ItemDataRole.UserRole + 2  # dict: age, cited_before, prospect (search results), matches
ID_ROLE = Qt.ItemDataRole.UserRole
MAX_LINES = 5
PAD = 6
AGE_COLORS = {"fresh": "#1d6b2f", "getting old": "#9a6700", "stale": "#b3261e"}
# The number as the composer's citation chip shows it, in the chip's colours (citation_edit.py), so a rep can
# match "[^11]" in the message to its card at a glance. Dark green on pale green: 6.4:1 on any theme.
CHIP_BACKGROUND, CHIP_TEXT = QColor("#d8f0dc"), QColor("#1d5f2a")
MATCH_BACKGROUND, MATCH_TEXT = QColor("#ffe58a"), QColor("#000000")
KIND_LABELS = {"news": "NEWS", "feed": "FEED", "site": "SITE", "hiring": "HIRING", "filing": "FILING", "note": "NOTE"}


def age_badge(fact: Fact, today: date, limits: dict[str, int] | None = None) -> str | None:
    """fresh / getting old / stale, by the rule pack's age limits (fact kind -> days, the rules'
    age_days; default: the built-in pack's); kinds without a limit (notes) never age."""
    limit = (default_pack().age_limits() if limits is None else limits).get(fact.kind)
    if not limit or not fact.published:
        return None
    published = dates.to_date(fact.published)
    if published is None:
        return None
    age = (today - published).days
    if age > limit:
        return "stale"
    return "getting old" if age > limit / 2 else "fresh"


def domain(url: str) -> str:
    return urls.site(url)


def snapshot_line(fact: Fact) -> str | None:
    """Where a quoted fact's sentences were read ("Quoted from example.com on 2026-03-02"); None
    for a fact that quotes nothing."""
    if not fact.quote:
        return None
    host = domain(fact.quote_url or fact.source_url or "") or "its source"
    day = dates.day(fact.quote_retrieved_at) or ""
    return f"Quoted from {host} on {day}" if day else f"Quoted from {host}"


def header_text(fact: Fact, meta: dict) -> str:
    parts = [KIND_LABELS.get(fact.kind, fact.kind.upper())]
    if fact.lang and fact.lang.split("-")[0].lower() != "en":
        parts[0] += f" [{fact.lang}]"  # the rep should know before citing it in an English message
    # What a rep decides by comes first (a long source title is what eliding cuts): pinned, the date and its
    # age, whether it was cited before, whose it is, a site that never names the company; then the source.
    # "pinned" is a word, not the pin emoji (an empty box where no emoji font is installed).
    if fact.pinned:
        parts.append("pinned")
    if fact.published:
        parts.append(dates.day(fact.published) or fact.published)
    if meta.get("age"):
        parts.append(meta["age"])
    if meta.get("cited_before"):
        parts.append("cited before")
    if meta.get("prospect"):
        parts.append(f"— {meta['prospect']}")
    if fact.off_site:
        parts.append("⚠ site does not name the company")
    host = domain(fact.source_url) if fact.source_url else ""
    source = fact.source_title or host
    if source:
        parts.append(source if not host or host in source else f"{source} ({host})")
    return "  ·  ".join(parts)


class FactCardDelegate(QStyledItemDelegate):
    def _layout(self, text: str, font: QFont, width: int, matches: list,
                max_height: float = 1e9) -> tuple[QTextLayout, int]:
        layout = QTextLayout(text, font)
        option = QTextOption()
        option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        layout.setTextOption(option)
        if matches:
            fmt = QTextCharFormat()
            fmt.setBackground(MATCH_BACKGROUND)
            fmt.setForeground(MATCH_TEXT)
            ranges = []
            for start, end in matches:
                r = QTextLayout.FormatRange()
                r.start, r.length, r.format = qt_pos(text, start), qt_pos(text, end) - qt_pos(text, start), fmt
                ranges.append(r)
            layout.setFormats(ranges)
        layout.beginLayout()
        height, lines = 0, 0
        while lines < MAX_LINES:
            line = layout.createLine()
            if not line.isValid():
                break
            if lines and height + line.height() > max_height:  # what the card's estimated height holds
                line.setNumColumns(0)
                break
            line.setLineWidth(width)
            line.setPosition(QPointF(0, height))
            height += int(line.height())
            lines += 1
        layout.endLayout()
        return layout, height

    def __init__(self, parent=None):
        super().__init__(parent)
        self._heights: dict[tuple[str, int], int] = {}

    def sizeHint(self, option, index) -> QSize:
        """Estimated from the text's width in one line: laying out every card's text exactly made
        switching prospects and searching slow (Qt asks for every row's size, often twice)."""
        fact: Fact = index.data(FACT_ROLE)
        if fact is None:
            return super().sizeHint(option, index)
        width = max(120, option.rect.width() or 320) - 2 * PAD
        key = (fact.text, width)
        height = self._heights.get(key)
        if height is None:
            metrics = QFontMetrics(option.font)
            # Word wrapping wastes the end of most lines: allow for it, and never fewer lines than paragraphs.
            lines = max(fact.text.count("\n") + 1, -(-int(metrics.horizontalAdvance(fact.text) * 1.12) // width))
            height = min(lines, MAX_LINES) * metrics.lineSpacing()
            if len(self._heights) > 20_000:
                self._heights.clear()
            self._heights[key] = height
        small = QFontMetrics(self._small(option.font))
        below = small.height() + PAD // 2 if fact.quote else 0  # the "Quoted from ..." line
        return QSize(width + 2 * PAD, small.height() + height + below + 3 * PAD)

    @staticmethod
    def _small(font: QFont) -> QFont:
        small = QFont(font)
        small.setPointSizeF(max(7.0, font.pointSizeF() * 0.85))
        return small

    @staticmethod
    def colors(palette: QPalette, selected: bool, age: str | None = None) -> dict[str, QColor]:
        """The card's colours: every text one is at least 4.5:1 on the card's background, on any theme.
        A selected card is tinted with the highlight colour and outlined in it, instead of being filled with
        it: white on Fusion's highlight is only 3.7:1, and the age colours vanish on it."""
        base = palette.color(QPalette.ColorRole.Base)
        highlight = palette.color(QPalette.ColorRole.Highlight)
        background = mix(base, highlight, 0.22) if selected else base
        text = readable(palette.color(QPalette.ColorRole.Text), background)
        return {
            "background": background,
            "border": highlight if selected else palette.color(QPalette.ColorRole.Mid),
            "text": text,
            "header": readable(QColor(AGE_COLORS[age]), background) if age in AGE_COLORS else text,
        }

    def paint(self, painter, option, index) -> None:
        fact: Fact = index.data(FACT_ROLE)
        if fact is None:
            return super().paint(painter, option, index)
        meta = index.data(META_ROLE) or {}
        painter.save()
        rect = option.rect.adjusted(2, 2, -2, -2)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        colors = self.colors(option.palette, selected, meta.get("age"))
        border = QPen(colors["border"])
        border.setWidth(2 if selected else 1)
        painter.setPen(border)
        painter.setBrush(colors["background"])
        painter.drawRoundedRect(rect, 5, 5)
        small = self._small(option.font)
        metrics = QFontMetrics(small)
        head_rect = QRect(rect.left() + PAD, rect.top() + PAD // 2, rect.width() - 2 * PAD, metrics.height())
        chip_width = self._draw_chip(painter, f"[^{fact.id}]", small, head_rect)
        header_rect = head_rect.adjusted(chip_width + PAD, 0, 0, 0)
        painter.setFont(small)
        painter.setPen(colors["header"])
        painter.drawText(header_rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                         metrics.elidedText(header_text(fact, meta), Qt.TextElideMode.ElideRight, header_rect.width()))
        painter.setPen(colors["text"])
        room = rect.bottom() - head_rect.bottom() - PAD
        quoted = snapshot_line(fact)
        if quoted:
            # Under the text, in the small font: where the quote was read (the tooltip has the rest).
            foot_rect = QRect(head_rect.left(), rect.bottom() - PAD // 2 - head_rect.height(), head_rect.width(),
                              head_rect.height())
            painter.drawText(foot_rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                             metrics.elidedText(quoted, Qt.TextElideMode.ElideRight, foot_rect.width()))
            room -= head_rect.height() + PAD // 2
        painter.setFont(option.font)
        layout, _ = self._layout(fact.text, option.font, rect.width() - 2 * PAD, meta.get("matches", []), room)
        layout.draw(painter, QPointF(head_rect.left(), head_rect.bottom() + PAD / 2))
        painter.restore()

    @staticmethod
    def _draw_chip(painter, text: str, font: QFont, line: QRect) -> int:
        """Draw the citation chip at the start of the header line; returns its width."""
        bold = QFont(font)
        bold.setWeight(QFont.Weight.DemiBold)
        width = QFontMetrics(bold).horizontalAdvance(text) + PAD
        chip = QRect(line.left(), line.top(), width, line.height())
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(CHIP_BACKGROUND)
        painter.drawRoundedRect(chip, 3, 3)
        painter.setFont(bold)
        painter.setPen(CHIP_TEXT)
        painter.drawText(chip, Qt.AlignmentFlag.AlignCenter, text)
        return width


class FactList(QListWidget):
    """The research list: cards, drag a card into the message to cite it."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setItemDelegate(FactCardDelegate(self))
        self.setWordWrap(True)
        self.setUniformItemSizes(False)
        self.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        # Always there: a scroll bar that comes and goes changes the width, and every card is laid out again.
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        self.setDragEnabled(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)

    def mimeData(self, items) -> QMimeData:
        """Dragging a card drops its citation marker: the composer inserts [^ID] where it lands."""
        data = QMimeData()
        data.setText(" ".join(f"[^{item.data(ID_ROLE)}]" for item in items))
        return data

    def add_card(self, fact: Fact, meta: dict, at_top: bool = False) -> QListWidgetItem:
        item = QListWidgetItem()
        self.update_card(item, fact, meta)
        if at_top:
            self.insertItem(0, item)
        else:
            self.addItem(item)
        return item

    @staticmethod
    def update_card(item: QListWidgetItem, fact: Fact, meta: dict) -> None:
        item.setData(ID_ROLE, fact.id)
        item.setData(FACT_ROLE, fact)
        item.setData(META_ROLE, meta)
        # The item's text is what screen readers and tests read: the header and the fact.
        # (Its tooltip is made when asked for: see viewportEvent.)
        quoted = snapshot_line(fact)
        item.setText(f"[^{fact.id}] {header_text(fact, meta)}: {' '.join(fact.text.split())}"
                     + (f"  ·  {quoted}" if quoted else ""))

    @staticmethod
    def tooltip_for(fact: Fact) -> str:
        source = fact.source_url or "your own note"
        text = f"{fact.text}\n\nSource: {fact.source_title or ''} {source}".strip()
        if fact.quote:
            text += "\n\nQuoted, as read:\n" + fact.provenance()
        return plain_tooltip(text)

    def viewportEvent(self, event) -> bool:
        if event.type() == QEvent.Type.ToolTip:
            item = self.itemAt(event.pos())
            if item is not None and item.data(FACT_ROLE) is not None:
                QToolTip.showText(event.globalPos(), self.tooltip_for(item.data(FACT_ROLE)), self.viewport())
            else:
                QToolTip.hideText()
            return True
        return super().viewportEvent(event)

    def item_for(self, fact_id: int) -> QListWidgetItem | None:
        for row in range(self.count()):
            if self.item(row).data(ID_ROLE) == fact_id:
                return self.item(row)
        return None
