"""Decisions beyond the happy path: allocations typed fast, over-budget answers, ties the facilitator rules."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from textual.widgets import Input, Static, TextArea

from tests.tui.conftest import DEMO, Harness, wait_for, wait_screen
from ttx.api import open_journal
from ttx.session import actions as cmd
from ttx.tui.app import TtxApp

ALLOCATION = Path(__file__).parent / "data" / "allocation.yaml"
RED_CELL = Path(__file__).parent / "data" / "red-cell.yaml"


def state(app: TtxApp) -> Any:
    assert app.session is not None
    return app.session.state


async def open_decision(pilot: Pilot[Any], team_key: str) -> None:
    await pilot.press("d")
    await wait_screen(pilot, "ChoiceDialog")
    await pilot.press(team_key)
    await wait_screen(pilot, "DecisionDialog")


async def test_allocation_typed_fast_lands_in_the_right_fields(harness: Harness) -> None:
    with open_journal(harness.journal) as journal:
        session = journal.create_session(ALLOCATION, clock=harness.clock)
        session.apply(cmd.EnterMove())
        session.close()
    app = harness.app(start="resume")
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_screen(pilot, "ConsoleScreen")
        await open_decision(pilot, "1")
        # every key at once, as a fast typist would: 4 ⏎ 3 ⏎ 5 ⏎ (over budget) then the rationale
        await pilot.press("4", "enter", "3", "enter", "5", "enter", "w", "h", "y", "ctrl+s")
        total = app.screen.query_one("#alloc-total", Static)
        assert "12 of 10" in str(total.render())
        assert "budget is 10" in str(app.screen.query_one("#decision-summary", Static).render())
        assert type(app.screen).__name__ == "DecisionDialog"  # nothing recorded over budget
        alloc_aid = app.screen.query_one("#alloc-aid", Input)
        alloc_aid.value = "3"
        await pilot.press("ctrl+s")
        await wait_screen(pilot, "ConfirmDialog")
        await pilot.press("y")
        await wait_screen(pilot, "ConsoleScreen")
        record = state(app).decisions["spend"].records["a"]
        assert dict(record.allocation) == {"ships": 4, "spies": 3, "aid": 3}
        assert record.rationale == "why"


async def test_a_tie_asks_for_a_ruling_then_the_branch(harness: Harness) -> None:
    with open_journal(harness.journal) as journal:
        session = journal.create_session(DEMO, clock=harness.clock)
        for step in (
            cmd.EnterMove(),
            cmd.RecordDecision(
                decision_id="opening", team_id="us", option_id="partner", rationale="r"
            ),
            cmd.RecordDecision(
                decision_id="posture", team_id="mexico", option_id="joint", rationale="r"
            ),
            cmd.EnterMove(),
            cmd.RecordDecision(
                decision_id="next_step", team_id="us", option_id="deepen", rationale="r"
            ),
            cmd.RecordDecision(
                decision_id="next_step", team_id="mexico", option_id="pause", rationale="r"
            ),
        ):
            session.apply(step)
        session.close()
    app = harness.app(start="resume")
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_screen(pilot, "ConsoleScreen")
        assert state(app).current_move == "working"
        assert "needs your ruling" in str(app.screen.query_one("#team-status", Static).render())
        await pilot.press("m")
        await wait_screen(pilot, "ChoiceDialog")
        assert "Your ruling" in str(app.screen.query(Static).first().render())
        await pilot.press("2")  # pause
        await wait_screen(pilot, "ReasonDialog")  # why? (optional)
        await pilot.press(*"tied 1-1", "enter")
        await wait_for(
            pilot, lambda: state(app).decisions["next_step"].outcome.option_id == "pause", "ruling"
        )
        ruling = state(app).decisions["next_step"].ruling
        assert ruling is not None and ruling.reason == "tied 1-1"
        await wait_for(
            pilot,
            lambda: (
                "Where does the story go next?" in str(app.screen.query(Static).first().render())
            ),
            "branch dialog",
        )
        await pilot.press("1")
        await wait_for(pilot, lambda: state(app).status == "hot_wash", "the end of the moves")


async def test_the_red_cells_answer_is_entered_once(harness: Harness) -> None:
    """A decision only the facilitator-played red cell makes, ruled by the facilitator: the
    answer entered for the red cell is the ruling; nothing asks for the same choice again."""
    with open_journal(harness.journal) as journal:
        session = journal.create_session(RED_CELL, clock=harness.clock)
        session.apply(cmd.EnterMove())
        session.close()
    app = harness.app(start="resume")
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_screen(pilot, "ConsoleScreen")
        await open_decision(pilot, "2")  # the red cell: its place in the exercise
        await pilot.press("2")  # Strike back
        app.screen.query_one("#rationale", TextArea).text = "Prices alone will not do."
        await pilot.press("ctrl+s")
        await wait_screen(pilot, "ConfirmDialog")
        await pilot.press("y")
        await wait_for(
            pilot, lambda: state(app).decisions["respond"].outcome.status == "resolved", "ruled"
        )
        await wait_screen(pilot, "ConsoleScreen")
        outcome = state(app).decisions["respond"].outcome
        assert (outcome.option_id, outcome.by) == ("strike", "facilitator")
        assert state(app).decisions["respond"].ruling.reason == (
            "Red cell's answer, played by the facilitator"
        )
