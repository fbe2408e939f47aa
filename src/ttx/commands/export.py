"""`tabletop export SESSION --format json|csv`: the decision log for a spreadsheet, gradebook or script."""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

from ttx.paths import sessions_db
from ttx.safe_text import echo, shown
from ttx.service.errors import JournalError


def run(args: argparse.Namespace) -> int:
    """Write the decision log of a session; one line and a non-zero exit on any failure.

    Exit 2: no such session (or the prefix is ambiguous); exit 1: the journal or the
    output file could not be used.
    """
    from ttx.report.decision_log import decisions_csv, decisions_json
    from ttx.service.journal import open_journal

    try:
        with open_journal(sessions_db(), read_only=True) as journal:
            session = journal.read_session(args.session)
            try:
                state = session.state
            finally:
                session.close()
    except JournalError as exc:
        echo(f"tabletop export: {exc}", file=sys.stderr)
        return exc.exit_code
    fmt = getattr(args, "format", "csv")
    if fmt == "json":
        text = json.dumps(decisions_json(state), indent=2, ensure_ascii=False) + "\n"
    else:
        text = decisions_csv(state)
    output = getattr(args, "output", None)
    if output is not None:
        from ttx.commands.outputs import OutputRefused, output_path

        name = f"{state.id}-decisions.{fmt}"
        try:
            output = str(output_path(output, name, Path(name)))
        except OutputRefused as exc:
            echo(f"tabletop export: {exc}", file=sys.stderr)
            return exc.exit_code
    if output is None:
        if sys.stdout.isatty():  # for a person: shown, never obeyed; piped, the data as is
            text = shown(text.replace("\r\n", "\n"), keep_newlines=True)
        sys.stdout.write(text)
        sys.stdout.flush()
        return 0
    # Files get a byte-order mark in CSV so spreadsheet programs read UTF-8 correctly.
    encoding = "utf-8-sig" if fmt == "csv" else "utf-8"
    try:
        _write_atomically(Path(output), text, encoding)
    except OSError as exc:
        echo(f"tabletop export: cannot write {output}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    echo(f"Wrote {output} ({fmt}, session {state.id}).", file=sys.stderr)
    return 0


def _write_atomically(path: Path, text: str, encoding: str) -> None:
    folder = path.parent if str(path.parent) else Path(".")
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding=encoding, newline="") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
