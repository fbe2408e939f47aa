"""The console's messages: how a change of the session reaches the screens that show it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.message import Message

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
