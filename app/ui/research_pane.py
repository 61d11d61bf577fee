"""ResearchPane: prospects on top, the selected prospect's facts below."""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView, QHBoxLayout, QLabel, QListWidget, QListWidgetItem, QPushButton, QVBoxLayout, QWidget,
)

from app.core.models import Fact, Prospect

from .qt_text import plain_tooltip

ID_ROLE = Qt.ItemDataRole.UserRole


def _prospect_label(p: Prospect) -> str:
    who = ", ".join(x for x in (p.contact_name, p.role) if x)
    return f"{p.company}  ({p.status})" + (f"  ·  {who}" if who else "")


def _fact_label(f: Fact) -> str:
    text = " ".join(f.text.split())
    if len(text) > 160:
        text = text[:157] + "…"
    return f"[^{f.id}]  {f.kind}: {text}"


class ResearchPane(QWidget):
    prospect_selected = Signal(int)
    new_prospect_clicked = Signal()
    add_note_clicked = Signal()
    research_clicked = Signal()
    cancel_research_clicked = Signal()
    fact_activated = Signal(int)  # double-click cites

    def __init__(self, parent=None):
        super().__init__(parent)
        self.prospects = QListWidget()
        self.prospects.setObjectName("prospectList")
        self.prospects.setAccessibleName("Prospects")
        # Long names elide instead of pushing the status out of sight behind a scrollbar.
        self.prospects.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.prospects.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.new_prospect = QPushButton("New prospect")
        self.new_prospect.setObjectName("newProspectButton")
        self.facts = QListWidget()
        self.facts.setObjectName("factList")
        self.facts.setAccessibleName("Research facts")
        self.facts.setWordWrap(True)
        self.facts.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.add_note = QPushButton("Add note")
        self.add_note.setObjectName("addNoteButton")
        self.add_note.setEnabled(False)
        self.research = QPushButton("Research")
        self.research.setObjectName("researchButton")
        self.research.setToolTip("Gather facts from the company's website, its feeds and the news (Ctrl+R)")
        self.research.setEnabled(False)
        self.cancel_research = QPushButton("Cancel")
        self.cancel_research.setObjectName("cancelResearchButton")
        self.cancel_research.hide()
        self.progress = QLabel()
        self.progress.setObjectName("researchProgress")
        self.progress.setTextFormat(Qt.TextFormat.PlainText)
        self.progress.setWordWrap(True)
        self.progress.hide()
        self.errors = QListWidget()
        self.errors.setObjectName("researchErrors")
        self.errors.setAccessibleName("Research problems")
        self.errors.setWordWrap(True)
        self.errors.setMaximumHeight(90)
        self.errors.hide()
        self.facts_empty = QLabel("Select a prospect to see its research.")
        self.facts_empty.setObjectName("factsEmptyLabel")
        self.facts_empty.setWordWrap(True)

        top = QHBoxLayout()
        top.addWidget(QLabel("<b>Prospects</b>"))
        top.addStretch()
        top.addWidget(self.new_prospect)
        mid = QHBoxLayout()
        mid.addWidget(QLabel("<b>Research</b>"))
        mid.addStretch()
        mid.addWidget(self.research)
        mid.addWidget(self.cancel_research)
        mid.addWidget(self.add_note)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.prospects, 2)
        layout.addLayout(mid)
        layout.addWidget(self.progress)
        layout.addWidget(self.errors)
        layout.addWidget(self.facts_empty)
        layout.addWidget(self.facts, 3)

        self.prospects.currentItemChanged.connect(self._on_current_prospect)
        self.new_prospect.clicked.connect(self.new_prospect_clicked)
        self.add_note.clicked.connect(self.add_note_clicked)
        self.research.clicked.connect(self.research_clicked)
        self.cancel_research.clicked.connect(self.cancel_research_clicked)
        self.facts.itemDoubleClicked.connect(lambda item: self.fact_activated.emit(item.data(ID_ROLE)))

    # -- prospects ---------------------------------------------------------------
    def set_prospects(self, prospects: list[Prospect], select_id: int | None = None) -> None:
        self.prospects.blockSignals(True)
        self.prospects.clear()
        for p in prospects:
            self._append_prospect(p)
        self.prospects.blockSignals(False)
        if prospects:
            self.select_prospect(select_id if select_id is not None else prospects[0].id)

    def _append_prospect(self, p: Prospect) -> QListWidgetItem:
        item = QListWidgetItem(_prospect_label(p))
        item.setData(ID_ROLE, p.id)
        item.setToolTip(plain_tooltip(f"{p.company}\n{p.website}"))
        self.prospects.addItem(item)
        return item

    def upsert_prospect(self, p: Prospect) -> None:
        for row in range(self.prospects.count()):
            item = self.prospects.item(row)
            if item.data(ID_ROLE) == p.id:
                item.setText(_prospect_label(p))
                return
        self._append_prospect(p)

    def select_prospect(self, prospect_id: int) -> None:
        for row in range(self.prospects.count()):
            if self.prospects.item(row).data(ID_ROLE) == prospect_id:
                self.prospects.setCurrentRow(row)
                return

    def current_prospect_id(self) -> int | None:
        item = self.prospects.currentItem()
        return item.data(ID_ROLE) if item else None

    def _on_current_prospect(self, current, _previous) -> None:
        self.add_note.setEnabled(current is not None)
        self.research.setEnabled(current is not None and not self.cancel_research.isVisible())
        if current is not None:
            self.facts.clear()
            self.facts_empty.setText("Loading research…")
            self.facts_empty.show()
            self.prospect_selected.emit(current.data(ID_ROLE))

    # -- facts -------------------------------------------------------------------
    def set_facts(self, facts: list[Fact]) -> None:
        self.facts.clear()
        for f in facts:
            self.add_fact(f, select=False)
        self._update_empty()
        if facts:
            self.facts.setCurrentRow(0)

    def add_fact(self, fact: Fact, select: bool = True) -> None:
        item = QListWidgetItem(_fact_label(fact))
        item.setData(ID_ROLE, fact.id)
        source = fact.source_title or fact.source_url or "your own note"
        item.setToolTip(plain_tooltip(f"{fact.text}\n\nSource: {source}"))
        if select:
            self.facts.insertItem(0, item)
            self.facts.setCurrentItem(item)
        else:
            self.facts.addItem(item)
        self._update_empty()

    def _update_empty(self) -> None:
        empty = self.facts.count() == 0
        self.facts_empty.setText("No research yet. Add a note: what you learned from a call, a post or a referral.")
        self.facts_empty.setVisible(empty)

    # -- research progress -------------------------------------------------------------
    def show_running(self, running: bool) -> None:
        self.research.setEnabled(not running and self.current_prospect_id() is not None)
        self.cancel_research.setVisible(running)
        if running:
            self.errors.clear()
            self.errors.hide()
            self.progress.setText("Starting research…")
            self.progress.show()

    def show_progress(self, lines: dict[str, str]) -> None:
        self.progress.setText("\n".join(f"{source}: {text}" for source, text in lines.items()))
        self.progress.show()

    def add_error(self, text: str) -> None:
        self.errors.addItem(text)
        self.errors.show()

    def current_fact_id(self) -> int | None:
        item = self.facts.currentItem()
        return item.data(ID_ROLE) if item else None
