"""The rendering worker: `python -m ttx.report.worker handouts|report|join-cards ...`, a child process.

It prints one JSON object per line on standard output — `{"progress": phrase}`,
`{"wrote": path}`, then `{"done": [paths]}` or `{"error": message}` — so the
parent (the CLI or the console) stays responsive and can stop it at a time limit.
Every file is written to a temporary name and moved into place.

The worker lowers its own CPU priority first, so that on a two-CPU laptop the
console keeps answering keys while a document renders. `python -m
ttx.report.worker warm` imports WeasyPrint and loads the fonts ahead of time,
then waits for one job (the same four arguments, as one JSON list on standard
input): that is how a caller gets a worker ready before the user asks.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import pickle
import select
import signal
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from ttx.errors import Exit, TtxError

if TYPE_CHECKING:
    from ttx.session.state import SessionState

Emit = Callable[[dict[str, Any]], None]
T = TypeVar("T")

NICENESS = 10
PR_SET_PDEATHSIG = 1
"""prctl option: the signal a process gets when its parent dies (Linux)."""
"""How much the worker lowers its own CPU priority (`os.nice`): the console comes first."""

WARM_IDLE_LIMIT = 900.0
"""Seconds a warm worker waits for its job before it exits on its own."""


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
    """
    from ttx.model.validate import load_exercise
    from ttx.report.handouts import handout_set

    def build() -> list[tuple[str, str, Path]]:
        docs = handout_set(load_exercise(exercise_path))
        return [(doc.title, doc.html(paper), out_dir / doc.filename) for doc in docs]

    emit({"progress": "Reading the exercise"})
    jobs = _overlapped(build)
    workers = _parallelism(len(jobs))
    _progress_handler(emit)
    if workers <= 1:
        for index, job in enumerate(jobs, 1):
            _render_one(job, index, len(jobs))
            emit({"wrote": str(job[2])})
        return [job[2] for job in jobs]
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    # Longest documents first, so no large one is left running alone at the end.
    order = sorted(range(len(jobs)), key=lambda i: -len(jobs[i][1]))
    # The shortest document is rendered here first, before the copies are forked
    # (WeasyPrint is imported and the fonts loaded already; see `_overlapped`).
    first = order.pop()
    _render_one(jobs[first], first + 1, len(jobs))
    emit({"wrote": str(jobs[first][2])})
    try:
        pool = ProcessPoolExecutor(
            max_workers=workers,
            mp_context=multiprocessing.get_context("fork"),
            initializer=die_with_parent,
            initargs=(os.getpid(),),
        )
    except (OSError, ValueError, NotImplementedError):
        pool = None  # no process pool here (e.g. no /dev/shm): render one by one
    if pool is None:
        for i in order:
            _render_one(jobs[i], i + 1, len(jobs))
            emit({"wrote": str(jobs[i][2])})
        return [job[2] for job in jobs]
    with pool:
        futures = {i: pool.submit(_render_one, jobs[i], i + 1, len(jobs)) for i in order}
        for i in order:
            futures[i].result()
            emit({"wrote": str(jobs[i][2])})
    return [job[2] for job in jobs]


def _parallelism(count: int) -> int:
    if sys.platform != "linux" or count < 3:
        return 1
    cpus = (
        len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    )
    return max(1, min(cpus, 4, count))


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


def render_report(session_id: str, output: Path, paper: str, emit: Emit = _emit) -> list[Path]:
    """Render the after-action report of a session to `output`."""

    def html_of(state: SessionState) -> str:
        from ttx.report.aar import report_html

        return report_html(state, paper)

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
        from ttx.service.journal import open_journal

        with open_journal(read_only=True) as journal:
            session = journal.read_session(session_id)
            try:
                state = session.state
            finally:
                session.close()
        return html_of(state)

    emit({"progress": "Reading the session"})
    html = _overlapped(build)
    handler = _progress_handler(emit)
    handler.label = name
    emit({"progress": f"Building the {name[:1].lower()}{name[1:]}"})
    data, _refused = render_pdf(html)
    write_atomic(output, data)
    emit({"wrote": str(output)})
    return [output]


class _BuildFailed(TtxError):
    """The forked reader failed; its message is already the user's, its exit code the CLI's."""

    def __init__(self, message: str, exit_code: int = 1) -> None:
        super().__init__(message)
        self.exit_code = Exit(exit_code)


def _overlapped(build: Callable[[], T]) -> T:
    """`build()`, run in a forked copy while this process imports WeasyPrint and loads the fonts.

    Reading the journal or the exercise and filling the templates (pydantic, Jinja)
    and importing WeasyPrint each take half a second or more; on two CPUs they
    overlap. The result comes back pickled through a pipe. Where there is no fork,
    WeasyPrint is already loaded, or the copy cannot start, it runs here, in turn.
    """
    from ttx.report import render

    if render._warm or sys.platform != "linux" or not hasattr(os, "fork"):
        result = build()
        render.warm_up()
        return result
    read_end, write_end = os.pipe()
    parent = os.getpid()
    try:
        pid = os.fork()
    except OSError:
        os.close(read_end)
        os.close(write_end)
        result = build()
        render.warm_up()
        return result
    if pid == 0:  # the copy: build, send, and leave without running the parent's cleanup
        die_with_parent(parent)
        os.close(read_end)
        status = 0
        try:
            payload = pickle.dumps(("ok", build()))
        except BaseException as exc:  # everything goes back to the parent as a message
            code = int(exc.exit_code) if isinstance(exc, TtxError) else 1
            payload = pickle.dumps(("error", (_user_message(exc), code if code in (1, 2) else 1)))
            status = 1
        try:
            with os.fdopen(write_end, "wb") as pipe:
                pipe.write(payload)
        finally:
            os._exit(status)
    os.close(write_end)
    try:
        render.warm_up()
        with os.fdopen(read_end, "rb") as pipe:
            payload = pipe.read()
    finally:
        os.waitpid(pid, 0)
    if not payload:
        raise _BuildFailed("the process reading the documents' sources stopped unexpectedly")
    kind, value = pickle.loads(payload)  # our own forked copy wrote it
    if kind != "ok":
        message, code = value
        raise _BuildFailed(str(message), int(code))
    built: T = value
    return built


def die_with_parent(parent: int) -> None:
    """In a forked copy: be killed when the worker dies, even by SIGKILL (Linux; elsewhere a no-op).

    Without it, a worker killed from outside (the OOM killer, `kill -9`) left its
    copies rendering for a minute or more under PID 1, 65-110 MB each.
    """
    if sys.platform != "linux":
        return
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # the worker died before prctl took effect
        os._exit(1)


MEMORY_LIMIT_MB = 2048
"""The address space a worker (and each copy it forks) may use; the flagship's handouts peak
near 420 MB. `TTX_RENDER_MEMORY_MB` changes it (tests)."""


def memory_limit_mb() -> int:
    """The worker's memory limit in MB (MEMORY_LIMIT_MB unless TTX_RENDER_MEMORY_MB says otherwise)."""
    raw = os.environ.get("TTX_RENDER_MEMORY_MB", "")
    return int(raw) if raw.isdigit() and int(raw) > 0 else MEMORY_LIMIT_MB


def _limit_memory() -> None:
    """Cap the address space, so a document that would exhaust memory stops with a message."""
    try:
        import resource
    except ImportError:  # pragma: no cover - Windows
        return
    limit = memory_limit_mb() * 1024 * 1024
    with contextlib.suppress(ValueError, OSError):
        _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard == resource.RLIM_INFINITY or hard > limit:
            resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def _lower_priority() -> None:
    """Give the CPU to the console first: the render can wait a moment, a keypress cannot."""
    # No nice here (Windows) or not allowed: run as is.
    with contextlib.suppress(AttributeError, OSError):
        os.nice(NICENESS)


def _wait_for_job() -> list[str] | None:
    """In a warm worker: import WeasyPrint, ttx and the fonts, then read one job from stdin.

    None when the parent closed the pipe (it went away or discarded the worker),
    or after `WARM_IDLE_LIMIT` seconds without a job.
    """
    from ttx.report import render

    render.warm_up()
    import importlib

    # What reading a session or an exercise and building the HTML need, imported while idle.
    for module in ("ttx.service.journal", "ttx.report.aar", "ttx.report.handouts"):
        importlib.import_module(module)

    ready, _, _ = select.select([sys.stdin], [], [], WARM_IDLE_LIMIT)
    if not ready:
        return None
    line = sys.stdin.readline()
    try:
        job = json.loads(line)
    except json.JSONDecodeError:
        return None
    if not isinstance(job, list) or not all(isinstance(a, str) for a in job):
        return None
    return job


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
            f"{memory_limit_mb():,} MB memory limit; shorten the longest texts and try again"
        )
    if isinstance(exc, MemoryError):
        return (
            f"the document needs more than the renderer's {memory_limit_mb():,} MB of memory "
            "and was stopped; shorten the longest texts (or the session's notes) and try again"
        )
    if isinstance(exc, TtxError):  # the journal's, the renderer's, a forked reader's: for the user
        return str(exc)
    if isinstance(exc, OSError):
        return f"{exc.strerror or exc}: {exc.filename or ''}".strip()
    return f"could not render the document ({type(exc).__name__}: {exc})"


def main(argv: list[str] | None = None) -> int:
    """Entry point: `handouts EXERCISE OUT_DIR PAPER`, `report SESSION OUTPUT PAPER`,
    `join-cards SPEC OUTPUT PAPER`, or `warm`."""
    args = list(sys.argv[1:] if argv is None else argv)
    _lower_priority()
    _limit_memory()
    if args == ["warm"]:
        try:
            job = _wait_for_job()
        except KeyboardInterrupt:
            return 130
        except Exception as exc:  # could not warm up: say so, as a job would
            _emit({"error": _user_message(exc)})
            return 1
        if job is None:
            return 0
        args = job
    kinds = ("handouts", "report", "join-cards")
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
            paths = render_report(source, Path(target), paper)
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
