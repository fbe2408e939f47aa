"""The friendly message shown while the terminal is smaller than the console needs."""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Static

from ttx.tui.text import join


class TooSmallScreen(Screen[None]):
    """Covers everything until the terminal is large enough again; nothing is lost meanwhile."""

    def compose(self) -> ComposeResult:
        """One centred message."""
        yield Static(id="too-small-message")

    def on_mount(self) -> None:
        """Say what size is needed."""
        self._describe()

    def on_resize(self, event: events.Resize) -> None:
        """Update the message, and leave once the terminal is big enough."""
        self._describe(event.size.width, event.size.height)

    def on_screen_resume(self) -> None:
        """Leave at once if the terminal grew while another screen was on top."""
        self._describe()

    def _describe(self, width: int | None = None, height: int | None = None) -> None:
        from ttx.tui.app import MIN_HEIGHT, MIN_WIDTH

        if width is None or height is None:
            width, height = self.app.size
        if width >= MIN_WIDTH and height >= MIN_HEIGHT:
            if self.app.screen is self:
                self.app.pop_screen()
            return
        self.query_one("#too-small-message", Static).update(
            join(
                ("Make the window a little bigger", "bold"),
                f"\n\nttx needs at least {MIN_WIDTH}×{MIN_HEIGHT}; this is {width}×{height}.",
                "\nEverything is saved; the session continues when the window grows.",
            )
        )
