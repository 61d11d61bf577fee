"""ComposerPane: kind, subject, body with citation chips, the live checklist, underlines and Copy.

It renders the ProspectSession (the prospect, its facts and sent log, the draft) and hands every edit
back to it; it holds no copy of them. What may be sent is app.compose.send's decision.
"""
from __future__ import annotations

from PySide6.QtCore import QEvent, QRect, Qt, Signal
from PySide6.QtGui import QAction, QColor, QPalette, QTextCharFormat, QTextCursor, QTextFormat
from PySide6.QtWidgets import (
    QComboBox, QFrame, QHBoxLayout, QLabel, QLineEdit, QListWidget, QListWidgetItem, QMenu, QPlainTextEdit,
    QPushButton, QScrollArea, QSizePolicy, QStyle, QTextEdit, QToolButton, QVBoxLayout, QWidget,
)

from app.compose import check_text
from app.compose.draft_text import compose_text
from app.compose.engine import thread_context
from app.compose.kinds_rules import sendable_length
from app.compose.rulepack import RulePack, default_pack
from app.compose.send import CheckResult, SendDecision, decide, forward_subject
from app.core import dates
from app.core.models import EMAIL_KINDS, MESSAGE_KINDS, Draft, Touch, kind_label

from .checklist_widget import ChecklistWidget, why_text
from .citation_edit import CitationEdit
from .contrast import readable
from .qt_text import qt_pos
from .session import ProspectSession

_UNDERLINE = {"fail": QColor("#d32f2f"), "warn": QColor("#e0a000")}
_PLACEHOLDERS = {
    "linkedin-note": "One reason to connect, tied to a fact you cite. No pitch; LinkedIn takes 300 characters "
                     "(200 on a free account: set yours under Rule thresholds).",
    "call-script": "What you will say, or leave as a voicemail: the reason for the call first (cite a fact), "
                   "45 to 75 words, then the email that follows.",
}
_NO_SUBJECT = {"linkedin-note": "No subject: a LinkedIn note has none", "call-script": "No subject: it is a call"}
WHY_HINT = "Select a checklist item (click, or Enter) to see where it applies and why the rule exists."

# The articles' own examples of a good follow-up: one click each.
QUICK_QUESTIONS = (
    "What would be a good next step?",
    "Is there some way to find out if this is a priority?",
    "Want to follow up in case this e-mail got buried.",
)


def message_text(kind: str, subject: str, body: str) -> str:
    """The text the rules check: a first touch's subject line on top (a follow-up forwards one)."""
    return compose_text(subject if kind == "first-touch" else "", body)


class ComposerPane(QWidget):
    copy_clicked = Signal(list)  # rule ids the rep chose to override ([] for a clean copy)
    mailto_clicked = Signal()
    preview_clicked = Signal()
    cite_clicked = Signal()
    cite_fact = Signal(int)  # a suggested fact clicked
    touch_opened = Signal(object)  # a sent message to show read-only

    def __init__(self, session: ProspectSession | None = None, parent=None):
        super().__init__(parent)
        self.session = session
        self.result: CheckResult | None = None
        self.pack: RulePack = default_pack()
        self._loading = False
        self._row_heights: dict[tuple[str, int], int] = {}  # (checklist row text, width) -> its height
        self._checklist_shown: tuple | None = None  # (width, the rules' results) the height was fitted to
        self._edited_state: tuple | None = None  # (kind, subject, body) last handled by _edited
        self._underlined: tuple = ()
        self._suggested_for: tuple | None = None  # the citations the suggestions were made for

        self.recipient = QLabel()
        self.recipient.setObjectName("recipientLabel")
        self.recipient.setTextFormat(Qt.TextFormat.PlainText)
        self.recipient.setWordWrap(True)
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
        # Read-only (a follow-up's "Fwd: ...", a note's none) must not look like a field to type in.
        self.subject.setStyleSheet("QLineEdit[readOnly=\"true\"] { background: palette(window); }")
        self.subject.setAccessibleName("Subject")
        self.subject.setPlaceholderText("Subject: 1 to 7 words about their business")
        self.body = CitationEdit()
        self.body.setObjectName("composer")
        self.body.setAccessibleName("Message")
        self.body.setPlaceholderText(
            "Write about their business, not your product. Select a fact and press Cite to ground a sentence in it."
        )
        # Room for a real message at any window size: the scroll area around the pane gives the rest.
        self.body.setMinimumHeight(self.body.fontMetrics().lineSpacing() * 8)
        self._email_placeholder = self.body.placeholderText()
        self.cite = QPushButton("Cite fact")
        self.cite.setObjectName("citeButton")
        self.cite.setToolTip("Insert a citation of the selected research fact at the cursor (Ctrl+Shift+C)")
        self.cite.setEnabled(False)
        self.questions = QToolButton()
        self.questions.setObjectName("quickQuestionsButton")
        self.questions.setText("Insert a question")
        self.questions.setToolTip("The articles' own short follow-up questions: one click adds one")
        self.questions.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(self.questions)
        self.quick: list[QAction] = []
        for i, question in enumerate(QUICK_QUESTIONS):
            action = menu.addAction(question)
            action.setObjectName(f"quickQuestion{i}")
            action.triggered.connect(lambda _=False, q=question: self.insert_question(q))
            self.quick.append(action)
        self.questions.setMenu(menu)
        self.snippets = QToolButton()
        self.snippets.setObjectName("insertSnippetButton")
        self.snippets.setText("Insert snippet")
        self.snippets.setAccessibleName("Insert your signature or a snippet")
        self.snippets.setToolTip("Your saved signature and snippets (Compose > Signature and snippets…)")
        self.snippets.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.snippets.setMenu(QMenu(self.snippets))
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
        self.checklist.setWordWrap(True)
        self.checklist.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        # Every rule in view: the list is as tall as its rows, and the pane scrolls instead.
        self.checklist.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.checklist.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.checklist.viewport().installEventFilter(self)
        self.why = QLabel(WHY_HINT)
        self.why.setObjectName("ruleWhyLabel")
        self.why.setTextFormat(Qt.TextFormat.PlainText)
        self.why.setWordWrap(True)
        self.why.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        # A fixed height: an explanation of another length must not move everything below it.
        self.why.setFixedHeight(self.why.fontMetrics().lineSpacing() * 3 + 4)
        self.copy_anyway = QPushButton("Copy anyway")
        self.copy_anyway.setObjectName("copyAnywayButton")
        self.copy_anyway.setToolTip("Copy despite the failing rules; the sent log records which ones you overrode")
        self.copy_anyway.setEnabled(False)
        self.forward_label = QLabel()
        self.forward_label.setObjectName("forwardLabel")
        self.forward_label.setTextFormat(Qt.TextFormat.PlainText)
        self.forward_label.setWordWrap(True)
        self.forwarded = QPlainTextEdit()
        self.forwarded.setObjectName("forwardedOriginal")
        self.forwarded.setAccessibleName("Forwarded original message")
        self.forwarded.setReadOnly(True)
        self.forwarded.setMaximumHeight(self.forwarded.fontMetrics().lineSpacing() * 6)
        self.suggested = QListWidget()
        self.suggested.setObjectName("suggestedFacts")
        self.suggested.setAccessibleName("Facts not yet used with this prospect")
        self.suggested.setMaximumHeight(self.suggested.fontMetrics().lineSpacing() * 5)
        self.suggested.setWordWrap(True)
        self.suggested.itemActivated.connect(lambda item: self.cite_fact.emit(item.data(Qt.ItemDataRole.UserRole)))
        self.suggested.itemClicked.connect(lambda item: self.cite_fact.emit(item.data(Qt.ItemDataRole.UserRole)))
        self.follow_up_box = QWidget()
        box = QVBoxLayout(self.follow_up_box)
        box.setContentsMargins(0, 0, 0, 0)
        suggested_label = QLabel("Something new to bring (not cited in this thread yet): click to cite")
        suggested_label.setObjectName("suggestedFactsLabel")
        suggested_label.setWordWrap(True)
        box.addWidget(suggested_label)
        box.addWidget(self.suggested)
        box.addWidget(self.forward_label)
        box.addWidget(self.forwarded)
        self.follow_up_box.hide()
        self.history = QListWidget()
        self.history.setObjectName("touchHistory")
        self.history.setAccessibleName("Sent messages")
        self.history.setMaximumHeight(self.history.fontMetrics().lineSpacing() * 5)
        self.history.itemActivated.connect(lambda item: self.touch_opened.emit(item.data(Qt.ItemDataRole.UserRole)))
        self.history.itemDoubleClicked.connect(lambda item: self.touch_opened.emit(item.data(Qt.ItemDataRole.UserRole)))
        self.history_label = QLabel("Sent to this prospect: nothing yet")
        self.history_label.setObjectName("touchHistoryLabel")
        self.preview = QPushButton("Preview")
        self.preview.setObjectName("previewButton")
        self.preview.setToolTip("See the message as the prospect will (Ctrl+P)")
        self.preview.setEnabled(False)
        self.mailto = QPushButton("Mail app")
        self.mailto.setObjectName("mailtoButton")
        self.mailto.setAccessibleName("Open in mail app")
        self.mailto.setToolTip("Start an email in your mail app with this subject and text, and log it as sent")
        self.mailto.setEnabled(False)
        self.copy = QPushButton("Copy")
        self.copy.setObjectName("copyButton")
        self.copy.setToolTip("Copy the message (citations removed) and log it as sent (Ctrl+Return)")
        self.copy.setEnabled(False)
        self.copy.setMinimumWidth(self.copy.fontMetrics().horizontalAdvance("Copy") + 48)
        self.copy.setStyleSheet("QPushButton:enabled { font-weight: bold; }")

        head = QHBoxLayout()
        head.addWidget(self.recipient, 1)
        head.addWidget(self.kind)
        tools = QHBoxLayout()
        tools.addWidget(self.cite)
        tools.addWidget(self.questions)
        tools.addWidget(self.snippets)
        tools.addWidget(self.char_count)
        tools.addStretch()
        checklist_title = QLabel("Checklist")
        checklist_title.setObjectName("checklistTitle")
        bold = checklist_title.font()
        bold.setBold(True)
        checklist_title.setFont(bold)

        # Everything but the send buttons scrolls: at 1024x768, or at 150% scale, nothing is out of reach,
        # and Copy stays in view below.
        content = QWidget()
        content.setObjectName("composerContent")
        column = QVBoxLayout(content)
        column.setContentsMargins(0, 0, 0, 0)
        # What the rep writes and the checklist come first, in view together; what a follow-up forwards and
        # the sent log are reference, below.
        column.addWidget(self.subject)
        column.addWidget(self.body, 1)
        column.addLayout(tools)
        column.addWidget(self.cited_label)
        column.addWidget(checklist_title)
        column.addWidget(self.checklist)
        column.addWidget(self.why)
        column.addWidget(self.follow_up_box)
        column.addWidget(self.history_label)
        column.addWidget(self.history)
        self.scroll = QScrollArea()
        self.scroll.setObjectName("composerScroll")
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll.setWidget(content)

        foot = QHBoxLayout()
        foot.addWidget(self.copy_anyway)
        foot.addStretch()
        foot.addWidget(self.preview)
        foot.addWidget(self.mailto)
        foot.addWidget(self.copy)
        layout = QVBoxLayout(self)
        layout.addLayout(head)
        layout.addWidget(self.scroll, 1)
        layout.addLayout(foot)

        self.body.textChanged.connect(self._edited)
        self.subject.textChanged.connect(self._edited)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.cite.clicked.connect(self.cite_clicked)
        self.copy.clicked.connect(lambda: self.copy_clicked.emit([]))
        self.mailto.clicked.connect(self.mailto_clicked)
        self.preview.clicked.connect(self.preview_clicked)
        self.copy_anyway.clicked.connect(lambda: self.copy_clicked.emit(list(self.decision().overridable)))
        self.checklist.span_requested.connect(self._select_span)
        if session is not None:
            self.set_session(session)
        self._show_prospect()

    # -- the session ------------------------------------------------------------------
    def set_session(self, session: ProspectSession) -> None:
        self.session = session
        self.body.set_fact_source(lambda: session.facts_by_key)
        session.selected.connect(self._show_prospect)
        session.loaded.connect(self._show_prospect)
        session.record_changed.connect(self._show_recipient)
        session.facts_changed.connect(self._facts_changed)
        session.touches_changed.connect(self._touches_changed)
        session.draft_replaced.connect(self._show_draft)

    @property
    def prospect_id(self) -> int | None:
        return self.session.prospect_id if self.session is not None else None

    def _ready(self) -> bool:
        return self.session is not None and self.session.is_loaded

    def _show_prospect(self) -> None:
        """Another prospect selected (disabled until its data is in), or its data arrived."""
        ready = self._ready()
        for w in (self.kind, self.subject, self.body):
            w.setEnabled(ready)
        self._show_recipient()
        self.why.setText(WHY_HINT)  # the last prospect's explanation is not this one's
        self._show_touches()
        self._show_draft()

    def _show_recipient(self) -> None:
        p = self.session.prospect if self.session is not None else None
        if p is None:
            self.recipient.setText("Compose: select or add a prospect")
            return
        who = " at ".join(x for x in (p.contact_name, p.company) if x)
        email = getattr(p, "email", "")
        text = f"To {who}" + (f" <{email}>" if email else "") if who else "Loading…"
        team = self.session.team if self._ready() else None
        if team is not None:  # in a team: whose account it is and who wrote last, before the rep writes
            said = [f"owned by {'you' if team.owner_is_me else team.owner}" if team.owner else "no owner yet"]
            if team.last_team_touch:
                said.append(f"{team.last_team_touch[0]} wrote on {team.last_team_touch[1]}")
            if team.do_not_contact:
                said.append(f"do not contact: {team.do_not_contact}")
            text += "\nTeam: " + " · ".join(said)
        self.recipient.setText(text)

    def _show_draft(self) -> None:
        """Fill kind, subject and body from the session's draft (checked once, when all three are in)."""
        draft = self.session.draft if self._ready() else None
        self._loading = True
        try:
            draft = draft or Draft(self.prospect_id or 0)
            self.kind.setCurrentIndex(max(0, self.kind.findData(draft.kind)))
            self.subject.setText(draft.subject)
            self.body.setPlainText(draft.body)
        finally:
            self._loading = False
        self._update_kind()
        self._edited_state = (self.current_kind(), self.subject.text(), self.body.toPlainText())
        self.refresh_checklist()

    def _facts_changed(self) -> None:
        self.body.highlighter.rehighlight()  # a chip turns green once its fact is known
        self._suggested_for = None
        self.refresh_checklist()

    def _touches_changed(self) -> None:
        self._show_touches()
        self._update_kind()
        self.refresh_checklist()

    def _show_touches(self) -> None:
        touches = self.session.touches if self._ready() else []
        facts = self.session.facts if self._ready() else {}
        self.history.clear()
        for t in reversed(touches):
            cites = "; ".join(_fact_line(facts.get(i), i, 40) for i in t.cited_fact_ids) or "no citations"
            override = f" · copied over {', '.join(t.overrides)}" if t.overrides else ""
            subject = f" · {t.subject or '(no subject)'}" if t.kind in EMAIL_KINDS else ""
            item = QListWidgetItem(f"{dates.day(t.sent_at) or ''} · {kind_label(t.kind)}{subject} · cites {cites}{override}")
            item.setData(Qt.ItemDataRole.UserRole, t)
            self.history.addItem(item)
        n = len(touches)
        self.history.setVisible(bool(touches))  # no empty box: the label says there is nothing yet
        self.history_label.setText(f"Sent to this prospect: {n} message{'s' if n != 1 else ''} (Enter or "
                                   "double-click to read)" if touches else "Sent to this prospect: nothing yet")

    # -- state -------------------------------------------------------------------
    def current_kind(self) -> str:
        return self.kind.currentData()

    def last_email(self) -> Touch | None:
        return self.session.last_email() if self._ready() else None

    def set_pack(self, pack: RulePack) -> None:
        self.pack = pack
        self.checklist.forget_rows()
        self.refresh_checklist()

    def set_fact_selected(self, has_fact: bool) -> None:
        self.cite.setEnabled(has_fact and self._ready())

    def _kind_changed(self) -> None:
        self._update_kind()
        self._edited()

    def _update_kind(self) -> None:
        """The composer for the kind. The subject row is always there (nothing below moves): a first touch's
        own subject, a follow-up's "Fwd: <last subject>" read-only, none for a LinkedIn note or a call. In
        follow-up mode the last email shows below as the forwarded original, with new facts at hand."""
        kind = self.current_kind()
        follow_up = kind == "follow-up"
        last = self.last_email()
        self.subject.blockSignals(True)
        self.subject.setReadOnly(kind != "first-touch")
        self.subject.setEnabled(self._ready())
        self.subject.setPlaceholderText("Subject: 1 to 7 words about their business" if kind == "first-touch" else
                                        _NO_SUBJECT.get(kind, "Fwd: (no email sent yet: a follow-up forwards "
                                                              "your last email)"))
        self._shown_subject(kind, last)
        self.subject.blockSignals(False)
        self.follow_up_box.setVisible(follow_up)
        self.questions.setVisible(follow_up)
        self.mailto.setVisible(kind in EMAIL_KINDS)
        self.char_count.setVisible(self.pack.char_limit(kind) is not None)
        self.body.setPlaceholderText(_PLACEHOLDERS.get(kind, self._email_placeholder))
        if not follow_up:
            return
        if last is None:
            self.forward_label.setText("No email sent to this prospect yet: a follow-up forwards your last email.")
            self.forwarded.setPlainText("")
        else:
            self.forward_label.setText(f"Forwarded below it: your message of {dates.day(last.sent_at) or ''}"
                                       f"{' (' + last.subject + ')' if last.subject else ''}")
            self.forwarded.setPlainText(last.text)
        self._update_suggestions()

    def _shown_subject(self, kind: str, last: Touch | None) -> None:
        """A first touch shows the draft's own subject; a follow-up what it will carry ("Fwd: ..."); a note
        or a call none. The draft keeps its own subject while another kind is shown."""
        if kind == "first-touch":
            text = self.session.draft.subject if self._ready() and self.session.draft else ""
        elif kind == "follow-up":
            text = forward_subject(last.subject) if last is not None else ""
        else:
            text = ""
        if self.subject.text() != text:
            self.subject.setText(text)

    def _own_subject(self) -> str:
        """The first touch's own subject (a follow-up's field shows the forwarded one)."""
        if self.current_kind() == "first-touch":
            return self.subject.text()
        return self.session.draft.subject if self._ready() and self.session.draft else ""

    def _update_suggestions(self) -> None:
        """Facts not yet cited in this thread (nor in this draft): a follow-up should bring something new."""
        if not self._ready():
            self.suggested.clear()
            return
        used = set(self.session.cited_before) | {int(c) for c in (self.result.citations if self.result else ())
                                                 if c.isdigit()}
        self.suggested.clear()
        fresh = [f for f in self.session.ordered_facts if f.id not in used]
        fresh.sort(key=lambda f: (not f.pinned, f.kind == "note", -f.id))
        for f in fresh[:4]:
            item = QListWidgetItem(f"[^{f.id}] {f.kind}: {' '.join(f.text.split())}")
            item.setData(Qt.ItemDataRole.UserRole, f.id)
            self.suggested.addItem(item)

    def insert_text(self, text: str, at_end: bool = False) -> None:
        """Put text at the cursor (a snippet), or on its own lines at the end (a signature)."""
        cursor = self.body.textCursor()
        if at_end:
            cursor.movePosition(QTextCursor.MoveOperation.End)
            body = self.body.toPlainText()
            text = ("" if not body.strip() else "\n\n" if not body.endswith("\n") else "\n") + text
        cursor.insertText(text)
        self.body.setTextCursor(cursor)
        self.body.setFocus()

    def insert_question(self, question: str) -> None:
        cursor = self.body.textCursor()
        cursor.movePosition(QTextCursor.MoveOperation.End)
        text = self.body.toPlainText()
        cursor.insertText(("" if not text.strip() else (" " if not text.endswith(("\n", " ")) else "")) + question)
        self.body.setTextCursor(cursor)
        self.body.setFocus()

    # -- live checklist ----------------------------------------------------------
    def _edited(self) -> None:
        if self._loading:
            return  # _show_draft checks once, when kind, subject and body are all in
        # A highlighter re-painting a block says "text changed" too (Qt marks the block dirty): only a
        # real edit is checked and saved.
        state = (self.current_kind(), self.subject.text(), self.body.toPlainText())
        if state == self._edited_state:
            return
        self._edited_state = state
        self.refresh_checklist()
        if self._ready():
            self.session.edit_draft(self.current_kind(), self._own_subject(), self.body.toPlainText())

    def checked_text(self) -> str:
        return message_text(self.current_kind(), self.subject.text(), self.body.toPlainText())

    def refresh_checklist(self) -> None:
        """Runs on every edit: the rules are pure and fast, and only what changed is repainted."""
        body = self.body.toPlainText()
        kind = self.current_kind()
        if not self._ready() or not body.strip():
            # Nothing written: no rule has passed yet (and nothing may be copied).
            self.result = None
            self.checklist.show_result(None, self.pack, kind)
            self._fit_checklist()
            self._underline(body, body, [])
            self._update_char_count(body)
            self._update_cited()
            self._update_copy()
            return
        text = message_text(kind, self.subject.text(), body)
        facts, previous = thread_context(self.session.ordered_facts, self.session.touches, kind)
        raw = check_text(text, kind, facts, previous=previous, company=self.session.prospect.company or None,
                         pack=self.pack, team=self.session.team)
        self.result = CheckResult.from_json(raw)
        self.checklist.show_result(raw, self.pack)
        self._fit_checklist()
        cites = self.result.citations
        if kind == "follow-up" and cites != self._suggested_for:
            self._suggested_for = cites
            self._update_suggestions()
        self._underline(text, body, raw["rules"])
        self._update_char_count(body)
        self._update_cited()
        self._update_copy()

    def _fit_checklist(self) -> None:
        """As tall as its rows, wrapped at its width, so no rule hides behind a scroll bar (the pane scrolls
        instead). Each row's height is measured from its text with the list's font (what the list's own
        layout gives, without laying the list out on every key); a row's height is kept per text and width."""
        c = self.checklist
        width = c.viewport().width()
        shown = (width, self.result.rules if self.result is not None else self.current_kind())
        if shown == self._checklist_shown:
            return  # the same rows at the same width: the same height
        self._checklist_shown = shown
        width -= 2 * (c.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin) + 1)
        heights = self._row_heights
        if len(heights) > 2000:
            heights.clear()
        fm = c.fontMetrics()
        total = 0
        for i in range(c.count()):
            key = (c.item(i).text(), width)
            if key not in heights:
                heights[key] = fm.boundingRect(QRect(0, 0, max(width, 1), 1_000_000),
                                               int(Qt.TextFlag.TextWordWrap), key[0]).height()
            total += heights[key]
        height = total + 2 * c.frameWidth() + 1
        if c.height() != height:
            c.setFixedHeight(height)

    def eventFilter(self, watched, event) -> bool:
        if watched is self.checklist.viewport() and event.type() == QEvent.Type.Resize \
                and event.size().width() != event.oldSize().width():
            self._fit_checklist()  # rows wrap differently at another width
        return super().eventFilter(watched, event)

    def _update_char_count(self, body: str) -> None:
        """The count under a message with a character limit ("123 / 300"): the limit is the rule pack's
        (char_limit, as tuned: a LinkedIn note's is a setting)."""
        limit = self.pack.char_limit(self.current_kind())
        if limit is None:
            return
        count = sendable_length(body)
        self.char_count.setText(f"{count} / {limit}")
        over = readable(QColor("#b3261e"), self.char_count.palette().color(QPalette.ColorRole.Window)).name()
        self.char_count.setStyleSheet(f"color: {over}; font-weight: bold;" if count > limit else "")

    def _underline(self, text: str, body: str, rules: list) -> None:
        header = len(text) - len(body)  # "Subject: ...\n\n" before the body in the checked text
        findings = []
        for r in rules:
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
        facts = self.session.facts_by_key if self._ready() else {}
        cited = [facts[c] for c in dict.fromkeys(self.result.citations if self.result else ()) if c in facts]
        if cited:
            self.cited_label.setText(f"Cites {len(cited)} fact{'s' if len(cited) > 1 else ''}: "
                                     + "; ".join(_fact_line(f, f.id, 50) for f in cited))
        else:
            self.cited_label.setText("No citations yet: select a fact, then Cite fact (or drag it in).")

    def decision(self, overrides=()) -> SendDecision:
        """May the message go out now (with these failing rules copied over)?"""
        if not self._ready():
            return decide(None, self.pack)
        return decide(self.result, self.pack, overrides)

    def _update_copy(self) -> None:
        d = self.decision()
        self.copy.setEnabled(d.allowed)
        self.mailto.setEnabled(d.allowed)
        self.preview.setEnabled(self._ready() and self.result is not None)
        # Always in its place (enabled or not), so the buttons don't jump as the checklist changes.
        anyway = self.result is not None and not d.allowed and bool(d.overridable) and not d.blocking
        self.copy_anyway.setEnabled(anyway)
        self.copy_anyway.setToolTip(
            ("Copy despite: " + ", ".join(d.overridable) + ". The sent log records the override.") if anyway else
            (d.reason or "Copy anyway is for a message whose only failing rules you decide to copy over."))

    def cited_fact_ids(self) -> list[int]:
        facts = self.session.facts_by_key if self._ready() else {}
        seen = dict.fromkeys(c for c in (self.result.citations if self.result else ()) if c in facts)
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


def _fact_line(fact, fact_id: int, width: int) -> str:
    """"[^12] the start of the fact…": a chip's number with what it says, for the rep to recognise."""
    if fact is None:
        return f"[^{fact_id}] (a fact since discarded)"
    text = " ".join(fact.text.split())
    return f"[^{fact_id}] " + (text if len(text) <= width else text[:width - 1].rstrip() + "…")
