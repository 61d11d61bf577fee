"""Settings: research sources and API keys, rule thresholds, follow-ups, and where the data lives."""
from __future__ import annotations

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import (
    QCheckBox, QDialog, QDialogButtonBox, QDoubleSpinBox, QFormLayout, QGroupBox, QHBoxLayout, QLabel, QLineEdit,
    QPushButton, QScrollArea, QSpinBox, QTabWidget, QVBoxLayout, QWidget,
)

from app.core.text import sanitize
from app.services.research_service import CRAWL_SOURCES, SOURCES

GROUP_TITLES = {"news": "News", "hiring": "Hiring (public job boards the company's careers page uses)",
                "filings": "Filings"}


def _note(text: str, name: str = "") -> QLabel:
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    label.setStyleSheet("color: #505050;")  # 8:1 on the light window; palette(mid) was 1.7:1
    if name:
        label.setObjectName(name)
    return label


def _scrolling(content: QWidget) -> QScrollArea:
    scroll = QScrollArea()
    scroll.setWidget(content)
    scroll.setWidgetResizable(True)
    return scroll


class SettingsDialog(QDialog):
    save_key_requested = Signal(str, str)  # name, value: the window hands it to the keychain service
    team_connect_requested = Signal(str, str, str)  # server address, your name, password
    team_sync_requested = Signal()
    team_disconnect_requested = Signal()

    def __init__(self, pack, values: dict, data_folder: str, parent=None):
        super().__init__(parent)
        self.setObjectName("settingsDialog")
        self.setWindowTitle("Settings")
        self.pack = pack
        self.value: dict = {}
        self.tabs = QTabWidget()
        self.tabs.setObjectName("settingsTabs")
        self.tabs.addTab(self._research_tab(values), "Research")
        self.tabs.addTab(self._rules_tab(values.get("rule_overrides", {})), "Rules")
        self.tabs.addTab(self._follow_up_tab(values.get("follow_up_days", 3)), "Follow-ups")
        self.tabs.addTab(self._workspace_tab(data_folder), "Data")
        self.tabs.addTab(self._team_tab(), "Team")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Save).setObjectName("dialogSaveButton")
        for button in buttons.buttons():
            button.setAutoDefault(False)  # Enter or Space in a field must not press Save by surprise
        buttons.accepted.connect(self._save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        layout.addWidget(buttons)
        screen = (parent.screen() if parent is not None else None) or QGuiApplication.primaryScreen()
        area = screen.availableGeometry()
        self.resize(min(660, int(area.width() * 0.95)), min(600, int(area.height() * 0.9)))

    # -- research ----------------------------------------------------------------
    def _research_tab(self, values: dict) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        sources = values.get("research_sources", {})
        self.boxes: dict[str, QCheckBox] = {}
        # One list, from the registry: what each source sends and its terms, beside its switch.
        for key, label in CRAWL_SOURCES:
            self._source_box(layout, key, label, "", sources)
        for group, title in GROUP_TITLES.items():
            layout.addWidget(QLabel(f"<b>{title}</b>"))
            for src in (s for s in SOURCES if s.group == group):
                label = src.label + (" (needs its key, below)" if src.needs_key else "")
                self._source_box(layout, src.name, label, f"Sends {src.sends}. {src.terms}".strip(), sources)
        keys = QGroupBox("API keys (kept in your system keychain, never in Earned's files)")
        form = QFormLayout(keys)
        self.key_edits: dict[str, QLineEdit] = {}
        self.key_status: dict[str, QLabel] = {}
        for src in (s for s in SOURCES if s.needs_key):
            name, label = src.name, f"{src.label} key"
            edit = QLineEdit()
            edit.setObjectName(f"key-{name}")
            edit.setEchoMode(QLineEdit.EchoMode.Password)
            edit.setPlaceholderText("paste a new key to replace the stored one")
            edit.setAccessibleName(label)
            save = QPushButton("Save key")
            save.setObjectName(f"saveKey-{name}")
            save.clicked.connect(lambda _=False, n=name: self.save_key_requested.emit(n, self.key_edits[n].text()))
            status = QLabel("checking the keychain…")
            status.setObjectName(f"keyStatus-{name}")
            status.setTextFormat(Qt.TextFormat.PlainText)
            row = QHBoxLayout()
            row.addWidget(edit, 1)
            row.addWidget(save)
            form.addRow(label + ":", row)
            form.addRow("", status)
            form.addRow("", _note(src.terms, f"keyTerms-{name}"))  # what the key allows, where it is entered
            self.key_edits[name], self.key_status[name] = edit, status
        layout.addWidget(keys)
        contact = QFormLayout()
        self.contact = QLineEdit(values.get("user_agent_contact", ""))
        self.contact.setObjectName("userAgentContact")
        self.contact.setPlaceholderText("your name and email, e.g. Jo Park jo@example.com")
        self.contact.setAccessibleName("Your name and email for the User-Agent")
        contact.addRow("Contact in User-Agent:", self.contact)
        contact.addRow("", _note("Sent to the sites and services Earned reads, so their owners can reach you. "
                                 "The SEC requires it: SEC filings are skipped until it has an email address."))
        # A public website that redirects into the rep's own network (a router page, a cloud
        # metadata address) is an attack, not research: off unless the rep researches intranet sites.
        self.allow_private = QCheckBox("Follow a site's redirects to local network addresses or other ports")
        self.allow_private.setObjectName("allowPrivateRedirects")
        self.allow_private.setChecked(bool(values.get("allow_private_redirects", False)))
        self.allow_private.setToolTip("Only for intranet or test sites. A public website has no reason to send "
                                      "Earned into your own network.")
        contact.addRow("", self.allow_private)
        layout.addLayout(contact)
        layout.addStretch()
        return _scrolling(page)  # a dozen sources with their terms: taller than a laptop screen

    def _source_box(self, layout: QVBoxLayout, key: str, label: str, note: str, sources: dict) -> None:
        box = QCheckBox(label)
        box.setObjectName(f"source-{key}")
        box.setChecked(bool(sources.get(key)))
        layout.addWidget(box)
        if note:
            layout.addWidget(_note(note, f"source-{key}-terms"))
        self.boxes[key] = box

    def show_keys(self, status: dict) -> None:
        """name -> masked value or ""; an empty dict means there is no keychain."""
        for name, label in self.key_status.items():
            if not status:
                label.setText("No system keychain: keys can't be stored, so this source stays off.")
                self.key_edits[name].setEnabled(False)
            else:
                label.setText(f"Stored: {status[name]}" if status.get(name) else "Not set")

    def key_saved(self, name: str, masked_value: str) -> None:
        self.key_edits[name].clear()
        self.key_status[name].setText(f"Stored and read back from the keychain: {masked_value}" if masked_value
                                      else "Removed from the keychain")

    # -- rules -------------------------------------------------------------------
    def _rules_tab(self, overrides: dict) -> QWidget:
        content = QWidget()
        layout = QVBoxLayout(content)
        self.editors: dict[tuple[str, str], QDoubleSpinBox | QSpinBox] = {}
        tuned = self.pack.tuned(overrides)  # saved values under renamed params migrate; unusable ones are dropped
        for rule in self.pack.rules:
            if not rule.params or not rule.overridable:
                continue
            box = QGroupBox(rule.id)
            form = QFormLayout(box)
            form.addRow(_note(f"Why: {rule.source}"))
            for name, default in rule.params.items():
                current = tuned.get(rule.id).params[name]
                if isinstance(default, float):
                    edit = QDoubleSpinBox()
                    edit.setDecimals(2)
                    edit.setSingleStep(0.05)
                    edit.setRange(0.0, 100.0)
                else:
                    edit = QSpinBox()
                    edit.setRange(0, 10_000)
                edit.setValue(current)
                edit.setObjectName(f"{rule.id}.{name}")
                edit.setAccessibleName(f"{rule.id} {name}")
                edit.setToolTip(rule.param_help.get(name, name))
                label = QLabel(f"{rule.param_help.get(name, name)} (default {default})")
                label.setTextFormat(Qt.TextFormat.PlainText)
                label.setWordWrap(True)
                form.addRow(label, edit)
                self.editors[(rule.id, name)] = edit
            layout.addWidget(box)
        restore = QPushButton("Restore the defaults")
        restore.setObjectName("restoreRuleDefaults")
        restore.clicked.connect(self._restore_rules)
        layout.addWidget(restore)
        return _scrolling(content)

    def _restore_rules(self) -> None:
        for (rule_id, name), edit in self.editors.items():
            edit.setValue(self.pack.get(rule_id).params[name])

    # -- follow-ups and data -----------------------------------------------------------
    def _follow_up_tab(self, days: int) -> QWidget:
        page = QWidget()
        form = QFormLayout(page)
        self.follow_up_days = QSpinBox()
        self.follow_up_days.setObjectName("followUpDays")
        self.follow_up_days.setRange(1, 30)
        self.follow_up_days.setValue(int(days))
        self.follow_up_days.setSuffix(" business days")
        self.follow_up_days.setAccessibleName("Follow up after")
        form.addRow("Follow up after:", self.follow_up_days)
        form.addRow(_note("After you copy a message, Earned marks the prospect “follow-up due” this many business "
                          "days later, unless you mark them replied. Be prompt: a lead's interest fades fast."))
        return page

    def _workspace_tab(self, folder: str) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        path = QLabel(folder)
        path.setObjectName("dataFolderLabel")
        path.setTextFormat(Qt.TextFormat.PlainText)
        path.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        open_button = QPushButton("Open folder")
        open_button.setObjectName("openDataFolderButton")
        open_button.clicked.connect(lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(folder)))
        layout.addWidget(QLabel("Your workspace (research, drafts, the sent log) is one file in:"))
        layout.addWidget(path)
        layout.addWidget(open_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(_note("Set EARNED_HOME before starting Earned to use another folder. API keys are not "
                               "here: they live in your system keychain."))
        layout.addStretch()
        return page

    def _team_tab(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(_note(
            "A team shares accounts, research, notes and the sent log through the team's PostgreSQL server, so "
            "two reps never write to one prospect. Drafts stay on this machine. Without a team, nothing leaves it."))
        form = QFormLayout()
        self.team_url = QLineEdit()
        self.team_url.setObjectName("teamUrlEdit")
        self.team_url.setPlaceholderText("postgresql://you@server.example:5432/earned")
        self.team_name = QLineEdit()
        self.team_name.setObjectName("teamNameEdit")
        self.team_name.setPlaceholderText("your name, as teammates will see it")
        self.team_password = QLineEdit()
        self.team_password.setObjectName("teamPasswordEdit")
        self.team_password.setEchoMode(QLineEdit.EchoMode.Password)
        self.team_password.setPlaceholderText("kept in your system keychain, nowhere else")
        form.addRow("Server:", self.team_url)
        form.addRow("Your name:", self.team_name)
        form.addRow("Password:", self.team_password)
        layout.addLayout(form)
        row = QHBoxLayout()
        self.team_connect = QPushButton("Connect")
        self.team_connect.setObjectName("teamConnectButton")
        self.team_sync = QPushButton("Sync now")
        self.team_sync.setObjectName("teamSyncButton")
        self.team_disconnect = QPushButton("Disconnect")
        self.team_disconnect.setObjectName("teamDisconnectButton")
        for b in (self.team_connect, self.team_sync, self.team_disconnect):
            b.setAutoDefault(False)
            row.addWidget(b)
        row.addStretch()
        layout.addLayout(row)
        self.team_status = _note("Not connected to a team: this workspace is yours alone.", "teamStatusLabel")
        layout.addWidget(self.team_status)
        layout.addStretch()
        self.team_connect.clicked.connect(lambda: self.team_connect_requested.emit(
            self.team_url.text().strip(), self.team_name.text().strip(), self.team_password.text()))
        self.team_sync.clicked.connect(self.team_sync_requested)
        self.team_disconnect.clicked.connect(self.team_disconnect_requested)
        self.show_team({})
        return page

    def show_team(self, state: dict, problem: str = "") -> None:
        """The team connection as the store has it (app.team.client.status), or what went wrong."""
        connected = bool(state.get("connected"))
        if connected:
            self.team_url.setText(state.get("url", ""))
            self.team_name.setText(state.get("name", ""))
            self.team_password.clear()
            text = (f"Connected as {state.get('name')} ({state.get('role')}): {state.get('pending', 0)} change(s) to "
                    f"send; last sync {state.get('last_sync') or 'not yet'}.")
            if state.get("last_error"):
                text += f" Last problem: {state['last_error']}"
        else:
            text = "Not connected to a team: this workspace is yours alone."
        self.team_status.setText(problem or text)
        self.team_sync.setEnabled(connected)
        self.team_disconnect.setEnabled(connected)

    def _save(self) -> None:
        overrides: dict = {}
        for (rule_id, name), edit in self.editors.items():
            if edit.value() != self.pack.get(rule_id).params[name]:
                overrides.setdefault(rule_id, {})[name] = edit.value()
        contact, _ = sanitize(self.contact.text())
        self.value = {
            "research_sources": {k: b.isChecked() for k, b in self.boxes.items()},
            "user_agent_contact": " ".join(contact.split())[:200],
            "allow_private_redirects": self.allow_private.isChecked(),
            "rule_overrides": overrides,
            "follow_up_days": self.follow_up_days.value(),
        }
        self.accept()
