"""ComposerPane: kind, subject, body with citation chips, the live checklist, underlines and Copy."""
from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QColor, QTextCharFormat, QTextCursor, QTextFormat
from PySide6.QtWidgets import (
    QComboBox, QHBoxLayout, QLabel, QLineEdit, QPushButton, QTextEdit, QVBoxLayout, QWidget,
)

from app.compose import check_text
from app.compose.draft_text import compose_text
from app.compose.rulepack import RulePack, default_pack
from app.core.models import MESSAGE_KINDS, Draft, Fact, Touch

from .checklist_widget import ChecklistWidget, why_text
from .citation_edit import CitationEdit
from .qt_text import qt_pos

AUTOSAVE_MS = 800
GATE_RULE = "cites-research"  # the one rule "Copy anyway" can never override
_UNDERLINE = {"fail": QColor("#d32f2f"), "warn": QColor("#e0a000")}


class ComposerPane(QWidget):
    draft_edited = Signal(object)  # Draft, debounced: the window saves it
    copy_clicked = Signal(list)  # rule ids the rep chose to override ([] for a clean copy)
    cite_clicked = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.prospect_id: int | None = None
        self.company: str | None = None
        self.result: dict | None = None
        self.pack: RulePack = default_pack()
        self.touches: list[Touch] = []
        self._loading = False
        self._dirty = False  # edited since the last save request
        self._underlined: tuple = ()

        self.recipient = QLabel()
        self.recipient.setObjectName("recipientLabel")
        self.recipient.setTextFormat(Qt.TextFormat.PlainText)
        font = self.recipient.font()
        font.setBold(True)
        self.recipient.setFont(font)
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
        self.checklist = ChecklistWidget()
        self.checklist.setObjectName("checklist")
        self.checklist.setAccessibleName("Checklist")
        self.checklist.setMaximumHeight(230)
        self.why = QLabel("Click a checklist item to see where it applies and why the rule exists.")
        self.why.setObjectName("ruleWhyLabel")
        self.why.setTextFormat(Qt.TextFormat.PlainText)
        self.why.setWordWrap(True)
        self.why.setStyleSheet("color: palette(mid);")
        self.copy_anyway = QPushButton("Copy anyway")
        self.copy_anyway.setObjectName("copyAnywayButton")
        self.copy_anyway.setToolTip("Copy despite the failing rules; the sent log records which ones you overrode")
        self.copy_anyway.hide()
        self.copy = QPushButton("Copy")
        self.copy.setObjectName("copyButton")
        self.copy.setToolTip("Copy the message (citations removed) and log it as sent")
        self.copy.setEnabled(False)
        self.copy.setDefault(True)
        self.copy.setMinimumWidth(120)
        self.copy.setStyleSheet("QPushButton:enabled { font-weight: bold; }")

        head = QHBoxLayout()
        head.addWidget(self.recipient, 1)
        head.addWidget(self.kind)
        tools = QHBoxLayout()
        tools.addWidget(self.cite)
        tools.addWidget(self.cited_label, 1)
        foot = QHBoxLayout()
        foot.addStretch()
        foot.addWidget(self.copy_anyway)
        foot.addWidget(self.copy)
        layout = QVBoxLayout(self)
        layout.addLayout(head)
        layout.addWidget(self.subject)
        layout.addWidget(self.body, 1)
        layout.addLayout(tools)
        layout.addWidget(QLabel("<b>Checklist</b>"))
        layout.addWidget(self.checklist)
        layout.addWidget(self.why)
        layout.addLayout(foot)

        self._autosave = QTimer(self)
        self._autosave.setSingleShot(True)
        self._autosave.setInterval(AUTOSAVE_MS)
        self._autosave.timeout.connect(self.flush)

        self.body.textChanged.connect(self._edited)
        self.subject.textChanged.connect(self._edited)
        self.kind.currentIndexChanged.connect(self._edited)
        self.cite.clicked.connect(self.cite_clicked)
        self.copy.clicked.connect(lambda: self.copy_clicked.emit([]))
        self.copy_anyway.clicked.connect(lambda: self.copy_clicked.emit(self.overridable_failures()))
        self.checklist.span_requested.connect(self._select_span)
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
        self.touches = []
        to = " at ".join(x for x in (contact, company) if x)
        self.recipient.setText(f"To {to}" if to else "Compose: select or add a prospect")
        self.load_draft(None)
        enabled = prospect_id is not None
        for w in (self.kind, self.subject, self.body):
            w.setEnabled(enabled)

    def set_facts(self, facts: list[Fact]) -> None:
        self.body.set_facts(facts)
        self.refresh_checklist()

    def set_touches(self, touches: list[Touch]) -> None:
        """The sent log of this prospect: the last message for follow-ups, and facts already used."""
        self.touches = touches
        self.refresh_checklist()

    def set_pack(self, pack: RulePack) -> None:
        self.pack = pack
        self.checklist.forget_rows()
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

    def _check_facts(self) -> list[dict]:
        used = {fid for t in self.touches for fid in t.cited_fact_ids}
        facts = []
        for f in self.body.facts.values():
            d = f.as_check_dict()
            d["cited_before"] = f.id in used
            facts.append(d)
        return facts

    def refresh_checklist(self) -> None:
        """Runs on every edit: the rules are pure and fast, and only what changed is repainted."""
        body = self.body.toPlainText()
        text = compose_text(self.subject.text(), body)
        kind = self.current_kind()
        previous = self.touches[-1].text if self.touches and kind == "follow-up" else None
        self.result = check_text(text, kind, self._check_facts(), previous=previous, company=self.company,
                                 pack=self.pack)
        self.checklist.show_result(self.result, self.pack)
        self._underline(text, body)
        self._update_cited()
        self._update_copy()

    def _underline(self, text: str, body: str) -> None:
        header = len(text) - len(body)  # "Subject: ...\n\n" before the body in the checked text
        findings = []
        for r in self.result["rules"]:
            if r["status"] == "pass":
                continue
            for s, e in r["spans"]:
                if s >= header:
                    findings.append((qt_pos(body, s - header), qt_pos(body, e - header), r["status"], r["message"]))
        key = tuple(findings)
        if key == self._underlined:
            return
        self._underlined = key
        selections = []
        for start, end, status, _ in findings:
            sel = QTextEdit.ExtraSelection()
            fmt = QTextCharFormat()
            fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.WaveUnderline)
            fmt.setUnderlineColor(_UNDERLINE[status])
            fmt.setProperty(QTextFormat.Property.UserProperty, status)
            sel.format = fmt
            cursor = QTextCursor(self.body.document())
            cursor.setPosition(start)
            cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
            sel.cursor = cursor
            selections.append(sel)
        self.body.findings = [(s, e, m) for s, e, _, m in findings]
        self.body.setExtraSelections(selections)

    def _update_cited(self) -> None:
        cited = [self.body.facts[c] for c in dict.fromkeys(self.result["citations"]) if c in self.body.facts]
        if cited:
            self.cited_label.setText(f"Cites {len(cited)} fact{'s' if len(cited) > 1 else ''}: "
                                     + ", ".join(f"[^{f.id}]" for f in cited) + "  (hover a chip to read it)")
        else:
            self.cited_label.setText("No citations yet: select a fact, then Cite fact.")

    def overridable_failures(self) -> list[str]:
        return [r["id"] for r in self.result["rules"] if r["status"] == "fail" and r["id"] != GATE_RULE]

    def _update_copy(self) -> None:
        active = self.prospect_id is not None
        ok = self.result["ok"]
        self.copy.setEnabled(active and ok)
        gate_passes = self.checklist.status_of(GATE_RULE) == "pass"
        show_anyway = active and not ok
        self.copy_anyway.setVisible(show_anyway)
        self.copy_anyway.setEnabled(show_anyway and gate_passes)
        self.copy_anyway.setToolTip(
            "Copy despite: " + ", ".join(self.overridable_failures()) + ". The sent log records the override."
            if gate_passes else "A message must cite a research fact: that rule can't be overridden."
        )

    def cited_fact_ids(self) -> list[int]:
        seen = dict.fromkeys(c for c in (self.result or {}).get("citations", []) if c in self.body.facts)
        return [int(c) for c in seen]

    def _select_span(self, rule_id: str, spans: list) -> None:
        self.why.setText(f"{rule_id}: " + why_text(self.pack.get(rule_id)))
        if not spans:
            return
        body = self.body.toPlainText()
        header = len(compose_text(self.subject.text(), body)) - len(body)
        start, end = spans[0]
        if start >= header:
            cursor = self.body.textCursor()
            cursor.setPosition(qt_pos(body, start - header))
            cursor.setPosition(qt_pos(body, end - header), QTextCursor.MoveMode.KeepAnchor)
            self.body.setTextCursor(cursor)
            self.body.setFocus()
        else:  # a subject finding: "Subject: " plus any spaces the rep typed before it
            subject = self.subject.text()
            lead = len(subject) - len(subject.lstrip())
            offset = lead - len("Subject: ")
            self.subject.setSelection(qt_pos(subject, start + offset), qt_pos(subject, end + offset)
                                      - qt_pos(subject, start + offset))
            self.subject.setFocus()

    # -- autosave ----------------------------------------------------------------
    def flush(self) -> None:
        """Save now if an autosave is pending (switching prospect, quitting)."""
        self._autosave.stop()
        draft = self.current_draft()
        if self._dirty and draft is not None:
            self._dirty = False
            self.draft_edited.emit(draft)
