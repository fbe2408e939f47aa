"""Finish with the real report writer: a child process, visible progress, the PDF where the screen says."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.tui.conftest import DEMO, wait_for, wait_screen
from ttx.api import open_journal
from ttx.report.jobs import ReportJob, start_report
from ttx.session import actions as cmd
from ttx.session.clock import FakeClock
from ttx.tui.app import make_app

pytestmark = pytest.mark.slow


async def test_finish_writes_the_report_in_a_child_process(ttx_home: Path) -> None:
    clock = FakeClock()
    with open_journal() as journal:  # the default journal: the child process reads it too
        session = journal.create_session(DEMO, clock=clock)
        for step in (
            cmd.EnterMove(),
            cmd.ReleaseInject(inject_id="offer_cable"),
            cmd.RecordDecision(
                decision_id="opening",
                team_id="us",
                option_id="partner",
                rationale="Trust [/] first",
            ),
        ):
            clock.advance(60)
            session.apply(step)
        session.close()
    jobs: list[ReportJob] = []

    def starter(session_id: str, output: Path, paper: str) -> ReportJob:
        jobs.append(start_report(session_id, output, paper))
        return jobs[-1]

    app = make_app(clock=clock, start="resume", blink=False, animate=False, report_starter=starter)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_screen(pilot, "ConsoleScreen")
        await pilot.press("f")
        await wait_screen(pilot, "ConfirmDialog")
        await pilot.press("y")
        await wait_screen(pilot, "FinishScreen")
        on_screen = " ".join(str(app.screen.query_one("#finish-summary").render()).split())
        counts = "1 move played · 1 inject released · 1 team answer · 0 strengths"
        assert counts in on_screen, on_screen
        # the interface keeps answering while the report is written
        started = time.monotonic()
        await pilot.press("a")
        assert "A4" in str(app.screen.query_one("#finish-summary").render())
        assert time.monotonic() - started < 1.0
        result = app.screen.query_one("#finish-result")
        await wait_for(
            pilot,
            lambda: "Report written" in str(result.render()) or "could not" in str(result.render()),
            "report",
            timeout=120,
        )
        assert "Report written" in str(result.render()), str(result.render())
        # What the worker reported, every phrase (the screen samples it, and may skip one).
        assert len(jobs) == 1
        assert any("laying out" in phrase.lower() for phrase in jobs[0].reported), jobs[0].reported
        assert str(app.screen.query_one("#finish-progress").render()).strip()
    reports = list((ttx_home / "reports").glob("*.pdf"))
    assert len(reports) == 1
    text = "".join(page.extract_text() for page in PdfReader(reports[0]).pages)
    assert "Trust [/] first" in text
    assert counts in " ".join(text.split())  # the report counts with the screen's words
