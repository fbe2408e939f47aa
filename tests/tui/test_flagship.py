"""Every shipped exercise played from setup to the report with the keyboard, with a restart half way."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from tests.tui.conftest import Harness, wait_for, wait_screen
from ttx.api import open_journal
from ttx.tui.app import TtxApp
from ttx.tui.widgets.fields import LongField

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = sorted((ROOT / "exercises").glob("*.yaml"))

pytestmark = pytest.mark.slow


def state(app: TtxApp) -> Any:
    assert app.session is not None
    return app.session.state


async def answer_everything(pilot: Pilot[Any], app: TtxApp) -> int:
    """Record an answer for every team still waiting in this move; return how many."""
    for count in range(20):
        st = state(app)
        if st.current_move is None:
            return count
        decisions = st.exercise.move(st.current_move).decisions
        if not any(st.waiting_for(d.id) for d in decisions):
            return count
        await pilot.press("d")
        await wait_screen(pilot, "ChoiceDialog")
        # a team's number is its place in the exercise: press the first team still to answer
        waiting = {t for d in decisions for t in st.waiting_for(d.id)}
        number = next(n for n, team in enumerate(st.exercise.teams, 1) if team.id in waiting)
        await pilot.press(str(number))
        await wait_for(
            pilot,
            lambda: (
                type(app.screen).__name__ == "DecisionDialog"
                or "Which decision" in screen_title(app)
            ),
            "decision",
        )
        if type(app.screen).__name__ != "DecisionDialog":
            await pilot.press("1")
            await wait_screen(pilot, "DecisionDialog")
        dialog: Any = app.screen
        if dialog.decision.kind == "allocation":
            budget = dialog.decision.budget or 0
            for option in dialog.decision.options:
                give = min(option.max if option.max is not None else budget, budget)
                dialog.query_one(f"#alloc-{option.id}").value = str(give)
                budget -= give
        else:
            await pilot.press("1")
        dialog.query_one("#rationale").value = f"Rationale {count} [/] 🚀"
        before = st.last_seq
        await pilot.press("ctrl+s")
        await wait_screen(pilot, "ConfirmDialog")
        await pilot.press("y")

        def recorded(before: int = before) -> bool:
            return bool(state(app).last_seq > before)

        await wait_for(pilot, recorded, "recorded")
        await wait_screen(pilot, "ConsoleScreen")
    raise AssertionError("answers never completed")


def screen_title(app: TtxApp) -> str:
    titles = app.screen.query(".title")
    return str(titles.first().render()) if titles else ""


async def play_moves(pilot: Pilot[Any], app: TtxApp, moves: int) -> None:
    """Release every inject, answer every decision and confirm the branch, `moves` times."""
    for _ in range(moves):
        st = state(app)
        if st.status != "running":
            return
        for _ in range(30):
            before = len(state(app).injects)
            await pilot.press("n")
            await pilot.pause()
            if len(state(app).injects) == before:
                break
        await answer_everything(pilot, app)
        move = state(app).current_move
        await pilot.press("m")
        await wait_screen(pilot, "ChoiceDialog")
        if "ruling" in str(app.screen.query("Static").first().render()).lower():
            await pilot.press("1")
            await wait_screen(pilot, "ReasonDialog")  # the ruling's optional reason
            await pilot.press("enter")
            await wait_for(
                pilot,
                lambda: "story go next" in str(app.screen.query("Static").first().render()),
                "branch",
            )
        await pilot.press("1")

        def moved_on(move: str | None = move) -> bool:
            return bool(state(app).current_move != move or state(app).status != "running")

        await wait_for(pilot, moved_on, "next move")
        await wait_screen(pilot, "ConsoleScreen")


@pytest.mark.parametrize("exercise", SHIPPED, ids=[p.stem for p in SHIPPED])
async def test_play_shipped_exercise_to_the_report(harness: Harness, exercise: Path) -> None:
    app = harness.app(start="run", exercise=exercise)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_screen(pilot, "SetupScreen")
        await pilot.press("ctrl+s")
        await wait_screen(pilot, "ConsoleScreen")
        await pilot.press("m")
        await wait_for(pilot, lambda: state(app).status == "running", "first move")
        await play_moves(pilot, app, 2)
        session_id = state(app).id
        assert app.session is not None
        app.session.close()  # the laptop dies half way
        app.session = None
    again = harness.app(start="resume")
    async with again.run_test(size=(120, 40)) as pilot:
        await wait_screen(pilot, "ConsoleScreen")
        assert state(again).id == session_id
        await play_moves(pilot, again, 12)
        assert state(again).status == "hot_wash"
        await pilot.press("w")
        await wait_screen(pilot, "HotWashScreen")
        again.screen.query_one("#hw-input", LongField).value = "What we learned"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: len(state(again).hot_wash) == 1, "hot wash")
        await pilot.press("ctrl+f")
        await wait_screen(pilot, "ConfirmDialog")
        await pilot.press("y")
        await wait_screen(pilot, "FinishScreen")
        await wait_for(
            pilot,
            lambda: "Report written" in str(again.screen.query_one("#finish-result").render()),
            "report",
        )
    with open_journal(harness.journal) as journal:
        session = journal.read_session(session_id)
        final = session.state
        kinds = [e.kind for e in session.events]
        session.close()
    assert final.status == "ended"
    assert "journal_reopened" in kinds
    assert len(final.path) >= 2
    answered = sum(len(d.records) for d in final.decisions.values())
    assert answered >= 1
