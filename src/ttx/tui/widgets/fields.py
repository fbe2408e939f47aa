"""Text inputs that follow the app's cursor-blink setting (off in tests, for stable snapshots)."""

from __future__ import annotations

import unicodedata

from textual import events
from textual.widgets import Input, TextArea

from ttx.session.actions import MAX_TEXT


class Field(Input):
    """A one-line input (compact: no border); the cursor blinks unless the app turned blinking off."""

    DEFAULT_CSS = """
    Field.-textual-compact { background: $boost; margin-bottom: 1; }
    Field.-textual-compact:focus { background: $primary 30%; }
    """

    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("compact", True)
        # Typing into a default (a team's name) edits it; it never wipes it.
        kwargs.setdefault("select_on_focus", False)
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]

    def on_mount(self) -> None:
        """Apply the app's blink setting."""
        self.cursor_blink = bool(getattr(self.app, "blink", True))


def _joiner(event: events.Key) -> str | None:
    """The invisible character that holds a grapheme together (zero-width joiner...), if typed.

    A terminal sends the family emoji as seven keys; the joiners between the people
    are not "printable", and an editor that drops them stores four separate people.
    The key's name stands in when the event carries no character.
    """
    character = event.character
    if character is None and "_" in event.key and "+" not in event.key:
        try:
            character = unicodedata.lookup(event.key.replace("_", " "))
        except KeyError:
            return None
    if (
        character is not None
        and len(character) == 1
        and unicodedata.category(character) == "Cf"
        and not character.isprintable()
    ):
        return character
    return None


class LongField(TextArea):
    """A multi-line input: Enter is a newline (ctrl+s saves, in the dialog), up to `limit` characters.

    A paste that would go past the limit is refused whole, with a message (never cut);
    typing stops at the limit with the same message; the count shows as the limit nears.
    """

    DEFAULT_CSS = """
    LongField { height: auto; min-height: 3; max-height: 8; margin-bottom: 1; }
    """

    def __init__(
        self,
        text: str = "",
        *,
        placeholder: str = "",
        limit: int = MAX_TEXT,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(
            text,
            soft_wrap=True,
            show_line_numbers=False,
            id=id,
            classes=classes,
            tab_behavior="focus",
        )
        self.placeholder = placeholder
        self.limit = limit
        self.problem = ""
        """The last refusal ("Paste refused: ..."), shown under the field; "" when none."""
        self._show_count()

    @property
    def value(self) -> str:
        """The text (named as an Input's)."""
        return self.text

    @value.setter
    def value(self, text: str) -> None:
        self.load_text(text)
        self.move_cursor(self.document.end)
        self.problem = ""
        self._show_count()

    def on_mount(self) -> None:
        """Apply the app's blink setting."""
        self.cursor_blink = bool(getattr(self.app, "blink", True))

    def _room(self) -> int:
        """Characters that can still be added (what is selected would be replaced)."""
        start, end = sorted(self.selection)
        selected = len(self.get_text_range(start, end)) if start != end else 0
        return self.limit - len(self.text) + selected

    def _refuse(self, message: str) -> None:
        self.problem = message
        self._show_count()
        self.app.bell()
        self.notify(message, severity="warning", markup=False, timeout=8)

    def on_paste(self, event: events.Paste) -> None:
        """Refuse a paste that would go past the limit (TextArea's own handler never sees it)."""
        if len(event.text) > self._room():
            event.prevent_default()
            event.stop()
            self._refuse(
                f"Paste refused: {len(event.text):,} characters; this field holds "
                f"{self.limit:,} ({len(self.text):,} used). Nothing was cut."
            )

    def on_key(self, event: events.Key) -> None:
        """Stop typing at the limit (with the message); keep joiners; Enter in an empty field does nothing."""
        if self.read_only:
            return
        joiner = None if event.is_printable else _joiner(event)
        if not (event.is_printable or event.key == "enter" or joiner):
            return
        if event.key == "enter" and not self.text:
            event.prevent_default()
            event.stop()
            return
        if self._room() < 1:
            event.prevent_default()
            event.stop()
            self._refuse(f"This field is full: {self.limit:,} characters. Nothing more was added.")
            return
        if joiner:
            event.prevent_default()
            event.stop()
            self.replace(joiner, *self.selection)

    def on_text_area_changed(self) -> None:
        """Update the count."""
        if self.problem and self._room() > 0:
            self.problem = ""
        self._show_count()

    def _show_count(self) -> None:
        used = len(self.text)
        if self.problem:
            self.border_subtitle = self.problem
        elif used >= self.limit * 0.8:
            self.border_subtitle = f"{used:,} / {self.limit:,} characters"
        else:
            self.border_subtitle = ""
