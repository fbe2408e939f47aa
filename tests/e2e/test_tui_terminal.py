"""The console in a real terminal (tmux): record, kill -9 half way, resume, finish — as a facilitator would."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from ttx.api import open_journal

ROOT = Path(__file__).resolve().parents[2]
TTX = Path(sys.executable).parent / "tabletop"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("tmux") is None, reason="needs tmux"),
]


TMUX = ["tmux", "-L", f"ttx-e2e-{os.getpid()}"]
"""A tmux server of our own, so its window sizes and sessions never mix with the user's."""


class Terminal:
    """One tmux session running a command at 120×40."""

    def __init__(self, name: str, command: str, home: Path) -> None:
        self.name = name
        env = f"env -u COLUMNS -u LINES TTX_HOME={home} TERM=xterm-256color"
        argv = [*TMUX, "new-session", "-d", "-s", name, "-x", "120", "-y", "40", f"{env} {command}"]
        # When the previous session's program was killed, its tmux server may still be
        # shutting down; a client that reaches it then fails. Give it a moment and retry.
        for _ in range(20):
            if subprocess.run(argv, cwd=ROOT, capture_output=True, check=False).returncode == 0:
                return
            time.sleep(0.25)
        subprocess.run(argv, cwd=ROOT, check=True)

    def screen(self) -> str:
        result = subprocess.run(
            [*TMUX, "capture-pane", "-p", "-t", self.name],
            capture_output=True,
            text=True,
            check=False,
        )
        return result.stdout

    def wait_for(self, text: str, timeout: float = 20.0) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            screen = self.screen()
            if text in screen:
                return screen
            time.sleep(0.1)
        raise AssertionError(f"{text!r} never appeared; screen:\n{self.screen()}")

    def keys(self, *keys: str, literal: bool = False) -> None:
        args = [*TMUX, "send-keys", "-t", self.name, *(["-l"] if literal else []), *keys]
        subprocess.run(args, check=True)

    def pid(self) -> int:
        out = subprocess.run(
            [*TMUX, "display", "-p", "-t", self.name, "#{pane_pid}"],
            capture_output=True,
            text=True,
            check=True,
        )
        return int(out.stdout.strip())

    def alive(self) -> bool:
        result = subprocess.run(
            [*TMUX, "has-session", "-t", self.name], capture_output=True, check=False
        )
        return result.returncode == 0

    def close(self) -> None:
        subprocess.run([*TMUX, "kill-session", "-t", self.name], capture_output=True, check=False)


@pytest.fixture
def terminals(ttx_home: Path):  # type: ignore[no-untyped-def]
    opened: list[Terminal] = []

    def open_(command: str) -> Terminal:
        term = Terminal(f"ttx-e2e-{os.getpid()}-{len(opened)}", command, ttx_home)
        opened.append(term)
        return term

    yield open_
    for term in opened:
        term.close()
    subprocess.run([*TMUX, "kill-server"], capture_output=True, check=False)


def test_kill_half_way_then_resume_and_finish(terminals, ttx_home: Path) -> None:  # type: ignore[no-untyped-def]
    first = terminals(f"{TTX} run exercises/demo.yaml")
    first.wait_for("Set up:")
    first.keys("C-s")
    first.wait_for("Press m to begin")
    first.keys("m")
    first.wait_for("⏱ move 0:")
    first.keys("n")
    first.wait_for("released")
    first.keys("d")
    first.wait_for("Which team is answering?")
    first.keys("1")
    first.wait_for("Record a decision")
    first.keys("2")
    time.sleep(0.5)  # a person reads the options before typing; focus moves to the rationale
    first.keys("Leverage [/] first", literal=True)
    first.keys("C-s")
    first.wait_for("Record 'Accept only with tariff pressure attached' for US")
    first.keys("Enter")
    first.wait_for("Consequence:")  # the console's panel: recorded
    first.wait_for("Rationale: Leverage [/] first")
    os.kill(first.pid(), signal.SIGKILL)  # the terminal dies half way through the session

    with open_journal() as journal:
        session_id = journal.sessions()[0].id
        session = journal.read_session(session_id)
        assert session.state.decisions["opening"].records["us"].rationale == "Leverage [/] first"
        session.close()

    second = terminals(f"{TTX} resume")
    second.wait_for("Rationale: Leverage [/] first")
    second.wait_for("move 1: The offer · Month 0")
    second.wait_for("An offer, with a red line")
    second.keys("w")
    second.wait_for("End the moves and start the hot wash?")
    second.keys("y")
    second.wait_for("Questions (1–9 picks)")
    second.keys("It was about trust", literal=True)
    second.keys("C-s")
    second.wait_for("• It was about trust")
    second.keys("C-q")
    second.wait_for("pause the clock first?")
    second.keys("Enter")
    deadline = time.monotonic() + 10
    while second.alive() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not second.alive(), "ctrl+q did not quit"

    with open_journal() as journal:
        session = journal.read_session(session_id)
        kinds = [e.kind for e in session.events]
        assert "journal_reopened" in kinds
        assert "hot_wash_answered" in kinds
        assert session.state.status == "hot_wash"
        session.close()
