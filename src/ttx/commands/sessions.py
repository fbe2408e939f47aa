"""`tabletop sessions`: list recorded sessions (id, exercise, started, last activity, status)."""

from __future__ import annotations

import argparse
import sys
import unicodedata
from datetime import datetime

from ttx.paths import sessions_db
from ttx.store.errors import JournalError, SessionNotFound

STATUS_WORDS = {
    "setup": "not started",
    "running": "in progress",
    "hot_wash": "hot wash",
    "ended": "ended",
}


def _when(value: datetime) -> str:
    return value.astimezone().strftime("%Y-%m-%d %H:%M")


def run(args: argparse.Namespace) -> int:
    """List the sessions in the journal; exit 1 with one line if the journal cannot be read."""
    db = sessions_db()
    if getattr(args, "where", False):
        print(db)
        return 0
    if not db.exists():
        print(f"No sessions recorded yet ({db}). Start one with `tabletop run EXERCISE.yaml`.")
        return 0
    from ttx.api import open_journal

    try:
        with open_journal(db, read_only=True) as journal:
            infos = journal.sessions()
    except SessionNotFound:
        print(f"No sessions recorded yet ({db}).")
        return 0
    except JournalError as exc:
        print(f"tabletop sessions: {exc}", file=sys.stderr)
        return exc.exit_code
    if not infos:
        print(f"No sessions recorded yet ({db}). Start one with `tabletop run EXERCISE.yaml`.")
        return 0
    header = ("SESSION", "EXERCISE", "STARTED", "LAST ACTIVITY", "STATUS")
    rows = [
        (
            _clip(i.id, 64),
            _clip(f"{i.exercise_title} ({i.exercise_id})", 48),
            _when(i.started_at),
            _when(i.last_at),
            STATUS_WORDS.get(i.status, i.status),
        )
        for i in infos
    ]
    widths = [max(len(r[n]) for r in [header, *rows]) for n in range(len(header))]
    for row in [header, *rows]:
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())
    return 0


def _clip(text: str, limit: int) -> str:
    """One line, no control characters (a title cannot drive the terminal), at most `limit`."""
    printable = "".join(ch for ch in text if unicodedata.category(ch)[0] != "C")
    flat = " ".join(printable.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"
