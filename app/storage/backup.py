"""Backup and restore the whole workspace as one file, with SQLite's online backup API.

The backup API copies a consistent snapshot even while the app is writing. Restore checks
the file first (is it an Earned workspace, from this version or older, undamaged?) and keeps
a copy of the current workspace before replacing it.
"""
from __future__ import annotations

import sqlite3
from datetime import datetime
from pathlib import Path

from app.core.errors import InputError, StoreError

from .database import LATEST_VERSION, migrate
from .safe_files import atomic_file, refuse_workspace, require_folder

SQLITE_MAGIC = b"SQLite format 3\x00"
REQUIRED_TABLES = {"prospects", "facts", "drafts", "touches"}


def workspace_path(live: sqlite3.Connection) -> Path:
    """The file behind an open workspace connection."""
    return Path(live.execute("PRAGMA database_list").fetchone()[2])


def backup(live: sqlite3.Connection, target: Path) -> Path:
    """Write a snapshot of the open workspace to target (replacing a file there), whole or not at all."""
    target = target.expanduser().absolute()
    refuse_workspace(target, workspace_path(live), "write a backup over")
    require_folder(target)
    with atomic_file(target, f"the backup to {target}") as tmp:
        dest = sqlite3.connect(tmp)
        try:
            live.backup(dest)
            dest.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
        finally:
            dest.close()
    return target


def check_backup(path: Path) -> int:
    """The backup's format version; InputError (saying why) if it is not a usable Earned workspace."""
    path = path.expanduser()
    try:
        with path.open("rb") as f:
            head = f.read(100)
    except OSError as e:
        raise InputError(f"Can't read {path}: {e.strerror}.") from None
    if not head.startswith(SQLITE_MAGIC):
        raise InputError(f"{path.name} is not an Earned workspace backup (it is not a SQLite database).")
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            check = conn.execute("PRAGMA integrity_check(1)").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.DatabaseError as e:
        raise InputError(f"{path.name} is damaged or incomplete ({e}); it was not restored.") from None
    if check != "ok":
        raise InputError(f"{path.name} is damaged or incomplete ({check}); it was not restored.")
    if version > LATEST_VERSION:
        raise InputError(f"{path.name} comes from a newer version of Earned (format {version}; this one reads up "
                         f"to {LATEST_VERSION}). Update Earned to restore it.")
    if version < 1 or not REQUIRED_TABLES <= tables:
        raise InputError(f"{path.name} is a SQLite database, but not an Earned workspace.")
    return version


def restore(live: sqlite3.Connection, live_path: Path, source: Path) -> Path:
    """Replace the workspace with source; returns where the previous workspace was kept."""
    refuse_workspace(source.expanduser().absolute(), live_path, "restore from")
    check_backup(source)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    kept = backup(live, live_path.with_name(f"{live_path.name}.before-restore-{stamp}"))
    src = sqlite3.connect(f"file:{source.expanduser()}?mode=ro", uri=True)
    try:
        src.backup(live)
    except sqlite3.DatabaseError as e:
        raise StoreError(f"Restoring failed ({e}); your workspace is as it was, and also kept as {kept.name}.") from None
    finally:
        src.close()
    live.execute("PRAGMA journal_mode=WAL")
    live.execute("PRAGMA foreign_keys=ON")
    migrate(live)  # a backup from an older version is brought up to date
    return kept
