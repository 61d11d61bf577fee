"""SecretsService: keychain calls can block (unlock prompts), so they run off the main thread."""
from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from app.research.sources import KEY_SOURCES  # the registry: light, no source module loaded

from .tasks import TaskRunner
from .workspace_service import user_message


def masked(value: str) -> str:
    """What the window shows of a key: its last four characters."""
    return "•" * 8 + value[-4:] if len(value) > 8 else "•" * len(value)


class SecretsService(QObject):
    status_loaded = Signal(dict)  # name -> masked value, or "" when not set; {} when no keychain
    key_saved = Signal(str, str)  # name, masked value as read back from the keychain
    failed = Signal(str)  # a message (never a key)

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

    def load_status(self) -> None:
        def work():
            if not self.store.available():
                return {}
            return {name: masked(self.store.get(name) or "") if self.store.get(name) else ""
                    for name in KEY_SOURCES}

        self._runner.run(work, self.status_loaded.emit, lambda e: self.failed.emit(user_message(e, "reading keys")))

    def save_key(self, name: str, value: str) -> None:
        """Store, then read back: what the window shows is what the keychain really holds."""
        def work():
            if value.strip():
                self.store.set(name, value)
                stored = self.store.get(name) or ""
                if stored != value.strip():
                    raise ValueError(f"The keychain did not keep the {name} key; try again.")
                return name, masked(stored)
            self.store.delete(name)
            return name, ""

        self._runner.run(work, lambda r: self.key_saved.emit(*r),
                         lambda e: self.failed.emit(user_message(e, "saving the key")))

    def wait(self, msecs: int = -1) -> bool:
        return self._runner.wait(msecs)
