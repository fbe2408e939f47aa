"""Issue 13, "the console in a real classroom": what a facilitator hit, driven with Pilot."""

from __future__ import annotations

from typing import Any

from tests.tui.conftest import DEMO, Harness, wait_for, wait_screen
from ttx.tui.app import TtxApp


def state(app: TtxApp) -> Any:
    assert app.session is not None
    return app.session.state


async def test_finish_from_evaluation_opened_from_hot_wash(harness: Harness) -> None:
    """Begin a move, w → y, ctrl+r, f: the report screen, not a RecursionError."""
    app = harness.app(start="run", exercise=DEMO)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_screen(pilot, "SetupScreen")
        await pilot.press("ctrl+s")
        await wait_screen(pilot, "ConsoleScreen")
        await pilot.press("m")
        await wait_for(pilot, lambda: state(app).current_move is not None, "move 1")
        await pilot.press("w")
        await wait_screen(pilot, "ConfirmDialog")
        await pilot.press("y")
        await wait_screen(pilot, "HotWashScreen")
        await pilot.press("ctrl+r")
        await wait_screen(pilot, "EvaluationScreen")
        await pilot.press("f")
        await wait_screen(pilot, "ConfirmDialog")
        await pilot.press("y")
        await wait_screen(pilot, "FinishScreen")
        assert state(app).status == "ended"
        assert app.return_code in (None, 0)
