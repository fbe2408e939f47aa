"""The console's key hints: one line, redrawn only when the screen's keys change.

Textual's `Footer` rebuilds a widget per key whenever the screen's bindings are refreshed
(each time a dialog closes, for one), even when nothing changed; on the console that cost
a full layout after every key. This bar is a single `Static` built from public API only:
`Screen.active_bindings`, `Screen.bindings_updated_signal` and `App.get_key_display`. A key
is clickable (it presses the key, `app.simulate_key`).
"""

from __future__ import annotations

from typing import Any

from textual.content import Content
from textual.screen import Screen
from textual.style import Style
from textual.widgets import Static


class KeyBar(Static):
    """Key hints for the screen it is on: `n Inject  m Move …`; disabled keys dimmed."""

    DEFAULT_CSS = """
    KeyBar {
        dock: bottom; height: 1; background: $footer-background; color: $footer-foreground;
        link-style: none; link-background-hover: $footer-key-background; link-style-hover: bold;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("", id=id, markup=False)
        self._shown: tuple[tuple[str, str, str, bool], ...] | None = None

    def on_mount(self) -> None:
        """Draw, and be told whenever the screen's keys change."""
        self.screen.bindings_updated_signal.subscribe(self, self._keys_changed)
        self._keys_changed(self.screen)

    def on_unmount(self) -> None:
        """Stop listening."""
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _keys_changed(self, screen: Screen[Any]) -> None:
        if screen is not self.screen:
            return
        keys = tuple(
            (
                name,
                self.app.get_key_display(active.binding),
                active.binding.description,
                active.enabled,
            )
            for name, active in screen.active_bindings.items()
            if active.binding.show
        )
        if keys == self._shown:
            return
        self._shown = keys
        parts: list[Content] = []
        for name, key, description, enabled in keys:
            press = Style.from_meta({"@click": f"app.simulate_key({name!r})"})
            parts.append(
                Content.assemble(
                    (f" {key} ", "bold $footer-key-foreground" if enabled else "dim"),
                    (description, "" if enabled else "dim"),
                ).stylize(press)
            )
        self.update(Content("").join(parts))
