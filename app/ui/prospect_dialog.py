"""Adding or editing a prospect, with a warning (and a way out) when the company is already in the list."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QWidget

from app.core.validate import prospect_input

from .dialog_base import ValidatingDialog, plain_label
from app.core.fields import EMAIL_EXAMPLE, email_input


@dataclass(frozen=True)
class ProspectValue:
    """What the rep typed, checked and tidied (a website gets https://, an e-mail its domain lower-cased)."""
    company: str
    website: str = ""
    contact_name: str = ""
    role: str = ""
    email: str = ""
    notices: tuple[str, ...] = ()  # what tidying changed, e.g. invisible characters removed


def duplicate_text(found: list) -> str:
    first = found[0]
    website = getattr(first, "website", "") or ""
    text = f"Already in your list: {first.company}" + (f" ({website})" if website else "")
    return text + (f", and {len(found) - 1} more like it" if len(found) > 1 else "")


class ProspectDialog(ValidatingDialog):
    """Add a prospect, or edit one (`prospect` given). `find_duplicates(company, website) -> list` of prospects
    (anything with .id, .company, .website) runs on each edit of those two fields, on the UI thread: give it
    something in memory and fast. The prospect being edited is never its own duplicate."""

    OpenExisting = 2  # the result (finished(int)) when the rep chose "Open it instead"
    open_existing_requested = Signal(int)  # the id of the prospect to open instead

    def __init__(self, parent=None, prospect=None, find_duplicates: Callable[[str, str], list] | None = None):
        super().__init__(parent, "Edit prospect" if prospect is not None else "New prospect")
        self.setObjectName("prospectDialog")
        self.prospect_id = getattr(prospect, "id", None)
        self.open_existing_id: int | None = None
        self._find_duplicates = find_duplicates
        self._duplicates: list = []
        get = (lambda name: getattr(prospect, name, "") or "") if prospect is not None else (lambda name: "")
        self.company = self._line("Company*:", "companyEdit", "Acme Robotics", get("company"))
        self.website = self._line("Website:", "websiteEdit", "acme-robotics.com", get("website"))
        self.contact = self._line("Contact:", "contactEdit", "Sam Rivera", get("contact_name"))
        self.role = self._line("Role:", "roleEdit", "VP Operations", get("role"))
        self.email = self._line("E-mail:", "emailEdit", EMAIL_EXAMPLE, get("email"))

        self.duplicate_row = QWidget()
        self.duplicate_row.setObjectName("duplicateRow")
        self.duplicate_label = plain_label(name="duplicateWarning")
        self.open_existing = QPushButton("Open it instead")
        self.open_existing.setObjectName("openExistingButton")
        self.open_existing.setAutoDefault(False)
        row = QHBoxLayout(self.duplicate_row)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.duplicate_label, 1)
        row.addWidget(self.open_existing)
        self.duplicate_row.hide()
        self.layout().insertWidget(1, self.duplicate_row)  # under the fields, above an error and the buttons
        self._inputs.append(self.open_existing)  # in the tab order after the fields, before Save

        self.open_existing.clicked.connect(self._open_existing)
        if find_duplicates is not None:
            self.company.textChanged.connect(self._check_duplicates)
            self.website.textChanged.connect(self._check_duplicates)

    def initial_focus(self):
        return self.company

    def _check_duplicates(self) -> None:
        company, website = " ".join(self.company.text().split()), self.website.text().strip()
        found = []
        if company or website:
            found = [p for p in self._find_duplicates(company, website)
                     if self.prospect_id is None or getattr(p, "id", None) != self.prospect_id]
        self._duplicates = found
        if found:
            self.duplicate_label.setText(duplicate_text(found))
        self.duplicate_row.setVisible(bool(found))

    def _open_existing(self) -> None:
        if not self._duplicates:
            return
        self.open_existing_id = self._duplicates[0].id
        self.open_existing_requested.emit(self.open_existing_id)
        self.done(self.OpenExisting)

    def _validate(self) -> ProspectValue:
        checked = prospect_input(self.company.text(), self.website.text(), self.contact.text(), self.role.text())
        return ProspectValue(checked.company, checked.website, checked.contact_name, checked.role,
                             email_input(self.email.text()), checked.notices)


class NewProspectDialog(ProspectDialog):
    """The old name and call (NewProspectDialog(parent)): a ProspectDialog for a new prospect."""

    def __init__(self, parent=None, find_duplicates: Callable[[str, str], list] | None = None):
        super().__init__(parent, None, find_duplicates)
        self.setObjectName("newProspectDialog")
