"""The console's messages: how a change of the session reaches the screens that show it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.message import Message
from textual.screen import Screen

if TYPE_CHECKING:
    from ttx.session.state import SessionState


class StateChanged(Message, bubble=False):
    """A command was applied: the open session is now `state`.

    `TtxApp.apply` posts it to every screen on the stack; a screen that shows the session
    handles it (`on_state_changed`) by redrawing from `state`. Screens that do not show
    the session ignore it.
    """

    def __init__(self, state: SessionState) -> None:
        super().__init__()
        self.state = state


class SessionScreen(Screen[None]):
    """A screen that shows the open session: it redraws from each `StateChanged`."""

    def show_state(self, state: SessionState) -> None:
        """Draw `state` (each session screen draws its own part)."""
        raise NotImplementedError

    def on_state_changed(self, message: StateChanged) -> None:
        """A command was applied: the saved mark and the screen are redrawn in one frame."""
        from ttx.tui.base import ttx

        app = ttx(self)
        app.refresh_saved()
        try:
            self.show_state(message.state)
        except Exception as error:  # a drawing bug must not end the session
            app.show_error(error, "redraw")
