"""Typed models of the exercise format (formats 1 and 2): the whole exercise and its parts.

The models are split by what they hold: `fields` (versions, id and text types, the
`since(N)` mark), `conditions`, `decision_point`, `moves`, and here the exercise
with its teams, objectives, sources, debrief and evaluation. Every model is
importable from this module. Every text field is Markdown; field names are what
instructors type, so they are short and plain (`docs/authoring.md` documents each).
Facilitator-only fields are listed in `ttx.model.views.FACILITATOR_ONLY` and never
reach participant views.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

from pydantic import (
    Field,
    PrivateAttr,
    StringConstraints,
    model_validator,
)

from ttx.model.conditions import Condition
from ttx.model.decision_point import Decision, Option, Pool, Resolve
from ttx.model.fields import (
    END,
    FORMAT_VERSION,
    FORMATS,
    SINCE,
    ExerciseId,
    Id,
    LanguageTag,
    Markdown,
    Node,
    field_since,
    since,
)
from ttx.model.moves import BranchRule, Inject, Move, Question
from ttx.model.stages import default_next, move_numbers

__all__ = [
    "END",
    "FORMATS",
    "FORMAT_VERSION",
    "SINCE",
    "BranchRule",
    "Condition",
    "Decision",
    "Exercise",
    "Inject",
    "Move",
    "Option",
    "Pool",
    "Question",
    "Resolve",
    "field_since",
    "since",
]

HSEEP_SCALE: tuple[str, ...] = (
    "Performed without challenges",
    "Performed with some challenges",
    "Performed with major challenges",
    "Unable to be performed",
)
DEFAULT_GROUND_RULES: tuple[str, ...] = (
    "This is a no-fault, open environment: ideas, not people, are being examined.",
    "The scenario is fictional and plausible, not a prediction of what will happen.",
    "Non-attribution: what is said in the room is not quoted outside it by name.",
    "Decide with the information you have; the facilitator may reveal more as you go.",
)


class Objective(Node):
    """A learning objective, observable and rated in the after-action report."""

    id: Id
    text: Markdown
    capability: str | None = Field(
        default=None,
        max_length=120,
        description="The capability it exercises, e.g. an HSEEP core capability.",
        json_schema_extra=since(2),
    )


class Source(Node):
    """A source the exercise draws on, cited in handouts and reports."""

    id: Id
    title: str
    author: str | None = None
    publisher: str | None = None
    date: str | None = Field(default=None, description="Publication date, e.g. 2025-01-14.")
    url: str | None = None
    note: Markdown | None = Field(
        default=None, description="How the exercise uses it, e.g. 'contested view, for critique'."
    )


class StateTrack(Node):
    """A number that decisions move (e.g. partner trust 0-5); for teaching, not prediction."""

    id: Id
    label: str
    min: int = 0
    max: int = 5
    start: int = 0
    description: Markdown | None = None

    @model_validator(mode="after")
    def _bounds(self) -> StateTrack:
        if self.min > self.max:
            raise ValueError(f"min ({self.min}) is greater than max ({self.max}); swap them")
        if not self.min <= self.start <= self.max:
            raise ValueError(
                f"start ({self.start}) is outside {self.min}..{self.max}; choose a start inside the range"
            )
        return self


class RoleCard(Node):
    """One seat at a team's table: a title and a brief for the student who takes it."""

    title: str
    brief: Markdown


class Team(Node):
    """A team: its public name, who plays it, and the private material in its packet."""

    id: Id
    name: str
    short: str | None = Field(default=None, description="A short label for tight columns.")
    played_by: Literal["students", "facilitator"] = "students"
    briefing: Markdown = ""
    objectives: list[Markdown] = Field(default_factory=list, description="Private objectives.")
    constraints: list[Markdown] = Field(default_factory=list)
    private_info: list[Markdown] = Field(
        default_factory=list, description="Information only this team has."
    )
    roles: list[RoleCard] = Field(default_factory=list, description="Role cards, one per seat.")

    @property
    def label(self) -> str:
        """Its label for tight columns and phrases: `short`, else its name."""
        return self.short or self.name


class HotWash(Node):
    """The facilitated discussion right after the exercise."""

    minutes: int = Field(default=20, gt=0)
    questions: list[Question] = Field(default_factory=list)
    facilitator_notes: Markdown | None = Field(
        default=None,
        description="Facilitator only: how to run the debrief (printed in the facilitator guide).",
        json_schema_extra=since(2),
    )


class Criterion(Node):
    """An evaluation criterion, rated against an objective."""

    id: Id
    objective: Id
    text: Markdown


class Evaluation(Node):
    """The rating scale and the criteria the facilitator rates."""

    scale: list[str] = Field(default_factory=lambda: list(HSEEP_SCALE))
    criteria: list[Criterion] = Field(default_factory=list)


class Feedback(Node):
    """The participant feedback form's 1-5 rating statements."""

    ratings: list[str] = Field(
        default_factory=lambda: [
            "The exercise was well organised and the material clear.",
            "The scenario was realistic enough to learn from.",
            "My team had real choices with real trade-offs.",
            "The discussion helped me understand the objectives.",
            "I would recommend this exercise to others.",
        ]
    )


class Contact(Node):
    """Who to ask about the exercise (printed on the situation manual and the guide)."""

    name: str
    role: str | None = None
    organisation: str | None = None
    email: str | None = None
    phone: str | None = None


class FrameQuestion(Node):
    """One question of a frame; question `tags` name it as `FRAME.QUESTION`."""

    id: Id
    text: Markdown
    label: str | None = Field(
        default=None,
        max_length=60,
        description="A short name for tags on the page and screen (default: the id, spaced).",
    )


class Frame(Node):
    """A named set of questions the exercise is built around, e.g. 'five questions'."""

    id: Id
    title: str
    source: Id | None = Field(default=None, description="The source it comes from (an id).")
    questions: list[FrameQuestion] = Field(min_length=1)


GlossaryTerm = Annotated[str, StringConstraints(min_length=1, max_length=40)]


class Exercise(Node):
    """A whole exercise: one YAML file."""

    format: Literal[1, 2] = Field(description="The format version: 1 or 2.")
    id: ExerciseId
    title: str
    subtitle: str | None = None
    version: str = "1.0"
    date: str | None = Field(default=None, description="Edition date, printed on documents.")
    summary: Markdown = ""
    audience: str | None = None
    scope: Markdown | None = None
    sponsor: str | None = None
    author: str | None = Field(
        default=None, description="Who wrote the exercise.", json_schema_extra=since(2)
    )
    tags: list[Annotated[str, StringConstraints(min_length=1, max_length=60)]] = Field(
        default_factory=list,
        description="Free labels for finding the exercise, e.g. cyber, seminar.",
        json_schema_extra=since(2),
    )
    language: LanguageTag | None = Field(
        default=None,
        description="The language the exercise is written in (default en); documents declare it.",
        json_schema_extra=since(2),
    )
    location: str | None = Field(
        default=None, description="Where it is played.", json_schema_extra=since(2)
    )
    point_of_contact: Contact | None = Field(
        default=None, description="Who to ask about the exercise.", json_schema_extra=since(2)
    )
    glossary: dict[GlossaryTerm, Markdown] = Field(
        default_factory=dict,
        description="Acronyms and terms with their expansion, e.g. {NSC: National Security Council}.",
        json_schema_extra=since(2),
    )
    frame: Frame | None = Field(
        default=None,
        description="The question set the exercise is built around; question tags name its questions.",
        json_schema_extra=since(2),
    )
    duration_minutes: int = Field(default=60, gt=0)
    content_note: Markdown | None = None
    ground_rules: list[Markdown] = Field(default_factory=lambda: list(DEFAULT_GROUND_RULES))
    assumptions: list[Markdown] = Field(default_factory=list)
    artificialities: list[Markdown] = Field(default_factory=list)
    objectives: list[Objective] = Field(default_factory=list)
    sources: list[Source] = Field(default_factory=list)
    state: list[StateTrack] = Field(default_factory=list)
    teams: list[Team]
    moves: list[Move]
    hot_wash: HotWash = Field(default_factory=HotWash)
    evaluation: Evaluation = Field(default_factory=Evaluation)
    feedback: Feedback = Field(default_factory=Feedback)
    _folder: Path | None = PrivateAttr(default=None)
    _numbers: dict[str, str] | None = PrivateAttr(default=None)

    def source_folder(self) -> Path | None:
        """The folder of the file this exercise was loaded from (its pictures live there)."""
        return self._folder

    def set_source_folder(self, folder: Path) -> None:
        """Remember the folder the exercise was loaded from (not part of the exercise's data)."""
        self._folder = folder

    # -- lookups used by the session engine, the documents and the TUI --

    def move(self, move_id: str) -> Move:
        """The move with this id (KeyError if none)."""
        for move in self.moves:
            if move.id == move_id:
                return move
        raise KeyError(move_id)

    def team(self, team_id: str) -> Team:
        """The team with this id (KeyError if none)."""
        for team in self.teams:
            if team.id == team_id:
                return team
        raise KeyError(team_id)

    def decision(self, decision_id: str) -> tuple[Move, Decision]:
        """The decision with this id and the move that holds it (KeyError if none)."""
        for move in self.moves:
            for decision in move.decisions:
                if decision.id == decision_id:
                    return move, decision
        raise KeyError(decision_id)

    def decisions_in(self, move_id: str) -> list[Decision]:
        """The decisions a move asks: its own, then those it `asks` from other moves (format 2)."""
        move = self.move(move_id)
        if not move.asks:
            return list(move.decisions)
        own = {d.id for d in move.decisions}
        asked: list[Decision] = []
        for decision_id in move.asks:
            try:
                _, decision = self.decision(decision_id)
            except KeyError:
                continue  # reported by the validator
            if decision.id not in own and decision not in asked:
                asked.append(decision)
        return [*move.decisions, *asked]

    def moves_asking(self, decision_id: str) -> list[str]:
        """Every move that asks a decision: the one defining it, then those that `ask` it."""
        home, _ = self.decision(decision_id)
        return [home.id, *(m.id for m in self.moves if decision_id in m.asks and m.id != home.id)]

    def source(self, source_id: str) -> Source:
        """The source with this id (KeyError if none)."""
        for source in self.sources:
            if source.id == source_id:
                return source
        raise KeyError(source_id)

    def deciding_teams(self, decision: Decision) -> list[str]:
        """The team ids that answer a decision (all teams when none are named)."""
        return list(decision.teams) if decision.teams else [t.id for t in self.teams]

    def default_next(self, move_id: str) -> str:
        """Where a move goes when no branch rule applies: the next non-branch-only move, or end."""
        return default_next(self.moves, move_id)

    def move_numbers(self) -> dict[str, str]:
        """Every move's number as printed, by id, computed once per exercise (`stages.move_numbers`)."""
        if self._numbers is None:
            self._numbers = move_numbers(self)
        return self._numbers

    def move_number(self, move_id: str) -> str:
        """The move's number as printed: its `number`, else its stage (1, 2A, 2B, …)."""
        return self.move_numbers()[move_id]

    def start_move(self) -> str:
        """The first move of the exercise."""
        return self.moves[0].id
