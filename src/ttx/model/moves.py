"""A move and what it holds: injects, questions, decisions and the rules that lead on."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field, model_validator

from ttx.model.conditions import Condition
from ttx.model.decision_point import Decision
from ttx.model.fields import Id, Markdown, Node, since
from ttx.model.timing import with_planned_minutes

Audience = Annotated[
    str | list[Id],
    Field(description="`all`, `facilitator`, a team id, or a list of team ids."),
]


class After(Node):
    """An inject's timing relative to another inject of its move (format 2)."""

    inject: Id = Field(description="The inject of the same move this one follows.")
    minutes: int = Field(default=0, ge=0, description="How many minutes after it.")


class Inject(Node):
    """A piece of scenario information delivered at a minute of a move."""

    id: Id
    title: str
    body: Markdown = ""
    at: int = Field(default=0, ge=0, description="Delivery minute within the move.")
    after: After | None = Field(
        default=None,
        description=(
            "Deliver it some minutes after another inject of the move, instead of `at:`, "
            "e.g. {inject: warning, minutes: 5}."
        ),
        json_schema_extra=since(2),
    )
    scenario_time: str | None = None
    from_: str | None = Field(default=None, alias="from", description="Who sends it.")
    medium: str | None = Field(default=None, description="news, cable, brief, social, call, ...")
    to: Audience = "all"
    when: Condition | None = Field(
        default=None, description="Release only when this condition holds."
    )
    sources: list[Id] = Field(default_factory=list)
    facilitator_notes: Markdown | None = None
    expected_points: list[Markdown] = Field(
        default_factory=list,
        description="Facilitator only: what a good response to this inject covers.",
        json_schema_extra=since(2),
    )

    def audience(self, team_ids: list[str]) -> list[str]:
        """The team ids this inject goes to (empty for facilitator-only)."""
        if self.to == "all":
            return list(team_ids)
        if self.to == "facilitator":
            return []
        return [self.to] if isinstance(self.to, str) else list(self.to)

    @property
    def facilitator_only(self) -> bool:
        """True when no participant may see this inject."""
        return self.to == "facilitator"


class Question(Node):
    """A discussion question, for some or all teams, serving learning objectives."""

    text: Markdown
    teams: list[Id] = Field(default_factory=list, description="Empty means every team.")
    objectives: list[Id] = Field(default_factory=list)
    tags: list[str] = Field(
        default_factory=list, description="Free labels, e.g. a frame's question."
    )


class BranchRule(Node):
    """One rule of a move's `next`: go to `goto` when `when` holds (no `when`: the default)."""

    when: Condition | None = None
    goto: str = Field(description="A move id, or `end`.")


class Move(Node):
    """A move (module): a time-jumped stage of the scenario with its injects and decisions."""

    id: Id
    title: str
    number: str | None = Field(
        default=None,
        max_length=8,
        description=(
            "How the move is numbered on screen and paper, e.g. '0' or '3A'; default: its "
            "stage counted from 1, with A, B, … for alternatives of the same stage."
        ),
    )
    scenario_time: str | None = None
    minutes: int = Field(default=30, gt=0, description="Planned duration.")
    narrative: Markdown = Field(default="", description="The scenario as participants read it.")
    facilitator_notes: Markdown | None = None
    expected_points: list[Markdown] = Field(default_factory=list)
    sources: list[Id] = Field(default_factory=list)
    injects: list[Inject] = Field(default_factory=list)
    questions: list[Question] = Field(default_factory=list)
    decisions: list[Decision] = Field(default_factory=list)
    asks: list[Id] = Field(
        default_factory=list,
        description=(
            "Decisions defined in another move that this move asks too (e.g. both variants "
            "of a stage): one answer per team per session, asked where it first comes up."
        ),
        json_schema_extra=since(2),
    )
    next: list[BranchRule] = Field(
        default_factory=list,
        description="Branch rules; empty means the next move in file order that is not branch_only.",
    )
    branch_only: bool = Field(default=False, description="Reached only through a branch rule.")

    @model_validator(mode="before")
    @classmethod
    def _plan_relative_injects(cls, value: Any) -> Any:
        """Injects timed `after:` another get their planned minute as `at` (`ttx.model.timing`)."""
        if isinstance(value, dict) and isinstance(value.get("injects"), list):
            injects = value["injects"]
            if any(isinstance(i, dict) and "after" in i for i in injects):
                return {**value, "injects": with_planned_minutes(injects)}
        return value

    def option_rules(self) -> list[BranchRule]:
        """The rules the options' `goto`s stand for, in the order of decisions and options.

        An option's `goto: M` is the rule `{when: {decision: D, option: O}, goto: M}`.
        """
        return [
            BranchRule(when=Condition(decision=decision.id, option=option.id), goto=option.goto)
            for decision in self.decisions
            for option in decision.options
            if option.goto is not None
        ]

    def rules(self) -> list[BranchRule]:
        """The branch rules in the order they are tried: the options' `goto`s, then `next`."""
        derived = self.option_rules()
        return [*derived, *self.next] if derived else list(self.next)

    def has_rules(self) -> bool:
        """True when the move has branch rules (its own `next` or options' `goto`)."""
        return bool(self.next) or any(
            option.goto is not None for decision in self.decisions for option in decision.options
        )
