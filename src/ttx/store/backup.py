"""Backups of the journal: copied with SQLite's backup API, the newest few kept, restorable.

A backup is taken when a move begins, when the hot wash starts and when a session
ends (`BACKUP_KINDS`), into `backups/` in the data folder, keeping the last `KEEP`.
SQLite's backup API copies a consistent snapshot even while another ttx writes; a
plain file copy of a live WAL journal would not. Restoring moves the current journal
aside (never deletes it) and puts the backup in its place.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from ttx.store.errors import JournalCorrupt, JournalError, JournalUnwritable, SessionLocked
from ttx.store.lock import lock_dir, probe_held

KEEP = 5
"""How many backups are kept; older ones are deleted when a new one is written."""

BACKUP_KINDS = frozenset({"move_entered", "hot_wash_started", "session_ended"})
"""Event kinds after which the journal is backed up."""

PREFIX = "sessions-"
SUFFIX = ".sqlite3"


RESTORE_HINT = "`tabletop check --restore` restores the newest backup"
"""What every message about damage ends with: the way back."""


def backups_dir(db: Path) -> Path:
    """The folder holding the journal's backups (beside the journal, in the data folder)."""
    return db.parent / "backups"


def list_backups(db: Path) -> list[Path]:
    """The journal's backups, newest first."""
    folder = backups_dir(db)
    try:
        found = [p for p in folder.iterdir() if p.name.startswith(PREFIX) and p.suffix == SUFFIX]
    except OSError:
        return []
    return sorted(found, key=lambda p: p.name, reverse=True)


def backup_journal(db: Path, *, now: datetime | None = None) -> Path:
    """Copy the journal into a new backup with the backup API; keep the last KEEP. Returns it."""
    folder = backups_dir(db)
    stamp = (now or datetime.now(UTC)).astimezone(UTC).strftime("%Y%m%dT%H%M%S.%fZ")
    target = folder / f"{PREFIX}{stamp}{SUFFIX}"
    partial = folder / f".{target.name}.partial"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        _copy(db, partial)
        os.replace(partial, target)
    except (OSError, sqlite3.Error) as exc:
        with contextlib.suppress(OSError):
            partial.unlink(missing_ok=True)
        raise JournalUnwritable(f"cannot back up the journal {db} into {folder}: {exc}") from exc
    for old in list_backups(db)[KEEP:]:
        with contextlib.suppress(OSError):
            old.unlink()
    for stale in folder.glob(f".{PREFIX}*{SUFFIX}.partial"):  # left by a killed ttx
        with contextlib.suppress(OSError):
            stale.unlink()
    return target


def restore_backup(db: Path, backup: Path | None = None) -> tuple[Path, Path | None]:
    """Put a backup (default: the newest) in place of the journal; return (backup, old journal kept).

    Refused while a session is being recorded, and for a file that is not an intact
    ttx journal. The current journal is renamed `sessions.sqlite3.replaced-<time>`.
    """
    if backup is None:
        backups = list_backups(db)
        if not backups:
            raise JournalError(f"no backups of {db} exist yet (they are kept in {backups_dir(db)})")
        backup = backups[0]
    if not backup.is_file():
        raise JournalError(f"no backup file {backup}; `tabletop check --backups` lists them")
    _check_is_journal(backup)
    busy = probe_held(lock_dir(db))
    if busy:
        raise SessionLocked(
            f"session {busy} is being recorded; close it in the other ttx before restoring"
        )
    kept: Path | None = None
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    try:
        if db.exists():
            kept = db.with_name(f"{db.name}.replaced-{stamp}")
            _copy_or_move_aside(db, kept)
        partial = db.with_name(f".{db.name}.restoring")
        _copy(backup, partial)
        os.replace(partial, db)
    except (OSError, sqlite3.Error) as exc:
        raise JournalUnwritable(f"cannot restore {backup} to {db}: {exc}") from exc
    return backup, kept


def _copy(source: Path, target: Path) -> None:
    """A consistent copy of an SQLite file with the backup API (target replaced)."""
    target.unlink(missing_ok=True)
    src = sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True)
    try:
        dst = sqlite3.connect(target)
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()


def _copy_or_move_aside(db: Path, kept: Path) -> None:
    """Move the journal and its WAL files aside, under the `kept` name."""
    for suffix in ("", "-wal", "-shm"):
        part = db.with_name(db.name + suffix)
        if part.exists():
            os.replace(part, kept.with_name(kept.name + suffix))


def _check_is_journal(path: Path) -> None:
    from ttx.store.sqlite_schema import APP_ID

    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            app = int(conn.execute("PRAGMA application_id").fetchone()[0])
            ok = str(conn.execute("PRAGMA integrity_check").fetchone()[0])
        finally:
            conn.close()
    except sqlite3.Error as exc:
        raise JournalCorrupt(f"{path} cannot be read as a journal ({exc})") from exc
    if app != APP_ID or ok != "ok":
        raise JournalCorrupt(f"{path} is not an intact ttx journal; choose another backup")
