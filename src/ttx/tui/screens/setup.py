"""The setup screen: confirm or rename the teams, optionally list members, then start the session."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Footer, Input, Static

from ttx.model import Exercise, load_exercise
from ttx.tui.base import ttx
from ttx.tui.errors import guarded
from ttx.tui.text import clean, join, one_line, safe
from ttx.tui.widgets.fields import Field


def parse_members(text: str) -> list[str]:
    """Member names from "Ana, Ben; Chloé" (commas or semicolons), blanks dropped."""
    parts = text.replace(";", ",").split(",")
    return [clean(p, 80).strip() for p in parts if p.strip()]


class SetupScreen(Screen[None]):
    """Name the teams for this run and start; nothing is recorded until Start."""

    HELP_TITLE = "Setup"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "ctrl+s",
            "start",
            "Start session",
            id="setup.start",
            tooltip="Create the session and open the console",
        ),
        Binding("escape", "back", "Back", id="setup.back", tooltip="Back to the home screen"),
    ]

    def __init__(self, path: Path, exercise: Exercise | None = None) -> None:
        super().__init__()
        self.path = path
        self.exercise = exercise or load_exercise(path)

    def compose(self) -> ComposeResult:
        """The exercise, one row per team, and the start button."""
        ex = self.exercise
        yield Static(
            join(
                ("Set up: ", "bold"),
                (one_line(ex.title, 90).plain, "bold"),
                f"  ·  {ex.duration_minutes} min  ·  {len(ex.moves)} moves",
            ),
            id="setup-title",
        )
        with VerticalScroll(id="setup-body"):
            yield Static(safe(ex.summary.strip(), 800), classes="hint")
            with Vertical(classes="team-row"):
                yield Static(
                    "This session (optional, printed in the after-action report)",
                    classes="team-label",
                    markup=False,
                )
                with Horizontal(classes="team-fields"):
                    yield Field(
                        placeholder="Facilitator's name", id="setup-facilitator", max_length=120
                    )
                    yield Field(
                        placeholder="Location, e.g. Room 204, School of Public Policy",
                        id="setup-location",
                        max_length=200,
                    )
            yield Static(
                "Teams — rename them for this class if you like; members are optional (comma-separated).",
                classes="section",
                markup=False,
            )
            for number, team in enumerate(ex.teams, 1):
                played = (
                    "played by the facilitator"
                    if team.played_by == "facilitator"
                    else "played by students"
                )
                with Vertical(classes="team-row"):
                    yield Static(
                        join(
                            (f"Team {number}: ", "bold"), one_line(team.name, 60), f"  ({played})"
                        ),
                        classes="team-label",
                    )
                    with Horizontal(classes="team-fields"):
                        yield Field(
                            value=clean(team.name, 120),
                            placeholder="Team name",
                            id=f"name-{team.id}",
                            max_length=120,
                        )
                        yield Field(
                            placeholder="Members, e.g. Ana, Ben, Chloé",
                            id=f"members-{team.id}",
                            max_length=600,
                        )
            yield Static(id="setup-error", classes="error")
            with Horizontal(classes="buttons"):
                yield Button("Back", id="setup-back")
                yield Button("Start session (ctrl+s)", id="setup-start", variant="primary")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        """Put the cursor in the first team's name (the session's fields above are optional)."""
        self.query_one(f"#name-{self.exercise.teams[0].id}", Input).focus()

    def team_setups(self) -> list[object]:
        """The TeamSetup of each team from the fields; raises ValueError naming what to fix."""
        from ttx.session.events import TeamSetup

        setups: list[object] = []
        seen: dict[str, str] = {}
        for team in self.exercise.teams:
            name = clean(self.query_one(f"#name-{team.id}", Input).value, 120).strip()
            if not name:
                raise ValueError(f"team {team.id!r} needs a name")
            if name.casefold() in seen:
                raise ValueError(f"two teams are called {name!r}; give each a different name")
            seen[name.casefold()] = team.id
            members = parse_members(self.query_one(f"#members-{team.id}", Input).value)
            setups.append(TeamSetup(id=team.id, name=name, members=members))
        return setups

    @on(Button.Pressed, "#setup-start")
    def _start_pressed(self) -> None:
        self.action_start()

    @on(Button.Pressed, "#setup-back")
    def _back_pressed(self) -> None:
        self.action_back()

    @on(Input.Submitted)
    def _next_field(self) -> None:
        self.focus_next()

    @guarded
    def action_start(self) -> None:
        """Create the session and open the console."""
        error = self.query_one("#setup-error", Static)
        try:
            teams = self.team_setups()
        except ValueError as problem:
            error.update(safe(f"⚠ {problem}"))
            return
        error.update("")
        app = ttx(self)
        session = app.journal.create_session(
            self.exercise,
            teams,  # type: ignore[arg-type]
            clock=app.clock,
            facilitator=self._optional("#setup-facilitator", 120),
            location=self._optional("#setup-location", 200),
        )
        self.dismiss()
        app.enter_session(session)

    def _optional(self, selector: str, limit: int) -> str | None:
        """An optional field's text, cleaned, or None when left empty."""
        return clean(self.query_one(selector, Input).value, limit).strip() or None

    def action_back(self) -> None:
        """Back to the home screen (nothing was recorded)."""
        self.dismiss()
