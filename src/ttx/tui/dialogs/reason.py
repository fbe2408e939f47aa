"""The one-line "Why?" asked after an override, a track change, an adjudication, a ruling or a pause."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from ttx.tui.text import clean, join
from ttx.tui.widgets.fields import Field


class ReasonDialog(ModalScreen[str | None]):
    """Type a reason, or none: Enter saves ("" when empty); Escape cancels (None).

    Small on purpose (a title, a line, a hint): it opens with `space` for a pause, so it
    must draw as fast as the console's own keys. Shown again, it only changes its title.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="reason.cancel", tooltip="Cancel: record nothing"),
        Binding("ctrl+s", "save", "Save", id="reason.save", tooltip="Save"),
    ]

    def __init__(self, what: str) -> None:
        super().__init__()
        self.what = what

    def compose(self) -> ComposeResult:
        """The question, the line, the hint."""
        with Vertical(classes="dialog", id="reason-box"):
            yield Static(self._title(), classes="title", id="reason-title")
            yield Field(
                placeholder="Reason (optional, one line; the report prints it)",
                id="reason-text",
                max_length=500,
            )
            yield Static(
                "Enter saves it, or skips with nothing typed · Esc cancels",
                classes="hint",
                markup=False,
            )

    def _title(self) -> Content:
        return join((f"Why? ({self.what})", "bold"))

    def load(self, other: ReasonDialog) -> None:
        """Ask about `other`'s action, with an empty line."""
        self.what = other.what
        if not self.is_mounted:
            return
        self.query_one("#reason-title", Static).update(self._title())
        field = self.query_one("#reason-text", Input)
        field.value = ""
        field.focus()

    def on_mount(self) -> None:
        """Start typing at once."""
        self.query_one("#reason-text", Input).focus()

    @on(Input.Submitted, "#reason-text")
    def _submitted(self) -> None:
        self.action_save()

    def action_save(self) -> None:
        """Close with the reason ("" when none was typed)."""
        self.dismiss(clean(self.query_one("#reason-text", Input).value, 500).strip())

    def action_cancel(self) -> None:
        """Close without recording anything."""
        self.dismiss(None)
