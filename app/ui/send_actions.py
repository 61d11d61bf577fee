"""Copy = send: the clipboard, the mail app, the preview, the sent log and its undo.

Whether a message may go out is app.compose.send's decision; what leaves is its Outgoing. A send is
logged only once it really left: a mail app that could not be opened logs nothing.
"""
from __future__ import annotations

from PySide6.QtCore import QMimeData, QObject, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from app.compose.send import Outgoing, outgoing
from app.core.models import EMAIL_KINDS, Draft, Touch, kind_label
from app.core.outgoing import mailto_url
from app.services.workspace_service import WorkspaceService

from .composer_pane import ComposerPane
from .dialogs import MessageDialog
from .session import ProspectSession

# What Copy tells the rep, by the kind of message copied.
_COPIED = {"email": "Copied. Paste it into your email or LinkedIn message.",
           "linkedin-note": "Copied. Paste it into the note of your LinkedIn connection request.",
           "call-script": "Copied. Say it on the call, or leave it as a voicemail; then send the email it promises."}


class SentBar(QWidget):
    """Under the window after a send: what went out (with its subject, which the clipboard can't carry
    into a mail client's subject field), a button to copy that subject, and Undo."""
    undo_clicked = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("sentBar")
        self.label = QLabel()
        self.label.setObjectName("sentLabel")
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.label.setWordWrap(True)
        self.copy_subject = QPushButton("Copy subject")
        self.copy_subject.setObjectName("copySubjectButton")
        self.copy_subject.setToolTip("Copy the subject, to paste into your mail's subject field")
        self.undo = QPushButton("Undo send")
        self.undo.setObjectName("undoSendButton")
        self.undo.setToolTip("Take it out of the sent log and put the text back in the draft (Ctrl+Alt+Z)")
        close = QPushButton("Dismiss")
        close.setObjectName("dismissSentButton")
        row = QHBoxLayout(self)
        row.setContentsMargins(6, 0, 6, 0)
        row.addWidget(self.label, 1)
        row.addWidget(self.copy_subject)
        row.addWidget(self.undo)
        row.addWidget(close)
        self.subject = ""
        self.copy_subject.clicked.connect(lambda: QGuiApplication.clipboard().setText(self.subject))
        self.undo.clicked.connect(self.undo_clicked)
        close.clicked.connect(self.hide)
        self.hide()

    def show_sent(self, message: Outgoing, kind: str) -> None:
        self.subject = message.subject
        what = kind_label(kind)
        self.label.setText(f"Sent ({what}): “{message.subject}”" if message.subject else f"Sent ({what}).")
        self.copy_subject.setVisible(bool(message.subject))
        self.undo.setEnabled(True)
        self.show()


class SendActions(QObject):
    def __init__(self, window, service: WorkspaceService, session: ProspectSession, composer: ComposerPane,
                 bar: SentBar):
        super().__init__(window)
        self.window, self.service, self.session, self.composer, self.bar = window, service, session, composer, bar
        self._clip_data: QMimeData | None = None  # what Copy put on the clipboard, while it is still there
        self._last: Touch | None = None  # the last send, for Undo
        bar.undo_clicked.connect(self.undo_send)

    def _status(self, text: str, ms: int = 5000) -> None:
        self.window.statusBar().showMessage(text, ms)

    def message(self) -> Outgoing:
        """The message as the prospect will get it."""
        c, p = self.composer, self.session.prospect
        to = ""
        if p is not None and getattr(p, "email", ""):
            to = f"{p.contact_name} <{p.email}>" if p.contact_name else p.email
        return outgoing(c.current_kind(), c.subject.text(), c.body.toPlainText(), self.session.last_email(), to)

    def copy(self, overrides: list[str]) -> None:
        """Copy = send. overrides: the failing rules the rep deliberately chose to copy over."""
        decision = self.composer.decision(overrides)
        if not decision.allowed:
            self._status(decision.reason)
            return
        message = self.message()
        data = QMimeData()
        data.setText(message.text)
        data.setHtml(message.html)
        QGuiApplication.clipboard().setMimeData(data)
        self._clip_data = data
        self._log_sent(message, list(decision.overridden))
        self._status(_COPIED.get(self.composer.current_kind(), _COPIED["email"]))

    def open_in_mail_app(self) -> None:
        kind = self.composer.current_kind()
        decision = self.composer.decision()
        if not decision.allowed or kind not in EMAIL_KINDS:
            self._status(decision.reason or "Only an email can go to the mail app.")
            return
        message = self.message()
        address = self.session.prospect.email if getattr(self.session.prospect, "email", "") else ""
        if not QDesktopServices.openUrl(QUrl(mailto_url(address, message.subject, message.text))):
            # Nothing left this computer: nothing is logged, the draft stays.
            self.window.show_notice("No mail app could be opened, so nothing was sent or logged and your draft is "
                                    "kept. Use Copy and paste it into your mail instead, or set a default mail app.")
            return
        self._log_sent(message, [])

    def _log_sent(self, message: Outgoing, overridden: list[str]) -> None:
        c, s = self.composer, self.session
        prospect_id, kind, body = s.prospect_id, c.current_kind(), c.body.toPlainText()
        own_subject = s.draft.subject if s.draft else ""
        s.flush()  # the sent message replaces the draft: a pending autosave must not bring it back

        def logged(result) -> None:
            touch, _prospect = result
            self._last = touch
            self._undo_draft = Draft(prospect_id, kind, own_subject, body)
            due = f" Follow up on {touch.follow_up_due}." if touch.follow_up_due else ""
            what = "" if touch.kind in EMAIL_KINDS else f" ({kind_label(touch.kind)})"
            self._status(f"Logged as sent{what}.{due}", 8000)
            self.bar.show_sent(message, touch.kind)
            if prospect_id == s.prospect_id:
                s.clear_draft()

        self.service.record_touch(prospect_id, kind, message.subject, message.text, c.cited_fact_ids(),
                                  overridden).success(logged)

    def undo_send(self) -> None:
        """Take the last send out of the sent log and put its text back in the draft."""
        touch = self._last
        if touch is None:
            return
        self._last = None
        self.bar.undo.setEnabled(False)
        draft = self._undo_draft

        def undone(_result) -> None:
            self.bar.hide()
            self._status("Send undone: it is out of the sent log, and the text is back in your draft.")
            if self.session.prospect_id == draft.prospect_id:
                self.session.replace_draft(draft)
            else:
                self.service.save_draft(draft)

        self.service.unlog_touch(touch.id).success(undone)

    def preview(self) -> None:
        from .preview import PreviewDialog

        message = self.message()  # (a follow-up's HTML holds the forwarded original below the new text)
        p = self.session.prospect
        dialog = PreviewDialog(self.window, to_name=p.contact_name if p else "",
                               to_email=getattr(p, "email", "") if p else "", subject=message.subject,
                               html=message.html)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.copy_requested.connect(lambda: (dialog.close(), self.copy([])))
        dialog.open()

    def show_touch(self, touch: Touch) -> None:
        title = f"{kind_label(touch.kind)} sent {touch.sent_at[:16].replace('T', ' ')}" + (
            f": {touch.subject}" if touch.subject else "")
        facts = self.session.facts
        cited = "\n".join(f"[^{i}] " + (" ".join(facts[i].text.split()) if i in facts else "(a fact since discarded)")
                          for i in touch.cited_fact_ids)
        dialog = MessageDialog(title, touch.text + (f"\n\nCited:\n{cited}" if cited else ""), self.window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    def release_clipboard(self) -> None:
        """Hand the copied message to a clipboard object Qt made itself. Ours was made by Python, and Qt
        deletes the clipboard's contents only when the process ends, after Python is gone: a crash."""
        clipboard = QGuiApplication.clipboard()
        if self._clip_data is not None and clipboard.mimeData() is self._clip_data:
            clipboard.setText(clipboard.text())  # the plain text stays on the clipboard
        self._clip_data = None
