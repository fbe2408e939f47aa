"""The console's cheap redraws still show the truth: hiding notes, pausing, panels that grow.

The console avoids re-laying out the screen when a key changes nothing's size (see
`ttx.tui.widgets.panel`, `notes`, `clock`); these tests check what the facilitator sees
stays right: nothing hidden leaks, nothing stale stays, nothing is cut.
"""

from __future__ import annotations

import asyncio
from typing import Any

from textual import events
from textual.content import Content
from textual.pilot import Pilot

from tests.tui.conftest import DEMO, Harness, screen_text, wait_for, wait_screen
from ttx.api import open_journal
from ttx.session import actions as cmd
from ttx.tui.widgets.clock import HeadLine
from ttx.tui.widgets.facilitator import TITLE
from ttx.tui.widgets.notes import MarkdownText, blocks, layout_lines
from ttx.tui.widgets.panel import Panel
from ttx.tui.widgets.saved import SavedIndicator

NOTES = "Push the US team to say what"  # demo.yaml, move 1
EXPECTED = "Partnership first reduces the"
MOVE_2_NOTES = "Ask what each side owes"


def in_move(harness: Harness) -> str:
    """A demo session in its first move with the first inject out; returns its id."""
    with open_journal(harness.journal) as journal:
        session = journal.create_session(DEMO, clock=harness.clock)
        session.apply(cmd.EnterMove())
        session.apply(cmd.ReleaseInject(inject_id="offer_cable"))
        session_id = session.id
        session.close()
    return session_id


async def settle(pilot: Pilot[Any]) -> None:
    for _ in range(3):
        await pilot.pause()


async def test_h_presents_the_room_view_and_returns(harness: Harness) -> None:
    in_move(harness)
    app = harness.app(start="resume")
    async with app.run_test(size=(120, 60)) as pilot:
        await wait_screen(pilot, "ConsoleScreen")
        await settle(pilot)
        text = screen_text(app)
        assert TITLE in text and NOTES in text and EXPECTED in text
        panel = app.screen.query_one("#facilitator")
        regions = {w.id: w.region for w in app.screen.query(Panel) if w.id}
        panel_region = panel.region

        await pilot.press("h")
        await settle(pilot)
        text = screen_text(app)
        assert NOTES not in text and EXPECTED not in text and TITLE not in text
        assert "Consequences" not in text  # the options' consequences are facilitator-only too
        assert "h Present" in text  # the key that comes back is on screen

        await pilot.press("h")
        await settle(pilot)
        text = screen_text(app)
        assert TITLE in text and NOTES in text and EXPECTED in text
        # back as it was: nothing moved
        assert panel.region == panel_region
        assert {w.id: w.region for w in app.screen.query(Panel) if w.id} == regions


async def test_hidden_notes_stay_hidden_when_the_move_changes(harness: Harness) -> None:
    in_move(harness)
    app = harness.app(start="resume")
    async with app.run_test(size=(120, 60)) as pilot:
        await wait_screen(pilot, "ConsoleScreen")
        await pilot.press("h")
        await settle(pilot)
        assert app.session is not None
        app.apply(cmd.EnterMove(move_id="working", reason="test"))
        await wait_for(
            pilot, lambda: app.session is not None and app.session.state.current_move == "working"
        )
        await settle(pilot)
        text = screen_text(app)
        assert MOVE_2_NOTES not in text and NOTES not in text and TITLE not in text

        await pilot.press("h")
        await settle(pilot)
        text = screen_text(app)
        assert MOVE_2_NOTES in text and NOTES not in text  # the new move's notes, not stale ones
        notes = app.screen.query_one(MarkdownText)
        assert notes.region.height == len(notes.lines(notes.content_size.width))


async def test_a_panel_that_grows_pushes_the_panels_below_it(harness: Harness) -> None:
    """A panel redrawn without a re-layout must still get a re-layout when its height changes."""
    in_move(harness)
    app = harness.app(start="resume")
    async with app.run_test(size=(120, 60)) as pilot:
        await wait_screen(pilot, "ConsoleScreen")
        await settle(pilot)
        notes = app.screen.query_one("#recent-notes", Panel)
        tracks = app.screen.query_one("#tracks", Panel)
        height, tracks_y = notes.region.height, tracks.region.y
        for text in ("one", "two", "three"):
            app.apply(cmd.AddNote(text=text, category="note"))
        await wait_for(pilot, lambda: notes.region.height > height, "the notes panel to grow")
        assert tracks.region.y == tracks_y + (notes.region.height - height)
        assert "three" in screen_text(app)


async def test_pause_shows_paused_and_a_long_title_never_hides_the_clock(harness: Harness) -> None:
    in_move(harness)
    app = harness.app(start="resume")
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_screen(pilot, "ConsoleScreen")
        head = app.screen.query_one(HeadLine)
        head.set_title(Content("move 1: The offer · " + " and a very long exercise title" * 4))
        await pilot.press("space", "enter")  # pause; Enter skips the reason
        await wait_for(pilot, lambda: "PAUSED" in screen_text(app).splitlines()[0], "PAUSED")
        first = screen_text(app).splitlines()[0]
        assert head.clock.plain.strip() in first  # the whole clock, the title cut before it
        assert "move 1: The offer" in first
        await pilot.press("space")
        await wait_for(pilot, lambda: "PAUSED" not in screen_text(app).splitlines()[0], "resumed")
        assert "⏱ move" in screen_text(app).splitlines()[0]


async def test_every_saved_indicator_follows_the_journal(harness: Harness) -> None:
    in_move(harness)
    app = harness.app(start="resume")
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_screen(pilot, "ConsoleScreen")
        harness.clock.advance(61)
        app.apply(cmd.AddNote(text="later", category="note"))
        await settle(pilot)
        indicator = app.screen.query_one(SavedIndicator)
        assert "09:01:01" in str(indicator.render())
        assert set(app.saved_indicators) == {indicator}


def test_markdown_notes_lines() -> None:
    lines = [
        line.plain
        for line in layout_lines(
            blocks(
                "Say **what** [b]x[/b] looks like.\n\n- first point that wraps here\n- second\n\n1. one"
            ),
            20,
        )
    ]
    assert lines == [
        "Say what [b]x[/b]",
        "looks like.",
        "",
        "• first point that",
        "  wraps here",
        "",
        "• second",
        "",
        "",
        "1. one",
        "",
        "",
    ]
    bold = blocks("Say **what**")[0].text
    assert [(s.start, s.end, s.style) for s in bold.spans] == [(4, 8, "bold")]


async def test_a_dialog_closed_before_it_is_ready_does_not_stop_the_console(
    harness: Harness,
) -> None:
    """d then Escape typed faster than the dialog mounts (a quick facilitator, or a paste)."""
    in_move(harness)
    app = harness.app(start="resume")
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_screen(pilot, "ConsoleScreen")
        for key, char in (("d", "d"), ("escape", None)) * 5:
            app.post_message(events.Key(key, char))
            await asyncio.sleep(0)
        await settle(pilot)
        await wait_screen(pilot, "ConsoleScreen")
        assert app.is_running and app.return_code is None
        await pilot.press("space", "enter")
        await wait_for(pilot, lambda: "PAUSED" in screen_text(app).splitlines()[0], "still live")


def test_markdown_blocks_are_kept_by_text_and_follow_a_changed_text() -> None:
    first = blocks("An **inject** text")
    assert blocks("An **inject** text") is first  # parsed once, shown again as it was
    changed = blocks("An **inject** text, edited")
    assert changed is not first
    assert [b.text.plain for b in changed] == ["An inject text, edited"]
    widget = MarkdownText()
    widget.update("one")
    widget.update("two *2*")
    assert [line.plain for line in widget.lines(30)] == ["two 2", ""]


async def test_console_starts_with_its_width_class_and_follows_a_resize(harness: Harness) -> None:
    """Narrow terminals hide the timeline from the first paint; a resize still switches it."""
    in_move(harness)
    app = harness.app(start="resume")
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_screen(pilot, "ConsoleScreen")
        screen = app.screen
        assert screen.has_class("-narrow") and not screen.has_class("-wide")
        assert not screen.query_one("#timeline").display
        await pilot.resize_terminal(120, 40)
        await wait_for(pilot, lambda: screen.has_class("-wide"), "wide after resize")
        await pilot.pause()
        assert screen.query_one("#timeline").display
        assert not screen.has_class("-narrow")


async def test_a_resume_redraws_only_the_rows_it_changed(
    harness: Harness, monkeypatch: Any
) -> None:
    """Resuming the clock changes the head line: the screen updates send that row, never the
    whole console (a change posted to a screen that does not show the session woke Textual's
    base screen, which repainted every cell of the console on top of it)."""
    from textual._compositor import ChopsUpdate
    from textual.app import App

    rows: list[set[int]] = []
    display = App._display

    def spy(app: App[Any], screen: Any, renderable: Any) -> None:
        rows.append(
            {y for y, _, _ in renderable.spans} if isinstance(renderable, ChopsUpdate) else {-1}
        )
        display(app, screen, renderable)

    monkeypatch.setattr(App, "_display", spy)
    in_move(harness)
    app = harness.app(start="resume")
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_screen(pilot, "ConsoleScreen")
        await pilot.press("space")  # pause, then Escape skips the reason
        await wait_screen(pilot, "ReasonDialog")
        await pilot.press("escape")
        await wait_screen(pilot, "ConsoleScreen")
        await settle(pilot)
        rows.clear()
        await pilot.press("space")
        await wait_for(pilot, lambda: "PAUSED" not in screen_text(app).splitlines()[0], "resumed")
        await settle(pilot)
        assert rows, "no screen update"
        assert set().union(*rows) <= {0, 1}, sorted(set().union(*rows))
