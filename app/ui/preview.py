"""The message as the prospect will see it: who it goes to, its subject, and the body as HTML mail.

The caller renders the body with app.core.outgoing.html_message (everything in it escaped; a follow-up's
forwarded original is already in it, quoted). The browser is still locked down, in case other HTML ever comes
here: a click on a link opens nothing, and no resource (image, stylesheet, file:) is ever loaded.
"""
from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QPushButton, QTextBrowser, QVBoxLayout

from .contrast import readable_palette
from .dialog_base import plain_label, quiet_buttons


def recipient_line(name: str, email: str) -> str:
    """'Dana Okafor <dana@harborpine.com>', or whichever half there is."""
    name, email = " ".join((name or "").split()), (email or "").strip()
    if name and email:
        return f"{name} <{email}>"
    return name or email or "(no recipient yet)"


class LockedBrowser(QTextBrowser):
    """Shows HTML and nothing else: never follows a link, never loads a resource."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.setTabChangesFocus(True)
        self.asked_for: list[str] = []  # what the HTML tried to load (nothing is)

    def loadResource(self, kind, url):
        self.asked_for.append(url.toString())
        return None


class PreviewDialog(QDialog):
    """Read-only preview with Copy and Close. Connect `copy_requested` (Copy does not close the dialog)."""

    copy_requested = Signal()

    def __init__(self, parent=None, to_name: str = "", to_email: str = "", subject: str = "", html: str = "",
                 title: str = "Preview"):
        super().__init__(parent)
        self.setObjectName("previewDialog")
        self.setWindowTitle(title)
        self.setPalette(readable_palette(self.palette()))
        head = QFormLayout()
        self.to_label = plain_label(recipient_line(to_name, to_email), "previewTo")
        self.subject_label = plain_label(" ".join(subject.split()) or "(no subject)", "previewSubject")
        head.addRow("To:", self.to_label)
        head.addRow("Subject:", self.subject_label)
        self.body = LockedBrowser()
        self.body.setObjectName("previewBody")
        self.body.setAccessibleName("Message as the prospect will see it")
        self.body.setHtml(html)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.copy_button: QPushButton = self.buttons.addButton("Copy", QDialogButtonBox.ButtonRole.ActionRole)
        self.copy_button.setObjectName("previewCopyButton")
        self.buttons.button(QDialogButtonBox.StandardButton.Close).setObjectName("previewCloseButton")
        quiet_buttons(self.buttons)
        self.copy_button.clicked.connect(self.copy_requested)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(head)
        layout.addWidget(self.body, 1)
        layout.addWidget(self.buttons)
        self.body.setFocus()  # the arrow keys scroll the message
        self.resize(620, 520)

    def shown_text(self) -> str:
        """The body as the prospect reads it (plain text of the rendered HTML)."""
        return self.body.toPlainText()
