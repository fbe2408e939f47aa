"""The `ttx` command line: parses arguments and hands each command to `ttx.commands.<name>`.

Command modules are imported only when used, so `ttx validate` never loads the
TUI or the PDF renderer. Each module has `run(args) -> int` (the exit code).
Whatever goes wrong, the user sees one message and an exit code, never a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from ttx import __version__

# Which part of the project brings a command, shown while it is not built yet.
PARTS = {
    "tui": "the facilitator console (TUI)",
    "validate": "the exercise format",
    "schema": "the exercise format",
    "new": "the shipped exercises and authoring guide",
    "sessions": "the live session engine",
    "export": "the live session engine",
    "handouts": "the printed documents",
    "report": "the printed documents",
}


def build_parser() -> argparse.ArgumentParser:
    """The argument parser for every command of PRODUCT.md."""
    parser = argparse.ArgumentParser(
        prog="ttx",
        description="Run classroom tabletop exercises: validate, print handouts, facilitate live, report.",
        epilog="With no command, ttx opens the facilitator console. Data folder: see `ttx sessions --where`.",
    )
    parser.add_argument("--version", action="version", version=f"ttx {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("run", help="start a new session of an exercise in the console")
    p.add_argument("exercise", metavar="EXERCISE.yaml")
    p.set_defaults(module="tui")

    p = sub.add_parser("resume", help="continue a session (the latest if none is named)")
    p.add_argument("session", nargs="?", metavar="SESSION")
    p.set_defaults(module="tui")

    p = sub.add_parser("project", help="a read-only projector window that follows a live session")
    p.add_argument("session", nargs="?", metavar="SESSION")
    p.add_argument(
        "--team",
        metavar="ID",
        help="show what this team may see (its own injects and decisions too), for its table",
    )
    p.set_defaults(module="tui")

    p = sub.add_parser("validate", help="check exercise files (exit 0 ok, 1 invalid, 2 unusable)")
    p.add_argument("paths", nargs="+", metavar="PATH", help="exercise files or folders")
    p.add_argument("-q", "--quiet", action="store_true", help="print only problems and the summary")
    p.set_defaults(module="validate")

    p = sub.add_parser("handouts", help="print the participant and facilitator documents (PDF)")
    p.add_argument("exercise", metavar="EXERCISE.yaml")
    p.add_argument("-o", "--output", metavar="DIR", help="folder (default handouts/<exercise-id>/)")
    p.add_argument("--paper", choices=["letter", "a4"], default="letter")
    p.set_defaults(module="handouts")

    p = sub.add_parser("report", help="the after-action report of a session (PDF)")
    p.add_argument("session", metavar="SESSION")
    p.add_argument("-o", "--output", metavar="FILE.pdf")
    p.add_argument("--paper", choices=["letter", "a4"], default="letter")
    p.set_defaults(module="report")

    p = sub.add_parser("sessions", help="list recorded sessions")
    p.add_argument("--where", action="store_true", help="print where sessions are stored")
    p.set_defaults(module="sessions")

    p = sub.add_parser("export", help="the decision log for a spreadsheet or a gradebook")
    p.add_argument("session", metavar="SESSION")
    p.add_argument("--format", choices=["json", "csv"], default="csv")
    p.add_argument(
        "-o", "--output", metavar="FILE", help="write to a file instead of standard output"
    )
    p.set_defaults(module="export")

    p = sub.add_parser("new", help="write a commented starter exercise")
    p.add_argument("title", metavar="TITLE")
    p.add_argument("-o", "--output", metavar="FILE.yaml", help="file name (default from the title)")
    p.add_argument("--force", action="store_true", help="overwrite an existing file")
    p.set_defaults(module="new")

    p = sub.add_parser("schema", help="print the JSON Schema of the exercise format")
    p.set_defaults(module="schema")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `ttx` console script."""
    args = build_parser().parse_args(argv)
    module_name = getattr(args, "module", "tui")
    if args.command is None:
        args.command = "home"
    try:
        module = importlib.import_module(f"ttx.commands.{module_name}")
    except ModuleNotFoundError as exc:
        if exc.name == f"ttx.commands.{module_name}":
            part = PARTS.get(module_name, "a later part of the project")
            print(f"ttx {args.command}: not built yet; it comes with {part}.", file=sys.stderr)
            return 2
        raise
    try:
        return int(module.run(args))
    except KeyboardInterrupt:
        print("ttx: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:  # the boundary: one message, never a traceback
        print(f"ttx {args.command}: unexpected error: {type(exc).__name__}: {exc}", file=sys.stderr)
        print(
            "Nothing recorded was lost. Please report this with the command you ran.",
            file=sys.stderr,
        )
        return 3


if __name__ == "__main__":
    sys.exit(main())
