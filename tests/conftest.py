"""Shared fixtures: a temp workspace per test, the CLI as a subprocess, a real Secret Service."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

# Before anything imports Qt: no display here, and none needed.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parent.parent
IN_CI = os.environ.get("CI", "").lower() == "true"


def skip_or_fail(reason: str):
    """A missing real component skips on a laptop but fails the run in CI."""
    if IN_CI:
        pytest.fail(f"{reason} (CI=true: real components are required)")
    pytest.skip(reason)


@pytest.fixture
def earned_home(tmp_path, monkeypatch) -> Path:
    home = tmp_path / "workspace"
    monkeypatch.setenv("EARNED_HOME", str(home))
    return home


def cli_env(home: Path, extra: dict | None = None) -> dict:
    env = dict(os.environ)
    env["EARNED_HOME"] = str(home)
    env["QT_QPA_PLATFORM"] = "offscreen"
    env.update(extra or {})
    return env


def run_app(home: Path, *args, input: str | bytes | None = None, env: dict | None = None, timeout: float = 60):
    """Run `python -m app ARGS` as the rep would; returns the CompletedProcess (text mode)."""
    return subprocess.run(
        [sys.executable, "-m", "app", *args], cwd=ROOT, env=cli_env(home, env), input=input,
        capture_output=True, text=isinstance(input, str) or input is None, timeout=timeout,
    )


@pytest.fixture(scope="session")
def secret_service_env():
    """A private D-Bus session with gnome-keyring unlocked, so tests never touch the rep's own keychain.

    The daemons keep their files in a temporary HOME and are stopped by PID (tests/fixtures/secret_service.py).
    Yields what a client process needs in its environment; this process gets it too while the session lasts.
    """
    from tests.fixtures import secret_service

    try:
        service = secret_service.start()
    except secret_service.Unavailable as exc:
        skip_or_fail(str(exc))
    previous = os.environ.get("DBUS_SESSION_BUS_ADDRESS")
    os.environ["DBUS_SESSION_BUS_ADDRESS"] = service.address
    try:
        yield dict(service.env)
    finally:
        if previous is None:
            os.environ.pop("DBUS_SESSION_BUS_ADDRESS", None)
        else:
            os.environ["DBUS_SESSION_BUS_ADDRESS"] = previous
        secret_service.stop(service)


@pytest.fixture
def no_gdelt_spacing(monkeypatch):
    """The API sources' spacing (GDELT: 5 s between requests) on a clock that never really waits,
    for tests against local servers. Yields the clock: its .sleeps are the pauses asked for."""
    import app.research.sources.api as api
    from tests.fixtures.fake_clock import FakeClock

    clock = FakeClock()
    monkeypatch.setattr(api, "Clock", lambda: clock)
    yield clock


@pytest.fixture(autouse=True, scope="session")
def _cache_in_tmp(tmp_path_factory):
    """Sources cache public files (the SEC's list of companies): in tests, never in the user's cache."""
    folder = tmp_path_factory.mktemp("cache")
    previous = os.environ.get("EARNED_CACHE_DIR")
    os.environ["EARNED_CACHE_DIR"] = str(folder)
    yield folder
    if previous is None:
        os.environ.pop("EARNED_CACHE_DIR", None)
    else:
        os.environ["EARNED_CACHE_DIR"] = previous


@pytest.fixture(autouse=True)
def _fresh_api_state():
    """Each test starts with no API spacing or failures left by another (that state is process-wide)."""
    from app.research.sources import api

    api.reset()
    yield
    api.reset()


@pytest.fixture
def site(no_gdelt_spacing):
    """The test company's website, feed and news APIs on 127.0.0.1."""
    from tests.fixtures.company_site import serve_company
    from tests.fixtures.http_server import LocalServer

    with LocalServer() as server:
        yield serve_company(server)


@pytest.fixture(autouse=True)
def _forget_secrets(monkeypatch):
    """Keys registered for redaction by one test must not mask text in the next (the registry is
    process-wide, as in the app)."""
    import app.core.redact as redact

    monkeypatch.setattr(redact, "_secrets", {})
    monkeypatch.setattr(redact, "_snapshot", ())
