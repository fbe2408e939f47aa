"""`tabletop check [SESSION] [--salvage] [--backups] [--restore [BACKUP]]`: verify, salvage, restore.

Exit 0: every session checked is intact (or was salvaged, or the restore is done);
2: a session or the journal is damaged, or the backup cannot be used; 1: refused
(nothing to salvage, a session is being recorded).
"""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime
from pathlib import Path

from ttx.paths import sessions_db
from ttx.safe_text import echo
from ttx.service.errors import JournalError
from ttx.service.maintenance import RESTORE_HINT


def _say(text: str) -> None:
    echo(text)


def _warn(text: str) -> None:
    echo((f"tabletop check: {text}"), file=sys.stderr)


def run(args: argparse.Namespace) -> int:
    """Verify the journal's sessions; salvage or restore when asked."""
    db = sessions_db()
    try:
        if args.backups:
            return _list_backups(db)
        if args.restore is not None:
            return _restore(db, args.restore or None)
        if not db.exists() or db.stat().st_size == 0:
            return _nothing_to_check(db)
        return _check(db, args.session, salvage=args.salvage)
    except JournalError as exc:
        _warn(str(exc))
        return exc.exit_code


def _check(db: Path, session_id: str | None, *, salvage: bool) -> int:
    from ttx.service.maintenance import check_journal, salvage_session

    checked_journal = check_journal(db, session_id)
    if checked_journal is None:
        _say(f"No sessions recorded yet ({db}); nothing to check.")
        return 0
    file_check, results = checked_journal.file_check, checked_journal.sessions
    if file_check != "ok":
        _warn(
            f"SQLite reports damage in {db} ({file_check.splitlines()[0]}); the sessions below "
            "that are intact can still be read"
        )
    damaged = [r for r in results if not r.ok]
    for r in results:
        if r.damage is None:
            _say(f"{r.session_id}  intact  ({r.intact} events)")
        elif r.damage.first_bad is None:
            _say(f"{r.session_id}  DAMAGED  {r.damage.reason}")
        else:
            _say(
                f"{r.session_id}  DAMAGED  event {r.damage.first_bad} {r.damage.reason}; "
                f"events 1-{r.damage.first_bad - 1} of {r.recorded} are intact"
            )
    if not damaged:
        _say(f"{len(results)} session(s) checked, all intact ({db}).")
        return 0 if file_check == "ok" else 2
    if not salvage:
        _warn(
            f"{len(damaged)} of {len(results)} session(s) damaged; `tabletop check SESSION "
            "--salvage` copies a session's intact events into a new session, "
            f"{RESTORE_HINT}"
        )
        return 2
    failed = 0
    now = datetime.now(UTC)
    checked = {r.session_id for r in results}
    for r in damaged:
        if f"{r.session_id}-salvaged" in checked:
            _say(f"{r.session_id} was salvaged before, into {r.session_id}-salvaged.")
            continue
        try:
            done = salvage_session(db, r.session_id, now)
        except JournalError as exc:
            _warn(str(exc))
            failed += 1
            continue
        _say(
            f"Salvaged {done.source} into {done.new_id}: events 1-{done.kept} of "
            f"{done.recorded} kept; event {done.damage.first_bad} onward lost "
            f"({done.damage.reason}). The damaged session is left as it was."
        )
    return 2 if failed else 0


def _nothing_to_check(db: Path) -> int:
    """No journal, or an empty one: fine, unless backups say sessions were recorded."""
    from ttx.service.maintenance import list_backups

    backups = list_backups(db)
    if not backups:
        _say(f"No sessions recorded yet ({db}); nothing to check.")
        return 0
    _warn(
        f"the journal {db} is missing or empty (0 bytes) but backups of it exist; "
        f"`tabletop check --restore` restores the newest ({backups[0].name})"
    )
    return 2


def _list_backups(db: Path) -> int:
    from ttx.service.maintenance import backups_dir, list_backups

    backups = list_backups(db)
    if not backups:
        _say(f"No backups yet (they are written to {backups_dir(db)} when a move begins).")
        return 0
    for path in backups:
        try:
            size = path.stat().st_size
        except OSError:
            continue
        _say(f"{path}  {size // 1024} KiB")
    return 0


def _restore(db: Path, backup: str | None) -> int:
    from ttx.service.maintenance import backups_dir, restore_backup

    chosen: Path | None = None
    if backup:
        chosen = Path(backup)
        if not chosen.exists() and (backups_dir(db) / backup).exists():
            chosen = backups_dir(db) / backup
    used, kept = restore_backup(db, chosen)
    _say(f"Restored the journal {db} from {used}.")
    if kept is not None:
        _say(f"The journal it replaced is kept as {kept}.")
    return 0
