"""Driving the real window as a rep does: find a widget by its objectName, click it, trigger a menu
action, fill a dialog, read the checklist, and wait for what the store says changed."""
from __future__ import annotations

from contextlib import contextmanager

from PySide6.QtCore import QObject, Qt, QUrl, Slot
from PySide6.QtGui import QAction, QDesktopServices
from PySide6.QtWidgets import QDialog, QListWidget, QPushButton


def find(window, cls, name):
    widget = window.findChild(cls, name)
    assert widget is not None, f"no {cls.__name__} named {name}"
    return widget


def click(qtbot, window, name: str) -> None:
    """Click the push button with this objectName (it must be enabled: a rep can't click it otherwise)."""
    button = find(window, QPushButton, name)
    assert button.isEnabled(), f"{name} is disabled"
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def trigger(window, name: str) -> None:
    """Trigger the menu action with this objectName (as its menu item or shortcut would)."""
    action = find(window, QAction, name)
    assert action.isEnabled(), f"{name} is disabled"
    action.trigger()


def visible_dialog(qtbot, window) -> QDialog:
    qtbot.waitUntil(lambda: any(d.isVisible() for d in window.findChildren(QDialog)))
    return next(d for d in window.findChildren(QDialog) if d.isVisible())


def open_dialog(qtbot, window, button_name):
    qtbot.mouseClick(find(window, QPushButton, button_name), Qt.MouseButton.LeftButton)
    return visible_dialog(qtbot, window)


def save_dialog(qtbot, dialog):
    qtbot.mouseClick(find(dialog, QPushButton, "dialogSaveButton"), Qt.MouseButton.LeftButton)


def checklist_text(window):
    lst = find(window, QListWidget, "checklist")
    return [lst.item(i).text() for i in range(lst.count())]


@contextmanager
def store_change(qtbot, window, what: str = "any", timeout: int = 5000):
    """Wait, around the block, for the store to announce a change of `what`: "facts", "touches",
    "prospects", "settings" (WorkspaceService.changed, the one signal every write goes out on)."""
    def matches(change) -> bool:
        return what == "any" or bool({"facts": change.facts, "touches": change.touches or change.removed_touches,
                                      "prospects": change.prospects, "settings": change.settings}[what])

    with qtbot.waitSignal(window.service.changed, timeout=timeout, check_params_cb=matches):
        yield


class UrlCatcher(QObject):
    """Stands in for the browser and the mail app: QDesktopServices hands it the URL instead."""

    def __init__(self, scheme: str):
        super().__init__()
        self.scheme, self.urls = scheme, []

    @Slot(QUrl)
    def open(self, url: QUrl) -> None:
        self.urls.append(url)

    def __enter__(self):
        QDesktopServices.setUrlHandler(self.scheme, self, "open")
        return self

    def __exit__(self, *exc):
        QDesktopServices.unsetUrlHandler(self.scheme)
