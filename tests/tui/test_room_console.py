"""The room from the console: r opens it, a team answers from its device, y accepts it, o closes it."""

from __future__ import annotations

import asyncio
import contextlib
import re
import socket
import sys
from collections.abc import AsyncIterator

import httpx
import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable, Static

from tests.tui.conftest import DEMO, Harness, screen_text, wait_for, wait_screen
from tests.tui.test_classroom import to_console
from ttx.api import open_journal
from ttx.session import actions as cmd
from ttx.tui.app import TtxApp


def _answer_from_device(url: str, option: str = "partner") -> tuple[int, str]:
    base = url.split("/j/")[0]
    with httpx.Client(base_url=base, timeout=20) as client:
        client.get(url)
        token = re.search(r'csrf-token" content="([0-9a-f]+)"', client.get("/team").text)
        assert token
        sent = client.post(
            "/team/answer",
            json={"decision_id": "opening", "option_id": option, "rationale": "together"},
            headers={"X-CSRF-Token": token.group(1)},
        )
        return sent.status_code, client.get("/team/view").text


def _session(harness: Harness, *commands: cmd.Command) -> None:
    with open_journal(harness.journal) as journal:
        session = journal.create_session(DEMO, clock=harness.clock)
        for command in commands:
            session.apply(command)
        session.close()


async def _open_room(pilot: Pilot[None]) -> None:
    await wait_screen(pilot, "ConsoleScreen")
    await pilot.press("r")
    await wait_screen(pilot, "RoomScreen")


@contextlib.asynccontextmanager
async def _in_room(
    harness: Harness, size: tuple[int, int] = (120, 40)
) -> AsyncIterator[tuple[TtxApp, Pilot[None]]]:
    """The console on a session in its first move, with the room open on 127.0.0.1 and its
    screen shown (toasts on)."""
    _session(harness, cmd.EnterMove())
    app = harness.app(start="resume", room_host="127.0.0.1", room_port=0)
    async with app.run_test(size=size, notifications=True) as pilot:
        await _open_room(pilot)
        yield app, pilot


def _rows(app: TtxApp) -> str:
    table = app.screen.query_one(DataTable)
    return " ".join(str(cell) for row in range(table.row_count) for cell in table.get_row_at(row))


async def test_a_team_answers_from_its_device_and_the_facilitator_accepts_it(
    harness: Harness,
) -> None:
    async with _in_room(harness) as (app, pilot):
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
        await wait_for(pilot, lambda: "Accept and build the joint cell" in _rows(app))
        await pilot.press("escape")
        await wait_screen(pilot, "ConsoleScreen")
        team_status = str(app.screen.query_one("#team-status").render())
        assert (
            "US National Security Council: Accept and build the joint cell (submitted from the room at"
            in team_status
        )
        await pilot.press("y")  # the console's one key accepts it
        session = app.session
        assert session is not None
        await wait_for(
            pilot, lambda: "us" in session.state.decisions["opening"].records, "the accepted answer"
        )
        assert "submitted from the room" not in str(app.screen.query_one("#team-status").render())
        await pilot.press("r")
        await wait_screen(pilot, "RoomScreen")
        assert "Accept and build the joint cell" not in _rows(app)  # nothing waits any more
        await pilot.press("d")  # record directly: a team's change is recorded as it arrives
        head = app.screen.query_one("#room-head", Static)
        await wait_for(pilot, lambda: "recorded as they arrive" in str(head.render()))
        sending = asyncio.create_task(asyncio.to_thread(_answer_from_device, url, "pressure"))
        await wait_for(pilot, sending.done, "the device's change", timeout=30)
        assert sending.result()[0] == 200
        record = session.state.decisions["opening"].records["us"]
        assert record.option_id == "pressure" and record.correction
        await pilot.press("x")  # revoke the chosen team's code (the first row: us)
        await wait_for(pilot, lambda: "revoked (c gives a new code)" in _rows(app))
        assert url not in _rows(app) and room.server.join_url("us") is None
        await pilot.press("c")
        await wait_for(pilot, lambda: room.server.join_url("us") is not None)
        new_url = room.server.join_url("us")
        assert new_url is not None and new_url != url and new_url in _rows(app)
        port = room.server.port
        await pilot.press("o")
        await wait_for(pilot, lambda: not room.open, "the room to close")
        with socket.socket() as probe:
            assert probe.connect_ex(("127.0.0.1", port)) != 0  # nothing listens any more
        await pilot.press("escape")
        await wait_screen(pilot, "ConsoleScreen")
    assert app.room is not None and not app.room.open


async def test_when_the_usual_port_is_taken_the_console_opens_the_room_on_another(
    harness: Harness,
) -> None:
    _session(harness)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        app = harness.app(start="resume", room_host="127.0.0.1", room_port=port)
        async with app.run_test(size=(120, 40), notifications=True) as pilot:
            await _open_room(pilot)
            assert app.room is not None and app.room.open and app.room.server.port != port
            await wait_for(pilot, lambda: "was taken" in screen_text(app), "the notice")
            shown = "".join(screen_text(app).replace("▌", "").split())
            assert f"port{port}wastaken" in shown
            await pilot.press("escape")
    assert app.room is not None and not app.room.open


async def test_the_browser_projector_counts_answers_and_shows_them_once_revealed(
    harness: Harness,
) -> None:
    answers = [
        cmd.RecordDecision(decision_id="next_step", team_id=team, option_id="deepen", rationale="r")
        for team in ("us", "mexico")
    ]
    _session(harness, cmd.EnterMove(), cmd.EnterMove(), *answers)  # move 2: put to every team
    app = harness.app(start="resume", room_host="127.0.0.1", room_port=0)
    async with app.run_test(size=(120, 40)) as pilot:
        await _open_room(pilot)
        assert app.room is not None
        view = app.room.server.url + "/projector/view"

        def projector() -> str:
            return httpx.get(view, timeout=10).text

        async def read() -> str:
            return await asyncio.to_thread(projector)

        before = await read()
        assert "2 of 2 teams have answered" in before
        assert "US National Security Council" not in before
        await pilot.press("escape")
        await wait_screen(pilot, "ConsoleScreen")
        await pilot.press("v")
        shown = ""
        for _ in range(50):
            shown = await read()
            if "US National Security Council" in shown:
                break
            await pilot.pause(0.1)
        assert "US National Security Council" in shown and "Deepen the partnership" in shown


async def test_run_with_room_opens_the_room_as_the_session_starts(harness: Harness) -> None:
    app = harness.app(start="run", exercise=DEMO, room=True, room_host="127.0.0.1", room_port=0)
    async with app.run_test(size=(120, 40)) as pilot:
        await to_console(pilot)
        await wait_for(pilot, lambda: app.room is not None and app.room.open, "the room open")
        assert app.room is not None
        page = await asyncio.to_thread(httpx.get, app.room.server.url + "/projector", timeout=10)
        assert page.status_code == 200


async def test_answers_arriving_together_are_committed_off_the_console_and_told_in_one_toast(
    harness: Harness,
) -> None:
    async with _in_room(harness) as (app, pilot):
        await pilot.press("escape")
        await wait_screen(pilot, "ConsoleScreen")
        room, session = app.room, app.session
        assert room is not None and session is not None

        def send_three() -> list[int]:
            """What the room's thread does for three answers in a row: each returns once committed."""
            seqs = []
            for option in ("partner", "pressure", "partner"):
                answer = cmd.SubmitRoomAnswer(
                    decision_id="opening", team_id="us", option_id=option, rationale="r"
                )
                seqs.append(room.apply(answer).last_seq)
            return seqs

        seqs = await asyncio.to_thread(send_three)
        assert seqs == sorted(seqs) and len(set(seqs)) == 3  # three commits, in order
        with open_journal(harness.journal, read_only=True) as journal:
            committed = journal.read_session(session.id)
            assert committed.state.room_answer("opening", "us") is not None
            committed.close()
        team_status = app.screen.query_one("#team-status")
        await wait_for(
            pilot,
            lambda: (
                "Accept and build the joint cell (submitted from the room"
                in str(team_status.render())
            ),
            "the console to show the latest answer",
        )
        await wait_for(pilot, lambda: "From the room" in screen_text(app), "the room's toast")
        assert screen_text(app).count("From the room") == 1  # one toast, however many answers


async def test_resume_with_room_host_and_port_opens_the_room_where_the_cards_point(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from ttx.cli import build_parser
    from ttx.commands.tui import run as run_console

    with open_journal() as journal:
        session = journal.create_session(DEMO)
        session_id = session.id
        session.close()
    with socket.socket() as probe:  # a free port, as a facilitator would choose with --port
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    built: list[TtxApp] = []
    monkeypatch.setattr(TtxApp, "run", lambda self, *a, **k: built.append(self))
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True)  # as in a terminal
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    args = build_parser().parse_args(
        ["resume", session_id, "--room", "--host", "127.0.0.1", "--port", str(port)]
    )
    assert run_console(args) == 0
    app = built[0]
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: app.room is not None and app.room.open, "the room open")
        assert app.room is not None
        assert app.room.server.url == f"http://127.0.0.1:{port}"
        page = await asyncio.to_thread(httpx.get, f"http://127.0.0.1:{port}/projector", timeout=10)
        assert page.status_code == 200
    assert build_parser().parse_args(["run", "demo", "--host", "10.0.0.5"]).host == "10.0.0.5"


async def test_l_on_the_room_screen_locks_the_chosen_teams_decision_for_the_room(
    harness: Harness,
) -> None:
    async with _in_room(harness) as (app, pilot):
        session = app.session
        assert session is not None
        await pilot.press("l")  # the first row: us, who answers "opening" in this move
        await wait_for(pilot, lambda: "opening" in session.state.room_locked, "the lock")
        await wait_for(pilot, lambda: "Locked: no team may change" in screen_text(app), "notice")
        assert session.state.timeline[-1].text.endswith("answers from the room locked")
        await pilot.press("l")  # nothing left to lock: said so, nothing recorded
        await wait_for(pilot, lambda: "no open decision to lock" in screen_text(app), "notice")
        assert [e.kind for e in session.events].count("room_answers_locked") == 1


async def test_every_join_address_is_whole_on_the_room_screen_at_80_columns(
    harness: Harness,
) -> None:
    async with _in_room(harness, (80, 24)) as (app, pilot):
        room = app.room
        assert room is not None
        urls = [url for url in room.server.join_urls().values() if url]
        assert len(urls) == 2
        await wait_for(pilot, lambda: all(url in screen_text(app) for url in urls), "addresses")
