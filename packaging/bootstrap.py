#!/usr/bin/env python3
"""Set up a virtualenv in .venv and run Earned or its tests. Needs only Python 3.11+.

    python3 packaging/bootstrap.py run    # the app, on a workspace in ./.workspace
    python3 packaging/bootstrap.py test   # the whole test suite (extra args go to pytest)
"""
from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")


def _say(message: str) -> None:
    print(f"[earned] {message}", flush=True)


def ensure_venv(extras: str) -> None:
    if sys.version_info < (3, 11):
        sys.exit(f"Earned needs Python 3.11 or newer; this is {sys.version.split()[0]}.")
    if not PYTHON.exists():
        _say(f"creating a virtualenv in {VENV}")
        venv.EnvBuilder(with_pip=True).create(VENV)
    # Reinstall only when the dependencies changed: the stamp is the hash of pyproject.toml.
    stamp = VENV / f".installed-{extras or 'app'}"
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if stamp.exists() and stamp.read_text() == digest:
        return
    # pip 23 (Python 3.11.7's) mis-resolves lxml's html_clean extra: upgrade it first.
    _say("installing dependencies (first run only)")
    target = f".[{extras}]" if extras else "."
    for step in (["install", "--upgrade", "pip"], ["install", "-e", target]):
        # pip's and setuptools' chatter only matters when something fails.
        done = subprocess.run([str(PYTHON), "-m", "pip", "--quiet", *step], cwd=ROOT, capture_output=True, text=True)
        if done.returncode != 0:
            sys.stderr.write(done.stdout + done.stderr)
            sys.exit(f"[earned] installing failed (pip {' '.join(step)}); see the messages above.")
    stamp.write_text(digest)


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in ("run", "test"):
        print(__doc__)
        return 2
    command, rest = argv[0], argv[1:]
    if command == "run":
        ensure_venv("")
        env = dict(os.environ)
        env.setdefault("EARNED_HOME", str(ROOT / ".workspace"))
        _say(f"workspace: {env['EARNED_HOME']}")
        return subprocess.call([str(PYTHON), "-m", "app", *rest], env=env, cwd=ROOT)
    ensure_venv("test")
    return subprocess.call([str(PYTHON), "-m", "pytest", *rest], cwd=ROOT)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
