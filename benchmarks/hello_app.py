"""The bare Textual app that start-up and latency are compared with."""

from typing import ClassVar

from textual.app import App, ComposeResult
from textual.binding import BindingType
from textual.widgets import Footer, Header, Static


class Hello(App[None]):
    """A header, a line of text and a footer; a key toggles a line so latency can be measured."""

    BINDINGS: ClassVar[list[BindingType]] = [("t", "toggle", "Toggle")]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("hello-ready", id="text")
        yield Footer()

    def action_toggle(self) -> None:
        text = self.query_one("#text", Static)
        text.update("hello-ready" if str(text.render()) != "hello-ready" else "toggled")


if __name__ == "__main__":
    Hello().run()
