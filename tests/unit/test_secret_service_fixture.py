"""The private Secret Service the real-keyring tests use: it must leave the rep's own keyring and
processes alone (tests/fixtures/secret_service.py, behind conftest's secret_service_env)."""
import os
import signal
import subprocess
from pathlib import Path

import pytest

from app.secrets import SecretStore
from tests.conftest import skip_or_fail
from tests.fixtures import secret_service

pytestmark = pytest.mark.real_keyring

PLANTED = "sk-planted-8d1f3a5c9e7b"
# What the old fixture's teardown ran `pkill -f` with.
KEYRING_CMDLINE = "gnome-keyring-daemon --unlock --components=secrets"


@pytest.fixture
def service():
    try:
        started = secret_service.start()
    except secret_service.Unavailable as exc:
        skip_or_fail(str(exc))
    try:
        yield started
    finally:
        secret_service.stop(started)


def listing(directory: Path) -> dict[str, tuple[int, int]] | None:
    """{file name: (mtime_ns, size)} for a directory, or None if it does not exist."""
    if not directory.is_dir():
        return None
    return {p.name: (p.stat().st_mtime_ns, p.stat().st_size) for p in directory.iterdir()}


def real_keyrings_dir() -> Path:
    data_home = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(data_home) / "keyrings"


def processes_with_env(name: str, value: str) -> list[int]:
    """PIDs of this user's processes whose environment has name=value."""
    wanted = f"{name}={value}".encode()
    found = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            if wanted in (proc / "environ").read_bytes().split(b"\0"):
                found.append(int(proc.name))
        except OSError:  # gone meanwhile, or another user's
            pass
    return found


def test_keyring_files_go_to_the_private_home_not_the_real_one(service, monkeypatch):
    real = real_keyrings_dir()
    assert not real.is_relative_to(service.home)
    before = listing(real)
    private_before = listing(service.keyrings_dir)
    assert private_before and "login.keyring" in private_before  # --unlock made the login keyring here

    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", service.address)
    from keyring.backends.SecretService import Keyring as SecretServiceKeyring

    store = SecretStore(SecretServiceKeyring())
    store.set("newsapi", PLANTED)
    assert store.get("newsapi") == PLANTED

    private_after = listing(service.keyrings_dir)
    assert private_after["login.keyring"] != private_before["login.keyring"]  # the secret was written here
    assert listing(real) == before, f"{real} changed while the private Secret Service was running"


def test_stop_ends_only_its_own_daemons(service):
    decoy = subprocess.Popen(["bash", "-c", f"exec -a '{KEYRING_CMDLINE}' sleep 300"])
    try:
        # The decoy is what the old teardown's `pkill -f` would have killed.
        matched = subprocess.run(["pgrep", "-f", KEYRING_CMDLINE], capture_output=True, text=True)
        assert str(decoy.pid) in matched.stdout.split()
        assert set(service.pids) == {service.bus.pid, service.keyring.pid}
        assert all(proc.poll() is None for proc in (service.bus, service.keyring))
        assert sorted(processes_with_env("HOME", str(service.home))) == sorted(service.pids)

        secret_service.stop(service)

        assert decoy.poll() is None, "stopping the Secret Service killed an unrelated gnome-keyring-daemon"
    finally:
        decoy.kill()
        decoy.wait(timeout=10)
    # A SIGTERM sent by stop() would have been the exit status even if the process took a while to die.
    assert decoy.returncode == -signal.SIGKILL
    assert all(proc.returncode is not None for proc in (service.bus, service.keyring))
    assert not any(Path(f"/proc/{pid}").exists() for pid in service.pids)
    assert processes_with_env("HOME", str(service.home)) == []
    assert not service.home.exists()
