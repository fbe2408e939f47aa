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


async def _begin(pilot: Any, app: TtxApp) -> None:
    await wait_screen(pilot, "SetupScreen")
    await pilot.press("ctrl+s")
    await wait_screen(pilot, "ConsoleScreen")
    await pilot.press("m")
    await wait_for(pilot, lambda: state(app).current_move is not None, "move 1")


def _choice_labels(app: TtxApp) -> list[str]:
    from textual.widgets import OptionList

    options = app.screen.query_one(OptionList)
    return [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]


async def test_team_numbers_are_stable_and_the_last_team_is_still_asked(harness: Harness) -> None:
    """Mexico (the demo's second team) answers first; d 1 then means the US, asked and confirmed."""
    app = harness.app(start="run", exercise=DEMO)
    async with app.run_test(size=(120, 40)) as pilot:
        await _begin(pilot, app)
        await pilot.press("d")
        await wait_screen(pilot, "ChoiceDialog")
        await pilot.press("2")
        await wait_screen(pilot, "DecisionDialog")
        assert "Mexico" in str(app.screen.query_one("#decision-title").render())
        await pilot.press("1", *"ours", "ctrl+s")
        await wait_screen(pilot, "ConfirmDialog")
        confirm = str(app.screen.query_one("#confirm-title").render())
        assert (
            confirm
            == "Record 'Joint cell under Mexican law' for Government of Mexico security cabinet?"
        )
        await pilot.press("enter")  # one confirm records
        await wait_screen(pilot, "ConsoleScreen")
        assert state(app).decisions["posture"].records["mexico"].option_id == "joint"

        # one team left: the picker still opens, Mexico ticked at 2, the US still 1
        await pilot.press("d")
        await wait_screen(pilot, "ChoiceDialog")
        labels = _choice_labels(app)
        assert labels[0].startswith("1") and "US National Security Council" in labels[0]
        assert labels[1].startswith("2") and "✓" in labels[1] and "Mexico" in labels[1]
        await pilot.press("2")  # answered: a message, nothing recorded, no dialog
        await wait_screen(pilot, "ConsoleScreen")
        assert "mexico" in state(app).decisions["posture"].records
        assert "opening" not in state(app).decisions
        await pilot.press("d")
        await wait_screen(pilot, "ChoiceDialog")
        await pilot.press("1")
        await wait_screen(pilot, "DecisionDialog")
        assert "US National Security Council" in str(
            app.screen.query_one("#decision-title").render()
        )
        await pilot.press("2", *"fast", "ctrl+s")
        await wait_screen(pilot, "ConfirmDialog")
        assert str(app.screen.query_one("#confirm-title").render()).startswith(
            "Record 'Accept only with tariff pressure attached' for US National Security Council"
        )
        await pilot.press("escape")  # go back and edit: nothing recorded
        await wait_screen(pilot, "DecisionDialog")
        assert "opening" not in state(app).decisions
        await pilot.press("ctrl+s")
        await wait_screen(pilot, "ConfirmDialog")
        await pilot.press("y")
        await wait_screen(pilot, "ConsoleScreen")
        assert state(app).decisions["opening"].records["us"].option_id == "pressure"
