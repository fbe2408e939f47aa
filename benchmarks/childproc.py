"""Run a child process and measure its wall time and peak memory (largest resident set)."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

PYTHON = sys.executable


@dataclass(frozen=True)
class ChildRun:
    """Wall-clock seconds, peak RSS in MB (the child or any descendant it waited for), stdout."""

    seconds: float
    peak_mb: float
    stdout: str


def run_child(argv: Sequence[str], *, env: dict[str, str] | None = None) -> ChildRun:
    """Run `argv` to completion; raise RuntimeError with its stderr if it fails."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen(
            list(argv),
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=err,
            env={**os.environ, **(env or {})},
        )
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout = out.read().decode("utf-8", "replace")
        if proc.returncode != 0:
            tail = err.read().decode("utf-8", "replace")[-1500:]
            raise RuntimeError(f"{argv[:4]} exited {proc.returncode}: {stdout[-500:]} {tail}")
    # Linux reports ru_maxrss in kilobytes.
    return ChildRun(seconds, usage.ru_maxrss / 1024, stdout)


def pdf_pages(path: Path) -> int:
    """Number of pages of a PDF (pypdf)."""
    from pypdf import PdfReader

    return len(PdfReader(str(path)).pages)
