"""ComposerPane: kind, subject, body with citation chips, the live checklist, underlines and Copy."""
from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QColor, QTextCharFormat, QTextCursor, QTextFormat
from PySide6.QtWidgets import (
    QComboBox, QHBoxLayout, QLabel, QLineEdit, QListWidget, QListWidgetItem, QPlainTextEdit, QPushButton,
    QTextEdit, QVBoxLayout, QWidget,
)

from app.compose import check_text
from app.compose.draft_text import compose_text
from app.compose.engine import thread_context
from app.compose.rulepack import RulePack, default_pack
from app.compose.kinds_rules import sendable_length
from app.core.models import EMAIL_KINDS, MESSAGE_KINDS, Draft, Fact, Touch, kind_label

from .checklist_widget import ChecklistWidget, why_text
from .citation_edit import CitationEdit
from .qt_text import qt_pos

AUTOSAVE_MS = 800
_UNDERLINE = {"fail": QColor("#d32f2f"), "warn": QColor("#e0a000")}
_PLACEHOLDERS = {
    "linkedin-note": "One reason to connect, tied to a fact you cite. No pitch; LinkedIn takes 300 characters "
                     "(200 on a free account: set yours under Rule thresholds).",
    "call-script": "What you will say, or leave as a voicemail: the reason for the call first (cite a fact), "
                   "45 to 75 words, then the email that follows.",
}


# The articles' own examples of a good follow-up: one click each.
QUICK_QUESTIONS = (
    "What would be a good next step?",
    "Is there some way to find out if this is a priority?",
    "Want to follow up in case this e-mail got buried.",
)


class ComposerPane(QWidget):
    draft_edited = Signal(object)  # Draft, debounced: the window saves it
    copy_clicked = Signal(list)  # rule ids the rep chose to override ([] for a clean copy)
    mailto_clicked = Signal()
    cite_clicked = Signal()
    cite_fact = Signal(int)  # a suggested fact clicked
    touch_opened = Signal(object)  # a sent message to show read-only

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
        self._suggested_for: tuple | None = None  # the citations the suggestions were made for

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
            self.kind.addItem(kind_label(k), k)
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
        self._email_placeholder = self.body.placeholderText()
        self.cite = QPushButton("Cite fact")
        self.cite.setObjectName("citeButton")
        self.cite.setToolTip("Insert a citation of the selected research fact at the cursor")
        self.cite.setEnabled(False)
        self.char_count = QLabel()
        self.char_count.setObjectName("charCount")
        self.char_count.setAccessibleName("Characters")
        self.char_count.setTextFormat(Qt.TextFormat.PlainText)
        self.char_count.setToolTip("Characters as LinkedIn counts them (citation markers don't count)")
        self.char_count.hide()
        self.cited_label = QLabel()
        self.cited_label.setObjectName("citedFactsLabel")
        self.cited_label.setTextFormat(Qt.TextFormat.PlainText)
        self.cited_label.setWordWrap(True)
        self.checklist = ChecklistWidget()
        self.checklist.setObjectName("checklist")
        self.checklist.setAccessibleName("Checklist")
        self.checklist.setMaximumHeight(230)
        self.checklist.setWordWrap(True)
        self.checklist.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.why = QLabel("Click a checklist item to see where it applies and why the rule exists.")
        self.why.setObjectName("ruleWhyLabel")
        self.why.setTextFormat(Qt.TextFormat.PlainText)
        self.why.setWordWrap(True)
        self.why.setStyleSheet("color: palette(mid);")
        self.copy_anyway = QPushButton("Copy anyway")
        self.copy_anyway.setObjectName("copyAnywayButton")
        self.copy_anyway.setToolTip("Copy despite the failing rules; the sent log records which ones you overrode")
        self.copy_anyway.hide()
        self.forward_label = QLabel()
        self.forward_label.setObjectName("forwardLabel")
        self.forward_label.setTextFormat(Qt.TextFormat.PlainText)
        self.forwarded = QPlainTextEdit()
        self.forwarded.setObjectName("forwardedOriginal")
        self.forwarded.setAccessibleName("Forwarded original message")
        self.forwarded.setReadOnly(True)
        self.forwarded.setMaximumHeight(130)
        self.quick = []
        quick_row = QHBoxLayout()
        for i, question in enumerate(QUICK_QUESTIONS):
            button = QPushButton(question)
            button.setObjectName(f"quickQuestion{i}")
            button.setToolTip("Add this question to your follow-up")
            button.clicked.connect(lambda _=False, q=question: self.insert_question(q))
            quick_row.addWidget(button)
            self.quick.append(button)
        self.suggested = QListWidget()
        self.suggested.setObjectName("suggestedFacts")
        self.suggested.setAccessibleName("Facts not yet used with this prospect")
        self.suggested.setMaximumHeight(70)
        self.suggested.setWordWrap(True)
        self.suggested.itemClicked.connect(lambda item: self.cite_fact.emit(item.data(Qt.ItemDataRole.UserRole)))
        self.follow_up_box = QWidget()
        box = QVBoxLayout(self.follow_up_box)
        box.setContentsMargins(0, 0, 0, 0)
        box.addLayout(quick_row)
        suggested_label = QLabel("Something new to bring (not cited in this thread yet): click to cite")
        suggested_label.setObjectName("suggestedFactsLabel")
        box.addWidget(suggested_label)
        box.addWidget(self.suggested)
        box.addWidget(self.forward_label)
        box.addWidget(self.forwarded)
        self.follow_up_box.hide()
        self.history = QListWidget()
        self.history.setObjectName("touchHistory")
        self.history.setAccessibleName("Sent messages")
        self.history.setMaximumHeight(80)
        self.history.itemDoubleClicked.connect(lambda item: self.touch_opened.emit(item.data(Qt.ItemDataRole.UserRole)))
        self.history_label = QLabel("Sent to this prospect: nothing yet")
        self.history_label.setObjectName("touchHistoryLabel")
        self.mailto = QPushButton("Open in mail app")
        self.mailto.setObjectName("mailtoButton")
        self.mailto.setToolTip("Start an email in your mail app with this subject and text, and log it as sent")
        self.mailto.setEnabled(False)
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
        tools.addWidget(self.char_count)
        foot = QHBoxLayout()
        foot.addStretch()
        foot.addWidget(self.copy_anyway)
        foot.addWidget(self.mailto)
        foot.addWidget(self.copy)
        layout = QVBoxLayout(self)
        layout.addLayout(head)
        layout.addWidget(self.subject)
        layout.addWidget(self.body, 2)
        layout.addWidget(self.follow_up_box, 1)
        layout.addLayout(tools)
        layout.addWidget(QLabel("<b>Checklist</b>"))
        layout.addWidget(self.checklist)
        layout.addWidget(self.why)
        layout.addLayout(foot)
        layout.addWidget(self.history_label)
        layout.addWidget(self.history)

        self._autosave = QTimer(self)
        self._autosave.setSingleShot(True)
        self._autosave.setInterval(AUTOSAVE_MS)
        self._autosave.timeout.connect(self.flush)

        self.body.textChanged.connect(self._edited)
        self.subject.textChanged.connect(self._edited)
        self.kind.currentIndexChanged.connect(self._edited)
        self.cite.clicked.connect(self.cite_clicked)
        self.copy.clicked.connect(lambda: self.copy_clicked.emit([]))
        self.mailto.clicked.connect(self.mailto_clicked)
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
        self._suggested_for = None
        self.refresh_checklist()

    def set_touches(self, touches: list[Touch]) -> None:
        """The sent log of this prospect: the last message for follow-ups, and facts already used."""
        self.touches = touches
        self.history.clear()
        for t in reversed(touches):
            cites = ", ".join(f"[^{i}]" for i in t.cited_fact_ids) or "no citations"
            override = f" · copied over {', '.join(t.overrides)}" if t.overrides else ""
            subject = f" · {t.subject or '(no subject)'}" if t.kind in EMAIL_KINDS else ""
            item = QListWidgetItem(f"{t.sent_at[:10]} · {kind_label(t.kind)}{subject} · cites {cites}"
                                   f"{override}")
            item.setData(Qt.ItemDataRole.UserRole, t)
            self.history.addItem(item)
        self.history_label.setText(f"Sent to this prospect: {len(touches)} message{'s' if len(touches) != 1 else ''}"
                                   " (double-click to read)" if touches else "Sent to this prospect: nothing yet")
        self._update_follow_up()
        self.refresh_checklist()

    def last_touch(self) -> Touch | None:
        return self.touches[-1] if self.touches else None

    def last_email(self) -> Touch | None:
        """The last email sent: what a follow-up forwards (a call or a LinkedIn note since is not one)."""
        return next((t for t in reversed(self.touches) if t.kind in EMAIL_KINDS), None)

    def cited_in_thread(self) -> set[int]:
        return {fid for t in self.touches for fid in t.cited_fact_ids}

    def _update_follow_up(self) -> None:
        """The composer for the kind: a subject only on a first touch (a follow-up forwards one, a LinkedIn note
        or a call has none), the character count on a LinkedIn note, and in follow-up mode the last email
        below as the forwarded original, questions and new facts at hand."""
        kind = self.current_kind()
        follow_up = kind == "follow-up"
        self.follow_up_box.setVisible(follow_up)
        self.subject.setVisible(kind == "first-touch")
        self.mailto.setVisible(kind in EMAIL_KINDS)
        self.char_count.setVisible(self.pack.char_limit(kind) is not None)
        self.body.setPlaceholderText(_PLACEHOLDERS.get(kind, self._email_placeholder))
        if not follow_up:
            return
        last = self.last_email()
        if last is None:
            self.forward_label.setText("No email sent to this prospect yet: a follow-up forwards your last email.")
            self.forwarded.setPlainText("")
        else:
            self.forward_label.setText(f"Forwarded below it: your message of {last.sent_at[:10]}"
                                       f"{' (' + last.subject + ')' if last.subject else ''}")
            self.forwarded.setPlainText(last.text)
        self._update_suggestions()

    def _update_suggestions(self) -> None:
        """Facts not yet cited in this thread (nor in this draft): a follow-up should bring something new."""
        used = self.cited_in_thread() | {int(c) for c in (self.result or {}).get("citations", []) if c.isdigit()}
        self.suggested.clear()
        fresh = [f for f in self.body.facts.values() if f.id not in used]
        fresh.sort(key=lambda f: (not f.pinned, f.kind == "note", -(int(f.id))))
        for f in fresh[:4]:
            item = QListWidgetItem(f"[^{f.id}] {f.kind}: {' '.join(f.text.split())}")
            item.setData(Qt.ItemDataRole.UserRole, f.id)
            self.suggested.addItem(item)

    def insert_question(self, question: str) -> None:
        cursor = self.body.textCursor()
        cursor.movePosition(QTextCursor.MoveOperation.End)
        text = self.body.toPlainText()
        cursor.insertText(("" if not text.strip() else (" " if not text.endswith(("\n", " ")) else "")) + question)
        self.body.setTextCursor(cursor)
        self.body.setFocus()

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
        if self.sender() is self.kind:
            self._update_follow_up()
        if self._loading:
            return  # load_draft checks once, when kind, subject and body are all in
        self.refresh_checklist()
        if self.prospect_id is not None:
            self._dirty = True
            self._autosave.start()

    def refresh_checklist(self) -> None:
        """Runs on every edit: the rules are pure and fast, and only what changed is repainted."""
        body = self.body.toPlainText()
        kind = self.current_kind()
        # A follow-up has no subject of its own: it forwards the last message.
        text = compose_text(self.subject.text() if kind == "first-touch" else "", body)
        facts, previous = thread_context(self.body.facts.values(), self.touches, kind)
        if kind == "follow-up":  # compared with the email it forwards, not with a call logged since
            previous = self.last_email().text if self.last_email() else None
        self.result = check_text(text, kind, facts, previous=previous, company=self.company,
                                 pack=self.pack)
        self.checklist.show_result(self.result, self.pack)
        cites = tuple(self.result["citations"])
        if kind == "follow-up" and cites != self._suggested_for:
            self._suggested_for = cites
            self._update_suggestions()
        self._underline(text, body)
        self._update_char_count(body)
        self._update_cited()
        self._update_copy()

    def _update_char_count(self, body: str) -> None:
        """The count under a message with a character limit ("123 / 300"): the limit is the rule pack's
        (char_limit, as tuned: a LinkedIn note's is a setting)."""
        limit = self.pack.char_limit(self.current_kind())
        if limit is None:
            return
        count = sendable_length(body)
        self.char_count.setText(f"{count} / {limit}")
        self.char_count.setStyleSheet("color: #b3261e; font-weight: bold;" if count > limit else "")

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
        return [r["id"] for r in self.result["rules"] if r["status"] == "fail" and self.pack.overridable(r["id"])]

    def blocking_failures(self) -> list[dict]:
        """Failing rules the pack says can't be overridden (overridable = false): no "Copy anyway"."""
        return [r for r in (self.result or {}).get("rules", [])
                if r["status"] == "fail" and not self.pack.overridable(r["id"])]

    def _update_copy(self) -> None:
        active = self.prospect_id is not None
        ok = self.result["ok"]
        self.copy.setEnabled(active and ok)
        self.mailto.setEnabled(active and ok)
        blocking = self.blocking_failures()
        show_anyway = active and not ok
        self.copy_anyway.setVisible(show_anyway)
        self.copy_anyway.setEnabled(show_anyway and not blocking)
        self.copy_anyway.setToolTip(
            "Copy despite: " + ", ".join(self.overridable_failures()) + ". The sent log records the override."
            if not blocking else " ".join(f"{r['id']} can't be overridden: {r['message']}" for r in blocking)
        )

    def cited_fact_ids(self) -> list[int]:
        seen = dict.fromkeys(c for c in (self.result or {}).get("citations", []) if c in self.body.facts)
        return [int(c) for c in seen]

    def _select_span(self, rule_id: str, spans: list) -> None:
        self.why.setText(f"{rule_id}: " + why_text(self.pack.get(rule_id)))
        if not spans:
            return
        body = self.body.toPlainText()
        subject = self.subject.text() if self.current_kind() == "first-touch" else ""
        header = len(compose_text(subject, body)) - len(body)
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
