"""ResearchPane: prospects (searchable, follow-ups due first) on top, the selected prospect's facts below.

The facts shown are the ProspectSession's (or its search results): the pane renders them, keeps the
rep's own selection and scroll position while research adds more, and asks for changes by signal.
"""
from __future__ import annotations

import re
from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QFrame, QLabel, QLineEdit, QListWidget, QListWidgetItem, QMenu,
    QPushButton, QScrollArea, QToolButton, QVBoxLayout, QWidget,
)

from app.core.models import Fact, Prospect
from app.core.redact import redact

from .fact_cards import FACT_ROLE, FactList, age_badge
from .flow_layout import FlowLayout
from .qt_text import plain_tooltip
from .session import ProspectSession

ID_ROLE = Qt.ItemDataRole.UserRole
PROSPECT_ROLE = Qt.ItemDataRole.UserRole + 1

FACT_SORTS = {"best": "Best first", "newest": "Newest first", "oldest": "Oldest first"}
FACT_KINDS = {"": "All kinds", "news": "News", "site": "Company site", "feed": "Feeds", "hiring": "Hiring",
              "filing": "Filings", "note": "My notes"}


def _prospect_label(p: Prospect, today: str) -> str:
    who = ", ".join(x for x in (p.contact_name, p.role) if x)
    status = p.shown_status(today)
    due = f" since {p.follow_up_due}" if status == "follow-up due" and p.follow_up_due else ""
    # In a team: whose account it is and a teammate's last touch, so a rep sees it before opening it.
    team = "".join(x for x in (f"  ·  owner: {p.owner}" if getattr(p, "owner", None) else "",
                               f"  ·  team touch: {p.last_team_touch}" if getattr(p, "last_team_touch", None) else ""))
    return f"{p.company}  ({status}{due})" + team + (f"  ·  {who}" if who else "")


def _button(text: str, name: str, tip: str) -> QPushButton:
    button = QPushButton(text)
    button.setObjectName(name)
    button.setToolTip(tip)
    button.setAccessibleName(text.replace("&", "").rstrip("…"))
    return button


def sorted_facts(facts: list[Fact], sort: str, kind: str) -> list[Fact]:
    """The facts as the rep chose to see them: a kind only, newest or oldest first (undated last)."""
    shown = [f for f in facts if not kind or f.kind == kind]
    if sort == "newest":
        shown = sorted(shown, key=lambda f: f.published or "", reverse=True)
        shown.sort(key=lambda f: not f.published)
    elif sort == "oldest":
        shown = sorted(shown, key=lambda f: (not f.published, f.published or ""))
    return shown


class ResearchPane(QWidget):
    prospect_selected = Signal(int)
    new_prospect_clicked = Signal()
    prospect_action = Signal(str)  # edit, merge, delete, timeline, replied, disqualify, reopen
    add_note_clicked = Signal()
    research_clicked = Signal()
    cancel_research_clicked = Signal()
    fact_activated = Signal(int)  # double-click or Enter cites
    fact_action = Signal(str, int)  # action name (pin, edit, discard, open, copy-link, copy-provenance), fact id
    url_dropped = Signal(str)  # research just this page

    def __init__(self, session: ProspectSession, parent=None):
        super().__init__(parent)
        self.session = session
        self.today = date.today()
        self.age_limits: dict[str, int] | None = None  # fact kind -> days (the rule pack's); None: built-in

        self.prospect_search = QLineEdit()
        self.prospect_search.setObjectName("prospectSearch")
        self.prospect_search.setPlaceholderText("Find a prospect (Ctrl+L)…")
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
        self.prospects.setMinimumHeight(self.prospects.fontMetrics().lineSpacing() * 4)
        self.prospects_empty = QLabel("No prospects yet. Press New prospect (Ctrl+N) to add the company you are "
                                      "writing to.")
        self.prospects_empty.setObjectName("prospectsEmptyLabel")
        self.prospects_empty.setWordWrap(True)
        self.prospects_empty.hide()
        self.due_label = QLabel()
        self.due_label.setObjectName("dueSummaryLabel")
        self.due_label.setTextFormat(Qt.TextFormat.PlainText)
        self.new_prospect = _button("New prospect", "newProspectButton", "Add a company to research (Ctrl+N)")
        self.edit_prospect = _button("Edit…", "editProspectButton", "Change the company, website, contact or e-mail")
        self.mark_replied = _button("Mark replied", "markRepliedButton", "They answered: stop the follow-ups")
        self.disqualify = _button("Disqualify…", "disqualifyButton",
                                  "Stop pursuing this prospect, with a reason you will remember")
        self.more = QToolButton()
        self.more.setObjectName("prospectMoreButton")
        self.more.setText("More")
        self.more.setAccessibleName("More prospect actions")
        self.more.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        more_menu = QMenu(self.more)
        for name, text in (("timeline", "Timeline…"), ("merge", "Merge with…"), ("delete", "Delete…")):
            action = more_menu.addAction(text)
            action.setObjectName(f"prospect{name.title()}Action")
            action.triggered.connect(lambda _=False, n=name: self.prospect_action.emit(n))
        self.more.setMenu(more_menu)
        for b in (self.edit_prospect, self.mark_replied, self.disqualify, self.more):
            b.setEnabled(False)

        self.fact_search = QLineEdit()
        self.fact_search.setObjectName("factSearch")
        self.fact_search.setPlaceholderText("Search all facts and notes (Ctrl+F)…")
        self.fact_search.setAccessibleName("Search facts")
        self.fact_search.setClearButtonEnabled(True)
        self.fact_sort = QComboBox()
        self.fact_sort.setObjectName("factSort")
        self.fact_sort.setAccessibleName("Sort facts")
        for key, label in FACT_SORTS.items():
            self.fact_sort.addItem(label, key)
        self.fact_kind = QComboBox()
        self.fact_kind.setObjectName("factKindFilter")
        self.fact_kind.setAccessibleName("Show facts of kind")
        for key, label in FACT_KINDS.items():
            self.fact_kind.addItem(label, key)
        self.facts = FactList()
        self.facts.setObjectName("factList")
        self.facts.setAccessibleName("Research facts")
        self.facts.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.facts.setMinimumHeight(self.facts.fontMetrics().lineSpacing() * 6)
        self.add_note = _button("Add note", "addNoteButton", "Your own research: a call, a post, a referral (Ctrl+Shift+N)")
        self.add_note.setEnabled(False)
        self.research = _button("Research", "researchButton",
                                "Gather facts from the company's website, its feeds and the news (Ctrl+R)")
        self.research.setEnabled(False)
        self.cancel_research = _button("Cancel", "cancelResearchButton", "Stop researching; keep what was found")
        self.cancel_research.hide()
        self.actions: dict[str, QPushButton] = {
            "pin": _button("Pin", "pinFactButton", "Keep this fact at the top"),
            "edit": _button("Edit…", "editFactButton", "Correct this fact's wording, date or source"),
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

        def title(text: str) -> QLabel:
            label = QLabel(text)
            font = label.font()
            font.setBold(True)
            label.setFont(font)
            return label

        top = FlowLayout()
        for w in (title("Prospects"), self.due_label, self.new_prospect):
            top.addWidget(w)
        status_row = FlowLayout()
        for b in (self.edit_prospect, self.mark_replied, self.disqualify, self.more):
            status_row.addWidget(b)
        mid = FlowLayout()
        for w in (title("Research"), self.research, self.cancel_research, self.add_note):
            mid.addWidget(w)
        view = FlowLayout()
        view.addWidget(self.fact_sort)
        view.addWidget(self.fact_kind)
        actions = FlowLayout()
        for b in (*self.actions.values(), self.undo):
            actions.addWidget(b)
        content = QWidget()
        content.setObjectName("researchContent")
        layout = QVBoxLayout(content)
        layout.setContentsMargins(9, 6, 4, 4)  # off the window's edge, as the composer is
        layout.addLayout(top)
        layout.addWidget(self.prospect_search)
        layout.addWidget(self.prospects, 2)
        layout.addWidget(self.prospects_empty)
        layout.addLayout(status_row)
        layout.addLayout(mid)
        layout.addWidget(self.progress)
        layout.addWidget(self.errors)
        layout.addWidget(self.fact_search)
        layout.addLayout(view)
        layout.addWidget(self.facts_empty)
        layout.addWidget(self.facts, 3)
        layout.addLayout(actions)
        # The pane scrolls rather than push anything off a small screen.
        scroll = QScrollArea()
        scroll.setObjectName("researchScroll")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(content)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)
        self.setAcceptDrops(True)
        paste = QShortcut(QKeySequence.StandardKey.Paste, self.facts, context=Qt.ShortcutContext.WidgetShortcut)
        paste.activated.connect(self._paste_url)

        self.prospects.currentItemChanged.connect(self._on_current_prospect)
        self.prospect_search.textChanged.connect(self._filter_prospects)
        self.new_prospect.clicked.connect(self.new_prospect_clicked)
        self.edit_prospect.clicked.connect(lambda: self.prospect_action.emit("edit"))
        self.mark_replied.clicked.connect(lambda: self.prospect_action.emit("replied"))
        self.disqualify.clicked.connect(
            lambda: self.prospect_action.emit("reopen" if self._current_status() == "disqualified" else "disqualify"))
        self.add_note.clicked.connect(self.add_note_clicked)
        self.research.clicked.connect(self.research_clicked)
        self.cancel_research.clicked.connect(self.cancel_research_clicked)
        self.facts.itemDoubleClicked.connect(lambda item: self.fact_activated.emit(item.data(ID_ROLE)))
        self.facts.itemActivated.connect(lambda item: self.fact_activated.emit(item.data(ID_ROLE)))
        self.facts.currentItemChanged.connect(self._update_fact_actions)
        self.facts.customContextMenuRequested.connect(self._fact_menu)
        # From the keyboard, the menu opens on the current card (a keyboard context-menu event points
        # at the list's middle, which may be another card).
        for keys in (QKeySequence(Qt.Key.Key_Menu), QKeySequence("Shift+F10")):
            menu_key = QShortcut(keys, self.facts, context=Qt.ShortcutContext.WidgetShortcut)
            menu_key.activated.connect(self._current_fact_menu)
        self.fact_search.textChanged.connect(session.search)
        self.fact_sort.currentIndexChanged.connect(self.show_facts)
        self.fact_kind.currentIndexChanged.connect(self.show_facts)
        for name, button in self.actions.items():
            button.clicked.connect(lambda _=False, n=name: self._act(n))

        session.selected.connect(self._on_selected)
        session.loaded.connect(self.show_facts)
        session.facts_changed.connect(self.show_facts)
        session.touches_changed.connect(self.show_facts)  # "cited before" marks
        session.search_changed.connect(self.show_facts)

    # -- prospects ---------------------------------------------------------------
    def set_prospects(self, prospects: list[Prospect], select_id: int | None = None) -> None:
        """Follow-ups that are due (or overdue) first, most overdue at the top; then the rest by name."""
        today = self.today.isoformat()
        due = sorted((p for p in prospects if p.shown_status(today) == "follow-up due"),
                     key=lambda p: (p.follow_up_due, p.company.lower()))
        rest = sorted((p for p in prospects if p.shown_status(today) != "follow-up due"),
                      key=lambda p: (p.company.lower(), p.id))
        self.prospects.blockSignals(True)
        self.prospects.clear()
        for p in due + rest:
            self._append_prospect(p)
        self.prospects.blockSignals(False)
        self.prospects_empty.setVisible(not prospects)
        self._update_due(prospects)
        self._filter_prospects(self.prospect_search.text())
        if prospects:
            ids = {p.id for p in prospects}
            self.select_prospect(select_id if select_id in ids else (due + rest)[0].id)
        else:
            self.session.select(None)
            self._update_status_buttons()

    def _update_due(self, prospects) -> None:
        today = self.today.isoformat()
        n = sum(1 for p in prospects if p.shown_status(today) == "follow-up due")
        self.due_label.setText(f"{n} follow-up{'s' if n != 1 else ''} due" if n else "Nothing due")

    def all_prospects(self) -> list[Prospect]:
        return [self.prospects.item(row).data(PROSPECT_ROLE) for row in range(self.prospects.count())]

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
        # Colours with at least 4.5:1 contrast on a white list.
        color = {"follow-up due": "#b3261e", "replied": "#1d6b2f", "disqualified": "#595959"}.get(status)
        item.setForeground(QBrush(QColor(color)) if color else QBrush())
        why = f"\nDisqualified: {p.status_reason}" if p.status_reason and status == "disqualified" else ""
        email = getattr(p, "email", "")
        item.setToolTip(plain_tooltip(f"{p.company}\n{p.website}" + (f"\n{email}" if email else "") + why))

    def _append_prospect(self, p: Prospect) -> QListWidgetItem:
        item = QListWidgetItem()
        self._decorate(item, p)
        self.prospects.addItem(item)
        return item

    def _item_for(self, prospect_id: int) -> QListWidgetItem | None:
        for row in range(self.prospects.count()):
            if self.prospects.item(row).data(ID_ROLE) == prospect_id:
                return self.prospects.item(row)
        return None

    def upsert_prospect(self, p: Prospect | None) -> None:
        if p is None or not p.company:
            return
        item = self._item_for(p.id)
        if item is not None:
            self._decorate(item, p)
        else:
            self._append_prospect(p)
            self.prospects_empty.hide()
        self._update_due(self.all_prospects())
        self._update_status_buttons()

    def remove_prospect(self, prospect_id: int) -> None:
        item = self._item_for(prospect_id)
        if item is None:
            return
        row = self.prospects.row(item)
        self.prospects.takeItem(row)
        self.prospects_empty.setVisible(self.prospects.count() == 0)
        self._update_due(self.all_prospects())
        if self.prospects.count() == 0:
            self.session.select(None)

    def _filter_prospects(self, text: str) -> None:
        words = text.lower().split()
        for row in range(self.prospects.count()):
            item = self.prospects.item(row)
            p: Prospect = item.data(PROSPECT_ROLE)
            hay = f"{p.company} {p.contact_name} {p.role} {p.website} {getattr(p, 'email', '')} {p.status}".lower()
            item.setHidden(not all(w in hay for w in words))

    def select_prospect(self, prospect_id: int) -> None:
        item = self._item_for(prospect_id)
        if item is not None:
            self.prospects.setCurrentItem(item)

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

    def _current_status(self) -> str | None:
        p = self.current_prospect()
        return p.status if p else None

    def _update_status_buttons(self) -> None:
        p = self.current_prospect()
        for b in (self.edit_prospect, self.more):
            b.setEnabled(p is not None)
        self.mark_replied.setEnabled(p is not None and p.status == "contacted")
        self.disqualify.setEnabled(p is not None)
        reopen = p is not None and p.status == "disqualified"
        self.disqualify.setText("Reopen" if reopen else "Disqualify…")
        self.disqualify.setToolTip("Take this prospect up again" if reopen else
                                   "Stop pursuing this prospect, with a reason you will remember")

    def _on_current_prospect(self, current, _previous) -> None:
        self.add_note.setEnabled(current is not None)
        self.research.setEnabled(current is not None and not self.cancel_research.isVisible())
        self._update_status_buttons()
        if current is not None:
            self.progress.hide()
            self.errors.hide()
            self.prospect_selected.emit(current.data(ID_ROLE))

    # -- facts -------------------------------------------------------------------
    def _on_selected(self) -> None:
        """Another prospect: its facts are loading; a search for the last one ends."""
        if self.fact_search.text():
            self.fact_search.clear()  # (clears the session's search too)
        self.undo.hide()
        self.facts.clear()
        self.facts_empty.setText("Loading research…" if self.session.prospect_id is not None
                                 else "Select a prospect to see its research.")
        self.facts_empty.show()
        self._update_fact_actions(None)

    @property
    def search_mode(self) -> bool:
        return bool(self.session.search_query)

    def _meta(self, fact: Fact, extra: dict | None = None) -> dict:
        meta = {"age": age_badge(fact, self.today, self.age_limits), "cited_before": fact.id in self.session.cited_before}
        meta.update(extra or {})
        return meta

    def show_facts(self) -> None:
        """Render the session's facts (or its search results), keeping the rep's selection and scroll
        position: research adding a fact must never change which fact Cite would insert."""
        s = self.session
        current = self.current_fact_id()
        scroll = self.facts.verticalScrollBar().value()
        if self.search_mode:
            words = re.findall(r"\w+", s.search_query)
            shown = [(f, self._meta(f, {"prospect": s.search_names.get(f.prospect_id, ""),
                                        "matches": _matches(f.text, words)})) for f in s.search_results]
            empty = f"Nothing matches “{s.search_query}”."
        else:
            facts = sorted_facts(s.ordered_facts, self.fact_sort.currentData(), self.fact_kind.currentData())
            shown = [(f, self._meta(f)) for f in facts]
            if not s.is_loaded:
                empty = "Loading research…" if s.prospect_id is not None else "Select a prospect to see its research."
            elif s.facts and not facts:
                empty = "No facts of this kind: choose All kinds to see every fact."
            else:
                empty = ("No research yet. Press Research to read the company's site and news, or Add note for what "
                         "you learned from a call, a post or a referral.")
        self.facts.setUpdatesEnabled(False)
        self.facts.blockSignals(True)
        self.facts.clear()
        for f, meta in shown:
            self.facts.add_card(f, meta)
        self.facts.blockSignals(False)
        if current is not None and self.facts.item_for(current) is not None:
            self.facts.setCurrentItem(self.facts.item_for(current))
        elif current is None and self.facts.count() and not self.search_mode:
            self.facts.setCurrentRow(0)  # a prospect just opened: its best fact is at hand
        self.facts.verticalScrollBar().setValue(scroll)
        self.facts.setUpdatesEnabled(True)
        self._update_fact_actions(self.facts.currentItem())
        self.facts_empty.setText(empty)
        self.facts_empty.setVisible(self.facts.count() == 0)

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
        self.actions["pin"].setText("Unpin" if fact is not None and fact.pinned else "Pin")
        self.actions["pin"].setAccessibleName(self.actions["pin"].text())

    def _act(self, name: str) -> None:
        fact_id = self.current_fact_id()
        if fact_id is not None:
            self.fact_action.emit(name, fact_id)

    def _current_fact_menu(self) -> None:
        current = self.facts.currentItem()
        if current is not None:
            self._fact_menu(self.facts.visualItemRect(current).center())

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
        fact = item.data(FACT_ROLE)
        if fact is not None and fact.has_snapshot:  # the quote, its page, when it was read and its hash
            provenance = menu.addAction("Copy where it was quoted")
            provenance.setObjectName("copyProvenanceAction")
            provenance.triggered.connect(lambda: self._act("copy-provenance"))
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

    def set_errors(self, lines: list[str]) -> None:
        """The problems list holds these lines (a prospect of the batch, when selected); hidden when none."""
        self.errors.clear()
        for line in lines:
            self.errors.addItem(redact(line))
        self.errors.setVisible(bool(lines))

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


def _matches(text: str, words: list[str]) -> list[tuple[int, int]]:
    """Where the searched words (and words they start) are in a fact's text, to highlight them."""
    if not words:
        return []
    pattern = re.compile(r"\b(?:" + "|".join(re.escape(w) for w in words) + r")\w*", re.IGNORECASE)
    return [m.span() for m in pattern.finditer(text)]
