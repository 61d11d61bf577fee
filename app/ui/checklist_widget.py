"""The live checklist: one row per rule, updated in place so a keystroke costs little."""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QListWidget, QListWidgetItem

from .qt_text import plain_tooltip

MARKS = {"pass": ("✔", "#1d6b2f"), "warn": ("!", "#9a6700"), "fail": ("✘", "#b3261e")}
ID_ROLE = Qt.ItemDataRole.UserRole


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
        self.itemClicked.connect(lambda item: self.span_requested.emit(item.data(ID_ROLE),
                                                                       self._spans.get(item.data(ID_ROLE), [])))

    def forget_rows(self) -> None:
        """Forget the rows (the thresholds in their tooltips changed)."""
        self.clear()
        self._rows = {}

    def show_result(self, result: dict, pack) -> None:
        rules = result["rules"]
        ids = [r["id"] for r in rules]
        if ids != list(self._rows):  # the kind changed: a different set of rules
            self.clear()
            self._rows = {}
            for rule_id in ids:
                item = QListWidgetItem()
                item.setData(ID_ROLE, rule_id)
                item.setToolTip(plain_tooltip(why_text(pack.get(rule_id))))
                self.addItem(item)
                self._rows[rule_id] = (item, ())
        self.results = {r["id"]: r for r in rules}
        for r in rules:
            item, shown = self._rows[r["id"]]
            self._spans[r["id"]] = r["spans"]
            state = (r["status"], r["message"])
            if state == shown:
                continue
            mark, color = MARKS[r["status"]]
            item.setText(f"{mark}  {r['id']}: {r['message']}")
            item.setForeground(QBrush(QColor(color)))
            item.setData(Qt.ItemDataRole.AccessibleTextRole, f"{r['status']}: {r['id']}: {r['message']}")
            self._rows[r["id"]] = (item, state)

    def status_of(self, rule_id: str) -> str | None:
        r = self.results.get(rule_id)
        return r["status"] if r else None

    def lines(self) -> list[str]:
        return [self.item(i).text() for i in range(self.count())]
