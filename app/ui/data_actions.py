"""Data in and out of the workspace: CSV import (with its preview), export, backup and restore."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QFileDialog

from app.core.paths import safe_file_name
from app.services.workspace_service import WorkspaceService

from .dialogs import ImportPreviewDialog


class DataActions(QObject):
    def __init__(self, window, service: WorkspaceService, current_prospect, imported=None):
        super().__init__(window)
        self.window, self.service = window, service
        self._current_prospect = current_prospect  # () -> Prospect | None
        self._imported = imported  # (ids before) -> None: after an import, once the list is reloaded

    def _status(self, text: str, ms: int = 8000) -> None:
        self.window.statusBar().showMessage(text, ms)

    def ask_import(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self.window, "Import prospects", "",
                                              "CSV files (*.csv *.txt);;All files (*)")
        if path:
            self.import_csv(path)

    def import_csv(self, path: str) -> None:
        name = Path(path).name

        def preview(plan) -> None:
            dialog = ImportPreviewDialog(plan, name, self.window)
            dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            dialog.accepted.connect(lambda: self._apply(plan))
            dialog.open()

        self.service.plan_import(path).success(preview)

    def _apply(self, plan) -> None:
        before = set(self.window.known_prospect_ids())

        def done(count: int) -> None:
            self._status(f"Imported {count} prospect{'s' if count != 1 else ''}.")
            if self._imported is not None:
                self._imported(before)

        self.service.apply_import(plan).success(done)

    def ask_export(self) -> None:
        """Ask where to export (the current prospect's research, or everything) and export there."""
        prospect = self._current_prospect()
        name = f"{prospect.company}" if prospect else "all prospects"
        # The proposed name comes from a company name anybody could have typed: never a path.
        path, chosen = QFileDialog.getSaveFileName(
            self.window, f"Export research ({name})", safe_file_name(name, ".md"), "Markdown (*.md);;CSV (*.csv)")
        if path:
            self.export(prospect.id if prospect else None,
                        "csv" if path.endswith(".csv") or "CSV" in chosen else "md", path)

    def export(self, prospect_id: int | None, fmt: str, path: str):
        return self.service.export(prospect_id, fmt, path).success(lambda written: self._status(f"Exported to {written}."))

    def ask_backup(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self.window, "Back up workspace", "earned-backup.db",
                                              "Earned backup (*.db)")
        if path:
            self.service.backup(path).success(lambda written: self._status(f"Backed up to {written}."))

    def ask_restore(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self.window, "Restore workspace", "",
                                              "Earned backup (*.db);;All files (*)")
        if path:
            self.restore(path)

    def restore(self, path: str):
        return self.service.restore(path).success(
            lambda kept: self.window.show_notice(f"Workspace restored. The one you had is kept as {kept}."))
