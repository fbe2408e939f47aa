"""What every console flow needs: the session's state, the screen, apply, and asking a dialog."""

from __future__ import annotations

import time
from collections.abc import Callable
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

    def _hint(self, message: str) -> None:
        """A hint for a key that had nothing to do, shown once: pressing the key again while
        the same hint is still on screen does not stack another copy."""
        screen = self._screen()
        now = time.monotonic()
        last = getattr(self, "_last_hint", None)
        if (
            last is not None
            and last[0] == message
            and now - last[1] < screen.app.NOTIFICATION_TIMEOUT
        ):
            return
        self._last_hint = (message, now)
        screen.notify(message, markup=False)

    def _apply(self, command: Any) -> SessionState | None:
        return ttx(self._screen()).apply(command)

    async def _ask(self, dialog: Any) -> Any:
        from ttx.tui.dialogs.reuse import ask

        return await ask(self._screen().app, dialog)

    async def _reason(self, what: str) -> str | None:
        """An optional one-line reason for `what` (Enter skips: ""); None when Escape cancels."""
        from ttx.tui.dialogs.form import FormDialog, FormField

        values = await self._ask(
            FormDialog(
                f"Why? ({what})",
                [FormField("reason", "Reason (optional, one line; the report prints it)")],
                intro="Enter saves it, or skips with nothing typed · Esc cancels",
            )
        )
        return None if values is None else values["reason"]

    def _ask_now(self, dialog: Any, then: Callable[[Any], None]) -> None:
        """Open `dialog` at once (keys typed next go to it); `then` gets its answer."""
        from ttx.tui.dialogs.reuse import reuse

        app = self._screen().app
        app.push_screen(reuse(app, dialog), then)
