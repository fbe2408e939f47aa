"""The help dialog: every key of the screen it was opened from, with what it does."""

from __future__ import annotations

from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from ttx.tui.text import join


def key_rows(screen: Screen[Any]) -> list[tuple[str, str]]:
    """(keys, description) for every described binding active on `screen`, keys merged per action."""
    rows: dict[str, list[str]] = {}
    descriptions: dict[str, str] = {}
    app = screen.app
    for key, active in screen.active_bindings.items():
        binding = active.binding
        if not binding.description or not binding.id or binding.id.startswith("pick."):
            continue
        name = f"{id(active.node)}:{binding.action}"
        rows.setdefault(name, []).append(app.get_key_display(binding.with_key(key)))
        descriptions[name] = binding.tooltip or binding.description
    return [(" / ".join(keys), descriptions[name]) for name, keys in rows.items()]


class HelpDialog(ModalScreen[None]):
    """Lists the keys; Escape, F1 or ? closes it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,f1,question_mark,q", "close", "Close", id="help.close"),
    ]

    def __init__(self, screen: Screen[Any]) -> None:
        super().__init__()
        self.rows = key_rows(screen)
        self.screen_title = getattr(screen, "HELP_TITLE", "") or type(screen).__name__

    def compose(self) -> ComposeResult:
        """A titled, scrollable list of keys."""
        with Vertical(id="help-box", classes="dialog"):
            yield Static(join(("Keys — ", "bold"), (self.screen_title, "bold")), classes="title")
            with VerticalScroll():
                width = max((len(k) for k, _ in self.rows), default=4) + 2
                for keys, description in self.rows:
                    yield Static(join((keys.ljust(width), "bold"), description))
            yield Static(
                "Every command is also in the command palette (ctrl+p).  Esc closes.",
                classes="hint",
                markup=False,
            )

    def action_close(self) -> None:
        """Close the help."""
        self.dismiss(None)
