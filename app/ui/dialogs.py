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


class DisqualifyDialog(_ValidatingDialog):
    """Stopping is fine; doing it silently is not: the reason is kept with the prospect."""

    def __init__(self, company: str, parent=None):
        super().__init__(parent, f"Disqualify {company}")
        self.setObjectName("disqualifyDialog")
        self.reason = self._line("Reason*:", "disqualifyReasonEdit", "e.g. no budget until 2027; chose a competitor")

    def _validate(self) -> str:
        from app.core.errors import InputError

        reason = " ".join(self.reason.text().split())
        if not reason:
            raise InputError("Say why, so that future you knows: e.g. 'no budget until 2027'.")
        return reason


class EditFactDialog(_ValidatingDialog):
    def __init__(self, text: str, parent=None):
        super().__init__(parent, "Edit fact")
        self.setObjectName("editFactDialog")
        self.text = QPlainTextEdit(text)
        self.text.setObjectName("factTextEdit")
        self.text.setAccessibleName("Fact")
        self.form.addRow("Fact*:", self.text)

    def _validate(self) -> str:
        return note_input(self.text.toPlainText()).text


class MessageDialog(QDialog):
    """A sent message, read-only."""

    def __init__(self, title: str, text: str, parent=None):
        super().__init__(parent)
        self.setObjectName("sentMessageDialog")
        self.setWindowTitle(title)
        view = QPlainTextEdit(text)
        view.setObjectName("sentMessageText")
        view.setReadOnly(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(view)
        layout.addWidget(buttons)
        self.resize(560, 420)


SHORTCUTS = (
    ("Ctrl+N", "New prospect"),
    ("Ctrl+R", "Research the selected prospect"),
    ("Ctrl+F", "Search all facts and notes"),
    ("Ctrl+Shift+C", "Cite the selected fact at the cursor"),
    ("Ctrl+Enter", "Copy the message (send)"),
    ("Ctrl+V in the fact list", "Research just the page whose address is on the clipboard"),
    ("Backspace after a chip", "Remove that citation"),
)


class ShortcutsDialog(QDialog):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("shortcutsDialog")
        self.setWindowTitle("Keyboard shortcuts")
        form = QFormLayout(self)
        for keys, what in SHORTCUTS:
            label = QLabel(what)
            label.setTextFormat(Qt.TextFormat.PlainText)
            form.addRow(f"<b>{keys}</b>", label)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)


class ImportPreviewDialog(QDialog):
    """What a CSV import will do, before it does it."""

    def __init__(self, plan, file_name: str, parent=None):
        from PySide6.QtWidgets import QListWidget, QTableWidget, QTableWidgetItem

        super().__init__(parent)
        self.setObjectName("importPreviewDialog")
        self.setWindowTitle(f"Import {file_name}")
        self.plan = plan
        layout = QVBoxLayout(self)
        mapped = ", ".join(f"{theirs} → {ours}" for ours, theirs in plan.columns.items())
        summary = QLabel(f"{len(plan.rows)} new prospect(s) to import; {len(plan.duplicates)} already in your "
                         f"workspace; {len(plan.errors)} row(s) can't be used.\nColumns: {mapped}")
        summary.setObjectName("importSummary")
        summary.setTextFormat(Qt.TextFormat.PlainText)
        summary.setWordWrap(True)
        layout.addWidget(summary)
        table = QTableWidget(min(len(plan.rows), 200), 5)
        table.setObjectName("importPreviewTable")
        table.setAccessibleName("Prospects to import")
        table.setHorizontalHeaderLabels(["Line", "Company", "Website", "Contact", "Role"])
        for r, row in enumerate(plan.rows[:200]):
            for c, value in enumerate((str(row.line), row.company, row.website, row.contact, row.role)):
                table.setItem(r, c, QTableWidgetItem(value))
        layout.addWidget(table, 1)
        if plan.errors:
            errors = QListWidget()
            errors.setObjectName("importErrors")
            errors.setAccessibleName("Rows that can't be imported")
            errors.addItems([f"line {line}: {why}" for line, why in plan.errors[:500]])
            errors.setMaximumHeight(120)
            layout.addWidget(QLabel("Skipped (fix them in the file and import again; nothing is duplicated):"))
            layout.addWidget(errors)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        go = buttons.addButton(f"Import {len(plan.rows)} prospect(s)", QDialogButtonBox.ButtonRole.AcceptRole)
        go.setObjectName("importButton")
        go.setEnabled(bool(plan.rows))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(720, 520)
