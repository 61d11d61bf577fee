"""Small dialogs: they validate before closing, so nothing typed is lost to an error.

The keyboard rules every input dialog follows (first field focused, Save never autoDefault, Tab leaves
multi-line fields, messages that clear once fixed) live in dialog_base.py. The bigger dialogs have their own
modules; they are imported here too, so the window imports every dialog from one place.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QPlainTextEdit, QVBoxLayout

from app.core.errors import InputError
from app.core.validate import NoteInput, note_input

from .contrast import readable_palette
from .dialog_base import ValidatingDialog, plain_label, quiet_buttons
from .destructive_dialogs import ConfirmDeleteProspectDialog, MergeProspectsDialog
from app.core.fields import published_input, source_title_input, source_url_input
from .preview import PreviewDialog
from .prospect_dialog import NewProspectDialog, ProspectDialog, ProspectValue
from .snippets_dialog import SnippetsDialog
from .timeline_dialog import TimelineDialog

_ValidatingDialog = ValidatingDialog  # the old private name

__all__ = [
    "ConfirmDeleteProspectDialog", "DisqualifyDialog", "EditFactDialog", "FactDetails", "ImportPreviewDialog",
    "MergeProspectsDialog", "MessageDialog", "NewProspectDialog", "NoteDialog", "PreviewDialog", "ProspectDialog",
    "ProspectValue", "ShortcutsDialog", "SnippetsDialog", "TimelineDialog",
]


class NoteDialog(ValidatingDialog):
    def __init__(self, company: str, parent=None):
        super().__init__(parent, f"Research note on {company}")
        self.setObjectName("noteDialog")
        self.text = self._text("Note*:", "noteTextEdit",
                               "What you learned: a call, a post, a referral. One fact per note cites best.")
        self.text.setAccessibleName("Note")
        self.source = self._line("Source URL:", "noteSourceEdit", "optional: where you read it")

    def _validate(self) -> NoteInput:
        return note_input(self.text.toPlainText(), self.source.text())


class DisqualifyDialog(ValidatingDialog):
    """Stopping is fine; doing it silently is not: the reason is kept with the prospect."""

    def __init__(self, company: str, parent=None):
        super().__init__(parent, f"Disqualify {company}")
        self.setObjectName("disqualifyDialog")
        self.reason = self._line("Reason*:", "disqualifyReasonEdit", "e.g. no budget until 2027; chose a competitor")

    def _validate(self) -> str:
        reason = " ".join(self.reason.text().split())
        if not reason:
            raise InputError("Say why, so that future you knows: e.g. 'no budget until 2027'.")
        return reason


@dataclass(frozen=True)
class FactDetails:
    text: str
    published: str | None = None  # YYYY-MM-DD; None when unknown
    source_url: str = ""  # http(s) only; "" for none
    source_title: str = ""


class EditFactDialog(ValidatingDialog):
    """Correct a fact: its wording, the day it was published, where it came from. `.value` is the text (what
    the first callers used); `.details` a FactDetails with all four."""

    def __init__(self, text: str, parent=None, published: str | None = "", source_url: str = "",
                 source_title: str = "", today: date | None = None):
        super().__init__(parent, "Edit fact")
        self.setObjectName("editFactDialog")
        self._today = today
        self.text = self._text("Fact*:", "factTextEdit", text=text)
        self.text.setAccessibleName("Fact")
        self.published = self._line("Published:", "factPublishedEdit", "YYYY-MM-DD, optional", published or "")
        self.source_url = self._line("Source URL:", "factSourceUrlEdit", "https://…, optional", source_url or "")
        self.source_title = self._line("Source title:", "factSourceTitleEdit", "optional", source_title or "")
        self.details: FactDetails | None = None

    def _validate(self) -> str:
        self.details = FactDetails(
            note_input(self.text.toPlainText()).text,
            published_input(self.published.text(), self._today or date.today()),
            source_url_input(self.source_url.text()),
            source_title_input(self.source_title.text()),
        )
        return self.details.text


class MessageDialog(QDialog):
    """A sent message, read-only."""

    def __init__(self, title: str, text: str, parent=None):
        super().__init__(parent)
        self.setObjectName("sentMessageDialog")
        self.setWindowTitle(title)
        self.setPalette(readable_palette(self.palette()))
        self.view = QPlainTextEdit(text)
        self.view.setObjectName("sentMessageText")
        self.view.setAccessibleName("Sent message")
        self.view.setReadOnly(True)
        self.view.setTabChangesFocus(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view)
        layout.addWidget(buttons)
        self.view.setFocus()  # the arrow keys scroll the message; Escape closes
        self.resize(560, 420)


# Keys that are no menu's: the window lists its menus' own shortcuts first (one source: the menus).
OTHER_KEYS = (
    ("Enter on a fact", "Cite it at the cursor"),
    ("Ctrl+V in the fact list", "Research just the page whose address is on the clipboard"),
    ("Backspace after a chip", "Remove that citation"),
    ("Enter or Space on a checklist item", "Show where the rule applies and why"),
    ("Enter on a sent message", "Read it, with the facts it cited"),
)


class ShortcutsDialog(QDialog):
    """The keys, as (keys, what they do) pairs: the menus' shortcuts, then OTHER_KEYS."""

    def __init__(self, parent=None, shortcuts=()):
        super().__init__(parent)
        self.setObjectName("shortcutsDialog")
        self.setWindowTitle("Keyboard shortcuts")
        self.setPalette(readable_palette(self.palette()))
        form = QFormLayout(self)
        for keys, what in (*shortcuts, *OTHER_KEYS):
            key_label = plain_label(keys, wrap=False)
            bold = key_label.font()
            bold.setBold(True)
            key_label.setFont(bold)
            form.addRow(key_label, plain_label(what))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)


class ImportPreviewDialog(QDialog):
    """What a CSV import will do, before it does it."""

    def __init__(self, plan, file_name: str, parent=None):
        from PySide6.QtWidgets import QAbstractItemView, QListWidget, QTableWidget, QTableWidgetItem

        super().__init__(parent)
        self.setObjectName("importPreviewDialog")
        self.setWindowTitle(f"Import {file_name}")
        self.setPalette(readable_palette(self.palette()))
        self.plan = plan
        layout = QVBoxLayout(self)
        mapped = ", ".join(f"{theirs} → {ours}" for ours, theirs in plan.columns.items())
        summary = plain_label(f"{len(plan.rows)} new prospect(s) to import; {len(plan.duplicates)} already in your "
                              f"workspace; {len(plan.errors)} row(s) can't be used.\nColumns: {mapped}",
                              "importSummary")
        layout.addWidget(summary)
        table = QTableWidget(min(len(plan.rows), 200), 5)
        table.setObjectName("importPreviewTable")
        table.setAccessibleName("Prospects to import")
        # A preview: what is imported is the plan, so an edit here would be silently ignored.
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setTabKeyNavigation(False)  # Tab moves on to the buttons
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
            layout.addWidget(plain_label("Skipped (fix them in the file and import again; nothing is duplicated):"))
            layout.addWidget(errors)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        go = buttons.addButton(f"Import {len(plan.rows)} prospect(s)", QDialogButtonBox.ButtonRole.AcceptRole)
        go.setObjectName("importButton")
        go.setEnabled(bool(plan.rows))
        quiet_buttons(buttons)
        go.setDefault(True)  # Enter imports what the table shows; Space only presses the button it is on
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        table.setFocus()
        self.resize(720, 520)
