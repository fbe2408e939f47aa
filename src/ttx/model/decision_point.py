"""A decision point: its options, how answers resolve, and an allocation's shared pool."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import (
    Field,
    WithJsonSchema,
    model_validator,
)

from ttx.model.fields import Id, Markdown, Node, since


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


RESOLVE_NAMES: tuple[str, ...] = (
    "each",
    "majority",
    "facilitator",
    "largest_remainder",
    "pro_rata",
)
"""The ways to resolve a decision an author writes by name (the other is `{team: ID}`)."""

ResolveForm = Annotated[
    Any,
    WithJsonSchema(
        {
            "description": "How the storyline resolves: each, majority, facilitator, largest_remainder, pro_rata, or {team: ID}.",
            "anyOf": [
                {"enum": list(RESOLVE_NAMES)},
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

    mode: Literal["each", "majority", "team", "facilitator", "largest_remainder", "pro_rata"]
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
    """One pool of named units that an allocation shares out (format 2).

    A `split` (the default): every team proposes how the whole pool is split, and the
    decision's `resolve` merges the proposals (`largest_remainder`, or the
    `facilitator` sets the split seeing every proposal). A `contested` pool: every
    team requests units for itself, and requests beyond the pool are settled
    `pro_rata` or by the `facilitator`.
    """

    units: str = Field(min_length=1, max_length=40, description="What is split, e.g. buses.")
    total: int = Field(gt=0, description="How many units the pool holds.")
    kind: Literal["split", "contested"] = Field(
        default="split",
        description=(
            "split: each team proposes a split of the whole pool; contested: each team "
            "requests units for itself from the one pool."
        ),
    )
    must_spend_all: bool = Field(
        default=False, description="Split: every proposal must place every unit of the pool."
    )

    @model_validator(mode="after")
    def _contested_requests(self) -> Pool:
        if self.kind == "contested" and self.must_spend_all:
            raise ValueError(
                "`must_spend_all` applies to a split (in a contested pool each team requests "
                "what it needs); remove `must_spend_all:`"
            )
        return self


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
        self._pool_resolve()
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

    def _pool_resolve(self) -> None:
        """A contested pool is settled pro rata or by the facilitator; pro rata needs one."""
        mode = self.resolve.mode
        contested = self.pool is not None and self.pool.kind == "contested"
        if contested and mode not in ("pro_rata", "facilitator"):
            raise ValueError(
                f"a contested pool is settled `pro_rata` or by the `facilitator`, not `{mode}`; "
                "write `resolve: pro_rata` or `resolve: facilitator`"
            )
        if mode == "pro_rata" and not contested:
            raise ValueError(
                "`resolve: pro_rata` settles a contested pool; add `pool: {units: ..., total: N, "
                "kind: contested}` or resolve by largest_remainder or facilitator"
            )
