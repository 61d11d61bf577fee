"""Before something is removed: merging two prospects, deleting one. Each says plainly what goes, and the button
that removes things is never the default, so Enter or a stray Space keeps everything."""
from __future__ import annotations

from PySide6.QtWidgets import QButtonGroup, QDialog, QDialogButtonBox, QRadioButton, QVBoxLayout

from app.core import dates

from .contrast import readable_palette
from .dialog_base import plain_label, quiet_buttons


def _describe(prospect) -> str:
    """One line a rep can tell two prospects apart by: company, website, contact, when added."""
    g = lambda name: (getattr(prospect, name, "") or "").strip()  # noqa: E731
    contact = ", ".join(x for x in (g("contact_name"), g("role")) if x)
    added = dates.day(g("created_at")) or ""
    return "  ·  ".join(x for x in (g("company"), g("website"), contact, g("email"),
                                    f"added {added}" if added else "") if x)


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


class _ConfirmDialog(QDialog):
    def __init__(self, parent, title: str, action: str, action_name: str):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setPalette(readable_palette(self.palette()))
        self.layout_ = QVBoxLayout(self)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.action_button = self.buttons.addButton(action, QDialogButtonBox.ButtonRole.DestructiveRole)
        self.action_button.setObjectName(action_name)
        self.cancel_button = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        self.cancel_button.setObjectName("dialogCancelButton")
        quiet_buttons(self.buttons)
        self.cancel_button.setDefault(True)  # Enter keeps everything
        self.action_button.clicked.connect(self._confirmed)
        self.buttons.rejected.connect(self.reject)

    def _confirmed(self) -> None:
        self.accept()


class MergeProspectsDialog(_ConfirmDialog):
    """Choose which of the prospects to keep; the others are folded into it (WorkspaceRepo.merge_prospects).
    `.value` is the id to keep, `.merged_ids` the others' ids, set when accepted."""

    def __init__(self, parent, prospects: list):
        super().__init__(parent, "Merge prospects", "Merge", "mergeButton")
        self.setObjectName("mergeProspectsDialog")
        self.prospects = list(prospects)
        self.value: int | None = None
        self.merged_ids: list[int] = []
        self.layout_.addWidget(plain_label(
            "These look like the same company. Choose the one to keep: the others' facts, notes, sent log and "
            "history move to it, its empty website, contact, role and e-mail are filled in from theirs, and the "
            "others are removed.", "mergeExplanation"))
        self.group = QButtonGroup(self)
        self.choices: list[QRadioButton] = []
        for i, prospect in enumerate(self.prospects):
            choice = QRadioButton(_describe(prospect))
            choice.setObjectName(f"keepProspect{i}")
            self.group.addButton(choice, i)
            self.choices.append(choice)
            self.layout_.addWidget(choice)
        if self.choices:
            self.choices[0].setChecked(True)
            self.choices[0].setFocus()  # the arrow keys choose; Tab goes on to the buttons
        self.layout_.addWidget(self.buttons)

    def kept(self):
        return self.prospects[self.group.checkedId()] if self.group.checkedId() >= 0 else None

    def _confirmed(self) -> None:
        keep = self.kept()
        if keep is None:
            return
        self.value = keep.id
        self.merged_ids = [p.id for p in self.prospects if p.id != keep.id]
        self.accept()


class ConfirmDeleteProspectDialog(_ConfirmDialog):
    """Asks before deleting a prospect, saying what goes with it. Connect `accepted` to the delete."""

    def __init__(self, parent, company: str, fact_count: int | None = None, sent_count: int | None = None):
        super().__init__(parent, f"Delete {company}?", "Delete prospect", "deleteProspectButton")
        self.setObjectName("confirmDeleteProspectDialog")
        facts = _plural(fact_count, "research fact or note", "research facts and notes") \
            if fact_count is not None else "all its research facts and notes"
        sent = _plural(sent_count, "message", "messages") if sent_count is not None else "every message"
        self.message = plain_label(
            f"Delete {company} and everything kept for it: {facts}, its drafts, its sent log ({sent} sent) and "
            "its status history.\n\nThis can't be undone, except by restoring a backup made before now "
            "(File > Restore workspace).", "deleteExplanation")
        self.layout_.addWidget(self.message)
        self.layout_.addWidget(self.buttons)
        self.cancel_button.setFocus()
