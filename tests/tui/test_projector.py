"""The projector: only what participants may see, in the console and in `tabletop project`'s follower."""

from __future__ import annotations

from typing import Any

from textual.widgets import Markdown, Static

from tests.tui.conftest import DEMO, Harness, wait_for, wait_screen
from ttx.api import open_journal
from ttx.session import actions as cmd
from ttx.tui.app import TtxApp
from ttx.tui.widgets.notes import MarkdownText

SECRET_NOTES = "Push the US team to say what success looks like"
SECRET_CONSEQUENCE = "Trust grows; results come slowly."
TEAM_ONLY = "A warning about one unit"


def projected(app: TtxApp) -> str:
    """The text on the projector screen: Statics and the Markdown sources (either kind)."""
    parts = [str(w.render()) for w in app.screen.query(Static)]
    parts += [w.source for w in app.screen.query(Markdown)]
    parts += [w.source or "" for w in app.screen.query(MarkdownText)]
    return "\n".join(parts)


def start(harness: Harness) -> Any:
    journal = open_journal(harness.journal)
    session = journal.create_session(DEMO, clock=harness.clock)
    for step in (cmd.EnterMove(), cmd.ReleaseInject(inject_id="offer_cable")):
        session.apply(step)
    return journal, session


async def test_projector_mode_shows_no_facilitator_text(harness: Harness) -> None:
    journal, session = start(harness)
    session.apply(cmd.ReleaseInject(inject_id="leak_warning"))  # to the US team only
    session.close()
    journal.close()
    app = harness.app(start="resume")
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_screen(pilot, "ConsoleScreen")
        assert SECRET_NOTES in projected(app)  # the console has them; the projector must not
        await pilot.press("p")
        await wait_screen(pilot, "ProjectorScreen")
        text = projected(app)
        assert "An offer, with a red line" in text  # the last inject for everyone
        assert TEAM_ONLY not in text
        assert SECRET_NOTES not in text and SECRET_CONSEQUENCE not in text
        assert "What would success look like" in text
        await pilot.press("space", "enter")  # pause from the projector
        await wait_for(pilot, lambda: "PAUSED" in projected(app), "paused on the projector")
        await pilot.press("p")
        await wait_screen(pilot, "ConsoleScreen")


async def test_project_window_follows_the_live_session(harness: Harness) -> None:
    journal, session = start(harness)
    app = harness.app(start="project", session_id=session.id)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_screen(pilot, "FollowScreen")
        await wait_for(pilot, lambda: "An offer, with a red line" in projected(app), "first inject")
        # the facilitator's ttx records more; the follower picks it up from the journal
        session.apply(
            cmd.RecordDecision(
                decision_id="opening", team_id="us", option_id="pressure", rationale="x"
            )
        )
        session.apply(cmd.EnterMove())
        session.apply(cmd.ReleaseInject(inject_id="public_rebuke"))
        await wait_for(
            pilot, lambda: "A public rebuke" in projected(app), "the new inject", timeout=10
        )
        assert "strained partnership" in projected(app).lower()
        assert "Ask whether pressure bought anything" not in projected(app)
        assert app.session is None  # the follower never holds the session for recording
    session.close()
    journal.close()
