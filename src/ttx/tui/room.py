"""The console's side of the room: open and close it, apply what the teams send, keep the pages current.

The console holds the session, so it is the journal's only writer: `RoomServer`'s threads
hand each submission to `ConsoleRoom.apply`, which commits it through `Session.apply`
(thread-safe) on the room's own thread, so the console's thread never waits for the
journal's fsync; the server answers the page once that returns. The console's thread
then catches up once for every answer that arrived meanwhile (`RoomAnswered`): one
redraw, and at most one room toast on screen at a time, however many teams send at once.
The web server runs in its own process.
"""

from __future__ import annotations

import contextlib
import threading
import time
from typing import TYPE_CHECKING

from textual.message import Message

from ttx.room.server import RoomServer
from ttx.session.actions import Command, CommandError, SubmitRoomAnswer
from ttx.session.state import SessionState
from ttx.tui.errors import describe
from ttx.tui.text import one_line

if TYPE_CHECKING:
    from ttx.tui.app import TtxApp

TOAST_SECONDS = 6.0
"""How long a room toast shows; answers arriving meanwhile are told in the next one."""
REDRAW_SECONDS = 0.5
"""The console redraws for the room at most this often: a class sending at once costs a
few redraws a second, not one per answer."""


class RoomAnswered(Message, bubble=False):
    """Something from the room was committed: the console catches up (posted from the room's thread)."""


class ConsoleRoom:
    """The open session's room, as the console holds it."""

    def __init__(self, app: TtxApp, *, host: str | None = None, port: int = 0) -> None:
        session = app.session
        if session is None:
            raise RuntimeError("no session is open")
        self.app = app
        self.session = session
        self._lock = threading.Lock()
        self._arrived: list[SubmitRoomAnswer] = []
        self._failure: BaseException | None = None
        self._posted = False
        self._untold: list[SubmitRoomAnswer] = []
        self._telling = False
        self._drawn = 0.0
        self.server = RoomServer(
            session.id,
            lambda: session.state,
            self.apply,
            host=host,
            port=port,
            journal_path=app.journal.path,
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

    def publish(self, state: SessionState) -> None:
        """The session changed on the console (or what it reveals): bring the pages up to date.

        The revealed answers are read from beside the journal, where the console keeps them.
        """
        if self.open:
            self.server.publish(state)

    def apply(self, command: Command) -> SessionState:
        """Commit a team's command (on the room's thread); raises as `Session.apply` does.

        The console's thread is only told (`RoomAnswered`), never waited for.
        """
        try:
            state = self.session.apply(command)
        except CommandError:
            raise
        except Exception as error:
            with self._lock:
                self._failure = error
            self._post()
            raise
        if isinstance(command, SubmitRoomAnswer):
            with self._lock:
                self._arrived.append(command)
        self._post()
        return state

    def _post(self) -> None:
        with self._lock:
            if self._posted:
                return  # the console has not caught up yet: it will take this one too
            self._posted = True
        self.app.post_message(RoomAnswered())

    def catch_up(self) -> None:
        """On the console's thread: redraw once and tell what arrived since the last time
        (or, drawn for the room a moment ago, once that moment is over)."""
        wait = self._drawn + REDRAW_SECONDS - time.monotonic()
        if wait > 0:
            self.app.set_timer(wait, self.catch_up)  # still "posted": later answers join it
            return
        self._drawn = time.monotonic()
        with self._lock:
            arrived, self._arrived = self._arrived, []
            failure, self._failure = self._failure, None
            self._posted = False
        app = self.app
        if failure is not None:
            app.save_error = describe(failure)
            app.notify(
                f"NOT SAVED (an answer from the room): {app.save_error}",
                title="Saving failed",
                severity="error",
                markup=False,
                timeout=30,
            )
        elif arrived:
            app.saved_at = app.now()
            app.save_error = None
        app.refresh_saved()
        if arrived:
            app.redraw(self.session.state)
            self._untold += arrived
            if not self._telling:
                self._tell()

    def _tell(self) -> None:
        """Show one toast for the answers not told yet; the next waits until this one is gone."""
        untold, self._untold = self._untold, []
        self._telling = bool(untold)
        if not untold:
            return
        self.app.notify(self.told(untold), markup=False, timeout=TOAST_SECONDS)
        self.app.set_timer(TOAST_SECONDS, self._tell)

    def told(self, answers: list[SubmitRoomAnswer]) -> str:
        """What a room toast says about `answers` (oldest first)."""
        state = self.session.state
        names = list(dict.fromkeys(one_line(state.team(a.team_id).name).plain for a in answers))
        hint = "" if all(a.record for a in answers) else " (y accepts it)"
        if len(answers) == 1:
            only = answers[0]
            what = "recorded its answer to" if only.record else "sent an answer to"
            return f"From the room: {names[0]} {what} {only.decision_id}{hint}"
        shown = ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
        hint = "" if not hint else " (y accepts the oldest)"
        return f"From the room: {len(answers)} answers, from {shown}{hint}"

    def _closed_by_itself(self, reason: str) -> None:
        with contextlib.suppress(RuntimeError):  # RuntimeError: the console is closing too
            self.app.call_from_thread(
                self.app.notify, f"The room is closed: {reason}.", markup=False, timeout=10
            )
