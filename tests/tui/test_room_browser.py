"""The room with the console holding the session: a phone answers, the console shows it, the
facilitator accepts it with `y`, and the phone's page changes by itself.

The console runs under Pilot with the room on 127.0.0.1; the phone is a real headless
Chromium at 390x844 (Debian's chromium and chromium-driver, through Selenium), driven
from a thread so the console keeps running. Run alone with `pytest -m browser`.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

import pytest

from tests.e2e.browser import PHONE, artifacts, missing, overflow
from tests.tui.conftest import DEMO, Harness, wait_for, wait_screen
from tests.tui.test_room_console import _rows
from ttx.api import open_journal
from ttx.session import actions as cmd

WHY_NOT = missing()
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(WHY_NOT is not None, reason=WHY_NOT or ""),
]
FORM = 'form.answer[data-decision="opening"]'
RATIONALE = "Build it together: a cell Mexico owns is one that lasts."


def _status(driver: Any) -> str:
    from selenium.webdriver.common.by import By

    found = driver.find_elements(By.CSS_SELECTOR, f"{FORM} .status")
    return str(found[0].text) if found else ""


def _until(condition: Any, what: str, timeout: float = 20.0) -> None:
    from selenium.common.exceptions import StaleElementReferenceException

    deadline = time.monotonic() + timeout
    while True:
        try:
            if condition():
                return
        except StaleElementReferenceException:  # the page redrew while it was read: again
            pass
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.1)


def _answer_on_the_phone(driver: Any, url: str) -> None:
    """What a student does: scan the card, pick an option, say why, send."""
    from selenium.webdriver.common.by import By

    driver.get(url)
    _until(lambda: driver.find_elements(By.CSS_SELECTOR, FORM), "the decision on the team page")
    form = driver.find_element(By.CSS_SELECTOR, FORM)
    form.find_element(By.CSS_SELECTOR, 'input[name="option"][value="partner"]').click()
    form.find_element(By.CSS_SELECTOR, 'textarea[name="rationale"]').send_keys(RATIONALE)
    form.find_element(By.CSS_SELECTOR, 'button[type="submit"]').click()
    _until(lambda: _status(driver).startswith("Sent."), "the page to say the answer was sent")


async def test_a_phone_answers_the_console_shows_it_and_the_page_follows_the_facilitator(
    harness: Harness, phone: Any
) -> None:
    with (
        open_journal(harness.journal) as journal,
        journal.create_session(DEMO, clock=harness.clock) as session,
    ):
        session.apply(cmd.EnterMove())
    # As `tabletop run --room` does: the room opens with the console.
    app = harness.app(start="resume", room=True, room_host="127.0.0.1", room_port=0)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: app.room is not None and app.room.open, "the room to open")
        assert app.room is not None
        url = app.room.server.join_url("us")
        assert url is not None and url.startswith("http://127.0.0.1:")

        await asyncio.to_thread(_answer_on_the_phone, phone, url)
        await pilot.press("r")
        await wait_screen(pilot, "RoomScreen")
        await wait_for(
            pilot,
            lambda: "Accept and build the joint cell" in _rows(app),
            "the console to show the team's answer",
            timeout=20,
        )
        assert app.session is not None
        assert "opening" not in app.session.state.decisions  # a proposal, so far: nothing recorded

        await pilot.press("y")  # the facilitator accepts it: now it is the team's decision
        await wait_for(
            pilot,
            lambda: "us" in app.session.state.decisions["opening"].records,  # type: ignore[union-attr]
            "the accepted answer",
        )
        record = app.session.state.decisions["opening"].records["us"]
        assert (record.option_id, record.rationale) == ("partner", RATIONALE)
        # The phone's page follows by itself (no reload): the answer is recorded now.
        await asyncio.to_thread(
            _until,
            lambda: _status(phone) == "Recorded by the facilitator; it can no longer be changed.",
            "the page to show it recorded",
        )
        width, inner = await asyncio.to_thread(overflow, phone)
        assert inner == PHONE[0]
        assert width <= inner, f"the page is {width}px wide in a {inner}px viewport"
        shot = artifacts() / "room-team-page-recorded-390x844.png"
        await asyncio.to_thread(phone.save_screenshot, str(shot))
        assert shot.stat().st_size > 10_000
        await pilot.press("o")  # close the room
        await wait_for(pilot, lambda: not app.room.open, "the room to close")  # type: ignore[union-attr]
