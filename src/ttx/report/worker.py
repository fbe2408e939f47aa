"""The rendering worker's entry point: `python -m ttx.report.worker handouts|report|join-cards|warm ...`.

Run as a child process (`ttx.report.jobs`). It prints one JSON object per line on
standard output — `{"progress": phrase}`, `{"wrote": path}`, then `{"done": [paths]}`
or `{"error": message}` — so the parent (the CLI or the console) stays responsive and
can stop it at a time limit. Every file is written to a temporary name and moved
into place. Its processes (priority, memory limit, forked reader and pool) are in
`ttx.report.processes`; waiting warm for a job is `ttx.report.warm`.
"""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from ttx.errors import Exit, TtxError
from ttx.report import processes

if TYPE_CHECKING:
    from ttx.session.state import SessionState

Emit = Callable[[dict[str, Any]], None]
T = TypeVar("T")


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


def render_handouts(
    exercise_path: Path, out_dir: Path, paper: str, emit: Emit = _emit
) -> list[Path]:
    """Render every handout of an exercise into `out_dir`; the paths written, in order.

    On Linux with several CPUs the documents are shared among forked copies of
    this worker (WeasyPrint already imported), which roughly halves the wall time.
    The facilitator guide, by far the longest, goes first; each other document's
    HTML is filled here while the copies already render.
    """
    from ttx.model.validate import load_exercise
    from ttx.report import handout_cache
    from ttx.report.handouts import Handout, handout_set

    def build() -> tuple[str, str, list[Handout]]:
        exercise = load_exercise(exercise_path)
        return exercise.id, exercise.title, handout_set(exercise)

    key = handout_cache.handouts_key(exercise_path, paper)
    emit({"progress": "Reading the exercise"})
    exercise_id, title, docs = _overlapped(build)
    order = [len(docs) - 1, *range(len(docs) - 1)]  # the guide is the set's last document
    jobs = (
        ((docs[i].title, docs[i].html(paper), out_dir / docs[i].filename), i + 1, len(docs))
        for i in order
    )
    _render_all(jobs, len(docs), emit)
    paths = [out_dir / doc.filename for doc in docs]
    # Kept for next time only if the exercise did not change while it was printed.
    if key is not None and handout_cache.handouts_key(exercise_path, paper) == key:
        handout_cache.store(key, exercise_id, title, paths)
    return paths


RenderTask = tuple[tuple[str, str, Path], int, int]
"""One document to render: (title, HTML, target), its place in the set, the set's size."""


def _render_all(tasks: Iterable[RenderTask], count: int, emit: Emit) -> None:
    """Render the documents, shared among forked copies where there are CPUs for it.

    `tasks` may be lazy: each is taken (its HTML filled) only when it is handed out.
    """
    workers = processes.parallelism(count)
    _progress_handler(emit)
    if workers <= 1:
        for task in tasks:
            _render_task(task)
            emit({"wrote": str(task[0][2])})
        return
    processes.in_forked_pool(
        tasks,
        _render_task,  # a module-level function: the pool sends it to the copies pickled
        lambda task: emit({"wrote": str(task[0][2])}),
        workers,
    )


def _render_task(task: RenderTask) -> None:
    _render_one(*task)


def _render_one(job: tuple[str, str, Path], index: int, total: int) -> None:
    from ttx.report.render import render_pdf, write_atomic

    title, html, target = job
    label = f"{title[:1].upper()}{title[1:]} ({index} of {total})"
    for handler in logging.getLogger("weasyprint.progress").handlers:
        if isinstance(handler, _Progress):
            handler.label = label
    _emit({"progress": label})
    data, _refused = render_pdf(html)
    write_atomic(target, data)


def render_report(
    session_id: str, output: Path, paper: str, emit: Emit = _emit, zone: str | None = None
) -> list[Path]:
    """Render the after-action report of a session to `output`, its times in the IANA `zone`."""

    def html_of(state: SessionState) -> str:
        from ttx.report.aar import report_html
        from ttx.report.aar_timeline import resolve_zone

        return report_html(state, paper, resolve_zone(zone))

    return _render_session_document(session_id, html_of, "After-action report", output, emit)


def render_join_cards(spec: Path, output: Path, paper: str, emit: Emit = _emit) -> list[Path]:
    """Render a session's join cards to `output` from the spec file `jobs.start_join_cards` wrote.

    The spec holds the teams' codes: it is read and removed first, before anything else.
    """
    try:
        raw = json.loads(spec.read_text(encoding="utf-8"))
    finally:
        spec.unlink(missing_ok=True)
    links_raw: dict[str, dict[str, str]] = raw["links"]

    def html_of(state: SessionState) -> str:
        from ttx.report.join_cards import JoinLink, join_cards_context
        from ttx.report.templates import render_html

        links = {team: JoinLink(v["url"], v["code"]) for team, v in links_raw.items()}
        return render_html("join_cards", join_cards_context(state, links), paper)

    return _render_session_document(str(raw["session"]), html_of, "Join cards", output, emit)


def _render_session_document(
    session_id: str,
    html_of: Callable[[SessionState], str],
    name: str,
    output: Path,
    emit: Emit,
) -> list[Path]:
    """Read a session (while WeasyPrint loads), fill its document, render it to `output`."""
    from ttx.report.render import render_pdf, write_atomic

    def build() -> str:
        from ttx.service.journal import read_state

        return html_of(read_state(session_id))

    emit({"progress": "Reading the session"})
    html = _overlapped(build)
    handler = _progress_handler(emit)
    handler.label = name
    emit({"progress": f"Building the {name[:1].lower()}{name[1:]}"})
    data, _refused = render_pdf(html)
    write_atomic(output, data)
    emit({"wrote": str(output)})
    return [output]


def _overlapped(build: Callable[[], T]) -> T:
    """`build()` while WeasyPrint loads (`processes.overlapped`), or at once if it is loaded."""
    from ttx.report import render
    from ttx.report.warm import load_everything

    if render._warm:
        return build()
    return processes.overlapped(build, load_everything, _user_message)


def _user_message(exc: BaseException) -> str:
    """One clear message for anything that stopped the render (never a traceback)."""
    from concurrent.futures.process import BrokenProcessPool

    from ttx.model.problems import ExerciseError
    from ttx.safe_text import shown

    if isinstance(exc, ExerciseError):
        problems = exc.problems[:8]
        more = len(exc.problems) - len(problems)
        text = "the exercise has problems; fix them and try again:\n" + "\n".join(
            f"  {shown(str(p))}" for p in problems
        )
        return text + (f"\n  ... and {more} more (run `tabletop validate`)" if more > 0 else "")
    if isinstance(exc, BrokenProcessPool):  # a copy died: the memory limit is the likely cause
        return (
            "a rendering process stopped abruptly, most likely at the renderer's "
            f"{processes.memory_limit_mb():,} MB memory limit; shorten the longest texts and try again"
        )
    if isinstance(exc, MemoryError):
        return (
            f"the document needs more than the renderer's {processes.memory_limit_mb():,} MB of memory "
            "and was stopped; shorten the longest texts (or the session's notes) and try again"
        )
    if isinstance(exc, TtxError):  # the journal's, the renderer's, a forked reader's: for the user
        return str(exc)
    if isinstance(exc, OSError):
        return f"{exc.strerror or exc}: {exc.filename or ''}".strip()
    return f"could not render the document ({type(exc).__name__}: {exc})"


def main(argv: list[str] | None = None) -> int:
    """Entry point: `handouts EXERCISE OUT_DIR PAPER`, `report SESSION OUTPUT PAPER [ZONE]`,
    `join-cards SPEC OUTPUT PAPER`, or `warm`."""
    args = list(sys.argv[1:] if argv is None else argv)
    processes.lower_priority()
    processes.limit_memory()
    if args == ["warm"]:
        from ttx.report.warm import wait_for_job

        try:
            job = wait_for_job()
        except KeyboardInterrupt:
            return 130
        except Exception as exc:  # could not warm up: say so, as a job would
            _emit({"error": _user_message(exc)})
            return 1
        if job is None:
            return 0
        args = job
    kinds = ("handouts", "report", "join-cards")
    zone = args.pop() if len(args) == 5 and args[0] == "report" else None
    if len(args) != 4 or args[0] not in kinds or args[3] not in ("letter", "a4"):
        _emit(
            {
                "error": "usage: python -m ttx.report.worker handouts|report|join-cards "
                "SOURCE TARGET letter|a4"
            }
        )
        return 2
    kind, source, target, paper = args
    try:
        if kind == "handouts":
            paths = render_handouts(Path(source), Path(target), paper)
        elif kind == "join-cards":
            paths = render_join_cards(Path(source), Path(target), paper)
        else:
            paths = render_report(source, Path(target), paper, zone=zone)
    except KeyboardInterrupt:
        _emit({"error": "stopped"})
        return 130
    except Exception as exc:  # the boundary of the worker: one message for the parent
        # A journal error carries the CLI's exit code (2: a damaged or unknown session).
        code = exc.exit_code if isinstance(exc, TtxError) else Exit.INVALID
        _emit({"error": _user_message(exc), "exit": int(code)})
        return 1
    _emit({"done": [str(p) for p in paths]})
    return 0


if __name__ == "__main__":
    sys.exit(main())
