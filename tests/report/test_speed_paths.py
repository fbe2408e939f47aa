"""The faster paths give the same documents: warm workers, low priority, cached lookups."""

from __future__ import annotations

import ctypes.util
import os
import sys
import time
from pathlib import Path

import pytest

from tests.report.sessions import demo_session
from ttx.report import jobs
from ttx.report.jobs import WarmWorker, discard_worker, prepare_worker, start_report
from ttx.report.processes import NICENESS


@pytest.fixture(autouse=True)
def _no_spare_left() -> object:
    yield
    discard_worker()


def _wait_for(predicate: object, seconds: float = 20.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():  # type: ignore[operator]
            return True
        time.sleep(0.05)
    return False


@pytest.mark.skipif(
    sys.platform != "linux" or os.uname().machine != "x86_64", reason="loader cache: x86-64 Linux"
)
def test_library_lookup_from_the_loader_cache_agrees_with_ctypes() -> None:
    from ttx.report.libraries import find_in_loader_cache

    for name in ("c", "m", "harfbuzz", "fontconfig", "pango-1.0"):
        assert find_in_loader_cache(name) == ctypes.util.find_library(name), name
    assert find_in_loader_cache("libgobject-2.0-0") is None
    assert find_in_loader_cache("no-such-library-anywhere") is None


def test_worker_lowers_its_own_priority() -> None:
    prepare_worker()
    spare = jobs.prepared_worker()
    assert spare is not None
    mine = os.getpriority(os.PRIO_PROCESS, 0)
    assert _wait_for(lambda: os.getpriority(os.PRIO_PROCESS, spare.proc.pid) >= mine + NICENESS)
    discard_worker()
    assert spare.proc.poll() is not None, "a discarded worker is stopped"


def test_prepared_worker_takes_the_report_and_writes_the_same_bytes(
    demo_path: Path, tmp_path: Path
) -> None:
    session_id = demo_session(demo_path)
    cold = start_report(session_id, tmp_path / "cold.pdf")
    assert cold.wait(), cold.error
    prepare_worker()
    prepare_worker()  # once is enough: the same worker stays
    spare = jobs.prepared_worker()
    assert spare is not None
    warm = start_report(session_id, tmp_path / "warm.pdf")
    assert jobs.prepared_worker() is None, "the job took the prepared worker"
    assert warm.pid == spare.proc.pid
    assert warm.wait(), warm.error
    assert warm.path is not None
    assert warm.path.read_bytes() == (tmp_path / "cold.pdf").read_bytes()


def test_prepared_worker_is_not_used_after_the_data_folder_changed(
    demo_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    prepare_worker()
    spare = jobs.prepared_worker()
    assert spare is not None
    monkeypatch.setenv("TTX_HOME", str(tmp_path / "elsewhere"))
    session_id = demo_session(demo_path)  # recorded in the new data folder
    job = start_report(session_id, tmp_path / "r.pdf")
    assert job.pid != spare.proc.pid
    assert spare.proc.poll() is not None, "the stale worker was stopped"
    assert job.wait(), job.error


def test_prepared_worker_leaves_when_its_parent_closes_the_pipe() -> None:
    spare = WarmWorker()
    assert spare.proc.stdin is not None
    spare.proc.stdin.close()
    spare.proc.stdin = None
    assert _wait_for(lambda: spare.proc.poll() is not None, 60)
    assert spare.proc.returncode == 0
    spare.discard()


def test_prepared_worker_that_died_is_replaced(demo_path: Path, tmp_path: Path) -> None:
    session_id = demo_session(demo_path)
    prepare_worker()
    spare = jobs.prepared_worker()
    assert spare is not None
    spare.proc.kill()
    spare.proc.wait()
    job = start_report(session_id, tmp_path / "r.pdf")
    assert job.wait(), job.error
    assert (tmp_path / "r.pdf").is_file()
