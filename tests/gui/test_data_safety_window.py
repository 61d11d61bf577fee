"""In the window: a full disk keeps the draft in memory and saves it when space is back; an export
proposes a safe file name whatever the company is called."""
import sqlite3
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QFileDialog, QPlainTextEdit

from app.services.workspace_service import WorkspaceService
from app.storage.database import open_store
from app.storage.repo import WorkspaceRepo
from app.ui.main_window import MainWindow
from tests.fixtures.small_disk import small_disk  # noqa: F401 - a fixture
from tests.helpers.window import find, trigger


def _seed(db: Path, *companies: str) -> list[int]:
    store = open_store(db)
    repo = WorkspaceRepo(store.conn)
    ids = [repo.add_prospect(c, "").id for c in companies]
    store.conn.close()
    return ids


def _window(qtbot, home: Path) -> MainWindow:
    service = WorkspaceService(home / "earned.db", seed_demo=False)
    window = MainWindow(service, QSettings(str(home / "settings.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.ready, timeout=10_000):
        window.show()
        window.open_workspace()
    return window


def _saved_body(db: Path, prospect_id: int) -> str | None:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        row = conn.execute("SELECT body FROM drafts WHERE prospect_id = ?", (prospect_id,)).fetchone()
        return row[0] if row else None
    finally:
        conn.close()


def test_a_full_disk_keeps_the_draft_and_saves_it_when_space_returns(qtbot, small_disk, monkeypatch):
    home = small_disk.path / "workspace"
    monkeypatch.setenv("EARNED_HOME", str(home))
    first, second = _seed(home / "earned.db", "Acme Robotics", "Bolt Freight")
    window = _window(qtbot, home)
    composer = find(window, QPlainTextEdit, "composer")
    window.research.select_prospect(first)
    qtbot.waitUntil(lambda: composer.isEnabled() and window.composer.prospect_id == first)

    small_disk.fill()
    text = "Saw the Austin plant news. " * 3000  # a draft that needs new pages in the file
    with qtbot.waitSignal(window.service.drafts_pending, timeout=10_000):
        composer.insertPlainText(text)
        window.session.flush()
    banner = window.banner.text()
    assert "The disk is full" in banner and "kept in this window" in banner, banner
    assert [d.body for d in window.service.unsaved_drafts()] == [text]

    # Away and back: the draft comes from memory, not the older copy on disk.
    window.research.select_prospect(second)
    qtbot.waitUntil(lambda: window.composer.prospect_id == second and composer.isEnabled())
    window.research.select_prospect(first)
    qtbot.waitUntil(lambda: window.composer.prospect_id == first and composer.isEnabled())
    assert composer.toPlainText() == text

    small_disk.free()
    with qtbot.waitSignal(window.service.drafts_pending, timeout=10_000,
                          check_params_cb=lambda count: count == 0):
        window.service.retry_unsaved_drafts()  # what its timer does every few seconds
    assert _saved_body(home / "earned.db", first) == text
    assert "room on the disk again" in window.banner.text()
    window.close()


def test_export_proposes_a_safe_name_inside_the_chosen_folder(qtbot, open_window, earned_home, tmp_path, monkeypatch):
    (pid,) = _seed(earned_home / "earned.db", "../../../../tmp/earned-escape")
    window = open_window()
    window.research.select_prospect(pid)
    qtbot.waitUntil(lambda: window.research.current_prospect() is not None)
    chosen = tmp_path / "exports"
    chosen.mkdir()
    proposed = []

    def dialog(parent, caption, name, filters):
        proposed.append(name)
        return str(chosen / name), "Markdown (*.md)"  # the rep clicks Save in the folder shown

    monkeypatch.setattr(QFileDialog, "getSaveFileName", dialog)
    trigger(window, "exportAction")
    written = chosen / "tmp-earned-escape.md"
    qtbot.waitUntil(written.exists, timeout=10_000)
    qtbot.waitUntil(lambda: "Exported to" in window.statusBar().currentMessage())
    assert proposed == ["tmp-earned-escape.md"]
    assert written.parent == chosen and written.is_file()
    assert "earned-escape" in written.read_text(encoding="utf-8")
    assert not Path("/tmp/earned-escape.md").exists()
