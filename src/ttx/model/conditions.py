"""The condition grammar that injects and branch rules use (`when:`)."""

from __future__ import annotations

from pydantic import (
    Field,
    model_validator,
)

from ttx.model.fields import Id, Node


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
