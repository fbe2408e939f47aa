"""The journal's schema and its migrations (`PRAGMA user_version` holds the version).

To change the schema, append a step to MIGRATIONS: each runs once, in its own
transaction, on journals older than it. Never edit a step that has shipped.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from ttx.store.errors import JournalCorrupt, JournalError

APP_ID = 0x74747831
"""`PRAGMA application_id` of a ttx journal ("ttx1")."""

MIGRATIONS: tuple[tuple[str, ...], ...] = (
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
    if version == SCHEMA_VERSION or read_only:
        if read_only and version < SCHEMA_VERSION:
            raise JournalError(
                f"the journal {path} uses an older schema ({version}); open it once with "
                "`tabletop sessions` in a writable folder to upgrade it"
            )
        return version
    for number in range(version, SCHEMA_VERSION):
        conn.execute("BEGIN IMMEDIATE")
        try:
            for statement in MIGRATIONS[number]:
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {number + 1}")
            conn.execute(f"PRAGMA application_id = {APP_ID}")
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
    return version
