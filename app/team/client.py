"""A rep's link to the team server: connect, sync, status, disconnect (the CLI and the window share it).

The server address is kept in the workspace without its password; the password lives in the OS keychain
only (app.secrets, under TEAM_KEY) and never in settings, logs or messages.
"""
from __future__ import annotations

import json
import sqlite3
from datetime import datetime, timezone

from app.core import redact
from app.core.errors import EarnedError
TEAM_KEY = "team-server"  # the keychain entry of the rep's server password (app.secrets.TEAM_SERVER_KEY)


class TeamError(EarnedError):
    """Something about the team connection, said plainly (never with the password)."""


def split_url(url: str) -> tuple[str, str | None, str]:
    """(the URL without any password, the password it carried or None, the role it connects as)."""
    from psycopg.conninfo import conninfo_to_dict, make_conninfo

    try:
        params = conninfo_to_dict(url.strip())
    except Exception as e:  # noqa: BLE001 - psycopg's parse errors: say what is wrong, not the password
        raise TeamError(f"That is not a PostgreSQL address ({type(e).__name__}); write it as "
                        "postgresql://USER@HOST:PORT/DATABASE.") from None
    password = params.pop("password", None)
    if password:
        redact.register(password)
    role = params.get("user") or ""
    if not role:
        raise TeamError("Put your PostgreSQL user in the address: postgresql://USER@HOST:PORT/DATABASE.")
    if not params.get("host") or not params.get("dbname"):
        raise TeamError("The address needs a host and a database: postgresql://USER@HOST:PORT/DATABASE.")
    # Kept as a URL a rep can read back (TLS settings such as sslmode pass through as query parameters).
    query = {k: v for k, v in params.items() if k not in ("user", "host", "port", "dbname")}
    port = f":{params['port']}" if params.get("port") else ""
    clean = f"postgresql://{role}@{params['host']}{port}/{params['dbname']}"
    if query:
        clean += "?" + "&".join(f"{k}={v}" for k, v in sorted(query.items()))
    make_conninfo(clean)  # (raises on anything psycopg would not read back)
    return clean, password, role


def _key(url: str) -> str:
    """The keychain entry of the password for this server and role (a machine may be in two teams)."""
    return f"{TEAM_KEY}:{url}"


def _store(repo):
    from app.storage.sync_store import SyncStore

    return SyncStore(repo.conn)


def _secrets(secrets=None):
    if secrets is not None:
        return secrets
    from app.secrets import SecretStore

    return SecretStore()


def open_server(repo, secrets=None, timeout: int = 10):
    """A connection to the team server as this rep (the address from the workspace, the password from the
    keychain)."""
    from . import server

    store = _store(repo)
    if not store.connected():
        raise TeamError("This workspace is not connected to a team: run `earned team connect` first.")
    url = store.state("url") or ""
    password = _secrets(secrets).get(_key(url))
    return server.connect(url, password, connect_timeout=timeout)


def connect(repo, url: str, display_name: str, password: str | None, secrets=None) -> dict:
    """Join the team: check the address and password against the server, register the rep's name there,
    keep the password in the keychain and the address (without it) in the workspace. Returns status()."""
    from . import server

    clean, in_url, role = split_url(url)
    password = password or in_url
    if not display_name.strip():
        raise TeamError("Give your name as teammates will see it: --name \"Dana Okafor\".")
    if password:
        redact.register(password)
    conn = server.connect(clean, password, connect_timeout=10)
    try:
        server.register(conn, display_name.strip())
    finally:
        conn.close()
    store = _secrets(secrets)
    if password:
        store.set(_key(clean), password)
    _store(repo).connect(role, display_name.strip(), clean)
    return status(repo)


def disconnect(repo, secrets=None) -> dict:
    """Leave the team on this machine: local data stays; the password leaves the keychain."""
    url = _store(repo).state("url") or ""
    _store(repo).disconnect()
    try:
        _secrets(secrets).delete(_key(url))
    except Exception:  # noqa: BLE001 - no keychain or no entry: nothing to remove
        pass
    return status(repo)


def status(repo) -> dict:
    store = _store(repo)
    pending = repo.conn.execute("SELECT count(*) FROM sync_outbox").fetchone()[0]
    return {
        "connected": store.connected(),
        "url": store.state("url") or "",
        "role": store.state("role") or "",
        "name": store.state("display_name") or "",
        "pending": pending,
        "last_sync": store.state("last_sync") or "",
        "last_error": store.state("last_error") or "",
    }


def sync(repo, secrets=None, batch: int | None = None) -> dict:
    """Push the outbox and pull the team's changes once. Returns the report as JSON-ready data; the
    outcome (or the error, in words) is kept in the workspace for `team status` and the window."""
    from .sync import DEFAULT_BATCH, Syncer

    store = _store(repo)
    try:
        conn = open_server(repo, secrets)
    except EarnedError as e:
        _note(store, error=str(e))
        raise
    try:
        report = Syncer(store, repo, conn, batch or DEFAULT_BATCH).run()
    except (EarnedError, sqlite3.Error):
        raise
    except Exception as e:  # noqa: BLE001 - said in words below, never with the password
        message = redact.redact(_sync_failure(e))
        _note(store, error=message)
        raise TeamError(message) from None
    finally:
        conn.close()
    _note(store, error="")
    return report.as_json()


def _sync_failure(error: BaseException) -> str:
    """What a failed sync tells the rep: a server that went away is retried by the next sync; anything else
    the server refused is said as it is (the changes wait in the outbox, nothing is lost either way)."""
    import psycopg

    from . import server

    explained = server.explain(error) if isinstance(error, psycopg.Error) else None
    if explained is None or isinstance(explained, server.TeamUnreachable):
        return ("The team server stopped answering during the sync; nothing was lost, and the next sync picks up "
                "where this one stopped.")
    return (f"{explained} The sync stopped there; nothing was lost: your changes wait to be sent. If it keeps "
            "happening, tell the team's admin.")


def _note(store, error: str) -> None:
    store.set_state("last_error", error)
    if not error:
        store.set_state("last_sync", datetime.now(timezone.utc).isoformat(timespec="seconds"))


def dumps(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False)
