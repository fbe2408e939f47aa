"""The hot wash starts the report worker ahead of time; the finish screen's report takes it; unused, it stops."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.tui.conftest import DEMO, Harness, top_screen, wait_for, wait_screen
from ttx.api import open_journal
from ttx.report import jobs
from ttx.session import actions as cmd
from ttx.session.clock import FakeClock
from ttx.tui.app import make_app
from ttx.tui.screens.finish import FinishScreen


def _running(journal_path: Path | None, clock: FakeClock) -> str:
    with open_journal(journal_path) as journal:
        session = journal.create_session(DEMO, clock=clock)
        session.apply(cmd.EnterMove())
        session.apply(cmd.ReleaseInject(inject_id="offer_cable"))
        session_id: str = session.id
        session.close()
    return session_id


async def test_the_hot_wash_asks_for_a_warm_worker_and_quitting_discards_it(
    harness: Harness,
) -> None:
    session_id = _running(harness.journal, harness.clock)
    app = harness.app(start="resume", session_id=session_id)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_screen(pilot, "ConsoleScreen")
        await pilot.press("n", "d", "escape")
        await pilot.pause()
        assert harness.warmer.prepared == 0  # the moves alone never start a worker
        await pilot.press("w")
        await wait_screen(pilot, "ConfirmDialog")
        await pilot.press("y")
        await wait_screen(pilot, "HotWashScreen")
        await wait_for(pilot, lambda: harness.warmer.prepared == 1, "the worker asked for")
        assert harness.warmer.discarded == 0
    assert harness.warmer.discarded == 1


@pytest.mark.slow
async def test_the_finish_screens_report_is_rendered_by_the_warm_worker(ttx_home: Path) -> None:
    clock = FakeClock()
    session_id = _running(None, clock)  # the default journal: the worker reads it too
    app = make_app(clock=clock, start="resume", session_id=session_id, blink=False, animate=False)
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await wait_screen(pilot, "ConsoleScreen")
            assert jobs.prepared_worker() is None
            await pilot.press("w")
            await wait_screen(pilot, "ConfirmDialog")
            await pilot.press("y")
            await wait_screen(pilot, "HotWashScreen")
            await wait_for(pilot, lambda: jobs.prepared_worker() is not None, "a warm worker")
            spare = jobs.prepared_worker()
            assert spare is not None and spare.alive
            warm_pid = spare.proc.pid
            await pilot.press("ctrl+f")
            await wait_screen(pilot, "ConfirmDialog")
            await pilot.press("y")
            await wait_screen(pilot, "FinishScreen")
            job = top_screen(app, FinishScreen).job
            assert job is not None
            assert job.pid == warm_pid  # the report went to the worker started earlier
            assert jobs.prepared_worker() is None
            result = app.screen.query_one("#finish-result")
            await wait_for(
                pilot,
                lambda: (
                    "Report written" in str(result.render()) or "could not" in str(result.render())
                ),
                "report",
                timeout=120,
            )
            assert "Report written" in str(result.render()), str(result.render())
    finally:
        jobs.discard_worker()
    assert len(list((ttx_home / "reports").glob("*.pdf"))) == 1


@pytest.mark.slow
async def test_an_unused_warm_worker_is_stopped_when_the_console_quits(ttx_home: Path) -> None:
    clock = FakeClock()
    session_id = _running(None, clock)
    app = make_app(clock=clock, start="resume", session_id=session_id, blink=False, animate=False)
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await wait_screen(pilot, "ConsoleScreen")
            await pilot.press("w")
            await wait_screen(pilot, "ConfirmDialog")
            await pilot.press("y")
            await wait_screen(pilot, "HotWashScreen")
            await wait_for(pilot, lambda: jobs.prepared_worker() is not None, "a warm worker")
            spare = jobs.prepared_worker()
            assert spare is not None
            proc = spare.proc
            assert proc.poll() is None
            await pilot.press("ctrl+q")
            await wait_screen(pilot, "ChoiceDialog")  # pause the clock first? (the default)
            await pilot.press("enter")
        assert proc.poll() is not None  # stopped with the console, not left waiting
        assert jobs.prepared_worker() is None
    finally:
        jobs.discard_worker()
