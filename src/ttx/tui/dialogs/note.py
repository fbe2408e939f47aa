"""The note dialog: a note or observation, tagged to the current inject and optionally a team or objective."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, RadioButton, RadioSet, Select, Static

from ttx.tui.text import join, keep, one_line, safe
from ttx.tui.widgets.fields import LongField
from ttx.tui.widgets.panel import show_optional

CATEGORIES = (("note", "Note"), ("strength", "Strength"), ("improvement", "Area for improvement"))


@dataclass(frozen=True)
class NoteInput:
    """A note as typed: text, category, optional team and objective."""

    text: str
    category: str
    team_id: str | None
    objective_id: str | None


class NoteDialog(ModalScreen[NoteInput | None]):
    """Type the note; Tab to mark it a strength or area for improvement and tag a team or objective."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="note.cancel", tooltip="Close without saving"),
        Binding("ctrl+s", "save", "Save note", id="note.save", tooltip="Save the note"),
    ]

    def __init__(
        self, teams: list[tuple[str, str]], objectives: list[tuple[str, str]], tagged_to: str = ""
    ) -> None:
        super().__init__()
        self.teams = teams
        self.objectives = objectives
        self.tagged_to = tagged_to

    def compose(self) -> ComposeResult:
        """Text, category, team, objective."""
        with Vertical(classes="dialog", id="note-box"):
            yield Static(join(("Note or observation", "bold")), classes="title")
            tagged = Static(self._tagged(), classes="hint", id="note-tagged")
            tagged.display = bool(self.tagged_to)
            yield tagged
            with VerticalScroll(id="note-fields"):
                yield LongField(placeholder="What you saw or heard", id="note-text")
                with RadioSet(id="note-category"):
                    for index, (_value, label) in enumerate(CATEGORIES):
                        yield RadioButton(label, value=index == 0)
                with Horizontal(classes="note-tags"):
                    yield Select(self._team_options(), prompt="Team (optional)", id="note-team")
                    yield Select(
                        self._objective_options(),
                        prompt="Objective (optional)",
                        id="note-objective",
                    )
            yield Static(id="note-error", classes="error")
            with Horizontal(classes="buttons"):
                yield Button("Cancel", id="note-cancel")
                yield Button("Save (ctrl+s)", id="note-save", variant="primary")
            yield Static(
                "ctrl+s saves · Enter: new line · Tab: category, team, objective · Esc cancels",
                classes="hint",
                markup=False,
            )

    def _tagged(self) -> Content:
        return join("Tagged to: ", safe(self.tagged_to, 120)) if self.tagged_to else Content()

    def _team_options(self) -> list[tuple[Content, str]]:
        return [(one_line(name, 40), tid) for tid, name in self.teams]

    def _objective_options(self) -> list[tuple[Content, str]]:
        return [
            (one_line(f"{number}. {text}", 50), oid)
            for number, (oid, text) in enumerate(self.objectives, 1)
        ]

    def load(self, other: NoteDialog) -> None:
        """Take `other`'s teams, objectives and tag; start empty, as a new note."""
        old_teams, old_objectives = self.teams, self.objectives
        self.teams, self.objectives, self.tagged_to = other.teams, other.objectives, other.tagged_to
        if not self.is_mounted:
            return
        show_optional(self.query_one("#note-tagged", Static), self._tagged())
        text = self.query_one("#note-text", LongField)
        text.value = ""
        self.query_one("#note-category", RadioSet).query(RadioButton).first().value = True
        team = self.query_one("#note-team", Select)
        if self.teams != old_teams:
            team.set_options(self._team_options())
        team.clear()
        objective = self.query_one("#note-objective", Select)
        if self.objectives != old_objectives:
            objective.set_options(self._objective_options())
        objective.clear()
        self.query_one("#note-error", Static).update("")
        text.focus()

    def on_mount(self) -> None:
        """Start typing at once (unless closed already: a quick Escape)."""
        for field in self.query("#note-text"):
            field.focus()

    @on(Button.Pressed, "#note-save")
    def _save_pressed(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#note-cancel")
    def _cancel_pressed(self) -> None:
        self.action_cancel()

    def action_save(self) -> None:
        """Save the note (it needs some text)."""
        text = keep(self.query_one("#note-text", LongField).value).strip()
        if not text:
            self.query_one("#note-error", Static).update("⚠ Type the note first.")
            return
        index = self.query_one("#note-category", RadioSet).pressed_index
        category = CATEGORIES[max(index, 0)][0]
        team = self.query_one("#note-team", Select).value
        objective = self.query_one("#note-objective", Select).value
        self.dismiss(
            NoteInput(
                text=text,
                category=category,
                team_id=team if isinstance(team, str) else None,
                objective_id=objective if isinstance(objective, str) else None,
            )
        )

    def action_cancel(self) -> None:
        """Close without saving."""
        self.dismiss(None)
