"""Small dialogs: they validate before closing, so nothing typed is lost to an error."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QPlainTextEdit, QVBoxLayout,
)

from app.core.errors import InputError
from app.core.validate import NoteInput, ProspectInput, note_input, prospect_input


class _ValidatingDialog(QDialog):
    def __init__(self, parent, title: str):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.form = QFormLayout()
        self.error_label = QLabel()
        self.error_label.setObjectName("dialogError")
        self.error_label.setTextFormat(Qt.TextFormat.PlainText)
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet("color: #a11;")
        self.error_label.hide()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Save).setObjectName("dialogSaveButton")
        buttons.accepted.connect(self._try_accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.error_label)
        layout.addWidget(buttons)
        self.value = None

    def _line(self, label: str, name: str, placeholder: str = "") -> QLineEdit:
        edit = QLineEdit()
        edit.setObjectName(name)
        edit.setPlaceholderText(placeholder)
        edit.setAccessibleName(label.rstrip(":*"))
        self.form.addRow(label, edit)
        return edit

    def _validate(self):
        raise NotImplementedError

    def _try_accept(self) -> None:
        try:
            self.value = self._validate()
        except InputError as e:
            self.error_label.setText(str(e))
            self.error_label.show()
            return
        self.accept()


class NewProspectDialog(_ValidatingDialog):
    def __init__(self, parent=None):
        super().__init__(parent, "New prospect")
        self.setObjectName("newProspectDialog")
        self.company = self._line("Company*:", "companyEdit", "Acme Robotics")
        self.website = self._line("Website:", "websiteEdit", "acme-robotics.com")
        self.contact = self._line("Contact:", "contactEdit", "Sam Rivera")
        self.role = self._line("Role:", "roleEdit", "VP Operations")

    def _validate(self) -> ProspectInput:
        return prospect_input(self.company.text(), self.website.text(), self.contact.text(), self.role.text())


class NoteDialog(_ValidatingDialog):
    def __init__(self, company: str, parent=None):
        super().__init__(parent, f"Research note on {company}")
        self.setObjectName("noteDialog")
        self.text = QPlainTextEdit()
        self.text.setObjectName("noteTextEdit")
        self.text.setAccessibleName("Note")
        self.text.setPlaceholderText("What you learned: a call, a post, a referral. One fact per note cites best.")
        self.form.addRow("Note*:", self.text)
        self.source = self._line("Source URL:", "noteSourceEdit", "optional: where you read it")

    def _validate(self) -> NoteInput:
        return note_input(self.text.toPlainText(), self.source.text())
