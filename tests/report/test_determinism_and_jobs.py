"""Same input, same bytes; render jobs run apart, can be cancelled, and stop at a time limit."""

from __future__ import annotations

import time
from pathlib import Path

from tests.report.conftest import DEMO
from tests.report.sessions import demo_session
from ttx.cli import main
from ttx.report.jobs import ReportJob, default_report_path, start_report


def test_handouts_are_byte_identical_between_runs(demo_handouts: Path, tmp_path: Path) -> None:
    again = tmp_path / "again"
    assert main(["handouts", str(DEMO), "-o", str(again)]) == 0
    for first in sorted(demo_handouts.glob("*.pdf")):
        assert first.read_bytes() == (again / first.name).read_bytes(), first.name


def test_report_job_renders_in_a_child_process(demo_path: Path) -> None:
    session_id = demo_session(demo_path)
    job = start_report(session_id)
    phrases = set()
    while (phrase := job.poll()) is not None:
        phrases.add(phrase)
        time.sleep(0.02)
    assert job.done and job.error is None
    assert job.path == default_report_path(session_id) and job.path.is_file()
    assert phrases, "poll() reports progress while running"
    assert job.poll() is None


def test_report_job_for_an_unknown_session_says_so(demo_path: Path) -> None:
    demo_session(demo_path)
    job = start_report("nothing-like-this")
    assert job.wait() is False
    assert job.error is not None and "nothing-like-this" in job.error
    assert "Traceback" not in job.error


def test_report_job_can_be_cancelled_and_leaves_no_partial_file(
    demo_path: Path, tmp_path: Path
) -> None:
    session_id = demo_session(demo_path)
    target = tmp_path / "cancelled.pdf"
    job = start_report(session_id, target)
    job.poll()
    job.cancel()
    assert job.done and job.error == "cancelled" and job.path is None
    assert not list(tmp_path.glob(".*.part"))


def test_report_job_stops_at_its_time_limit(demo_path: Path, tmp_path: Path) -> None:
    session_id = demo_session(demo_path)
    target = tmp_path / "slow.pdf"
    job = ReportJob(
        ["report", session_id, str(target), "letter"], time_limit=0.05, targets=[target]
    )
    assert job.wait() is False
    assert job.error is not None and "longer than" in job.error
    assert not target.exists()
