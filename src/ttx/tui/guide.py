"""A small app that shows the authoring guide in Textual's Markdown viewer, contents on the left."""

from __future__ import annotations

from typing import ClassVar

from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Footer, MarkdownViewer


class GuideApp(App[None]):
    """The authoring guide, read-only, with its table of contents."""

    TITLE = "ttx authoring guide"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q", "quit", "Quit", id="guide.quit", tooltip="Close the guide"),
        Binding(
            "t",
            "toggle_contents",
            "Contents",
            id="guide.contents",
            tooltip="Show or hide the table of contents",
        ),
    ]

    def __init__(self, markdown: str) -> None:
        super().__init__()
        self.markdown = markdown

    def compose(self) -> ComposeResult:
        yield MarkdownViewer(self.markdown, show_table_of_contents=True, open_links=False)
        yield Footer()

    def action_toggle_contents(self) -> None:
        """Show or hide the table of contents."""
        viewer = self.query_one(MarkdownViewer)
        viewer.show_table_of_contents = not viewer.show_table_of_contents
