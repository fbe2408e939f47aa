"""`tabletop project SESSION`: a read-only window that follows a live session from the journal."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import Static

from ttx.tui.base import ttx
from ttx.tui.errors import describe
from ttx.tui.text import safe
from ttx.tui.widgets.projection import Projection

if TYPE_CHECKING:
    from ttx.service.session import Session


class FollowScreen(Screen[None]):
    """Polls the journal once a second and shows the participant view; it never records."""

    HELP_TITLE = "Projector window (read-only)"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "escape,q", "leave", "Quit", id="follow.quit", tooltip="Close the projector window"
        ),
    ]

    def __init__(self, session_id: str | None, team_id: str | None = None) -> None:
        super().__init__()
        self.session_id = session_id
        self.team_id = team_id
        self.session: Session | None = None

    def compose(self) -> ComposeResult:
        """The projection, and a line for connection problems."""
        yield Projection(self.team_id)
        yield Static(id="follow-status", classes="hint")

    def on_mount(self) -> None:
        """Open the session read-only and start following it."""
        self.query_one("#proj-body").focus()
        self._open()
        self.set_interval(1, self._poll)

    def _open(self) -> None:
        status = self.query_one("#follow-status", Static)
        try:
            self.session = ttx(self).journal.read_session(self.session_id)
        except Exception as error:
            status.update(safe(f"Waiting for the session: {describe(error)}"))
            return
        status.update("")
        if self.team_id is not None:
            from ttx.session.room import room_view

            try:
                room_view(self.session.state, self.team_id)
            except ValueError as error:
                self.session.close()
                self.session = None
                self.app.exit(return_code=2, message=f"tabletop project: {error}")
                return
        projection = self.query_one(Projection)
        projection.revealed = self._revealed()
        projection.show(self.session.state, self._now())

    def _poll(self) -> None:
        if self.session is None:
            self._open()
            return
        try:
            changed = self.session.refresh()
        except Exception as error:
            self.query_one("#follow-status", Static).update(
                safe(f"Cannot read the journal: {describe(error)}")
            )
            return
        projection = self.query_one(Projection)
        revealed = self._revealed()
        if revealed != projection.revealed:
            projection.revealed = revealed
            changed = True
        if changed:
            projection.show(self.session.state, self._now())
        else:
            projection.show_clock(self.session.state, self._now())

    def _revealed(self) -> frozenset[str]:
        """The answers the console has revealed to the room (kept beside the journal)."""
        from ttx.service.presenting import revealed

        if self.session is None:
            return frozenset()
        try:
            return revealed(ttx(self).journal.path, self.session.state.id)
        except Exception:
            return frozenset()

    def _now(self) -> datetime:
        """The app's clock when one was given (tests), else the session's (the computer's)."""
        clock = ttx(self).clock
        if clock is not None:
            return clock.now()
        assert self.session is not None
        return self.session.now()

    def on_unmount(self) -> None:
        """Close the read-only connection."""
        if self.session is not None:
            self.session.close()

    def action_leave(self) -> None:
        """Quit the projector window."""
        self.app.exit()
