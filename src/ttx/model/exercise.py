"""Typed models of the exercise format (formats 1 and 2).

Format 2 adds fields and never changes a format-1 one, so one set of models reads
both: the fields marked `since(2)` are format 2 only, and `tabletop validate` reports
them in a `format: 1` file (`ttx.model.checks`). Every text field is Markdown. Field names are what instructors type, so they are
short and plain; `docs/authoring.md` documents each one. Facilitator-only fields
are listed in `ttx.model.views.FACILITATOR_ONLY` and never reach participant views.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    StringConstraints,
    WithJsonSchema,
    model_validator,
)

FORMAT_VERSION = 2
"""The newest exercise format this version reads."""
FORMATS: tuple[int, ...] = (1, 2)
"""Every exercise format this version reads."""
SINCE = "x-since-format"
"""The JSON Schema annotation on a field that exists only from a later format."""


def since(version: int) -> dict[str, Any]:
    """`json_schema_extra` of a field added in format `version` (editors show it, checks read it)."""
    return {SINCE: version}


def field_since(model: type[BaseModel], name: str) -> int:
    """The format a model's field was added in (1 for the original fields)."""
    extra = model.model_fields[name].json_schema_extra
    if isinstance(extra, dict):
        version = extra.get(SINCE)
        if isinstance(version, int):
            return version
    return 1


Id = Annotated[
    str,
    StringConstraints(pattern=r"^[a-z][a-z0-9_]*$", max_length=64),
    Field(description="An id in snake_case: lower-case letters, digits and underscores."),
]
ExerciseId = Annotated[
    str,
    StringConstraints(pattern=r"^[a-z0-9][a-z0-9_-]*$", max_length=64),
    Field(description="The exercise id: lower-case letters, digits, '-' and '_'."),
]
Markdown = Annotated[str, Field(description="Markdown text.")]
LanguageTag = Annotated[
    str,
    StringConstraints(pattern=r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$", max_length=35),
    Field(description="A BCP 47 language tag, e.g. en, fr, pt-BR, zh-Hant."),
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
END = "end"
"""The `goto` target that ends the exercise (the hot wash follows)."""


class Node(BaseModel):
    """Base of every format model: unknown keys are errors, values are frozen."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True, defer_build=True)


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


class Condition(Node):
    """The small condition grammar: exactly one of decision, state, all, any or not.

    - `{decision: dp1, option: refuse}` / `option: [a, b]`: the decision's outcome is one of them;
      with `team: mexico`, that team's answer.
    - `{decision: alloc, option: strikes, gte: 3}`: points allocated to an option (allocation).
    - `{state: trust, lte: 1}`: a state track compared with a number.
    - `{all: [...]}`, `{any: [...]}`, `{not: {...}}`.
    """

    decision: Id | None = None
    team: Id | None = None
    option: Id | list[Id] | None = None
    state: Id | None = None
    lt: int | None = None
    lte: int | None = None
    gt: int | None = None
    gte: int | None = None
    eq: int | None = None
    all_: list[Condition] | None = Field(default=None, alias="all")
    any_: list[Condition] | None = Field(default=None, alias="any")
    not_: Condition | None = Field(default=None, alias="not")

    @property
    def kind(self) -> str:
        """Which form this condition takes: decision, state, all, any or not."""
        for name, attr in (
            ("decision", "decision"),
            ("state", "state"),
            ("all", "all_"),
            ("any", "any_"),
            ("not", "not_"),
        ):
            if getattr(self, attr) is not None:
                return name
        return "none"

    def comparisons(self) -> dict[str, int]:
        """The numeric comparisons given (lt, lte, gt, gte, eq)."""
        pairs = {"lt": self.lt, "lte": self.lte, "gt": self.gt, "gte": self.gte, "eq": self.eq}
        return {k: v for k, v in pairs.items() if v is not None}

    def options(self) -> list[str]:
        """The option ids named, as a list."""
        if self.option is None:
            return []
        return [self.option] if isinstance(self.option, str) else list(self.option)

    @model_validator(mode="after")
    def _one_form(self) -> Condition:
        forms = [f for f in ("decision", "state", "all", "any", "not") if self._has(f)]
        if len(forms) != 1:
            raise ValueError(
                "a condition needs exactly one of decision, state, all, any or not "
                f"(found {', '.join(forms) or 'none'}); split it with `all:` or `any:`"
            )
        form = forms[0]
        compared = self.comparisons()
        if form == "state":
            if len(compared) != 1:
                raise ValueError("a state condition needs one comparison: lt, lte, gt, gte or eq")
            if self.option is not None or self.team is not None:
                raise ValueError("a state condition takes no option or team; remove them")
        elif form == "decision":
            if self.option is None:
                raise ValueError("a decision condition needs `option:` (an option id or a list)")
            if compared and isinstance(self.option, list):
                raise ValueError(
                    "compare an allocation with one option, e.g. `option: strikes, gte: 3`"
                )
            if len(compared) > 1:
                raise ValueError("use one comparison (lt, lte, gt, gte or eq) per condition")
        elif compared or self.option is not None or self.team is not None:
            raise ValueError(
                f"`{form}:` takes only a list of conditions; move other keys inside it"
            )
        return self

    def _has(self, form: str) -> bool:
        return (
            getattr(self, {"all": "all_", "any": "any_", "not": "not_"}.get(form, form)) is not None
        )


Audience = Annotated[
    str | list[Id],
    Field(description="`all`, `facilitator`, a team id, or a list of team ids."),
]


class Inject(Node):
    """A piece of scenario information delivered at a minute of a move."""

    id: Id
    title: str
    body: Markdown = ""
    at: int = Field(default=0, ge=0, description="Delivery minute within the move.")
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


class Option(Node):
    """One option of a decision point (or one lever of an allocation)."""

    id: Id
    label: str
    detail: Markdown = ""
    cost: Markdown | None = Field(
        default=None, description="What choosing it costs (participant-visible)."
    )
    can: list[Markdown] = Field(default_factory=list, description="What it can do (lever cards).")
    cannot: list[Markdown] = Field(default_factory=list, description="What it cannot do.")
    limits: Markdown | None = Field(default=None, description="Legal or practical limits.")
    sources: list[Id] = Field(default_factory=list)
    consequence: Markdown | None = Field(
        default=None, description="What follows if chosen (facilitator-only until revealed)."
    )
    effects: dict[Id, int] = Field(
        default_factory=dict, description="Changes to state tracks, e.g. {trust: -1}."
    )
    max: int | None = Field(
        default=None, ge=0, description="Allocation: most points this lever takes."
    )
    goto: str | None = Field(
        default=None,
        description=(
            "Facilitator only: the move (or `end`) this choice leads to, checked before the "
            "move's `next` rules."
        ),
        json_schema_extra=since(2),
    )


ResolveForm = Annotated[
    Any,
    WithJsonSchema(
        {
            "description": "How the storyline resolves: each, majority, facilitator, largest_remainder, or {team: ID}.",
            "anyOf": [
                {"enum": ["each", "majority", "facilitator", "largest_remainder"]},
                {
                    "type": "object",
                    "properties": {"team": {"type": "string"}},
                    "required": ["team"],
                    "additionalProperties": False,
                },
            ],
        }
    ),
]


class Resolve(Node):
    """How teams' answers become the storyline's outcome."""

    mode: Literal["each", "majority", "team", "facilitator", "largest_remainder"]
    team: Id | None = None

    @model_validator(mode="before")
    @classmethod
    def _from_short_form(cls, value: Any) -> Any:
        if isinstance(value, str):
            if value == "team":
                raise ValueError("name the deciding team: `resolve: {team: ID}`")
            return {"mode": value}
        if isinstance(value, dict) and set(value) == {"team"}:
            return {"mode": "team", "team": value["team"]}
        if isinstance(value, dict) and "mode" not in value:
            raise ValueError(
                "`resolve` is each, majority, facilitator, or {team: ID}; "
                f"got keys {', '.join(map(str, value))}"
            )
        return value

    def short(self) -> str:
        """The form an author writes."""
        return f"team {self.team}" if self.mode == "team" else self.mode


class Pool(Node):
    """One shared pool of named units that an allocation splits (format 2)."""

    units: str = Field(min_length=1, max_length=40, description="What is split, e.g. buses.")
    total: int = Field(gt=0, description="How many units the pool holds.")
    must_spend_all: bool = Field(
        default=False, description="Every proposal must place every unit of the pool."
    )


class Decision(Node):
    """A decision point: a prompt, who decides, the options and how the outcome resolves."""

    id: Id
    prompt: Markdown
    teams: list[Id] = Field(
        default_factory=list, description="Deciding teams; empty means every team."
    )
    kind: Literal["choice", "allocation"] = "choice"
    budget: int | None = Field(default=None, gt=0, description="Allocation: points to spend.")
    options: list[Option]
    free_form: bool = Field(
        default=True, description="Allow a free-form answer the facilitator adjudicates."
    )
    rationale_required: bool = True
    minutes: int | None = Field(default=None, gt=0, description="Time limit for deciding.")
    resolve: Annotated[Resolve, ResolveForm] = Field(default_factory=lambda: Resolve(mode="each"))
    tie_break: str = Field(
        default="facilitator",
        description="Majority ties: a team id whose answer wins, or facilitator.",
    )
    objectives: list[Id] = Field(default_factory=list)
    poll: bool = Field(
        default=False,
        description="A poll: a show of hands whose options need no consequence.",
        json_schema_extra=since(2),
    )
    pool: Pool | None = Field(
        default=None,
        description="Allocation: one shared pool of named units (its total is the budget).",
        json_schema_extra=since(2),
    )

    @model_validator(mode="before")
    @classmethod
    def _pool_is_the_budget(cls, value: Any) -> Any:
        if isinstance(value, dict) and isinstance(value.get("pool"), dict):
            total = value["pool"].get("total")
            if "budget" not in value and isinstance(total, int):
                return {**value, "budget": total}
            if value.get("budget") != total and isinstance(total, int):
                raise ValueError(
                    f"`budget:` ({value.get('budget')}) and the pool's `total:` ({total}) differ; "
                    "remove `budget:` (a pool's total is the budget)"
                )
        return value

    @model_validator(mode="after")
    def _kind_fields(self) -> Decision:
        if self.kind == "allocation" and self.budget is None:
            raise ValueError("an allocation decision needs `budget:` (the points each team spends)")
        if self.kind == "choice" and self.pool is not None:
            raise ValueError(
                "`pool:` only applies to `kind: allocation`; remove it or set the kind"
            )
        if self.kind == "choice" and self.resolve.mode == "largest_remainder":
            raise ValueError(
                "`resolve: largest_remainder` merges allocations; a choice resolves by each, "
                "majority, facilitator or {team: ID}"
            )
        if self.kind == "choice" and self.budget is not None:
            raise ValueError(
                "`budget:` only applies to `kind: allocation`; remove it or set the kind"
            )
        return self


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
        description="How the move is numbered on screen and paper, e.g. '0' or '3A'; default: its position.",
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
    next: list[BranchRule] = Field(
        default_factory=list,
        description="Branch rules; empty means the next move in file order that is not branch_only.",
    )
    branch_only: bool = Field(default=False, description="Reached only through a branch rule.")

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
        ids = [m.id for m in self.moves]
        for move in self.moves[ids.index(move_id) + 1 :]:
            if not move.branch_only:
                return move.id
        return END

    def move_number(self, move_id: str) -> str:
        """The move's number as printed: its `number`, else its stage (1, 2A, 2B, …)."""
        from ttx.model.stages import move_numbers

        return move_numbers(self)[move_id]

    def start_move(self) -> str:
        """The first move of the exercise."""
        return self.moves[0].id
