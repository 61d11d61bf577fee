"""The rep's signature and named snippets (text they insert often), edited in one dialog.

`.value` = {"signature": str, "snippets": [{"name": str, "text": str}, ...]}, in the order shown.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QHBoxLayout, QLineEdit, QListWidget, QListWidgetItem, QPushButton, QVBoxLayout, QWidget,
)

from app.core.errors import InputError
from app.core.text import MAX_FIELD_CHARS, MAX_NOTE_CHARS, sanitize

from .dialog_base import ValidatingDialog, multi_line, plain_label

TEXT_ROLE = Qt.ItemDataRole.UserRole  # each list row keeps its snippet's text; its display text is the name


def _snippet(s) -> tuple[str, str]:
    if isinstance(s, Mapping):
        return str(s.get("name", "")), str(s.get("text", ""))
    return str(getattr(s, "name", "")), str(getattr(s, "text", ""))


class SnippetsDialog(ValidatingDialog):
    def __init__(self, parent=None, signature: str = "", snippets: Iterable = ()):
        super().__init__(parent, "Signature and snippets")
        self.setObjectName("snippetsDialog")
        self.signature = self._text("Signature:", "signatureEdit", "Dana Okafor\nAccount Executive, Earned",
                                    signature)

        self.list = QListWidget()
        self.list.setObjectName("snippetList")
        self.list.setAccessibleName("Snippets")
        for name, text in map(_snippet, snippets):
            self._append(name, text)
        self.name = self._line_edit("snippetNameEdit", "Name", "e.g. Reno intro")
        self.text = multi_line("snippetTextEdit", "Snippet text", placeholder="The text it inserts")
        self.add = QPushButton("Add snippet")
        self.add.setObjectName("addSnippetButton")
        self.remove = QPushButton("Remove")
        self.remove.setObjectName("removeSnippetButton")
        for b in (self.add, self.remove):
            b.setAutoDefault(False)

        editor = QVBoxLayout()
        editor.addWidget(plain_label("Name:"))
        editor.addWidget(self.name)
        editor.addWidget(plain_label("Text:"))
        editor.addWidget(self.text, 1)
        row = QHBoxLayout()
        row.addWidget(self.list, 1)
        row.addLayout(editor, 2)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add)
        buttons.addWidget(self.remove)
        buttons.addStretch(1)
        box = QWidget()
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        column.addLayout(row)
        column.addLayout(buttons)
        self.form.addRow("Snippets:", box)

        self.list.currentRowChanged.connect(self._show_current)
        self.name.textChanged.connect(self._edit_current)  # before _add_input's re-check: it reads the list
        self.text.textChanged.connect(self._edit_current)
        self.add.clicked.connect(self._add_snippet)
        self.remove.clicked.connect(self._remove_snippet)
        for w in (self.list, self.name, self.text, self.add, self.remove):
            self._add_input(w)
        self.list.setCurrentRow(0 if self.list.count() else -1)
        self._show_current(self.list.currentRow())
        self.resize(640, 480)

    def initial_focus(self):
        return self.signature

    @staticmethod
    def _line_edit(name: str, accessible: str, placeholder: str) -> QLineEdit:
        edit = QLineEdit()
        edit.setObjectName(name)
        edit.setAccessibleName(accessible)
        edit.setPlaceholderText(placeholder)
        return edit

    def _append(self, name: str, text: str) -> QListWidgetItem:
        item = QListWidgetItem(name)
        item.setData(TEXT_ROLE, text)
        self.list.addItem(item)
        return item

    def _show_current(self, row: int) -> None:
        item = self.list.item(row) if row >= 0 else None
        for w in (self.name, self.text):
            w.blockSignals(True)  # showing a snippet is not editing it
        self.name.setText(item.text() if item else "")
        self.text.setPlainText(item.data(TEXT_ROLE) if item else "")
        for w in (self.name, self.text):
            w.blockSignals(False)
        for w in (self.name, self.text, self.remove):
            w.setEnabled(item is not None)

    def _edit_current(self) -> None:
        item = self.list.currentItem()
        if item is not None:
            item.setText(self.name.text())
            item.setData(TEXT_ROLE, self.text.toPlainText())

    def _add_snippet(self) -> None:
        self.list.setCurrentItem(self._append(f"Snippet {self.list.count() + 1}", ""))
        self.name.setFocus()
        self.name.selectAll()  # typing names it

    def _remove_snippet(self) -> None:
        row = self.list.currentRow()
        if row >= 0:
            self.list.takeItem(row)
            self._show_current(self.list.currentRow())
            self._revalidate()

    def _validate(self) -> dict:
        signature, _ = sanitize(self.signature.toPlainText())
        signature = "\n".join(line.rstrip() for line in signature.strip("\n").splitlines())
        if len(signature) > MAX_FIELD_CHARS * 4:
            raise InputError(f"The signature is too long ({len(signature):,} characters; keep it under "
                             f"{MAX_FIELD_CHARS * 4:,}).")
        snippets, seen = [], set()
        for i in range(self.list.count()):
            item = self.list.item(i)
            name = " ".join(sanitize(item.text())[0].split())
            text = sanitize(item.data(TEXT_ROLE) or "")[0].strip()
            where = f"Snippet {i + 1}" + (f" ({name})" if name else "")
            if not name:
                raise InputError(f"{where} has no name. Name it, so you can find it: e.g. 'Reno intro'.")
            if name.casefold() in seen:
                raise InputError(f"Two snippets are called '{name}'. Give each its own name.")
            if not text:
                raise InputError(f"{where} is empty. Write its text, or remove it.")
            if len(name) > MAX_FIELD_CHARS or len(text) > MAX_NOTE_CHARS:
                raise InputError(f"{where} is too long.")
            seen.add(name.casefold())
            snippets.append({"name": name, "text": text})
        return {"signature": signature, "snippets": snippets}
