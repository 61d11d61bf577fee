#!/usr/bin/env python3
"""Build the one-folder bundle with PyInstaller: build/bundle/earned/earned[.exe].

    .venv/bin/python packaging/build_bundle.py     (needs: pip install -e '.[package]')

PyInstaller's scratch files go to build/pyinstaller. --distpath DIR and --workpath DIR put the
bundle (DIR/earned/earned) and the scratch files elsewhere, as the tests do with a temporary folder.
"""
from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DIST = ROOT / "build" / "bundle"
WORK = ROOT / "build" / "pyinstaller"


def executable(dist: Path = DIST) -> Path:
    return Path(dist) / "earned" / ("earned.exe" if sys.platform == "win32" else "earned")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Build Earned's one-folder bundle with PyInstaller.")
    parser.add_argument("--distpath", type=Path, default=DIST,
                        help=f"where the bundle goes, as DISTPATH/earned/ (default: {DIST.relative_to(ROOT)})")
    parser.add_argument("--workpath", type=Path, default=WORK,
                        help=f"PyInstaller's scratch folder (default: {WORK.relative_to(ROOT)})")
    args = parser.parse_args(argv)
    dist, work = args.distpath.resolve(), args.workpath.resolve()
    command = [sys.executable, "-m", "PyInstaller", "--noconfirm", "--clean", "--log-level", "WARN",
               "--distpath", str(dist), "--workpath", str(work), str(ROOT / "packaging" / "earned.spec")]
    code = subprocess.call(command, cwd=ROOT)
    if code == 0:
        print(f"built {executable(dist)}")
    return code


if __name__ == "__main__":
    sys.exit(main())
