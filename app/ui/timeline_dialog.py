"""A prospect's history, newest first: added, facts and notes, messages sent, status changes, follow-ups due.

Events are anything with .when (ISO date or date-time), .kind, .text and .ref_id (app.core.models.TimelineEvent).
"""
from __future__ import annotations

from datetime import datetime, timezone

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QListWidget, QListWidgetItem, QVBoxLayout

from app.core import dates

from .contrast import readable_palette
from .dialog_base import plain_label, quiet_buttons

KIND_LABELS = {"added": "Added", "fact": "Fact", "note": "Note", "sent": "Sent", "status": "Status",
               "follow-up-due": "Follow-up due"}
EVENT_ROLE = Qt.ItemDataRole.UserRole


def _moment(when: str) -> datetime | None:
    moment = dates.parse_datetime(when)
    if moment is None:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)  # the store writes UTC


def when_text(when: str) -> str:
    """'2026-11-02 16:30' in the rep's own time zone; a bare date stays a date; anything else as given."""
    moment = _moment(when)
    if moment is None:
        return when or "(no date)"
    if len(when.strip()) <= 10:
        return when.strip()
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")


def event_line(event) -> str:
    kind = KIND_LABELS.get(event.kind, str(event.kind).replace("-", " ").capitalize())
    return f"{when_text(event.when)}  ·  {kind}  ·  {' '.join(str(event.text).split())}"


def newest_first(events) -> list:
    """Sorted by time, newest first; events whose time can't be read go last, in the order given."""
    known = [e for e in events if _moment(e.when) is not None]
    unknown = [e for e in events if _moment(e.when) is None]
    return sorted(known, key=lambda e: _moment(e.when), reverse=True) + unknown


class TimelineDialog(QDialog):
    """Read-only. `event_activated(event)` fires on double-click or Enter, for a caller that opens what it is
    about (event.ref_id); nothing happens if no one listens."""

    event_activated = Signal(object)

    def __init__(self, parent, company: str, events):
        super().__init__(parent)
        self.setObjectName("timelineDialog")
        self.setWindowTitle(f"{company}: timeline")
        self.setPalette(readable_palette(self.palette()))
        self.events = newest_first(list(events))
        self.list = QListWidget()
        self.list.setObjectName("timelineList")
        self.list.setAccessibleName(f"History of {company}, newest first")
        self.list.setWordWrap(True)
        for event in self.events:
            item = QListWidgetItem(event_line(event))
            item.setData(EVENT_ROLE, event)
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
            self.list.addItem(item)
        self.empty = plain_label("Nothing has happened with this prospect yet.", "timelineEmpty")
        self.empty.setVisible(not self.events)
        self.list.setVisible(bool(self.events))
        self.list.itemActivated.connect(lambda item: self.event_activated.emit(item.data(EVENT_ROLE)))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        quiet_buttons(buttons)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.empty)
        layout.addWidget(self.list, 1)
        layout.addWidget(buttons)
        if self.events:
            self.list.setCurrentRow(0)
            self.list.setFocus()
        self.resize(560, 460)

    def lines(self) -> list[str]:
        return [self.list.item(i).text() for i in range(self.list.count())]
