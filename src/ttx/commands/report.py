"""`tabletop report SESSION [-o FILE] [--paper letter|a4] [--format pdf|docx]`: the after-action report.

PDF is rendered in the worker process; the Word copy (`--format docx`) is built here
from the same context (`ttx.report.aar.report_context`), as it needs no WeasyPrint.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ttx.errors import Exit, TtxError
from ttx.safe_text import echo

FORMATS = ("pdf", "docx")


def run(args: argparse.Namespace) -> int:
    """Find the session, then render its report in a worker process.

    Exit 0: written; 1: rendering or the journal failed; 2: no such session.
    """
    from ttx.report.jobs import default_report_path, prepare_worker, start_report

    fmt = getattr(args, "format", "pdf") or "pdf"
    if fmt not in FORMATS:
        echo(
            f"tabletop report: unknown format {fmt!r}; choose one of {', '.join(FORMATS)} "
            "(e.g. --format docx)",
            file=sys.stderr,
        )
        return int(Exit.UNUSABLE)
    if fmt == "pdf":
        # The worker loads WeasyPrint and the fonts while this process finds the session.
        prepare_worker()
    from ttx.commands.progress import wait_showing_progress
    from ttx.service.errors import JournalError
    from ttx.service.journal import open_journal

    try:
        with open_journal(read_only=True) as journal:
            session_id = journal.resolve_id(args.session)
    except JournalError as exc:
        echo(f"tabletop report: {exc}", file=sys.stderr)
        return int(exc.exit_code)
    from ttx.commands.outputs import OutputRefused, output_path

    default = default_report_path(session_id).with_suffix(f".{fmt}")
    try:
        output = output_path(args.output, f"{session_id}-aar.{fmt}", default)
    except OutputRefused as exc:
        echo(f"tabletop report: {exc}", file=sys.stderr)
        return exc.exit_code
    if fmt == "docx":
        return _write_docx(session_id, output)
    paper = getattr(args, "paper", "letter") or "letter"
    job = start_report(session_id, output, paper)
    ok = wait_showing_progress(job)
    if not ok:
        for line in str(job.error).splitlines():  # the worker's lines, each already one line
            echo(line if line.startswith("  ") else f"tabletop report: {line}", file=sys.stderr)
        return job.exit_code if job.error else 1
    echo(f"Wrote the after-action report of session {session_id} to {job.path}")
    return 0


def _write_docx(session_id: str, output: Path) -> int:
    """Build the Word copy of the report in this process and write it in one move."""
    from ttx.report.aar import report_context
    from ttx.report.aar_docx import report_docx
    from ttx.report.render import write_atomic
    from ttx.service.journal import read_state

    try:
        write_atomic(output, report_docx(report_context(read_state(session_id))))
    except TtxError as exc:
        echo(f"tabletop report: {exc}", file=sys.stderr)
        return int(exc.exit_code)
    echo(f"Wrote the after-action report of session {session_id} to {output}")
    return 0
