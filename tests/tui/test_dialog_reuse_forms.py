"""Decision and note dialogs are mounted once and shown again: each showing starts empty, never with the last team's answer."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.widgets import Input, OptionList, RadioButton, RadioSet, Select, Static

from tests.tui.conftest import Harness, screen_text, top_screen, wait_for, wait_screen
from tests.tui.test_dialog_reuse import _two_teams_to_answer
from ttx.api import open_journal
from ttx.session import actions as cmd
from ttx.tui.app import TtxApp
from ttx.tui.dialogs.decision import DecisionDialog
from ttx.tui.dialogs.form import FormDialog
from ttx.tui.dialogs.note import NoteDialog


def state(app: TtxApp) -> Any:
    assert app.session is not None
    return app.session.state


def _value(dialog: Any, field: str) -> str:
    value: str = dialog.query_one(f"#{field}").value
    return value


def _options(dialog: DecisionDialog) -> list[str]:
    return [str(o.prompt) for o in dialog.query_one("#decision-options", OptionList).options]


async def test_a_decision_dialog_shown_again_never_shows_the_last_teams_answer(
    harness: Harness,
) -> None:
    _two_teams_to_answer(harness)
    app = harness.app(start="resume")
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_screen(pilot, "ConsoleScreen")
        await pilot.press("d", "1")
        await wait_screen(pilot, "DecisionDialog")
        dialog = top_screen(app, DecisionDialog)
        first_team, first_decision = dialog.team_name, dialog.decision.id
        first_options = _options(dialog)
        # option 1, a rationale, then ctrl+s: the one confirm restates it... then Escape twice
        await pilot.press("1", *"kept secret", "ctrl+s")
        await wait_screen(pilot, "ConfirmDialog")
        assert f"for {first_team}?" in screen_text(app)
        await pilot.press("escape")
        await wait_screen(pilot, "DecisionDialog")
        await pilot.press("escape")
        await wait_screen(pilot, "ConsoleScreen")
        assert not state(app).decisions  # Escape records nothing

        # the other team: the same dialog, with nothing of the first team's
        await pilot.press("d", "2")
        await wait_screen(pilot, "DecisionDialog")
        assert app.screen is dialog  # shown again, not built again
        assert dialog.team_name != first_team and dialog.decision.id != first_decision
        text = screen_text(app)
        assert dialog.team_name in text and first_team not in text
        assert "kept secret" not in text
        assert _value(dialog, "rationale") == "" and _value(dialog, "free-text") == ""
        assert str(dialog.query_one("#decision-summary", Static).render()) == ""
        assert _options(dialog) != first_options
        assert dialog.choice is None and not dialog.confirming
        options = dialog.query_one("#decision-options", OptionList)
        assert app.focused is options and options.highlighted == 0
        assert not dialog.query_one("#reason", Input).display
        # nothing typed: a message, then the answer exactly as typed is recorded
        await pilot.press("ctrl+s")
        assert "⚠" in str(dialog.query_one("#decision-summary").render())
        await pilot.press("1", *"they said so", "ctrl+s")
        await wait_screen(pilot, "ConfirmDialog")
        await pilot.press("enter")
        await wait_screen(pilot, "ConsoleScreen")
        records = state(app).decisions[dialog.decision.id].records
        assert len(records) == 1
        (record,) = records.values()
        assert record.rationale == "they said so"
        assert record.option_id == dialog.decision.options[0].id

        # c: the same dialog, correcting, with the recorded answer and a reason field
        await pilot.press("c", "1")
        await wait_screen(pilot, "DecisionDialog")
        assert app.screen is dialog and dialog.correcting
        assert _value(dialog, "rationale") == "they said so"
        assert dialog.query_one("#reason", Input).display
        assert "Correct a decision" in screen_text(app)
        await pilot.press("escape")
        await wait_screen(pilot, "ConsoleScreen")

        # d: one team left, still asked (team 1 keeps its number): empty again, no reason field
        await pilot.press("d", "1")
        await wait_screen(pilot, "DecisionDialog")
        assert app.screen is dialog and not dialog.correcting
        assert dialog.team_name == first_team and _options(dialog) == first_options
        assert _value(dialog, "rationale") == "" and _value(dialog, "reason") == ""
        assert not dialog.query_one("#reason", Input).display
        text = screen_text(app)
        assert "they said so" not in text and "Record a decision" in text
        assert app.focused is dialog.query_one("#decision-options", OptionList)
        await pilot.press("2", *"second", "ctrl+s")
        await wait_screen(pilot, "ConfirmDialog")
        await pilot.press("enter")
        await wait_screen(pilot, "ConsoleScreen")
        answers = state(app).decisions[first_decision].records
        assert [(r.option_id, r.rationale) for r in answers.values()] == [
            (dialog.decision.options[1].id, "second")
        ]


async def test_a_note_dialog_shown_again_starts_empty(harness: Harness) -> None:
    _two_teams_to_answer(harness)
    app = harness.app(start="resume")
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_screen(pilot, "ConsoleScreen")
        await pilot.press("o")
        await wait_screen(pilot, "NoteDialog")
        dialog = top_screen(app, NoteDialog)
        await pilot.press("ctrl+s")  # no text: a message, nothing saved
        assert "Type the note first" in str(dialog.query_one("#note-error", Static).render())
        await pilot.press(*"half a thought")
        list(dialog.query(RadioButton))[2].value = True
        dialog.query_one("#note-team", Select).value = dialog.teams[1][0]
        dialog.query_one("#note-objective", Select).value = dialog.objectives[0][0]
        await pilot.pause()
        await pilot.press("escape")
        await wait_screen(pilot, "ConsoleScreen")
        assert not state(app).notes  # Escape saves nothing

        await pilot.press("o")
        await wait_screen(pilot, "NoteDialog")
        assert app.screen is dialog  # shown again, not built again
        await pilot.pause()
        assert _value(dialog, "note-text") == ""
        assert app.focused is dialog.query_one("#note-text")
        assert str(dialog.query_one("#note-error", Static).render()) == ""
        assert dialog.query_one("#note-category", RadioSet).pressed_index == 0
        assert dialog.query_one("#note-team", Select).is_blank()
        assert dialog.query_one("#note-objective", Select).is_blank()
        text = screen_text(app)
        assert "half a thought" not in text and "Tagged to:" in text
        await pilot.press(*"the team asked for a map", "ctrl+s")
        await wait_screen(pilot, "ConsoleScreen")
        await wait_for(pilot, lambda: bool(state(app).notes), "the note")
        (note,) = state(app).notes
        assert note.text == "the team asked for a map"
        assert note.category == "note" and note.team_id is None and note.objective_id is None


MIXED = """\
format: 1
id: mixed-test
title: Mixed decisions
teams:
  - {id: a, name: Alpha}
  - {id: b, name: Bravo}
  - {id: c, name: Charlie}
moves:
  - id: m1
    title: Choose and spend
    injects:
      - {id: brief, title: The budget, body: Ten points each.}
    decisions:
      - id: spend
        prompt: Spend your points.
        kind: allocation
        budget: 10
        teams: [a, b]
        options:
          - {id: ships, label: Ships, max: 4, consequence: Slow.}
          - {id: spies, label: Spies, max: 3, consequence: Quiet.}
          - {id: aid, label: Aid, max: 5, consequence: Popular.}
      - id: stance
        prompt: Pick a stance.
        teams: [c]
        rationale_required: false
        options:
          - {id: bold, label: Bold, consequence: Loud.}
          - {id: calm, label: Calm, consequence: Quiet.}
"""


async def test_allocation_fields_start_empty_and_another_layout_gets_its_own_dialog(
    harness: Harness, tmp_path: Path
) -> None:
    exercise = tmp_path / "mixed.yaml"
    exercise.write_text(MIXED, encoding="utf-8")
    with open_journal(harness.journal) as journal:
        session = journal.create_session(exercise, clock=harness.clock)
        session.apply(cmd.EnterMove())
        session.close()
    app = harness.app(start="resume")
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_screen(pilot, "ConsoleScreen")
        await pilot.press("d", "1")  # Alpha spends
        await wait_screen(pilot, "DecisionDialog")
        alpha = top_screen(app, DecisionDialog)
        assert alpha.decision.kind == "allocation"
        await pilot.press("4", "enter", "2", "enter")
        await wait_for(
            pilot, lambda: "6 of 10" in str(alpha.query_one("#alloc-total").render()), "total"
        )
        await pilot.press("escape")
        await wait_screen(pilot, "ConsoleScreen")

        await pilot.press("d", "2")  # Bravo: the same fields, empty
        await wait_screen(pilot, "DecisionDialog")
        assert app.screen is alpha and alpha.team_name == "Bravo"
        assert [_value(alpha, f"alloc-{o}") for o in ("ships", "spies", "aid")] == ["", "", ""]
        assert "0 of 10" in str(alpha.query_one("#alloc-total").render())
        assert app.focused is alpha.query_one("#alloc-ships", Input)
        await pilot.press("escape")
        await wait_screen(pilot, "ConsoleScreen")

        await pilot.press("d", "3")  # Charlie: a choice, in a dialog of its own
        await wait_screen(pilot, "DecisionDialog")
        charlie = top_screen(app, DecisionDialog)
        assert charlie is not alpha
        assert not charlie.query("#alloc-ships") and "Rationale" in screen_text(app)
        await pilot.press("2", "ctrl+s")  # rationale optional: ctrl+s, then the one confirm
        await wait_screen(pilot, "ConfirmDialog")
        await pilot.press("enter")
        await wait_screen(pilot, "ConsoleScreen")
        assert not alpha.is_attached  # the one it replaced is gone
        record = state(app).decisions["stance"].records["c"]
        assert (record.option_id, record.rationale) == ("calm", "")


async def test_a_form_dialog_shown_again_starts_with_its_own_values(harness: Harness) -> None:
    from tests.tui.test_snapshots import session_at

    session_at(harness, "ended")
    app = harness.app(start="resume")
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_screen(pilot, "ConsoleScreen")
        await pilot.press("e")
        await wait_screen(pilot, "EvaluationScreen")
        before = len(state(app).improvements)
        await pilot.press("i")
        await wait_screen(pilot, "FormDialog")
        form = top_screen(app, FormDialog)
        await pilot.press("ctrl+s")  # the issue is required
        assert "Fill in" in str(form.query_one("#form-error", Static).render())
        await pilot.press(*"half typed")
        assert _value(form, "form-issue").endswith("half typed")
        await pilot.press("escape")
        await wait_screen(pilot, "EvaluationScreen")
        assert len(state(app).improvements) == before  # Escape saves nothing

        await pilot.press("i")
        await wait_screen(pilot, "FormDialog")
        assert app.screen is form  # shown again, not built again
        assert [_value(form, f"form-{k}") for k in ("issue", "action", "responsible", "due")] == [
            "",
            "",
            "",
            "",
        ]
        assert str(form.query_one("#form-error", Static).render()) == ""
        assert app.focused is form.query_one("#form-issue")
        assert "half typed" not in screen_text(app)
        # From the action, Tab to the first one-line field, then Enter through the rest
        # (objective, capability, responsible, contact, start, due): the last saves.
        await pilot.press(*"more maps", "tab", *"print them", "tab", *["enter"] * 6)
        await wait_screen(pilot, "EvaluationScreen")
        item = state(app).improvements[-1]
        assert len(state(app).improvements) == before + 1
        assert (item.issue, item.corrective_action, item.responsible) == (
            "more maps",
            "print them",
            "",
        )
