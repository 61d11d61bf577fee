import pytest
from PySide6.QtCore import QSettings

from app.services.workspace_service import WorkspaceService
from app.ui.main_window import MainWindow


@pytest.fixture
def open_window(qtbot, earned_home):
    """Open the real window on the temp workspace; returns a factory so a test can 'restart'."""
    opened = []

    def factory(seed_demo: bool = False, **services) -> MainWindow:
        service = WorkspaceService(earned_home / "earned.db", seed_demo=seed_demo)
        settings = QSettings(str(earned_home / "settings.ini"), QSettings.Format.IniFormat)
        window = MainWindow(service, settings, **services)
        qtbot.addWidget(window)
        with qtbot.waitSignal(window.ready, timeout=10_000):
            window.show()
            window.open_workspace()
        opened.append(window)
        return window

    yield factory
    for window in opened:
        window.close()
