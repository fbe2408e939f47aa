"""Render documents in a child process without blocking the caller: start, poll, cancel.

The console calls `start_report(...)` and then `job.poll()` from a timer, so key
latency is untouched while WeasyPrint works; `tabletop report` and `tabletop handouts`
use the same jobs and simply wait. A job that runs past its time limit is killed.

`prepare_worker()` starts a worker ahead of time (it imports WeasyPrint and loads
the fonts, about a second, then waits); the next `start_report` or
`start_handouts` hands it the job instead of starting a process from nothing.
"""

from __future__ import annotations

import atexit
import contextlib
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import IO, TYPE_CHECKING

from ttx.paths import reports_dir

if TYPE_CHECKING:
    from ttx.report.join_cards import JoinLink

REPORT_TIME_LIMIT = 120.0
HANDOUTS_TIME_LIMIT = 300.0
PAPERS = ("letter", "a4")


class RenderJob:
    """A document render running in `python -m ttx.report.worker`.

    `poll()` returns the latest progress phrase while it runs and None once it
    has finished; then `done` is True and either `paths` holds what was written
    or `error` says, for the user, what went wrong.
    """

    def __init__(
        self,
        args: list[str],
        *,
        time_limit: float,
        targets: list[Path],
        warm: WarmWorker | None = None,
        private: Path | None = None,
    ) -> None:
        self.time_limit = time_limit
        self._private = private
        """A file the worker reads and removes (join codes); removed when the job ends, at the latest."""
        self.paths: list[Path] = []
        self.error: str | None = None
        self.exit_code = 1
        """The CLI exit code for `error` (2: the input is unusable, e.g. a damaged session)."""
        self.progress: str = "Starting"
        self.reported: list[str] = []
        """Every progress phrase the worker reported, in order (`progress` is the latest)."""
        self._targets = targets
        self._buffer = b""
        self._finished = False
        self._started = time.monotonic()
        if warm is not None and warm.hand_over(args):
            self._proc, self._stderr = warm.proc, warm.stderr
        else:
            self._stderr = tempfile.TemporaryFile()  # noqa: SIM115 (closed in _finish)
            self._proc = _spawn(args, self._stderr)
        assert self._proc.stdout is not None
        os.set_blocking(self._proc.stdout.fileno(), False)

    @property
    def done(self) -> bool:
        """True once the worker has finished, failed, timed out or been cancelled."""
        return self._finished

    @property
    def path(self) -> Path | None:
        """The (first) file written, once done without error."""
        return self.paths[0] if self.paths and self.error is None else None

    @property
    def pid(self) -> int:
        """The worker process's id (the prepared worker's, when the job was handed to it)."""
        return self._proc.pid

    @property
    def elapsed(self) -> float:
        """Seconds since the job started."""
        return time.monotonic() - self._started

    def poll(self) -> str | None:
        """Read what the worker reported; the progress phrase while running, None when done."""
        if self._finished:
            return None
        self._read()
        code = self._proc.poll()
        if code is not None:
            self._read()
            self._finish(code)
            return None
        if self.elapsed > self.time_limit:
            self._stop()
            self.error = (
                f"rendering took longer than {self.time_limit:.0f} s and was stopped; "
                "nothing was overwritten"
            )
            self._finish(None)
            return None
        return self.progress

    def wait(
        self, on_progress: Callable[[str], None] | None = None, interval: float = 0.05
    ) -> bool:
        """Block until done, passing each new progress phrase on; True when it succeeded."""
        last = None
        while True:
            phrase = self.poll()
            if phrase is None:
                return self.error is None
            if on_progress is not None and phrase != last:
                on_progress(phrase)
                last = phrase
            time.sleep(interval)

    def cancel(self) -> None:
        """Stop the worker; files already in place stay, a half-written one is removed."""
        if self._finished:
            return
        self._stop()
        self.error = "cancelled"
        self._finish(None)

    # -- internals -----------------------------------------------------------------

    def _read(self) -> None:
        assert self._proc.stdout is not None
        while True:
            try:
                chunk = self._proc.stdout.read(65536)
            except (BlockingIOError, ValueError):
                break
            if not chunk:
                break
            self._buffer += chunk
        *lines, self._buffer = self._buffer.split(b"\n")
        for line in lines:
            self._handle(line)

    def _handle(self, line: bytes) -> None:
        try:
            message = json.loads(line.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            return
        if not isinstance(message, dict):
            return
        if "progress" in message:
            self.progress = str(message["progress"])
            self.reported.append(self.progress)
        if "wrote" in message:
            self.paths.append(Path(str(message["wrote"])))
        if isinstance(message.get("done"), list):
            self.paths = [Path(str(p)) for p in message["done"]]
        if "error" in message:
            self.error = str(message["error"])
            exit_code = message.get("exit")
            self.exit_code = exit_code if isinstance(exit_code, int) and exit_code in (1, 2) else 1

    def _finish(self, code: int | None) -> None:
        self._finished = True
        if self._private is not None:
            self._private.unlink(missing_ok=True)
        if code is not None and code != 0:
            # The worker died (killed from outside, or crashed): its forked copies go too.
            self._signal(getattr(signal, "SIGKILL", signal.SIGTERM))
        if code is not None and code != 0 and self.error is None:
            self.error = self._crash_message(code)
        if self.error is not None:
            self._remove_partials()
        if self._proc.stdout is not None:
            self._proc.stdout.close()
        self._stderr.close()

    def _crash_message(self, code: int) -> str:
        self._stderr.seek(0)
        tail = self._stderr.read()[-2000:].decode("utf-8", "replace").strip().splitlines()
        last = tail[-1] if tail else f"exit code {code}"
        from ttx.report.processes import memory_limit_mb

        return (
            f"the renderer stopped unexpectedly ({last[:300]}); if the document is very long, "
            f"it may have reached the renderer's {memory_limit_mb():,} MB memory limit"
        )

    def _stop(self) -> None:
        self._signal(signal.SIGTERM)
        try:
            self._proc.wait(timeout=2)
        except subprocess.TimeoutExpired:
            self._signal(getattr(signal, "SIGKILL", signal.SIGTERM))
            self._proc.wait()

    def _signal(self, sig: int) -> None:
        """Send a signal to the worker and the copies it forked (its process group)."""
        _signal_group(self._proc, sig)

    def _remove_partials(self) -> None:
        for target in self._targets:
            folder = target if target.suffix != ".pdf" else target.parent
            if not folder.is_dir():
                continue
            for part in folder.glob(".*.pdf.*.part"):
                part.unlink(missing_ok=True)


class ReportJob(RenderJob):
    """The after-action report of one session, rendered in a child process."""


def _spawn(args: list[str], stderr: IO[bytes]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "ttx.report.worker", *args],
        stdin=subprocess.PIPE if args == ["warm"] else subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=stderr,
        # Few malloc arenas: each reserves 64 MB of address space, which counts against
        # the worker's memory limit (`ttx.report.processes.MEMORY_LIMIT_MB`) on many-CPU machines.
        env={"MALLOC_ARENA_MAX": "2", **os.environ, "PYTHONIOENCODING": "utf-8"},
        # Its own process group, so stopping it also stops the copies it forks.
        start_new_session=hasattr(os, "killpg"),
    )


class WarmWorker:
    """A worker started ahead of time: WeasyPrint imported, fonts loaded, waiting for one job.

    It exits by itself when its pipe closes (this process went away) or after
    `ttx.report.warm.WARM_IDLE_LIMIT` seconds without a job. It is only given a job when
    the environment (e.g. `TTX_HOME`) is still the one it started with.
    """

    def __init__(self) -> None:
        self.stderr = tempfile.TemporaryFile()  # noqa: SIM115 (the job closes it, or discard)
        self.environment = dict(os.environ)
        self.proc = _spawn(["warm"], self.stderr)

    @property
    def alive(self) -> bool:
        """True while it runs and can still take a job."""
        return self.proc.poll() is None and self.proc.stdin is not None

    def hand_over(self, args: list[str]) -> bool:
        """Give it its job; False (and it is discarded) when it can no longer take one."""
        stdin = self.proc.stdin
        if stdin is None or not self.alive or self.environment != dict(os.environ):
            self.discard()
            return False
        try:
            stdin.write((json.dumps(args) + "\n").encode("utf-8"))
            stdin.close()
        except OSError:
            self.discard()
            return False
        self.proc.stdin = None
        return True

    def discard(self) -> None:
        """Stop it (it holds nothing but loaded libraries) and release its pipes."""
        if self.proc.poll() is None:
            _signal_group(
                self.proc, signal.SIGKILL if hasattr(signal, "SIGKILL") else signal.SIGTERM
            )
            self.proc.wait()
        for pipe in (self.proc.stdin, self.proc.stdout):
            if pipe is not None:
                with contextlib.suppress(OSError):
                    pipe.close()
        self.proc.stdin = None
        self.stderr.close()


def _signal_group(proc: subprocess.Popen[bytes], sig: int) -> None:
    """Send a signal to a worker and the copies it forked (its process group)."""
    if hasattr(os, "killpg"):
        try:
            os.killpg(proc.pid, sig)
            return
        except (ProcessLookupError, PermissionError):
            pass
    if proc.poll() is None:
        proc.send_signal(sig)


_spare: WarmWorker | None = None


def prepare_worker() -> None:
    """Start a worker now, so the next report or handouts start without the ~1 s of loading.

    Returns at once; calling it again while one waits does nothing. The worker
    runs at low priority and uses one CPU for about a second, then sleeps.
    """
    global _spare
    if _spare is not None and _spare.alive:
        return
    _spare = WarmWorker()


def prepared_worker() -> WarmWorker | None:
    """The worker `prepare_worker` started and no job has taken yet, if any."""
    return _spare


def discard_worker() -> None:
    """Stop the prepared worker, if any (also done when this process exits)."""
    global _spare
    spare, _spare = _spare, None
    if spare is not None:
        spare.discard()


def _take_spare() -> WarmWorker | None:
    global _spare
    spare, _spare = _spare, None
    return spare


atexit.register(discard_worker)


def default_report_path(session_id: str) -> Path:
    """Where a session's report goes when no output is named."""
    return reports_dir() / f"{session_id}-aar.pdf"


def start_report(
    session_id: str, output: Path | None = None, paper: str = "letter", zone: str | None = None
) -> ReportJob:
    """Start rendering a session's after-action report, its times in the IANA `zone` (None:
    the machine's); returns at once."""
    if paper not in PAPERS:
        raise ValueError(f"paper must be letter or a4, not {paper!r}")
    target = Path(output) if output is not None else default_report_path(session_id)
    target = target.expanduser().absolute()
    return ReportJob(
        ["report", session_id, str(target), paper, *([zone] if zone else [])],
        time_limit=REPORT_TIME_LIMIT,
        targets=[target],
        warm=_take_spare(),
    )


def start_join_cards(
    session_id: str, links: Mapping[str, JoinLink], output: Path, paper: str = "letter"
) -> RenderJob:
    """Start rendering a session's join cards (one per team with a link); returns at once.

    The links travel to the worker in a file only this user can read, which the worker
    removes as soon as it has read it (and the job, if the worker never did).
    """
    if paper not in PAPERS:
        raise ValueError(f"paper must be letter or a4, not {paper!r}")
    target = Path(output).expanduser().absolute()
    fd, name = tempfile.mkstemp(prefix="ttx-join-cards-", suffix=".json")
    spec = {
        "session": session_id,
        "links": {team: {"url": link.url, "code": link.code} for team, link in links.items()},
    }
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump(spec, handle)
    return RenderJob(
        ["join-cards", name, str(target), paper],
        time_limit=REPORT_TIME_LIMIT,
        targets=[target],
        warm=_take_spare(),
        private=Path(name),
    )


def start_handouts(exercise: Path, out_dir: Path, paper: str = "letter") -> RenderJob:
    """Start rendering every handout of an exercise into `out_dir`; returns at once."""
    if paper not in PAPERS:
        raise ValueError(f"paper must be letter or a4, not {paper!r}")
    folder = Path(out_dir).expanduser().absolute()
    return RenderJob(
        ["handouts", str(Path(exercise).absolute()), str(folder), paper],
        time_limit=HANDOUTS_TIME_LIMIT,
        targets=[folder],
        warm=_take_spare(),
    )
