"""The demo exercise run from setup to report with the keyboard; asserts on the journal, not just the screen."""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot
from textual.widgets import Input

from tests.tui.conftest import DEMO, Harness, wait_for, wait_screen
from ttx.api import open_journal
from ttx.tui.app import TtxApp

HOSTILE = "Because [/] and [@click=app.quit]x[/] — إنها خطة 🚀"


async def type_text(pilot: Pilot[Any], text: str) -> None:
    """Type text into the focused input: ASCII as key presses, anything else pasted in."""
    for char in text:
        key = _KEYS.get(char, char)
        if char.isascii() and (char.isalnum() or char in _KEYS):
            await pilot.press(key)
        else:
            focused: Any = pilot.app.focused
            if hasattr(focused, "insert_text_at_cursor"):
                focused.insert_text_at_cursor(char)
            else:
                focused.insert(char)
    await pilot.pause()


_KEYS = {
    " ": "space",
    "[": "left_square_bracket",
    "]": "right_square_bracket",
    "/": "slash",
    "@": "at",
    "=": "equals_sign",
    ".": "full_stop",
    ",": "comma",
}


def state(app: TtxApp) -> Any:
    assert app.session is not None
    return app.session.state


async def record(pilot: Pilot[Any], team_key: str, option_key: str, rationale: str) -> None:
    """d, team (its place in the exercise), option, rationale, ctrl+s, Enter (the one confirm)."""
    await pilot.press("d")
    await wait_screen(pilot, "ChoiceDialog")
    await pilot.press(team_key)
    await wait_screen(pilot, "DecisionDialog")
    await pilot.press(option_key)
    await type_text(pilot, rationale)
    await pilot.press("ctrl+s")
    await wait_screen(pilot, "ConfirmDialog")
    await pilot.press("enter")
    await wait_screen(pilot, "ConsoleScreen")


async def test_demo_from_setup_to_report(harness: Harness) -> None:
    app = harness.app(start="run", exercise=DEMO)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_screen(pilot, "SetupScreen")
        name = app.screen.query_one("#name-us", Input)
        name.value = "Team [b]Alpha[/b]"
        app.screen.query_one("#members-us", Input).value = "Ana, Ben; Chloé"
        await pilot.press("ctrl+s")
        await wait_screen(pilot, "ConsoleScreen")
        session_id = state(app).id

        # begin the first move, release both injects
        await pilot.press("m")
        await wait_for(pilot, lambda: state(app).current_move == "offer", "move 1")
        await pilot.press("n", "n")
        await wait_for(pilot, lambda: len(state(app).injects) == 2, "two injects")

        # both teams decide (US chooses pressure, with hostile text in the rationale)
        await record(pilot, "1", "2", HOSTILE)
        await record(pilot, "2", "2", "Sovereignty first")
        decisions = state(app).decisions
        assert decisions["opening"].records["us"].option_id == "pressure"
        assert decisions["opening"].records["us"].rationale == HOSTILE
        assert decisions["posture"].records["mexico"].option_id == "intel_only"
        assert app.is_running

        # correct Mexico's answer: c, pick the second answered pair, option 1, reason
        await pilot.press("c")
        await wait_screen(pilot, "ChoiceDialog")
        await pilot.press("2")
        await wait_screen(pilot, "DecisionDialog")
        await pilot.press("1")
        await pilot.press("tab")  # rationale kept; on to the reason
        await type_text(pilot, "misheard")
        await pilot.press("enter", "enter")
        await wait_for(
            pilot,
            lambda: state(app).decisions["posture"].records["mexico"].option_id == "joint",
            "correction",
        )

        # pause, time passes, resume
        await pilot.press("space", "enter")
        await wait_for(pilot, lambda: not state(app).clock.running, "paused")
        assert "PAUSED" in str(app.screen.query_one("#head-clock").render())
        harness.clock.advance(90)
        await pilot.press("space")
        await wait_for(pilot, lambda: state(app).clock.running, "resumed")

        # a note, undone, then a real one
        await pilot.press("o")
        await wait_screen(pilot, "NoteDialog")
        await type_text(pilot, "typo note")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: len(state(app).notes) == 1, "note")
        await pilot.press("u")
        await wait_screen(pilot, "ConfirmDialog")
        await pilot.press("y")
        await wait_for(pilot, lambda: len(state(app).notes) == 0, "undo")
        await pilot.press("o")
        await wait_screen(pilot, "NoteDialog")
        await type_text(pilot, "US named an end state")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: len(state(app).notes) == 1, "second note")

        # the branch: pressure leads to the strained partnership; confirm the rules
        assert "strained" in str(app.screen.query_one("#branch-preview").render()).lower()
        await pilot.press("m")
        await wait_screen(pilot, "ChoiceDialog")
        await pilot.press("enter")
        await wait_for(pilot, lambda: state(app).current_move == "strained", "branch to strained")

        # both teams answer the majority decision; US wins the tie-break
        await pilot.press("n")
        await record(pilot, "1", "1", "Start again")
        await record(pilot, "2", "2", "Hold")
        assert state(app).decisions["repair"].outcome.option_id == "lift"

        # hot wash
        await pilot.press("w")
        await wait_screen(pilot, "ConfirmDialog")
        await pilot.press("y")
        await wait_screen(pilot, "HotWashScreen")
        await type_text(pilot, "The tariffs")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: len(state(app).hot_wash) == 1, "hot-wash answer")

        # finish: end the session, the report is written (fake job), the path is shown
        await pilot.press("ctrl+f")
        await wait_screen(pilot, "ConfirmDialog")
        await pilot.press("y")
        await wait_screen(pilot, "FinishScreen")
        await wait_for(
            pilot, lambda: bool(harness.jobs) and harness.jobs[0].done, "report job", timeout=10
        )
        await wait_for(
            pilot,
            lambda: "Report written" in str(app.screen.query_one("#finish-result").render()),
            "result",
        )
        assert str(harness.jobs[0].output) in str(app.screen.query_one("#finish-result").render())
        assert app.is_running

    # the journal, read back independently, holds everything
    with open_journal(harness.journal) as journal:
        session = journal.read_session(session_id)
        kinds = [e.kind for e in session.events]
        final = session.state
        session.close()
    assert kinds.count("inject_released") == 3
    assert kinds.count("decision_recorded") == 4
    assert "decision_corrected" in kinds
    assert "clock_paused" in kinds and "clock_resumed" in kinds
    assert kinds.count("note_added") == 2 and "undone" in kinds
    assert "branch_resolved" in kinds
    assert "hot_wash_answered" in kinds
    assert kinds[-1] == "session_ended" or "session_ended" in kinds
    assert [v.move_id for v in final.path] == ["offer", "strained"]
    assert final.team("us").name == "Team [b]Alpha[/b]"
    assert final.team("us").members == ("Ana", "Ben", "Chloé")
    assert final.decisions["opening"].records["us"].rationale == HOSTILE
    assert [n.text for n in final.notes] == ["US named an end state"]
    assert final.notes[0].inject_id == "leak_warning"
    assert final.status == "ended"
