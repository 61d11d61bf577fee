"""SecretStore: keys live in the keychain only; a fake backend for speed, the real one once."""
import subprocess

import keyring.backend
import keyring.backends.fail
import pytest

from app.core.errors import SecretsUnavailable
from app.secrets import SecretStore
from tests.conftest import run_app

PLANTED = "sk-planted-4f9c1e0b7d2a"


class MemoryKeyring(keyring.backend.KeyringBackend):
    priority = 1

    def __init__(self):
        super().__init__()
        self.items = {}

    def get_password(self, service, username):
        return self.items.get((service, username))

    def set_password(self, service, username, password):
        self.items[(service, username)] = password

    def delete_password(self, service, username):
        if (service, username) not in self.items:
            raise keyring.errors.PasswordDeleteError("missing")
        del self.items[(service, username)]


def test_set_get_delete_and_status_never_show_values():
    store = SecretStore(MemoryKeyring())
    store.set("newsapi", f"  {PLANTED}\n")
    assert store.get("newsapi") == PLANTED
    assert store.status() == {"newsapi": True, "gnews": False}
    assert store.delete("newsapi") and not store.delete("newsapi")


def test_no_keychain_refuses_plainly_instead_of_falling_back():
    store = SecretStore(keyring.backends.fail.Keyring())
    assert not store.available()
    with pytest.raises(SecretsUnavailable, match="never keeps keys in plain files"):
        store.set("newsapi", PLANTED)


def test_keychain_error_messages_do_not_carry_the_key():
    class Refusing(MemoryKeyring):
        def set_password(self, service, username, password):
            raise keyring.errors.PasswordSetError(f"cannot store {password}")

    with pytest.raises(SecretsUnavailable) as info:
        SecretStore(Refusing()).set("gnews", PLANTED)
    assert PLANTED not in str(info.value)


@pytest.mark.real_keyring
def test_real_secret_service_stores_the_key_and_nothing_reaches_disk(secret_service_env, tmp_path):
    home = tmp_path / "workspace"
    stored = run_app(home, "keys", "set", "newsapi", input=PLANTED + "\n", env=secret_service_env)
    assert stored.returncode == 0, stored.stderr
    assert "SecretService" in stored.stdout  # the real backend, not a fallback

    # Read back through the real keychain, in this process.
    from keyring.backends.SecretService import Keyring as SecretServiceKeyring

    assert SecretStore(SecretServiceKeyring()).get("newsapi") == PLANTED
    status = run_app(home, "keys", "status", env=secret_service_env)
    assert "newsapi\tstored" in status.stdout and PLANTED not in status.stdout

    # Use the workspace the way a rep would, window included, then grep every file it wrote.
    assert run_app(home, "prospect", "add", "--company", "Acme", env=secret_service_env).returncode == 0
    started = run_app(home, "--quit-after-startup", env=secret_service_env)
    assert started.returncode == 0, started.stderr
    files = [p for p in home.rglob("*") if p.is_file()]
    assert any(p.name == "settings.ini" for p in files) and any(p.name == "earned.db" for p in files)
    for path in files:
        assert PLANTED.encode() not in path.read_bytes(), f"the key leaked into {path}"
    grep = subprocess.run(["grep", "-r", "-l", PLANTED, str(home)], capture_output=True, text=True)
    assert grep.stdout == ""
