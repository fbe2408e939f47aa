"""The room in a real browser: a team joins from a phone-sized Chromium and answers a decision.

Headless `tabletop room` holds a fresh demo session on 127.0.0.1; Chromium (Debian's, driven
by Selenium through chromium-driver) opens the US team's join address at 390x844, picks an
option, writes a rationale and sends it. The journal holds the answer, the page says so,
nothing overflows sideways, and a screenshot is left in the test artifacts folder.
Run alone with `pytest -m browser`.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.browser import PHONE, artifacts, missing, overflow
from tests.e2e.headless_room import HeadlessRoom
from ttx.api import open_journal
from ttx.session.actions import EnterMove

WHY_NOT = missing()
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(WHY_NOT is not None, reason=WHY_NOT or ""),
]
RATIONALE = "Mexico's vetting is slow, but a cell we built together outlasts one we imposed."


def _wait(condition: Any, what: str, timeout: float = 20.0) -> Any:
    """Poll `condition()` until it is truthy; fail naming `what` after `timeout` seconds."""
    from selenium.common.exceptions import StaleElementReferenceException

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            value = condition()
        except StaleElementReferenceException:  # the page redrew while it was read: again
            value = None
        if value:
            return value
        time.sleep(0.1)
    pytest.fail(f"timed out waiting for {what}")


@pytest.fixture
def demo_room(demo_path: Path) -> Iterator[tuple[str, HeadlessRoom]]:
    """A fresh demo session in its first move, served by headless `tabletop room`."""
    with open_journal() as journal, journal.create_session(demo_path) as session:
        session.apply(EnterMove())
        session_id = session.id
    room = HeadlessRoom(session_id, teams=2)
    try:
        yield session_id, room
    finally:
        room.stop()


def _room_answer(session_id: str) -> Any:
    with open_journal(read_only=True) as journal:
        session = journal.read_session(session_id)
        try:
            return session.state.room_answer("opening", "us")
        finally:
            session.close()


def test_a_team_answers_from_a_phone_and_the_journal_and_page_show_it(
    demo_room: tuple[str, HeadlessRoom], phone: Any
) -> None:
    from selenium.webdriver.common.by import By

    session_id, room = demo_room
    assert room.urls["us"].startswith("http://127.0.0.1:")
    phone.get(room.urls["us"])
    phone.get(room.urls["us"].split("/j/")[0] + "/team")
    form = _wait(
        lambda: phone.find_elements(By.CSS_SELECTOR, 'form.answer[data-decision="opening"]'),
        "the decision form on the team page",
    )[0]
    body = phone.find_element(By.TAG_NAME, "body").text
    assert "How does the United States answer the offer?" in body
    assert "Accept and build the joint cell" in body
    # What only Mexico, or only the facilitator, may read is not on the US team's page.
    assert "How far does Mexico go?" not in body
    assert "Trust grows; results come slowly." not in body

    phone.save_screenshot(str(artifacts() / "room-team-page-joined-390x844.png"))
    form.find_element(By.CSS_SELECTOR, 'input[name="option"][value="partner"]').click()
    form.find_element(By.CSS_SELECTOR, 'textarea[name="rationale"]').send_keys(RATIONALE)
    form.find_element(By.CSS_SELECTOR, 'button[type="submit"]').click()

    answer = _wait(lambda: _room_answer(session_id), "the answer in the journal")
    assert answer.option_id == "partner"
    assert answer.rationale == RATIONALE
    # The page heard back only once the answer was committed, then redrew the decision.
    _wait(
        lambda: (
            "Sent"
            in phone.find_element(
                By.CSS_SELECTOR, 'form.answer[data-decision="opening"] .status'
            ).text
        ),
        "the page to show the answer as sent",
    )
    button = phone.find_element(By.CSS_SELECTOR, 'form.answer[data-decision="opening"] button')
    assert button.text == "Send the change"

    width, inner = overflow(phone)
    assert (inner, phone.execute_script("return window.innerHeight")) == PHONE
    assert width <= inner, f"the page is {width}px wide in a {inner}px viewport"
    shot = artifacts() / "room-team-page-390x844.png"
    phone.save_screenshot(str(shot))
    assert shot.stat().st_size > 10_000
    assert room.stop() == 0
