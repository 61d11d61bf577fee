"""The rep's saved signature and snippets: kept as workspace settings, inserted from the composer."""
from __future__ import annotations

from PySide6.QtCore import QObject, Qt

from app.services.workspace_service import WorkspaceService

from .composer_pane import ComposerPane
from .dialogs import SnippetsDialog

DEFAULTS = {"signature": "", "snippets": []}


class SnippetActions(QObject):
    def __init__(self, window, service: WorkspaceService, composer: ComposerPane):
        super().__init__(window)
        self.window, self.service, self.composer = window, service, composer
        self.signature = ""
        self.snippets: list[dict] = []  # [{"name": ..., "text": ...}]

    def load(self) -> None:
        self.service.load_settings(DEFAULTS).success(self._show)

    def _show(self, values: dict) -> None:
        self.signature = str(values.get("signature") or "")
        self.snippets = [s for s in values.get("snippets") or [] if isinstance(s, dict) and s.get("text")]
        menu = self.composer.snippets.menu()
        menu.clear()
        signature = menu.addAction("Signature")
        signature.setObjectName("insertSignatureAction")
        signature.setEnabled(bool(self.signature.strip()))
        signature.triggered.connect(lambda: self.composer.insert_text(self.signature, at_end=True))
        if self.snippets:
            menu.addSeparator()
        for i, snippet in enumerate(self.snippets):
            action = menu.addAction(snippet.get("name") or f"Snippet {i + 1}")
            action.setObjectName(f"insertSnippet{i}")
            action.triggered.connect(lambda _=False, text=snippet["text"]: self.composer.insert_text(text))
        menu.addSeparator()
        edit = menu.addAction("Edit signature and snippets…")
        edit.setObjectName("editSnippetsAction")
        edit.triggered.connect(self.edit)

    def edit(self) -> None:
        dialog = SnippetsDialog(self.window, self.signature, self.snippets)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self.service.save_settings(dialog.value).success(self._show))
        dialog.open()
