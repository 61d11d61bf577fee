"""Start the desktop app: one instance per workspace, services owned by the application."""
from __future__ import annotations

import logging
import shutil
import sys
import traceback

from PySide6.QtCore import QLockFile, QSettings, QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from app import APP_ID, APP_NAME, __version__
from app.core.paths import data_dir, database_path, resources_dir
from app.core.redact import install_log_filter
from app.services.workspace_service import WorkspaceService
from app.storage.database import LOW_SPACE_BYTES, disk_full_message
from app.ui.main_window import MainWindow

log = logging.getLogger("earned")


def _tell(message: str, interactive: bool) -> None:
    print(f"earned: {message}", file=sys.stderr)
    if interactive:
        QMessageBox.critical(None, APP_NAME, message)


def app_icon() -> QIcon:
    icon = QIcon(str(resources_dir() / "icons" / "earned.svg"))
    for size in (16, 24, 32, 48, 64, 128, 256):
        icon.addFile(str(resources_dir() / "icons" / f"earned-{size}.png"))
    return icon


def _setup_logging(folder) -> None:
    handler = logging.FileHandler(folder / "earned.log", encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logging.getLogger().addHandler(handler)
    logging.getLogger().setLevel(logging.INFO)
    install_log_filter()  # no API key, whole or in part, is ever written to earned.log


class Started:
    """What start_gui built: the application, its window and services, and the workspace lock."""

    def __init__(self, app, window, service, lock):
        self.app, self.window, self.service, self.lock = app, window, service, lock
        self.exit_code = 0


def run_gui(quit_after_startup: bool = False) -> int:
    started = start_gui(quit_after_startup)
    if isinstance(started, int):
        return started
    code = started.app.exec()
    return finish_gui(started, code)


def finish_gui(started: Started, code: int) -> int:
    started.window.close()  # saves the draft and geometry, waits for queued writes
    started.service.close()
    started.lock.unlock()
    return started.exit_code or code


def start_gui(quit_after_startup: bool = False) -> Started | int:
    """Build the app and show the window; an int is an exit status (the workspace can't be used)."""
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setDesktopFileName(APP_ID)
    app.setWindowIcon(app_icon())
    interactive = not quit_after_startup

    folder = data_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        _setup_logging(folder)
    except OSError as e:
        _tell(f"Earned can't use its data folder {folder} ({e.strerror}). "
              "Make it writable, or set EARNED_HOME to a folder you can write to.", interactive)
        return 2

    lock = QLockFile(str(folder / "earned.lock"))
    if not lock.tryLock(100):
        if lock.error() == QLockFile.LockError.LockFailedError:
            _tell(f"Earned is already open with the workspace in {folder}. Switch to that window, "
                  "or set EARNED_HOME to open another workspace.", interactive)
            return 1
        # The lock file itself could not be written: say why, not "already open".
        full = shutil.disk_usage(folder).free < LOW_SPACE_BYTES
        _tell(disk_full_message(database_path()) if full else
              f"Earned can't create its lock file in {folder}. Make the folder writable, "
              "or set EARNED_HOME to a folder you can write to.", interactive)
        return 2

    settings = QSettings(str(folder / "settings.ini"), QSettings.Format.IniFormat)
    service = WorkspaceService(database_path(), seed_demo=True, parent=app)
    window = MainWindow(service, settings)

    # A bug must not show the rep a traceback: log it and say so in the window.
    def excepthook(exc_type, exc, tb):
        log.error("unexpected error:\n%s", "".join(traceback.format_exception(exc_type, exc, tb)))
        window.show_notice(f"Something went wrong ({exc_type.__name__}); details are in {folder / 'earned.log'}. "
                           "Your saved work is safe.")

    sys.excepthook = excepthook
    started = Started(app, window, service, lock)

    def on_fatal(message: str) -> None:
        started.exit_code = 2
        _tell(message, interactive)
        app.exit(2)

    window.fatal.connect(on_fatal)
    if quit_after_startup:
        # Let the event loop go idle once with the prospect list shown, then leave.
        window.ready.connect(lambda: QTimer.singleShot(0, app.quit))
    window.show()
    window.open_workspace()
    return started
