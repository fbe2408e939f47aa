"""The console's side of the room: open and close it, apply what the teams send, keep the pages current.

The console holds the session, so it is the journal's only writer: `RoomServer`'s threads
hand each submission to `ConsoleRoom.apply`, which runs it on the console's own thread
(`call_from_thread`) through `Session.apply`, redraws, and only then lets the server answer
the page. The web server runs in its own process, so a busy room never delays a key.
"""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING

from ttx.room.server import RoomServer
from ttx.session.actions import Command, SubmitRoomAnswer
from ttx.session.state import SessionState
from ttx.tui.text import one_line

if TYPE_CHECKING:
    from ttx.tui.app import TtxApp


class ConsoleRoom:
    """The open session's room, as the console holds it."""

    def __init__(self, app: TtxApp, *, host: str | None = None, port: int = 0) -> None:
        session = app.session
        if session is None:
            raise RuntimeError("no session is open")
        self.app = app
        self.session = session
        self.revealed: frozenset[str] = frozenset()
        self.server = RoomServer(
            session.id,
            lambda: session.state,
            self.apply,
            host=host,
            port=port,
            revealed=lambda: self.revealed,
            on_close=self._closed_by_itself,
        )

    @property
    def open(self) -> bool:
        """True while the room is served."""
        return self.server.running

    def start(self) -> None:
        """Serve the room (raises `RoomError` with a message when it cannot)."""
        self.server.start()

    def stop(self) -> None:
        """Stop serving; the port is free again."""
        self.server.stop()

    def publish(self, state: SessionState, revealed: frozenset[str]) -> None:
        """The session changed on the console: bring the pages up to date."""
        self.revealed = revealed
        if self.open:
            self.server.publish(state)

    def apply(self, command: Command) -> SessionState:
        """Apply a team's command on the console's thread; raises as `Session.apply` does."""
        return self.app.call_from_thread(self._apply_here, command)

    def _apply_here(self, command: Command) -> SessionState:
        state = self.session.apply(command)
        self.app.saved_at = self.app.now()
        self.app.save_error = None
        self.app.refresh_saved()
        self.app.redraw(state)
        if isinstance(command, SubmitRoomAnswer):
            team = state.team(command.team_id).name
            what = "recorded its answer to" if command.record else "sent an answer to"
            hint = "" if command.record else " (y accepts it)"
            self.app.notify(
                f"From the room: {one_line(team).plain} {what} {command.decision_id}{hint}",
                markup=False,
                timeout=6,
            )
        return state

    def _closed_by_itself(self, reason: str) -> None:
        with contextlib.suppress(RuntimeError):  # RuntimeError: the console is closing too
            self.app.call_from_thread(
                self.app.notify, f"The room is closed: {reason}.", markup=False, timeout=10
            )
