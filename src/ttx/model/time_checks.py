"""Does the exercise fit its time? Warnings an author can act on, placed at the line.

- every path's moves plus the hot wash against `duration_minutes`;
- an inject delivered at or after the end of its move;
- a team's decision minutes over half of its move;
- more than `MAX_INJECTS` injects read by one team in a move;
- reading time (narrative, injects, decisions a team reads) over a quarter of the move
  at `WORDS_PER_MINUTE`.

Conditional injects count only as many as can fire together: the conditions are
evaluated over every combination of the answers and track values they read (with
allocations reduced to the thresholds the conditions name). When there are too many
combinations to try, every conditional inject counts and the warning says "up to".
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass

from ttx.model.exercise import Condition, Decision, Exercise, Inject, Move
from ttx.model.flow import EXIT, Flow
from ttx.model.loader import Document
from ttx.model.problems import Problem
from ttx.model.stages import move_numbers

MAX_INJECTS = 6
WORDS_PER_MINUTE = 200
READING_SHARE = 4
"""Reading may take at most 1/READING_SHARE of a move."""
COMBINATIONS = 20_000
"""The most answer combinations tried for one team's move before counting every inject."""
MAX_VARIABLES = 200
"""The most answers and tracks one search reads (its depth)."""

Variable = tuple[str, ...]
Decisions = Mapping[str, Decision]
_Warn = Callable[[tuple[str | int, ...], str, str], None]
Value = object
_WORD = re.compile(r"\w+")


def time_problems(exercise: Exercise, doc: Document) -> list[Problem]:
    """Every timing warning of a valid exercise."""
    found: list[Problem] = []

    def warn(path: tuple[str | int, ...], message: str, fix: str) -> None:
        line, column = doc.where(path)
        found.append(Problem(doc.file, line, column, message, fix, "warning"))

    numbers = move_numbers(exercise)  # once: numbering walks the whole exercise
    _paths(exercise, numbers, warn)
    team_ids = [t.id for t in exercise.teams]
    for m, move in enumerate(exercise.moves):
        number = numbers[move.id]
        for i, inject in enumerate(move.injects):
            if inject.at >= move.minutes:
                warn(
                    ("moves", m, "injects", i, "at"),
                    f"inject '{inject.id}' arrives at minute {inject.at} of move {number}, "
                    f"which lasts {move.minutes} minutes",
                    f"deliver it before minute {move.minutes}, or lengthen the move",
                )
        cache: dict[object, int | None] = {}
        for team in team_ids:
            _team_in_move(exercise, m, move, number, team, warn, cache)
    return found


def _paths(exercise: Exercise, numbers: Mapping[str, str], warn: _Warn) -> None:
    """The longest path's minutes plus the hot wash, against the planned duration."""
    if not exercise.moves:
        return
    flow = Flow(exercise)
    # Longest path from each move to the end, in reverse depth-first order (no recursion:
    # a file may hold thousands of moves). A loop (an error reported elsewhere) ends a path.
    longest: dict[int, tuple[int, list[int]]] = {EXIT: (0, [])}
    state: dict[int, int] = {}  # 1 while on the stack, 2 when done
    stack = [0]
    while stack:
        index = stack[-1]
        if state.get(index) is None:
            state[index] = 1
            stack.extend(n for n in flow.succ[index] if n != EXIT and n not in state)
            continue
        stack.pop()
        if state[index] == 2:
            continue
        state[index] = 2
        best = max(
            (longest[n] for n in flow.succ[index] if n in longest),
            key=lambda p: p[0],
            default=(0, []),
        )
        longest[index] = (exercise.moves[index].minutes + best[0], [index, *best[1]])
    minutes, path = longest[0]
    total = minutes + exercise.hot_wash.minutes
    if total > exercise.duration_minutes:
        shown = [numbers[exercise.moves[i].id] for i in path]
        if len(shown) > 12:
            shown = [*shown[:5], "…", *shown[-3:]]
        listed = ", ".join(shown)
        warn(
            ("duration_minutes",),
            f"the longest path (moves {listed}) takes {minutes} minutes and the hot wash "
            f"{exercise.hot_wash.minutes}: {total} minutes, over the planned "
            f"{exercise.duration_minutes}",
            "shorten moves on that path, or raise `duration_minutes`",
        )


def _team_in_move(
    exercise: Exercise,
    m: int,
    move: Move,
    number: str,
    team: str,
    warn: _Warn,
    cache: dict[object, int | None],
) -> None:
    """Decision minutes, injects read and reading time of one team in one move."""
    decisions = [d for d in move.decisions if team in exercise.deciding_teams(d)]
    name = exercise.team(team).name
    deciding = sum(d.minutes or 0 for d in decisions)
    if deciding * 2 > move.minutes:
        warn(
            ("moves", m, "minutes"),
            f"{name} has {deciding} minutes of decisions in move {number}, "
            f"more than half of its {move.minutes} minutes",
            "shorten the decisions' `minutes`, merge decisions, or lengthen the move",
        )
    injects = [i for i in move.injects if team in i.audience([t.id for t in exercise.teams])]
    count, words, exact = _most_read(exercise, injects, team, cache)
    if count > MAX_INJECTS:
        warn(
            ("moves", m, "injects"),
            f"{name} reads {'up to ' if not exact else ''}{count} injects in move {number}; "
            f"keep it to {MAX_INJECTS} or fewer",
            "merge injects, move some to another move, or address them to fewer teams",
        )
    words += _words(move.narrative) + sum(_decision_words(d) for d in decisions)
    minutes = words / WORDS_PER_MINUTE
    if minutes * READING_SHARE > move.minutes:
        warn(
            ("moves", m, "minutes"),
            f"{name} reads about {words} words in move {number} ({minutes:.0f} minutes at "
            f"{WORDS_PER_MINUTE} words a minute), more than a quarter of its {move.minutes} "
            "minutes",
            "cut the narrative or injects, or lengthen the move",
        )


def _words(text: str | None) -> int:
    return len(_WORD.findall(text or ""))


def _inject_words(inject: Inject) -> int:
    return _words(inject.title) + _words(inject.body)


def _decision_words(decision: Decision) -> int:
    return _words(decision.prompt) + sum(
        _words(o.label) + _words(o.detail) + _words(o.cost) for o in decision.options
    )


def _most_read(
    exercise: Exercise, injects: list[Inject], team: str, cache: dict[object, int | None]
) -> tuple[int, int, bool]:
    """The most injects (and words) one team can read: (count, words, exact).

    Teams that read the same injects under the same conditions (each its own answers)
    share one search, through `cache`."""
    always = [i for i in injects if i.when is None]
    maybe = [i for i in injects if i.when is not None]
    count, words = len(always), sum(_inject_words(i) for i in always)
    if not maybe:
        return count, words, True
    conditions = [i.when for i in maybe if i.when is not None]
    search = _Search(exercise, conditions, team)
    most = search.cached([1] * len(maybe), cache)
    most_words = search.cached([_inject_words(i) for i in maybe], cache)
    if most is None or most_words is None:  # too many combinations: count every inject
        return count + len(maybe), words + sum(_inject_words(i) for i in maybe), False
    return count + most, words + most_words, True


class _Search:
    """Branch and bound over the answers and track values some conditions read: the largest
    total weight of conditions that can hold together (allocations within their budget)."""

    def __init__(self, exercise: Exercise, conditions: list[Condition], team: str) -> None:
        self.decisions = {d.id: d for m in exercise.moves for d in m.decisions}
        self.tests = [_compile(self.decisions, c, team) for c in conditions]
        self.domains = _domains(exercise, self.decisions, conditions, team)
        self.names = list(self.domains)

        def mine(name: Variable) -> Variable:
            return tuple("@" if part == team else part for part in name)

        self.shape = (
            tuple(id(c) for c in conditions),
            tuple(
                tuple(sorted(mine(n) for n in _domains(exercise, self.decisions, [c], team)))
                for c in conditions
            ),
        )

    def cached(self, weights: list[int], cache: dict[object, int | None]) -> int | None:
        """`best`, remembered for searches of the same shape (another team's own answers)."""
        key = (self.shape, tuple(weights))
        if key not in cache:
            cache[key] = self.best(weights)
        return cache[key]

    def best(self, weights: list[int]) -> int | None:
        """The best total weight, or None when the search would take too long."""
        if len(self.names) > MAX_VARIABLES:
            return None
        self.steps = COMBINATIONS
        self.top = -1
        self.weighted = list(zip(self.tests, weights, strict=True))
        if not self._walk(0, {}, {}):
            return None
        return max(self.top, 0)

    def _walk(
        self, depth: int, world: dict[Variable, Value], spent: dict[tuple[str, str], int]
    ) -> bool:
        self.steps -= 1
        if self.steps < 0:
            return False
        sure = bound = 0
        for test, weight in self.weighted:
            verdict = test(world)
            if verdict is not False:
                bound += weight
                if verdict is True:
                    sure += weight
        if bound <= self.top:
            return True
        if depth == len(self.names):
            self.top = max(self.top, sure)
            return True
        name = self.names[depth]
        for value in self.domains[name]:
            spending = _spends(name, value)
            if spending is not None:
                allocation, points = spending
                total = spent.get(allocation, 0) + points
                if total > (self.decisions[allocation[0]].budget or 0):
                    continue
                spent[allocation] = total
            world[name] = value
            done = self._walk(depth + 1, world, spent)
            if spending is not None:
                spent[spending[0]] -= spending[1]
            if not done:
                return False
        world.pop(name, None)
        return True


# -- the abstract world: answers and track values a condition can read ------------------------


@dataclass(frozen=True)
class _Key:
    decision: str
    team: str


def _decision_key(decisions: Decisions, cond: Condition, team: str) -> _Key | None:
    decision = decisions.get(cond.decision or "")
    if decision is None:
        return None
    if cond.team is not None:
        return _Key(decision.id, cond.team)
    if decision.resolve.mode == "each":
        return _Key(decision.id, team)
    return _Key(decision.id, "*")


def _atoms(cond: Condition) -> Iterator[Condition]:
    yield cond
    for child in [*(cond.all_ or []), *(cond.any_ or [])]:
        yield from _atoms(child)
    if cond.not_ is not None:
        yield from _atoms(cond.not_)


def _critical(cond: Condition, low: int, high: int) -> set[int]:
    """The values around a comparison's threshold, clamped to low..high."""
    values = {low}
    for op, k in cond.comparisons().items():
        near = {"gte": (k - 1, k), "gt": (k, k + 1), "lte": (k, k + 1), "lt": (k - 1, k)}
        values.update(near.get(op, (k - 1, k, k + 1)))
    if not cond.comparisons():
        values.update({low, low + 1})
    return {v for v in values if low <= v <= high}


def _domains(
    exercise: Exercise, decisions: Decisions, conditions: list[Condition], team: str
) -> dict[Variable, list[Value]]:
    """Every variable the conditions read, with the values worth trying, the most read first."""
    reads: dict[Variable, int] = {}
    domains: dict[Variable, set[Value]] = {}
    for cond in (a for c in conditions for a in _atoms(c)):
        if cond.kind == "state":
            track = next((s for s in exercise.state if s.id == cond.state), None)
            if track is not None:
                domains.setdefault(("state", track.id), set()).update(
                    _critical(cond, track.min, track.max) | {track.max}
                )
                reads[("state", track.id)] = reads.get(("state", track.id), 0) + 1
        elif cond.kind == "decision":
            key = _decision_key(decisions, cond, team)
            if key is None:
                continue
            decision = decisions[key.decision]
            names: list[Variable] = []
            if decision.kind == "allocation":
                for option in cond.options():
                    names.append(("points", key.decision, key.team, option))
                    domains.setdefault(names[-1], set()).update(
                        _critical(cond, 0, decision.budget or 0)
                    )
            else:
                names.append(("choice", key.decision, key.team))
                domains.setdefault(names[-1], set()).update(
                    [None, *(o.id for o in decision.options)]
                )
            for name in names:
                reads[name] = reads.get(name, 0) + 1
    order = sorted(domains, key=lambda n: -reads.get(n, 0))
    # Numbers from the largest: more points tend to fire more cards, so the best is met early.
    return {name: sorted(domains[name], key=_largest_first) for name in order}


def _largest_first(value: Value) -> tuple[int, str]:
    return (-value, "") if isinstance(value, int) else (1, repr(value))


def _spends(name: Variable, value: Value) -> tuple[tuple[str, str], int] | None:
    """The allocation (decision, team) a variable spends points of, and how many."""
    if name[0] == "points" and isinstance(value, int):
        return (name[1], name[2]), value
    return None


_OPERATORS: dict[str, Callable[[int, int], bool]] = {
    "lt": operator.lt,
    "lte": operator.le,
    "gt": operator.gt,
    "gte": operator.ge,
    "eq": operator.eq,
}
_OPEN = object()


Test = Callable[[Mapping[Variable, Value]], bool | None]
"""A compiled condition: True, False, or None while what it reads is still open."""


def _compile(decisions: Decisions, cond: Condition, team: str) -> Test:
    """A condition as a fast test over an abstract world of answers and track values."""
    form = cond.kind
    if form in ("all", "any"):
        parts = [_compile(decisions, c, team) for c in (cond.all_ or cond.any_ or [])]
        decisive = form == "any"  # a True decides `any`, a False decides `all`

        def either(world: Mapping[Variable, Value]) -> bool | None:
            verdicts = [part(world) for part in parts]
            if decisive in verdicts:
                return decisive
            return None if None in verdicts else not decisive

        return either
    if form == "not":
        inner = _compile(decisions, cond.not_, team) if cond.not_ is not None else _never

        def negated(world: Mapping[Variable, Value]) -> bool | None:
            verdict = inner(world)
            return None if verdict is None else not verdict

        return negated
    if form == "state":
        return _number_test(("state", cond.state or ""), cond)
    key = _decision_key(decisions, cond, team)
    if key is None:
        return _never
    if decisions[key.decision].kind == "allocation":
        names: list[Variable] = [("points", key.decision, key.team, o) for o in cond.options()]
        if cond.comparisons():
            return _number_test(names[0], cond)
        return _any_points(names)
    choice: Variable = ("choice", key.decision, key.team)
    wanted = set(cond.options())

    def chosen(world: Mapping[Variable, Value]) -> bool | None:
        return world[choice] in wanted if choice in world else None

    return chosen


def _never(world: Mapping[Variable, Value]) -> bool | None:
    return False


def _number_test(name: Variable, cond: Condition) -> Test:
    checks = [(_OPERATORS[op], k) for op, k in cond.comparisons().items()]

    def compared(world: Mapping[Variable, Value]) -> bool | None:
        value = world.get(name, _OPEN)
        if value is _OPEN:
            return None
        return isinstance(value, int) and all(check(value, k) for check, k in checks)

    return compared


def _any_points(names: list[Variable]) -> Test:
    def spent(world: Mapping[Variable, Value]) -> bool | None:
        if any(n not in world for n in names):
            return None
        return any(isinstance(p, int) and p > 0 for p in (world[n] for n in names))

    return spent
