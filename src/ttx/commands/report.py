"""`tabletop report SESSION [-o FILE] [--paper letter|a4] [--format pdf|docx|html] [--tz ZONE]`:
the after-action report.

PDF is rendered in the worker process; the Word copy (`--format docx`) and the
self-contained web page (`--format html`) are built here from the same context
(`ttx.report.aar.report_context`), as they need no WeasyPrint. A report printed before
from the same journal content, code and options is copied from the cache
(`ttx.report.report_cache`) instead.
"""

from __future__ import annotations

import argparse
import sys
from datetime import tzinfo
from pathlib import Path

from ttx.errors import Exit, TtxError
from ttx.safe_text import echo

FORMATS = ("pdf", "docx", "html")


def run(args: argparse.Namespace) -> int:
    """Find the session, then copy its report from the cache or render it.

    Exit 0: written; 1: rendering or the journal failed; 2: no such session, an unknown
    format or time zone.
    """
    from ttx.report.aar_timeline import UnknownZone, resolve_zone, zone_key
    from ttx.report.jobs import default_report_path, prepare_worker, start_report

    fmt = getattr(args, "format", "pdf") or "pdf"
    if fmt not in FORMATS:
        echo(
            f"tabletop report: unknown format {fmt!r}; choose one of {', '.join(FORMATS)} "
            "(e.g. --format docx)",
            file=sys.stderr,
        )
        return int(Exit.UNUSABLE)
    zone_name = getattr(args, "tz", None)
    try:
        zone = resolve_zone(zone_name)
    except UnknownZone as exc:
        echo(f"tabletop report: {exc}", file=sys.stderr)
        return int(exc.exit_code)
    from ttx.commands.progress import wait_showing_progress
    from ttx.report import report_cache
    from ttx.service.errors import JournalError
    from ttx.service.journal import open_journal

    paper = getattr(args, "paper", "letter") or "letter"
    try:
        with open_journal(read_only=True) as journal:
            session_id = journal.resolve_id(args.session)
            key = report_cache.report_key(
                journal.content_digest(session_id), fmt, paper, zone_key(zone)
            )
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
    try:
        if report_cache.copy_out(key, output):
            echo(
                f"Wrote the after-action report of session {session_id} to {output} "
                "(unchanged since printed, copied from the cache)"
            )
            return 0
    except TtxError as exc:
        echo(f"tabletop report: {exc}", file=sys.stderr)
        return int(exc.exit_code)
    if fmt != "pdf":
        code = _write_here(session_id, output, fmt, paper, zone)
    else:
        prepare_worker()  # WeasyPrint and the fonts load while the worker reads the session
        job = start_report(session_id, output, paper, zone_name)
        if not wait_showing_progress(job):
            for line in str(job.error).splitlines():  # the worker's lines, each already one line
                echo(line if line.startswith("  ") else f"tabletop report: {line}", file=sys.stderr)
            return job.exit_code if job.error else 1
        output = job.path or output
        code = 0
    if code == 0:
        report_cache.store(key, session_id, output)
        echo(f"Wrote the after-action report of session {session_id} to {output}")
    return code


def _write_here(session_id: str, output: Path, fmt: str, paper: str, zone: tzinfo | None) -> int:
    """Build the Word copy or the web page of the report in this process and write it in one move."""
    from ttx.report.aar import report_context
    from ttx.report.render import write_atomic
    from ttx.report.templates import render_html
    from ttx.service.journal import read_state

    try:
        context = report_context(read_state(session_id), zone)
        if fmt == "docx":
            from ttx.report.aar_docx import report_docx

            data = report_docx(context)
        else:
            from ttx.report.standalone import standalone_html

            data = standalone_html(render_html("aar", context, paper)).encode("utf-8")
        write_atomic(output, data)
    except TtxError as exc:
        echo(f"tabletop report: {exc}", file=sys.stderr)
        return int(exc.exit_code)
    return 0
