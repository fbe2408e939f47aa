"""Text inputs that follow the app's cursor-blink setting (off in tests, for stable snapshots)."""

from __future__ import annotations

from textual.widgets import Input, TextArea


class Field(Input):
    """A one-line input (compact: no border); the cursor blinks unless the app turned blinking off."""

    DEFAULT_CSS = """
    Field.-textual-compact { background: $boost; margin-bottom: 1; }
    Field.-textual-compact:focus { background: $primary 30%; }
    """

    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("compact", True)
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]

    def on_mount(self) -> None:
        """Apply the app's blink setting."""
        self.cursor_blink = bool(getattr(self.app, "blink", True))


class LongField(TextArea):
    """A multi-line input (rationales, notes, evidence)."""

    def on_mount(self) -> None:
        """Apply the app's blink setting."""
        self.cursor_blink = bool(getattr(self.app, "blink", True))
