"""Projector mode inside the console: only what participants may see, large; any key returns."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType

from ttx.session.state import SessionState
from ttx.tui.base import console_action, ttx
from ttx.tui.keys import pause_key, undo_key
from ttx.tui.messages import SessionScreen
from ttx.tui.widgets.projection import Projection


class ProjectorScreen(SessionScreen):
    """The participant view of the open session; facilitator text never appears here."""

    HELP_TITLE = "Projector"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "escape,p",
            "back",
            "Back to console",
            id="projector.back",
            tooltip="Return to the facilitator console",
        ),
        pause_key("projector"),
        undo_key("projector"),
        Binding(
            "n",
            "next_inject",
            "Next inject",
            id="projector.next_inject",
            tooltip="Release the next inject",
        ),
    ]

    def compose(self) -> ComposeResult:
        """The projection fills the screen (no footer: it would show keys to the room)."""
        yield Projection()

    def on_mount(self) -> None:
        """Draw, then tick the countdown once a second."""
        self._redraw()
        self.query_one("#proj-body").focus()  # ↑↓ PgUp PgDn scroll a long text
        self.set_interval(1, self._tick)

    def _redraw(self) -> None:
        session = ttx(self).session
        if session is not None:
            self.show_state(session.state)

    def show_state(self, state: SessionState) -> None:
        """Redraw from the session's state (with the answers the console has revealed)."""
        projection = self.query_one(Projection)
        for screen in ttx(self).screen_stack:
            projection.revealed = getattr(screen, "revealed", projection.revealed)
        projection.show(state, ttx(self).now())

    def _tick(self) -> None:
        session = ttx(self).session
        if session is not None:
            self.query_one(Projection).show_clock(session.state, ttx(self).now())

    def action_back(self) -> None:
        """Back to the console."""
        self.dismiss()

    def _console_action(self, name: str) -> None:
        console_action(self, name)

    def action_pause(self) -> None:
        """Pause or resume the clock (same as in the console)."""
        self._console_action("pause")

    def action_undo(self) -> None:
        """Undo the last action, after a yes (same as in the console)."""
        self._console_action("undo")

    def action_next_inject(self) -> None:
        """Release the next inject (same as in the console)."""
        self._console_action("next_inject")
