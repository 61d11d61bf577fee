"""The whole program starting, as `python -m app --quit-after-startup` (a real process each time)."""
import hashlib
import json
import sqlite3

from PySide6.QtCore import QLockFile

from app.storage.database import LATEST_VERSION, open_store
from app.storage.repo import WorkspaceRepo
from tests.conftest import run_app


def test_first_launch_creates_a_workspace_with_the_demo_prospect(earned_home):
    proc = run_app(earned_home, "--quit-after-startup")
    assert proc.returncode == 0, proc.stderr
    prospects = json.loads(run_app(earned_home, "prospect", "list", "--json").stdout)
    assert [p["company"] for p in prospects] == ["Harbor & Pine Freight"]
    facts = json.loads(run_app(earned_home, "notes", "list", "--prospect", str(prospects[0]["id"]), "--json").stdout)
    assert len(facts) >= 3
    # A second launch does not seed it again.
    assert run_app(earned_home, "--quit-after-startup").returncode == 0
    assert len(json.loads(run_app(earned_home, "prospect", "list", "--json").stdout)) == 1


def test_corrupt_workspace_is_kept_aside_and_the_app_starts(earned_home):
    earned_home.mkdir(parents=True)
    (earned_home / "earned.db").write_bytes(b"\x00garbage" * 1000)
    proc = run_app(earned_home, "--quit-after-startup")
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    kept = list(earned_home.glob("earned.db.corrupt-*"))
    assert len(kept) == 1 and kept[0].read_bytes() == b"\x00garbage" * 1000
    conn = sqlite3.connect(earned_home / "earned.db")
    assert conn.execute("PRAGMA user_version").fetchone()[0] == LATEST_VERSION


def test_newer_workspace_is_refused_and_left_untouched(earned_home):
    earned_home.mkdir(parents=True)
    db = earned_home / "earned.db"
    conn = sqlite3.connect(db)
    conn.execute(f"PRAGMA user_version = {LATEST_VERSION + 1}")
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    before = hashlib.sha256(db.read_bytes()).hexdigest()
    proc = run_app(earned_home, "--quit-after-startup")
    assert proc.returncode == 2
    assert "newer version of Earned" in proc.stderr and "Traceback" not in proc.stderr
    assert hashlib.sha256(db.read_bytes()).hexdigest() == before


def test_second_instance_on_the_same_workspace_is_told_so(earned_home):
    earned_home.mkdir(parents=True)
    lock = QLockFile(str(earned_home / "earned.lock"))  # held by this (live) process
    assert lock.tryLock(0)
    try:
        proc = run_app(earned_home, "--quit-after-startup")
    finally:
        lock.unlock()
    assert proc.returncode == 1
    assert "already open" in proc.stderr and "Traceback" not in proc.stderr


def test_unwritable_data_folder_is_explained(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    proc = run_app(blocker / "ws", "--quit-after-startup")
    assert proc.returncode == 2
    assert "EARNED_HOME" in proc.stderr and "Traceback" not in proc.stderr


def test_starts_on_a_workspace_of_twenty_thousand_facts(earned_home):
    store = open_store(earned_home / "earned.db")
    repo = WorkspaceRepo(store.conn)
    with repo.transaction():
        ids = [repo.add_prospect(f"Company {i}").id for i in range(100)]
        for n in range(20_000):
            repo.add_fact(ids[n % 100], "site", f"Fact {n}: Company {n % 100} opened site {n} with {n % 7} docks.")
    store.conn.close()
    proc = run_app(earned_home, "--quit-after-startup")
    assert proc.returncode == 0, proc.stderr
    count = sqlite3.connect(earned_home / "earned.db").execute("SELECT count(*) FROM facts").fetchone()[0]
    assert count == 20_000


def test_read_only_workspace_is_explained_and_left_as_it_was(earned_home):
    """As root, permissions don't stop writes: a read-only bind mount in a user namespace does."""
    import shutil
    import subprocess
    import sys

    from tests.conftest import ROOT, cli_env, skip_or_fail

    assert run_app(earned_home, "prospect", "add", "--company", "Acme").returncode == 0
    before = hashlib.sha256((earned_home / "earned.db").read_bytes()).hexdigest()
    if not shutil.which("unshare"):
        skip_or_fail("needs util-linux's unshare to mount the workspace read-only")
    probe = subprocess.run(["unshare", "-rm", "true"], capture_output=True)
    if probe.returncode != 0:
        skip_or_fail(f"user namespaces are not available here: {probe.stderr.decode().strip()}")
    script = (f'mount --bind "{earned_home}" "{earned_home}" && mount -o remount,bind,ro "{earned_home}" && '
              f'"{sys.executable}" -m app prospect add --company B; echo "cli=$?"; '
              f'"{sys.executable}" -m app --quit-after-startup; echo "gui=$?"')
    proc = subprocess.run(["unshare", "-rm", "sh", "-c", script], cwd=ROOT, env=cli_env(earned_home),
                          capture_output=True, text=True, timeout=60)
    assert "cli=2" in proc.stdout and "gui=2" in proc.stdout, proc.stdout + proc.stderr
    assert "read-only" in proc.stderr.lower() and "Traceback" not in proc.stderr
    assert hashlib.sha256((earned_home / "earned.db").read_bytes()).hexdigest() == before
