"""The web server's own read-only copy of the session: it follows the journal and builds the pages.

The holder (the console, or `tabletop room`) writes the journal and only pings the web
server's process when something changed (`RoomServer.publish`): building each team's
view there, not in the holder, keeps that work off the console's interpreter. The copy
is the journal read-only (SQLite WAL: the holder's commits are visible at once), fed
with the new events on each ping and once a second; which answers the room may see is
read from beside the journal (`ttx.service.presenting`), where the console's `v` and
`tabletop room --reveal` write it. The pages still show only `ttx.room.views`.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ttx.room.views import RoomViews, room_message, team_names
from ttx.service.journal import Journal, open_journal
from ttx.service.presenting import revealed

POLL_SECONDS = 1.0
"""How often the copy looks for events and reveals nobody pinged about."""


class Follower:
    """The session as the web server's process reads it; `message()` is what the pages show now."""

    def __init__(self, journal_path: Path, session_id: str) -> None:
        self._journal_path = journal_path
        self._journal: Journal = open_journal(journal_path, read_only=True)
        try:
            self._session = self._journal.read_session(session_id)
        except BaseException:
            self._journal.close()
            raise
        state = self._session.state
        self._views = RoomViews(state.exercise, list(team_names(state)))
        self.teams: list[str] = list(team_names(state))
        """The teams whose pages are built (those with a code)."""
        self.record = False
        self.revealed = self._read_revealed()
        self._wake = threading.Event()
        self._dirty = False
        self._lock = threading.Lock()

    def _read_revealed(self) -> frozenset[str]:
        try:
            return revealed(self._journal_path, self._session.id)
        except OSError:
            return frozenset()

    def message(self) -> dict[str, Any]:
        """Every team's view (with a code) and the projector's, from the session as read now."""
        with self._lock:
            return room_message(
                self._views,
                self._session.state,
                datetime.now(UTC),
                teams=self.teams,
                record=self.record,
                revealed=self.revealed,
            )

    def changed(self, *, record: bool | None = None, teams: list[str] | None = None) -> None:
        """The holder says something changed (the journal, the room's mode, the codes): rebuild soon."""
        with self._lock:
            if record is not None:
                self.record = record
            if teams is not None:
                self.teams = teams
            self._dirty = True
        self._wake.set()

    def catch_up(self) -> bool:
        """Read new events and reveals; True when the pages need new views."""
        fresh = self._session.refresh()
        shown = self._read_revealed()
        with self._lock:
            dirty, self._dirty = self._dirty, False
            moved = shown != self.revealed
            self.revealed = shown
        return fresh or moved or dirty

    @property
    def ended(self) -> bool:
        """True once the session has ended."""
        return self._session.state.status == "ended"

    def wait(self) -> None:
        """Until pinged, or a poll's time has passed."""
        self._wake.wait(POLL_SECONDS)
        self._wake.clear()

    def close(self) -> None:
        """Let go of the journal."""
        self._session.close()
        self._journal.close()
