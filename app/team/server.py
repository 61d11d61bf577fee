"""The team server: connecting to it, its schema and migrations, the change feed, and the admin's helpers.

The schema lives in server_migrations/NNNN_*.sql (tables, row-level security, the functions the sync
engine calls); this module holds only small statements. psycopg 3, no Qt.

Passwords never reach a message or a log line: connect() registers them with app.core.redact, drops
psycopg's exception (its `pgconn` holds the password) and raises a TeamServerError with a plain sentence
and the server's reason, scrubbed. add_rep() sends PostgreSQL a SCRAM verifier, never the password, so not
even the server's log of a failed CREATE ROLE can show it.
"""
from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import Any

import psycopg
from psycopg import sql
from psycopg.conninfo import conninfo_to_dict
from psycopg.rows import dict_row

from app.core import redact
from app.core.errors import EarnedError, InputError

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).with_name("server_migrations")
# The tables a client pulls through changes(); every one carries (xid, change_id).
FEED_TABLES = ("reps", "team_settings", "accounts", "facts", "touches", "ownership", "do_not_contact",
               "account_history")
# libpq's TLS and authentication settings connect() passes through
# (https://www.postgresql.org/docs/current/libpq-connect.html#LIBPQ-PARAMKEYWORDS).
TLS_SETTINGS = frozenset({
    "sslmode", "sslrootcert", "sslcert", "sslkey", "sslpassword", "sslcrl", "sslcrldir", "sslsni",
    "sslcertmode", "sslnegotiation", "ssl_min_protocol_version", "ssl_max_protocol_version",
    "channel_binding", "require_auth",
})
SSL_MODES = ("disable", "allow", "prefer", "require", "verify-ca", "verify-full")
REP_GROUP = "earned_rep"
ROLE_NAME = re.compile(r"[a-z_][a-z0-9_]{0,62}")  # lower case: the same name in a URL and unquoted in SQL
RESERVED_ROLES = {"earned_rep", "earned_admin", "public", "postgres"}
MIN_PASSWORD = 8
# A rep's laptop that sleeps in the middle of a transaction would hold back every teammate's feed
# (changes() reads only transactions older than the oldest still open): the server ends such a session.
IDLE_IN_TRANSACTION = "2min"
_MIGRATE_LOCK = "SELECT pg_advisory_xact_lock(hashtextextended('earned.migrate', 0))"


class TeamServerError(EarnedError):
    """The team server said no, or something went wrong there; str() is a sentence for the rep."""


class TeamUnreachable(TeamServerError):
    """The server cannot be reached, or went away (stopped, restarted, network): try again later."""


class TeamAuthFailed(TeamServerError):
    """The server refused the user name or password."""


class TeamPermissionDenied(TeamServerError):
    """Row-level security or a missing privilege refused a write (another rep's row, the admin's settings)."""


class TeamSchemaMismatch(TeamServerError):
    """The server is not set up for Earned, or by a newer Earned than this one."""


# -- migrations ------------------------------------------------------------------------------------------
def migrations(directory: Path = MIGRATIONS_DIR) -> list[tuple[int, Path]]:
    """(version, file) for every NNNN_*.sql in directory, in order; they must be numbered 1..n."""
    found = sorted((int(p.name[:4]), p) for p in directory.glob("[0-9][0-9][0-9][0-9]_*.sql"))
    versions = [v for v, _ in found]
    if versions != list(range(1, len(found) + 1)):
        raise ValueError(f"server migrations must be numbered 1..n: {versions}")
    return found


LATEST_VERSION = len(migrations())


# -- addresses and errors --------------------------------------------------------------------------------
def safe_url(url: str) -> str:
    """url with any password in it replaced by ***, for messages and logs."""
    url = re.sub(r"(://[^:/@?#\s]*):[^@/\s]*@", r"\1:***@", url)
    return re.sub(r"(?i)((?:ssl)?password=)[^&\s]*", r"\1***", url)


def _scrub(text: str, secrets: tuple[str | None, ...] = ()) -> str:
    for secret in secrets:
        if secret:
            text = text.replace(secret, "***")
    return redact.redact(safe_url(text)).strip()


def _reason(error: BaseException, secrets: tuple[str | None, ...] = ()) -> str:
    """The server's (or libpq's) own words, scrubbed, on one line."""
    return " ".join(_scrub(str(error), secrets).split()) or type(error).__name__


def explain(error: psycopg.Error) -> TeamServerError:
    """A psycopg error as a TeamServerError, chosen by its SQLSTATE
    (https://www.postgresql.org/docs/current/errcodes-appendix.html)."""
    code = error.sqlstate or ""
    reason = _reason(error)
    if code.startswith("08") or code in ("57P01", "57P02", "57P03", "53300") or (
            not code and isinstance(error, psycopg.OperationalError)):
        return TeamUnreachable(f"The team server went away or can't take the connection now ({reason}). "
                               "Nothing is lost: try again in a moment.")
    if code.startswith("28"):
        return TeamAuthFailed(f"The team server refused the login: {reason}")
    if code == "42501":
        return TeamPermissionDenied(f"The team server did not allow that: {reason}")
    if code in ("3F000", "42P01", "42883"):
        return TeamSchemaMismatch(f"The team server is not set up for this version of Earned ({reason}). "
                                  "Ask the team's admin to run the server set-up.")
    return TeamServerError(f"The team server reported a problem: {reason}")


def _connect_error(error: psycopg.Error, params: dict, secrets: tuple[str | None, ...]) -> TeamServerError:
    # libpq gives no SQLSTATE for a failed connection attempt (psycopg's sqlstate is None), so this is the
    # one place that goes by libpq's and the server's words; anything unrecognised stays a plain TeamServerError.
    reason = _reason(error, secrets)
    where = f"{params.get('host') or 'localhost'}:{params.get('port') or 5432}"
    user = params.get("user") or "(no user)"
    pgconn = getattr(error, "pgconn", None)
    lowered = reason.lower()
    if isinstance(error, psycopg.ProgrammingError):
        return TeamServerError(f"Earned could not use the team server settings: {reason}")
    if (pgconn is not None and pgconn.needs_password) or "no password supplied" in lowered:
        return TeamAuthFailed(f"The team server at {where} asks for {user}'s password, and none was given.")
    if "authentication failed" in lowered:
        return TeamAuthFailed(f"The team server at {where} refused the user name or password for {user}. "
                              "Check both and try again.")
    if "fatal" in lowered and not any(s in lowered for s in ("shutting down", "starting up", "too many")):
        return TeamServerError(f"The team server at {where} refused the connection: {reason}")
    return TeamUnreachable(f"Earned can't reach the team server at {where}: {reason}")


# -- connecting ------------------------------------------------------------------------------------------
def connect(url: str, password: str | None = None, *, connect_timeout: int = 10, autocommit: bool = True,
            **tls: str) -> psycopg.Connection:
    """A connection to the team server. password (if given) wins over one in url; tls are libpq settings
    such as sslmode="verify-full", sslrootcert=PATH. Autocommit by default: group statements with
    conn.transaction(). Raises InputError for a bad address or setting, TeamAuthFailed, TeamUnreachable or
    TeamServerError otherwise; no message holds the password."""
    unknown = sorted(set(tls) - TLS_SETTINGS)
    if unknown:
        raise InputError(f"Unknown team server setting(s): {', '.join(unknown)}.")
    failure: InputError | None = None
    try:
        params = conninfo_to_dict(url.strip())
    except psycopg.Error as e:
        failure = InputError(f"That is not a PostgreSQL address ({_reason(e)}); write it as "
                             "postgresql://USER@HOST:PORT/DATABASE.")
    if failure is not None:
        raise failure
    in_url = params.pop("password", None)
    password = password or in_url
    secrets = (password, in_url, tls.get("sslpassword"))
    for secret in secrets:
        redact.register(secret)
    params.update({k: str(v) for k, v in tls.items()})
    if params.get("sslmode", "prefer") not in SSL_MODES:
        # libpq would say so only as a failed connection, which reads like a network problem.
        raise InputError(f"sslmode must be one of {', '.join(SSL_MODES)}, not {params['sslmode']!r}.")
    params.setdefault("application_name", "Earned")
    params["connect_timeout"] = str(connect_timeout)
    log.debug("connecting to the team server at %s", safe_url(url))
    error: TeamServerError | None = None
    try:
        return psycopg.connect(**params, password=password, autocommit=autocommit)
    except psycopg.Error as e:
        error = _connect_error(e, params, secrets)
    # Raised out here, so that psycopg's exception (whose pgconn holds the password) is not its __context__.
    raise error


# -- schema ----------------------------------------------------------------------------------------------
def _outside_transaction(conn: psycopg.Connection) -> None:
    if conn.info.transaction_status != psycopg.pq.TransactionStatus.IDLE:
        raise RuntimeError("this needs a connection outside any transaction (autocommit, or commit first)")


def schema_version(conn: psycopg.Connection) -> int:
    """The last server migration applied (0: the database is not set up for Earned)."""
    with conn.transaction():
        if conn.execute("SELECT to_regclass('earned.schema_version')").fetchone()[0] is None:
            return 0
        return conn.execute("SELECT coalesce(max(version), 0) FROM earned.schema_version").fetchone()[0]


def require_schema(conn: psycopg.Connection) -> int:
    """The server's schema version if this Earned can sync with it; TeamSchemaMismatch otherwise."""
    version = schema_version(conn)
    if version < LATEST_VERSION:
        raise TeamSchemaMismatch(f"The team server is at set-up version {version}; this Earned needs "
                                 f"{LATEST_VERSION}. Ask the team's admin to update the server.")
    if version > LATEST_VERSION:
        raise TeamSchemaMismatch(f"The team server was set up by a newer Earned (version {version}; this one "
                                 f"knows {LATEST_VERSION}). Update Earned to sync with it.")
    return version


def migrate(conn: psycopg.Connection, directory: Path = MIGRATIONS_DIR) -> list[int]:
    """As the admin: make schema `earned` if need be and apply every server migration not yet recorded in
    earned.schema_version, each in its own transaction. Returns the versions applied (often none)."""
    found = migrations(directory)
    _outside_transaction(conn)
    applied: list[int] = []
    try:
        with conn.transaction():
            # Two admins at once: the second waits here, then finds the first's work recorded.
            conn.execute(_MIGRATE_LOCK)
            conn.execute("CREATE SCHEMA IF NOT EXISTS earned")
            conn.execute("CREATE TABLE IF NOT EXISTS earned.schema_version ("
                         " version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())")
            newest = conn.execute("SELECT coalesce(max(version), 0) FROM earned.schema_version").fetchone()[0]
        if newest > len(found):
            raise TeamSchemaMismatch(f"The team server was set up by a newer Earned (version {newest}; this one "
                                     f"knows {len(found)}): update Earned before changing the server.")
        for version, path in found:
            with conn.transaction():
                conn.execute(_MIGRATE_LOCK)
                if conn.execute("SELECT 1 FROM earned.schema_version WHERE version = %s", (version,)).fetchone():
                    continue
                # No parameters: psycopg sends the file as one simple query, all its statements at once.
                conn.execute(path.read_text(encoding="utf-8"))
                conn.execute("INSERT INTO earned.schema_version (version) VALUES (%s)", (version,))
            log.info("team server migration %04d applied", version)
            applied.append(version)
    except psycopg.Error as e:
        raise explain(e) from e
    return applied


def init_server(admin_url: str, admin_password: str | None, **tls: str) -> list[int]:
    """Set a database up as a team server (schema, group roles, every migration), as its admin.
    Idempotent. Returns the migrations applied."""
    with connect(admin_url, admin_password, **tls) as conn:
        return migrate(conn)


# -- the admin's helpers ---------------------------------------------------------------------------------
def add_rep(admin_conn: psycopg.Connection, role: str, password: str, display_name: str) -> None:
    """As the admin: a login role for a rep (a member of earned_rep, password checked by SCRAM) and the
    rep's row in earned.reps. InputError for a bad or taken name, a short password, an empty display name."""
    if not ROLE_NAME.fullmatch(role or "") or role.startswith("pg_") or role in RESERVED_ROLES:
        raise InputError(f"{role!r} can't be a rep's user name: use lower-case letters, digits and _, "
                         "starting with a letter (at most 63).")
    if len(password or "") < MIN_PASSWORD:
        raise InputError(f"A rep's password needs at least {MIN_PASSWORD} characters.")
    if not (display_name or "").strip():
        raise InputError("Give the rep's name as teammates will see it.")
    redact.register(password)
    # What `\password` in psql sends: the server stores this verifier and never sees the password.
    verifier = admin_conn.pgconn.encrypt_password(password.encode(), role.encode(), b"scram-sha-256").decode()
    _outside_transaction(admin_conn)
    try:
        with admin_conn.transaction():
            if admin_conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (role,)).fetchone():
                raise InputError(f"The server already has a user named {role}: choose another name.")
            ident = sql.Identifier(role)
            admin_conn.execute(sql.SQL("CREATE ROLE {} LOGIN PASSWORD {} IN ROLE {}").format(
                ident, sql.Literal(verifier), sql.Identifier(REP_GROUP)))
            admin_conn.execute(sql.SQL("ALTER ROLE {} SET idle_in_transaction_session_timeout = {}").format(
                ident, sql.Literal(IDLE_IN_TRANSACTION)))
            admin_conn.execute("INSERT INTO earned.reps (role, display_name) VALUES (%s, %s) ON CONFLICT (role)"
                               " DO UPDATE SET display_name = EXCLUDED.display_name", (role, display_name.strip()))
    except psycopg.Error as e:
        raise explain(e) from e


def register(conn: psycopg.Connection, display_name: str) -> None:
    """The rep's own row in earned.reps, with the name teammates see (updated if it changed)."""
    name = (display_name or "").strip()
    if not name:
        raise InputError("Give your name as teammates will see it.")
    with conn.transaction():
        conn.execute("INSERT INTO earned.reps (display_name) VALUES (%s) ON CONFLICT (role) DO UPDATE"
                     " SET display_name = EXCLUDED.display_name"
                     " WHERE earned.reps.display_name IS DISTINCT FROM EXCLUDED.display_name", (name,))


def team_settings(conn: psycopg.Connection) -> dict[str, Any]:
    """The team's settings (teammate_touch_days, ownership_days, ...) as {key: JSON value}."""
    return dict(conn.execute("SELECT key, value FROM earned.team_settings").fetchall())


# -- the change feed -------------------------------------------------------------------------------------
# Rows after a cursor, in (xid, change_id) order, but only rows written by transactions older than every
# transaction still running: xid < pg_snapshot_xmin(pg_current_snapshot()). Without that condition a
# transaction that began first (smaller xid) but commits last would be skipped for good: a client reads
# the later transaction's rows, moves its cursor past them, and the earlier xid, committed afterwards,
# sorts before the cursor. Everything below xmin has finished, so no row can appear there later; rows of
# a transaction still open simply wait for a later pull. pg_current_snapshot() is the snapshot this very
# statement reads with, so every row below its xmin is visible to it. See "Transaction ID and Snapshot
# Information Functions" (pg_current_xact_id, pg_current_snapshot, pg_snapshot_xmin, xid8):
# https://www.postgresql.org/docs/current/functions-info.html#FUNCTIONS-PG-SNAPSHOT
# The price: one transaction left open holds back every table's feed (add_rep sets a session timeout).
_CHANGES = """SELECT * FROM earned.{table}
WHERE (xid, change_id) > (%s::text::xid8, %s) AND xid < pg_snapshot_xmin(pg_current_snapshot())
ORDER BY xid, change_id LIMIT %s"""


def changes(conn: psycopg.Connection, table: str, after: tuple[int, int], limit: int = 500) -> list[dict]:
    """Rows of table changed after the cursor `after` = (xid, change_id), oldest first, at most limit. Each
    row is a dict of its columns; its "xid" (an int) and "change_id" are the next cursor. (0, 0): from the
    start. A row changed again comes again (with a later cursor)."""
    if table not in FEED_TABLES:
        raise ValueError(f"{table!r} is not a shared table: {', '.join(FEED_TABLES)}")
    xid, change_id = (int(part) for part in after)
    if xid < 0 or change_id < 0 or limit < 1:
        raise ValueError(f"bad cursor {after!r} or limit {limit!r}")
    query = sql.SQL(_CHANGES).format(table=sql.Identifier(table))
    with conn.cursor(row_factory=dict_row) as cur:
        rows = cur.execute(query, (str(xid), change_id, limit)).fetchall()
    for row in rows:
        row["xid"] = int(row["xid"])  # psycopg has no loader for xid8: it arrives as text
    return rows
