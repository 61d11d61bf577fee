"""Settings and rules: the Settings dialog (one at a time), the rule pack and the rep's thresholds."""
from __future__ import annotations

from PySide6.QtCore import QObject, Qt

from app.compose.rulepack import RulePackError, default_pack
from app.services.research_service import DEFAULT_SOURCES
from app.services.secrets_service import SecretsService
from app.services.workspace_service import Change, WorkspaceService

from .settings_dialog import SettingsDialog

SETTING_DEFAULTS = {"research_sources": dict(DEFAULT_SOURCES), "user_agent_contact": "", "rule_overrides": {},
                    "follow_up_days": 3, "allow_private_redirects": False}


class SettingsActions(QObject):
    def __init__(self, window, service: WorkspaceService, secrets: SecretsService, apply_pack, team=None):
        super().__init__(window)
        self.window, self.service, self.secrets, self.team = window, service, secrets, team
        self._apply_pack = apply_pack  # (RulePack) -> None: the composer and the fact ages use it
        self.base_pack = default_pack()  # the team's pack over the built-in one, before the rep's thresholds
        self.rule_overrides: dict = {}
        self._dialog: SettingsDialog | None = None
        self._opening = False
        service.changed.connect(self._on_change)

    def load_rules(self) -> None:
        def loaded(result) -> None:
            pack, error, overrides = result
            if error:
                self.window.show_notice(error)
            self.base_pack = pack
            self.apply_overrides(overrides)

        self.service.load_rules().success(loaded)

    def apply_overrides(self, overrides: dict) -> None:
        self.rule_overrides = overrides
        try:
            pack = self.base_pack.tuned(overrides)
        except (RulePackError, TypeError, ValueError):
            self.window.show_notice("Your saved rule thresholds could not be used, so the defaults apply. "
                                    "Set them again under Settings > Rule thresholds.")
            pack = self.base_pack
        self._apply_pack(pack)

    def _on_change(self, change: Change) -> None:
        if change.reload:
            self.load_rules()

    def open_settings(self, tab: int) -> None:
        """One Settings dialog at a time: a second click while it loads or shows brings that one forward."""
        if self._dialog is not None:
            self._dialog.tabs.setCurrentIndex(tab)
            self._dialog.raise_()
            self._dialog.activateWindow()
            return
        if self._opening:
            return
        self._opening = True

        def show(values: dict) -> None:
            dialog = self._dialog = SettingsDialog(self.base_pack, values, str(self.service.db_path.parent),
                                                   self.window)
            dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            dialog.tabs.setCurrentIndex(tab)
            dialog.save_key_requested.connect(
                lambda name, value: self.secrets.save_key(name, value).success(lambda r: dialog.key_saved(*r)))
            dialog.accepted.connect(lambda: self._save(dialog.value))
            if self.team is not None:
                self._wire_team(dialog)
            dialog.destroyed.connect(lambda: setattr(self, "_dialog", None))
            dialog.open()
            self.secrets.load_status().success(lambda status: self._dialog is dialog and dialog.show_keys(status))

        # Whatever happens to this load, the next click may try again (no connection is left behind).
        self.service.load_settings(SETTING_DEFAULTS).success(show).finally_(lambda: setattr(self, "_opening", False))

    def _wire_team(self, dialog: SettingsDialog) -> None:
        """The Team tab: connect, sync and disconnect run on the team service's thread; the tab shows the outcome."""
        team = self.team

        def alive() -> bool:
            return self._dialog is dialog

        def show(state: dict) -> None:
            if alive():
                dialog.show_team(state)

        def problem(message: str) -> None:
            if alive():
                dialog.team_status.setText(message)

        team.status_changed.connect(show)
        dialog.destroyed.connect(lambda: team.status_changed.disconnect(show))
        dialog.team_connect_requested.connect(
            lambda url, name, password: team.connect(url, name, password).failure(problem))
        dialog.team_sync_requested.connect(team.sync)
        dialog.team_disconnect_requested.connect(lambda: team.disconnect().failure(problem))
        team.status().success(show)

    def _save(self, values: dict) -> None:
        self.service.save_settings(values)
        self.apply_overrides(values["rule_overrides"])
