"""The journal's schema and its migrations (`PRAGMA user_version` holds the version).

To change the schema, append a step to MIGRATIONS: each runs once, in its own
transaction, on journals older than it. A step is SQL statements or functions of the
connection. Never edit a step that has shipped.

Schema 2 added the checksum chain (`ttx.store.chain`). Journals written before it are
*backfilled* when first opened for writing: their chain is computed from the rows as
they stand then, so it proves nothing about damage that happened earlier (the count
check still applies). Read-only opens of a schema-1 journal read it as *legacy*: the
count and the order of events are checked, there is no chain to check.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

from ttx.store.chain import RAW_EVENT_COLUMNS, link
from ttx.store.errors import JournalCorrupt, JournalError, SessionNotFound

CHAINED_SCHEMA = 2
"""The first schema whose events carry checksums."""


def _backfill_chain(conn: sqlite3.Connection) -> None:
    """Compute the checksums of events written before schema 2 (see the module docstring)."""
    heads: dict[bytes, str] = {}
    rows = conn.execute(
        f"SELECT {RAW_EVENT_COLUMNS} FROM events ORDER BY session_id, seq"
    ).fetchall()
    for row in rows:
        checksum = link(heads.get(row[0], ""), row)
        heads[row[0]] = checksum
        conn.execute(
            "UPDATE events SET checksum = ? WHERE CAST(session_id AS BLOB) = ? AND seq = ?",
            (checksum, row[0], int(row[1])),
        )
    for session_id, head in heads.items():
        conn.execute("UPDATE sessions SET head = ? WHERE CAST(id AS BLOB) = ?", (head, session_id))


APP_ID = 0x74747831
"""`PRAGMA application_id` of a ttx journal ("ttx1")."""

Step = str | Callable[[sqlite3.Connection], None]

MIGRATIONS: tuple[tuple[Step, ...], ...] = (
    # 1: sessions with their exercise snapshot; events keyed by (session, seq).
    (
        """CREATE TABLE sessions (
            id TEXT PRIMARY KEY,
            exercise_id TEXT NOT NULL,
            exercise_title TEXT NOT NULL,
            exercise_version TEXT NOT NULL,
            exercise_json TEXT NOT NULL,
            exercise_sha256 TEXT NOT NULL,
            created_at TEXT NOT NULL,
            last_at TEXT NOT NULL,
            status TEXT NOT NULL,
            last_seq INTEGER NOT NULL DEFAULT 0
        )""",
        """CREATE TABLE events (
            session_id TEXT NOT NULL REFERENCES sessions(id),
            seq INTEGER NOT NULL,
            action INTEGER NOT NULL,
            kind TEXT NOT NULL,
            at TEXT NOT NULL,
            data TEXT NOT NULL,
            PRIMARY KEY (session_id, seq)
        ) WITHOUT ROWID""",
        "CREATE INDEX sessions_created ON sessions (created_at)",
    ),
    # 2: the checksum chain: each event's checksum, and each session's last one (its head).
    (
        "ALTER TABLE events ADD COLUMN checksum TEXT",
        "ALTER TABLE sessions ADD COLUMN head TEXT",
        _backfill_chain,
    ),
)
SCHEMA_VERSION = len(MIGRATIONS)


def migrate(conn: sqlite3.Connection, path: Path, *, read_only: bool = False) -> int:
    """Bring a journal to SCHEMA_VERSION (or check it, read-only); return the version found."""
    app_id = int(conn.execute("PRAGMA application_id").fetchone()[0])
    version = int(conn.execute("PRAGMA user_version").fetchone()[0])
    tables = {
        str(r[0]) for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
    }
    if app_id not in (0, APP_ID) or (app_id == 0 and tables and version == 0):
        raise JournalCorrupt(
            f"{path} is an SQLite file but not a ttx journal; move it aside or set TTX_HOME elsewhere"
        )
    if version > SCHEMA_VERSION:
        raise JournalError(
            f"the journal {path} was written by a newer ttx (schema {version}, this ttx knows "
            f"{SCHEMA_VERSION}); upgrade ttx to open it"
        )
    if read_only and version == 0 and not tables:
        raise SessionNotFound(f"no sessions recorded yet (the journal {path} is empty)")
    if version == SCHEMA_VERSION or read_only:
        return version  # an older journal read read-only is read as legacy (no chain)
    for number in range(version, SCHEMA_VERSION):
        conn.execute("BEGIN IMMEDIATE")
        try:
            for step in MIGRATIONS[number]:
                if isinstance(step, str):
                    conn.execute(step)
                else:
                    step(conn)
            conn.execute(f"PRAGMA user_version = {number + 1}")
            conn.execute(f"PRAGMA application_id = {APP_ID}")
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
    return version
