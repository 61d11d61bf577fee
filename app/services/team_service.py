"""TeamService: the team sync in the background, on a timer and on demand, never on the UI thread.

It syncs over its own connection to the workspace file (SQLite's WAL lets it write beside the store
thread; each write waits its turn), and tells the window what changed through the workspace service's
one `changed` signal. A rep with no team never starts it.
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal

from .tasks import Op, TaskRunner
from .workspace_service import Change, submit

SYNC_EVERY_MS = 60_000


class TeamService(QObject):
    status_changed = Signal(dict)  # app.team.client.status(): connected, pending, last sync, last problem

    def __init__(self, db_path: Path, workspace=None, parent: QObject | None = None, secrets=None):
        super().__init__(parent)
        self.db_path = db_path
        self.workspace = workspace  # the WorkspaceService whose `changed` tells the window
        self._secrets = secrets
        self._runner = TaskRunner(self, max_threads=1)
        self._timer = QTimer(self)
        self._timer.setInterval(SYNC_EVERY_MS)
        self._timer.timeout.connect(self.sync)
        self._busy = False

    def _repo(self):
        from app.storage.database import open_store
        from app.storage.repo import WorkspaceRepo

        return WorkspaceRepo(open_store(self.db_path).conn)

    def _submit(self, doing: str, work) -> Op:
        return submit(self._runner, doing, work, db_path=self.db_path)

    def start(self) -> None:
        """Sync now if this workspace is in a team, then every minute."""
        def loaded(state: dict) -> None:
            self.status_changed.emit(state)
            if state.get("connected"):
                self._timer.start()
                self.sync()

        self.status().success(loaded)

    def status(self) -> Op:
        def work():
            from app.team import client

            repo = self._repo()
            try:
                return client.status(repo)
            finally:
                repo.conn.close()

        return self._submit("reading the team status", work)

    def connect(self, url: str, name: str, password: str) -> Op:
        """Join the team (checked against the server); success gets the status, then a first sync runs."""
        def work():
            from app.team import client

            repo = self._repo()
            try:
                return client.connect(repo, url, name, password or None, self._secrets)
            finally:
                repo.conn.close()

        def joined(state: dict) -> None:
            self.status_changed.emit(state)
            self._timer.start()
            self.sync()

        return self._submit("connecting to the team server", work).success(joined)

    def disconnect(self) -> Op:
        def work():
            from app.team import client

            repo = self._repo()
            try:
                return client.disconnect(repo, self._secrets)
            finally:
                repo.conn.close()

        self._timer.stop()
        return self._submit("disconnecting from the team", work).success(self.status_changed.emit)

    def sync(self) -> Op | None:
        """One sync (skipped while one runs). Success gets the report; what it pulled reaches the window."""
        if self._busy:
            return None
        self._busy = True

        def work():
            from app.team import client

            repo = self._repo()
            try:
                return client.sync(repo, self._secrets), client.status(repo)
            finally:
                repo.conn.close()

        def done(result) -> None:
            report, state = result
            if report.get("pulled_total") and self.workspace is not None:
                self.workspace.changed.emit(Change(reload=True))  # teammates' rows: show them
            self.status_changed.emit(state)

        def failed(message: str) -> None:
            self.status().success(self.status_changed.emit)

        op = self._submit("syncing with the team", work).success(done).failure(failed)
        op.finally_(lambda: setattr(self, "_busy", False))
        return op

    def scheduled(self) -> bool:
        """Whether syncs run on the timer (only in a team workspace)."""
        return self._timer.isActive()

    def stop(self) -> None:
        self._timer.stop()
        self._runner.wait(10_000)
