"""`tabletop`, `tabletop run`, `tabletop resume`, `tabletop project`: open the facilitator console (imported lazily)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from ttx.room.address import DEFAULT_PORT
from ttx.safe_text import echo

if TYPE_CHECKING:
    from ttx.service.journal import Journal
    from ttx.service.session import Session


def run(args: argparse.Namespace) -> int:
    """Open the console at home, at setup, back in a session, or as a projector window."""
    command = getattr(args, "command", "home") or "home"
    exercise: Path | None = None
    if command == "run":
        from ttx.model import ExerciseError, load_exercise
        from ttx.paths import find_exercise

        exercise = find_exercise(args.exercise)

        try:
            load_exercise(exercise)
        except ExerciseError as error:
            echo(f"tabletop run: {exercise} cannot be run:", file=sys.stderr)
            for item in error.problems[:20]:
                echo(f"  {item}", file=sys.stderr)
            if len(error.problems) > 20:
                echo(
                    f"  … and {len(error.problems) - 20} more (tabletop validate lists them all)",
                    file=sys.stderr,
                )
            return 2 if error.unusable else 1
    journal: Journal | None = None
    session_id: str | None = getattr(args, "session", None)
    if command in {"resume", "project"}:
        found = _find_session(session_id)
        if isinstance(found[0], str):
            echo(f"tabletop {command}: {found[0]}", file=sys.stderr)
            return int(found[1])
        journal, session_id = found
    if not sys.stdin.isatty() or not sys.stdout.isatty():
        if journal is not None:
            journal.close()
        echo(f"tabletop {command}: the console needs an interactive terminal.", file=sys.stderr)
        return 2

    session: Session | None = None
    if command == "resume" and journal is not None:
        from ttx.service.errors import JournalError

        # Opened here, once, with the journal that found it: a locked session is reported
        # before any screen, and the console draws it as soon as the app is up.
        try:
            session = journal.open_session(session_id)
        except JournalError as error:
            journal.close()
            echo(f"tabletop resume: {error}", file=sys.stderr)
            return error.exit_code

    from ttx.tui.app import make_app

    start = command if command in {"run", "resume", "project"} else "home"
    app = make_app(
        start=start,  # type: ignore[arg-type]
        exercise=exercise,
        session_id=session_id,
        journal=journal,
        session=session,
        project_team=getattr(args, "team", None),
        room=bool(getattr(args, "room", False)),
        room_host=getattr(args, "host", None),
        room_port=getattr(args, "port", DEFAULT_PORT),
    )
    app.run()
    return int(app.return_code or 0)


def _find_session(session_id: str | None) -> tuple[Journal, str] | tuple[str, int]:
    """The open journal and the session's full id, or a message and an exit code when there
    is no such session (or none at all), so the console never opens empty."""
    from ttx.service.errors import JournalError, SessionNotFound
    from ttx.service.journal import open_journal

    try:
        journal = open_journal()
    except JournalError as error:
        return str(error), error.exit_code
    try:
        return journal, journal.resolve_id(session_id)
    except SessionNotFound as error:
        try:
            journal.resolve_id(None)
        except SessionNotFound:
            journal.close()
            return "there are no sessions yet; start one with `tabletop run EXERCISE.yaml`", 2
        journal.close()
        return str(error), error.exit_code
    except JournalError as error:
        journal.close()
        return str(error), error.exit_code
