"""`tabletop sessions`: list recorded sessions (id, exercise, started, last activity, status)."""

from __future__ import annotations

import argparse
import sys
import unicodedata
from datetime import datetime
from pathlib import Path

from ttx.paths import sessions_db
from ttx.safe_text import echo, shown
from ttx.service.errors import JournalError, SessionNotFound
from ttx.service.maintenance import RESTORE_HINT

STATUS_WORDS = {
    "setup": "not started",
    "running": "in progress",
    "hot_wash": "hot wash",
    "ended": "ended",
}


def _when(value: datetime) -> str:
    return value.astimezone().strftime("%Y-%m-%d %H:%M")


def run(args: argparse.Namespace) -> int:
    """List the sessions in the journal, damaged ones marked.

    Exit 0: listed; 2: the journal, or a session in it, is damaged (the others are
    still listed); 1: the journal cannot be read for another reason.
    """
    db = sessions_db()
    if getattr(args, "where", False):
        echo(str(db))
        return 0
    if not db.exists():
        echo(f"No sessions recorded yet ({db}). Start one with `tabletop run EXERCISE.yaml`.")
        return 0
    if _is_empty(db):
        return _empty_journal(db)
    from ttx.service.journal import open_journal

    try:
        with open_journal(db, read_only=True) as journal:
            infos = journal.sessions()
    except SessionNotFound:
        echo(f"No sessions recorded yet ({db}).")
        return 0
    except JournalError as exc:
        echo((f"tabletop sessions: {exc}"), file=sys.stderr)
        return exc.exit_code
    if not infos:
        echo(f"No sessions recorded yet ({db}). Start one with `tabletop run EXERCISE.yaml`.")
        return 0
    header = ("SESSION", "EXERCISE", "STARTED", "LAST ACTIVITY", "STATUS")
    rows = [
        (
            _clip(i.id, 64),
            _clip(f"{i.exercise_title} ({i.exercise_id})", 48),
            _when(i.started_at) if not i.damage else "?",
            _when(i.last_at) if not i.damage else "?",
            STATUS_WORDS.get(i.status, _clip(i.status, 16)) if not i.damage else "DAMAGED",
        )
        for i in infos
    ]
    widths = [max(len(r[n]) for r in [header, *rows]) for n in range(len(header))]
    for row in [header, *rows]:
        echo("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())
    damaged = [i for i in infos if i.damage]
    for info in damaged:
        echo((f"tabletop sessions: session {info.id} is damaged: {info.damage}"), file=sys.stderr)
    if damaged:
        echo(
            f"tabletop sessions: {len(damaged)} damaged; `tabletop check` says which events are "
            f"intact and can salvage them, {RESTORE_HINT}",
            file=sys.stderr,
        )
        return 2
    return 0


def _is_empty(db: Path) -> bool:
    try:
        return db.stat().st_size == 0
    except OSError:
        return False


def _empty_journal(db: Path) -> int:
    """A 0-byte journal: nothing to list; if backups exist, it was probably emptied by damage."""
    from ttx.service.maintenance import list_backups

    backups = list_backups(db)
    if not backups:
        echo(f"No sessions recorded yet (the journal {db} is empty).")
        return 0
    echo(
        shown(
            f"tabletop sessions: the journal {db} is empty (0 bytes) but backups of it exist; "
            f"if sessions were recorded, `tabletop check --restore` restores the newest "
            f"({backups[0].name})"
        ),
        file=sys.stderr,
    )
    return 2


def _clip(text: str, limit: int) -> str:
    """One line, no control characters (a title cannot drive the terminal), at most `limit`."""
    printable = "".join(ch for ch in text if unicodedata.category(ch)[0] != "C")
    flat = " ".join(printable.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"
