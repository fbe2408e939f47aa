"""Dialogs are mounted once and shown again: each showing asks its own question, never the last one's."""

from __future__ import annotations

from textual.widgets import OptionList

from tests.tui.conftest import DEMO, Harness, screen_text, top_screen, wait_screen
from ttx.api import open_journal
from ttx.session import actions as cmd
from ttx.tui.dialogs.choose import ChoiceDialog, ConfirmDialog
from ttx.tui.widgets.panel import Panel


def _two_teams_to_answer(harness: Harness) -> str:
    """The demo in its first move, first inject out: two teams still to answer."""
    with open_journal(harness.journal) as journal:
        session = journal.create_session(DEMO, clock=harness.clock)
        session.apply(cmd.EnterMove())
        session.apply(cmd.ReleaseInject(inject_id="offer_cable"))
        session_id: str = session.id
        session.close()
    return session_id


def _prompts(dialog: ChoiceDialog) -> list[str]:
    options = dialog.query_one("#choice-list", OptionList)
    return [str(option.prompt) for option in options.options]


async def test_a_choice_dialog_shown_again_asks_the_new_question(harness: Harness) -> None:
    _two_teams_to_answer(harness)
    app = harness.app(start="resume")
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_screen(pilot, "ConsoleScreen")
        await pilot.press("d")
        await wait_screen(pilot, "ChoiceDialog")
        teams = top_screen(app, ChoiceDialog)
        assert "Which team is answering?" in screen_text(app)
        team_prompts = _prompts(teams)
        assert len(team_prompts) == 2
        await pilot.press("down")  # move the highlight, then leave
        assert teams.query_one(OptionList).highlighted == 1
        await pilot.press("escape")
        await wait_screen(pilot, "ConsoleScreen")

        # m: another question, with an explanation and other choices, in the same dialog
        await pilot.press("m")
        await wait_screen(pilot, "ChoiceDialog")
        assert app.screen is teams  # shown again, not built again
        text = screen_text(app)
        assert "Where does the story go next?" in text
        assert "Which team is answering?" not in text
        intro = teams.query_one("#choice-intro", Panel)
        assert intro.display and "next:" in str(intro.render())
        prompts = _prompts(teams)
        assert prompts != team_prompts and prompts[0].startswith("1  Confirm:")
        assert teams.query_one(OptionList).highlighted == 0  # starts at the top again
        await pilot.press("escape")
        await wait_screen(pilot, "ConsoleScreen")

        # d again: the team question, without the explanation left over from m
        await pilot.press("d")
        await wait_screen(pilot, "ChoiceDialog")
        assert app.screen is teams
        intro_text = str(teams.query_one("#choice-intro", Panel).render())
        assert "still to answer" in intro_text and "next" not in intro_text
        assert _prompts(teams) == team_prompts
        assert "Where does the story go next?" not in screen_text(app)
        await pilot.press("2", "1")  # the second team, its first option: the decision dialog
        await wait_screen(pilot, "DecisionDialog")
        assert "Record a decision" in screen_text(app)


async def test_a_confirm_dialog_shown_again_shows_the_new_words(harness: Harness) -> None:
    _two_teams_to_answer(harness)
    app = harness.app(start="resume")
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_screen(pilot, "ConsoleScreen")
        await pilot.press("u")
        await wait_screen(pilot, "ConfirmDialog")
        confirm = top_screen(app, ConfirmDialog)
        text = screen_text(app)
        assert "Undo this?" in text and "Enter: Undo" in text and "Esc: Keep" in text
        await pilot.press("n")  # keep: nothing undone
        await wait_screen(pilot, "ConsoleScreen")
        await pilot.press("w")
        await wait_screen(pilot, "ConfirmDialog")
        assert app.screen is confirm
        text = screen_text(app)
        assert "End the moves and start the hot wash?" in text
        assert "Undo this?" not in text and "Enter: Undo" not in text
        assert "Enter: Yes" in text and "Esc: No" in text
        await pilot.press("y")
        await wait_screen(pilot, "HotWashScreen")
        session = app.session
        assert session is not None and session.state.status == "hot_wash"
        assert session.state.injects  # the earlier n (keep) undid nothing


async def test_the_console_shows_what_changed_while_a_dialog_was_open(harness: Harness) -> None:
    """Coming back from a dialog redraws only when the session moved on, and then it does."""
    _two_teams_to_answer(harness)
    app = harness.app(start="resume")
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_screen(pilot, "ConsoleScreen")
        await pilot.press("d")
        await wait_screen(pilot, "ChoiceDialog")
        session = app.session
        assert session is not None
        # recorded behind the console's back (no redraw asked): only the new state shows it
        session.apply(cmd.AddNote(text="Written while a dialog was open"))
        await pilot.press("escape")
        await wait_screen(pilot, "ConsoleScreen")
        await pilot.pause()
        assert "Written while a dialog was open" in str(
            app.screen.query_one("#recent-notes", Panel).render()
        )
