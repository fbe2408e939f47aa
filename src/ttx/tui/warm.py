"""The report worker started ahead of time when the hot wash begins, and stopped at exit if unused."""

from __future__ import annotations

import contextlib
import importlib
import sys
from typing import Any, Protocol


class ReportWarmer(Protocol):
    """What the console needs: start a report worker now, stop it if it was never used."""

    def prepare(self) -> None:
        """Start a worker that the next report takes (returns at once)."""

    def discard(self) -> None:
        """Stop the prepared worker if no report has taken it."""


class WorkerWarmer:
    """The real one: `ttx.report.jobs.prepare_worker()`, which the next `start_report` takes.

    The finish screen's report then starts without importing WeasyPrint and loading
    fonts (about half a second). Failing to prepare is never an error: the report
    starts a worker of its own and says then what went wrong.
    """

    def prepare(self) -> None:
        """Start the worker (nothing when the report writer is not installed or cannot start)."""
        with contextlib.suppress(ImportError, OSError):
            importlib.import_module("ttx.report.jobs").prepare_worker()

    def discard(self) -> None:
        """Stop a prepared worker no report took (the jobs module also does this at exit)."""
        jobs = sys.modules.get("ttx.report.jobs")
        if jobs is not None:
            jobs.discard_worker()


def warmer(app: Any) -> ReportWarmer:
    """The app's warmer: `report_warmer` when one was given (tests pass a fake), else the real one."""
    given: ReportWarmer | None = getattr(app, "report_warmer", None)
    return given if given is not None else WorkerWarmer()
