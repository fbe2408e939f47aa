"""`tabletop report SESSION [-o FILE.pdf] [--paper letter|a4]`: the after-action report of a session."""

from __future__ import annotations

import argparse
import sys

from ttx.safe_text import echo


def run(args: argparse.Namespace) -> int:
    """Find the session, then render its report in a worker process.

    Exit 0: written; 1: rendering or the journal failed; 2: no such session.
    """
    from ttx.report.jobs import default_report_path, prepare_worker, start_report

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

    try:
        output = output_path(args.output, f"{session_id}-aar.pdf", default_report_path(session_id))
    except OutputRefused as exc:
        echo(f"tabletop report: {exc}", file=sys.stderr)
        return exc.exit_code
    paper = getattr(args, "paper", "letter") or "letter"
    job = start_report(session_id, output, paper)
    ok = wait_showing_progress(job)
    if not ok:
        for line in str(job.error).splitlines():  # the worker's lines, each already one line
            echo(line if line.startswith("  ") else f"tabletop report: {line}", file=sys.stderr)
        return job.exit_code if job.error else 1
    echo(f"Wrote the after-action report of session {session_id} to {job.path}")
    return 0
