"""Issue 13, what was left: pause reasons, honest time, notes, the analysis, names not ids, the
same keys on every screen. Driven with Pilot as a facilitator would."""

from __future__ import annotations

from typing import Any

from textual.widgets import Static

from tests.tui.conftest import DEMO, Harness, screen_text, top_screen, wait_for, wait_screen
from ttx.api import open_journal
from ttx.session import actions as cmd
from ttx.tui.app import TtxApp
from ttx.tui.dialogs.help import HelpDialog
from ttx.tui.keys import PAUSE, UNDO

FLAGSHIP = DEMO.parent / "across-the-line.yaml"


def state(app: TtxApp) -> Any:
    assert app.session is not None
    return app.session.state


def session_with(harness: Harness, *steps: Any, exercise: Any = DEMO, close: bool = True) -> str:
    """A session of `exercise` after `steps`; returns its id."""
    with open_journal(harness.journal) as journal:
        session = journal.create_session(exercise, clock=harness.clock)
        for step in steps:
            session.apply(step)
        session_id: str = session.id
        session.close()
    return session_id


def events(harness: Harness, session_id: str) -> list[Any]:
    with open_journal(harness.journal) as journal:
        read = journal.read_session(session_id)
        found = list(read.events)
        read.close()
    return found


def panel(app: TtxApp, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


async def test_pause_stops_the_clock_at_the_key_then_asks_for_a_reason(harness: Harness) -> None:
    """`space` pauses at once (the clock never runs while the reason is typed); the reason
    that follows is its own event, which the report's synopsis joins to the pause."""
    from ttx.report.aar_synopsis import synopsis

    sid = session_with(harness, cmd.EnterMove())
    app = harness.app(start="resume")
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_screen(pilot, "ConsoleScreen")
        await pilot.press("space")
        await wait_screen(pilot, "ReasonDialog")
        assert not state(app).clock.running  # paused with the key, before any reason
        await pilot.press(*"fire drill", "enter")
        await wait_for(
            pilot,
            lambda: any(e.kind == "pause_explained" for e in events(harness, sid)),
            "the reason recorded",
        )
        await wait_screen(pilot, "ConsoleScreen")
        await pilot.press("space")
        await wait_for(pilot, lambda: state(app).clock.running, "resumed, no question asked")
        await pilot.press("space")
        await wait_screen(pilot, "ReasonDialog")
        await pilot.press("escape")  # Esc: no reason; the clock stays paused
        await wait_screen(pilot, "ConsoleScreen")
        assert not state(app).clock.running
        final = state(app)
    recorded = [(e.kind, getattr(e, "reason", None)) for e in events(harness, sid)]
    assert [r for r in recorded if r[0] in ("clock_paused", "pause_explained")] == [
        ("clock_paused", ""),
        ("pause_explained", "fire drill"),
        ("clock_paused", ""),
    ]
    lines = [line for part in synopsis(final) for line in part["lines"]]
    assert [line["reason"] for line in lines if "paused" in line["text"]] == ["fire drill", ""]


async def test_time_while_closed_shows_on_resume_and_in_the_timeline(harness: Harness) -> None:
    session_with(harness, cmd.EnterMove(), cmd.PauseClock(reason="lunch"))
    harness.clock.advance(2 * 86_400 + 3 * 3600 + 120)
    app = harness.app(start="resume")
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await wait_screen(pilot, "ConsoleScreen")
        await wait_for(pilot, lambda: "Welcome back" in screen_text(app), "the notice")
        assert "2 d 3 h closed; the clock was paused" in " ".join(screen_text(app).split())
        timeline = " ".join(panel(app, "#timeline-text").split())
        assert "⏸ 2 d 3 h closed; the clock was paused" in timeline


async def test_a_note_is_tagged_to_a_facilitator_card_never_and_corrected_by_an_event(
    harness: Harness,
) -> None:
    sid = session_with(
        harness,
        cmd.EnterMove(),
        cmd.ReleaseInject(inject_id="offer_cable"),
        cmd.ReleaseInject(inject_id="leak_warning", to=[]),  # the facilitator's card, last
    )
    app = harness.app(start="resume")
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_screen(pilot, "ConsoleScreen")
        await pilot.press("o")
        await wait_screen(pilot, "NoteDialog")
        await pilot.press(*"US team hesitatd", "ctrl+s")
        await wait_for(pilot, lambda: len(state(app).notes) == 1, "the note")
        assert state(app).notes[0].inject_id is None  # not the facilitator's card
        await pilot.press("O")
        await wait_screen(pilot, "ChoiceDialog")
        await pilot.press("1")  # the newest note
        await wait_screen(pilot, "FormDialog")
        await pilot.press("end", "backspace", *"ed on the red line", "ctrl+s")
        await wait_for(pilot, lambda: "(corrected)" in panel(app, "#recent-notes"), "corrected")
        note = state(app).notes[0]
        assert note.text == "US team hesitated on the red line"
        assert note.earlier == ("US team hesitatd",)
    kinds = [e.kind for e in events(harness, sid)]
    assert kinds.count("note_added") == 1 and "note_corrected" in kinds


async def test_a_note_after_an_inject_to_teams_is_tagged_to_it(harness: Harness) -> None:
    session_with(harness, cmd.EnterMove(), cmd.ReleaseInject(inject_id="offer_cable"))
    app = harness.app(start="resume")
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_screen(pilot, "ConsoleScreen")
        await pilot.press("o")
        await wait_screen(pilot, "NoteDialog")
        await pilot.press(*"asked about the cable", "ctrl+s")
        await wait_for(pilot, lambda: len(state(app).notes) == 1, "the note")
        assert state(app).notes[0].inject_id == "offer_cable"


async def test_the_notes_panel_lists_every_note_of_the_move_whole(harness: Harness) -> None:
    texts = [f"Observation {n}: " + "the team weighed the cost of waiting " * 6 for n in range(6)]
    session_with(
        harness,
        cmd.EnterMove(),
        *[cmd.AddNote(text=t) for t in texts],
    )
    app = harness.app(start="resume")
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_screen(pilot, "ConsoleScreen")
        shown = " ".join(panel(app, "#recent-notes").split())
        for text in texts:
            assert " ".join(text.split()) in shown  # every note, none cut
        side = app.screen.query_one("#side")
        assert side.max_scroll_y > 0  # longer than the column: it scrolls


async def test_the_evaluation_screen_records_an_analysis_of_a_strength(harness: Harness) -> None:
    sid = session_with(
        harness,
        cmd.EnterMove(),
        cmd.AddNote(text="Named an end state first", category="strength"),
        cmd.AddNote(text="a plain remark"),
    )
    app = harness.app(start="resume")
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_screen(pilot, "ConsoleScreen")
        await pilot.press("e")
        await wait_screen(pilot, "EvaluationScreen")
        await pilot.press("a")
        await wait_screen(pilot, "ChoiceDialog")
        assert "a plain remark" not in screen_text(app)  # only strengths and areas
        await pilot.press("1")
        await wait_screen(pilot, "FormDialog")
        await pilot.press(*"Roles agreed beforehand", "ctrl+s")
        await wait_screen(pilot, "EvaluationScreen")
        await wait_for(
            pilot,
            lambda: "Roles agreed beforehand" in panel(app, "#eval-observations"),
            "the analysis on screen",
        )
        assert state(app).notes[0].analysis == "Roles agreed beforehand"
    analysed = [e for e in events(harness, sid) if e.kind == "note_analysed"]
    assert [e.analysis for e in analysed] == ["Roles agreed beforehand"]


async def test_past_moves_collapse_and_no_internal_id_is_on_screen(harness: Harness) -> None:
    from ttx.model import load_exercise

    exercise = load_exercise(FLAGSHIP)
    ids = {t.id for t in exercise.teams} | {o.id for o in exercise.objectives}
    for move in exercise.moves:
        ids |= {i.id for i in move.injects} | {d.id for d in move.decisions}
    ids = {i for i in ids if "_" in i}  # ids that cannot be ordinary words
    session_with(
        harness,
        cmd.EnterMove(),
        cmd.ReleaseInject(inject_id=exercise.moves[0].injects[0].id),
        cmd.EnterMove(move_id="m2", reason="test"),
        exercise=FLAGSHIP,
    )
    app = harness.app(start="resume")
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_screen(pilot, "ConsoleScreen")
        timeline = panel(app, "#timeline-text")
        first = exercise.moves[0].injects[0].title[:15]
        assert first not in timeline  # move 1 is behind us: one line, no inject list
        assert "1 of" in timeline and "injects released" in timeline
        seen = [panel(app, sel) for sel in ("#timeline-text", "#team-status", "#questions")]
        seen.append(screen_text(app))
        await pilot.press("e")
        await wait_screen(pilot, "EvaluationScreen")
        seen.append(screen_text(app))
    text = "\n".join(seen)
    assert not [i for i in ids if i in text], sorted(i for i in ids if i in text)


async def test_setup_names_teams_not_ids(harness: Harness) -> None:
    app = harness.app(start="run", exercise=FLAGSHIP)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_screen(pilot, "SetupScreen")
        labels = " ".join(str(w.render()) for w in app.screen.query(".team-label"))
        assert "red_cell" not in labels and "Team 1:" in labels


async def help_rows(pilot: Any, app: TtxApp) -> dict[str, str]:
    await pilot.press("f1")
    await wait_screen(pilot, "HelpDialog")
    rows = dict(top_screen(app, HelpDialog).rows)
    await pilot.press("escape")
    return rows


async def test_f1_lists_undo_pause_and_help_alike_on_every_session_screen(
    harness: Harness,
) -> None:
    session_with(harness, cmd.EnterMove(), cmd.EnterMove(move_id="end", reason="hot wash"))
    app = harness.app(start="resume")
    screens = []
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_screen(pilot, "ConsoleScreen")
        for key, name in (
            (None, "ConsoleScreen"),
            ("p", "ProjectorScreen"),
            ("w", "HotWashScreen"),
            ("e", "EvaluationScreen"),
        ):
            if key is not None:
                await pilot.press(key)
                await wait_screen(pilot, name)
            if name == "HotWashScreen":
                await pilot.press("escape")  # out of the answer field: keys are keys again
            screens.append((name, await help_rows(pilot, app)))
            if name == "ProjectorScreen":
                await pilot.press("escape")
                await wait_screen(pilot, "ConsoleScreen")
            if name == "HotWashScreen":
                await pilot.press("escape")
                await wait_screen(pilot, "ConsoleScreen")
    for name, rows in screens:
        assert rows.get("u") == UNDO, name
        assert rows.get("space") == PAUSE, name
        assert any(keys.startswith("f1") for keys in rows), name


async def test_a_hot_wash_answer_is_attributed_to_the_team_that_said_it(harness: Harness) -> None:
    """ctrl+t cycles who said it (a team in the exercise's order, then the room again)."""
    sid = session_with(harness, cmd.EnterMove())
    app = harness.app(start="resume")
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_screen(pilot, "ConsoleScreen")
        await pilot.press("w")
        await wait_screen(pilot, "ConfirmDialog")
        await pilot.press("y")
        await wait_screen(pilot, "HotWashScreen")
        await pilot.press("ctrl+t", "ctrl+t", *"We waited too long", "ctrl+s")
        await wait_for(pilot, lambda: len(state(app).hot_wash) == 1, "the team's answer")
        await pilot.press("ctrl+t", *"The room agreed", "ctrl+s")
        await wait_for(pilot, lambda: len(state(app).hot_wash) == 2, "the room's answer")
        assert "Said by: the room" in screen_text(app)
    answers = [(e.text, e.team_id) for e in events(harness, sid) if e.kind == "hot_wash_answered"]
    second_team = state(app).teams[1].id
    assert answers == [("We waited too long", second_team), ("The room agreed", None)]
