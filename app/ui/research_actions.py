"""Research from the window: one prospect (or one dropped page), and a list in the background.

The services find the facts and save them; this shows their progress, problems and summary. A prospect
of the batch shows its problem lines in the research pane's problems list when the rep selects it (and as
they come, while it is selected), the same lines research of one prospect lists.
"""
from __future__ import annotations

from PySide6.QtCore import QObject

from app.services.batch_research_service import BatchResearchService
from app.services.research_service import ResearchService
from app.services.workspace_service import WorkspaceService

from .batch_panel import BatchPanel, problem_line
from .research_pane import ResearchPane
from .session import ProspectSession


class ResearchActions(QObject):
    def __init__(self, window, service: WorkspaceService, session: ProspectSession, pane: ResearchPane,
                 research: ResearchService, batch: BatchResearchService, panel: BatchPanel):
        super().__init__(window)
        self.window, self.service, self.session, self.pane = window, service, session, pane
        self.research_service, self.batch, self.panel = research, batch, panel
        self._lines: dict[str, str] = {}  # the running research's progress, by source
        self._lines_for: int | None = None

        pane.research_clicked.connect(self.research)
        pane.url_dropped.connect(self.research_page)
        pane.cancel_research_clicked.connect(research.cancel)
        research.started.connect(lambda pid: pane.show_running(True))
        research.progress.connect(self._on_progress)
        research.save_to(service)  # the research services save what they find, as the command line does
        research.error_found.connect(self._on_error)
        research.failed.connect(lambda pid, message: window.show_notice(message))
        research.finished.connect(self._on_finished)
        session.selected.connect(self._show_lines)

        panel.cancel_clicked.connect(batch.cancel)
        panel.offer_accepted.connect(self.research_list)
        batch.queue_loaded.connect(panel.set_items)
        batch.item_changed.connect(panel.update_item)
        batch.item_changed.connect(self._on_batch_item)
        batch.error_found.connect(self._on_batch_error)
        batch.progress.connect(panel.show_progress)
        batch.batch_started.connect(lambda: panel.set_running(True))
        batch.batch_finished.connect(lambda summary: panel.set_running(False))
        batch.save_to(service)
        batch.failed.connect(window.show_notice)

    def _status(self, text: str, ms: int = 0) -> None:
        self.window.statusBar().showMessage(text, ms)

    def research(self) -> None:
        p = self.pane.current_prospect()  # (the list's record: no need to wait for its facts to load)
        if p is None or self.research_service.is_running():
            return
        if not p.website:
            self.window.show_notice(f"{p.company} has no website yet: press Edit… under Prospects to add it, "
                                    "then Research. Meanwhile research finds news by the company's name.")
        self._start(p.id)
        self.research_service.start(p.id, p.company, p.website)
        self._status(f"Researching {p.company}…")

    def research_page(self, url: str) -> None:
        p = self.pane.current_prospect()
        if p is None or self.research_service.is_running():
            return
        self._start(p.id)
        self.research_service.start(p.id, p.company, url, single_page=True)
        self._status(f"Reading {url}…")

    def _start(self, prospect_id: int) -> None:
        self._lines, self._lines_for = {}, prospect_id

    def _show_lines(self) -> None:
        """The progress lines belong to the prospect being researched: shown only while it is selected. A
        prospect of the batch shows its problems."""
        if self._lines and self._lines_for == self.session.prospect_id:
            self.pane.show_progress(self._lines)
        self._show_batch_problems()

    def _researching_alone(self, prospect_id: int | None) -> bool:
        """Research of this one prospect runs now: its own lines are in the problems list."""
        return self.research_service.is_running() and self._lines_for == prospect_id

    def _show_batch_problems(self) -> None:
        """The selected prospect's problem lines from the batch panel, in place of what the list showed."""
        pid = self.session.prospect_id
        if pid is None or not self.panel.has(pid) or self._researching_alone(pid):
            return
        # Its lines, or none yet: never the lines the list kept from the prospect shown before.
        self.pane.set_errors(self.panel.problems(pid))

    def _on_batch_item(self, item) -> None:
        if item.prospect_id != self.session.prospect_id or self._researching_alone(item.prospect_id):
            return
        if item.state == "running":  # a new run: the last one's lines are gone
            self.pane.set_errors([])

    def _on_batch_error(self, prospect_id: int, error) -> None:
        self.panel.add_problem(prospect_id, error)
        if prospect_id == self.session.prospect_id and not self._researching_alone(prospect_id):
            self.pane.add_error(problem_line(error))

    def _on_progress(self, prospect_id: int, source: str, text: str) -> None:
        self._lines[source] = text
        if prospect_id == self.session.prospect_id:
            self.pane.show_progress(self._lines)

    def _on_error(self, prospect_id: int, error) -> None:
        if prospect_id == self.session.prospect_id:
            self.pane.add_error(problem_line(error))

    def _on_finished(self, prospect_id: int, result) -> None:
        self.pane.show_running(False)
        if result is None:
            return
        found = len(result.facts)
        verb = "Cancelled; kept" if result.cancelled else "Research done:"
        summary = f"{verb} {found} fact{'s' if found != 1 else ''}"
        if result.errors:
            summary += f", {len(result.errors)} problem{'s' if len(result.errors) != 1 else ''} listed"
        self._lines["done"] = summary
        if prospect_id == self.session.prospect_id:
            self.pane.show_progress(self._lines)
        self._status(summary, 8000)

    # -- a list ------------------------------------------------------------------------
    def research_selected(self) -> None:
        self.research_list(self.pane.selected_prospect_ids())

    def research_list(self, prospect_ids: list[int]) -> None:
        """Research these prospects in the background, a few sites at a time."""
        if prospect_ids:
            self.batch.enqueue(prospect_ids)
            n = len(prospect_ids)
            self._status(f"Researching {n} prospect{'s' if n != 1 else ''} in the background…", 5000)

    def offer_new(self, before: set[int], prospects) -> None:
        """After an import: offer to research the prospects it added."""
        new = [p.id for p in prospects if p.id not in before]
        if new:
            self.panel.offer(new)
