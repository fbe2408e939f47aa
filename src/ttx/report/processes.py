"""The rendering worker's processes: its limits, the forked reader and the pool of forked copies.

Everything here runs inside `python -m ttx.report.worker` (`ttx.report.worker`):
lowering its CPU priority and capping its memory, building the HTML in a forked
copy while WeasyPrint loads (`overlapped`), and sharing documents among forked
copies (`in_forked_pool`), each of which dies with the worker (`die_with_parent`).
"""

from __future__ import annotations

import contextlib
import os
import pickle
import signal
import sys
from collections.abc import Callable, Iterable
from typing import TypeVar

from ttx.errors import Exit, TtxError

T = TypeVar("T")

NICENESS = 10
"""How much the worker lowers its own CPU priority (`os.nice`): the console comes first."""
PR_SET_PDEATHSIG = 1
"""prctl option: the signal a process gets when its parent dies (Linux)."""

MEMORY_LIMIT_MB = 2048
"""The address space a worker (and each copy it forks) may use; the flagship's handouts peak
near 420 MB. `TTX_RENDER_MEMORY_MB` changes it (tests)."""


def memory_limit_mb() -> int:
    """The worker's memory limit in MB (MEMORY_LIMIT_MB unless TTX_RENDER_MEMORY_MB says otherwise)."""
    raw = os.environ.get("TTX_RENDER_MEMORY_MB", "")
    return int(raw) if raw.isdigit() and int(raw) > 0 else MEMORY_LIMIT_MB


def limit_memory() -> None:
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


def lower_priority() -> None:
    """Give the CPU to the console first: the render can wait a moment, a keypress cannot."""
    # No nice here (Windows) or not allowed: run as is.
    with contextlib.suppress(AttributeError, OSError):
        os.nice(NICENESS)


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


def keep_loaded() -> None:
    """Tell the garbage collector that what is loaded so far (WeasyPrint, fonts, our modules) stays.

    `gc.freeze()` moves those objects out of the collector's generations, so the full
    collections a long render triggers no longer walk them: about a tenth of the
    facilitator guide's CPU time (`benchmarks/results/20261206-gc.md`). Forked copies
    also leave those pages shared instead of touching them.
    """
    import gc

    gc.freeze()


def parallelism(count: int) -> int:
    """How many forked copies share `count` documents: one per CPU (at most 4), none for few."""
    if sys.platform != "linux" or count < 3:
        return 1
    cpus = (
        len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    )
    return max(1, min(cpus, 4, count))


def in_forked_pool(
    tasks: Iterable[T], run: Callable[[T], None], done: Callable[[T], None], workers: int
) -> None:
    """`run(task)` for every task in forked copies of this process, `done(task)` here, in order.

    The copies are forked when the first task is handed out; a lazy `tasks` is taken
    one by one while they work. Where no pool can be had (no fork, no /dev/shm), the
    tasks run here one by one.
    """
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    try:
        pool = ProcessPoolExecutor(
            max_workers=workers,
            mp_context=multiprocessing.get_context("fork"),
            initializer=die_with_parent,
            initargs=(os.getpid(),),
        )
    except (OSError, ValueError, NotImplementedError):
        for task in tasks:
            run(task)
            done(task)
        return
    with pool:
        submitted = [(task, pool.submit(run, task)) for task in tasks]
        for task, future in submitted:
            future.result()
            done(task)


class BuildFailed(TtxError):
    """The forked reader failed; its message is already the user's, its exit code the CLI's."""

    def __init__(self, message: str, exit_code: int = 1) -> None:
        super().__init__(message)
        self.exit_code = Exit(exit_code)


def overlapped(
    build: Callable[[], T], warm_up: Callable[[], None], message: Callable[[BaseException], str]
) -> T:
    """`build()`, run in a forked copy while this process runs `warm_up()` (WeasyPrint, fonts).

    Reading the journal or the exercise and filling the templates (pydantic, Jinja)
    and importing WeasyPrint each take half a second or more; on two CPUs they
    overlap. The result comes back pickled through a pipe; a failure comes back as
    `message(exc)` and its exit code. Where there is no fork or the copy cannot
    start, both run here, in turn.
    """
    if sys.platform != "linux" or not hasattr(os, "fork"):
        result = build()
        warm_up()
        return result
    read_end, write_end = os.pipe()
    parent = os.getpid()
    try:
        pid = os.fork()
    except OSError:
        os.close(read_end)
        os.close(write_end)
        result = build()
        warm_up()
        return result
    if pid == 0:  # the copy: build, send, and leave without running the parent's cleanup
        die_with_parent(parent)
        os.close(read_end)
        status = 0
        try:
            payload = pickle.dumps(("ok", build()))
        except BaseException as exc:  # everything goes back to the parent as a message
            code = int(exc.exit_code) if isinstance(exc, TtxError) else 1
            payload = pickle.dumps(("error", (message(exc), code if code in (1, 2) else 1)))
            status = 1
        try:
            with os.fdopen(write_end, "wb") as pipe:
                pipe.write(payload)
        finally:
            os._exit(status)
    os.close(write_end)
    reader = os.fdopen(read_end, "rb")
    try:
        warm_up()
        payload = reader.read()
    finally:
        # Closed before the wait: when warm_up() failed (e.g. at the memory limit), a copy
        # still writing a payload larger than the pipe gets EPIPE and leaves, instead of
        # both processes waiting for each other for ever.
        reader.close()
        os.waitpid(pid, 0)
    if not payload:
        raise BuildFailed("the process reading the documents' sources stopped unexpectedly")
    kind, value = pickle.loads(payload)  # our own forked copy wrote it
    if kind != "ok":
        text, code = value
        raise BuildFailed(str(text), int(code))
    built: T = value
    return built
