"""Writing files beside the workspace without ever harming it: no target that is the workspace,
and every file written whole or not at all."""
from __future__ import annotations

import errno
import os
import sqlite3
import tempfile
from contextlib import contextmanager
from pathlib import Path

from app.core.errors import InputError, StoreError

from .database import disk_full_message, disk_is_full

SIDE_FILES = ("", "-wal", "-shm", "-journal")


def _same_file(a: Path, b: Path) -> bool:
    """Same path once links are followed, or the same inode (a hard link)."""
    if a.resolve() == b.resolve():
        return True
    try:
        return os.path.samefile(a, b)
    except OSError:  # one of them does not exist: then only the path could match
        return False


def refuse_workspace(target: Path, workspace: Path, doing: str) -> None:
    """InputError if target is the workspace file, one of its -wal/-shm files, or a link to them."""
    for suffix in SIDE_FILES:
        if _same_file(target, workspace.with_name(workspace.name + suffix)):
            raise InputError(f"{target} is your workspace itself (or one of its files): Earned won't {doing} "
                             "it. Choose another file. Nothing was changed.")


def require_folder(target: Path) -> None:
    """The folder a file goes into must exist: a typo must not create folders all over the disk."""
    if target.is_dir():
        raise InputError(f"{target} is a folder; give a file name, e.g. {target / 'earned-export.md'}.")
    if not target.parent.is_dir():
        raise InputError(f"The folder {target.parent} does not exist. Choose an existing folder; nothing was written.")


@contextmanager
def atomic_file(target: Path, what: str = ""):
    """A temporary path beside target to write the whole file to; on success it is fsynced and renamed
    over target, so a crash or a full disk leaves the old file (or none), never half a file. Any
    failure removes it and says what happened. The file is readable by its owner only (mkstemp's
    mode): exports and backups hold the rep's research and contacts."""
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".partial", dir=target.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        yield tmp
        with tmp.open("rb+") as f:
            os.fsync(f.fileno())
        os.replace(tmp, target)
        fsync_folder(target.parent)
    except (OSError, sqlite3.Error) as e:
        tmp.unlink(missing_ok=True)
        full = getattr(e, "errno", None) == errno.ENOSPC or (isinstance(e, sqlite3.Error) and disk_is_full(e, target))
        why = disk_full_message(target) if full else f"{getattr(e, 'strerror', None) or e}. Nothing was changed."
        raise StoreError(f"Can't write {what or target}: {why}") from None


def write_atomically(target: Path, data: bytes) -> None:
    """data as the whole content of target, or target as it was (see atomic_file)."""
    with atomic_file(target) as tmp:
        tmp.write_bytes(data)


def fsync_folder(folder: Path) -> None:
    """The rename itself must survive a power cut (POSIX); Windows has no folder handles to sync."""
    if os.name == "nt":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
