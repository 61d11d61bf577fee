"""Opening the workspace file: pragmas, migrations, and what to do when it is damaged."""
from __future__ import annotations

import os
import shutil
import sqlite3
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from app.core.errors import DiskFull, SchemaTooNew, StoreBusy, StoreError, StoreLocked

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
# How long one statement waits for another writer's lock; a write then keeps trying, telling
# the rep it waits, up to LOCK_WAIT_S in all (repo._Transaction).
BUSY_TIMEOUT_MS = int(os.environ.get("EARNED_BUSY_TIMEOUT_MS", "1000"))
LOCK_WAIT_S = float(os.environ.get("EARNED_LOCK_WAIT_S", "30"))

# SQLite's primary result codes (extended codes carry them in the low byte).
SQLITE_BUSY, SQLITE_LOCKED, SQLITE_READONLY, SQLITE_IOERR, SQLITE_CORRUPT, SQLITE_FULL, SQLITE_NOTADB = \
    5, 6, 8, 10, 11, 13, 26
LOW_SPACE_BYTES = 1024 * 1024  # below this, an I/O error on the workspace is a full disk


def error_code(error: sqlite3.Error) -> int:
    """The primary SQLite result code of an error (0 when sqlite3 did not give one)."""
    return (getattr(error, "sqlite_errorcode", None) or 0) & 0xFF


def is_busy(error: sqlite3.Error) -> bool:
    return error_code(error) in (SQLITE_BUSY, SQLITE_LOCKED)


def disk_is_full(error: sqlite3.Error, path: Path) -> bool:
    """SQLITE_FULL, or an I/O error (the -shm or -wal could not grow) on a volume with no room left."""
    code = error_code(error)
    if code == SQLITE_FULL:
        return True
    if code != SQLITE_IOERR:
        return False
    try:
        return shutil.disk_usage(path.parent).free < LOW_SPACE_BYTES
    except OSError:
        return False


def disk_full_message(path: Path) -> str:
    return (f"The disk is full: free some space on the drive that holds {path.parent} and try again. "
            "Nothing saved earlier was lost.")


def migrations() -> list[tuple[int, Path]]:
    """(version, file) for every migrations/NNNN_*.sql, in order."""
    found = sorted((int(p.name[:4]), p) for p in MIGRATIONS_DIR.glob("[0-9][0-9][0-9][0-9]_*.sql"))
    versions = [v for v, _ in found]
    assert versions == list(range(1, len(found) + 1)), f"migrations must be numbered 1..n: {versions}"
    return found


LATEST_VERSION = len(migrations())


@dataclass
class OpenedStore:
    conn: sqlite3.Connection
    path: Path
    created: bool  # a brand-new workspace (seed the demo prospect)
    notices: list[str] = field(default_factory=list)  # things the rep should be told


def connect(path: Path) -> sqlite3.Connection:
    # Autocommit mode: we open transactions ourselves (migrations, multi-row writes).
    # check_same_thread is off because the store runs on one worker thread at a
    # time (WorkspaceService), which is not always the thread that opened it.
    conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False, timeout=BUSY_TIMEOUT_MS / 1000)
    conn.row_factory = sqlite3.Row
    return conn


def _configure(conn: sqlite3.Connection) -> None:
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA foreign_keys=ON")
    conn.execute("PRAGMA synchronous=NORMAL")


def _check_readable(conn: sqlite3.Connection) -> int:
    """Touch the header and the schema so a damaged file fails here, not mid-session."""
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    result = conn.execute("PRAGMA quick_check(1)").fetchone()[0]
    if result != "ok":
        raise sqlite3.DatabaseError(f"quick_check: {result}")
    return version


def migrate(conn: sqlite3.Connection, upto: int = LATEST_VERSION) -> None:
    """Apply every migration above PRAGMA user_version, each in its own transaction."""
    current = conn.execute("PRAGMA user_version").fetchone()[0]
    for version, sql_file in migrations():
        if version <= current or version > upto:
            continue
        script = sql_file.read_text(encoding="utf-8")
        try:
            conn.executescript(f"BEGIN;\n{script}\nPRAGMA user_version = {version};\nCOMMIT;")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise


def _move_aside(path: Path) -> Path:
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.name}.corrupt-{stamp}")
    n = 1
    while target.exists():
        n += 1
        target = path.with_name(f"{path.name}.corrupt-{stamp}-{n}")
    path.rename(target)
    for suffix in ("-wal", "-shm"):
        side = path.with_name(path.name + suffix)
        if side.exists():
            side.rename(target.with_name(target.name + suffix))
    return target


def store_error(error: sqlite3.Error, path: Path) -> StoreError | None:
    """The rep's sentence for a SQLite error that is about the machine (a full disk, another writer,
    a read-only file) rather than a bug; None for a bug."""
    code = error_code(error)
    if disk_is_full(error, path):
        return DiskFull(disk_full_message(path))
    if code in (SQLITE_BUSY, SQLITE_LOCKED):
        return StoreBusy(f"Another Earned window or command is using the workspace at {path}; try again when it "
                         "finishes. Nothing saved earlier was lost.")
    if code == SQLITE_READONLY:
        return StoreError(f"Earned can't write to its workspace at {path}: the file or its folder is read-only. "
                          "Nothing saved earlier was lost.")
    return None


def explain(error: sqlite3.Error, path: Path) -> StoreError:
    """A SQLite error as a sentence the rep can act on, chosen by its result code."""
    code = error_code(error)
    if disk_is_full(error, path):
        return DiskFull(disk_full_message(path))
    if code in (SQLITE_BUSY, SQLITE_LOCKED):
        return StoreLocked(
            f"The workspace at {path} is in use by another program (is Earned already open?). "
            "Close the other one and try again."
        )
    if code == SQLITE_READONLY:
        return StoreError(
            f"Earned can't write to its workspace at {path}. Make the folder writable, "
            "or set EARNED_HOME to a folder you can write to."
        )
    return StoreError(
        f"Earned can't open its workspace at {path} ({error}). Check that the folder exists and "
        "is writable, or set EARNED_HOME to another folder."
    )


def open_store(path: Path) -> OpenedStore:
    """Open (creating or migrating) the workspace; a damaged file is moved aside, never lost."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise StoreError(
            f"Earned can't create its data folder {path.parent} ({e.strerror}). "
            "Set EARNED_HOME to a folder you can write to."
        ) from None
    if not os.access(path.parent, os.W_OK):
        raise StoreError(
            f"Earned can't write to its data folder {path.parent} (it is read-only). Make it writable, "
            "or set EARNED_HOME to a folder you can write to. Nothing in it was changed."
        )
    notices: list[str] = []
    existed = path.exists() and path.stat().st_size > 0
    conn = None
    try:
        conn = connect(path)
        version = _check_readable(conn)
    except sqlite3.DatabaseError as e:
        if conn is not None:
            conn.close()
        if isinstance(e, sqlite3.OperationalError) and not _looks_corrupt(e):
            raise explain(e, path) from None
        try:
            moved = _move_aside(path)
        except OSError as move_error:
            raise StoreError(
                f"The workspace at {path} is damaged and could not be moved aside ({move_error.strerror}). "
                "Move it away yourself, then start Earned again."
            ) from None
        notices.append(
            f"Your workspace file could not be read ({e}). It was kept as {moved.name} in {path.parent} "
            "and Earned started with a fresh workspace."
        )
        existed = False
        conn = connect(path)
        version = 0

    if version > LATEST_VERSION:
        conn.close()
        raise SchemaTooNew(
            f"The workspace at {path} was saved by a newer version of Earned (format {version}; this one "
            f"reads up to {LATEST_VERSION}). Update Earned to open it. The file was left untouched."
        )
    try:
        _configure(conn)
        migrate(conn)
    except sqlite3.Error as e:
        conn.close()
        raise explain(e, path) from None
    return OpenedStore(conn=conn, path=path, created=not existed, notices=notices)


def _looks_corrupt(error: sqlite3.Error) -> bool:
    # quick_check's own failure is raised as a plain DatabaseError (no code) by _check_readable.
    return error_code(error) in (SQLITE_CORRUPT, SQLITE_NOTADB) or "quick_check" in str(error)
