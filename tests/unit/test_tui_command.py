"""`tabletop resume` and `tabletop project` find and open the session once, before the console starts."""

from __future__ import annotations

import argparse
import io
import sys
from pathlib import Path
from typing import Any

import pytest

import ttx.tui.app
from ttx.api import open_journal
from ttx.commands import tui
from ttx.store import journal as store_journal


class _TerminalSys:
    """`sys` as `ttx.commands.tui` sees it: stdin and stdout are a terminal; stderr is the real one."""

    stdin = stdout = type("Terminal", (io.StringIO,), {"isatty": lambda self: True})()

    @property
    def stderr(self) -> Any:
        return sys.stderr


class FakeApp:
    """Stands in for the Textual app: remembers what it was given."""

    def __init__(self, **kwargs: Any) -> None:
        self.kwargs = kwargs
        self.return_code = 0

    def run(self) -> None:
        session = self.kwargs.get("session")
        self.open_while_running = session is not None and not session.closed


@pytest.fixture
def made(monkeypatch: pytest.MonkeyPatch) -> list[FakeApp]:
    apps: list[FakeApp] = []

    def make_app(**kwargs: Any) -> FakeApp:
        apps.append(FakeApp(**kwargs))
        return apps[-1]

    monkeypatch.setattr(ttx.tui.app, "make_app", make_app)
    monkeypatch.setattr(tui, "sys", _TerminalSys())
    return apps


@pytest.fixture
def connections(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Every connection opened to a journal file from now on."""
    opened: list[Path] = []
    real = store_journal.JournalStore.__init__

    def counting(self: store_journal.JournalStore, path: Path, **kwargs: Any) -> None:
        opened.append(Path(path))
        real(self, path, **kwargs)

    monkeypatch.setattr(store_journal.JournalStore, "__init__", counting)
    return opened


def test_resume_opens_the_journal_once_and_hands_the_open_session_to_the_app(
    demo_path: Path, made: list[FakeApp], connections: list[Path]
) -> None:
    with open_journal() as journal:
        session_id = journal.create_session(demo_path, session_id="class-a-monday").id
        journal.create_session(demo_path, session_id="class-b").close()
    connections.clear()
    code = tui.run(argparse.Namespace(command="resume", session="class-a"))
    assert code == 0
    (app,) = made
    session = app.kwargs["session"]
    assert session.id == session_id and app.kwargs["session_id"] == session_id
    assert app.open_while_running and not session.read_only
    assert app.kwargs["journal"] is not None and app.kwargs["start"] == "resume"
    # one connection to find the session (kept by the app), one the session records with
    assert len(connections) == 2
    session.close()
    app.kwargs["journal"].close()


def test_resume_of_a_session_open_elsewhere_says_so_before_any_screen(
    demo_path: Path, made: list[FakeApp], capsys: pytest.CaptureFixture[str]
) -> None:
    with open_journal() as journal, journal.create_session(demo_path, session_id="held"):
        code = tui.run(argparse.Namespace(command="resume", session=None))
    assert code == 1 and made == []
    assert "held is open in another ttx" in capsys.readouterr().err


def test_resume_or_project_of_an_unknown_session(
    demo_path: Path, made: list[FakeApp], capsys: pytest.CaptureFixture[str]
) -> None:
    assert (
        tui.run(argparse.Namespace(command="resume", session=None)) == 2
    )  # unknown session: unusable input
    assert "there are no sessions yet" in capsys.readouterr().err
    with open_journal() as journal:
        journal.create_session(demo_path, session_id="only").close()
    assert tui.run(argparse.Namespace(command="project", session="nosuch")) == 2
    assert "no session 'nosuch'" in capsys.readouterr().err
    assert made == []


def test_project_gets_the_journal_and_the_full_id_but_opens_nothing_itself(
    demo_path: Path, made: list[FakeApp]
) -> None:
    with open_journal() as journal:
        journal.create_session(demo_path, session_id="watched-session").close()
    assert tui.run(argparse.Namespace(command="project", session="watched")) == 0
    (app,) = made
    assert app.kwargs["session"] is None and app.kwargs["session_id"] == "watched-session"
    app.kwargs["journal"].close()
