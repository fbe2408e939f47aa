"""A small form dialog: labelled one-line fields, returned as a dict (None when cancelled)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static

from ttx.tui.text import clean, join, keep, safe
from ttx.tui.widgets.fields import Field, LongField
from ttx.tui.widgets.panel import show_optional


@dataclass(frozen=True)
class FormField:
    """One field: its key, label, placeholder, starting value and whether it must be filled."""

    key: str
    label: str
    placeholder: str = ""
    value: str = ""
    required: bool = False
    multiline: bool = False
    """A text of several lines (Enter: new line) rather than one line (Enter: next field)."""
    check: Callable[[str], str | None] | None = None
    """Why a value cannot be saved (shown, the form stays open), or None when it can."""


class FormDialog(ModalScreen[dict[str, str] | None]):
    """Fill the fields; Enter moves on from a one-line field (on the last, saves); ctrl+s saves; Escape cancels."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="form.cancel", tooltip="Close without saving"),
        Binding("ctrl+s", "save", "Save", id="form.save", tooltip="Save"),
        Binding(
            "enter",
            "enter",
            "Next / save",
            id="form.enter",
            show=False,
            priority=True,
            tooltip="Next field; on the last, save",
        ),
    ]

    def __init__(self, title: str, fields: list[FormField], intro: Content | str = "") -> None:
        super().__init__()
        self.title_text = title
        self.fields = fields
        self.intro = intro if isinstance(intro, Content) else Content(intro)

    def compose(self) -> ComposeResult:
        """Title, intro, one labelled input per field, buttons."""
        with Vertical(classes="dialog", id="form-box"):
            yield Static(join((self.title_text, "bold")), classes="title", id="form-title")
            intro = Static(self.intro, id="form-intro")
            intro.display = bool(self.intro)
            yield intro
            with VerticalScroll(id="form-fields"):
                for spec in self.fields:
                    yield Static(
                        _label(spec), classes="label", id=f"form-label-{spec.key}", markup=False
                    )
                    if spec.multiline:
                        yield LongField(
                            spec.value, placeholder=spec.placeholder, id=f"form-{spec.key}"
                        )
                    else:
                        yield Field(
                            value=spec.value,
                            placeholder=spec.placeholder,
                            id=f"form-{spec.key}",
                            max_length=500,
                        )
            yield Static(id="form-error", classes="error")
            with Horizontal(classes="buttons"):
                yield Button("Cancel", id="form-cancel")
                yield Button("Save (ctrl+s)", id="form-save", variant="primary")

    def fits(self, other: FormDialog) -> bool:
        """True when `other` asks for the same fields (one input per key)."""
        return [(s.key, s.multiline) for s in self.fields] == [
            (s.key, s.multiline) for s in other.fields
        ]

    def load(self, other: FormDialog) -> None:
        """Ask `other`'s question: its title, intro, labels and starting values; no old message."""
        self.title_text, self.fields, self.intro = other.title_text, other.fields, other.intro
        if not self.is_mounted:
            return
        self.query_one("#form-title", Static).update(join((self.title_text, "bold")))
        show_optional(self.query_one("#form-intro", Static), self.intro)
        for spec in self.fields:
            self.query_one(f"#form-label-{spec.key}", Static).update(_label(spec))
            field = self.query_one(f"#form-{spec.key}")
            if isinstance(field, LongField):
                field.placeholder = spec.placeholder
                field.value = spec.value
            elif isinstance(field, Input):
                field.placeholder = spec.placeholder
                field.value = spec.value
                field.cursor_position = len(spec.value)
        self.query_one("#form-error", Static).update("")
        self._focus_first()

    def on_mount(self) -> None:
        """Start in the first field (unless closed already: a quick Escape)."""
        self._focus_first()

    def _fields(self) -> list[Input | LongField]:
        return [f for f in self.query("Input, LongField") if isinstance(f, Input | LongField)]

    def _focus_first(self) -> None:
        fields = self._fields()
        if fields:
            fields[0].focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Enter in a text of several lines is that text's (a new line), not the form's."""
        return not (action == "enter" and isinstance(self.focused, LongField))

    def action_enter(self) -> None:
        """Enter, handled at once so fast typing never lands in the wrong field."""
        focused = self.focused
        if isinstance(focused, Button):
            focused.press()
            return
        inputs = self._fields()
        if not isinstance(focused, Input) or focused is inputs[-1]:
            self.action_save()
        else:
            self.set_focus(inputs[inputs.index(focused) + 1])

    @on(Button.Pressed, "#form-save")
    def _save_pressed(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#form-cancel")
    def _cancel_pressed(self) -> None:
        self.action_cancel()

    def action_save(self) -> None:
        """Check the required fields and close with the values."""
        values = {}
        for spec in self.fields:
            field = self.query_one(f"#form-{spec.key}")
            text = field.value if isinstance(field, Input | LongField) else ""
            values[spec.key] = (keep(text) if spec.multiline else clean(text, 500)).strip()
        missing = [s.label for s in self.fields if s.required and not values[s.key]]
        if missing:
            self.query_one("#form-error", Static).update(safe(f"⚠ Fill in: {', '.join(missing)}"))
            return
        for spec in self.fields:
            problem = spec.check(values[spec.key]) if spec.check is not None else None
            if problem is not None:
                self.query_one("#form-error", Static).update(safe(f"⚠ {spec.label}: {problem}"))
                self.query_one(f"#form-{spec.key}").focus()
                return
        self.dismiss(values)

    def action_cancel(self) -> None:
        """Close without saving."""
        self.dismiss(None)


def _label(spec: FormField) -> str:
    return spec.label + (" (required)" if spec.required else "")
