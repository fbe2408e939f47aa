"""Snapshots of every screen and dialog at 120×40 and 80×24, with a frozen clock and no blinking cursor.

Regenerate deliberately, after looking at the SVGs:
`.venv/bin/pytest tests/tui/test_snapshots.py --snapshot-update`.
"""

from __future__ import annotations

import shutil
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import OptionList

from tests.tui.conftest import DEMO, Harness, press_to_new_screen, wait_for, wait_screen
from ttx.api import open_journal
from ttx.session import actions as cmd
from ttx.session.events import TeamSetup

SIZES = [pytest.param((120, 40), id="120x40"), pytest.param((80, 24), id="80x24")]
Steps = Callable[[Pilot[Any]], Awaitable[None]]


@pytest.fixture(autouse=True)
def _only_demo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The home screen lists only the demo, so other exercises being written do not change it."""
    shipped = tmp_path / "shipped"
    shipped.mkdir()
    shutil.copy(DEMO, shipped / "demo.yaml")
    monkeypatch.setattr("ttx.service.catalogue.shipped_exercises_dir", lambda: shipped)
    monkeypatch.setenv("HOME", str(tmp_path))


def session_at(harness: Harness, stage: str) -> str:
    """Record a demo session up to `stage` through the API, with the fake clock; return its id."""
    teams = [
        TeamSetup(id="us", name="US NSC [b]Red[/b]", members=["Ana", "Ben"]),
        TeamSetup(id="mexico", name="México 🇲🇽 security cabinet"),
    ]
    with open_journal(harness.journal) as journal:
        session = journal.create_session(DEMO, teams, clock=harness.clock)
        steps: list[Any] = []
        if stage in ("move", "decided", "hot_wash", "ended"):
            steps += [cmd.EnterMove(), cmd.ReleaseInject(inject_id="offer_cable")]
        if stage in ("decided", "hot_wash", "ended"):
            steps += [
                cmd.RecordDecision(
                    decision_id="opening",
                    team_id="us",
                    option_id="pressure",
                    rationale="Leverage [/] now [@click=app.quit]x[/]",
                ),
                cmd.RecordDecision(
                    decision_id="posture",
                    team_id="mexico",
                    option_id="joint",
                    rationale="Keep command",
                ),
                cmd.AddNote(
                    text="Strong end-state talk", category="strength", objective_id="end_state"
                ),
            ]
        if stage in ("hot_wash", "ended"):
            steps += [
                cmd.EnterMove(),
                cmd.ReleaseInject(inject_id="public_rebuke"),
                cmd.EnterMove(move_id="end"),
            ]
            steps += [cmd.AnswerHotWash(text="The tariffs closed doors", question_index=0)]
        if stage == "ended":
            steps += [
                cmd.RateObjective(
                    objective_id="end_state",
                    rating="Performed with some challenges",
                    evidence="Named late",
                ),
                cmd.AddImprovementItem(
                    issue="End state came late",
                    corrective_action="Ask first",
                    responsible="Course lead",
                    due="2026-04-01",
                ),
                cmd.EndSession(),
            ]
        for step in steps:
            harness.clock.advance(65)
            session.apply(step)
        session_id = session.id
        session.close()
    harness.clock.advance(30)
    return session_id


async def settle(pilot: Pilot[Any]) -> None:
    """Let pending layout and Markdown rendering finish."""
    for _ in range(3):
        await pilot.pause()


def press_then(keys: list[str], screen: str) -> Steps:
    """Press each key in turn, waiting for its effect, until `screen` is on top."""

    async def run(pilot: Pilot[Any]) -> None:
        await wait_screen(pilot, "ConsoleScreen")
        for key in keys:
            await press_to_new_screen(pilot, key)
        await wait_screen(pilot, screen)
        await settle(pilot)

    return run


@pytest.mark.parametrize("size", SIZES)
def test_home(harness: Harness, size: tuple[int, int], snap_compare: Any) -> None:
    session_at(harness, "move")

    async def run(pilot: Pilot[Any]) -> None:
        await wait_for(
            pilot,
            lambda: pilot.app.screen.query_one("#exercise-list", OptionList).option_count > 0,
            "exercises",
        )
        await settle(pilot)

    assert snap_compare(harness.app(), run_before=run, terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
def test_setup(harness: Harness, size: tuple[int, int], snap_compare: Any) -> None:
    async def run(pilot: Pilot[Any]) -> None:
        await wait_screen(pilot, "SetupScreen")
        await settle(pilot)

    assert snap_compare(harness.app(start="run", exercise=DEMO), run_before=run, terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("stage", ["setup", "move", "decided"])
def test_console(harness: Harness, size: tuple[int, int], stage: str, snap_compare: Any) -> None:
    session_at(harness, stage)

    async def run(pilot: Pilot[Any]) -> None:
        await wait_screen(pilot, "ConsoleScreen")
        await settle(pilot)

    assert snap_compare(harness.app(start="resume"), run_before=run, terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
def test_console_notes_hidden_and_paused(
    harness: Harness, size: tuple[int, int], snap_compare: Any
) -> None:
    session_at(harness, "decided")

    async def run(pilot: Pilot[Any]) -> None:
        await wait_screen(pilot, "ConsoleScreen")
        await pilot.press("h", "space", "enter")
        await wait_for(
            pilot,
            lambda: "PAUSED" in str(pilot.app.screen.query_one("#head-clock").render()),
            "paused",
        )
        await settle(pilot)

    assert snap_compare(harness.app(start="resume"), run_before=run, terminal_size=size)


DIALOGS = {
    "team_choice": (["d"], "DecisionDialog", "move"),
    "decision": (["d", "1"], "DecisionDialog", "move"),
    "correct": (["c", "1"], "DecisionDialog", "decided"),
    "branch": (["m"], "ChoiceDialog", "decided"),
    "undo": (["u"], "ConfirmDialog", "decided"),
    "note": (["o"], "NoteDialog", "decided"),
    "help": (["f1"], "HelpDialog", "decided"),
    "projector": (["p"], "ProjectorScreen", "decided"),
}


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("name", list(DIALOGS))
def test_console_dialogs(
    harness: Harness, size: tuple[int, int], name: str, snap_compare: Any
) -> None:
    keys, screen, stage = DIALOGS[name]
    if name == "team_choice":
        keys, screen = ["d"], "ChoiceDialog"
    session_at(harness, stage)
    assert snap_compare(
        harness.app(start="resume"), run_before=press_then(keys, screen), terminal_size=size
    )


@pytest.mark.parametrize("size", SIZES)
def test_hot_wash(harness: Harness, size: tuple[int, int], snap_compare: Any) -> None:
    session_at(harness, "hot_wash")
    assert snap_compare(
        harness.app(start="resume"),
        run_before=press_then(["w"], "HotWashScreen"),
        terminal_size=size,
    )


@pytest.mark.parametrize("size", SIZES)
def test_evaluation(harness: Harness, size: tuple[int, int], snap_compare: Any) -> None:
    session_at(harness, "ended")
    assert snap_compare(
        harness.app(start="resume"),
        run_before=press_then(["e"], "EvaluationScreen"),
        terminal_size=size,
    )


@pytest.mark.parametrize("size", SIZES)
def test_rating_and_plan_dialogs(
    harness: Harness, size: tuple[int, int], snap_compare: Any
) -> None:
    session_at(harness, "ended")

    async def run(pilot: Pilot[Any]) -> None:
        await press_then(["e"], "EvaluationScreen")(pilot)
        await pilot.press("i")
        await wait_screen(pilot, "FormDialog")
        await settle(pilot)

    assert snap_compare(harness.app(start="resume"), run_before=run, terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
def test_finish(harness: Harness, size: tuple[int, int], snap_compare: Any) -> None:
    session_at(harness, "ended")

    async def run(pilot: Pilot[Any]) -> None:
        await press_then(["f"], "FinishScreen")(pilot)
        await wait_for(
            pilot,
            lambda: "Report written" in str(pilot.app.screen.query_one("#finish-result").render()),
            "report",
        )
        await settle(pilot)

    assert snap_compare(harness.app(start="resume"), run_before=run, terminal_size=size)


def test_too_small(harness: Harness, snap_compare: Any) -> None:
    async def run(pilot: Pilot[Any]) -> None:
        await wait_screen(pilot, "TooSmallScreen")
        await settle(pilot)

    assert snap_compare(harness.app(), run_before=run, terminal_size=(60, 15))


@pytest.mark.parametrize("size", SIZES)
def test_follow(harness: Harness, size: tuple[int, int], snap_compare: Any) -> None:
    session_id = session_at(harness, "decided")

    async def run(pilot: Pilot[Any]) -> None:
        await wait_screen(pilot, "FollowScreen")
        await wait_for(
            pilot,
            lambda: bool(str(pilot.app.screen.query_one("#proj-title").render()).strip()),
            "projection",
        )
        await settle(pilot)

    assert snap_compare(
        harness.app(start="project", session_id=session_id), run_before=run, terminal_size=size
    )


@pytest.mark.parametrize("size", SIZES)
def test_allocation_dialog(harness: Harness, size: tuple[int, int], snap_compare: Any) -> None:
    allocation = Path(__file__).parent / "data" / "allocation.yaml"
    with open_journal(harness.journal) as journal:
        session = journal.create_session(allocation, clock=harness.clock)
        session.apply(cmd.EnterMove())
        session.close()

    async def run(pilot: Pilot[Any]) -> None:
        await press_then(["d", "1"], "DecisionDialog")(pilot)
        await pilot.press("4", "enter", "3", "enter")
        await settle(pilot)

    assert snap_compare(harness.app(start="resume"), run_before=run, terminal_size=size)
