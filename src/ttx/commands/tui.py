"""`ttx`, `ttx run`, `ttx resume`, `ttx project`: open the facilitator console (imported lazily)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def run(args: argparse.Namespace) -> int:
    """Open the console at home, at setup, back in a session, or as a projector window."""
    command = getattr(args, "command", "home") or "home"
    exercise: Path | None = None
    if command == "run":
        exercise = Path(args.exercise)
        from ttx.model import ExerciseError, load_exercise

        try:
            load_exercise(exercise)
        except ExerciseError as error:
            print(f"ttx run: {exercise} cannot be run:", file=sys.stderr)
            for item in error.problems[:20]:
                print(f"  {item}", file=sys.stderr)
            if len(error.problems) > 20:
                print(
                    f"  … and {len(error.problems) - 20} more (ttx validate lists them all)",
                    file=sys.stderr,
                )
            return 2 if error.unusable else 1
    if command in {"resume", "project"}:
        problem = _check_session(getattr(args, "session", None))
        if problem:
            print(f"ttx {command}: {problem}", file=sys.stderr)
            return 1
    if not sys.stdin.isatty() or not sys.stdout.isatty():
        print(f"ttx {command}: the console needs an interactive terminal.", file=sys.stderr)
        return 2

    from ttx.tui.app import make_app

    start = command if command in {"run", "resume", "project"} else "home"
    app = make_app(start=start, exercise=exercise, session_id=getattr(args, "session", None))  # type: ignore[arg-type]
    app.run()
    return int(app.return_code or 0)


def _check_session(session_id: str | None) -> str | None:
    """A message when there is no such session (or none at all), so the console never opens empty."""
    from ttx.api import JournalError, open_journal

    try:
        with open_journal() as journal:
            if not journal.sessions():
                return "there are no sessions yet; start one with `ttx run EXERCISE.yaml`"
            journal.resolve_id(session_id)
    except JournalError as error:
        return str(error)
    return None
