"""Nothing lost: exports and backups never land on the workspace, writers wait for each other,
a full disk is said plainly and loses nothing, a damaged search index is rebuilt.

Each test drives the real CLI on a real SQLite file (and, for the full disk, a real tmpfs)."""
import csv
import io
import json
import os
import sqlite3
import subprocess
import sys

import pytest

from app.storage.database import open_store
from app.storage.export import to_csv, to_markdown
from app.storage.repo import WorkspaceRepo
from tests.conftest import ROOT, cli_env, run_app
from tests.fixtures.small_disk import small_disk  # noqa: F401 - a fixture


def _workspace(home):
    pid = run_app(home, "prospect", "add", "--company", "Acme Robotics", "--website", "acme.example").stdout.strip()
    assert run_app(home, "notes", "add", "--prospect", pid, "--text", "Opened a plant in Austin").returncode == 0
    return pid


def _notes(home, pid):
    proc = run_app(home, "notes", "list", "--prospect", pid, "--json")
    assert proc.returncode == 0, proc.stderr
    return [f["text"] for f in json.loads(proc.stdout)]


# -- exports, backups and restores never touch the workspace ------------------------------------
@pytest.mark.parametrize("how", ["file", "wal", "shm", "symlink", "hardlink", "relative"])
@pytest.mark.parametrize("command", [["export", "--format", "md", "--output"], ["export", "--format", "csv", "--output"],
                                     ["backup"], ["restore"]])
def test_the_workspace_is_never_an_export_backup_or_restore_target(earned_home, tmp_path, how, command):
    pid = _workspace(earned_home)
    db = earned_home / "earned.db"
    target = {"file": db, "wal": earned_home / "earned.db-wal", "shm": earned_home / "earned.db-shm",
              "symlink": tmp_path / "link.db", "hardlink": tmp_path / "hard.db",
              "relative": earned_home / "sub" / ".." / "earned.db"}[how]
    if how == "symlink":
        target.symlink_to(db)
    elif how == "hardlink":
        os.link(db, target)
    elif how == "relative":
        (earned_home / "sub").mkdir()
    before = db.read_bytes()
    proc = run_app(earned_home, *command, str(target))
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert "is your workspace itself" in proc.stderr and "Traceback" not in proc.stderr
    assert _notes(earned_home, pid) == ["Opened a plant in Austin"]
    if how != "wal":  # the WAL may be checkpointed into the file by the commands above
        assert db.read_bytes()[:16] == before[:16] == b"SQLite format 3\x00"


def test_export_replaces_a_file_whole_and_is_readable(earned_home, tmp_path):
    _workspace(earned_home)
    target = tmp_path / "out.csv"
    target.write_text("an older export\n")
    proc = run_app(earned_home, "export", "--format", "csv", "--output", str(target))
    assert proc.returncode == 0, proc.stderr
    rows = list(csv.reader(io.StringIO(target.read_text(encoding="utf-8"))))
    assert rows[0][:2] == ["prospect_id", "company"] and rows[1][4] == "Opened a plant in Austin"
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".partial")]


def test_backup_into_a_missing_folder_creates_nothing(earned_home, tmp_path):
    _workspace(earned_home)
    missing = tmp_path / "nonexistent"
    proc = run_app(earned_home, "backup", str(missing / "x.db"))
    assert proc.returncode == 2 and "does not exist" in proc.stderr, proc.stderr
    assert not missing.exists()


# -- hostile text in exports --------------------------------------------------------------------
@pytest.fixture
def repo(tmp_path):
    store = open_store(tmp_path / "ws" / "earned.db")
    yield WorkspaceRepo(store.conn)
    store.conn.close()


def test_no_csv_cell_can_run_as_a_formula(repo):
    p = repo.add_prospect('=HYPERLINK("http://evil.example","click")', "")
    repo.add_fact(p.id, "feed", "+1 sales grew", "https://acme.example/=cmd", "@SUM(A1)")
    repo.add_fact(p.id, "news", "-2 plants closed", "https://acme.example/x", "\tTabbed title")
    cells = [c for row in csv.reader(io.StringIO(to_csv(repo))) for c in row]
    assert cells, "the export has rows"
    dangerous = [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")]
    assert dangerous == []
    assert "'=HYPERLINK(\"http://evil.example\",\"click\")" in cells and "'+1 sales grew" in cells


@pytest.mark.parametrize("url", ["javascript:alert(1)", "data:text/html,<script>x</script>", "file:///etc/passwd",
                                 "JavaScript:alert(1)", " javascript:alert(1)"])
def test_markdown_links_only_http(repo, url):
    p = repo.add_prospect("Acme", "")
    repo.add_fact(p.id, "feed", "Acme launched a new line", url, "Their blog")
    repo.add_fact(p.id, "site", "Acme hires welders", "https://acme.example/jobs", "Careers")
    md = to_markdown(repo)
    assert "](" + url.strip() not in md and "javascript:" not in md.lower().replace("\\", "")
    assert "Acme launched a new line" in md and "(source: Their blog)" in md
    assert "[Careers](https://acme.example/jobs)" in md


# -- two writers --------------------------------------------------------------------------------
def test_writers_wait_for_each_other_and_no_note_is_lost(earned_home):
    pid = _workspace(earned_home)
    holder = sqlite3.connect(earned_home / "earned.db", isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another Earned in the middle of a long write (an import, say)
    holder.execute("INSERT INTO settings (key, value) VALUES ('held', '1')")
    env = cli_env(earned_home, {"EARNED_BUSY_TIMEOUT_MS": "100"})
    writers = [subprocess.Popen([sys.executable, "-m", "app", "notes", "add", "--prospect", pid, "--text",
                                 f"Note from writer {i}"], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True) for i in (1, 2)]
    try:
        # Each writer says it is waiting (today's code failed here with "database is locked").
        for w in writers:
            line = w.stderr.readline()
            assert "waiting for it to finish" in line, line
        holder.execute("COMMIT")
        results = [w.communicate(timeout=60) for w in writers]
    finally:
        if holder.in_transaction:
            holder.execute("ROLLBACK")
        holder.close()
        for w in writers:
            w.kill() if w.poll() is None else None
    assert [w.returncode for w in writers] == [0, 0], results
    assert sorted(_notes(earned_home, pid)) == ["Note from writer 1", "Note from writer 2", "Opened a plant in Austin"]


def test_a_writer_that_waits_too_long_says_so_plainly(earned_home):
    pid = _workspace(earned_home)
    holder = sqlite3.connect(earned_home / "earned.db", isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        proc = run_app(earned_home, "notes", "add", "--prospect", pid, "--text", "too late",
                       env={"EARNED_BUSY_TIMEOUT_MS": "50", "EARNED_LOCK_WAIT_S": "0.2"})
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert proc.returncode == 2, proc.stderr
    assert "was not saved" in proc.stderr and "internal error" not in proc.stderr
    assert _notes(earned_home, pid) == ["Opened a plant in Austin"]


# -- a damaged search index ---------------------------------------------------------------------
def _damage_search_index(db):
    conn = sqlite3.connect(db)
    conn.execute("UPDATE facts_fts_data SET block = x'ffffffff' WHERE id = 10")  # the index's structure record
    conn.commit()
    conn.close()


def test_a_damaged_search_index_is_rebuilt_and_the_rep_told(earned_home):
    pid = _workspace(earned_home)
    _damage_search_index(earned_home / "earned.db")
    proc = run_app(earned_home, "notes", "add", "--prospect", pid, "--text", "Won a state contract in May")
    assert proc.returncode == 0, proc.stderr
    assert "search index" in proc.stderr and "rebuilt" in proc.stderr
    found = run_app(earned_home, "notes", "search", "austin plant", "--json")
    assert [f["text"] for f in json.loads(found.stdout)] == ["Opened a plant in Austin"]
    assert sorted(_notes(earned_home, pid)) == ["Opened a plant in Austin", "Won a state contract in May"]


def test_search_on_a_damaged_index_rebuilds_it_instead_of_finding_nothing(earned_home):
    _workspace(earned_home)
    _damage_search_index(earned_home / "earned.db")
    found = run_app(earned_home, "notes", "search", "austin", "--json")
    assert found.returncode == 0 and "rebuilt" in found.stderr, found.stderr
    assert [f["text"] for f in json.loads(found.stdout)] == ["Opened a plant in Austin"]


# -- a full disk --------------------------------------------------------------------------------
def test_a_full_disk_is_said_plainly_and_loses_nothing(small_disk, tmp_path):
    home = small_disk.path / "workspace"
    pid = _workspace(home)
    old_export = small_disk.path / "research.md"
    assert run_app(home, "export", "--format", "md", "--output", str(old_export)).returncode == 0
    exported = old_export.read_bytes()
    small_disk.fill()

    big = "A long note about their new plant. " * 2000  # needs new pages: cannot fit
    proc = run_app(home, "notes", "add", "--prospect", pid, "--text", big)
    assert proc.returncode == 2, proc.stderr
    assert "The disk is full" in proc.stderr and "Nothing saved earlier was lost" in proc.stderr
    assert "internal error" not in proc.stderr
    # An export over the old one fails whole: the old file is as it was, no partial file left.
    proc = run_app(home, "export", "--format", "md", "--output", str(old_export))
    assert proc.returncode == 2 and "disk is full" in proc.stderr.lower(), proc.stderr
    assert old_export.read_bytes() == exported
    assert not [p for p in small_disk.path.iterdir() if p.name.endswith(".partial")]
    # The window is not "already open": it says the disk is full.
    proc = run_app(home, "--quit-after-startup")
    assert proc.returncode != 0 and "already open" not in proc.stderr
    assert "disk is full" in proc.stderr.lower() or "can't" in proc.stderr, proc.stderr

    small_disk.free()
    assert run_app(home, "notes", "add", "--prospect", pid, "--text", big).returncode == 0
    assert run_app(home, "--quit-after-startup").returncode == 0
    assert _notes(home, pid) == [" ".join(big.split()), "Opened a plant in Austin"]
