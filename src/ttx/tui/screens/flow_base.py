"""What every console flow needs: the session's state, the screen, apply, and asking a dialog."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ttx.tui.base import ttx

if TYPE_CHECKING:
    from textual.screen import Screen

    from ttx.session.state import SessionState


class FlowBase:
    """Mixin base: the console screen is `self`."""

    _timeline_hidden: bool

    @property
    def state(self) -> SessionState:
        """The open session's current state."""
        session = ttx(self._screen()).session
        assert session is not None, "the console needs an open session"
        return session.state

    def _screen(self) -> Screen[Any]:
        return self  # type: ignore[return-value]

    def _apply(self, command: Any) -> SessionState | None:
        return ttx(self._screen()).apply(command)

    async def _ask(self, dialog: Any) -> Any:
        return await self._screen().app.push_screen_wait(dialog)
