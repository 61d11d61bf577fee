"""Where the workspace lives: EARNED_HOME, else the platform's user data dir."""
from __future__ import annotations

import os
from pathlib import Path

import platformdirs

DB_NAME = "earned.db"


def data_dir() -> Path:
    home = os.environ.get("EARNED_HOME")
    if home:
        return Path(home).expanduser().absolute()
    return Path(platformdirs.user_data_dir("Earned", appauthor=False))


def database_path() -> Path:
    return data_dir() / DB_NAME


def resources_dir() -> Path:
    """The bundled resources (rule packs, demo workspace, icons)."""
    here = Path(__file__).resolve().parent.parent  # app/
    for candidate in (here.parent / "resources", here / "resources"):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError("Earned's resources folder is missing; reinstall Earned.")
