"""The console keeps its long-lived objects out of later garbage collections, and gives them back."""

from __future__ import annotations

import gc

from tests.tui.conftest import DEMO, Harness, wait_for, wait_screen
from ttx.api import open_journal
from ttx.session import actions as cmd


async def test_the_console_freezes_its_heap_while_up_and_unfreezes_it_when_it_goes(
    harness: Harness,
) -> None:
    with open_journal(harness.journal) as journal:
        session = journal.create_session(DEMO, clock=harness.clock)
        session.apply(cmd.EnterMove())
        session.close()
    gc.unfreeze()
    app = harness.app(start="resume")
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_screen(pilot, "ConsoleScreen")
        await wait_for(pilot, lambda: gc.get_freeze_count() > 0, "the heap frozen")
        await pilot.press("n")  # keys work as before
        await wait_for(
            pilot,
            lambda: app.session is not None and bool(app.session.state.injects),
            "an inject released",
        )
    assert gc.get_freeze_count() == 0  # collectable again once the console is gone
