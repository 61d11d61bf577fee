"""Reading the workspace file the way a check from outside would: a read-only SQLite connection."""
from __future__ import annotations

import sqlite3
from pathlib import Path


def saved_draft(db: Path, prospect_id: int) -> tuple[str, str, str] | None:
    """(kind, subject, body) of the draft saved for a prospect, or None."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        row = conn.execute("SELECT kind, subject, body FROM drafts WHERE prospect_id = ?", (prospect_id,)).fetchone()
        return tuple(row) if row else None
    finally:
        conn.close()
