"""Waiting for a document job from the command line, with a progress line on a terminal."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Protocol


class _Job(Protocol):
    def wait(self, on_progress: Callable[[str], None] | None = ...) -> bool: ...


def wait_showing_progress(job: _Job) -> bool:
    """Wait for `job`; on a terminal, show its progress phrases on one stderr line, then clear it."""
    show = sys.stderr.isatty()

    def progress(phrase: str) -> None:
        if show:
            print(f"\r\033[K{phrase}", end="", file=sys.stderr, flush=True)

    ok = job.wait(progress)
    if show:
        print("\r\033[K", end="", file=sys.stderr, flush=True)
    return ok
