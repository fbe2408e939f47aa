"""Small dialogs: confirm yes/no, and choose one of a numbered list (number keys pick)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from ttx.tui.text import join
from ttx.tui.widgets.panel import Panel, show_optional

NUMBER_KEYS: list[BindingType] = [
    Binding(str(n), f"pick({n})", f"Pick {n}", id=f"pick.{n}", show=False) for n in range(1, 10)
]


class ConfirmDialog(ModalScreen[bool]):
    """Ask a yes/no question: y or Enter confirms, n or Escape cancels."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y,enter", "answer(True)", "Yes", id="confirm.yes"),
        Binding("n,escape", "answer(False)", "No", id="confirm.no"),
    ]

    def __init__(
        self, title: str, body: Content | str = "", yes: str = "Yes", no: str = "No"
    ) -> None:
        super().__init__()
        self.title_text = title
        self.body = body if isinstance(body, Content) else Content(body)
        self.yes = yes
        self.no = no

    def compose(self) -> ComposeResult:
        """The question and the keys."""
        with Vertical(classes="dialog", id="confirm-box"):
            yield Panel(self._title(), classes="title", id="confirm-title")
            body = Panel(self.body, id="confirm-body")
            body.display = bool(self.body)
            yield body
            yield Panel(self._keys(), classes="hint", id="confirm-keys")

    def _title(self) -> Content:
        return join((self.title_text, "bold"))

    def _keys(self) -> Content:
        return join(("y", "bold"), f" / Enter: {self.yes}    ", ("n", "bold"), f" / Esc: {self.no}")

    def load(self, other: ConfirmDialog) -> None:
        """Ask `other`'s question (this dialog is shown again instead of a new one)."""
        self.title_text, self.body, self.yes, self.no = (
            other.title_text,
            other.body,
            other.yes,
            other.no,
        )
        if not self.is_mounted:
            return
        self.query_one("#confirm-title", Panel).update(self._title())
        show_optional(self.query_one("#confirm-body", Panel), self.body)
        self.query_one("#confirm-keys", Panel).update(self._keys())

    def action_answer(self, value: bool) -> None:
        """Close with the answer."""
        self.dismiss(value)


class ChoiceDialog(ModalScreen[str | None]):
    """Choose one item of a numbered list: 1-9, or arrows and Enter; Escape cancels."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="choice.cancel"),
        *NUMBER_KEYS,
    ]

    def __init__(
        self,
        title: str,
        choices: list[tuple[str, Content]],
        intro: Content | str = "",
        highlight: str | None = None,
        numbers: Sequence[int] | None = None,
    ) -> None:
        super().__init__()
        self.title_text = title
        self.choices = choices
        self.intro = intro if isinstance(intro, Content) else Content(intro)
        self.highlight = highlight
        # The key of each choice: its place in the list, unless told (a team's place in the exercise).
        self.numbers = list(numbers) if numbers is not None else list(range(1, len(choices) + 1))

    def compose(self) -> ComposeResult:
        """The title, an optional explanation, and the numbered list."""
        with Vertical(classes="dialog", id="choice-box"):
            yield Panel(join((self.title_text, "bold")), classes="title", id="choice-title")
            intro = Panel(self.intro, id="choice-intro")
            intro.display = bool(self.intro)
            yield intro
            yield OptionList(*self._options(), id="choice-list")
            yield Static(
                "Number or ↑↓ and Enter to choose · Esc cancels", classes="hint", markup=False
            )

    def _options(self) -> list[Option]:
        return [
            Option(join((f"{n}  " if n <= 9 else "   ", "bold"), label), id=value)
            for n, (value, label) in zip(self.numbers, self.choices, strict=True)
        ]

    def on_mount(self) -> None:
        """Focus the list on the suggested item (unless closed already: a quick Escape)."""
        self._focus_list()

    def _focus_list(self) -> None:
        options = self.query(OptionList).first() if self.query(OptionList) else None
        if options is None:
            return
        options.focus()
        ids = [value for value, _ in self.choices]
        if self.highlight in ids:
            options.highlighted = ids.index(self.highlight)

    def load(self, other: ChoiceDialog) -> None:
        """Ask `other`'s question (this dialog is shown again instead of a new one)."""
        self.title_text, self.choices = other.title_text, other.choices
        self.intro, self.highlight, self.numbers = other.intro, other.highlight, other.numbers
        if not self.is_mounted:
            return
        self.query_one("#choice-title", Panel).update(join((self.title_text, "bold")))
        show_optional(self.query_one("#choice-intro", Panel), self.intro)
        options = self.query_one("#choice-list", OptionList)
        new = self._options()
        if not same_options(options.options, new):
            options.set_options(new)
        options.scroll_y = 0
        options.action_first()  # as a new list starts
        self._focus_list()

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_pick(self, number: int) -> None:
        """Choose the item numbered `number` (its place in the list unless numbered otherwise)."""
        if number in self.numbers:
            self.dismiss(self.choices[self.numbers.index(number)][0])

    def action_cancel(self) -> None:
        """Close without choosing."""
        self.dismiss(None)


def same_options(shown: Sequence[Option], new: Sequence[Option]) -> bool:
    """True when two option lists would look the same (same ids, same styled text)."""
    return len(shown) == len(new) and all(
        a.id == b.id
        and isinstance(a.prompt, Content)
        and isinstance(b.prompt, Content)
        and a.prompt.is_same(b.prompt)
        for a, b in zip(shown, new, strict=True)
    )
