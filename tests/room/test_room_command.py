"""`tabletop room` for real: uvicorn on 127.0.0.1, join lines, SIGTERM, a taken port, kill -9 of the holder."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from ttx.room import codes
from ttx.service.journal import open_journal
from ttx.session.actions import EndSession, EnterMove

from .helpers import exercise_path

pytestmark = pytest.mark.slow


def _session(session_id: str = "live", *, end: bool = False) -> None:
    with open_journal() as journal:
        session = journal.create_session(exercise_path("demo"), session_id=session_id)
        session.apply(EnterMove())
        if end:
            session.apply(EndSession())
        session.close()


def _start(ttx_home: Path, *args: str) -> subprocess.Popen[str]:
    env = {**os.environ, "TTX_HOME": str(ttx_home)}
    return subprocess.Popen(
        [sys.executable, "-m", "ttx", "room", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


def _join_lines(process: subprocess.Popen[str], count: int) -> dict[str, str]:
    assert process.stdout is not None
    lines = {}
    for _ in range(count):
        line = process.stdout.readline()
        assert line, process.stderr.read() if process.stderr else "no output"
        team, url = line.split()
        lines[team] = url
    return lines


def _joined(url: str) -> tuple[httpx.Client, str]:
    base = url.split("/j/")[0]
    client = httpx.Client(base_url=base, timeout=10)
    assert client.get(url).status_code == 200
    token = re.search(r'csrf-token" content="([0-9a-f]+)"', client.get("/team").text)
    assert token
    return client, token.group(1)


def test_the_headless_room_prints_each_team_and_stops_cleanly_on_sigterm(ttx_home: Path) -> None:
    _session()
    process = _start(ttx_home, "live", "--host", "127.0.0.1", "--port", "0")
    try:
        lines = _join_lines(process, 2)
        assert set(lines) == {"us", "mexico"}
        for team, url in lines.items():
            assert re.fullmatch(r"http://127\.0\.0\.1:\d+/j/[A-Za-z0-9_-]{16,}", url)
            assert url.endswith(codes.load_or_issue("live", [team])[team])
        mode = codes.codes_path("live").stat().st_mode & 0o777
        assert mode == 0o600
        client, token = _joined(lines["us"])
        sent = client.post(
            "/team/answer",
            json={"decision_id": "opening", "option_id": "partner", "rationale": "r"},
            headers={"X-CSRF-Token": token},
        )
        assert sent.status_code == 200 and sent.json()["ok"]
        process.send_signal(signal.SIGTERM)
        assert process.wait(20) == 0
        port = int(lines["us"].split(":")[2].split("/")[0])
        with socket.socket() as probe:  # the port is free again: nothing listens on it
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind(("127.0.0.1", port))
            probe.listen(1)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    with open_journal() as journal:
        state = journal.read_session("live").state
    assert state.room_answer("opening", "us") is not None
    assert not any(
        code in str(state.timeline) for code in codes.load_or_issue("live", ["us"]).values()
    )


def test_a_taken_port_gets_one_clear_message(ttx_home: Path) -> None:
    _session()
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        process = _start(ttx_home, "live", "--host", "127.0.0.1", "--port", str(port))
        _, err = process.communicate(timeout=60)
    assert process.returncode == 1
    assert f"port {port} on 127.0.0.1 is taken" in err and "--port" in err
    assert "Traceback" not in err


def test_an_ended_or_held_session_is_refused(ttx_home: Path) -> None:
    _session("over", end=True)
    process = _start(ttx_home, "over", "--host", "127.0.0.1", "--port", "0")
    _, err = process.communicate(timeout=60)
    assert process.returncode == 1 and "has ended" in err and "Traceback" not in err
    _session("held")
    with open_journal() as journal:
        holder = journal.open_session("held")
        process = _start(ttx_home, "held", "--host", "127.0.0.1", "--port", "0")
        _, err = process.communicate(timeout=60)
        holder.close()
    assert process.returncode != 0 and "Traceback" not in err and err.strip()


def test_killing_the_holder_loses_no_acknowledged_submission(ttx_home: Path) -> None:
    _session()
    process = _start(ttx_home, "live", "--host", "127.0.0.1", "--port", "0")
    acknowledged = []
    try:
        lines = _join_lines(process, 2)
        client, token = _joined(lines["us"])
        for number in range(8):
            sent = client.post(
                "/team/answer",
                json={
                    "decision_id": "opening",
                    "option_id": "partner" if number % 2 else "pressure",
                    "rationale": f"reason {number}",
                    "submission": f"s{number}",
                },
                headers={"X-CSRF-Token": token},
            )
            if sent.status_code == 200:
                acknowledged.append(f"s{number}")
        os.kill(process.pid, signal.SIGKILL)
        process.wait(20)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:  # the server process follows its holder down
            try:
                client.get("/projector/view", timeout=1)
            except httpx.HTTPError:
                break
            time.sleep(0.2)
        else:
            pytest.fail("the room kept serving after its holder was killed")
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert len(acknowledged) == 8
    with open_journal() as journal:
        session = journal.open_session("live")  # resume: the lock of the killed holder is stale
        saved = [e.submission for e in session.events if e.kind == "room_answer_submitted"]
        session.close()
    assert saved == acknowledged
    # The laptop comes back on the same port: the page resends what it was not sure of, with
    # the token it already had, and nothing is written twice.
    port = lines["us"].split(":")[2].split("/")[0]
    again = _start(ttx_home, "live", "--host", "127.0.0.1", "--port", port)
    try:
        assert _join_lines(again, 2) == lines  # the same codes, the same addresses
        resend = {
            "decision_id": "opening",
            "option_id": "partner",
            "rationale": "r",
            "submission": "s7",
        }
        retry = client.post("/team/answer", json=resend, headers={"X-CSRF-Token": token})
        assert retry.status_code == 200 and retry.json()["ok"], retry.text
        late = {**resend, "submission": "s8"}
        assert (
            client.post("/team/answer", json=late, headers={"X-CSRF-Token": token}).status_code
            == 200
        )
    finally:
        again.send_signal(signal.SIGTERM)
        assert again.wait(20) == 0
    with open_journal() as journal:
        events = journal.read_session("live").events
    saved = [e.submission for e in events if e.kind == "room_answer_submitted"]
    assert saved == [*acknowledged, "s8"]


def test_reveal_and_hide_reach_the_projector_page_of_a_headless_room(
    ttx_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from ttx.cli import main
    from ttx.session.actions import RecordDecision

    _session("quiet")  # move 1 puts no decision to the whole room
    assert main(["room", "quiet", "--reveal"]) == 1
    assert "no decision of the current move is put to the whole room" in capsys.readouterr().err
    with open_journal() as journal:
        session = journal.create_session(exercise_path("demo"), session_id="shown")
        session.apply(EnterMove())
        session.apply(EnterMove())  # move 2 puts its decision to every team
        for team in ("us", "mexico"):
            session.apply(
                RecordDecision(
                    decision_id="next_step", team_id=team, option_id="deepen", rationale="r"
                )
            )
        session.close()
    process = _start(ttx_home, "shown", "--host", "127.0.0.1", "--port", "0")
    try:
        base = _join_lines(process, 2)["us"].split("/j/")[0]

        def projector() -> str:
            return httpx.get(base + "/projector/view", timeout=10).text

        def waits_for(condition: Callable[[], bool]) -> bool:
            deadline = time.monotonic() + 20
            while time.monotonic() < deadline:
                if condition():
                    return True
                time.sleep(0.1)
            return False

        assert "2 of 2 teams have answered" in projector()
        assert "US National Security Council" not in projector()
        assert main(["room", "shown", "--reveal"]) == 0  # while the room holds the session
        assert "now show on the projector page" in capsys.readouterr().out
        assert waits_for(lambda: "US National Security Council" in projector())
        assert main(["room", "shown", "--hide"]) == 0
        assert waits_for(lambda: "US National Security Council" not in projector())
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(20)
