"""Looking after the journal: check its sessions, salvage a damaged one, list and restore backups.

`tabletop check` and `tabletop sessions` reach the store's integrity, salvage and
backup machinery through here, as every other user reaches sessions through
`ttx.service.journal`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ttx.store.backup import RESTORE_HINT, backups_dir, list_backups, restore_backup
from ttx.store.errors import JournalError, SessionNotFound
from ttx.store.journal import JournalStore
from ttx.store.salvage import Salvaged, SessionCheck, check_sessions, salvage_session

__all__ = [
    "RESTORE_HINT",
    "JournalCheck",
    "Salvaged",
    "SessionCheck",
    "backups_dir",
    "check_journal",
    "list_backups",
    "restore_backup",
    "salvage_session",
]


@dataclass(frozen=True, slots=True)
class JournalCheck:
    """What `check_journal` found: SQLite's verdict on the file ("ok" or its first complaint),
    and each session's count, order and checksum check."""

    file_check: str
    sessions: list[SessionCheck]


def check_journal(db: Path, session_id: str | None = None) -> JournalCheck | None:
    """Check the journal file and its sessions (one session when `session_id` is given), read-only.

    None when there is no journal yet; raises `SessionNotFound` for an unknown session.
    """
    try:
        store = JournalStore(db, read_only=True)
    except SessionNotFound:
        return None
    try:
        try:
            file_check = store.integrity_check()
        except JournalError as exc:
            file_check = str(exc)
        return JournalCheck(file_check, check_sessions(store, session_id))
    finally:
        store.close()
