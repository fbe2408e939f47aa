"""The graph of moves an exercise can take (where each move may go, what is reachable, what
loops) and the problems an author must hear about it.

Moves are numbered by their place in the file, so duplicate or misspelt ids
(reported elsewhere) cannot confuse it; every walk is iterative, so a hostile
file with thousands of moves cannot exhaust the stack.
"""

from __future__ import annotations

import difflib
from collections import deque

from ttx.model.exercise import END, Exercise
from ttx.model.loader import Document, Path_
from ttx.model.problems import Problem, Severity

EXIT = -1
"""The node standing for `end`."""


class Flow:
    """Every move's possible next moves (branch rules, the default, file order)."""

    def __init__(self, exercise: Exercise) -> None:
        moves = exercise.moves
        first: dict[str, int] = {}
        for index, move in enumerate(moves):
            first.setdefault(move.id, index)
        self._branch_only = [m.branch_only for m in moves]
        self.succ: list[list[int]] = []
        self.default_rule: dict[int, int] = {}
        self.after_default: list[tuple[int, int]] = []
        self.falls_through: list[int] = []
        self._targeted: set[int] = set()
        for index, move in enumerate(moves):
            targets: list[int] = []
            for rule in move.option_rules():  # tried first; they always have a condition
                if rule.goto in first:
                    targets.append(first[rule.goto])
                    self._targeted.add(first[rule.goto])
                else:
                    targets.append(EXIT)
            if not move.next:
                targets.append(self._next_or_exit(index))
            for rule_index, rule in enumerate(move.next):
                if index in self.default_rule:
                    self.after_default.append((index, rule_index))
                    continue
                if rule.goto in first:
                    targets.append(first[rule.goto])
                    self._targeted.add(first[rule.goto])
                else:  # `end`, or an unknown move (reported elsewhere): stop here
                    targets.append(EXIT)
                if rule.when is None:
                    self.default_rule[index] = rule_index
            if move.next and index not in self.default_rule:
                self.falls_through.append(index)
                targets.append(self._next_or_exit(index))
            self.succ.append(list(dict.fromkeys(targets)))
        self._reached = self._forward({0}) if moves else set()
        self._after: dict[int, set[int]] = {}
        self._without: dict[int, set[int]] = {}

    def _next_or_exit(self, index: int) -> int:
        following = self.file_order_next(index)
        return EXIT if following is None else following

    def file_order_next(self, index: int) -> int | None:
        """The next move in file order that is not branch_only (None: the exercise ends)."""
        for later in range(index + 1, len(self._branch_only)):
            if not self._branch_only[later]:
                return later
        return None

    def _forward(self, starts: set[int], avoid: int | frozenset[int] | None = None) -> set[int]:
        avoided = (
            avoid if isinstance(avoid, frozenset) else frozenset(() if avoid is None else (avoid,))
        )
        seen = {s for s in starts if s not in avoided}
        queue = deque(seen)
        while queue:
            for target in self.succ[queue.popleft()]:
                if target != EXIT and target not in avoided and target not in seen:
                    seen.add(target)
                    queue.append(target)
        return seen

    def reachable(self, move: int) -> bool:
        """True when some run of the exercise plays this move."""
        return move in self._reached

    def targeted(self, move: int) -> bool:
        """True when some branch rule names this move."""
        return move in self._targeted

    def knows_order(self, earlier: int) -> bool:
        """True when questions about `earlier` are already answered (cheap to ask again)."""
        return earlier in self._after and earlier in self._without

    def can_precede(self, earlier: int, later: int) -> bool:
        """True when a run can play `earlier` and then, some moves on, `later`."""
        if earlier not in self._after:
            self._after[earlier] = self._forward(set(self.succ[earlier]) - {EXIT})
        return earlier in self._reached and later in self._after[earlier]

    def dominates(self, earlier: int, later: int) -> bool:
        """True when every run that plays `later` has played `earlier` before it."""
        if earlier == 0:
            return True
        if earlier not in self._without:
            self._without[earlier] = self._forward({0}, avoid=earlier)
        return later not in self._without[earlier]

    def dominated(self, earlier: frozenset[int], later: int) -> bool:
        """True when every run that plays `later` has played one of `earlier` before it."""
        if len(earlier) == 1:
            return self.dominates(next(iter(earlier)), later)
        if 0 in earlier:
            return True
        return later not in self._forward({0}, avoid=earlier)

    def endless_loops(self) -> list[set[int]]:
        """Groups of reachable moves that lead only to one another, so `end` is never reached."""
        ends = self._reaching_exit()
        trapped = [m for m in sorted(self._reached) if m not in ends]
        loops = []
        for group in _components(trapped, self.succ):
            leaves = any(t not in group for m in group for t in self.succ[m])
            loops_back = len(group) > 1 or any(m in self.succ[m] for m in group)
            if loops_back and not leaves:
                loops.append(group)
        return sorted(loops, key=min)

    def _reaching_exit(self) -> set[int]:
        preds: dict[int, list[int]] = {}
        for source, targets in enumerate(self.succ):
            for target in targets:
                preds.setdefault(target, []).append(source)
        seen: set[int] = set()
        queue = deque([EXIT])
        while queue:
            for source in preds.get(queue.popleft(), []):
                if source not in seen:
                    seen.add(source)
                    queue.append(source)
        return seen


def _components(nodes: list[int], succ: list[list[int]]) -> list[set[int]]:
    """Strongly connected components of the graph restricted to `nodes` (Kosaraju, iterative)."""
    inside = set(nodes)
    order: list[int] = []
    seen: set[int] = set()
    for start in nodes:
        if start in seen:
            continue
        seen.add(start)
        stack = [(start, iter(succ[start]))]
        while stack:
            node, children = stack[-1]
            for child in children:
                if child in inside and child not in seen:
                    seen.add(child)
                    stack.append((child, iter(succ[child])))
                    break
            else:
                stack.pop()
                order.append(node)
    preds: dict[int, list[int]] = {n: [] for n in nodes}
    for node in nodes:
        for child in succ[node]:
            if child in inside:
                preds[child].append(node)
    groups: list[set[int]] = []
    assigned: set[int] = set()
    for start in reversed(order):
        if start in assigned:
            continue
        group = {start}
        assigned.add(start)
        todo = [start]
        while todo:
            for parent in preds[todo.pop()]:
                if parent not in assigned:
                    assigned.add(parent)
                    group.add(parent)
                    todo.append(parent)
        groups.append(group)
    return groups


def flow_problems(exercise: Exercise, flow: Flow, doc: Document) -> list[Problem]:
    """Unreachable moves, endless loops, rules that never apply, rule lists that fall through."""
    moves = exercise.moves
    problems: list[Problem] = []

    def add(path: Path_, message: str, fix: str, severity: Severity = "error") -> None:
        line, column = doc.where(path)
        problems.append(Problem(doc.file, line, column, message, fix, severity))

    for m, rule in flow.after_default:
        default = flow.default_rule[m]
        line = doc.where(("moves", m, "next", default))[0]
        add(
            ("moves", m, "next", rule),
            f"rule {rule + 1} of move '{moves[m].id}' can never apply: "
            f"the rule without `when:` above it{f' (line {line})' if line else ''} always matches first",
            "move this rule above the default rule, or delete it",
        )
    for m in flow.falls_through:
        target = flow.file_order_next(m)
        name = "end" if target is None else f"move '{moves[target].id}'"
        add(
            ("moves", m, "next"),
            f"move '{moves[m].id}': when no rule matches, the exercise goes on to {name} (file order)",
            f"add a last rule without `when:`, e.g. `- goto: {'end' if target is None else moves[target].id}`",
            "warning",
        )
    if moves and moves[0].branch_only:
        add(
            ("moves", 0, "branch_only"),
            f"move '{moves[0].id}' is the first move, where every run starts; `branch_only` has no effect",
            "remove `branch_only: true`, or put another move first",
            "warning",
        )
    first_index: dict[str, int] = {}
    for m, move in enumerate(moves):
        first_index.setdefault(move.id, m)
    misspelt = _misspelt_targets(exercise)
    for m, move in enumerate(moves):
        if flow.reachable(m) or first_index[move.id] != m or move.id in misspelt:
            continue  # duplicates and misspelt gotos are reported already
        if move.branch_only and not flow.targeted(m):
            add(
                ("moves", m, "id"),
                f"move '{move.id}' is branch_only but no rule goes to it, so it is never played",
                f"add a rule `goto: {move.id}` to an earlier move's `next:`, or remove `branch_only`",
            )
        else:
            add(
                ("moves", m, "id"),
                f"move '{move.id}' can never be reached from the start (move '{moves[0].id}')",
                f"add a rule `goto: {move.id}` to a reachable move's `next:`, or delete the move",
            )
    for loop in flow.endless_loops():
        first = min(loop)
        names = " → ".join(f"'{moves[i].id}'" for i in sorted(loop))
        what = (
            f"move '{moves[first].id}' only leads back to itself"
            if len(loop) == 1
            else f"moves {names} only lead to one another"
        )
        path: Path_ = ("moves", first, "next") if moves[first].next else ("moves", first, "id")
        add(
            path,
            f"the exercise can never end: {what}",
            "add a rule that goes to `end` or to a move outside the loop",
        )
    return problems


def _misspelt_targets(exercise: Exercise, limit: int = 10) -> set[str]:
    """The moves that dangling `goto`s were probably meant for (the first `limit` of them)."""
    ids = [m.id for m in exercise.moves]
    known = set(ids)
    dangling = [
        r.goto for m in exercise.moves for r in m.rules() if r.goto != END and r.goto not in known
    ]
    return {
        guess
        for goto in dangling[:limit]
        for guess in difflib.get_close_matches(goto, ids, n=1, cutoff=0.6)
    }
