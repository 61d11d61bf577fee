"""ResearchPane: prospects (searchable, follow-ups due first) on top, the selected prospect's facts below."""
from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView, QHBoxLayout, QLabel, QLineEdit, QListWidget, QListWidgetItem, QMenu, QPushButton, QVBoxLayout,
    QWidget,
)

from app.core.models import Fact, Prospect
from app.core.redact import redact

from .fact_cards import FACT_ROLE, META_ROLE, FactList, age_badge
from .qt_text import plain_tooltip

ID_ROLE = Qt.ItemDataRole.UserRole
PROSPECT_ROLE = Qt.ItemDataRole.UserRole + 1


def _prospect_label(p: Prospect, today: str) -> str:
    who = ", ".join(x for x in (p.contact_name, p.role) if x)
    status = p.shown_status(today)
    due = f" since {p.follow_up_due}" if status == "follow-up due" and p.follow_up_due else ""
    return f"{p.company}  ({status}{due})" + (f"  ·  {who}" if who else "")


def _button(text: str, name: str, tip: str) -> QPushButton:
    button = QPushButton(text)
    button.setObjectName(name)
    button.setToolTip(tip)
    button.setAccessibleName(text.replace("&", "").rstrip("…"))
    return button


class ResearchPane(QWidget):
    prospect_selected = Signal(int)
    new_prospect_clicked = Signal()
    add_note_clicked = Signal()
    research_clicked = Signal()
    cancel_research_clicked = Signal()
    fact_activated = Signal(int)  # double-click cites
    fact_action = Signal(str, int)  # action name (pin, edit, discard, open, copy-link), fact id
    fact_search_changed = Signal(str)
    url_dropped = Signal(str)  # research just this page
    mark_replied_clicked = Signal()
    disqualify_clicked = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.today = date.today()
        self.age_limits: dict[str, int] | None = None  # fact kind -> days (the rule pack's); None: built-in
        self.cited_before: set[int] = set()
        self.search_mode = False

        self.prospect_search = QLineEdit()
        self.prospect_search.setObjectName("prospectSearch")
        self.prospect_search.setPlaceholderText("Find a prospect…")
        self.prospect_search.setAccessibleName("Find a prospect")
        self.prospect_search.setClearButtonEnabled(True)
        self.prospects = QListWidget()
        self.prospects.setObjectName("prospectList")
        self.prospects.setAccessibleName("Prospects")
        # Long names elide instead of pushing the status out of sight behind a scrollbar.
        self.prospects.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.prospects.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        # Shift/Ctrl+click selects several, to research a list (File > Research selected prospects).
        self.prospects.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.prospects_empty = QLabel("No prospects yet. Press New prospect (Ctrl+N) to add the company you are "
                                      "writing to.")
        self.prospects_empty.setObjectName("prospectsEmptyLabel")
        self.prospects_empty.setWordWrap(True)
        self.prospects_empty.hide()
        self.due_label = QLabel()
        self.due_label.setObjectName("dueSummaryLabel")
        self.due_label.setTextFormat(Qt.TextFormat.PlainText)
        self.new_prospect = _button("New prospect", "newProspectButton", "Add a company to research (Ctrl+N)")
        self.mark_replied = _button("Mark replied", "markRepliedButton", "They answered: stop the follow-ups")
        self.disqualify = _button("Disqualify…", "disqualifyButton",
                                  "Stop pursuing this prospect, with a reason you will remember")
        for b in (self.mark_replied, self.disqualify):
            b.setEnabled(False)

        self.fact_search = QLineEdit()
        self.fact_search.setObjectName("factSearch")
        self.fact_search.setPlaceholderText("Search all facts and notes (Ctrl+F)…")
        self.fact_search.setAccessibleName("Search facts")
        self.fact_search.setClearButtonEnabled(True)
        self.facts = FactList()
        self.facts.setObjectName("factList")
        self.facts.setAccessibleName("Research facts")
        self.facts.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.add_note = _button("Add note", "addNoteButton", "Your own research: a call, a post, a referral")
        self.add_note.setEnabled(False)
        self.research = _button("Research", "researchButton",
                                "Gather facts from the company's website, its feeds and the news (Ctrl+R)")
        self.research.setEnabled(False)
        self.cancel_research = _button("Cancel", "cancelResearchButton", "Stop researching; keep what was found")
        self.cancel_research.hide()
        self.actions: dict[str, QPushButton] = {
            "pin": _button("Pin", "pinFactButton", "Keep this fact at the top"),
            "edit": _button("Edit…", "editFactButton", "Correct the wording of this fact"),
            "discard": _button("Discard", "discardFactButton", "Hide this fact (you can undo)"),
            "open": _button("Open source", "openSourceButton", "Open where this fact came from in your browser"),
            "copy-link": _button("Copy link", "copyLinkButton", "Copy the source's address"),
        }
        for b in self.actions.values():
            b.setEnabled(False)
        self.undo = _button("Undo discard", "undoDiscardButton", "Bring back the fact you just discarded")
        self.undo.hide()
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
        top.addWidget(self.due_label, 1)
        top.addWidget(self.new_prospect)
        status_row = QHBoxLayout()
        status_row.addStretch()
        status_row.addWidget(self.mark_replied)
        status_row.addWidget(self.disqualify)
        mid = QHBoxLayout()
        mid.addWidget(QLabel("<b>Research</b>"))
        mid.addStretch()
        mid.addWidget(self.research)
        mid.addWidget(self.cancel_research)
        mid.addWidget(self.add_note)
        actions = QHBoxLayout()
        for b in self.actions.values():
            actions.addWidget(b)
        actions.addStretch()
        actions.addWidget(self.undo)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.prospect_search)
        layout.addWidget(self.prospects, 2)
        layout.addWidget(self.prospects_empty)
        layout.addLayout(status_row)
        layout.addLayout(mid)
        layout.addWidget(self.progress)
        layout.addWidget(self.errors)
        layout.addWidget(self.fact_search)
        layout.addWidget(self.facts_empty)
        layout.addWidget(self.facts, 3)
        layout.addLayout(actions)
        self.setAcceptDrops(True)
        paste = QShortcut(QKeySequence.StandardKey.Paste, self.facts, context=Qt.ShortcutContext.WidgetShortcut)
        paste.activated.connect(self._paste_url)

        self.prospects.currentItemChanged.connect(self._on_current_prospect)
        self.prospect_search.textChanged.connect(self._filter_prospects)
        self.new_prospect.clicked.connect(self.new_prospect_clicked)
        self.add_note.clicked.connect(self.add_note_clicked)
        self.research.clicked.connect(self.research_clicked)
        self.cancel_research.clicked.connect(self.cancel_research_clicked)
        self.mark_replied.clicked.connect(self.mark_replied_clicked)
        self.disqualify.clicked.connect(self.disqualify_clicked)
        self.facts.itemDoubleClicked.connect(lambda item: self.fact_activated.emit(item.data(ID_ROLE)))
        self.facts.currentItemChanged.connect(self._update_fact_actions)
        self.facts.customContextMenuRequested.connect(self._fact_menu)
        self.fact_search.textChanged.connect(self.fact_search_changed)
        for name, button in self.actions.items():
            button.clicked.connect(lambda _=False, n=name: self._act(n))

    # -- prospects ---------------------------------------------------------------
    def set_prospects(self, prospects: list[Prospect], select_id: int | None = None) -> None:
        """Follow-ups that are due (or overdue) first, most overdue at the top; then the rest by name."""
        today = self.today.isoformat()
        due = sorted((p for p in prospects if p.shown_status(today) == "follow-up due"),
                     key=lambda p: (p.follow_up_due, p.company.lower()))
        rest = [p for p in prospects if p.shown_status(today) != "follow-up due"]
        self.prospects.blockSignals(True)
        self.prospects.clear()
        for p in due + rest:
            self._append_prospect(p)
        self.prospects.blockSignals(False)
        self.prospects_empty.setVisible(not prospects)
        self.due_label.setText(f"{len(due)} follow-up{'s' if len(due) != 1 else ''} due" if due else "Nothing due")
        self._filter_prospects(self.prospect_search.text())
        if prospects:
            self.select_prospect(select_id if select_id is not None else (due + rest)[0].id)

    def _decorate(self, item: QListWidgetItem, p: Prospect) -> None:
        today = self.today.isoformat()
        item.setText(_prospect_label(p, today))
        item.setData(ID_ROLE, p.id)
        item.setData(PROSPECT_ROLE, p)
        status = p.shown_status(today)
        font = QFont(self.prospects.font())
        font.setBold(status == "follow-up due")
        font.setStrikeOut(status == "disqualified")
        item.setFont(font)
        color = {"follow-up due": "#b3261e", "replied": "#1d6b2f", "disqualified": "#777777"}.get(status)
        item.setForeground(QBrush(QColor(color)) if color else QBrush())
        why = f"\nDisqualified: {p.status_reason}" if p.status_reason and status == "disqualified" else ""
        item.setToolTip(plain_tooltip(f"{p.company}\n{p.website}{why}"))

    def _append_prospect(self, p: Prospect) -> QListWidgetItem:
        item = QListWidgetItem()
        self._decorate(item, p)
        self.prospects.addItem(item)
        return item

    def upsert_prospect(self, p: Prospect) -> None:
        for row in range(self.prospects.count()):
            item = self.prospects.item(row)
            if item.data(ID_ROLE) == p.id:
                self._decorate(item, p)
                self._update_status_buttons()
                return
        self._append_prospect(p)
        self.prospects_empty.hide()

    def _filter_prospects(self, text: str) -> None:
        words = text.lower().split()
        for row in range(self.prospects.count()):
            item = self.prospects.item(row)
            p: Prospect = item.data(PROSPECT_ROLE)
            hay = f"{p.company} {p.contact_name} {p.role} {p.website} {p.status}".lower()
            item.setHidden(not all(w in hay for w in words))

    def select_prospect(self, prospect_id: int) -> None:
        for row in range(self.prospects.count()):
            if self.prospects.item(row).data(ID_ROLE) == prospect_id:
                self.prospects.setCurrentRow(row)
                return

    def current_prospect_id(self) -> int | None:
        item = self.prospects.currentItem()
        return item.data(ID_ROLE) if item else None

    def selected_prospect_ids(self) -> list[int]:
        """The prospects selected (shown ones, in list order); the current one when none is."""
        ids = [self.prospects.item(row).data(ID_ROLE) for row in range(self.prospects.count())
               if self.prospects.item(row).isSelected() and not self.prospects.item(row).isHidden()]
        current = self.current_prospect_id()
        return ids or ([current] if current is not None else [])

    def current_prospect(self) -> Prospect | None:
        item = self.prospects.currentItem()
        return item.data(PROSPECT_ROLE) if item else None

    def _update_status_buttons(self) -> None:
        p = self.current_prospect()
        self.mark_replied.setEnabled(p is not None and p.status in ("contacted",))
        self.disqualify.setEnabled(p is not None and p.status != "disqualified")

    def _on_current_prospect(self, current, _previous) -> None:
        self.add_note.setEnabled(current is not None)
        self.research.setEnabled(current is not None and not self.cancel_research.isVisible())
        self._update_status_buttons()
        if current is not None:
            if not self.search_mode:
                self.facts.clear()
                self.facts_empty.setText("Loading research…")
                self.facts_empty.show()
            self.prospect_selected.emit(current.data(ID_ROLE))

    # -- facts -------------------------------------------------------------------
    def _meta(self, fact: Fact, extra: dict | None = None) -> dict:
        meta = {"age": age_badge(fact, self.today, self.age_limits), "cited_before": fact.id in self.cited_before}
        meta.update(extra or {})
        return meta

    def set_facts(self, facts: list[Fact]) -> None:
        self.search_mode = False
        self.facts.setUpdatesEnabled(False)
        self.facts.clear()
        for f in facts:
            self.facts.add_card(f, self._meta(f))
        self.facts.setUpdatesEnabled(True)
        self._update_empty("No research yet. Press Research to read the company's site and news, or Add note "
                           "for what you learned from a call, a post or a referral.")
        if facts:
            self.facts.setCurrentRow(0)

    def show_search_results(self, query: str, facts: list[Fact], prospect_names: dict[int, str],
                            matches: dict[int, list]) -> None:
        self.search_mode = True
        self.facts.setUpdatesEnabled(False)
        self.facts.clear()
        for f in facts:
            self.facts.add_card(f, self._meta(f, {"prospect": prospect_names.get(f.prospect_id, ""),
                                                  "matches": matches.get(f.id, [])}))
        self.facts.setUpdatesEnabled(True)
        self._update_empty(f"Nothing matches “{query}”.")

    def add_fact(self, fact: Fact, select: bool = True) -> None:
        existing = self.facts.item_for(fact.id)
        if existing is not None:
            self.facts.update_card(existing, fact, self._meta(fact))
            return
        item = self.facts.add_card(fact, self._meta(fact), at_top=select)
        if select:
            self.facts.setCurrentItem(item)
        self._update_empty("")

    def remove_fact(self, fact_id: int) -> None:
        item = self.facts.item_for(fact_id)
        if item is not None:
            self.facts.takeItem(self.facts.row(item))
        self._update_empty("No research left. Press Research, or Add note.")

    def set_cited_before(self, fact_ids: set[int]) -> None:
        """Facts already cited in an earlier message to this prospect are marked on their cards."""
        changed = self.cited_before.symmetric_difference(fact_ids)
        self.cited_before = set(fact_ids)
        for fact_id in changed:  # only the cards whose mark changes are touched
            item = self.facts.item_for(fact_id)
            if item is not None:
                meta = dict(item.data(META_ROLE) or {})
                meta["cited_before"] = fact_id in self.cited_before
                self.facts.update_card(item, item.data(FACT_ROLE), meta)

    def _update_empty(self, message: str) -> None:
        empty = self.facts.count() == 0
        if message:
            self.facts_empty.setText(message)
        self.facts_empty.setVisible(empty)

    def current_fact_id(self) -> int | None:
        item = self.facts.currentItem()
        return item.data(ID_ROLE) if item else None

    def current_fact(self) -> Fact | None:
        item = self.facts.currentItem()
        return item.data(FACT_ROLE) if item else None

    def _update_fact_actions(self, current, _previous=None) -> None:
        fact: Fact | None = current.data(FACT_ROLE) if current else None
        for name, button in self.actions.items():
            button.setEnabled(fact is not None and (name not in ("open", "copy-link") or bool(fact.source_url)))
        if fact is not None:
            self.actions["pin"].setText("Unpin" if fact.pinned else "Pin")

    def _act(self, name: str) -> None:
        fact_id = self.current_fact_id()
        if fact_id is not None:
            self.fact_action.emit(name, fact_id)

    def _fact_menu(self, pos) -> None:
        item = self.facts.itemAt(pos)
        if item is None:
            return
        self.facts.setCurrentItem(item)
        menu = QMenu(self)
        cite = menu.addAction("Cite in the message")
        cite.triggered.connect(lambda: self.fact_activated.emit(item.data(ID_ROLE)))
        for name, button in self.actions.items():
            action = menu.addAction(button.text())
            action.setEnabled(button.isEnabled())
            action.triggered.connect(lambda _=False, n=name: self._act(n))
        menu.popup(self.facts.viewport().mapToGlobal(pos))

    # -- research progress -------------------------------------------------------------
    def show_running(self, running: bool) -> None:
        self.research.setEnabled(not running and self.current_prospect_id() is not None)
        self.cancel_research.setVisible(running)
        if running:
            self.errors.clear()
            self.errors.hide()
            self.progress.setText("Starting research…")
            self.progress.show()

    # The research layer redacts API keys already; these are the last step before the screen, so
    # they redact again rather than trust every caller to have done it.
    def show_progress(self, lines: dict[str, str]) -> None:
        self.progress.setText(redact("\n".join(f"{source}: {text}" for source, text in lines.items())))
        self.progress.show()

    def add_error(self, text: str) -> None:
        self.errors.addItem(redact(text))
        self.errors.show()

    # -- a URL dropped or pasted: research just that page --------------------------------
    def dragEnterEvent(self, event) -> None:
        if event.mimeData().hasUrls() or event.mimeData().text().startswith(("http://", "https://")):
            event.acceptProposedAction()

    def _paste_url(self) -> None:
        text = QGuiApplication.clipboard().text().strip()
        if text.startswith(("http://", "https://")) and " " not in text:
            self.url_dropped.emit(text)

    def dropEvent(self, event) -> None:
        data = event.mimeData()
        url = data.urls()[0].toString() if data.hasUrls() else data.text().strip()
        if url.startswith(("http://", "https://")):
            self.url_dropped.emit(url)
            event.acceptProposedAction()

