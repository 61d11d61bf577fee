"""What the rep does to prospects and facts: add, edit, merge, delete, status, notes, fact actions.

Each action opens its dialog (if any), calls the service and says how it went; the session and the
prospect list show the result, because they hear of every change from the service.
"""
from __future__ import annotations

from PySide6.QtCore import QObject, Qt, QUrl
from PySide6.QtGui import QDesktopServices, QGuiApplication

from app.services.workspace_service import WorkspaceService

from .dialogs import (
    ConfirmDeleteProspectDialog, DisqualifyDialog, EditFactDialog, MergeProspectsDialog, NewProspectDialog, NoteDialog,
    ProspectDialog, TimelineDialog,
)
from .research_pane import ResearchPane
from .session import ProspectSession


def _open(dialog) -> None:
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()


class ProspectActions(QObject):
    def __init__(self, window, service: WorkspaceService, session: ProspectSession, pane: ResearchPane):
        super().__init__(window)
        self.window, self.service, self.session, self.pane = window, service, session, pane

    def _status(self, text: str, ms: int = 5000) -> None:
        self.window.statusBar().showMessage(text, ms)

    # -- prospects ---------------------------------------------------------------
    def _duplicates(self, exclude_id: int | None = None):
        """What the prospect dialog asks on every key: look-alikes among the prospects already listed."""
        listed = self.pane.all_prospects()
        return lambda company, website: self.service.duplicates_among(listed, company, website, exclude_id)

    def new_prospect(self) -> None:
        dialog = NewProspectDialog(self.window, find_duplicates=self._duplicates())

        def accepted() -> None:
            v = dialog.value
            self.service.add_prospect(v.company, v.website, v.contact_name, v.role, v.email).success(self._added)

        dialog.accepted.connect(accepted)
        dialog.open_existing_requested.connect(self.pane.select_prospect)  # "Open it instead"
        _open(dialog)

    def _added(self, prospect) -> None:
        self.pane.select_prospect(prospect.id)
        self._status(f"Added {prospect.company}. Press Research, or add what you know.")

    def prospect_action(self, name: str) -> None:
        {"edit": self.edit, "replied": self.mark_replied, "disqualify": self.disqualify, "reopen": self.reopen,
         "merge": self.merge, "delete": self.delete, "timeline": self.timeline}[name]()

    def edit(self) -> None:
        prospect = self.pane.current_prospect()
        if prospect is None:
            return
        dialog = ProspectDialog(self.window, prospect, find_duplicates=self._duplicates(prospect.id))

        def accepted() -> None:
            v = dialog.value
            self.service.update_prospect(prospect.id, v.company, v.website, v.contact_name, v.role, v.email).success(
                lambda p: self._status(f"Saved {p.company}."))

        dialog.accepted.connect(accepted)
        dialog.open_existing_requested.connect(self.pane.select_prospect)
        _open(dialog)

    def mark_replied(self) -> None:
        prospect_id = self.session.prospect_id
        if prospect_id is not None:
            self.service.set_status(prospect_id, "replied").success(
                lambda _p: self._status("Marked replied: no more follow-ups for this prospect."))

    def disqualify(self) -> None:
        prospect = self.pane.current_prospect()
        if prospect is None:
            return
        dialog = DisqualifyDialog(prospect.company, self.window)
        dialog.accepted.connect(lambda: self.service.set_status(prospect.id, "disqualified", dialog.value))
        _open(dialog)

    def reopen(self) -> None:
        prospect = self.pane.current_prospect()
        if prospect is not None:
            self.service.reopen_prospect(prospect.id).success(
                lambda p: self._status(f"{p.company} is back on your list ({p.status})."))

    def merge(self) -> None:
        """Merge the prospects selected in the list; with one selected, it and its look-alikes."""
        ids = self.pane.selected_prospect_ids()
        listed = {p.id: p for p in self.pane.all_prospects()}
        chosen = [listed[i] for i in ids if i in listed]
        if len(chosen) == 1:
            p = chosen[0]
            chosen += self.service.duplicates_among(listed.values(), p.company, p.website, p.id)
        if len(chosen) < 2:
            self._status("Select the two prospects to merge (Ctrl+click in the list), then Merge.", 8000)
            return
        dialog = MergeProspectsDialog(self.window, chosen[:2])

        def accepted() -> None:
            keep, other = dialog.value, dialog.merged_ids[0]
            self.service.merge_prospects(keep, other).success(lambda p: (
                self.pane.select_prospect(p.id), self._status(f"Merged into {p.company}.")))

        dialog.accepted.connect(accepted)
        _open(dialog)

    def delete(self) -> None:
        prospect = self.pane.current_prospect()
        if prospect is None:
            return
        facts = len(self.session.facts) if self.session.prospect_id == prospect.id and self.session.is_loaded else None
        sent = len(self.session.touches) if facts is not None else None
        dialog = ConfirmDeleteProspectDialog(self.window, prospect.company, facts, sent)
        dialog.accepted.connect(lambda: self.service.delete_prospect(prospect.id).success(
            lambda p: self._status(f"Deleted {p.company}.")))
        _open(dialog)

    def timeline(self) -> None:
        prospect = self.pane.current_prospect()
        if prospect is None:
            return
        self.service.timeline(prospect.id).success(
            lambda events: _open(TimelineDialog(self.window, prospect.company, events)))

    # -- notes and facts -------------------------------------------------------------
    def add_note(self) -> None:
        prospect = self.session.prospect
        if prospect is None:
            return
        dialog = NoteDialog(prospect.company, self.window)
        dialog.accepted.connect(
            lambda: self.service.add_note(prospect.id, dialog.value.text, dialog.value.source_url).success(
                lambda fact: self.pane.facts.setCurrentItem(self.pane.facts.item_for(fact.id))))
        _open(dialog)

    def fact_action(self, action: str, fact_id: int) -> None:
        fact = self.session.facts.get(fact_id) or self.pane.current_fact()
        if fact is None:
            return
        if action == "pin":
            self.service.set_pinned(fact_id, not fact.pinned).success(
                lambda f: self._status("Pinned: it stays at the top." if f.pinned else "Unpinned."))
        elif action == "discard":
            def discarded(_f) -> None:
                self.session.last_discarded = fact_id
                self.pane.undo.show()
                self._status("Fact discarded. Undo discard brings it back.", 8000)
            self.service.set_discarded(fact_id, True).success(discarded)
        elif action == "edit":
            dialog = EditFactDialog(fact.text, self.window, published=fact.published or "",
                                    source_url=fact.source_url, source_title=fact.source_title)

            def edited() -> None:
                d = dialog.details
                self.service.edit_fact(fact_id, d.text, d.published or "", d.source_url, d.source_title)

            dialog.accepted.connect(edited)
            _open(dialog)
        elif action == "open" and fact.source_url.startswith(("http://", "https://")):
            QDesktopServices.openUrl(QUrl(fact.source_url))  # only web links: never file: or javascript:
        elif action == "copy-link" and fact.source_url:
            QGuiApplication.clipboard().setText(fact.source_url)
            self._status("Source link copied.", 3000)
        elif action == "copy-provenance" and fact.has_snapshot:
            QGuiApplication.clipboard().setText(fact.provenance())
            self._status("Copied the quote, its page, when Earned read it and its hash.", 4000)

    def undo_discard(self) -> None:
        fact_id = self.session.last_discarded
        if fact_id is not None:
            self.session.last_discarded = None
            self.service.set_discarded(fact_id, False).success(lambda _f: self._status("Fact restored."))
        self.pane.undo.hide()
