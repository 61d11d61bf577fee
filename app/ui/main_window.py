"""MainWindow: composition only — the panes, the menus, the layout and the wiring between them.

Where each piece of state lives (docs/ARCHITECTURE.md): the workspace file behind WorkspaceService;
the selected prospect (its record, facts, sent log, draft, fact search) in the ProspectSession; the
prospect list in the research pane's list; the rule pack in SettingsActions. The *Actions objects
do what the menus and buttons ask.
"""
from __future__ import annotations

from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QApplication, QHBoxLayout, QLabel, QMainWindow, QMenu, QPushButton, QSplitter, QVBoxLayout, QWidget,
)

from app import APP_NAME
from app.services.batch_research_service import BatchResearchService
from app.services.research_service import ResearchService
from app.services.secrets_service import SecretsService
from app.services.team_service import TeamService
from app.services.workspace_service import Change, WorkspaceService

from .batch_panel import BatchPanel
from .composer_pane import ComposerPane
from .contrast import readable_palette
from .data_actions import DataActions
from .dialogs import ShortcutsDialog
from .prospect_actions import ProspectActions
from .research_actions import ResearchActions
from .research_pane import ResearchPane
from .send_actions import SendActions, SentBar
from .session import ProspectSession
from .settings_actions import SETTING_DEFAULTS, SettingsActions
from .snippet_actions import SnippetActions
from .spelling_actions import SpellingActions

__all__ = ["MainWindow", "SETTING_DEFAULTS"]

DEFAULT_SIZE = (1280, 800)  # on a screen with room for it; smaller screens get 90% of what they have


class MainWindow(QMainWindow):
    ready = Signal()  # the workspace is open and the prospect list is shown
    fatal = Signal(str)  # the workspace can't be used at all

    def __init__(self, service: WorkspaceService, settings: QSettings, parent=None,
                 research: ResearchService | None = None, secrets: SecretsService | None = None,
                 batch: BatchResearchService | None = None, team: TeamService | None = None):
        super().__init__(parent)
        self.service = service
        self.settings = settings
        self.research_service = research or ResearchService(service.db_path, parent=service)
        self.secrets = secrets or SecretsService(parent=service)
        self.batch_service = batch or BatchResearchService(service.db_path, parent=service)
        self.team_service = team or TeamService(service.db_path, workspace=service, parent=service)
        self.team_service.workspace = service  # what a sync pulls reaches the window through its `changed`
        self._ready_sent = False
        self.setWindowTitle(APP_NAME)
        # Placeholder text and the selection colour, readable (4.5:1) here and in every dialog: the style's
        # own are about 4:1 and 3.7:1. (The app has this one window: its palette is the application's.)
        QApplication.setPalette(readable_palette(QApplication.palette()))

        self.session = ProspectSession(service, self)
        self.research = ResearchPane(self.session)
        self.composer = ComposerPane(self.session)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("mainSplitter")
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self.research)
        self.splitter.addWidget(self.composer)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 3)
        self.banner, self.banner_row = self._banner()
        self.sent_bar = SentBar()
        self.batch_panel = BatchPanel()
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.banner_row)
        layout.addWidget(self.splitter, 1)
        layout.addWidget(self.sent_bar)
        layout.addWidget(self.batch_panel)
        self.setCentralWidget(central)
        self.statusBar().showMessage("Opening your workspace…")

        self.prospect_actions = ProspectActions(self, service, self.session, self.research)
        self.send_actions = SendActions(self, service, self.session, self.composer, self.sent_bar)
        self.research_actions = ResearchActions(self, service, self.session, self.research, self.research_service,
                                                self.batch_service, self.batch_panel)
        self.data_actions = DataActions(self, service, self.research.current_prospect, imported=self._after_import)
        self.settings_actions = SettingsActions(self, service, self.secrets, self._apply_pack, self.team_service)
        self.spelling_actions = SpellingActions(self, service, self.session, self.composer)
        self.snippet_actions = SnippetActions(self, service, self.composer)
        self._build_menu()
        self._restore_geometry()
        self._connect()
        self._set_tab_order()

    def _banner(self) -> tuple[QLabel, QWidget]:
        banner = QLabel()
        banner.setObjectName("noticeBanner")
        banner.setTextFormat(Qt.TextFormat.PlainText)
        banner.setWordWrap(True)
        banner.setStyleSheet("background: #fff4ce; color: #3b2f00; padding: 6px; border-radius: 4px;")
        dismiss = QPushButton("Dismiss")
        dismiss.setObjectName("dismissNoticeButton")
        row_widget = QWidget()
        row = QHBoxLayout(row_widget)
        row.setContentsMargins(6, 6, 6, 0)
        row.addWidget(banner, 1)
        row.addWidget(dismiss)
        row_widget.hide()
        dismiss.clicked.connect(row_widget.hide)
        return banner, row_widget

    # -- menus -------------------------------------------------------------------
    def _action(self, menu, text: str, slot, shortcut=None, name: str = "") -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        if name:
            action.setObjectName(name)
        action.triggered.connect(slot)
        menu.addAction(action)
        return action

    def _build_menu(self) -> None:
        p, s, r, d, st = (self.prospect_actions, self.send_actions, self.research_actions, self.data_actions,
                          self.settings_actions)
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        self._action(file_menu, "&New prospect…", p.new_prospect, "Ctrl+N", "newProspectAction")
        self._action(file_menu, "&Research prospect", r.research, "Ctrl+R", "researchAction")
        self._action(file_menu, "Research &selected prospects", r.research_selected, name="researchSelectedAction")
        file_menu.addSeparator()
        self._action(file_menu, "&Import prospects from CSV…", d.ask_import, name="importAction")
        self._action(file_menu, "&Export research…", d.ask_export, name="exportAction")
        self._action(file_menu, "&Back up workspace…", d.ask_backup, name="backupAction")
        self._action(file_menu, "Re&store workspace…", d.ask_restore, name="restoreAction")
        file_menu.addSeparator()
        self._action(file_menu, "&Quit", self.close, QKeySequence.StandardKey.Quit, "quitAction")
        prospect = bar.addMenu("&Prospect")
        self._action(prospect, "&Edit…", lambda: p.prospect_action("edit"), name="editProspectAction")
        self._action(prospect, "Add &note…", p.add_note, "Ctrl+Shift+N", "addNoteAction")
        self._action(prospect, "Mark &replied", p.mark_replied, name="markRepliedAction")
        self._action(prospect, "&Timeline…", lambda: p.prospect_action("timeline"), name="timelineAction")
        compose = bar.addMenu("&Compose")
        copy = self._action(compose, "&Copy message", lambda: s.copy([]), "Ctrl+Return", "copyAction")
        copy.setShortcuts([QKeySequence("Ctrl+Return"), QKeySequence("Ctrl+Enter")])  # (the keypad's Enter too)
        self._action(compose, "&Preview", s.preview, "Ctrl+P", "previewAction")
        self._action(compose, "&Undo send", s.undo_send, "Ctrl+Alt+Z", "undoSendAction")
        self._action(compose, "Signature and s&nippets…", self.snippet_actions.edit, name="snippetsAction")
        self._action(compose, "C&ite selected fact", lambda: self._cite(self.research.current_fact_id()),
                     "Ctrl+Shift+C", "citeAction")
        go = bar.addMenu("&Go")
        self._action(go, "&Prospect list", lambda: self._focus(self.research.prospects), "Ctrl+1", "goProspectsAction")
        self._action(go, "&Facts", lambda: self._focus(self.research.facts), "Ctrl+2", "goFactsAction")
        self._action(go, "&Message", lambda: self._focus(self.composer.body), "Ctrl+3", "goComposerAction")
        self._action(go, "Message &kind", lambda: self._focus(self.composer.kind), "Ctrl+K", "goKindAction")
        self._action(go, "Find a &prospect", lambda: self._focus(self.research.prospect_search, True), "Ctrl+L",
                     "findProspectAction")
        self._action(go, "&Search facts", lambda: self._focus(self.research.fact_search, True), "Ctrl+F",
                     "searchFactsAction")
        settings = bar.addMenu("&Settings")
        self._action(settings, "&Settings…", lambda: st.open_settings(0), name="settingsAction")
        self._action(settings, "Rule &thresholds…", lambda: st.open_settings(1), name="ruleSettingsAction")
        self._action(settings, "Research &sources…", lambda: st.open_settings(0), name="researchSettingsAction")
        help_menu = bar.addMenu("&Help")
        self._action(help_menu, "&Keyboard shortcuts", self._show_shortcuts, name="shortcutsAction")

    def _set_tab_order(self) -> None:
        r, c = self.research, self.composer
        chain = [r.prospect_search, r.prospects, r.new_prospect, r.research, r.add_note, r.fact_search, r.fact_sort,
                 r.fact_kind, r.facts, c.kind, c.subject, c.body, c.cite, c.checklist, c.copy_anyway, c.preview,
                 c.mailto, c.copy]
        for a, b in zip(chain, chain[1:]):
            self.setTabOrder(a, b)

    def _restore_geometry(self) -> None:
        """The saved size and place when they fit this screen; else a size the screen has room for."""
        geometry = self.settings.value("window/geometry")
        if geometry is None or not self.restoreGeometry(geometry) or not self._fits_screen():
            self._fit_to_screen()
        state = self.settings.value("window/splitter")
        if state is not None:
            self.splitter.restoreState(state)

    def _screen_area(self):
        screen = self.screen() or QGuiApplication.primaryScreen()
        return screen.availableGeometry() if screen is not None else None

    def _fits_screen(self) -> bool:
        area = self._screen_area()
        return area is None or (self.frameGeometry().width() <= area.width()
                                and self.frameGeometry().height() <= area.height())

    def _fit_to_screen(self) -> None:
        area = self._screen_area()
        if area is None:
            self.resize(*DEFAULT_SIZE)
            return
        width = min(DEFAULT_SIZE[0], int(area.width() * 0.92))
        height = min(DEFAULT_SIZE[1], int(area.height() * 0.9))
        self.resize(width, height)
        self.move(area.x() + (area.width() - width) // 2, area.y() + (area.height() - height) // 2)

    def _connect(self) -> None:
        s = self.service
        s.changed.connect(self._on_change)
        s.failed.connect(self.show_notice)
        s.noticed.connect(self.show_notice)
        s.drafts_pending.connect(
            lambda n: n == 0 and self.show_notice("There is room on the disk again: your drafts are saved."))
        self.secrets.failed.connect(self.show_notice)
        self.session.failed.connect(self.show_notice)

        r, c, p, send = self.research, self.composer, self.prospect_actions, self.send_actions
        r.prospect_selected.connect(self._select_prospect)
        r.new_prospect_clicked.connect(p.new_prospect)
        r.prospect_action.connect(p.prospect_action)
        r.add_note_clicked.connect(p.add_note)
        r.fact_activated.connect(self._cite)
        r.fact_action.connect(p.fact_action)
        r.facts.currentItemChanged.connect(lambda current, _prev: c.set_fact_selected(current is not None))
        r.undo.clicked.connect(p.undo_discard)
        c.cite_clicked.connect(lambda: self._cite(r.current_fact_id()))
        c.cite_fact.connect(self._cite)
        c.copy_clicked.connect(send.copy)
        c.mailto_clicked.connect(send.open_in_mail_app)
        c.preview_clicked.connect(send.preview)
        c.touch_opened.connect(send.show_touch)
        self.session.loaded.connect(lambda: c.set_fact_selected(r.current_fact_id() is not None))

    def _apply_pack(self, pack) -> None:
        self.composer.set_pack(pack)
        self.research.age_limits = pack.age_limits()

    # -- the workspace -------------------------------------------------------------
    def open_workspace(self) -> None:
        """Open the workspace (the app calls this once the window shows)."""
        def opened(store) -> None:
            for notice in store.notices:
                self.show_notice(notice)
            self.statusBar().showMessage(f"Workspace: {store.path}", 5000)
            self.settings_actions.load_rules()
            self._load_prospects()
            self.spelling_actions.start()
            self.snippet_actions.load()
            self.team_service.start()  # a workspace in a team syncs now and every minute; else nothing
            self.batch_service.resume()

        def failed(message: str) -> None:
            self.show_notice(message)
            self.research.setEnabled(False)
            self.composer.setEnabled(False)
            self.fatal.emit(message)

        self.service.open().success(opened).failure(failed)

    def _load_prospects(self, then=None) -> None:
        def loaded(prospects) -> None:
            last = self.settings.value("session/prospect")
            keep = self.session.prospect_id
            select = keep if keep is not None else (int(last) if last is not None and str(last).isdigit() else None)
            self.research.set_prospects(prospects, select)
            if then is not None:
                then(prospects)
            if not self._ready_sent:
                self._ready_sent = True
                self.ready.emit()

        self.service.list_prospects().success(loaded)

    def known_prospect_ids(self) -> list[int]:
        return [p.id for p in self.research.all_prospects()]

    def _after_import(self, before: set[int]) -> None:
        self._load_prospects(lambda prospects: self.research_actions.offer_new(before, prospects))

    def _on_change(self, change: Change) -> None:
        for prospect in change.prospects:
            self.research.upsert_prospect(prospect)
        for prospect_id in change.removed_prospects:
            self.research.remove_prospect(prospect_id)
        if change.reload:
            self._load_prospects()

    def _select_prospect(self, prospect_id: int) -> None:
        self.settings.setValue("session/prospect", prospect_id)
        self.session.select(prospect_id)

    def _cite(self, fact_id: int | None) -> None:
        if fact_id is None or not self.session.is_loaded:
            return
        if fact_id not in self.session.facts:
            self.statusBar().showMessage("That fact belongs to another prospect: select it there to cite it.", 5000)
            return
        self.composer.body.insert_citation(fact_id)

    def _focus(self, widget, select_all: bool = False) -> None:
        widget.setFocus(Qt.FocusReason.ShortcutFocusReason)
        if select_all:
            widget.selectAll()

    def show_notice(self, message: str) -> None:
        self.banner.setText(message)
        self.banner_row.show()
        self.statusBar().showMessage(message.split(". ")[0], 8000)

    def _show_shortcuts(self) -> None:
        # (Qt calls the main Enter key Return; the rep's keyboard says Enter.)
        keys = [(a.shortcut().toString(QKeySequence.SequenceFormat.NativeText).replace("Return", "Enter"),
                 a.text().replace("&", "").rstrip("…"))
                for menu in self.menuBar().findChildren(QMenu) for a in menu.actions() if not a.shortcut().isEmpty()]
        dialog = ShortcutsDialog(self, keys)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    # -- quit --------------------------------------------------------------------
    def closeEvent(self, event) -> None:
        self.send_actions.release_clipboard()
        self.session.flush()
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.setValue("window/splitter", self.splitter.saveState())
        self.settings.sync()
        self.research_service.shutdown()
        self.batch_service.shutdown()  # before the store closes: the last facts it found are saved
        self.team_service.stop()
        self.secrets.wait(5000)
        self.service.close()
        super().closeEvent(event)
