"""The render worker's limits: killed from outside, its forked copies die with it; memory is capped."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.report.conftest import DEMO, FLAGSHIP

DEADLINE = 60.0


def _group(pgid: int) -> set[int]:
    """Live (not zombie) processes in a process group, read from /proc."""
    members = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if fields[0] != "Z" and int(fields[2]) == pgid:
            members.add(int(entry.name))
    return members


def _until(condition: object, what: str) -> None:
    deadline = time.monotonic() + DEADLINE
    while time.monotonic() < deadline:
        if condition():  # type: ignore[operator]
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting until {what}")


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux /proc")
def test_killing_the_worker_kills_the_copies_it_forked(tmp_path: Path) -> None:
    if len(os.sched_getaffinity(0)) < 2:
        pytest.skip("one CPU: the worker forks no copies")
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "ttx.report.worker",
            "handouts",
            str(FLAGSHIP),
            str(tmp_path),
            "letter",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        # Wait until the pool of copies is rendering (two or more besides the worker).
        _until(lambda: len(_group(worker.pid) - {worker.pid}) >= 2, "the copies are forked")
        worker.send_signal(signal.SIGKILL)
        worker.wait()
        _until(lambda: not _group(worker.pid), "every copy is gone")
    finally:
        if worker.poll() is None:
            worker.kill()
        for pid in _group(worker.pid):
            os.kill(pid, signal.SIGKILL)


def test_a_render_over_the_memory_limit_stops_with_a_clear_message(tmp_path: Path) -> None:
    # A limit far too small for any document: whichever allocation fails first (Python,
    # a native library, a forked copy), the message names the memory limit.
    env = {**os.environ, "TTX_RENDER_MEMORY_MB": "60", "TTX_HOME": str(tmp_path / "home")}
    done = subprocess.run(
        [sys.executable, "-m", "ttx.cli", "handouts", str(DEMO), "-o", str(tmp_path / "out")],
        env=env,
        capture_output=True,
        timeout=120,
    )
    err = done.stderr.decode("utf-8", "replace")
    assert done.returncode == 1, err
    assert "60 MB memory limit" in err and "Traceback" not in err
    leftovers = list((tmp_path / "out").glob(".*.part")) if (tmp_path / "out").exists() else []
    assert leftovers == []
