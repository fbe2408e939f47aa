"""The rendering worker: `python -m ttx.report.worker handouts|report ...`, run as a child process.

It prints one JSON object per line on standard output — `{"progress": phrase}`,
`{"wrote": path}`, then `{"done": [paths]}` or `{"error": message}` — so the
parent (the CLI or the console) stays responsive and can stop it at a time limit.
Every file is written to a temporary name and moved into place.
"""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

Emit = Callable[[dict[str, Any]], None]


def _emit(message: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(message, ensure_ascii=False) + "\n")
    sys.stdout.flush()


class _Progress(logging.Handler):
    """Turns WeasyPrint's progress log into short phrases for the parent."""

    def __init__(self, emit: Emit, label: str) -> None:
        super().__init__(logging.INFO)
        self._emit = emit
        self.label = label

    def emit(self, record: logging.LogRecord) -> None:
        text = record.getMessage()
        if "Creating layout - Page" in text:
            page = text.rsplit(" ", 1)[-1]
            self._emit({"progress": f"{self.label}: laying out page {page}"})
        elif text.startswith("Step 6"):
            self._emit({"progress": f"{self.label}: writing the PDF"})


def _progress_handler(emit: Emit) -> _Progress:
    handler = _Progress(emit, "")
    logger = logging.getLogger("weasyprint.progress")
    logger.setLevel(logging.INFO)
    logger.propagate = False
    logger.addHandler(handler)
    return handler


def render_handouts(exercise_path: Path, out_dir: Path, paper: str, emit: Emit = _emit) -> list[Path]:
    """Render every handout of an exercise into `out_dir`; the paths written, in order."""
    from ttx.model.validate import load_exercise
    from ttx.report.handouts import handout_set
    from ttx.report.render import render_pdf, write_atomic

    emit({"progress": "Reading the exercise"})
    exercise = load_exercise(exercise_path)
    docs = handout_set(exercise)
    handler = _progress_handler(emit)
    written: list[Path] = []
    for index, doc in enumerate(docs, 1):
        handler.label = f"{doc.title.capitalize()} ({index} of {len(docs)})"
        emit({"progress": handler.label})
        data, _refused = render_pdf(doc.html(paper))
        target = out_dir / doc.filename
        write_atomic(target, data)
        written.append(target)
        emit({"wrote": str(target)})
    return written


def render_report(session_id: str, output: Path, paper: str, emit: Emit = _emit) -> list[Path]:
    """Render the after-action report of a session to `output`."""
    from ttx.api import open_journal
    from ttx.report.aar import report_html
    from ttx.report.render import render_pdf, write_atomic

    emit({"progress": "Reading the session"})
    with open_journal(read_only=True) as journal:
        session = journal.read_session(session_id)
        try:
            state = session.state
        finally:
            session.close()
    handler = _progress_handler(emit)
    handler.label = "After-action report"
    emit({"progress": "Building the after-action report"})
    data, _refused = render_pdf(report_html(state, paper))
    write_atomic(output, data)
    emit({"wrote": str(output)})
    return [output]


def _user_message(exc: BaseException) -> str:
    """One clear message for anything that stopped the render (never a traceback)."""
    from ttx.model.problems import ExerciseError

    if isinstance(exc, ExerciseError):
        problems = exc.problems[:8]
        more = len(exc.problems) - len(problems)
        text = "the exercise has problems; fix them and try again:\n" + "\n".join(
            f"  {p}" for p in problems
        )
        return text + (f"\n  ... and {more} more (run `ttx validate`)" if more > 0 else "")
    name = type(exc).__name__
    if name in {"SessionNotFound", "JournalError", "JournalCorrupt", "JournalUnwritable"} or (
        "ttx.store" in type(exc).__module__
    ):
        return str(exc)
    if name == "RenderError":
        return str(exc)
    if isinstance(exc, OSError):
        return f"{exc.strerror or exc}: {exc.filename or ''}".strip()
    return f"could not render the document ({name}: {exc})"


def main(argv: list[str] | None = None) -> int:
    """Entry point: `handouts EXERCISE OUT_DIR PAPER` or `report SESSION OUTPUT PAPER`."""
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) != 4 or args[0] not in ("handouts", "report") or args[3] not in ("letter", "a4"):
        _emit({"error": "usage: python -m ttx.report.worker handouts|report SOURCE TARGET letter|a4"})
        return 2
    kind, source, target, paper = args
    try:
        if kind == "handouts":
            paths = render_handouts(Path(source), Path(target), paper)
        else:
            paths = render_report(source, Path(target), paper)
    except KeyboardInterrupt:
        _emit({"error": "stopped"})
        return 130
    except Exception as exc:  # the boundary of the worker: one message for the parent
        _emit({"error": _user_message(exc)})
        return 1
    _emit({"done": [str(p) for p in paths]})
    return 0


if __name__ == "__main__":
    sys.exit(main())
