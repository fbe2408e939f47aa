"""A bare Textual app shaped like the console, with a dialog pushed and popped the usual Textual way.

Three columns of text under a head line and above a footer, like `tabletop resume`; `d` pushes
a new ModalScreen (title, a list of two choices, a hint; opaque background, as ttx's
dialogs have) and Escape pops it. `benchmarks/keypress.py` times it next to the console's
`d` and Escape: what a screen push and pop costs in Textual itself.
"""

from typing import ClassVar

from textual.app import App, ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Footer, OptionList, Static

LINE = "The quick brown fox jumps over the lazy dog, then files a situation report. "


class Choice(ModalScreen[None]):
    """A title, two choices and a hint, centred on an opaque background."""

    DEFAULT_CSS = """
    Choice { align: center middle; background: $background; }
    #box { width: 90; height: auto; border: thick $primary; background: $surface; padding: 0 1; }
    #box OptionList { height: auto; max-height: 12; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [("escape", "dismiss", "Cancel")]

    def compose(self) -> ComposeResult:
        with Vertical(id="box"):
            yield Static("[b]Which team is answering?[/b]")
            yield OptionList("1  Team one — a question", "2  Team two — a question")
            yield Static("Number or ↑↓ and Enter to choose · Esc cancels")


class BareConsole(App[None]):
    """Head line, three scrolling columns of text, footer."""

    CSS = """
    #head { height: 1; background: $primary; }
    #left { width: 32; border-right: solid $primary-darken-2; padding: 0 1; }
    #centre { width: 1fr; padding: 0 1; }
    #right { width: 38; border-left: solid $primary-darken-2; padding: 0 1; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [("d", "dialog", "Dialog")]

    def compose(self) -> ComposeResult:
        yield Static("hello-ready · move 1 · 00:12 / 30:00", id="head")
        with Horizontal():
            for name, lines in (("left", 20), ("centre", 45), ("right", 30)):
                with VerticalScroll(id=name):
                    yield Static("\n".join(f"{i}. {LINE}" for i in range(lines)))
        yield Footer()

    def action_dialog(self) -> None:
        self.push_screen(Choice())


if __name__ == "__main__":
    BareConsole().run()
