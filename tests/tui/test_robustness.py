"""Hostile text, unexpected errors, failed writes, tiny terminals, bindings and the palette."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from typing import Any

import pytest
from textual.binding import Binding
from textual.dom import DOMNode
from textual.widgets import Input, OptionList, Static

import ttx.tui
from tests.tui.conftest import DEMO, Harness, on_screen, press_to_new_screen, wait_for, wait_screen
from ttx.api import JournalUnwritable, open_journal
from ttx.session import actions as cmd
from ttx.session.events import TeamSetup
from ttx.tui.app import TtxApp

LONG_WORD = "x" * 5000
HOSTILE_TEAM = "[/] [@click=app.quit]Quit[/] 🚀 فريق"
HOSTILE_RATIONALE = f"[bold]not bold[/bold] [/] [@click=app.quit]click[/] {LONG_WORD} שלום 👩‍👩‍👧"


def screen_text(app: TtxApp) -> str:
    """Every Static's rendered text on the current screen."""
    return "\n".join(str(w.render()) for w in app.screen.query(Static))


def hostile_session(harness: Harness) -> str:
    with open_journal(harness.journal) as journal:
        session = journal.create_session(
            DEMO,
            [
                TeamSetup(id="us", name=HOSTILE_TEAM, members=["[/]", "🚀"]),
                TeamSetup(id="mexico", name=LONG_WORD[:200]),
            ],
            clock=harness.clock,
        )
        for step in (
            cmd.EnterMove(),
            cmd.ReleaseInject(inject_id="offer_cable"),
            cmd.RecordDecision(
                decision_id="opening",
                team_id="us",
                option_id="pressure",
                rationale=HOSTILE_RATIONALE,
            ),
            cmd.RecordDecision(
                decision_id="posture",
                team_id="mexico",
                free_text="[/] free",
                rationale="[@click=app.quit]",
            ),
            cmd.AddNote(text=HOSTILE_RATIONALE, team_id="us"),
        ):
            session.apply(step)
        session_id = session.id
        session.close()
    return session_id


@pytest.mark.parametrize("size", [(120, 40), (80, 24)])
async def test_hostile_text_is_shown_literally_everywhere(
    harness: Harness, size: tuple[int, int]
) -> None:
    hostile_session(harness)
    app = harness.app(start="resume")
    async with app.run_test(size=size) as pilot:
        await wait_screen(pilot, "ConsoleScreen")
        text = screen_text(app)
        assert "[/]" in text and "[@click=app.quit]" in text and "[bold]not bold[/bold]" in text
        # click across the hostile text: no link may run an action
        for widget in app.screen.query(Static):
            if "@click" in str(widget.render()):
                region = widget.region
                for y in range(region.y, min(region.bottom, region.y + 2, size[1] - 1)):
                    for x in range(region.x, min(region.right, size[0] - 1), 9):
                        await pilot.click(offset=(x, y))
        assert app.is_running and type(app.screen).__name__ == "ConsoleScreen"
        for keys, screen in (
            (["c", "1"], "DecisionDialog"),
            (["o"], "NoteDialog"),
            (["p"], "ProjectorScreen"),
            (["e"], "EvaluationScreen"),
            (["f1"], "HelpDialog"),
        ):
            for key in keys:
                await press_to_new_screen(pilot, key)
            await wait_screen(pilot, screen)
            assert app.is_running
            await pilot.press("escape")
            await wait_screen(pilot, "ConsoleScreen")
        await pilot.resize_terminal(40, 12)
        await pilot.resize_terminal(*size)
        await wait_screen(pilot, "ConsoleScreen")
        assert app.is_running


async def test_hostile_team_names_in_setup_and_home(harness: Harness) -> None:
    app = harness.app(start="run", exercise=DEMO)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_screen(pilot, "SetupScreen")
        app.screen.query_one("#name-us", Input).value = HOSTILE_TEAM
        app.screen.query_one("#name-mexico", Input).value = "מקסיקו " + LONG_WORD[:100]
        await pilot.press("ctrl+s")
        await wait_screen(pilot, "ConsoleScreen")
        assert app.session is not None
        assert app.session.state.team("us").name == HOSTILE_TEAM
        await pilot.press("escape")
        assert app.is_running


async def test_an_unexpected_error_is_shown_and_the_session_continues(
    harness: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    hostile_session(harness)
    app = harness.app(start="resume")
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await wait_screen(pilot, "ConsoleScreen")
        assert app.session is not None
        real = app.session.apply

        def broken(command: Any) -> Any:
            raise RuntimeError("boom [/] inside")

        monkeypatch.setattr(app.session, "apply", broken)
        await pilot.press("space", "enter")
        await wait_for(
            pilot,
            lambda: on_screen(app, "boom [/] inside"),
            "error toast",
        )
        assert app.is_running
        # the panel code itself failing is caught too
        monkeypatch.setattr(app.session, "apply", real)
        monkeypatch.setattr("ttx.tui.widgets.panels.team_status", lambda state: 1 / 0)
        await pilot.press("space", "enter")
        await wait_for(
            pilot,
            lambda: on_screen(app, "ZeroDivisionError"),
            "redraw error",
        )
        assert app.is_running
        assert not app.session.state.clock.running  # the pause itself was recorded


async def test_a_failed_write_shows_not_saved(
    harness: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    hostile_session(harness)
    app = harness.app(start="resume")
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await wait_screen(pilot, "ConsoleScreen")
        assert app.session is not None
        before = app.session.state.last_seq

        def unwritable(command: Any) -> Any:
            raise JournalUnwritable("disk full")

        monkeypatch.setattr(app.session, "apply", unwritable)
        await pilot.press("space", "enter")
        indicator = app.screen.query_one("SavedIndicator")
        await wait_for(pilot, lambda: "NOT SAVED" in str(indicator.render()), "NOT SAVED")
        assert "disk full" in str(indicator.render())
        assert "✓ saved" not in str(indicator.render())
        assert app.session.state.last_seq == before
        monkeypatch.undo()
        await pilot.press("space", "enter")
        await wait_for(pilot, lambda: "✓ saved" in str(indicator.render()), "saved again")


async def test_a_refused_command_is_a_warning_not_a_crash(harness: Harness) -> None:
    hostile_session(harness)
    app = harness.app(start="resume")
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await wait_screen(pilot, "ConsoleScreen")
        assert app.apply(cmd.ReleaseInject(inject_id="no_such_inject")) is None
        await wait_for(pilot, lambda: on_screen(app, "Not recorded"), "warning")
        assert app.is_running


async def test_tiny_terminal_shows_a_message_and_recovers(harness: Harness) -> None:
    hostile_session(harness)
    app = harness.app(start="resume")
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_screen(pilot, "ConsoleScreen")
        for width, height in ((30, 8), (79, 23), (10, 3), (200, 60), (50, 30)):
            await pilot.resize_terminal(width, height)
            await pilot.pause()
        await wait_screen(pilot, "TooSmallScreen")
        assert "at least 80×24" in screen_text(app)
        await pilot.press("d")  # console keys do nothing behind the message
        await pilot.resize_terminal(100, 30)
        await wait_screen(pilot, "ConsoleScreen")
        assert app.is_running


def _binding_classes() -> list[type[DOMNode]]:
    found: list[type[DOMNode]] = []
    for info in pkgutil.walk_packages(ttx.tui.__path__, "ttx.tui."):
        module = importlib.import_module(info.name)
        for _, value in inspect.getmembers(module, inspect.isclass):
            if issubclass(value, DOMNode) and value.__module__ == info.name:
                found.append(value)
    return found


def test_every_binding_has_an_id_and_a_description() -> None:
    classes = _binding_classes()
    assert any(c.__name__ == "ConsoleScreen" for c in classes)
    ids: dict[str, Binding] = {}
    for cls in classes:
        for binding in cls.__dict__.get("BINDINGS", []):
            assert isinstance(binding, Binding), f"{cls.__name__}: {binding!r} is not a Binding"
            assert binding.id, f"{cls.__name__}: {binding.key} has no id"
            assert binding.description, f"{cls.__name__}: {binding.key} has no description"
            assert ids.setdefault(binding.id, binding) is binding, (
                f"{binding.id} names two bindings"
            )


async def test_everything_is_in_the_palette(harness: Harness) -> None:
    hostile_session(harness)
    app = harness.app(start="resume")
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_screen(pilot, "ConsoleScreen")
        from ttx.tui.palette import BindingCommands

        provider = BindingCommands(app.screen)
        labels = [hit.text async for hit in provider.discover()]
        for wanted in (
            "Inject",
            "Move",
            "Decide",
            "Correct",
            "Undo",
            "Pause",
            "Note",
            "Present",
            "Project",
            "Hot wash",
            "Rate",
            "Finish",
            "Help",
        ):
            assert wanted in labels
        await pilot.press("ctrl+p")
        await wait_screen(pilot, "CommandPalette")
        for char in "Note":
            await pilot.press(char)
        await wait_for(
            pilot,
            lambda: (
                bool(app.screen.query("CommandList"))
                and app.screen.query_one("CommandList", OptionList).option_count > 0
            ),
            "hits",
        )
        await pilot.press("enter")
        await wait_screen(pilot, "NoteDialog")


async def test_resume_after_a_crash_keeps_everything(harness: Harness) -> None:
    app = harness.app(start="run", exercise=DEMO)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_screen(pilot, "SetupScreen")
        await pilot.press("ctrl+s")
        await wait_screen(pilot, "ConsoleScreen")
        await pilot.press("m", "n")
        await wait_for(
            pilot, lambda: app.session is not None and len(app.session.state.injects) == 1, "inject"
        )
        assert app.session is not None
        session_id = app.session.id
        app.session.close()  # what the OS does to the lock and connection when the process dies
        app.session = None
    again = harness.app(start="resume")
    async with again.run_test(size=(120, 40)) as pilot:
        await wait_screen(pilot, "ConsoleScreen")
        assert again.session is not None and again.session.id == session_id
        assert [r.inject_id for r in again.session.state.injects] == ["offer_cable"]
        assert "An offer, with a red line" in screen_text(again)
