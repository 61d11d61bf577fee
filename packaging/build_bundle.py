#!/usr/bin/env python3
"""Build the one-folder bundle with PyInstaller: build/bundle/earned/earned[.exe].

    .venv/bin/python packaging/build_bundle.py     (needs: pip install -e '.[package]')
"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DIST = ROOT / "build" / "bundle"


def executable() -> Path:
    return DIST / "earned" / ("earned.exe" if sys.platform == "win32" else "earned")


def main() -> int:
    command = [sys.executable, "-m", "PyInstaller", "--noconfirm", "--clean", "--log-level", "WARN",
               "--distpath", str(DIST), "--workpath", str(ROOT / "build" / "pyinstaller"),
               str(ROOT / "packaging" / "earned.spec")]
    code = subprocess.call(command, cwd=ROOT)
    if code == 0:
        print(f"built {executable()}")
    return code


if __name__ == "__main__":
    sys.exit(main())
