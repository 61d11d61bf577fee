"""Shipping: the wheel installed into a fresh virtualenv, and the PyInstaller bundle, both start.

Slow (they build things): marked `slow`, and run in CI.
"""
import json
import os
import shutil
import subprocess
import sys
import venv
import zipfile
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
    # Built from a copy of the project: setuptools writes build/ beside the source, and a stale build/lib
    # left there (a module since moved) would be packed into the wheel.
    source = tmp_path / "source"
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(
        ".git", ".venv", "build", "dist", "*.egg-info", "__pycache__", ".pytest_cache"))
    built = subprocess.run([sys.executable, "-m", "build", "--wheel", "--outdir", str(dist), str(source)],
                           capture_output=True, text=True, timeout=600)
    assert built.returncode == 0, built.stdout[-2000:] + built.stderr[-2000:]
    [wheel] = list(dist.glob("earned-*.whl"))
    # pyproject.toml says Apache-2.0: the license text ships in the wheel's .dist-info.
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        # Every module of the app is in it (pyproject lists the packages one by one).
        modules = {p.relative_to(ROOT).as_posix() for p in (ROOT / "app").rglob("*.py")}
        assert modules <= set(names), f"not in the wheel: {sorted(modules - set(names))}"
        licenses = [n for n in names if n.split("/")[0].endswith(".dist-info") and n.rsplit("/", 1)[-1] == "LICENSE"]
        assert len(licenses) == 1, f"no LICENSE in the wheel's .dist-info: {[n for n in names if 'dist-info' in n]}"
        assert archive.read(licenses[0]) == (ROOT / "LICENSE").read_bytes()
        [metadata] = [n for n in names if n.endswith(".dist-info/METADATA")]
        assert "License-File: LICENSE" in archive.read(metadata).decode().splitlines()
    assert b"Apache License" in (ROOT / "LICENSE").read_bytes()
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    bin_dir = env_dir / ("Scripts" if os.name == "nt" else "bin")
    installed = subprocess.run([str(bin_dir / "python"), "-m", "pip", "install", "--quiet", str(wheel)],
                               capture_output=True, text=True, timeout=900)
    assert installed.returncode == 0, installed.stderr[-3000:]
    # Run from elsewhere, so the source tree can't stand in for the installed package.
    _check_program([str(bin_dir / "earned")], tmp_path / "home", cwd=tmp_path, site=site)


def _build_folders() -> dict[str, dict[str, int] | None]:
    """The checkout's build/ and dist/: {path inside: mtime_ns} for everything in each, or None if absent."""
    found = {}
    for name in ("build", "dist"):
        top = ROOT / name
        if not top.is_dir():
            found[name] = None
            continue
        found[name] = {}
        for folder, dirs, files in os.walk(top):
            for entry in (*dirs, *files):
                path = Path(folder) / entry
                found[name][str(path.relative_to(top))] = path.lstat().st_mtime_ns
    return found


def test_pyinstaller_bundle_builds_and_starts(tmp_path, site):
    sys.path.insert(0, str(ROOT / "packaging"))
    import build_bundle

    # Leftovers from a developer's own build may be there: the build must just not add to or change them.
    before = _build_folders()
    dist = tmp_path / "bundle"
    code = subprocess.call([sys.executable, str(ROOT / "packaging" / "build_bundle.py"), "--distpath", str(dist),
                            "--workpath", str(tmp_path / "pyinstaller")], cwd=ROOT, timeout=1800)
    assert code == 0
    after = _build_folders()
    for name in ("build", "dist"):
        if before[name] is None:
            assert after[name] is None, f"building the bundle created {ROOT / name}"
        else:
            changed = sorted({path for path, _ in set(before[name].items()) ^ set(after[name].items())})
            assert not changed, f"building the bundle wrote into {ROOT / name}: {changed[:10]}"
    executable = build_bundle.executable(dist)
    assert executable.is_file()
    _check_program([str(executable)], tmp_path / "home", cwd=tmp_path, site=site)
