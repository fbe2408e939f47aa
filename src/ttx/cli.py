"""The `tabletop` command line: parses arguments and hands each command to `ttx.commands.<name>`.

Command modules are imported only when used, so `tabletop validate` never loads the
TUI or the PDF renderer. Each module has `run(args) -> int` (the exit code, from
`ttx.errors.Exit`). Whatever goes wrong, the user sees one message and an exit code,
never a traceback: ttx's own errors (`TtxError`) carry their message and exit code,
and anything else is a bug whose traceback goes to a crash report file.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from ttx import __version__
from ttx.errors import Exit, TtxError
from ttx.room.address import DEFAULT_PORT
from ttx.safe_text import echo, has_surrogates, shown

if TYPE_CHECKING:
    from _typeshed import SupportsWrite

PROG = "tabletop"


class _Parser(argparse.ArgumentParser):
    """argparse, with its messages (which repeat the user's arguments) sanitised."""

    def _print_message(self, message: str, file: SupportsWrite[str] | None = None) -> None:
        if message:
            stream = file if file is not None else sys.stderr
            stream.write(shown(message, keep_newlines=True))


def _host_port(p: argparse.ArgumentParser) -> None:
    """The room's --host and --port (the console's, `tabletop room`'s and the join cards' alike)."""
    p.add_argument(
        "--host",
        metavar="H",
        help="the address to listen on (default: this laptop's address on the local network)",
    )
    p.add_argument(
        "--port",
        metavar="P",
        type=int,
        default=DEFAULT_PORT,
        help=f"default {DEFAULT_PORT}, the same every time (printed join cards keep working); 0: let ttx choose",
    )


def _room_options(p: argparse.ArgumentParser, room_help: str) -> None:
    """The console's room options: --room, and where it listens (as the join cards were printed)."""
    p.add_argument("--room", action="store_true", help=room_help)
    _host_port(p)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser for every command of PRODUCT.md."""
    parser = _Parser(
        prog=PROG,
        description="Run classroom tabletop exercises: validate, print handouts, facilitate live, report.",
        epilog=(
            "With no command, tabletop opens the facilitator console. "
            "EXERCISE is a .yaml file or the id of a shipped exercise (demo, across-the-line, …). "
            "Exit codes: 0 ok, 1 invalid or refused, 2 unusable input, 3 internal error."
        ),
    )
    parser.add_argument("--version", action="version", version=f"{PROG} (ttx) {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("run", help="start a new session of an exercise in the console")
    p.add_argument("exercise", metavar="EXERCISE")
    _room_options(p, "open the room as the session starts (teams answer from their devices)")
    p.set_defaults(module="tui")

    p = sub.add_parser("resume", help="continue a session (the latest if none is named)")
    p.add_argument("session", nargs="?", metavar="SESSION")
    _room_options(p, "open the room as the session opens (teams answer from their devices)")
    p.set_defaults(module="tui")

    p = sub.add_parser("project", help="a read-only projector window that follows a live session")
    p.add_argument("session", nargs="?", metavar="SESSION")
    p.add_argument(
        "--team",
        metavar="ID",
        help="show what this team may see (its own injects and decisions too), for its table",
    )
    p.set_defaults(module="tui")

    p = sub.add_parser(
        "room", help="let teams answer from their devices: serve a session no console holds"
    )
    p.add_argument("session", nargs="?", metavar="SESSION", help="default: the latest session")
    _host_port(p)
    p.add_argument(
        "--record",
        action="store_true",
        help="record the teams' answers directly (default: keep them as proposals)",
    )
    p.add_argument(
        "--cards",
        metavar="FILE.pdf",
        help="print each team's join card (PDF) for this --host and --port, then exit (serves nothing)",
    )
    p.add_argument("--paper", choices=["letter", "a4"], default="letter", help="with --cards")
    shown = p.add_mutually_exclusive_group()
    shown.add_argument(
        "--reveal",
        action="store_true",
        help="show the answers to this move's decisions on the projector page (as v in the "
        "console), then exit; a room already serving the session follows within a second",
    )
    shown.add_argument(
        "--hide", action="store_true", help="hide them from the projector page again, then exit"
    )
    p.set_defaults(module="room")

    p = sub.add_parser("validate", help="check exercise files (exit 0 ok, 1 invalid, 2 unusable)")
    p.add_argument("paths", nargs="+", metavar="PATH", help="exercise files or folders")
    p.add_argument("-q", "--quiet", action="store_true", help="print only problems and the summary")
    p.set_defaults(module="validate")

    p = sub.add_parser("handouts", help="print the participant and facilitator documents (PDF)")
    p.add_argument("exercise", metavar="EXERCISE")
    p.add_argument("-o", "--output", metavar="DIR", help="folder (default handouts/<exercise-id>/)")
    p.add_argument("--paper", choices=["letter", "a4"], default="letter")
    p.set_defaults(module="handouts")

    p = sub.add_parser(
        "report",
        help="the after-action report of a session (PDF, Word with --format docx, or a web page)",
    )
    p.add_argument("session", metavar="SESSION")
    p.add_argument("-o", "--output", metavar="FILE")
    p.add_argument("--paper", choices=["letter", "a4"], default="letter")
    p.add_argument(
        "--format",
        default="pdf",
        metavar="pdf|docx|html",
        help="pdf (default), docx (an editable Word copy) or html (one self-contained web page)",
    )
    p.add_argument(
        "--tz",
        metavar="ZONE",
        help="print times in this time zone, e.g. Europe/Paris (default: this machine's)",
    )
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

    p = sub.add_parser(
        "check", help="verify recorded sessions; salvage a damaged one or restore a backup"
    )
    p.add_argument("session", nargs="?", metavar="SESSION", help="one session (default: all)")
    p.add_argument(
        "--salvage",
        action="store_true",
        help="copy the intact events of each damaged session into a new session",
    )
    p.add_argument("--backups", action="store_true", help="list the journal's backups")
    p.add_argument(
        "--restore",
        nargs="?",
        const="",
        metavar="BACKUP",
        help="replace the journal with a backup (default: the newest); the old one is kept",
    )
    p.set_defaults(module="check")

    p = sub.add_parser(
        "import", help="turn an MSEL spreadsheet or another tool's scenario into an exercise"
    )
    p.add_argument(
        "source",
        metavar="SOURCE",
        help="an HSEEP-style MSEL (.csv/.xlsx), an IcebergTTX scenario or a T3SF MSEL (.json)",
    )
    p.add_argument("-o", "--output", metavar="FILE.yaml", help="file name (default from the title)")
    p.add_argument("--force", action="store_true", help="overwrite an existing file")
    p.set_defaults(module="import_")

    p = sub.add_parser("schema", help="print the JSON Schema of the exercise format")
    p.set_defaults(module="schema")

    p = sub.add_parser(
        "guide", help="read the authoring guide (the exercise format, field by field)"
    )
    p.set_defaults(module="guide")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `tabletop` console script (and of `python -m ttx`)."""
    raw = list(sys.argv[1:] if argv is None else argv)
    for item in raw:
        if has_surrogates(item):
            echo(
                f"{PROG}: the argument '{item}' is not valid UTF-8 text; "
                "retype it, or rename the file to a UTF-8 name",
                file=sys.stderr,
            )
            return int(Exit.UNUSABLE)
    args = build_parser().parse_args(raw)
    module_name = getattr(args, "module", "tui")
    if args.command is None:
        args.command = "home"
    try:
        module = importlib.import_module(f"ttx.commands.{module_name}")
        return int(module.run(args))
    except TtxError as exc:
        echo(f"{PROG} {args.command}: {exc}", file=sys.stderr)
        return int(exc.exit_code)
    except KeyboardInterrupt:
        echo(f"{PROG}: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return int(Exit.OK)
    except OSError as exc:  # a file or folder named on the command line cannot be used
        where = f" {exc.filename}" if exc.filename else ""
        echo(f"{PROG} {args.command}: cannot use{where}: {exc.strerror or exc}", file=sys.stderr)
        return int(Exit.UNUSABLE)
    except Exception as exc:  # the boundary: one message, never a traceback
        from ttx.crash import crash_message, write_crash_report

        report = write_crash_report(exc, f"{PROG} {args.command}")
        first, *rest = crash_message(exc, report).splitlines()
        echo(f"{PROG} {args.command}: {first}", file=sys.stderr)
        for line in rest:
            echo(line, file=sys.stderr)
        return int(Exit.INTERNAL)


if __name__ == "__main__":
    sys.exit(main())
