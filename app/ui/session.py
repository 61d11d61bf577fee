"""ProspectSession: the selected prospect, held once in memory.

Its record, facts, sent log and draft, and the fact search, live here and nowhere else: the panes
render from the session and ask it to change things. It computes what several panes need once (the
facts' order, which facts were cited before, the kind of message due next) when its data changes.

It learns of changes from WorkspaceService.changed, so a fact saved by research, a note, an edit in
a dialog or a send all reach every pane the same way, whoever caused them.
"""
from __future__ import annotations

from PySide6.QtCore import QObject, QTimer, Signal

from app.core.models import EMAIL_KINDS, Draft, Fact, Prospect, Touch
from app.services.workspace_service import Change, ProspectData, WorkspaceService

AUTOSAVE_MS = 800


def fact_order(facts) -> list[Fact]:
    """The store's order (WorkspaceRepo.list_facts): pinned first, off-site facts after the rest; the
    rep's own notes (no score) before research; research by usefulness, then newest, then latest found."""
    ordered = sorted(facts, key=lambda f: -f.id)
    ordered.sort(key=lambda f: f.published or "", reverse=True)  # (stable: ties keep newest id first)
    ordered.sort(key=lambda f: (not f.pinned, f.off_site, f.score is not None, -(f.score or 0.0)))
    return ordered


class ProspectSession(QObject):
    selected = Signal()  # another prospect (or none): everything below was replaced; its data is loading
    loaded = Signal()  # the selected prospect's facts, sent log and draft are in
    record_changed = Signal()  # the prospect's own fields or status changed
    facts_changed = Signal()  # facts added, changed or gone (panes keep their own selection)
    touches_changed = Signal()  # the sent log changed
    draft_replaced = Signal()  # a draft from outside the composer: loaded, or cleared after a send
    search_changed = Signal()  # the fact search's query or results
    failed = Signal(str)  # loading failed: what to tell the rep

    def __init__(self, service: WorkspaceService, parent: QObject | None = None):
        super().__init__(parent)
        self.service = service
        self.prospect: Prospect | None = None
        self.is_loaded = False
        self.facts: dict[int, Fact] = {}  # not discarded
        self.touches: list[Touch] = []  # oldest first
        self.draft: Draft | None = None  # the composer's text, as of its last edit
        self.team = None  # TeamContext in a team workspace (who owns the account, a teammate's touch); else None
        self.search_query = ""
        self.search_results: list[Fact] = []
        self.search_names: dict[int, str] = {}  # prospect id -> company, for results of other prospects
        self.last_discarded: int | None = None
        # Computed once per change (several panes read them).
        self.ordered_facts: list[Fact] = []
        self.facts_by_key: dict[str, Fact] = {}  # "12" -> fact: how a citation marker names it
        self.cited_before: frozenset[int] = frozenset()
        self._search_generation = 0
        self._draft_dirty = False
        self._autosave = QTimer(self)
        self._autosave.setSingleShot(True)
        self._autosave.setInterval(AUTOSAVE_MS)
        self._autosave.timeout.connect(self.flush)
        service.changed.connect(self._on_change)

    # -- reading -----------------------------------------------------------------
    @property
    def prospect_id(self) -> int | None:
        return self.prospect.id if self.prospect else None

    def last_email(self) -> Touch | None:
        """The last email sent: what a follow-up forwards (a call or a LinkedIn note since is not one)."""
        return next((t for t in reversed(self.touches) if t.kind in EMAIL_KINDS), None)

    def default_kind(self) -> str:
        """The message due next: a follow-up once an email was sent and no reply came; else a first touch."""
        if self.prospect is not None and self.prospect.status == "contacted" and self.last_email() is not None:
            return "follow-up"
        return "first-touch"

    # -- selecting -------------------------------------------------------------------
    def select(self, prospect_id: int | None) -> None:
        """Show another prospect: the current draft is saved first; the new one's data loads off the UI thread."""
        if prospect_id is not None and prospect_id == self.prospect_id:
            return
        self.flush()
        self.is_loaded = False
        self.prospect = None
        self.facts, self.touches, self.draft, self.team = {}, [], None, None
        self.last_discarded = None
        self._derive()
        if prospect_id is not None:
            # A record with only the id until the load answers: panes can tell which prospect it is.
            self.prospect = Prospect(prospect_id, "")
        self.selected.emit()
        if prospect_id is not None:
            self._load(prospect_id)

    def reload(self) -> None:
        """Read the selected prospect again (after a restore, an import, a merge)."""
        if self.prospect_id is not None:
            self.flush()
            self._load(self.prospect_id)

    def _load(self, prospect_id: int) -> None:
        def loaded(data: ProspectData) -> None:
            if prospect_id != self.prospect_id:
                return  # the rep moved on: a late answer for a prospect no longer shown
            self.prospect = data.prospect
            self.facts = {f.id: f for f in data.facts}
            self.touches = list(data.touches)
            self.team = data.team
            self.draft = data.draft if data.draft is not None else Draft(prospect_id, self.default_kind())
            self.is_loaded = True
            self._derive()
            self.loaded.emit()

        def failed(message: str) -> None:
            if prospect_id == self.prospect_id:
                self.failed.emit(message)

        self.service.load_prospect(prospect_id).success(loaded).failure(failed)

    # -- changes from the store --------------------------------------------------------
    def _on_change(self, change: Change) -> None:
        pid = self.prospect_id
        if change.reload:
            self.reload()
            return
        if pid in change.removed_prospects:
            self.select(None)
            return
        for p in change.prospects:
            if p.id == pid and self.is_loaded:
                self.prospect = p
                self.record_changed.emit()
        mine = [f for f in change.facts if f.prospect_id == pid]
        if mine:
            for f in mine:
                if f.discarded:
                    self.facts.pop(f.id, None)
                else:
                    self.facts[f.id] = f
            self._derive()
            self.facts_changed.emit()
        if change.facts and self.search_query:
            updated = {f.id: f for f in change.facts}
            if any(f.id in updated for f in self.search_results):
                self.search_results = [updated.get(f.id, f) for f in self.search_results
                                       if not updated.get(f.id, f).discarded]
                self.search_changed.emit()
        added = [t for t in change.touches if t.prospect_id == pid]
        removed = {t.id for t in change.removed_touches if t.prospect_id == pid}
        if (added or removed) and self.is_loaded:
            self.touches = [t for t in self.touches if t.id not in removed] + added
            self._derive()
            self.touches_changed.emit()

    def _derive(self) -> None:
        self.ordered_facts = fact_order(self.facts.values())
        self.facts_by_key = {str(f.id): f for f in self.ordered_facts}
        self.cited_before = frozenset(fid for t in self.touches for fid in t.cited_fact_ids)

    # -- the draft -------------------------------------------------------------------
    def edit_draft(self, kind: str, subject: str, body: str) -> None:
        """The composer's text changed: kept here, saved a moment after the rep stops typing."""
        if self.prospect_id is None or not self.is_loaded:
            return
        self.draft = Draft(self.prospect_id, kind, subject, body)
        self._draft_dirty = True
        self._autosave.start()

    def flush(self) -> None:
        """Save the draft now if an autosave is pending (switching prospect, sending, quitting)."""
        self._autosave.stop()
        if self._draft_dirty and self.draft is not None:
            self._draft_dirty = False
            self.service.save_draft(self.draft)

    def replace_draft(self, draft: Draft) -> None:
        """A draft from outside the composer (an undone send puts its text back); saved at once."""
        if draft.prospect_id != self.prospect_id:
            return
        self.draft = draft
        self._draft_dirty = True
        self.flush()
        self.draft_replaced.emit()

    def clear_draft(self) -> None:
        """After a send: an empty draft of the kind now due (a follow-up after an email)."""
        if self.prospect_id is None:
            return
        # Nothing to save: logging the send removed the stored draft, and an empty one is not kept.
        self._autosave.stop()
        self._draft_dirty = False
        self.draft = Draft(self.prospect_id, self.default_kind())
        self.draft_replaced.emit()

    # -- the fact search ------------------------------------------------------------
    def search(self, query: str) -> None:
        """Search every prospect's facts; an empty query goes back to this prospect's facts."""
        self._search_generation += 1
        generation = self._search_generation
        self.search_query = query.strip()
        if not self.search_query:
            self.search_results, self.search_names = [], {}
            self.search_changed.emit()
            return

        def found(result) -> None:
            if generation != self._search_generation:
                return  # the rep typed on: an older query's answer
            self.search_results, self.search_names = result
            self.search_changed.emit()

        self.service.search_facts(self.search_query).success(found)
