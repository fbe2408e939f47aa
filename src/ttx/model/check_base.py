"""What every part of the semantic checks shares: the exercise, its ids, and how a problem is
added at its line with a "did you mean" (the base of the check mixins)."""

from __future__ import annotations

import difflib
import heapq
from collections.abc import Iterable

from ttx.model.exercise import Decision, Exercise
from ttx.model.flow import Flow
from ttx.model.images import ImageProblem
from ttx.model.loader import Document, Path_
from ttx.model.problems import Problem, Severity

WORK_BUDGET = 50_000
"""How many comparisons the optional, costly parts ("did you mean", decision order) may spend,
so that a hostile file with thousands of moves is still checked in well under a second."""


def did_you_mean(
    value: str, choices: Iterable[str], kind: str, listing: str = "", *, guess: bool = True
) -> str:
    """A fix for a dangling id: the closest id of that kind (if `guess`), or the ids there are."""
    known = choices if isinstance(choices, (set, frozenset)) else set(choices)
    close = difflib.get_close_matches(value, sorted(known), n=1, cutoff=0.6) if guess else []
    if close:
        return f"did you mean '{close[0]}'?"
    if not known:
        return f"there are no {kind} ids yet: declare the {kind} first, or remove the reference"
    first = heapq.nsmallest(8, known)
    shown = ", ".join(f"'{k}'" for k in first) + (", …" if len(known) > 8 else "")
    return f"{listing or f'use one of the {kind} ids'}: {shown}"


class CheckBase:
    """The state of one pass of the checks and the helpers every check uses."""

    def __init__(self, exercise: Exercise, doc: Document) -> None:
        self.ex = exercise
        self.doc = doc
        self.problems: list[Problem] = []
        self.team_ids = [t.id for t in exercise.teams]
        self.move_ids = [m.id for m in exercise.moves]
        self.objective_ids = [o.id for o in exercise.objectives]
        self.source_ids = [s.id for s in exercise.sources]
        self.state_ids = [s.id for s in exercise.state]
        self.decisions: dict[str, tuple[int, Decision]] = {}
        for index, move in enumerate(exercise.moves):
            for decision in move.decisions:
                self.decisions.setdefault(decision.id, (index, decision))
        self.asked_in: dict[str, list[int]] = {}
        for index, move in enumerate(exercise.moves):
            for decision_id in move.asks:
                self.asked_in.setdefault(decision_id, []).append(index)
        self.flow = Flow(exercise)
        self._warned_each: set[tuple[str, str]] = set()
        self.work_left = WORK_BUDGET
        self._sets = {
            id(ids): set(ids)
            for ids in (
                self.team_ids,
                self.move_ids,
                self.objective_ids,
                self.source_ids,
                self.state_ids,
            )
        }
        self._listings: dict[tuple[int, str], str] = {}
        self._lines: list[str] | None = None
        self._pictures: dict[str, ImageProblem | None] = {}
        self.skipped = 0

    # -- helpers --

    def add(
        self,
        path: Path_,
        message: str,
        fix: str,
        severity: Severity = "error",
        *,
        key: bool = False,
    ) -> None:
        """Record a problem at the place of `path` in the file."""
        line, column = self.doc.where(path, key=key)
        self.problems.append(Problem(self.doc.file, line, column, message, fix, severity))

    def ref(
        self, path: Path_, value: str, kind: str, choices: list[str], owner: str, field: str
    ) -> bool:
        """Report `value` if it is not one of `choices`; True when it resolves."""
        known = self._sets.get(id(choices))  # the exercise's own id lists, as sets
        if value in (known if known is not None else choices):
            return True
        self.add(
            path,
            f"{owner} names an unknown {kind} '{value}' in `{field}`",
            self.suggest(value, choices, kind),
        )
        return False

    def suggest(self, value: str, choices: list[str], kind: str) -> str:
        """The closest id ("did you mean") while the work budget lasts, else the known ids."""
        if self.afford(len(choices)):
            return did_you_mean(value, self._sets.get(id(choices), choices), kind)
        key = (id(choices), kind)
        if key not in self._listings or id(choices) not in self._sets:
            self._listings[key] = did_you_mean("", choices, kind, guess=False)
        return self._listings[key]

    def afford(self, cost: int) -> bool:
        """Spend `cost` from the work budget; False (nothing spent) when it would run out."""
        if cost > self.work_left:
            return False
        self.work_left -= cost
        return True

    def refs(
        self, path: Path_, values: list[str], kind: str, choices: list[str], owner: str, field: str
    ) -> None:
        """Check each id of a list with `ref`."""
        for index, value in enumerate(values):
            self.ref((*path, index), value, kind, choices, owner, field)
