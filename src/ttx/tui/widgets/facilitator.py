"""The facilitator-only panel: notes, expected points and consequences, hidden with one key."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content

from ttx.tui.text import join
from ttx.tui.widgets.notes import HideablePanel, MarkdownText
from ttx.tui.widgets.panel import Panel

TITLE = "Facilitator only (h: present)"
HIDDEN = "Notes hidden (h shows them)"


class FacilitatorPanel(Vertical):
    """Shows what only the facilitator may see; `set_hidden` leaves a one-line placeholder.

    Hiding keeps every line where it is (the title line says how to bring the notes
    back, the rest is blank), so nothing else on the screen moves: the key repaints
    this panel and never re-lays out the console.
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.notes_hidden = False

    def compose(self) -> ComposeResult:
        """Title line, the notes (Markdown), the consequences of this move's options."""
        yield Panel(join((TITLE, "bold $warning")), classes="fac-title")
        yield MarkdownText(id="fac-notes")
        yield HideablePanel(id="fac-consequences")

    def show(self, notes: str, consequences: Content) -> None:
        """Show `notes` (Markdown) and `consequences` (hidden ones stay hidden)."""
        self.query_one(MarkdownText).update(notes)
        self.query_one(HideablePanel).update(consequences)

    def set_hidden(self, hidden: bool) -> None:
        """Hide (placeholder line, same size) or show the notes again."""
        if hidden == self.notes_hidden:
            return
        self.notes_hidden = hidden
        self.query_one(".fac-title", Panel).update(
            join((HIDDEN if hidden else TITLE, "bold $warning"))
        )
        self.query_one(MarkdownText).set_hidden(hidden)
        self.query_one(HideablePanel).set_hidden(hidden)
