"""The home screen's lists: exercises (from the summary cache when unchanged) and sessions."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from textual.app import App
from textual.widgets import OptionList, Static

from tests.tui.conftest import DEMO, Harness, on_screen, wait_for
from ttx.api import open_journal
from ttx.session import actions as cmd

TITLE = "Demo: An Offer Across the Border"


@pytest.fixture
def folders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    shipped, own = tmp_path / "shipped", tmp_path / "own"
    shipped.mkdir()
    own.mkdir()
    shutil.copy(DEMO, shipped / "demo.yaml")
    monkeypatch.setattr("ttx.service.catalogue.shipped_exercises_dir", lambda: shipped)
    monkeypatch.setattr("ttx.service.catalogue.user_exercises_dir", lambda: own)
    return shipped, own


def prompts(app: App[Any], list_id: str) -> list[str]:
    """The text of every option of a list on the current screen (none before it is composed)."""
    found = app.screen.query(list_id)
    if not found:
        return []
    options = found.only_one(OptionList)
    return [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]


async def check_lists(harness: Harness) -> None:
    """Start at home: the demo, the broken file with its problem, and the session are listed."""
    app = harness.app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: len(prompts(app, "#exercise-list")) == 2, "exercises")
        exercises = prompts(app, "#exercise-list")
        assert TITLE in exercises[0] and "shipped" in exercises[0]
        assert "broken.yaml" in exercises[1] and "has problems" in exercises[1]
        (listed,) = prompts(app, "#session-list")
        assert TITLE in listed and "monday-class" in listed and "events" in listed
        detail = app.screen.query_one("#exercise-detail", Static)
        assert "Teams:" in str(detail.render())
        await pilot.press("down")
        await wait_for(pilot, lambda: "has problems" in str(detail.render()), "problem")
        assert "broken.yaml" in str(detail.render())


async def test_both_lists_fill_and_an_edit_shows_after_reload(
    harness: Harness, folders: tuple[Path, Path]
) -> None:
    shipped, own = folders
    (own / "broken.yaml").write_text("format: 1\nid: broken\ntitle: B\nteams: []\n", "utf-8")
    with open_journal(harness.journal) as journal:
        session = journal.create_session(DEMO, clock=harness.clock, session_id="monday-class")
        session.apply(cmd.EnterMove())
        session.close()
    await check_lists(harness)
    await check_lists(harness)  # the second start lists the exercises from the cache

    path = shipped / "demo.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(TITLE, "Edited title"), "utf-8")
    app = harness.app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(
            pilot, lambda: "Edited title" in "".join(prompts(app, "#exercise-list")), "edited"
        )
        (own / "broken.yaml").write_text(DEMO.read_text(encoding="utf-8"), "utf-8")
        await pilot.press("f5")
        await wait_for(
            pilot, lambda: TITLE in prompts(app, "#exercise-list")[1], "fixed file after F5"
        )


async def test_resume_opens_the_console_alone_and_falls_back_to_home(
    harness: Harness, folders: tuple[Path, Path]
) -> None:
    app = harness.app(start="resume")  # no session yet: the error, on the home screen
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await wait_for(pilot, lambda: type(app.screen).__name__ == "HomeScreen", "home")
        await wait_for(pilot, lambda: on_screen(app, "no sessions recorded yet"), "the message")
        await wait_for(pilot, lambda: len(prompts(app, "#exercise-list")) == 1, "exercises")
    with open_journal(harness.journal) as journal:
        journal.create_session(DEMO, clock=harness.clock).close()
    app = harness.app(start="resume")
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: type(app.screen).__name__ == "ConsoleScreen", "console")
        # the console is never left for home, so home is not mounted beneath it
        assert [type(s).__name__ for s in app.screen_stack[1:]] == ["ConsoleScreen"]
