"""Shipping: the wheel installed into a fresh virtualenv, and the PyInstaller bundle, both start.

Slow (they build things): marked `slow`, and run in CI.
"""
import json
import os
import subprocess
import sys
import venv
from pathlib import Path

import pytest

from app import __version__
from tests.conftest import ROOT, cli_env

pytestmark = pytest.mark.slow


def _check_program(command: list[str], home: Path, cwd: Path, site=None) -> None:
    env = cli_env(home)
    env.pop("PYTHONPATH", None)
    version = subprocess.run([*command, "--version"], capture_output=True, text=True, env=env, cwd=cwd, timeout=120)
    assert version.returncode == 0, version.stderr
    assert version.stdout.strip() == f"Earned {__version__}"
    started = subprocess.run([*command, "--quit-after-startup"], capture_output=True, text=True, env=env, cwd=cwd,
                             timeout=180)
    assert started.returncode == 0, started.stderr
    # Its resources came along: the demo workspace was seeded and the rule pack loads.
    listed = subprocess.run([*command, "prospect", "list", "--json"], capture_output=True, text=True, env=env,
                            cwd=cwd, timeout=120)
    assert [p["company"] for p in json.loads(listed.stdout)] == ["Harbor & Pine Freight"]
    rules = subprocess.run([*command, "rules"], capture_output=True, text=True, env=env, cwd=cwd, timeout=120)
    assert rules.returncode == 0 and "cites-research" in rules.stdout
    if site is not None:  # the extractors' own data files came along too
        found = subprocess.run([*command, "research", "--url", site.base, "--no-news", "--max-pages", "2", "--json"],
                               capture_output=True, text=True, env=env, cwd=cwd, timeout=120)
        assert found.returncode == 0, found.stderr
        facts = json.loads(found.stdout)["facts"]
        assert any("second factory in Tacoma" in f["text"] for f in facts), found.stdout[:2000]


def test_wheel_installs_into_a_fresh_virtualenv_and_runs(tmp_path, site):
    dist = tmp_path / "dist"
    built = subprocess.run([sys.executable, "-m", "build", "--wheel", "--outdir", str(dist), str(ROOT)],
                           capture_output=True, text=True, timeout=600)
    assert built.returncode == 0, built.stdout[-2000:] + built.stderr[-2000:]
    [wheel] = list(dist.glob("earned-*.whl"))
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    bin_dir = env_dir / ("Scripts" if os.name == "nt" else "bin")
    installed = subprocess.run([str(bin_dir / "python"), "-m", "pip", "install", "--quiet", str(wheel)],
                               capture_output=True, text=True, timeout=900)
    assert installed.returncode == 0, installed.stderr[-3000:]
    # Run from elsewhere, so the source tree can't stand in for the installed package.
    _check_program([str(bin_dir / "earned")], tmp_path / "home", cwd=tmp_path, site=site)


def test_pyinstaller_bundle_builds_and_starts(tmp_path, site):
    sys.path.insert(0, str(ROOT / "packaging"))
    import build_bundle

    code = subprocess.call([sys.executable, str(ROOT / "packaging" / "build_bundle.py")], cwd=ROOT, timeout=1800)
    assert code == 0
    _check_program([str(build_bundle.executable())], tmp_path / "home", cwd=tmp_path, site=site)
