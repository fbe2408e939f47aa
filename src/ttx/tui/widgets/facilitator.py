"""The facilitator-only panel: notes, expected points and consequences, hidden with one key."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Markdown

from ttx.tui.text import join
from ttx.tui.widgets.panel import Panel

TITLE = "Facilitator only (h hides)"
HIDDEN = "Notes hidden (h shows them)"


class FacilitatorPanel(Vertical):
    """Shows what only the facilitator may see; `set_hidden` swaps it for a one-line placeholder.

    Hiding keeps the panel's size (the placeholder line on top, blank below), so nothing
    else on the screen moves: only this panel is repainted, not the whole console.
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.notes_hidden = False
        self._notes: str | None = None

    def compose(self) -> ComposeResult:
        """Title line, the notes (Markdown), the consequences of this move's options."""
        yield Panel(join((TITLE, "bold $warning")), classes="fac-title")
        yield Markdown(id="fac-notes")
        yield Panel(id="fac-consequences")

    def show(self, notes: str, consequences: Content) -> None:
        """Show `notes` (Markdown) and `consequences`; unchanged notes are not re-parsed."""
        if notes != self._notes:
            self._notes = notes
            self.query_one("#fac-notes", Markdown).update(notes)
            if self.notes_hidden:  # the size kept for the old notes means nothing now
                self.styles.height = "auto"
        self.query_one("#fac-consequences", Panel).update(consequences)

    def set_hidden(self, hidden: bool) -> None:
        """Hide (placeholder, same size) or show the notes again."""
        if hidden == self.notes_hidden:
            return
        self.notes_hidden = hidden
        with self.app.batch_update():
            if hidden:
                height = self.outer_size.height
                self.styles.height = height if height else "auto"
            else:
                self.styles.clear_rule("height")
            self.query_one(".fac-title", Panel).update(
                join((HIDDEN if hidden else TITLE, "bold $warning"))
            )
            self.query_one("#fac-notes").display = not hidden
            self.query_one("#fac-consequences").display = not hidden
