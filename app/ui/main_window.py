"""MainWindow: research on the left, the composer on the right; all data through the services."""
from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import QMimeData, QSettings, Qt, QUrl, Signal
from PySide6.QtGui import QAction, QDesktopServices, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QFileDialog, QHBoxLayout, QLabel, QMainWindow, QPushButton, QSplitter, QVBoxLayout, QWidget,
)

from app import APP_NAME
from app.compose.rulepack import RulePackError, default_pack
from app.core.models import EMAIL_KINDS, Fact, Prospect, Touch, kind_label
from app.core.outgoing import html_message, mailto_url, plain_message
from app.core.paths import safe_file_name
from app.services.batch_research_service import BatchResearchService
from app.services.research_service import DEFAULT_SOURCES, ResearchService
from app.services.secrets_service import SecretsService
from app.services.workspace_service import WorkspaceService

from .batch_panel import BatchPanel
from .composer_pane import ComposerPane
from .dialogs import (
    DisqualifyDialog, EditFactDialog, ImportPreviewDialog, MessageDialog, NewProspectDialog, NoteDialog, ShortcutsDialog,
)
from .research_pane import ResearchPane
from .settings_dialog import SettingsDialog

# What Copy tells the rep, by the kind of message copied.
_COPIED = {"email": "Copied. Paste it into your email or LinkedIn message.",
           "linkedin-note": "Copied. Paste it into the note of your LinkedIn connection request.",
           "call-script": "Copied. Say it on the call, or leave it as a voicemail; then send the email it promises."}
SETTING_DEFAULTS = {"research_sources": dict(DEFAULT_SOURCES), "user_agent_contact": "", "rule_overrides": {},
                    "follow_up_days": 3, "allow_private_redirects": False}


class MainWindow(QMainWindow):
    ready = Signal()  # the workspace is open and the prospect list is shown
    fatal = Signal(str)  # the workspace can't be used at all

    def __init__(self, service: WorkspaceService, settings: QSettings, parent=None,
                 research: ResearchService | None = None, secrets: SecretsService | None = None,
                 batch: BatchResearchService | None = None):
        super().__init__(parent)
        self.service = service
        self.settings = settings
        self.research_service = research or ResearchService(service.db_path, parent=service)
        self.secrets = secrets or SecretsService(parent=service)
        self.batch_service = batch or BatchResearchService(service.db_path, parent=service)
        self.prospects: dict[int, Prospect] = {}
        self.facts: dict[int, Fact] = {}
        self.rule_overrides: dict = {}
        self.base_pack = default_pack()  # the team's pack over the built-in one, before the rep's thresholds
        self._research_lines: dict[str, str] = {}
        self._search_generation = 0
        self._last_discarded: int | None = None
        self._import_name = "CSV"
        self._clip_data: QMimeData | None = None  # what Copy put on the clipboard, while it is still there
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
        self._setup_batch()
        self._set_tab_order()

    # -- setup -------------------------------------------------------------------
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
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        self._action(file_menu, "&New prospect…", self._new_prospect, "Ctrl+N")
        self._action(file_menu, "&Research prospect", self._research, "Ctrl+R")
        self._action(file_menu, "Research &selected prospects", self._research_selected, name="researchSelectedAction")
        file_menu.addSeparator()
        self._action(file_menu, "&Import prospects from CSV…", self._ask_import, name="importAction")
        self._action(file_menu, "&Export research…", self._ask_export, name="exportAction")
        self._action(file_menu, "&Back up workspace…", self._ask_backup, name="backupAction")
        self._action(file_menu, "Re&store workspace…", self._ask_restore, name="restoreAction")
        file_menu.addSeparator()
        self._action(file_menu, "&Quit", self.close, QKeySequence.StandardKey.Quit)
        compose = bar.addMenu("&Compose")
        self._action(compose, "&Copy message", lambda: self._copy([]), "Ctrl+Return")
        self._action(compose, "C&ite selected fact", lambda: self._cite(self.research.current_fact_id()),
                     "Ctrl+Shift+C")
        self._action(compose, "&Search facts", self._focus_search, "Ctrl+F")
        settings = bar.addMenu("&Settings")
        self._action(settings, "&Settings…", lambda: self._open_settings(0), name="settingsAction")
        self._action(settings, "Rule &thresholds…", lambda: self._open_settings(1), name="ruleSettingsAction")
        self._action(settings, "Research &sources…", lambda: self._open_settings(0), name="researchSettingsAction")
        help_menu = bar.addMenu("&Help")
        self._action(help_menu, "&Keyboard shortcuts", self._show_shortcuts, name="shortcutsAction")

    def _set_tab_order(self) -> None:
        r, c = self.research, self.composer
        chain = [r.prospect_search, r.prospects, r.new_prospect, r.research, r.add_note, r.fact_search, r.facts,
                 c.kind, c.subject, c.body, c.cite, c.checklist, c.copy_anyway, c.mailto, c.copy]
        for a, b in zip(chain, chain[1:]):
            self.setTabOrder(a, b)

    def _restore_geometry(self) -> None:
        geometry = self.settings.value("window/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        else:
            self.resize(1280, 800)
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
        s.fact_updated.connect(self._on_fact_updated)
        s.search_results.connect(self._on_search_results)
        s.draft_loaded.connect(self._on_draft_loaded)
        s.touch_recorded.connect(self._on_touch_recorded)
        s.touches_loaded.connect(self._on_touches_loaded)
        s.rule_pack_loaded.connect(self._on_rule_pack_loaded)
        s.rule_overrides_loaded.connect(self._apply_rule_overrides)
        s.failed.connect(self.show_notice)
        s.noticed.connect(self.show_notice)
        s.drafts_pending.connect(self._on_drafts_pending)
        s.import_planned.connect(self._preview_import)
        s.imported.connect(self._on_imported)
        s.exported.connect(lambda path: self.statusBar().showMessage(f"Exported to {path}.", 8000))
        s.backed_up.connect(lambda path: self.statusBar().showMessage(f"Backed up to {path}.", 8000))
        s.restored.connect(self._on_restored)

        r = self.research
        r.prospect_selected.connect(self._select_prospect)
        r.new_prospect_clicked.connect(self._new_prospect)
        r.add_note_clicked.connect(self._add_note)
        r.fact_activated.connect(self._cite)
        r.fact_action.connect(self._fact_action)
        r.fact_search_changed.connect(self._search)
        r.url_dropped.connect(self._research_page)
        r.research_clicked.connect(self._research)
        r.mark_replied_clicked.connect(self._mark_replied)
        r.disqualify_clicked.connect(self._disqualify)
        r.facts.currentItemChanged.connect(lambda current, _prev: self.composer.set_fact_selected(current is not None))
        r.undo.clicked.connect(self._undo_discard)

        rs = self.research_service
        r.cancel_research_clicked.connect(rs.cancel)
        rs.started.connect(lambda pid: self.research.show_running(True))
        rs.progress.connect(self._on_research_progress)
        rs.fact_found.connect(self.service.add_found_fact)
        rs.error_found.connect(self._on_research_error)
        rs.failed.connect(lambda pid, message: self.show_notice(message))
        rs.finished.connect(self._on_research_finished)

        c = self.composer
        c.cite_clicked.connect(lambda: self._cite(self.research.current_fact_id()))
        c.cite_fact.connect(self._cite)
        c.copy_clicked.connect(self._copy)
        c.mailto_clicked.connect(self._open_in_mail_app)
        c.touch_opened.connect(self._show_touch)
        c.draft_edited.connect(self.service.save_draft)

    def _on_drafts_pending(self, count: int) -> None:
        if count == 0:
            self.show_notice("There is room on the disk again: your drafts are saved.")

    def show_notice(self, message: str) -> None:
        self.banner.setText(message)
        self.banner_row.show()
        self.statusBar().showMessage(message.split(". ")[0], 8000)

    # -- workspace ---------------------------------------------------------------
    def _on_opened(self, store) -> None:
        for notice in store.notices:
            self.show_notice(notice)
        self.statusBar().showMessage(f"Workspace: {store.path}", 5000)
        self.service.load_rules()
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
            self.composer.set_prospect(None, None)
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
        self._research_lines = {}
        self.research.progress.hide()
        self.research.errors.hide()
        if self.research.fact_search.text():
            self.research.fact_search.clear()
        self.service.load_facts(prospect_id)
        self.service.load_touches(prospect_id)
        self.service.load_draft(prospect_id)

    def _on_facts_loaded(self, prospect_id: int, facts: list[Fact]) -> None:
        if prospect_id != self.research.current_prospect_id():
            return  # a late answer for a prospect the rep already left
        self.facts = {f.id: f for f in facts}
        self.research.set_facts(facts)
        self.composer.set_facts(facts)

    def _on_touches_loaded(self, prospect_id: int, touches: list[Touch]) -> None:
        if prospect_id == self.research.current_prospect_id():
            self.composer.set_touches(touches)
            self.research.set_cited_before(self.composer.cited_in_thread())

    def _on_draft_loaded(self, prospect_id: int, draft) -> None:
        if prospect_id != self.research.current_prospect_id():
            return
        self.composer.load_draft(draft)
        self.composer.setEnabled(True)

    def _on_prospect_added(self, prospect: Prospect) -> None:
        self.prospects[prospect.id] = prospect
        self.research.upsert_prospect(prospect)
        self.research.select_prospect(prospect.id)
        self.statusBar().showMessage(f"Added {prospect.company}. Press Research, or add what you know.", 5000)

    def _on_prospect_updated(self, prospect: Prospect) -> None:
        self.prospects[prospect.id] = prospect
        self.research.upsert_prospect(prospect)

    def _on_fact_added(self, fact: Fact) -> None:
        if fact.prospect_id != self.research.current_prospect_id() or self.research.search_mode:
            return
        self.research.add_fact(fact, select=fact.id not in self.facts)
        self.facts[fact.id] = fact
        self.composer.set_facts(list(self.facts.values()))

    def _on_fact_updated(self, fact: Fact) -> None:
        if fact.prospect_id != self.research.current_prospect_id():
            return
        if fact.discarded:
            self.facts.pop(fact.id, None)
            self.research.remove_fact(fact.id)
            self._last_discarded = fact.id
            self.research.undo.show()
            self.statusBar().showMessage("Fact discarded. Undo discard brings it back.", 8000)
        else:
            self.facts[fact.id] = fact
            self.research.add_fact(fact, select=False)
        self.composer.set_facts(list(self.facts.values()))

    # -- rules and settings -------------------------------------------------------
    def _on_rule_pack_loaded(self, pack, error: str) -> None:
        if error:
            self.show_notice(error)
        self.base_pack = pack
        self._apply_rule_overrides(self.rule_overrides)

    def _apply_rule_overrides(self, overrides: dict) -> None:
        self.rule_overrides = overrides
        try:
            pack = self.base_pack.tuned(overrides)
        except (RulePackError, TypeError, ValueError):
            self.show_notice("Your saved rule thresholds could not be used, so the defaults apply. "
                             "Set them again under Settings > Rule thresholds.")
            pack = self.base_pack
        self.composer.set_pack(pack)
        self.research.age_limits = pack.age_limits()

    def _open_settings(self, tab: int) -> None:
        def show(values: dict) -> None:
            self.service.settings_loaded.disconnect(show)
            dialog = SettingsDialog(self.base_pack, values, str(self.service.db_path.parent), self)
            dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            dialog.tabs.setCurrentIndex(tab)
            dialog.save_key_requested.connect(self.secrets.save_key)
            self.secrets.status_loaded.connect(dialog.show_keys)
            self.secrets.key_saved.connect(dialog.key_saved)
            dialog.accepted.connect(lambda: self._save_settings(dialog.value))
            dialog.open()
            self.secrets.load_status()

        self.service.settings_loaded.connect(show)
        self.service.load_settings(SETTING_DEFAULTS)

    def _save_settings(self, values: dict) -> None:
        self.service.save_settings(values)
        self._apply_rule_overrides(values["rule_overrides"])

    def _show_shortcuts(self) -> None:
        dialog = ShortcutsDialog(self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    # -- prospects and facts -------------------------------------------------------
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

    def _mark_replied(self) -> None:
        prospect_id = self.research.current_prospect_id()
        if prospect_id is not None:
            self.service.set_status(prospect_id, "replied")
            self.statusBar().showMessage("Marked replied: no more follow-ups for this prospect.", 5000)

    def _disqualify(self) -> None:
        prospect = self.research.current_prospect()
        if prospect is None:
            return
        dialog = DisqualifyDialog(prospect.company, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self.service.set_status(prospect.id, "disqualified", dialog.value))
        dialog.open()

    def _fact_action(self, action: str, fact_id: int) -> None:
        fact = self.facts.get(fact_id) or self.research.current_fact()
        if fact is None:
            return
        if action == "pin":
            self.service.set_pinned(fact_id, not fact.pinned)
        elif action == "discard":
            self.service.set_discarded(fact_id, True)
        elif action == "edit":
            dialog = EditFactDialog(fact.text, self)
            dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            dialog.accepted.connect(lambda: self.service.edit_fact(fact_id, dialog.value))
            dialog.open()
        elif action == "open" and fact.source_url.startswith(("http://", "https://")):
            QDesktopServices.openUrl(QUrl(fact.source_url))  # only web links: never file: or javascript:
        elif action == "copy-link" and fact.source_url:
            QGuiApplication.clipboard().setText(fact.source_url)
            self.statusBar().showMessage("Source link copied.", 3000)

    def _undo_discard(self) -> None:
        if self._last_discarded is not None:
            self.service.set_discarded(self._last_discarded, False)
            self._last_discarded = None
        self.research.undo.hide()

    def _focus_search(self) -> None:
        self.research.fact_search.setFocus()
        self.research.fact_search.selectAll()

    def _search(self, query: str) -> None:
        self._search_generation += 1
        if not query.strip():
            prospect_id = self.research.current_prospect_id()
            self.research.search_mode = False
            if prospect_id is not None:
                self.research.set_facts(sorted(self.facts.values(), key=lambda f: (not f.pinned, -f.id)))
            return
        self.service.search_facts(self._search_generation, query)

    def _on_search_results(self, generation: int, query: str, facts: list, names: dict) -> None:
        if generation != self._search_generation:
            return  # the rep typed on: an older query's answer
        words = [re.escape(w) for w in re.findall(r"\w+", query)]
        pattern = re.compile(r"\b(?:" + "|".join(words) + r")\w*", re.IGNORECASE) if words else None
        matches = {f.id: [m.span() for m in pattern.finditer(f.text)] if pattern else [] for f in facts}
        self.research.show_search_results(query, facts, names, matches)
        self.statusBar().showMessage(f"{len(facts)} fact{'s' if len(facts) != 1 else ''} match “{query}”.", 4000)

    def _cite(self, fact_id: int | None) -> None:
        if fact_id is None or self.composer.prospect_id is None:
            return
        if fact_id not in self.facts:
            self.statusBar().showMessage("That fact belongs to another prospect: select it there to cite it.", 5000)
            return
        self.composer.body.insert_citation(fact_id)

    # -- copy = send -------------------------------------------------------------
    def _outgoing(self) -> tuple[str, str, str]:
        """(subject, plain text, html) of the message as the prospect will get it."""
        c = self.composer
        last = c.last_email()
        if c.current_kind() == "follow-up" and last is not None:
            subject = last.subject if last.subject.lower().startswith("fwd:") else f"Fwd: {last.subject}".strip()
            args = (last.text, last.sent_at[:10], last.subject)
            return subject, plain_message(c.body.toPlainText(), *args), html_message(c.body.toPlainText(), *args)
        subject = c.subject.text().strip() if c.current_kind() in EMAIL_KINDS else ""  # a note or a call has none
        return subject, plain_message(c.body.toPlainText()), html_message(c.body.toPlainText())

    def _allowed(self, overrides: list[str]) -> bool:
        c = self.composer
        if c.prospect_id is None or not c.result:
            return False
        return c.result["ok"] or (bool(overrides) and not c.blocking_failures()
                                  and set(overrides) == set(c.overridable_failures()))

    def _copy(self, overrides: list[str]) -> None:
        """Copy = send. overrides: the failing rules the rep deliberately chose to copy over."""
        if not self._allowed(overrides):
            self.statusBar().showMessage("Not copied: fix the failing checklist items first.", 5000)
            return
        subject, text, html = self._outgoing()
        data = QMimeData()
        data.setText(text)
        data.setHtml(html)
        QGuiApplication.clipboard().setMimeData(data)
        self._clip_data = data
        self._log_sent(subject, text, overrides)
        self.statusBar().showMessage(_COPIED.get(self.composer.current_kind(), _COPIED["email"]), 5000)

    def _open_in_mail_app(self) -> None:
        if not self._allowed([]) or self.composer.current_kind() not in EMAIL_KINDS:
            return
        subject, text, _ = self._outgoing()
        QDesktopServices.openUrl(QUrl(mailto_url("", subject, text)))
        self._log_sent(subject, text, [])

    def _log_sent(self, subject: str, text: str, overrides: list[str]) -> None:
        c = self.composer
        c.flush()  # the sent message replaces the draft: a pending autosave must not bring it back
        self.service.record_touch(c.prospect_id, c.current_kind(), subject, text, c.cited_fact_ids(),
                                  [] if c.result["ok"] else list(overrides))

    def _on_touch_recorded(self, touch: Touch) -> None:
        due = f" Follow up on {touch.follow_up_due}." if touch.follow_up_due else ""
        what = "" if touch.kind in EMAIL_KINDS else f" ({kind_label(touch.kind)})"
        self.statusBar().showMessage(f"Logged as sent{what}.{due}", 8000)
        if touch.prospect_id == self.composer.prospect_id:
            self.composer.load_draft(None)
            self.service.load_touches(touch.prospect_id)

    def _show_touch(self, touch: Touch) -> None:
        title = f"{kind_label(touch.kind)} sent {touch.sent_at[:16].replace('T', ' ')}" + (
            f": {touch.subject}" if touch.subject else "")
        cited = ", ".join(f"[^{i}]" for i in touch.cited_fact_ids)
        dialog = MessageDialog(title, touch.text + (f"\n\n(cited {cited})" if cited else ""), self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    # -- data in and out ------------------------------------------------------------
    def _ask_import(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Import prospects", "", "CSV files (*.csv *.txt);;All files (*)")
        if path:
            self.import_csv(path)

    def import_csv(self, path: str) -> None:
        self._import_name = Path(path).name
        self.service.plan_import(path)

    def _preview_import(self, plan) -> None:
        dialog = ImportPreviewDialog(plan, self._import_name, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self.service.apply_import(plan))
        dialog.open()

    def _on_imported(self, count: int) -> None:
        self.statusBar().showMessage(f"Imported {count} prospect{'s' if count != 1 else ''}.", 8000)
        self._offer_research_of_new_prospects()
        self.service.load_prospects()

    def _ask_export(self) -> None:
        """Ask where to export (the current prospect's research, or everything) and export there."""
        prospect = self.research.current_prospect()
        name = f"{prospect.company}" if prospect else "all prospects"
        # The proposed name comes from a company name anybody could have typed: never a path.
        path, chosen = QFileDialog.getSaveFileName(
            self, f"Export research ({name})", safe_file_name(name, ".md"), "Markdown (*.md);;CSV (*.csv)")
        if path:
            self.export(prospect.id if prospect else None, "csv" if path.endswith(".csv") or "CSV" in chosen
                        else "md", path)

    def export(self, prospect_id: int | None, fmt: str, path: str) -> None:
        self.service.export(prospect_id, fmt, path)

    def _ask_backup(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Back up workspace", "earned-backup.db", "Earned backup (*.db)")
        if path:
            self.service.backup(path)

    def _ask_restore(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Restore workspace", "", "Earned backup (*.db);;All files (*)")
        if path:
            self.service.restore(path)

    def _on_restored(self, kept: str) -> None:
        self.show_notice(f"Workspace restored. The one you had is kept as {kept}.")
        self.service.load_rules()
        self.service.load_prospects()

    # -- research ----------------------------------------------------------------
    def _research(self) -> None:
        prospect_id = self.research.current_prospect_id()
        if prospect_id is None or self.research_service.is_running():
            return
        p = self.prospects[prospect_id]
        self._research_lines = {}
        self.research_service.start(prospect_id, p.company, p.website)
        self.statusBar().showMessage(f"Researching {p.company}…")

    def _research_page(self, url: str) -> None:
        prospect_id = self.research.current_prospect_id()
        if prospect_id is None or self.research_service.is_running():
            return
        self._research_lines = {}
        self.research_service.start(prospect_id, self.prospects[prospect_id].company, url, single_page=True)
        self.statusBar().showMessage(f"Reading {url}…")

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
            # Facts streamed in as found; now show them in the store's order (by usefulness and date).
            # Queued after the saves of this run's facts on the one store thread, so all of them come back.
            self.service.load_facts(prospect_id)
        self.statusBar().showMessage(summary, 8000)

    # -- research a list -----------------------------------------------------------
    def _setup_batch(self) -> None:
        """The list being researched in the background: its panel, its signals, resumed when the workspace opens."""
        self.batch_panel = BatchPanel()
        self.centralWidget().layout().addWidget(self.batch_panel)
        b, panel = self.batch_service, self.batch_panel
        panel.cancel_clicked.connect(b.cancel)
        panel.offer_accepted.connect(self.research_list)
        b.queue_loaded.connect(panel.set_items)
        b.item_changed.connect(panel.update_item)
        b.progress.connect(panel.show_progress)
        b.batch_started.connect(lambda: panel.set_running(True))
        b.batch_finished.connect(lambda summary: panel.set_running(False))
        b.fact_found.connect(self.service.add_found_fact)
        b.failed.connect(self.show_notice)
        self.service.opened.connect(lambda _store: b.resume())

    def _research_selected(self) -> None:
        self.research_list(self.research.selected_prospect_ids())

    def research_list(self, prospect_ids: list[int]) -> None:
        """Research these prospects in the background, a few sites at a time."""
        if prospect_ids:
            self.batch_service.enqueue(prospect_ids)
            n = len(prospect_ids)
            self.statusBar().showMessage(f"Researching {n} prospect{'s' if n != 1 else ''} in the background…", 5000)

    def _offer_research_of_new_prospects(self) -> None:
        """After an import: once the list is reloaded, offer to research the prospects it added."""
        before = set(self.prospects)

        def loaded(prospects: list[Prospect]) -> None:
            self.service.prospects_loaded.disconnect(loaded)
            new = [p.id for p in prospects if p.id not in before]
            if new:
                self.batch_panel.offer(new)

        self.service.prospects_loaded.connect(loaded)

    # -- quit --------------------------------------------------------------------
    def _release_clipboard(self) -> None:
        """Hand the copied message to a clipboard object Qt made itself. Ours was made by Python, and Qt
        deletes the clipboard's contents only when the process ends, after Python is gone: a crash."""
        clipboard = QGuiApplication.clipboard()
        if self._clip_data is not None and clipboard.mimeData() is self._clip_data:
            clipboard.setText(clipboard.text())  # the plain text stays on the clipboard
        self._clip_data = None

    def closeEvent(self, event) -> None:
        self._release_clipboard()
        self.composer.flush()
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.setValue("window/splitter", self.splitter.saveState())
        self.settings.sync()
        self.research_service.shutdown()
        self.batch_service.shutdown()  # before the store closes: the last facts it found are saved
        self.secrets.wait(5000)
        self.service.close()
        super().closeEvent(event)

