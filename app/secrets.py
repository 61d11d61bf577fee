"""SecretStore: API keys live in the OS keychain (keyring), nowhere else.

Never log a secret, put it in an exception, or write it to SQLite/QSettings. Calls
may block (a keychain can prompt), so the UI reaches this through a service thread.
"""
from __future__ import annotations

import keyring
import keyring.backend
import keyring.errors

from app.core import redact
from app.core.errors import SecretsUnavailable
from app.research.sources import KEY_SOURCES

SERVICE = "earned"
TEAM_SERVER_KEY = "team-server"  # the rep's password on the team's PostgreSQL server (app.team.client.TEAM_KEY)
# The API keys Earned stores (the registry's sources that need one); anything else is a typo worth catching.
KNOWN_KEYS = KEY_SOURCES

# Backends that would put secrets in a plain file or nowhere: refuse them.
_REFUSED_MODULES = ("keyring.backends.fail", "keyring.backends.null", "keyrings.alt")


def _usable(backend: keyring.backend.KeyringBackend) -> bool:
    module = type(backend).__module__
    if module.startswith(_REFUSED_MODULES):
        return False
    if module == "keyring.backends.chainer":
        return bool(getattr(backend, "backends", ()))
    return True


class SecretStore:
    def __init__(self, backend: keyring.backend.KeyringBackend | None = None, service: str = SERVICE):
        self._backend = backend
        self.service = service

    def backend(self) -> keyring.backend.KeyringBackend:
        backend = self._backend or keyring.get_keyring()
        if not _usable(backend):
            raise SecretsUnavailable(
                "No system keychain is available, so Earned can't store API keys. Install and unlock one "
                "(GNOME Keyring or KWallet on Linux; macOS and Windows have one built in). "
                "Earned never keeps keys in plain files."
            )
        return backend

    def backend_name(self) -> str:
        try:
            backend = self.backend()
            return getattr(backend, "name", type(backend).__name__)
        except SecretsUnavailable:
            return "none"

    def available(self) -> bool:
        try:
            self.backend()
            return True
        except SecretsUnavailable:
            return False

    def _check_name(self, name: str) -> None:
        # A team server password is kept per server and role ("team-server:postgresql://dana@host/db"): one
        # machine may sit in two teams, or two workspaces in one.
        if name.startswith(TEAM_SERVER_KEY + ":"):
            return
        if name not in KNOWN_KEYS:
            raise ValueError(f"Unknown key name {name!r}; Earned stores: {', '.join(KNOWN_KEYS)}.")

    def get(self, name: str) -> str | None:
        self._check_name(name)
        try:
            value = self.backend().get_password(self.service, name)
        except keyring.errors.KeyringError as e:
            raise SecretsUnavailable(f"The keychain refused to read the {name} key ({type(e).__name__}).") from None
        redact.register(value)  # from now on no message, fact or log line in this process shows it
        return value

    def set(self, name: str, value: str) -> None:
        self._check_name(name)
        value = value.strip()
        if not value:
            raise ValueError(f"The {name} key is empty; paste the key from your {name} account.")
        redact.register(value)  # before the keychain sees it: a backend's error may echo it
        try:
            self.backend().set_password(self.service, name, value)
        except keyring.errors.KeyringError as e:
            # The message names the error type only: backends may echo what they were given.
            raise SecretsUnavailable(f"The keychain refused to store the {name} key ({type(e).__name__}).") from None

    def delete(self, name: str) -> bool:
        self._check_name(name)
        try:
            self.backend().delete_password(self.service, name)
            return True
        except keyring.errors.PasswordDeleteError:
            return False
        except keyring.errors.KeyringError as e:
            raise SecretsUnavailable(f"The keychain refused to delete the {name} key ({type(e).__name__}).") from None

    def status(self) -> dict[str, bool]:
        """Which known keys are set (never their values)."""
        return {name: self.get(name) is not None for name in KNOWN_KEYS}
