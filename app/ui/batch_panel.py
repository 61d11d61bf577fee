"""BatchPanel: the prospects being researched in the background, each with its state, and Cancel.

A row says how many problems its research listed ("done: 3 facts · 1 problem"); its tooltip lists them, one
plain line each, the lines the research pane shows when the rep selects that prospect.
"""
from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout, QLabel, QListWidget, QListWidgetItem, QProgressBar, QPushButton, QVBoxLayout, QWidget,
)

from app.core.redact import redact

ID_ROLE = Qt.ItemDataRole.UserRole
ITEM_ROLE = Qt.ItemDataRole.UserRole + 1
DOING_ROLE = Qt.ItemDataRole.UserRole + 2  # a running row's progress text
FINISHED = ("done", "failed", "cancelled")


def problem_line(problem) -> str:
    """One research problem (a ResearchError, or a queue row's Problem) as the rep reads it in the problems list."""
    where = f" ({problem.url})" if problem.url and problem.url not in problem.message else ""
    return f"{problem.source}: {problem.message}{where}"


def _problems(n: int) -> str:
    return f" · {n} problem{'s' if n != 1 else ''}" if n else ""


def state_text(item, doing: str = "") -> str:
    """What the rep reads for one prospect: queued / researching / done: N facts / failed: why, and how many
    problems were listed (a failure's message already says it: "... (and 2 more problems)")."""
    n = len(getattr(item, "problems", ()) or ()) or item.errors
    if item.state == "running":
        return (f"researching: {doing}" if doing else "researching") + _problems(n)
    if item.state == "done":
        return f"done: {item.facts} fact{'s' if item.facts != 1 else ''}" + _problems(n)
    if item.state == "failed":
        return f"failed: {item.message}" if item.message else ("failed" + _problems(n))
    if item.state == "cancelled":
        kept = f"cancelled: kept {item.facts} fact{'s' if item.facts != 1 else ''}" if item.facts else "cancelled"
        return kept + _problems(n)
    return "queued"


def _button(text: str, name: str, tip: str) -> QPushButton:
    button = QPushButton(text)
    button.setObjectName(name)
    button.setToolTip(tip)
    button.setAccessibleName(text.replace("&", ""))
    return button


class BatchPanel(QWidget):
    """Shows the items the service gives it (queue items: prospect_id, company, state, facts, message)."""

    cancel_clicked = Signal()
    offer_accepted = Signal(list)  # prospect ids the rep agreed to research (after an import)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("batchResearchPanel")
        self._offered: list[int] = []
        self._running = False

        self.title = QLabel("<b>Researching a list</b>")
        self.summary = QLabel()
        self.summary.setObjectName("batchSummary")
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.bar = QProgressBar()
        self.bar.setObjectName("batchProgress")
        self.bar.setAccessibleName("Research of the list")
        self.list = QListWidget()
        self.list.setObjectName("batchList")
        self.list.setAccessibleName("Prospects being researched")
        self.list.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.list.setMaximumHeight(150)
        self.cancel = _button("Cancel", "batchCancel", "Stop researching the list; keep every fact found so far")
        self.close_button = _button("Close", "batchClose", "Hide this list")

        self.offer_label = QLabel()
        self.offer_label.setObjectName("batchOfferLabel")
        self.offer_label.setTextFormat(Qt.TextFormat.PlainText)
        self.offer_label.setWordWrap(True)
        self.offer_yes = _button("Research them", "batchOfferAccept",
                                 "Read their websites in the background, a few at a time; you can keep working")
        self.offer_no = _button("Not now", "batchOfferDecline", "Research them later (select them, then "
                                                                "File > Research selected prospects)")
        self.offer_row = QWidget()
        offer = QHBoxLayout(self.offer_row)
        offer.setContentsMargins(0, 0, 0, 0)
        offer.addWidget(self.offer_label, 1)
        offer.addWidget(self.offer_yes)
        offer.addWidget(self.offer_no)
        self.offer_row.hide()

        top = QHBoxLayout()
        top.addWidget(self.title)
        top.addWidget(self.summary, 1)
        top.addWidget(self.cancel)
        top.addWidget(self.close_button)
        self.status_row = QWidget()
        status = QVBoxLayout(self.status_row)
        status.setContentsMargins(0, 0, 0, 0)
        status.addLayout(top)
        status.addWidget(self.bar)
        status.addWidget(self.list)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 0, 6, 6)
        layout.addWidget(self.offer_row)
        layout.addWidget(self.status_row)
        self.status_row.hide()
        self.cancel.hide()
        self.hide()

        self.cancel.clicked.connect(self._cancel)
        self.close_button.clicked.connect(self._close)
        self.offer_yes.clicked.connect(self._accept_offer)
        self.offer_no.clicked.connect(self._decline_offer)

    # -- the batch -----------------------------------------------------------------------
    def set_items(self, items: list) -> None:
        """The whole batch, in order (replaces what is shown)."""
        self.list.setUpdatesEnabled(False)
        self.list.clear()
        for item in items:
            row = QListWidgetItem()
            self._decorate(row, item)
            self.list.addItem(row)
        self.list.setUpdatesEnabled(True)
        self.status_row.show()
        self.show()
        self._update_summary()

    def _row(self, prospect_id: int) -> QListWidgetItem | None:
        for i in range(self.list.count()):
            if self.list.item(i).data(ID_ROLE) == prospect_id:
                return self.list.item(i)
        return None

    def _decorate(self, row: QListWidgetItem, item, doing: str = "") -> None:
        # A company name and a failure's message come from a CSV and from websites: plain text only.
        row.setText(redact(f"{item.company}  —  {state_text(item, doing)}"))
        lines = "".join(f"\n• {problem_line(p)}" for p in item.problems)
        row.setToolTip(redact(f"{item.company}\n{state_text(item, doing)}{lines}"))
        row.setData(ID_ROLE, item.prospect_id)
        row.setData(ITEM_ROLE, item)
        row.setData(DOING_ROLE, doing)

    def update_item(self, item) -> None:
        """One prospect's new state."""
        row = self._row(item.prospect_id)
        if row is None:
            row = QListWidgetItem()
            self.list.addItem(row)
        self._decorate(row, item)
        if item.state == "running":
            self.list.scrollToItem(row)
        self._update_summary()

    def add_problem(self, prospect_id: int, problem) -> None:
        """A problem a running prospect's research just listed (the finished item brings them all again)."""
        row = self._row(prospect_id)
        if row is not None and row.data(ITEM_ROLE).state == "running":
            item = row.data(ITEM_ROLE)
            self._decorate(row, replace(item, errors=item.errors + 1, problems=(*item.problems, problem)),
                           row.data(DOING_ROLE) or "")

    def has(self, prospect_id: int) -> bool:
        """Whether the prospect is in the batch shown."""
        return self._row(prospect_id) is not None

    def problems(self, prospect_id: int) -> list[str]:
        """The problem lines of one prospect of the batch, as shown (none if it is not in the batch)."""
        row = self._row(prospect_id)
        return [problem_line(p) for p in row.data(ITEM_ROLE).problems] if row is not None else []

    def show_progress(self, prospect_id: int, source: str, text: str) -> None:
        """What a running prospect's research is doing (its site's progress: the longest part)."""
        row = self._row(prospect_id)
        if row is not None and source == "site" and row.data(ITEM_ROLE).state == "running":
            self._decorate(row, row.data(ITEM_ROLE), text)

    def states(self) -> dict[int, str]:
        """Each prospect's state as shown: {prospect id: 'done: 3 facts', ...} (for tests and accessibility)."""
        return {self.list.item(i).data(ID_ROLE): state_text(self.list.item(i).data(ITEM_ROLE))
                for i in range(self.list.count())}

    def set_running(self, running: bool) -> None:
        self._running = running
        self.cancel.setVisible(running)
        self.cancel.setEnabled(running)
        self.close_button.setVisible(not running)
        if running:
            self.status_row.show()
            self.show()
        self._update_summary()

    def _update_summary(self) -> None:
        items = [self.list.item(i).data(ITEM_ROLE) for i in range(self.list.count())]
        total = len(items)
        count = {s: sum(1 for i in items if i.state == s) for s in ("running", "done", "failed", "cancelled")}
        finished = count["done"] + count["failed"] + count["cancelled"]
        self.bar.setRange(0, max(total, 1))
        self.bar.setValue(finished)
        parts = [f"{finished} of {total} researched"]
        if count["running"]:
            parts.append(f"{count['running']} now")
        if count["failed"]:
            parts.append(f"{count['failed']} failed")
        if count["cancelled"]:
            parts.append(f"{count['cancelled']} cancelled")
        facts = sum(i.facts for i in items)
        parts.append(f"{facts} fact{'s' if facts != 1 else ''} found")
        self.summary.setText(" · ".join(parts))

    def _cancel(self) -> None:
        self.cancel.setEnabled(False)  # once: the runs stop within a moment
        self.summary.setText("Cancelling; keeping what was found…")
        self.cancel_clicked.emit()

    def _close(self) -> None:
        self.status_row.hide()
        if not self.offer_row.isVisible():
            self.hide()

    # -- after an import: offer to research the new prospects ------------------------------------
    def offer(self, prospect_ids: list[int]) -> None:
        """Ask whether to research prospects just imported (inline: the rep can ignore it and work on)."""
        self._offered = list(prospect_ids)
        n = len(self._offered)
        self.offer_label.setText(f"Research the {n} imported prospect{'s' if n != 1 else ''} now? Earned reads their "
                                 "websites in the background, a few sites at a time; you can keep working.")
        self.offer_row.show()
        self.show()

    def _accept_offer(self) -> None:
        ids, self._offered = self._offered, []
        self.offer_row.hide()
        if ids:
            self.offer_accepted.emit(ids)

    def _decline_offer(self) -> None:
        self._offered = []
        self.offer_row.hide()
        if not self.status_row.isVisible():
            self.hide()
