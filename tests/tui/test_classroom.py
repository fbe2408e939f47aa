"""Issue 13, "the console in a real classroom": what a facilitator hit, driven with Pilot."""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot
from textual.widgets import Input

from tests.tui.conftest import DEMO, Harness, wait_for, wait_screen
from ttx.session.events import BranchOverridden, StateTrackChanged
from ttx.tui.app import TtxApp
from ttx.tui.widgets.fields import LongField


def state(app: TtxApp) -> Any:
    assert app.session is not None
    return app.session.state


async def to_console(pilot: Pilot[Any]) -> None:
    """From the set-up screen: start the session with the defaults."""
    await wait_screen(pilot, "SetupScreen")
    await pilot.press("ctrl+s")
    await wait_screen(pilot, "ConsoleScreen")


async def to_first_move(pilot: Pilot[Any], app: TtxApp) -> None:
    """From the set-up screen: start the session with the defaults and begin move 1."""
    await to_console(pilot)
    await pilot.press("m")
    await wait_for(pilot, lambda: state(app).current_move is not None, "move 1")


async def to_hot_wash(pilot: Pilot[Any], app: TtxApp) -> None:
    """From the set-up screen to the hot wash, through move 1 (w, then yes)."""
    await to_first_move(pilot, app)
    await pilot.press("w")
    await wait_screen(pilot, "ConfirmDialog")
    await pilot.press("y")
    await wait_screen(pilot, "HotWashScreen")


async def test_finish_from_evaluation_opened_from_hot_wash(harness: Harness) -> None:
    """Begin a move, w → y, ctrl+r, f: the report screen, not a RecursionError."""
    app = harness.app(start="run", exercise=DEMO)
    async with app.run_test(size=(120, 40)) as pilot:
        await to_hot_wash(pilot, app)
        await pilot.press("ctrl+r")
        await wait_screen(pilot, "EvaluationScreen")
        await pilot.press("f")
        await wait_screen(pilot, "ConfirmDialog")
        await pilot.press("y")
        await wait_screen(pilot, "FinishScreen")
        assert state(app).status == "ended"
        assert app.return_code in (None, 0)


def _choice_labels(app: TtxApp) -> list[str]:
    from textual.widgets import OptionList

    options = app.screen.query_one(OptionList)
    return [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]


async def test_team_numbers_are_stable_and_the_last_team_is_still_asked(harness: Harness) -> None:
    """Mexico (the demo's second team) answers first; d 1 then means the US, asked and confirmed."""
    app = harness.app(start="run", exercise=DEMO)
    async with app.run_test(size=(120, 40)) as pilot:
        await to_first_move(pilot, app)
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


FLAGSHIP = DEMO.parent / "across-the-line.yaml"
NSC_OPTION = "Covert unilateral action"
RED_CHOICE = "Hire the cyber crew"
RED_CARD = "Red cell: getting ready"
NSC_ONLY_INJECT = "Two legal paths"
PUBLIC_INJECT = "The network sends a message"


def flagship_move_2(harness: Harness) -> str:
    """The flagship at move 2: injects for all, for the NSC alone and the red cell's card out;
    the red cell has chosen."""
    from ttx.api import open_journal
    from ttx.session import actions as cmd

    with open_journal(harness.journal) as journal:
        session = journal.create_session(FLAGSHIP, clock=harness.clock)
        for step in (
            cmd.EnterMove(),
            cmd.EnterMove(move_id="m2", reason="test"),
            cmd.ReleaseInject(inject_id="m2_target_picture"),
            cmd.ReleaseInject(inject_id="m2_counsel"),
            cmd.ReleaseInject(inject_id="m2_red_preparing"),
            cmd.ReleaseInject(inject_id="m2_warning_video"),
            cmd.RecordDecision(
                decision_id="networks_respond", team_id="red_cell", option_id="cyber", rationale="x"
            ),
        ):
            session.apply(step)
        session_id = session.id
        session.close()
    return session_id


def projected(app: TtxApp) -> str:
    """The text a room screen shows: Statics and Markdown sources."""
    from textual.widgets import Markdown, Static

    parts = [str(w.render()) for w in app.screen.query(Static)]
    parts += [w.source for w in app.screen.query(Markdown)]
    return "\n".join(parts)


def assert_nothing_private(text: str) -> None:
    assert NSC_OPTION not in text  # the NSC's options, never beside anyone's prompt
    assert RED_CHOICE not in text and RED_CARD not in text
    assert NSC_ONLY_INJECT not in text
    assert "You decide without knowing" not in text  # Mexico's own prompt: not the room's


async def test_projector_at_flagship_move_2_shows_only_what_the_room_may_see(
    harness: Harness,
) -> None:
    flagship_move_2(harness)
    app = harness.app(start="resume")
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_screen(pilot, "ConsoleScreen")
        await pilot.press("p")
        await wait_screen(pilot, "ProjectorScreen")
        text = projected(app)
        assert PUBLIC_INJECT in text
        assert_nothing_private(text)
        await pilot.press("p")
        await wait_screen(pilot, "ConsoleScreen")
        from ttx.session import actions as cmd

        app.apply(cmd.EnterMove(move_id="m3a", reason="test"))
        await pilot.press("p")
        await wait_screen(pilot, "ProjectorScreen")
        text = projected(app)
        assert PUBLIC_INJECT not in text  # a new move never shows the last move's inject
        assert "The siege" not in text or "Red cell" not in text


async def test_project_team_window_shows_that_teams_decision_only(harness: Harness) -> None:
    session_id = flagship_move_2(harness)
    app = harness.app(start="project", session_id=session_id, project_team="mexico")
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: PUBLIC_INJECT in projected(app), "the projection")
        text = projected(app)
        assert "What will Mexico authorise" in text
        assert "Refuse any foreign role" in text
        assert_nothing_private(text.replace("You decide without knowing", ""))
    app = harness.app(start="project", session_id=session_id, project_team="red_cell")
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: not app.is_running, "refused")
    assert app.return_code == 2


def visible(app: TtxApp) -> str:
    """The text of the widgets shown on the current screen (hidden ones left out)."""
    from textual.widgets import Markdown, Static

    parts = [str(w.render()) for w in app.screen.query(Static) if w.region.area]
    parts += [w.source for w in app.screen.query(Markdown) if w.region.area]
    return "\n".join(parts)


async def test_presenting_shows_the_room_view_and_is_remembered(harness: Harness) -> None:
    flagship_move_2(harness)
    app = harness.app(start="resume")
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_screen(pilot, "ConsoleScreen")
        await wait_for(pilot, lambda: RED_CHOICE in visible(app), "the facilitator's console")
        await pilot.press("h")
        await wait_for(pilot, lambda: PUBLIC_INJECT in visible(app), "presenting")
        assert_nothing_private(visible(app))
        assert app.session is not None
        app.session.close()
        app.session = None
    again = harness.app(start="resume")
    async with again.run_test(size=(120, 40)) as pilot:
        await wait_screen(pilot, "ConsoleScreen")
        await wait_for(pilot, lambda: PUBLIC_INJECT in visible(again), "still presenting")
        assert_nothing_private(visible(again))
        await pilot.press("h")
        await wait_for(pilot, lambda: RED_CHOICE in visible(again), "presenting off")


FAMILY = "👨\u200d👩\u200d👧\u200d👦"


async def paste(pilot: Pilot[Any], text: str) -> None:
    """Paste `text` into the focused widget, as a terminal's bracketed paste does."""
    from textual import events

    assert pilot.app.focused is not None
    pilot.app.post_message(events.Paste(text))  # the app hands it to the focused widget
    await pilot.pause()


async def test_text_is_never_lost_or_cut(harness: Harness) -> None:
    """Long pastes kept whole (to 20,000), a longer one refused with a message, paragraphs and
    emoji joiners kept, free-form text where it was typed."""
    from ttx.session.actions import MAX_TEXT

    app = harness.app(start="run", exercise=DEMO)
    async with app.run_test(size=(120, 40)) as pilot:
        await to_first_move(pilot, app)
        await pilot.press("d", "1")
        await wait_screen(pilot, "DecisionDialog")
        dialog = app.screen
        await pilot.press("1")
        rationale = dialog.query_one("#rationale", LongField)
        assert app.focused is rationale
        await paste(pilot, "x" * 5_000)
        assert rationale.value == "x" * 5_000
        await paste(pilot, "y" * (MAX_TEXT - 5_000 + 1))  # one too many: refused whole
        assert rationale.value == "x" * 5_000
        assert "refused" in rationale.problem and "20,000" in rationale.problem
        assert "refused" in str(rationale.border_subtitle)
        await paste(pilot, "y" * (MAX_TEXT - 5_000 - 2))
        assert "19,998 / 20,000" in str(rationale.border_subtitle)  # the count, near the limit
        await pilot.press("enter")
        for key in FAMILY:  # typed: the joiners arrive as keys of their own
            await pilot.press(key)
        assert len(rationale.value) == MAX_TEXT
        await pilot.press("z")  # full: refused with the message
        assert "full" in rationale.problem and len(rationale.value) == MAX_TEXT
        await pilot.press("ctrl+s")
        await wait_screen(pilot, "ConfirmDialog")
        await pilot.press("enter")
        await wait_screen(pilot, "ConsoleScreen")
        kept = state(app).decisions["opening"].records["us"].rationale
        assert kept == "x" * 5_000 + "y" * (MAX_TEXT - 5_000 - 2) + "\n" + FAMILY[0]

        # free-form: 0, Enter, then the words land in the free-form field
        await pilot.press("d", "2")
        await wait_screen(pilot, "DecisionDialog")
        dialog = app.screen
        await pilot.press("0")
        await pilot.press("enter", *"wait ")
        for key in FAMILY:  # typed: the joiners arrive as keys of their own
            await pilot.press(key)
        assert dialog.query_one("#free-text", LongField).value == "wait " + FAMILY
        assert dialog.query_one("#rationale", LongField).value == ""
        await pilot.press("tab")
        await paste(pilot, "One.\n\nTwo [bold]x[/] إنها\n\nThree " + FAMILY + "\n\nFour.")
        await pilot.press("ctrl+s")
        await wait_screen(pilot, "ConfirmDialog")
        await pilot.press("y")
        await wait_screen(pilot, "ConsoleScreen")
        record = state(app).decisions["posture"].records["mexico"]
        assert record.free_text == "wait " + FAMILY
        assert record.rationale == "One.\n\nTwo [bold]x[/] إنها\n\nThree " + FAMILY + "\n\nFour."

        # a four-paragraph note keeps every paragraph
        note = "\n\n".join(f"Paragraph {n} " + FAMILY for n in range(1, 5))
        await pilot.press("o")
        await wait_screen(pilot, "NoteDialog")
        await paste(pilot, note)
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: len(state(app).notes) == 1, "the note")
        assert state(app).notes[0].text == note


async def test_hot_wash_general_answer_and_team_names_are_kept(harness: Harness) -> None:
    app = harness.app(start="run", exercise=DEMO)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_screen(pilot, "SetupScreen")
        name = app.screen.query_one("#name-us", Input)
        assert app.focused is name
        await pilot.press(*" Red")
        assert name.value == "US National Security Council Red"
        await pilot.press("ctrl+s")
        await wait_screen(pilot, "ConsoleScreen")
        assert state(app).team("us").name == "US National Security Council Red"
        await pilot.press("m")
        await wait_for(pilot, lambda: state(app).current_move is not None, "move 1")
        await pilot.press("w")
        await wait_screen(pilot, "ConfirmDialog")
        await pilot.press("y")
        await wait_screen(pilot, "HotWashScreen")
        general = len(state(app).exercise.hot_wash.questions) + 1
        app.screen.query_one("#hw-list").focus()
        await pilot.press(str(general), *"General point")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: len(state(app).hot_wash) == 1, "the answer")
        answer = state(app).hot_wash[0]
        assert answer.text == "General point" and answer.question_index is None


async def test_quitting_asks_to_pause_the_clock_and_pauses_by_default(harness: Harness) -> None:
    from ttx.api import open_journal

    app = harness.app(start="run", exercise=DEMO)
    async with app.run_test(size=(120, 40)) as pilot:
        await to_first_move(pilot, app)
        session_id = state(app).id
        await pilot.press("ctrl+q")
        await wait_screen(pilot, "ChoiceDialog")
        await pilot.press("escape")  # stays
        await wait_screen(pilot, "ConsoleScreen")
        assert app.is_running and state(app).clock.running
        await pilot.press("ctrl+q")
        await wait_screen(pilot, "ChoiceDialog")
        await pilot.press("enter")  # the default: pause, then quit
        await wait_for(pilot, lambda: not app.is_running, "quit")
    with open_journal(harness.journal) as journal:
        session = journal.read_session(session_id)
        assert not session.state.clock.running
        assert [e.kind for e in session.events][-1] == "clock_paused"
        session.close()


async def test_undo_and_pause_are_the_same_keys_in_the_hot_wash_and_the_evaluation(
    harness: Harness,
) -> None:
    app = harness.app(start="run", exercise=DEMO)
    async with app.run_test(size=(120, 40)) as pilot:
        await to_first_move(pilot, app)
        await pilot.press("w")
        await wait_screen(pilot, "ConfirmDialog")
        await pilot.press("y")
        await wait_screen(pilot, "HotWashScreen")
        await pilot.press(*"up to you", "ctrl+s")
        await wait_for(pilot, lambda: len(state(app).hot_wash) == 1, "the answer")
        await pilot.press("escape")  # leaves the answer field, stays in the hot wash
        await pilot.press("space", "enter")
        await wait_for(pilot, lambda: not state(app).clock.running, "paused with space")
        assert type(app.screen).__name__ == "HotWashScreen"
        await pilot.press("space")
        await wait_for(pilot, lambda: state(app).clock.running, "resumed with space")
        await pilot.press("u")
        await wait_screen(pilot, "ConfirmDialog")
        await pilot.press("y")
        await wait_screen(pilot, "HotWashScreen")
        await pilot.press("ctrl+r")
        await wait_screen(pilot, "EvaluationScreen")
        await pilot.press("u")
        await wait_screen(pilot, "ConfirmDialog")
        await pilot.press("n")
        await wait_screen(pilot, "EvaluationScreen")
        running = state(app).clock.running
        await pilot.press("space")
        if running:  # a pause asks for its reason first
            await wait_screen(pilot, "ReasonDialog")
            await pilot.press("enter")
        await wait_for(
            pilot, lambda: state(app).clock.running != running, "space in the evaluation"
        )


async def test_override_and_track_change_ask_an_optional_reason(harness: Harness) -> None:
    from ttx.api import open_journal

    app = harness.app(start="run", exercise=DEMO)
    async with app.run_test(size=(120, 40)) as pilot:
        await to_first_move(pilot, app)
        session_id = state(app).id
        await pilot.press("k")
        await wait_screen(pilot, "ChoiceDialog")
        await pilot.press("1")  # the first track
        await wait_for(pilot, lambda: "now" in str(app.screen.query_one("#choice-title").render()))
        await pilot.press("1")  # +1
        await wait_screen(pilot, "ReasonDialog")
        await pilot.press("enter")  # nothing typed: skipped, still recorded
        await wait_screen(pilot, "ConsoleScreen")
        await pilot.press("m")
        await wait_screen(pilot, "ChoiceDialog")
        await pilot.press("2")  # override: not where the rules lead
        await wait_screen(pilot, "ReasonDialog")
        await pilot.press(*"the class asked for it", "enter")
        await wait_screen(pilot, "ConsoleScreen")
        await wait_for(pilot, lambda: state(app).current_move != "offer", "overridden")
    with open_journal(harness.journal) as journal:
        session = journal.read_session(session_id)
        data = {e.kind: e for e in session.events}
        changed, overridden = data["state_track_changed"], data["branch_overridden"]
        assert isinstance(changed, StateTrackChanged)
        assert isinstance(overridden, BranchOverridden)
        assert changed.reason == ""
        assert overridden.reason == "the class asked for it"
        session.close()


async def test_projector_says_how_to_scroll_when_the_text_is_longer(harness: Harness) -> None:
    session_id = flagship_move_2(harness)
    app = harness.app(start="project", session_id=session_id, project_team="mexico")
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for(pilot, lambda: "More below" in projected(app), "the scroll hint")
        await pilot.press("end")
        await wait_for(pilot, lambda: "End of the text" in projected(app), "at the end")


async def test_answers_reach_the_room_only_once_revealed(harness: Harness) -> None:
    """The demo's last decision is put to both teams: its prompt and options show on the
    projector, the answers only after v (and the follower window sees the same)."""
    from ttx.api import open_journal
    from ttx.session import actions as cmd

    with open_journal(harness.journal) as journal:
        session = journal.create_session(DEMO, clock=harness.clock)
        for step in (
            cmd.EnterMove(),
            cmd.EnterMove(move_id="strained", reason="test"),
            cmd.RecordDecision(
                decision_id="repair", team_id="us", option_id="lift", rationale="secret why"
            ),
        ):
            session.apply(step)
        session_id = session.id
        session.close()
    app = harness.app(start="resume")
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_screen(pilot, "ConsoleScreen")
        await pilot.press("p")
        await wait_screen(pilot, "ProjectorScreen")
        await wait_for(pilot, lambda: "Hold the line" in projected(app), "the options")
        assert "Answers" not in projected(app)
        await pilot.press("p")
        await wait_screen(pilot, "ConsoleScreen")
        await pilot.press("v")
        await pilot.press("p")
        await wait_screen(pilot, "ProjectorScreen")
        await wait_for(pilot, lambda: "Answers" in projected(app), "the answers")
        text = projected(app)
        assert "US National Security Council: Lift the tariffs and start again" in text
        assert "secret why" not in text  # rationales stay with the facilitator
    follower = harness.app(start="project", session_id=session_id)
    async with follower.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: "Answers" in projected(follower), "revealed in the window")


async def test_setup_takes_the_facilitator_and_location_the_report_prints(
    harness: Harness,
) -> None:
    """The report's cover names who ran the session and where; set-up is where they are typed."""
    from ttx.report.aar import report_html

    app = harness.app(start="run", exercise=DEMO)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_screen(pilot, "SetupScreen")
        assert app.focused is app.screen.query_one("#name-us")  # the teams come first
        app.screen.query_one("#setup-facilitator").focus()
        await pilot.press(*"Dr. Ana Ruiz")
        app.screen.query_one("#setup-location").focus()
        await pilot.press(*"Room 204")
        await pilot.press("ctrl+s")
        await wait_screen(pilot, "ConsoleScreen")
        started = state(app)
        assert (started.facilitator, started.location) == ("Dr. Ana Ruiz", "Room 204")
        html = report_html(started)
    assert "Dr. Ana Ruiz" in html and "Room 204" in html


async def test_setup_fields_left_empty_record_nothing(harness: Harness) -> None:
    app = harness.app(start="run", exercise=DEMO)
    async with app.run_test(size=(120, 40)) as pilot:
        await to_console(pilot)
        assert (state(app).facilitator, state(app).location) == (None, None)


async def test_plan_item_takes_objective_capability_contact_and_dates(harness: Harness) -> None:
    """HSEEP's improvement-plan columns; a due date that is not a date keeps the form open."""
    from ttx.report.aar import report_html

    app = harness.app(start="run", exercise=DEMO)
    async with app.run_test(size=(120, 40)) as pilot:
        await to_hot_wash(pilot, app)
        await pilot.press("ctrl+r")
        await wait_screen(pilot, "EvaluationScreen")
        await pilot.press("i")
        await wait_screen(pilot, "FormDialog")
        form = app.screen
        typed = {
            "issue": "Roles were unclear",
            "action": "Write a role card per seat",
            "objective": "1",
            "capability": "Operational coordination",
            "responsible": "Course team",
            "contact": "Teaching assistant",
            "start": "2027-01-10",
            "due": "next term",
        }
        for key, text in typed.items():
            form.query_one(f"#form-{key}").focus()
            await pilot.press(*text)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is form  # refused: the form stays, with what was typed
        assert "YYYY-MM-DD" in str(form.query_one("#form-error").render())
        assert state(app).improvements == ()
        due = form.query_one("#form-due", Input)
        due.value = ""
        due.focus()
        await pilot.press(*"2027-02-28")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: len(state(app).improvements) == 1, "the plan item")
        item = state(app).improvements[0]
        objective = state(app).exercise.objectives[0].id
        assert (item.objective_id, item.capability, item.point_of_contact) == (
            objective,
            "Operational coordination",
            "Teaching assistant",
        )
        assert (item.start, item.due) == ("2027-01-10", "2027-02-28")
        html = report_html(state(app))
    assert "Operational coordination" in html and "Teaching assistant" in html
    assert "2027-01-10" in html and "Objective 1" in html


async def test_no_stale_hint_once_the_moves_are_over(harness: Harness) -> None:
    """During the hot wash the facilitator panel no longer says to begin the first move."""
    from ttx.tui.widgets.panels import facilitator_markdown

    app = harness.app(start="run", exercise=DEMO)
    async with app.run_test(size=(120, 40)) as pilot:
        await to_console(pilot)
        assert "begin the first move" in facilitator_markdown(state(app), None)
        await pilot.press("m")
        await wait_for(pilot, lambda: state(app).current_move is not None, "move 1")
        await pilot.press("w")
        await wait_screen(pilot, "ConfirmDialog")
        await pilot.press("y")
        await wait_screen(pilot, "HotWashScreen")
        text = facilitator_markdown(state(app), None)
    assert "begin the first move" not in text and "hot wash" in text


async def test_a_key_with_nothing_to_do_does_not_stack_toasts(harness: Harness) -> None:
    """`n` pressed again and again after the last inject: one hint on screen, not a pile."""
    app = harness.app(start="run", exercise=DEMO)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await to_first_move(pilot, app)
        await pilot.press(*["n"] * 8)  # releases what is due, then has nothing more to do

        def hints() -> list[object]:
            return [t for t in app.screen.query("Toast") if "is out" in str(t.render())]

        await wait_for(pilot, lambda: bool(hints()), "the hint on screen")
        await pilot.pause()
        assert len(hints()) == 1
