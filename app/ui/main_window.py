"""MainWindow: research on the left, the composer on the right; all data through WorkspaceService."""
from __future__ import annotations

from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout, QLabel, QMainWindow, QPushButton, QSplitter, QVBoxLayout, QWidget,
)

from app import APP_NAME
from app.compose.rulepack import RulePackError, default_pack
from app.core.models import Fact, Prospect
from app.core.text import strip_citations
from app.services.research_service import DEFAULT_SOURCES, ResearchService
from app.services.workspace_service import WorkspaceService

from .composer_pane import GATE_RULE, ComposerPane
from .dialogs import NewProspectDialog, NoteDialog, ResearchSettingsDialog, RuleSettingsDialog
from .research_pane import ResearchPane


class MainWindow(QMainWindow):
    ready = Signal()  # the workspace is open and the prospect list is shown
    fatal = Signal(str)  # the workspace can't be used at all

    def __init__(self, service: WorkspaceService, settings: QSettings, parent=None,
                 research: ResearchService | None = None):
        super().__init__(parent)
        self.service = service
        self.research_service = research or ResearchService(service.db_path, parent=service)
        self._research_lines: dict[str, str] = {}
        self.settings = settings
        self.prospects: dict[int, Prospect] = {}
        self.facts: dict[int, Fact] = {}
        self._ready_sent = False
        self.setWindowTitle(APP_NAME)

        self.research = ResearchPane()
        self.composer = ComposerPane()
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("mainSplitter")
        self.splitter.addWidget(self.research)
        self.splitter.addWidget(self.composer)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 3)

        self.banner = QLabel()
        self.banner.setObjectName("noticeBanner")
        self.banner.setTextFormat(Qt.TextFormat.PlainText)
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet("background: #fff4ce; color: #3b2f00; padding: 6px; border-radius: 4px;")
        dismiss = QPushButton("Dismiss")
        dismiss.setObjectName("dismissNoticeButton")
        self.banner_row = QWidget()
        row = QHBoxLayout(self.banner_row)
        row.setContentsMargins(6, 6, 6, 0)
        row.addWidget(self.banner, 1)
        row.addWidget(dismiss)
        self.banner_row.hide()
        dismiss.clicked.connect(self.banner_row.hide)

        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.banner_row)
        layout.addWidget(self.splitter, 1)
        self.setCentralWidget(central)
        self.statusBar().showMessage("Opening your workspace…")
        self._build_menu()
        self._restore_geometry()
        self._connect()

    # -- setup -------------------------------------------------------------------
    def _build_menu(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        new = QAction("&New prospect…", self, shortcut=QKeySequence("Ctrl+N"))
        new.triggered.connect(self._new_prospect)
        research = QAction("&Research prospect", self, shortcut=QKeySequence("Ctrl+R"))
        research.triggered.connect(self._research)
        quit_action = QAction("&Quit", self, shortcut=QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        file_menu.addActions([new, research, quit_action])
        compose = self.menuBar().addMenu("&Compose")
        copy = QAction("&Copy message", self, shortcut=QKeySequence("Ctrl+Return"))
        copy.triggered.connect(lambda: self._copy([]))
        compose.addAction(copy)
        settings = self.menuBar().addMenu("&Settings")
        thresholds = QAction("Rule &thresholds…", self)
        thresholds.setObjectName("ruleSettingsAction")
        thresholds.triggered.connect(self._edit_thresholds)
        settings.addAction(thresholds)
        sources = QAction("Research &sources…", self)
        sources.setObjectName("researchSettingsAction")
        sources.triggered.connect(self._edit_sources)
        settings.addAction(sources)

    def _restore_geometry(self) -> None:
        geometry = self.settings.value("window/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        else:
            self.resize(1200, 760)
        state = self.settings.value("window/splitter")
        if state is not None:
            self.splitter.restoreState(state)

    def _connect(self) -> None:
        s = self.service
        s.opened.connect(self._on_opened)
        s.open_failed.connect(self._on_open_failed)
        s.prospects_loaded.connect(self._on_prospects_loaded)
        s.prospect_added.connect(self._on_prospect_added)
        s.prospect_updated.connect(self._on_prospect_updated)
        s.facts_loaded.connect(self._on_facts_loaded)
        s.fact_added.connect(self._on_fact_added)
        s.draft_loaded.connect(self._on_draft_loaded)
        s.touch_recorded.connect(self._on_touch_recorded)
        s.touches_loaded.connect(self._on_touches_loaded)
        s.rule_overrides_loaded.connect(self._on_rule_overrides)
        s.failed.connect(self.show_notice)
        self.research.prospect_selected.connect(self._select_prospect)
        self.research.new_prospect_clicked.connect(self._new_prospect)
        self.research.add_note_clicked.connect(self._add_note)
        self.research.fact_activated.connect(self._cite)
        self.research.research_clicked.connect(self._research)
        self.research.cancel_research_clicked.connect(self.research_service.cancel)
        r = self.research_service
        r.started.connect(lambda pid: self.research.show_running(True))
        r.progress.connect(self._on_research_progress)
        r.fact_found.connect(self.service.add_found_fact)
        r.error_found.connect(self._on_research_error)
        r.failed.connect(lambda pid, message: self.show_notice(message))
        r.finished.connect(self._on_research_finished)
        self.research.facts.currentItemChanged.connect(
            lambda current, _prev: self.composer.set_fact_selected(current is not None)
        )
        self.composer.cite_clicked.connect(lambda: self._cite(self.research.current_fact_id()))
        self.rule_overrides: dict = {}
        self.composer.copy_clicked.connect(self._copy)
        self.composer.draft_edited.connect(self.service.save_draft)

    def show_notice(self, message: str) -> None:
        self.banner.setText(message)
        self.banner_row.show()
        self.statusBar().showMessage(message.split(". ")[0], 8000)

    # -- workspace ---------------------------------------------------------------
    def _on_opened(self, store) -> None:
        for notice in store.notices:
            self.show_notice(notice)
        self.statusBar().showMessage(f"Workspace: {store.path}", 5000)
        self.service.load_rule_overrides()
        self.service.load_prospects()

    def _on_open_failed(self, message: str) -> None:
        self.show_notice(message)
        self.research.setEnabled(False)
        self.composer.setEnabled(False)
        self.fatal.emit(message)

    def _on_prospects_loaded(self, prospects: list[Prospect]) -> None:
        self.prospects = {p.id: p for p in prospects}
        last = self.settings.value("session/prospect")
        select = int(last) if last is not None and str(last).isdigit() and int(last) in self.prospects else None
        self.research.set_prospects(prospects, select)
        if not prospects:
            self.statusBar().showMessage("No prospects yet: press New prospect to add the first one.")
        if not self._ready_sent:
            self._ready_sent = True
            self.ready.emit()

    def _select_prospect(self, prospect_id: int) -> None:
        self.composer.flush()
        prospect = self.prospects.get(prospect_id)
        self.facts = {}
        self.composer.set_prospect(prospect_id, prospect.company if prospect else None,
                                   prospect.contact_name if prospect else "")
        self.composer.setEnabled(False)  # until its draft is back: typing now would be overwritten
        self.settings.setValue("session/prospect", prospect_id)
        self.service.load_facts(prospect_id)
        self.service.load_touches(prospect_id)
        self.service.load_draft(prospect_id)

    def _on_facts_loaded(self, prospect_id: int, facts: list[Fact]) -> None:
        if prospect_id != self.research.current_prospect_id():
            return  # a late answer for a prospect the rep already left
        self.facts = {f.id: f for f in facts}
        self.research.set_facts(facts)
        self.composer.set_facts(facts)

    def _on_touches_loaded(self, prospect_id: int, touches: list) -> None:
        if prospect_id == self.research.current_prospect_id():
            self.composer.set_touches(touches)

    def _on_rule_overrides(self, overrides: dict) -> None:
        self.rule_overrides = overrides
        try:
            self.composer.set_pack(default_pack().tuned(overrides))
        except (RulePackError, TypeError, ValueError):
            self.show_notice("Your saved rule thresholds could not be used, so the defaults apply. "
                             "Set them again under Settings > Rule thresholds.")
            self.composer.set_pack(default_pack())

    def _edit_thresholds(self) -> None:
        dialog = RuleSettingsDialog(default_pack(), self.rule_overrides, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self.service.save_rule_overrides(dialog.value))
        dialog.open()

    def _edit_sources(self) -> None:
        def show(values: dict) -> None:
            self.service.settings_loaded.disconnect(show)
            dialog = ResearchSettingsDialog(values["research_sources"], values["user_agent_contact"], self)
            dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            dialog.accepted.connect(lambda: self.service.save_settings(dialog.value))
            dialog.open()

        self.service.settings_loaded.connect(show)
        self.service.load_settings({"research_sources": dict(DEFAULT_SOURCES), "user_agent_contact": ""})

    def _on_draft_loaded(self, prospect_id: int, draft) -> None:
        if prospect_id != self.research.current_prospect_id():
            return
        self.composer.load_draft(draft)
        self.composer.setEnabled(True)

    def _on_prospect_added(self, prospect: Prospect) -> None:
        self.prospects[prospect.id] = prospect
        self.research.upsert_prospect(prospect)
        self.research.select_prospect(prospect.id)
        self.statusBar().showMessage(f"Added {prospect.company}. Now add what you know about them.", 5000)

    def _on_prospect_updated(self, prospect: Prospect) -> None:
        self.prospects[prospect.id] = prospect
        self.research.upsert_prospect(prospect)

    def _on_fact_added(self, fact: Fact) -> None:
        if fact.prospect_id != self.research.current_prospect_id():
            return
        if fact.id not in self.facts:
            self.research.add_fact(fact)
        self.facts[fact.id] = fact
        self.composer.set_facts(list(self.facts.values()))

    # -- actions -----------------------------------------------------------------
    def _new_prospect(self) -> None:
        dialog = NewProspectDialog(self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def accepted() -> None:
            v = dialog.value
            self.service.add_prospect(v.company, v.website, v.contact_name, v.role)

        dialog.accepted.connect(accepted)
        dialog.open()

    def _add_note(self) -> None:
        prospect_id = self.research.current_prospect_id()
        if prospect_id is None:
            return
        dialog = NoteDialog(self.prospects[prospect_id].company, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self.service.add_note(prospect_id, dialog.value.text, dialog.value.source_url))
        dialog.open()

    def _cite(self, fact_id: int | None) -> None:
        if fact_id is not None and self.composer.prospect_id is not None:
            self.composer.body.insert_citation(fact_id)

    def _copy(self, overrides: list[str]) -> None:
        """Copy = send. overrides: the failing rules the rep deliberately chose to copy over."""
        c = self.composer
        if c.prospect_id is None or not c.result:
            return
        allowed = c.result["ok"] or (overrides and c.checklist.status_of(GATE_RULE) == "pass"
                                     and set(overrides) == set(c.overridable_failures()))
        if not allowed:
            self.statusBar().showMessage("Not copied: fix the failing checklist items first.", 5000)
            return
        text = strip_citations(c.body.toPlainText())
        QGuiApplication.clipboard().setText(text)
        # The sent message replaces the draft: a pending autosave must not bring it back.
        c.flush()
        self.service.record_touch(c.prospect_id, c.current_kind(), c.subject.text().strip(), text,
                                  c.cited_fact_ids(), [] if c.result["ok"] else list(overrides))
        self.statusBar().showMessage("Copied. Paste it into your email or LinkedIn message.", 5000)

    def _on_touch_recorded(self, touch) -> None:
        due = f" Follow up on {touch.follow_up_due}." if touch.follow_up_due else ""
        self.statusBar().showMessage(f"Copied and logged as sent.{due}", 8000)
        if touch.prospect_id == self.composer.prospect_id:
            self.composer.load_draft(None)
            self.service.load_touches(touch.prospect_id)

    # -- research ----------------------------------------------------------------
    def _research(self) -> None:
        prospect_id = self.research.current_prospect_id()
        if prospect_id is None or self.research_service.is_running():
            return
        p = self.prospects[prospect_id]
        self._research_lines = {}
        self.research_service.start(prospect_id, p.company, p.website)
        self.statusBar().showMessage(f"Researching {p.company}…")

    def _on_research_progress(self, prospect_id: int, source: str, text: str) -> None:
        self._research_lines[source] = text
        if prospect_id == self.research.current_prospect_id():
            self.research.show_progress(self._research_lines)

    def _on_research_error(self, prospect_id: int, error) -> None:
        if prospect_id == self.research.current_prospect_id():
            where = f" ({error.url})" if error.url and error.url not in error.message else ""
            self.research.add_error(f"{error.source}: {error.message}{where}")

    def _on_research_finished(self, prospect_id: int, result) -> None:
        self.research.show_running(False)
        if result is None:
            return
        found = len(result.facts)
        verb = "Cancelled; kept" if result.cancelled else "Research done:"
        summary = f"{verb} {found} fact{'s' if found != 1 else ''}"
        if result.errors:
            summary += f", {len(result.errors)} problem{'s' if len(result.errors) != 1 else ''} listed"
        self._research_lines["done"] = summary
        if prospect_id == self.research.current_prospect_id():
            self.research.show_progress(self._research_lines)
        self.statusBar().showMessage(summary, 8000)

    # -- quit --------------------------------------------------------------------
    def closeEvent(self, event) -> None:
        self.composer.flush()
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.setValue("window/splitter", self.splitter.saveState())
        self.settings.sync()
        self.research_service.shutdown()
        self.service.close()
        super().closeEvent(event)

