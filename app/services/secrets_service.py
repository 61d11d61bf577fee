"""SecretsService: keychain calls can block (unlock prompts), so they run off the main thread."""
from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from app.research.sources import KEY_SOURCES  # the registry: light, no source module loaded

from .tasks import Op, TaskRunner
from .workspace_service import submit


def masked(value: str) -> str:
    """What the window shows of a key: its last four characters."""
    return "•" * 8 + value[-4:] if len(value) > 8 else "•" * len(value)


class SecretsService(QObject):
    """Each call returns an Op (app.services.tasks); a failure reaches the caller as the sentence the rep
    reads (never a key), or the `failed` signal when the caller gave no failure callback."""
    failed = Signal(str)

    def __init__(self, store=None, parent: QObject | None = None):
        super().__init__(parent)
        self._store = store
        self._runner = TaskRunner(self, max_threads=1)

    @property
    def store(self):
        """The SecretStore, created on first use (by a worker): keyring is not needed at startup."""
        if self._store is None:
            from app.secrets import SecretStore

            self._store = SecretStore()
        return self._store

    def _submit(self, doing: str, work) -> Op:
        return submit(self._runner, doing, work, unhandled=self.failed.emit)

    def load_status(self) -> Op:
        """name -> masked value, or "" when not set; {} when there is no keychain."""
        def work():
            if not self.store.available():
                return {}
            return {name: masked(self.store.get(name) or "") if self.store.get(name) else ""
                    for name in KEY_SOURCES}

        return self._submit("reading keys", work)

    def save_key(self, name: str, value: str) -> Op:
        """Store, then read back: (name, masked value) as the keychain really holds it."""
        def work():
            if value.strip():
                self.store.set(name, value)
                stored = self.store.get(name) or ""
                if stored != value.strip():
                    raise ValueError(f"The keychain did not keep the {name} key; try again.")
                return name, masked(stored)
            self.store.delete(name)
            return name, ""

        return self._submit("saving the key", work)

    def wait(self, msecs: int = -1) -> bool:
        return self._runner.wait(msecs)
