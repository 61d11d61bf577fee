"""What every input dialog shares, so each one gets the keyboard right without thinking about it:

- the first field has the focus when the dialog opens (the buttons used to come first in the focus chain,
  so Save had it: typed letters were lost and the first space pressed Save);
- Save is the default button (Enter in a one-line field saves, after validating) but never autoDefault, so
  it is not pressed by a key meant for whatever has the focus;
- Tab leaves a multi-line field instead of typing a tab;
- a validation message is re-checked on each edit: it goes away once the input is valid, or says what is
  still wrong.
"""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette, QTextCursor
from PySide6.QtWidgets import (
    QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QPlainTextEdit, QPushButton, QVBoxLayout, QWidget,
)

from app.core.errors import InputError

from .contrast import readable, readable_palette

ERROR_COLOR = "#b3261e"


def plain_label(text: str = "", name: str = "", wrap: bool = True) -> QLabel:
    """A label that shows `text` literally: names and notes come from the rep and the web, never markup."""
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(wrap)
    if name:
        label.setObjectName(name)
    return label


def multi_line(name: str, accessible: str, text: str = "", placeholder: str = "") -> QPlainTextEdit:
    edit = QPlainTextEdit(text)
    edit.setObjectName(name)
    edit.setAccessibleName(accessible)
    edit.setPlaceholderText(placeholder)
    edit.setTabChangesFocus(True)  # a tab character in a note or a fact is never what the rep meant
    edit.moveCursor(QTextCursor.MoveOperation.End)  # typing adds to what is there; it never replaces it
    return edit


def quiet_buttons(box: QDialogButtonBox) -> None:
    """No button of `box` takes Enter just because it once had the focus."""
    for button in box.buttons():
        if isinstance(button, QPushButton):
            button.setAutoDefault(False)


def error_palette(label: QLabel) -> None:
    """The error colour, made readable on whatever the dialog's background is (dark themes too)."""
    palette = label.palette()
    palette.setColor(QPalette.ColorRole.WindowText,
                     readable(QColor(ERROR_COLOR), palette.color(QPalette.ColorRole.Window)))
    label.setPalette(palette)


class ValidatingDialog(QDialog):
    """A form with Save and Cancel that validates before closing, so nothing typed is lost to an error.
    Subclasses add fields with _line/_text (or _add_input) and implement _validate()."""

    def __init__(self, parent, title: str):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setPalette(readable_palette(self.palette()))  # placeholders and selections readable too
        self.form = QFormLayout()
        self.error_label = plain_label(name="dialogError")
        self.error_label.setAccessibleName("Problem")
        error_palette(self.error_label)
        self.error_label.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setObjectName("dialogSaveButton")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setObjectName("dialogCancelButton")
        quiet_buttons(self.buttons)
        self.save_button.setDefault(True)
        self.buttons.accepted.connect(self._try_accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        self.value = None
        self._inputs: list[QWidget] = []
        self._focus_placed = False

    # -- building -----------------------------------------------------------------------------------------------
    def _add_input(self, widget: QWidget, label: str | None = None) -> QWidget:
        """Register an input: the tab order follows registration, the first one gets the focus, and each edit
        re-checks a validation message on show."""
        if label is not None:
            self.form.addRow(label, widget)
        self._inputs.append(widget)
        for signal in ("textChanged", "currentIndexChanged", "toggled"):
            if hasattr(widget, signal):
                getattr(widget, signal).connect(self._revalidate)
                break
        return widget

    def _line(self, label: str, name: str, placeholder: str = "", text: str = "") -> QLineEdit:
        edit = QLineEdit(text)
        edit.setObjectName(name)
        edit.setPlaceholderText(placeholder)
        edit.setAccessibleName(label.rstrip(":*"))
        return self._add_input(edit, label)

    def _text(self, label: str, name: str, placeholder: str = "", text: str = "") -> QPlainTextEdit:
        return self._add_input(multi_line(name, label.rstrip(":*"), text, placeholder), label)

    def initial_focus(self) -> QWidget | None:
        """The widget that has the focus when the dialog opens: the first input."""
        return next((w for w in self._inputs if w.focusPolicy() != Qt.FocusPolicy.NoFocus), None)

    # -- showing ------------------------------------------------------------------------------------------------
    def showEvent(self, event) -> None:
        if not self._focus_placed:  # once: a dialog shown again keeps the focus where the rep left it
            self._focus_placed = True
            self._order_tabs()
            first = self.initial_focus()
            if first is not None:
                first.setFocus(Qt.FocusReason.OtherFocusReason)
        super().showEvent(event)

    def _order_tabs(self) -> None:
        """Inputs in the order they were added, then the buttons left to right (the focus chain otherwise
        follows creation order, and the buttons were made first)."""
        self.layout().activate()
        chain = [w for w in self._inputs if w.focusPolicy() != Qt.FocusPolicy.NoFocus]
        chain += sorted(self.buttons.buttons(), key=lambda b: b.mapTo(self, b.rect().topLeft()).x())
        for before, after in zip(chain, chain[1:]):
            QWidget.setTabOrder(before, after)

    # -- validating ---------------------------------------------------------------------------------------------
    def _validate(self):
        raise NotImplementedError

    def _show_error(self, message: str) -> None:
        self.error_label.setText(message)
        self.error_label.show()

    def _revalidate(self, *_) -> None:
        """While a message is shown, each edit checks again: the message goes, or says what is wrong now."""
        if self.error_label.isHidden():
            return
        try:
            self._validate()
        except InputError as e:
            self.error_label.setText(str(e))
            return
        self.error_label.clear()
        self.error_label.hide()

    def _try_accept(self) -> None:
        try:
            self.value = self._validate()
        except InputError as e:
            self._show_error(str(e))
            return
        self.error_label.hide()
        self.accept()
