"""Open the real window on a screen of a given size and scale, and report what a rep could reach.

Run in its own process (a screen's size and scale are fixed when Qt starts):

    QT_QPA_PLATFORM=offscreen:configfile=SCREEN.json QT_SCALE_FACTOR=1.5 python -m tests.helpers.screen_check HOME

Prints one JSON object: the screen, the window's size and minimum size, and for each message kind the
controls that can't be reached (outside the window and not inside a pane that scrolls to them) and
where Copy is. The offscreen platform's config file sets the screen (Qt's offscreen plugin reads
"screens": [{"width", "height", "logicalDpi", "dpr"}]).
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

from PySide6.QtCore import QPoint, QRect, QSettings
from PySide6.QtWidgets import (
    QAbstractButton, QAbstractItemView, QApplication, QComboBox, QLineEdit, QPlainTextEdit, QScrollArea, QTextEdit,
)

CONTROLS = (QAbstractButton, QLineEdit, QComboBox, QAbstractItemView, QPlainTextEdit, QTextEdit)


def _rect_in(widget, ancestor) -> QRect:
    return QRect(widget.mapTo(ancestor, QPoint(0, 0)), widget.size())


def unreachable(window) -> list[str]:
    """Shown controls a rep can't get to: not inside the window, and not in a scroll area that shows them
    when scrolled (its horizontal scrolling is off, so they must fit its width)."""
    out = []
    area = window.rect()
    for w in {c for cls in CONTROLS for c in window.findChildren(cls)}:
        if not w.isVisibleTo(window) or not w.objectName() or isinstance(w.parent(), QComboBox):
            continue
        scroll = next((a for a in _ancestors(w) if isinstance(a, QScrollArea)), None)
        if scroll is not None:
            inner = _rect_in(w, scroll.widget())
            if inner.right() <= scroll.viewport().width() and area.contains(_rect_in(scroll.viewport(), window)):
                continue
        elif area.contains(_rect_in(w, window)):
            continue
        out.append(w.objectName())
    return sorted(set(out))


def _ancestors(widget):
    p = widget.parentWidget()
    while p is not None:
        yield p
        p = p.parentWidget()


def main(home: str) -> None:
    app = QApplication([])
    from app.services.workspace_service import WorkspaceService
    from app.ui.main_window import MainWindow

    home_path = Path(home)
    service = WorkspaceService(home_path / "earned.db", seed_demo=True)
    window = MainWindow(service, QSettings(str(home_path / "settings.ini"), QSettings.Format.IniFormat))
    window.show()
    window.open_workspace()
    while not (window.session.is_loaded and window.composer.body.isEnabled()):
        app.processEvents()
    screen = window.screen().availableGeometry()
    report = {"screen": [screen.width(), screen.height()], "window": [window.width(), window.height()],
              "minimum": [window.minimumSizeHint().width(), window.minimumSizeHint().height()], "kinds": {}}
    for kind in ("first-touch", "follow-up", "linkedin-note", "call-script"):
        window.composer.kind.setCurrentIndex(window.composer.kind.findData(kind))
        for _ in range(5):
            app.processEvents()
        copy = window.composer.copy
        report["kinds"][kind] = {
            "unreachable": unreachable(window),
            "copy": [*_rect_in(copy, window).getRect()],
            "copy_visible": copy.isVisible() and window.rect().contains(_rect_in(copy, window)),
            "window_fits": window.frameGeometry().width() <= screen.width()
            and window.frameGeometry().height() <= screen.height(),
        }
    print(json.dumps(report))
    window.close()


if __name__ == "__main__":
    main(sys.argv[1])
