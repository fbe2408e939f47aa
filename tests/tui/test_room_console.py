"""The room from the console: r opens it, a team answers from its device, y accepts it, o closes it."""

from __future__ import annotations

import asyncio
import re
import socket

import httpx
from textual.widgets import DataTable, Static

from tests.tui.conftest import DEMO, Harness, wait_for, wait_screen
from ttx.api import open_journal
from ttx.session import commands as cmd
from ttx.tui.app import TtxApp


def _answer_from_device(url: str) -> tuple[int, str]:
    base = url.split("/j/")[0]
    with httpx.Client(base_url=base, timeout=20) as client:
        client.get(url)
        token = re.search(r'csrf-token" content="([0-9a-f]+)"', client.get("/team").text)
        assert token
        sent = client.post(
            "/team/answer",
            json={"decision_id": "opening", "option_id": "partner", "rationale": "together"},
            headers={"X-CSRF-Token": token.group(1)},
        )
        return sent.status_code, client.get("/team/view").text


def _rows(app: TtxApp) -> str:
    table = app.screen.query_one(DataTable)
    return " ".join(str(cell) for row in range(table.row_count) for cell in table.get_row_at(row))


async def test_a_team_answers_from_its_device_and_the_facilitator_accepts_it(
    harness: Harness,
) -> None:
    with open_journal(harness.journal) as journal:
        session = journal.create_session(DEMO, clock=harness.clock)
        session.apply(cmd.EnterMove())
        session.close()
    app = harness.app(start="resume", room_host="127.0.0.1", room_port=0)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_screen(pilot, "ConsoleScreen")
        await pilot.press("r")
        await wait_screen(pilot, "RoomScreen")
        room = app.room
        assert room is not None and room.open
        assert "The room is open at http://127.0.0.1:" in str(
            app.screen.query_one("#room-head", Static).render()
        )
        url = room.server.join_url("us")
        assert url is not None and url in _rows(app)
        sending = asyncio.create_task(asyncio.to_thread(_answer_from_device, url))
        await wait_for(pilot, sending.done, "the device's answer", timeout=30)
        status, view = sending.result()
        assert status == 200
        assert "Sent. The facilitator will record it" in view
        await wait_for(pilot, lambda: "waiting: Accept and build the joint cell" in _rows(app))
        await pilot.press("y")
        assert app.session is not None
        await wait_for(
            pilot,
            lambda: "us" in app.session.state.decisions["opening"].records,  # type: ignore[union-attr]
            "the accepted answer",
        )
        assert "waiting" not in _rows(app)
        port = room.server.port
        await pilot.press("o")
        await wait_for(pilot, lambda: not room.open, "the room to close")
        with socket.socket() as probe:
            assert probe.connect_ex(("127.0.0.1", port)) != 0  # nothing listens any more
        await pilot.press("escape")
        await wait_screen(pilot, "ConsoleScreen")
    assert app.room is not None and not app.room.open
