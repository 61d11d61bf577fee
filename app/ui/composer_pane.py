"""ComposerPane: kind, subject, body with citation chips, the live checklist and Copy."""
from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QComboBox, QHBoxLayout, QLabel, QLineEdit, QListWidget, QListWidgetItem, QPushButton, QVBoxLayout, QWidget,
)

from app.compose import check_text
from app.compose.draft_text import compose_text
from app.core.models import MESSAGE_KINDS, Draft, Fact

AUTOSAVE_MS = 800
_MARKS = {"pass": ("✔", "#1d6b2f"), "warn": ("!", "#9a6700"), "fail": ("✘", "#b3261e")}


class ComposerPane(QWidget):
    draft_edited = Signal(object)  # Draft, debounced: the window saves it
    copy_clicked = Signal()
    cite_clicked = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        from .citation_edit import CitationEdit

        self.prospect_id: int | None = None
        self.company: str | None = None
        self.result: dict | None = None
        self._loading = False
        self._dirty = False  # edited since the last save request

        self.kind = QComboBox()
        self.kind.setObjectName("composerKind")
        self.kind.setAccessibleName("Message kind")
        for k in MESSAGE_KINDS:
            self.kind.addItem(k.replace("-", " ").capitalize(), k)
        self.subject = QLineEdit()
        self.subject.setObjectName("subjectEdit")
        self.subject.setAccessibleName("Subject")
        self.subject.setPlaceholderText("Subject: 1 to 7 words about their business")
        self.body = CitationEdit()
        self.body.setObjectName("composer")
        self.body.setAccessibleName("Message")
        self.body.setPlaceholderText(
            "Write about their business, not your product. Select a fact and press Cite to ground a sentence in it."
        )
        self.cite = QPushButton("Cite fact")
        self.cite.setObjectName("citeButton")
        self.cite.setToolTip("Insert a citation of the selected research fact at the cursor")
        self.cite.setEnabled(False)
        self.cited_label = QLabel()
        self.cited_label.setObjectName("citedFactsLabel")
        self.cited_label.setTextFormat(Qt.TextFormat.PlainText)
        self.cited_label.setWordWrap(True)
        self.checklist = QListWidget()
        self.checklist.setObjectName("checklist")
        self.checklist.setAccessibleName("Checklist")
        self.checklist.setMaximumHeight(220)
        self.copy = QPushButton("Copy")
        self.copy.setObjectName("copyButton")
        self.copy.setToolTip("Copy the message (citations removed) and log it as sent")
        self.copy.setEnabled(False)
        self.copy.setDefault(True)
        self.copy.setMinimumWidth(120)
        self.copy.setStyleSheet("QPushButton:enabled { font-weight: bold; }")

        self.recipient = QLabel()
        self.recipient.setObjectName("recipientLabel")
        self.recipient.setTextFormat(Qt.TextFormat.PlainText)
        font = self.recipient.font()
        font.setBold(True)
        self.recipient.setFont(font)
        head = QHBoxLayout()
        head.addWidget(self.recipient, 1)
        head.addStretch()
        head.addWidget(self.kind)
        tools = QHBoxLayout()
        tools.addWidget(self.cite)
        tools.addWidget(self.cited_label, 1)
        foot = QHBoxLayout()
        foot.addStretch()
        foot.addWidget(self.copy)
        layout = QVBoxLayout(self)
        layout.addLayout(head)
        layout.addWidget(self.subject)
        layout.addWidget(self.body, 1)
        layout.addLayout(tools)
        layout.addWidget(QLabel("<b>Checklist</b>"))
        layout.addWidget(self.checklist)
        layout.addLayout(foot)

        self._autosave = QTimer(self)
        self._autosave.setSingleShot(True)
        self._autosave.setInterval(AUTOSAVE_MS)
        self._autosave.timeout.connect(self.flush)

        self.body.textChanged.connect(self._edited)
        self.subject.textChanged.connect(self._edited)
        self.kind.currentIndexChanged.connect(self._edited)
        self.cite.clicked.connect(self.cite_clicked)
        self.copy.clicked.connect(self.copy_clicked)
        self.set_prospect(None, None)

    # -- state -------------------------------------------------------------------
    def current_kind(self) -> str:
        return self.kind.currentData()

    def current_draft(self) -> Draft | None:
        if self.prospect_id is None:
            return None
        return Draft(self.prospect_id, self.current_kind(), self.subject.text(), self.body.toPlainText())

    def set_prospect(self, prospect_id: int | None, company: str | None, contact: str = "") -> None:
        """Switch to another prospect: the caller flushes the old draft first."""
        self.prospect_id, self.company = prospect_id, company
        to = " at ".join(x for x in (contact, company) if x)
        self.recipient.setText(f"To {to}" if to else "Compose: select or add a prospect")
        self.load_draft(None)
        enabled = prospect_id is not None
        for w in (self.kind, self.subject, self.body):
            w.setEnabled(enabled)

    def set_facts(self, facts: list[Fact]) -> None:
        self.body.set_facts(facts)
        self.refresh_checklist()

    def load_draft(self, draft: Draft | None) -> None:
        self._loading = True
        try:
            draft = draft or Draft(self.prospect_id or 0)
            self.kind.setCurrentIndex(max(0, self.kind.findData(draft.kind)))
            self.subject.setText(draft.subject)
            self.body.setPlainText(draft.body)
        finally:
            self._loading = False
        self._autosave.stop()
        self._dirty = False
        self.refresh_checklist()

    def set_fact_selected(self, has_fact: bool) -> None:
        self.cite.setEnabled(has_fact and self.prospect_id is not None)

    # -- live checklist ----------------------------------------------------------
    def _edited(self) -> None:
        self.refresh_checklist()
        if not self._loading and self.prospect_id is not None:
            self._dirty = True
            self._autosave.start()

    def refresh_checklist(self) -> None:
        facts = [f.as_check_dict() for f in self.body.facts.values()]
        text = compose_text(self.subject.text(), self.body.toPlainText())
        self.result = check_text(text, self.current_kind(), facts, company=self.company)
        self.checklist.clear()
        for rule in self.result["rules"]:
            mark, color = _MARKS[rule["status"]]
            item = QListWidgetItem(f"{mark}  {rule['id']}: {rule['message']}")
            item.setForeground(QBrush(QColor(color)))
            item.setData(Qt.ItemDataRole.UserRole, rule["status"])
            self.checklist.addItem(item)
        cited = [self.body.facts[c] for c in dict.fromkeys(self.result["citations"]) if c in self.body.facts]
        if cited:
            self.cited_label.setText(f"Cites {len(cited)} fact{'s' if len(cited) > 1 else ''}: "
                                     + ", ".join(f"[^{f.id}]" for f in cited) + "  (hover a chip to read it)")
        else:
            self.cited_label.setText("No citations yet: select a fact, then Cite fact.")
        self.copy.setEnabled(self.prospect_id is not None and self.result["ok"])

    def cited_fact_ids(self) -> list[int]:
        seen = dict.fromkeys(c for c in (self.result or {}).get("citations", []) if c in self.body.facts)
        return [int(c) for c in seen]

    # -- autosave ----------------------------------------------------------------
    def flush(self) -> None:
        """Save now if an autosave is pending (switching prospect, quitting)."""
        self._autosave.stop()
        draft = self.current_draft()
        if self._dirty and draft is not None:
            self._dirty = False
            self.draft_edited.emit(draft)
