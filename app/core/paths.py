"""Where the workspace lives: EARNED_HOME, else the platform's user data dir; and where files Earned
can fetch again are kept: EARNED_CACHE_DIR, else the platform's user cache dir."""
from __future__ import annotations

import os
import re
from pathlib import Path

import platformdirs

DB_NAME = "earned.db"


def data_dir() -> Path:
    home = os.environ.get("EARNED_HOME")
    if home:
        return Path(home).expanduser().absolute()
    return Path(platformdirs.user_data_dir("Earned", appauthor=False))


def cache_dir() -> Path:
    """Copies of public files Earned can fetch again (the SEC's list of companies): never the workspace,
    so clearing the cache loses nothing."""
    override = os.environ.get("EARNED_CACHE_DIR")
    if override:
        return Path(override).expanduser().absolute()
    return Path(platformdirs.user_cache_dir("Earned", appauthor=False))


def database_path() -> Path:
    return data_dir() / DB_NAME


def resources_dir() -> Path:
    """The bundled resources (rule packs, demo workspace, icons)."""
    here = Path(__file__).resolve().parent.parent  # app/
    for candidate in (here.parent / "resources", here / "resources"):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError("Earned's resources folder is missing; reinstall Earned.")


_UNSAFE_NAME_CHARS = re.compile(r"[^\w\s.,&()+'-]", re.UNICODE)
_WINDOWS_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(1, 10)), *(f"lpt{i}" for i in range(1, 10))}


def safe_file_name(name: str, suffix: str = "", fallback: str = "export") -> str:
    """A file name made from text the rep did not choose (a company name): never a path, never hidden.

    Separators, dots that climb ("../"), control and shell-special characters all become "-",
    so a company named "../../tmp/x" proposes "tmp-x.md" in the folder the rep picked."""
    slug = _UNSAFE_NAME_CHARS.sub("-", " ".join(name.split()))
    slug = re.sub(r"-{2,}", "-", slug).strip(" .-")[:80].strip(" .-")
    if not slug or slug.lower().split(".")[0] in _WINDOWS_RESERVED:
        slug = fallback
    return slug + suffix
