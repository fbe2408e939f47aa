"""Tests that hunt crashes: the screen-graph walk and a seeded monkey (a small budget in CI)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from tests.tui.conftest import DEMO, Harness, wait_for, wait_screen
from tests.tui.monkey import Trouble, monkey, same_as_journal, walk_screens
from ttx.tui.app import TtxApp

FLAGSHIP = DEMO.parent / "across-the-line.yaml"
CI = os.environ.get("CI") == "true"


async def _started(pilot: Pilot[Any], app: TtxApp, exercise_moves: int = 1) -> None:
    await wait_screen(pilot, "SetupScreen")
    await pilot.press("ctrl+s")
    await wait_screen(pilot, "ConsoleScreen")
    await pilot.press("m")
    await wait_for(
        pilot,
        lambda: app.session is not None and app.session.state.current_move is not None,
        "move 1",
    )
    await pilot.press("n")


async def test_every_screen_and_dialog_is_reached_by_its_keys_without_an_error(
    harness: Harness,
) -> None:
    app = harness.app(start="run", exercise=DEMO)
    trouble = Trouble()
    trouble.watch(app)
    trouble.no_quitting(app)
    async with app.run_test(size=(120, 40)) as pilot:
        await _started(pilot, app)
        found = await walk_screens(pilot, app, trouble, limit=150 if CI else 400)
        same_as_journal(app, harness.journal)
    expected = {
        "ConsoleScreen",
        "ChoiceDialog",
        "ConfirmDialog",
        "DecisionDialog",
        "NoteDialog",
        "ProjectorScreen",
        "HotWashScreen",
        "EvaluationScreen",
        "FinishScreen",
        "HelpDialog",
        "FormDialog",
        "ReasonDialog",
        "CommandPalette",
    }
    assert expected <= set(found), sorted(expected - set(found))


@pytest.mark.parametrize(
    ("exercise", "seed"),
    [(DEMO, 1), (FLAGSHIP, 3)] if CI else [(DEMO, 1), (DEMO, 2), (FLAGSHIP, 3)],
    ids=["demo-1", "flagship-3"] if CI else ["demo-1", "demo-2", "flagship-3"],
)
async def test_monkey(harness: Harness, exercise: Path, seed: int) -> None:
    app = harness.app(start="run", exercise=exercise)
    trouble = Trouble()
    trouble.watch(app)
    trouble.no_quitting(app)
    steps = 50 if CI else 120
    async with app.run_test(size=(120, 40)) as pilot:
        await _started(pilot, app)
        await monkey(
            pilot, app, seed, steps, trouble, check=lambda: same_as_journal(app, harness.journal)
        )
        same_as_journal(app, harness.journal)


async def test_ctrl_p_under_the_too_small_message_with_the_palette_open(harness: Harness) -> None:
    """Found by the monkey: the palette open, the terminal shrunk, ctrl+p: a second palette
    with the same id stopped the app."""
    app = harness.app(start="run", exercise=DEMO)
    async with app.run_test(size=(120, 40)) as pilot:
        await _started(pilot, app)
        await pilot.press("ctrl+p")
        await wait_screen(pilot, "CommandPalette")
        await pilot.resize_terminal(60, 40)
        await wait_screen(pilot, "TooSmallScreen")
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert app.is_running and app.return_code is None
        await pilot.resize_terminal(120, 40)
        await wait_screen(pilot, "CommandPalette")
