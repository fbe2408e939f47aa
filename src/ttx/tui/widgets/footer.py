"""A key-hint footer that rebuilds its keys only when the screen's keys changed."""

from __future__ import annotations

from typing import Any

from textual.screen import Screen
from textual.widgets import Footer


class QuietFooter(Footer):
    """Textual's Footer re-creates every key hint (a widget each) whenever the screen's
    bindings are refreshed, e.g. each time a dialog closes, even when nothing changed.
    This one does so only when the keys, their labels or their enabled state changed."""

    _shown: tuple[Any, ...] | None = None

    def bindings_changed(self, screen: Screen[Any]) -> None:
        """Recompose when the active bindings differ from the ones shown."""
        if screen.app.app_focus and self.is_attached and screen is self.screen:
            keys = tuple(
                (binding, enabled, tooltip)
                for (_, binding, enabled, tooltip) in screen.active_bindings.values()
            )
            if keys == self._shown and self._bindings_ready:
                return
            self._shown = keys
        super().bindings_changed(screen)
