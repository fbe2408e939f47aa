"""What every console flow needs: the session's state, apply, and asking a typed dialog."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from textual.screen import Screen

from ttx.tui.base import ttx
from ttx.tui.messages import SessionScreen

if TYPE_CHECKING:
    from ttx.session.actions import Command
    from ttx.session.state import SessionState
    from ttx.tui.dialogs.reason import ReasonDialog

T = TypeVar("T")


def reason_dialog(what: str) -> ReasonDialog:
    """The one-line "Why?" of an override, a track change, an adjudication, a ruling, a pause."""
    from ttx.tui.dialogs.reason import ReasonDialog

    return ReasonDialog(what)


class FlowBase(SessionScreen):
    """The console screen's base: the flows behind its keys are methods of the screen itself."""

    _timeline_hidden: bool
    _last_hint: tuple[str, float] | None = None

    @property
    def state(self) -> SessionState:
        """The open session's current state."""
        session = ttx(self).session
        assert session is not None, "the console needs an open session"
        return session.state

    def _hint(self, message: str) -> None:
        """A hint for a key that had nothing to do, shown once: pressing the key again while
        the same hint is still on screen does not stack another copy."""
        now = time.monotonic()
        last = self._last_hint
        if (
            last is not None
            and last[0] == message
            and now - last[1] < self.app.NOTIFICATION_TIMEOUT
        ):
            return
        self._last_hint = (message, now)
        self.notify(message, markup=False)

    def _apply(self, command: Command) -> SessionState | None:
        return ttx(self).apply(command)

    async def _ask(self, dialog: Screen[T]) -> T:
        """Show `dialog` (the app's reused one of its kind, where there is one) and wait for its answer."""
        from ttx.tui.dialogs.reuse import ask

        return await ask(self.app, dialog)

    async def _reason(self, what: str) -> str | None:
        """An optional one-line reason for `what` (Enter skips: ""); None when Escape cancels."""
        return await self._ask(reason_dialog(what))

    def _ask_now(self, dialog: Screen[T], then: Callable[[T | None], None]) -> None:
        """Open `dialog` at once (keys typed next go to it); `then` gets its answer."""
        from ttx.tui.dialogs.reuse import reuse

        self.app.push_screen(reuse(self.app, dialog), then)
