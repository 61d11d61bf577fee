"""The dialogs as a rep meets them: opened the way the main window opens them (.open(), window-modal),
typed into with the keyboard, read back from what is on screen."""
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from PySide6.QtCore import QPoint, Qt, QUrl
from PySide6.QtGui import QBrush, QColor, QDesktopServices, QPalette
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QApplication, QDialog, QLabel, QLineEdit, QListWidget, QListWidgetItem, QPlainTextEdit, QPushButton, QTextBrowser,
    QTextEdit, QWidget,
)

from app.core.models import Prospect
from app.core.outgoing import html_message
from app.core import fields
from app.ui import dialogs
from app.ui.contrast import low_contrast_texts
from app.ui.preview import PreviewDialog

TYPED = "Acme Robotics Inc"


@pytest.fixture
def host(qtbot):
    """The window a dialog is opened over (the main window in the app)."""
    window = QWidget()
    window.resize(400, 300)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def opened(qtbot, dialog: QDialog) -> QDialog:
    qtbot.addWidget(dialog)
    dialog.open()
    qtbot.waitExposed(dialog)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None)
    return dialog


def text_of(widget) -> str:
    return widget.toPlainText() if isinstance(widget, (QPlainTextEdit, QTextEdit)) else widget.text()


def error_label(dialog) -> QLabel:
    return dialog.findChild(QLabel, "dialogError")


def save(qtbot, dialog) -> None:
    qtbot.mouseClick(dialog.findChild(QPushButton, "dialogSaveButton"), Qt.MouseButton.LeftButton)


# Each input dialog, and the field a rep expects to type into first.
INPUT_DIALOGS = {
    "new prospect": (lambda parent: dialogs.NewProspectDialog(parent), "companyEdit"),
    "note": (lambda parent: dialogs.NoteDialog("Acme", parent), "noteTextEdit"),
    "disqualify": (lambda parent: dialogs.DisqualifyDialog("Acme", parent), "disqualifyReasonEdit"),
    "edit fact": (lambda parent: dialogs.EditFactDialog("Opened a plant.", parent), "factTextEdit"),
    "edit prospect": (lambda parent: dialogs.ProspectDialog(parent, Prospect(4, "Harbor")), "companyEdit"),
    "snippets": (lambda parent: dialogs.SnippetsDialog(parent, "Dana", [{"name": "Intro", "text": "Hi"}]),
                 "signatureEdit"),
}


# -- A: the first field has the focus; typing never presses a button ----------------------------------------

@pytest.mark.parametrize("name", INPUT_DIALOGS)
def test_typing_right_after_opening_goes_into_the_first_field(qtbot, host, name):
    make, field_name = INPUT_DIALOGS[name]
    dialog = opened(qtbot, make(host))
    field = dialog.findChild(QWidget, field_name)
    assert QApplication.focusWidget() is field, f"focus is on {QApplication.focusWidget().objectName()!r}"
    QTest.keyClicks(QApplication.focusWidget(), TYPED)
    assert text_of(field).endswith(TYPED), "every letter and space lands in the field"
    assert dialog.isVisible() and dialog.result() == 0, "a space pressed no button"
    assert not error_label(dialog).isVisible()


@pytest.mark.parametrize("name", INPUT_DIALOGS)
def test_save_is_not_auto_default_and_no_button_has_the_focus(qtbot, host, name):
    make, _ = INPUT_DIALOGS[name]
    dialog = opened(qtbot, make(host))
    save_button = dialog.findChild(QPushButton, "dialogSaveButton")
    assert not save_button.autoDefault(), "an autoDefault Save takes Enter whenever it gets the focus"
    assert not isinstance(QApplication.focusWidget(), QPushButton)


def test_enter_in_a_line_field_saves_only_valid_input(qtbot, host):
    dialog = opened(qtbot, dialogs.NewProspectDialog(host))
    website = dialog.findChild(QLineEdit, "websiteEdit")
    website.setFocus()
    QTest.keyClicks(website, "acme.example")
    QTest.keyClick(website, Qt.Key.Key_Return)
    assert dialog.isVisible() and "Company name is empty" in error_label(dialog).text()
    QTest.keyClicks(dialog.findChild(QLineEdit, "companyEdit"), "Acme")
    with qtbot.waitSignal(dialog.accepted, timeout=2000):
        QTest.keyClick(website, Qt.Key.Key_Return)
    assert dialog.value.company == "Acme" and dialog.value.website == "https://acme.example"


@pytest.mark.parametrize("make", [
    lambda parent: dialogs.MessageDialog("Sent", "Hi Dana", parent),
    lambda parent: dialogs.ShortcutsDialog(parent),
], ids=["message", "shortcuts"])
def test_read_only_dialogs_do_not_open_with_a_button_that_space_would_press_by_surprise(qtbot, host, make):
    dialog = opened(qtbot, make(host))
    focus = QApplication.focusWidget()
    assert dialog.isAncestorOf(focus) or focus is dialog
    if isinstance(focus, QPushButton):  # only Close there: Space closing a read-only dialog loses nothing
        assert focus.text().replace("&", "") == "Close"


# -- B: Tab leaves a multi-line field -------------------------------------------------------------------------

def test_tab_in_the_note_moves_to_the_source_field(qtbot, host):
    dialog = opened(qtbot, dialogs.NoteDialog("Acme", host))
    note = dialog.findChild(QPlainTextEdit, "noteTextEdit")
    QTest.keyClicks(note, "Met Dana at the expo")
    QTest.keyClick(note, Qt.Key.Key_Tab)
    assert note.toPlainText() == "Met Dana at the expo", "no tab character typed"
    assert QApplication.focusWidget() is dialog.findChild(QLineEdit, "noteSourceEdit")


@pytest.mark.parametrize("name", INPUT_DIALOGS)
def test_every_multi_line_field_passes_tab_on(qtbot, host, name):
    dialog = INPUT_DIALOGS[name][0](host)
    qtbot.addWidget(dialog)
    for edit in dialog.findChildren(QPlainTextEdit) + dialog.findChildren(QTextEdit):
        assert edit.tabChangesFocus(), edit.objectName()


# -- C: an error goes away once the input is fixed --------------------------------------------------------------

FIX = {  # dialog -> (field, text that makes it valid)
    "new prospect": ("companyEdit", "A"),
    "note": ("noteTextEdit", "M"),
    "disqualify": ("disqualifyReasonEdit", "n"),
}


@pytest.mark.parametrize("name", FIX)
def test_the_error_clears_as_soon_as_the_input_is_valid(qtbot, host, name):
    dialog = opened(qtbot, INPUT_DIALOGS[name][0](host))
    save(qtbot, dialog)
    assert dialog.isVisible() and error_label(dialog).isVisible() and error_label(dialog).text()
    field_name, fix = FIX[name]
    QTest.keyClicks(dialog.findChild(QWidget, field_name), fix)
    assert not error_label(dialog).isVisible(), error_label(dialog).text()


def test_the_error_follows_the_next_problem_while_the_rep_fixes_things(qtbot, host):
    dialog = opened(qtbot, dialogs.NewProspectDialog(host))
    website = dialog.findChild(QLineEdit, "websiteEdit")
    website.setText("ftp://acme.example")
    save(qtbot, dialog)
    assert "Company name is empty" in error_label(dialog).text()
    QTest.keyClicks(dialog.findChild(QLineEdit, "companyEdit"), "Acme")
    assert error_label(dialog).isVisible() and "http:// or https://" in error_label(dialog).text()
    website.setText("acme.example")
    assert not error_label(dialog).isVisible()


# -- D: the new dialogs ---------------------------------------------------------------------------------------

def test_new_prospect_dialog_is_a_prospect_dialog_with_the_old_name_and_value(qtbot, host):
    dialog = opened(qtbot, dialogs.NewProspectDialog(host))
    assert isinstance(dialog, dialogs.ProspectDialog) and dialog.objectName() == "newProspectDialog"
    for name, text in (("companyEdit", "Harbor & Pine"), ("websiteEdit", "harborpine.example"),
                       ("contactEdit", "Dana Okafor"), ("roleEdit", "COO"), ("emailEdit", "Dana@HarborPine.Example")):
        QTest.keyClicks(dialog.findChild(QLineEdit, name), text)
    with qtbot.waitSignal(dialog.accepted, timeout=2000):
        save(qtbot, dialog)
    assert dialog.value == dialogs.ProspectValue("Harbor & Pine", "https://harborpine.example", "Dana Okafor", "COO",
                                                 "Dana@harborpine.example")


def test_a_malformed_email_is_explained_and_the_message_goes_once_fixed(qtbot, host):
    dialog = opened(qtbot, dialogs.NewProspectDialog(host))
    QTest.keyClicks(dialog.findChild(QLineEdit, "companyEdit"), "Acme")
    email = dialog.findChild(QLineEdit, "emailEdit")
    QTest.keyClicks(email, "dana at acme")
    save(qtbot, dialog)
    assert dialog.isVisible() and "e-mail address" in error_label(dialog).text()
    email.setText("dana@acme.example")
    assert not error_label(dialog).isVisible()


def test_editing_a_prospect_starts_from_what_is_saved(qtbot, host):
    saved = Prospect(7, "Harbor & Pine", "https://harborpine.example", "Dana Okafor", "COO", email="dana@hp.example")
    dialog = opened(qtbot, dialogs.ProspectDialog(host, saved))
    assert dialog.windowTitle() == "Edit prospect" and dialog.prospect_id == 7
    assert [dialog.findChild(QLineEdit, n).text() for n in ("companyEdit", "websiteEdit", "contactEdit", "roleEdit",
                                                            "emailEdit")] == [
        "Harbor & Pine", "https://harborpine.example", "Dana Okafor", "COO", "dana@hp.example"]
    dialog.findChild(QLineEdit, "roleEdit").setText("CEO")
    with qtbot.waitSignal(dialog.accepted, timeout=2000):
        save(qtbot, dialog)
    assert dialog.value.role == "CEO" and dialog.value.email == "dana@hp.example"


def test_a_duplicate_is_named_plainly_and_can_be_opened_instead(qtbot, host):
    existing = [Prospect(3, "<b>Acme</b> Robotics", "https://acme.example"), Prospect(9, "Acme Robotics Inc")]
    asked = []

    def find(company, website):
        asked.append((company, website))
        return [p for p in existing if company and company.lower()[:4] in p.company.lower()]

    dialog = opened(qtbot, dialogs.NewProspectDialog(host, find_duplicates=find))
    warning = dialog.findChild(QLabel, "duplicateWarning")
    assert not warning.isVisible()
    QTest.keyClicks(dialog.findChild(QLineEdit, "companyEdit"), "acme")
    assert warning.isVisible()
    assert warning.text() == "Already in your list: <b>Acme</b> Robotics (https://acme.example), and 1 more like it"
    assert warning.textFormat() == Qt.TextFormat.PlainText, "a name from a CSV is never markup"
    assert asked[-1] == ("acme", "")
    with qtbot.waitSignal(dialog.open_existing_requested, timeout=2000) as opened_id:
        qtbot.mouseClick(dialog.findChild(QPushButton, "openExistingButton"), Qt.MouseButton.LeftButton)
    assert opened_id.args == [3] and dialog.open_existing_id == 3
    assert not dialog.isVisible() and dialog.result() == dialogs.ProspectDialog.OpenExisting
    assert dialog.value is None, "nothing to add"


def test_the_prospect_being_edited_is_not_its_own_duplicate(qtbot, host):
    me = Prospect(3, "Acme Robotics", "https://acme.example")
    dialog = opened(qtbot, dialogs.ProspectDialog(host, me, find_duplicates=lambda c, w: [me]))
    QTest.keyClicks(dialog.findChild(QLineEdit, "companyEdit"), " Inc")
    assert not dialog.findChild(QLabel, "duplicateWarning").isVisible()


def test_edit_fact_edits_text_date_and_source_and_keeps_value_the_text(qtbot, host):
    dialog = opened(qtbot, dialogs.EditFactDialog("Opened a plant.", host, "2026-03-02", "https://news.example/a",
                                                  "Plant opens"))
    assert dialog.findChild(QLineEdit, "factPublishedEdit").text() == "2026-03-02"
    QTest.keyClicks(dialog.findChild(QPlainTextEdit, "factTextEdit"), " In Austin.")
    dialog.findChild(QLineEdit, "factSourceUrlEdit").setText("news.example/b")
    with qtbot.waitSignal(dialog.accepted, timeout=2000):
        save(qtbot, dialog)
    assert dialog.value == "Opened a plant. In Austin."
    assert dialog.details == dialogs.FactDetails("Opened a plant. In Austin.", "2026-03-02", "https://news.example/b",
                                                 "Plant opens")


@pytest.mark.parametrize("field, bad, says", [
    ("factPublishedEdit", "03/02/2026", "YYYY-MM-DD"),
    ("factPublishedEdit", "2026-02-30", "not a day of the calendar"),
    ("factPublishedEdit", (date.today() + timedelta(days=1)).isoformat(), "in the future"),
    ("factSourceUrlEdit", "javascript:alert(1)", "http:// or https://"),
    ("factSourceUrlEdit", "file:///etc/passwd", "http:// or https://"),
])
def test_edit_fact_refuses_a_bad_date_or_source_until_fixed(qtbot, host, field, bad, says):
    dialog = opened(qtbot, dialogs.EditFactDialog("Opened a plant.", host))
    edit = dialog.findChild(QLineEdit, field)
    edit.setText(bad)
    save(qtbot, dialog)
    assert dialog.isVisible() and says in error_label(dialog).text()
    edit.clear()  # both are optional
    assert not error_label(dialog).isVisible()
    with qtbot.waitSignal(dialog.accepted, timeout=2000):
        save(qtbot, dialog)
    assert dialog.details.published is None and dialog.details.source_url == ""


PAIR = [Prospect(3, "Acme Robotics", "https://acme.example", "Sam Rivera", created_at="2026-01-05T10:00:00+00:00"),
        Prospect(9, "Acme Robotics Inc", "", "Dana Okafor", "COO")]


def test_merge_keeps_the_prospect_chosen_with_the_keyboard(qtbot, host):
    dialog = opened(qtbot, dialogs.MergeProspectsDialog(host, PAIR))
    first = QApplication.focusWidget()
    assert first.objectName() == "keepProspect0" and first.isChecked()
    assert "Acme Robotics  ·  https://acme.example  ·  Sam Rivera  ·  added 2026-01-05" == first.text()
    QTest.keyClick(first, Qt.Key.Key_Down)
    assert dialog.findChild(QWidget, "keepProspect1").isChecked()
    with qtbot.waitSignal(dialog.accepted, timeout=2000):
        qtbot.mouseClick(dialog.findChild(QPushButton, "mergeButton"), Qt.MouseButton.LeftButton)
    assert dialog.value == 9 and dialog.merged_ids == [3]


@pytest.mark.parametrize("make, action", [
    (lambda parent: dialogs.MergeProspectsDialog(parent, PAIR), "mergeButton"),
    (lambda parent: dialogs.ConfirmDeleteProspectDialog(parent, "Acme", 12, 3), "deleteProspectButton"),
], ids=["merge", "delete"])
def test_enter_never_merges_or_deletes(qtbot, host, make, action):
    dialog = opened(qtbot, make(host))
    button = dialog.findChild(QPushButton, action)
    assert not button.isDefault() and not button.autoDefault()
    with qtbot.waitSignal(dialog.rejected, timeout=2000):
        QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    assert dialog.result() == QDialog.DialogCode.Rejected


def test_delete_says_what_goes_and_that_only_a_backup_brings_it_back(qtbot, host):
    dialog = opened(qtbot, dialogs.ConfirmDeleteProspectDialog(host, "<i>Acme</i>", fact_count=12, sent_count=1))
    text = dialog.findChild(QLabel, "deleteExplanation").text()
    assert "Delete <i>Acme</i>" in text and "12 research facts and notes" in text
    assert "sent log (1 message sent)" in text
    assert "can't be undone" in text and "restoring a backup" in text
    assert QApplication.focusWidget().objectName() == "dialogCancelButton"
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Space)  # Space presses the focused button: Cancel
    assert dialog.result() == QDialog.DialogCode.Rejected
    again = opened(qtbot, dialogs.ConfirmDeleteProspectDialog(host, "Acme"))
    with qtbot.waitSignal(again.accepted, timeout=2000):
        qtbot.mouseClick(again.findChild(QPushButton, "deleteProspectButton"), Qt.MouseButton.LeftButton)


def test_preview_shows_the_message_as_the_prospect_will_see_it(qtbot, host):
    body = "Congrats on the Reno cross-dock [^12].\n\nHow are check-ins going?"
    html = html_message(body, forwarded="Hi Dana,\nSaw the Reno news.", sent_on="2026-11-02", subject="Reno dock")
    dialog = opened(qtbot, PreviewDialog(host, "Dana Okafor", "dana@harborpine.example", "Reno dock", html))
    assert dialog.findChild(QLabel, "previewTo").text() == "Dana Okafor <dana@harborpine.example>"
    assert dialog.findChild(QLabel, "previewSubject").text() == "Reno dock"
    shown = dialog.shown_text()
    assert "Congrats on the Reno cross-dock." in shown and "[^12]" not in shown
    assert "Forwarded message" in shown and "Saw the Reno news." in shown, "the forwarded original is shown"
    assert dialog.findChild(QTextBrowser, "previewBody").isReadOnly()
    with qtbot.waitSignal(dialog.copy_requested, timeout=2000):
        qtbot.mouseClick(dialog.findChild(QPushButton, "previewCopyButton"), Qt.MouseButton.LeftButton)
    assert dialog.isVisible(), "Copy does not close the preview"
    qtbot.mouseClick(dialog.findChild(QPushButton, "previewCloseButton"), Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()


def test_a_link_in_the_preview_opens_nothing_and_nothing_is_loaded(qtbot, host, monkeypatch):
    opened_urls = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened_urls.append(url) or True)
    html = '<p><a href="https://tracker.example/x">click here</a></p><img src="file:///etc/hostname">'
    dialog = opened(qtbot, PreviewDialog(host, "Dana", "", "", html))
    browser = dialog.findChild(QTextBrowser, "previewBody")
    cursor = browser.document().find("click here")
    where = browser.cursorRect(cursor).center() - QPoint(20, 0)
    with qtbot.waitSignal(browser.anchorClicked, timeout=2000) as clicked:
        qtbot.mouseClick(browser.viewport(), Qt.MouseButton.LeftButton, pos=where)
    assert clicked.args[0].toString() == "https://tracker.example/x"  # the click reached the link...
    assert opened_urls == [] and browser.source().isEmpty()  # ...and nothing opened or navigated
    assert "click here" in browser.toPlainText()
    assert browser.loadResource(0, QUrl("file:///etc/hostname")) is None


def test_preview_without_recipient_or_subject_says_so(qtbot, host):
    dialog = opened(qtbot, PreviewDialog(host, html="<p>Hi</p>"))
    assert dialog.findChild(QLabel, "previewTo").text() == "(no recipient yet)"
    assert dialog.findChild(QLabel, "previewSubject").text() == "(no subject)"


def test_snippets_round_trip_add_edit_remove(qtbot, host):
    dialog = opened(qtbot, dialogs.SnippetsDialog(host, "Dana Okafor\nHarbor Tools", [
        {"name": "Intro", "text": "I work with dock managers."}, {"name": "Ask", "text": "Worth a call?"}]))
    names = dialog.findChild(QListWidget, "snippetList")
    assert [names.item(i).text() for i in range(names.count())] == ["Intro", "Ask"]
    assert dialog.findChild(QPlainTextEdit, "snippetTextEdit").toPlainText() == "I work with dock managers."
    qtbot.mouseClick(dialog.findChild(QPushButton, "addSnippetButton"), Qt.MouseButton.LeftButton)
    name = dialog.findChild(QLineEdit, "snippetNameEdit")
    assert QApplication.focusWidget() is name
    QTest.keyClicks(name, "Reno")  # replaces the suggested name
    QTest.keyClick(name, Qt.Key.Key_Tab)
    QTest.keyClicks(QApplication.focusWidget(), "Saw the Reno news.")
    names.setCurrentRow(1)
    qtbot.mouseClick(dialog.findChild(QPushButton, "removeSnippetButton"), Qt.MouseButton.LeftButton)
    signature = dialog.findChild(QPlainTextEdit, "signatureEdit")
    signature.setPlainText("Dana Okafor  \nHarbor Tools\n")
    with qtbot.waitSignal(dialog.accepted, timeout=2000):
        save(qtbot, dialog)
    assert dialog.value == {"signature": "Dana Okafor\nHarbor Tools", "snippets": [
        {"name": "Intro", "text": "I work with dock managers."}, {"name": "Reno", "text": "Saw the Reno news."}]}


@pytest.mark.parametrize("snippets, says", [
    ([{"name": "Intro", "text": "a"}, {"name": "intro", "text": "b"}], "Two snippets are called"),
    ([{"name": "", "text": "a"}], "has no name"),
    ([{"name": "Intro", "text": "  "}], "is empty"),
])
def test_snippets_that_cannot_be_told_apart_or_are_empty_are_refused(qtbot, host, snippets, says):
    dialog = opened(qtbot, dialogs.SnippetsDialog(host, "", snippets))
    save(qtbot, dialog)
    assert dialog.isVisible() and says in error_label(dialog).text()
    qtbot.mouseClick(dialog.findChild(QPushButton, "removeSnippetButton"), Qt.MouseButton.LeftButton)
    if len(snippets) == 1 or says == "Two snippets are called":
        assert not error_label(dialog).isVisible(), "fixed by removing the bad one"


@dataclass(frozen=True)
class Event:  # the shape of app.core.models.TimelineEvent
    when: str
    kind: str
    text: str
    ref_id: int | None = None


def test_timeline_lists_events_newest_first_as_plain_text(qtbot, host):
    events = [Event("2026-01-05", "added", "Added from CSV"),
              Event("2026-02-01T09:00:00+00:00", "sent", "First touch: <b>Reno</b> dock", 4),
              Event("2026-01-20", "fact", "Opened a second cross-dock\nin Reno", 12),
              Event("2026-03-01T10:00:00+00:00", "status", "Replied", None),
              Event("not a date", "note", "Met at the expo")]
    dialog = opened(qtbot, dialogs.TimelineDialog(host, "Harbor & Pine", events))
    lines = dialog.lines()
    assert [line.split("  ·  ")[1] for line in lines] == ["Status", "Sent", "Fact", "Added", "Note"]
    assert lines[1].endswith("First touch: <b>Reno</b> dock"), "markup from the data is shown as typed"
    assert lines[2] == "2026-01-20  ·  Fact  ·  Opened a second cross-dock in Reno"
    timeline = dialog.findChild(QListWidget, "timelineList")
    assert not timeline.item(0).flags() & Qt.ItemFlag.ItemIsEditable
    with qtbot.waitSignal(dialog.event_activated, timeout=2000) as activated:
        QTest.keyClick(timeline, Qt.Key.Key_Down)
        QTest.keyClick(timeline, Qt.Key.Key_Return)
    assert activated.args[0].ref_id == 4


def test_an_empty_timeline_says_so(qtbot, host):
    dialog = opened(qtbot, dialogs.TimelineDialog(host, "Acme", []))
    assert dialog.findChild(QLabel, "timelineEmpty").isVisible()
    assert not dialog.findChild(QListWidget, "timelineList").isVisible()


# -- G: contrast ------------------------------------------------------------------------------------------------

EVERY_DIALOG = {
    **{name: make for name, (make, _) in INPUT_DIALOGS.items()},
    "prospect with duplicate": lambda parent: dialogs.ProspectDialog(
        parent, find_duplicates=lambda c, w: [Prospect(1, "Acme", "https://acme.example")]),
    "merge": lambda parent: dialogs.MergeProspectsDialog(parent, PAIR),
    "delete": lambda parent: dialogs.ConfirmDeleteProspectDialog(parent, "Acme", 3, 1),
    "preview": lambda parent: PreviewDialog(parent, "Dana", "d@x.example", "Hi", html_message("Hello [^1].")),
    "timeline": lambda parent: dialogs.TimelineDialog(parent, "Acme", [Event("2026-01-05", "added", "Added")]),
    "message": lambda parent: dialogs.MessageDialog("Sent", "Hi Dana", parent),
    "shortcuts": lambda parent: dialogs.ShortcutsDialog(parent),
}


def dark(palette: QPalette) -> QPalette:
    out = QPalette(palette)
    for role, color in (("Window", "#2b2b2b"), ("WindowText", "#e8e8e8"), ("Base", "#1e1e1e"), ("Text", "#e8e8e8"),
                        ("Button", "#3a3a3a"), ("ButtonText", "#e8e8e8"), ("Highlight", "#3d6fa5"),
                        ("HighlightedText", "#ffffff"), ("PlaceholderText", "#8a8a8a")):
        out.setColor(getattr(QPalette.ColorRole, role), QColor(color))
    return out


@pytest.fixture(params=["light", "dark"])
def theme(request, qapp):
    """The application's palette, as a desktop theme sets it (a dialog is a window: it does not take its
    parent's palette)."""
    before = qapp.palette()
    if request.param == "dark":
        qapp.setPalette(dark(before))
    yield request.param
    qapp.setPalette(before)


@pytest.mark.parametrize("name", EVERY_DIALOG)
def test_every_text_in_every_dialog_is_readable(qtbot, host, name, theme):
    dialog = opened(qtbot, EVERY_DIALOG[name](host))
    window = dialog.palette().color(QPalette.ColorRole.Window).name()
    assert window == ("#2b2b2b" if theme == "dark" else "#efefef")
    if name == "prospect with duplicate":
        QTest.keyClicks(dialog.findChild(QLineEdit, "companyEdit"), "Acme")
    save_button = dialog.findChild(QPushButton, "dialogSaveButton")
    if save_button is not None and name != "snippets":
        save(qtbot, dialog)  # the error line, where there is one
    assert low_contrast_texts(dialog) == []


def test_the_contrast_check_sees_what_a_stylesheet_does(qtbot, host):
    panel = QWidget(host)
    panel.setObjectName("panel")
    panel.setPalette(QApplication.style().standardPalette())  # the style's own, whatever the app set before
    faint = QLabel("Click a checklist item to see why.", panel)
    faint.setObjectName("ruleWhyLabel")
    faint.setStyleSheet("color: palette(mid);")  # the composer's explanation line
    grey = QLabel("Disqualified", panel)
    grey.setObjectName("greyLabel")
    grey.setStyleSheet("color: #777777;")
    banner = QLabel("Follow-up due", panel)
    banner.setObjectName("banner")
    banner.setStyleSheet("background: #fff4ce; color: #3b2f00;")
    hidden = QLabel("hidden", panel)
    hidden.setStyleSheet("color: #eeeeee;")
    hidden.hide()
    edit = QLineEdit(panel)
    edit.setObjectName("search")
    edit.setPlaceholderText("Search…")  # Fusion's default placeholder: black at half opacity, 4:1
    found = low_contrast_texts(panel)
    assert [line.split(":")[0] for line in found] == ["ruleWhyLabel", "greyLabel", "search (placeholder)"], found
    assert "1.73:1" in found[0] and "#b8b8b8 on #efefef" in found[0]
    assert low_contrast_texts(panel, minimum=3.0) == [found[0]]


def test_the_contrast_check_reads_list_items_and_their_colours(qtbot, host):
    items = QListWidget(host)
    items.setObjectName("prospects")
    items.addItem("Acme")
    grey = QListWidgetItem("Old Co (disqualified)")
    grey.setForeground(QBrush(QColor("#777777")))  # research_pane's disqualified colour
    items.addItem(grey)
    found = low_contrast_texts(items)
    assert len(found) == 1 and found[0].startswith("prospects[row 1]: 4.48:1"), found


# -- the field checks a dialog runs are the store's --------------------------------------------------------------

def test_the_dialogs_check_fields_with_the_stores_own_checks():
    """One copy: what a dialog refuses as the rep types is what the store would refuse."""
    from app.storage import csv_import, repo
    from app.ui import prospect_dialog

    assert prospect_dialog.email_input is repo.email_input is csv_import.email_input is fields.email_input
    assert dialogs.published_input is repo.published_input is fields.published_input
    assert dialogs.source_url_input is repo.source_url_input is fields.source_url_input

