"""The live checklist: one row per rule, updated in place so a keystroke costs little."""
from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QPalette
from PySide6.QtWidgets import QListWidget, QListWidgetItem

from .contrast import readable, readable_palette
from .qt_text import plain_tooltip

MARKS = {"pass": ("✔", "#1d6b2f"), "warn": ("!", "#9a6700"), "fail": ("✘", "#b3261e")}
# Before there is anything to check, a rule has neither passed nor failed: an empty text "passes" most rules,
# and a row of green ticks over an empty draft tells the rep it is done.
UNCHECKED_MARK = "–"
UNCHECKED_TEXT = "not checked yet"
ID_ROLE = Qt.ItemDataRole.UserRole
ACTIVATE_KEYS = {Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space, Qt.Key.Key_Select}


def why_text(rule) -> str:
    """A rule's why, its source and its thresholds, for a tooltip or the detail line."""
    params = ", ".join(f"{k} = {v}" for k, v in rule.params.items())
    return f"{rule.description}\nSource: {rule.source}" + (f"\nThresholds: {params}" if params else "")


class ChecklistWidget(QListWidget):
    span_requested = Signal(str, list)  # rule id, its spans: the composer selects the first

    def __init__(self, parent=None):
        super().__init__(parent)
        self._rows: dict[str, tuple[QListWidgetItem, tuple]] = {}
        self._spans: dict[str, list] = {}
        self.results: dict[str, dict] = {}
        self.setPalette(readable_palette(self.palette()))  # the selected row too: Fusion's is 3.7:1
        self.itemClicked.connect(self._request)

    def _request(self, item: QListWidgetItem) -> None:
        rule_id = item.data(ID_ROLE)
        self.span_requested.emit(rule_id, self._spans.get(rule_id, []))

    def keyPressEvent(self, event) -> None:
        # Enter or Space on the current row does what a click does: the checklist is usable without a mouse.
        plain = not (event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier)
        if event.key() in ACTIVATE_KEYS and plain and self.currentItem() is not None:
            self._request(self.currentItem())
            event.accept()
            return
        super().keyPressEvent(event)

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:  # the status colours were chosen for the old background
            for rule_id, (item, _) in self._rows.items():
                self._rows[rule_id] = (item, ())
            self._paint_rows()

    @property
    def checked(self) -> bool:
        """False while the rows say "not checked yet"."""
        return bool(self.results)

    def forget_rows(self) -> None:
        """Forget the rows (the thresholds in their tooltips changed)."""
        self.clear()
        self._rows = {}

    def _ensure_rows(self, ids: list[str], pack) -> None:
        if ids != list(self._rows):  # the kind changed: a different set of rules
            self.clear()
            self._rows = {}
            for rule_id in ids:
                item = QListWidgetItem()
                item.setData(ID_ROLE, rule_id)
                item.setToolTip(plain_tooltip(why_text(pack.get(rule_id))))
                self.addItem(item)
                self._rows[rule_id] = (item, ())

    def show_result(self, result: dict | None, pack, kind: str | None = None) -> None:
        """Show a check_text result; None means nothing to check yet (an empty draft): the rows of `kind`'s
        rules (or the rows already shown, without `kind`) say "not checked yet" instead of a status."""
        if result is None:
            ids = [r.id for r in pack.for_kind(kind)] if kind else list(self._rows)
            self.show_empty(ids, pack)
            return
        rules = result["rules"]
        self._ensure_rows([r["id"] for r in rules], pack)
        self.results = {r["id"]: r for r in rules}
        self._spans = {r["id"]: r["spans"] for r in rules}
        self._paint_rows()

    def show_empty(self, rule_ids: list[str], pack) -> None:
        """One neutral row per rule id: none passed, none failed."""
        self._ensure_rows(list(rule_ids), pack)
        self.results = {}
        self._spans = {}
        self._paint_rows()

    def _paint_rows(self) -> None:
        base = self.palette().color(QPalette.ColorRole.Base)
        for rule_id, (item, shown) in self._rows.items():
            r = self.results.get(rule_id)
            state = (r["status"], r["message"]) if r else (None, UNCHECKED_TEXT)
            if state == shown:
                continue
            status, message = state
            if status is None:
                mark, color = UNCHECKED_MARK, self.palette().color(QPalette.ColorRole.Text)
            else:
                mark, color = MARKS[status]
            item.setText(f"{mark}  {rule_id}: {message}")
            # The status colours are dark enough on white; on a dark theme they are lightened until readable.
            item.setForeground(QBrush(readable(QColor(color), base)))
            item.setData(Qt.ItemDataRole.AccessibleTextRole, f"{status or UNCHECKED_TEXT}: {rule_id}: {message}")
            self._rows[rule_id] = (item, state)

    def status_of(self, rule_id: str) -> str | None:
        """pass / warn / fail, or None for a rule not shown or not checked yet."""
        r = self.results.get(rule_id)
        return r["status"] if r else None

    def lines(self) -> list[str]:
        return [self.item(i).text() for i in range(self.count())]
