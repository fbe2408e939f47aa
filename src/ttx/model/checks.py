"""Semantic checks of a structurally valid exercise (ids, references, flow, coverage).

Each problem is placed at the line of the value it is about, using the positions
the loader recorded; every dangling id gets a "did you mean" from the ids of its kind.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Iterator

from ttx.model.exercise import END, Condition, Decision, Exercise, Move
from ttx.model.flow import Flow
from ttx.model.loader import Document, Path_
from ttx.model.problems import Problem, Severity

FACILITATOR = "facilitator"


def did_you_mean(value: str, choices: Iterable[str], kind: str, listing: str = "") -> str:
    """A fix for a dangling id: the closest id of that kind, or the ids there are."""
    known = sorted(set(choices))
    guess = difflib.get_close_matches(value, known, n=1, cutoff=0.6)
    if guess:
        return f"did you mean '{guess[0]}'?"
    if not known:
        return f"there are no {kind} ids yet: declare the {kind} first, or remove the reference"
    shown = ", ".join(f"'{k}'" for k in known[:8]) + (", …" if len(known) > 8 else "")
    return f"{listing or f'use one of the {kind} ids'}: {shown}"


def semantic_problems(exercise: Exercise, doc: Document) -> list[Problem]:
    """Every semantic problem of the exercise, placed at its line in `doc`."""
    checks = _Checks(exercise, doc)
    checks.run()
    return checks.problems


class _Checks:
    """One pass of every semantic check over an exercise."""

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
        self.flow = Flow(exercise)
        self._warned_each: set[tuple[str, str]] = set()

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
        line, column = self.doc.where(path, key=key)
        self.problems.append(Problem(self.doc.file, line, column, message, fix, severity))

    def ref(
        self, path: Path_, value: str, kind: str, choices: list[str], owner: str, field: str
    ) -> bool:
        """Report `value` if it is not one of `choices`; True when it resolves."""
        if value in choices:
            return True
        self.add(
            path,
            f"{owner} names an unknown {kind} '{value}' in `{field}`",
            did_you_mean(value, choices, kind),
        )
        return False

    def refs(
        self, path: Path_, values: list[str], kind: str, choices: list[str], owner: str, field: str
    ) -> None:
        for index, value in enumerate(values):
            self.ref((*path, index), value, kind, choices, owner, field)

    def run(self) -> None:
        self.unique_ids()
        self.reserved_ids()
        for index, move in enumerate(self.ex.moves):
            self.move_refs(index, move)
        for q, question in enumerate(self.ex.hot_wash.questions):
            self.question(
                ("hot_wash", "questions", q),
                question.teams,
                question.objectives,
                f"hot-wash question {q + 1}",
            )
        for c, criterion in enumerate(self.ex.evaluation.criteria):
            self.ref(
                ("evaluation", "criteria", c, "objective"),
                criterion.objective,
                "objective",
                self.objective_ids,
                f"criterion '{criterion.id}'",
                "objective",
            )
        self.objectives_served()
        self.flow_problems()

    # -- ids --

    def unique_ids(self) -> None:
        ex = self.ex
        self.unique("team", [(t.id, ("teams", i, "id")) for i, t in enumerate(ex.teams)])
        self.unique("move", [(m.id, ("moves", i, "id")) for i, m in enumerate(ex.moves)])
        self.unique(
            "objective", [(o.id, ("objectives", i, "id")) for i, o in enumerate(ex.objectives)]
        )
        self.unique("source", [(s.id, ("sources", i, "id")) for i, s in enumerate(ex.sources)])
        self.unique("state track", [(s.id, ("state", i, "id")) for i, s in enumerate(ex.state)])
        self.unique(
            "criterion",
            [
                (c.id, ("evaluation", "criteria", i, "id"))
                for i, c in enumerate(ex.evaluation.criteria)
            ],
        )
        injects: list[tuple[str, Path_]] = []
        decisions: list[tuple[str, Path_]] = []
        for m, move in enumerate(ex.moves):
            injects += [
                (x.id, ("moves", m, "injects", i, "id")) for i, x in enumerate(move.injects)
            ]
            decisions += [
                (d.id, ("moves", m, "decisions", i, "id")) for i, d in enumerate(move.decisions)
            ]
            for d, decision in enumerate(move.decisions):
                base = ("moves", m, "decisions", d, "options")
                self.unique(
                    f"option (in decision '{decision.id}')",
                    [(o.id, (*base, i, "id")) for i, o in enumerate(decision.options)],
                )
        self.unique("inject", injects)
        self.unique("decision", decisions)

    def unique(self, kind: str, items: list[tuple[str, Path_]]) -> None:
        seen: dict[str, Path_] = {}
        for value, path in items:
            if value not in seen:
                seen[value] = path
                continue
            first = self.doc.where(seen[value])[0]
            where = f" (first used at line {first})" if first else ""
            self.add(
                path,
                f"duplicate {kind} id '{value}'{where}",
                "give each one its own id; ids must be unique",
            )

    def reserved_ids(self) -> None:
        for i, move in enumerate(self.ex.moves):
            if move.id == END:
                self.add(
                    ("moves", i, "id"),
                    "a move cannot be called 'end': `goto: end` ends the exercise",
                    "rename the move, e.g. 'ending'",
                )
        for i, team in enumerate(self.ex.teams):
            if team.id in ("all", FACILITATOR):
                self.add(
                    ("teams", i, "id"),
                    f"a team cannot be called '{team.id}': `to: {team.id}` already means something",
                    f"rename the team, e.g. '{team.id}_team'",
                )

    # -- references inside a move --

    def move_refs(self, m: int, move: Move) -> None:
        base: Path_ = ("moves", m)
        owner = f"move '{move.id}'"
        self.refs((*base, "sources"), move.sources, "source", self.source_ids, owner, "sources")
        for i, inject in enumerate(move.injects):
            path: Path_ = (*base, "injects", i)
            owner = f"inject '{inject.id}'"
            self.audience(path, inject.to, owner)
            self.refs(
                (*path, "sources"), inject.sources, "source", self.source_ids, owner, "sources"
            )
            if inject.when is not None:
                self.condition((*path, "when"), inject.when, m, owner)
        for q, question in enumerate(move.questions):
            self.question(
                (*base, "questions", q),
                question.teams,
                question.objectives,
                f"question {q + 1} of move '{move.id}'",
            )
        for d, decision in enumerate(move.decisions):
            self.decision((*base, "decisions", d), decision)
        for r, rule in enumerate(move.next):
            path = (*base, "next", r)
            if rule.goto != END:
                self.ref(
                    (*path, "goto"),
                    rule.goto,
                    "move",
                    self.move_ids,
                    f"rule {r + 1} of move '{move.id}'",
                    "goto",
                )
            if rule.when is not None:
                self.condition((*path, "when"), rule.when, m, f"rule {r + 1} of move '{move.id}'")

    def audience(self, path: Path_, to: str | list[str], owner: str) -> None:
        choices = [*self.team_ids, "all", FACILITATOR]
        if isinstance(to, str):
            self.ref((*path, "to"), to, "team", choices, owner, "to")
            return
        if not to:
            self.add(
                (*path, "to"),
                f"{owner} is sent to nobody (`to: []`)",
                "write `to: facilitator`, `to: all`, or a list of team ids",
                "warning",
            )
        for index, team in enumerate(to):
            if team in ("all", FACILITATOR):
                self.add(
                    (*path, "to", index),
                    f"{owner} lists '{team}' among teams in `to`",
                    f"write `to: {team}` on its own, not in a list",
                )
            else:
                self.ref((*path, "to", index), team, "team", self.team_ids, owner, "to")

    def question(self, path: Path_, teams: list[str], objectives: list[str], owner: str) -> None:
        self.refs((*path, "teams"), teams, "team", self.team_ids, owner, "teams")
        self.refs(
            (*path, "objectives"), objectives, "objective", self.objective_ids, owner, "objectives"
        )
        played = {t.id: t.played_by for t in self.ex.teams}
        if teams and all(played.get(t) == FACILITATOR for t in teams):
            self.add(
                (*path, "teams"),
                f"{owner} is addressed only to teams the facilitator plays, so no student answers it",
                "add a student team, or move it into the facilitator notes",
                "warning",
            )

    def decision(self, path: Path_, decision: Decision) -> None:
        owner = f"decision '{decision.id}'"
        self.refs((*path, "teams"), decision.teams, "team", self.team_ids, owner, "teams")
        self.refs(
            (*path, "objectives"),
            decision.objectives,
            "objective",
            self.objective_ids,
            owner,
            "objectives",
        )
        deciders = self.ex.deciding_teams(decision)
        resolve = decision.resolve
        if (
            resolve.mode == "team"
            and resolve.team is not None
            and self.ref(
                (*path, "resolve", "team"), resolve.team, "team", self.team_ids, owner, "resolve"
            )
            and resolve.team not in deciders
        ):
            self.add(
                (*path, "resolve", "team"),
                f"{owner} resolves by team '{resolve.team}', which does not decide it",
                f"add '{resolve.team}' to `teams:` or name one of: {', '.join(deciders)}",
            )
        tie = decision.tie_break
        if (
            tie != FACILITATOR
            and self.ref(
                (*path, "tie_break"), tie, "team", [*self.team_ids, FACILITATOR], owner, "tie_break"
            )
            and tie not in deciders
        ):
            self.add(
                (*path, "tie_break"),
                f"{owner} breaks ties with team '{tie}', which does not decide it",
                f"use `facilitator` or one of: {', '.join(deciders)}",
            )
        for o, option in enumerate(decision.options):
            opath: Path_ = (*path, "options", o)
            oowner = f"option '{option.id}' of {owner}"
            if not (option.consequence or "").strip():
                self.add(
                    opath,
                    f"{oowner} has no consequence",
                    "add `consequence:` saying what follows if teams choose it",
                )
            self.refs(
                (*opath, "sources"), option.sources, "source", self.source_ids, oowner, "sources"
            )
            for track in option.effects:
                self.ref(
                    (*opath, "effects", track),
                    track,
                    "state track",
                    self.state_ids,
                    oowner,
                    "effects",
                )
            if option.max is not None:
                if decision.kind != "allocation":
                    self.add(
                        (*opath, "max"),
                        f"{oowner} has `max:`, which only applies to allocations",
                        "remove `max:` or make the decision `kind: allocation`",
                        "warning",
                    )
                elif decision.budget is not None and option.max > decision.budget:
                    self.add(
                        (*opath, "max"),
                        f"{oowner} takes up to {option.max} points, more than the budget of {decision.budget}",
                        f"lower `max:` to {decision.budget} or less, or raise `budget:`",
                    )
        if decision.kind == "allocation" and decision.budget is not None:
            maxes = [o.max for o in decision.options]
            if all(x is not None for x in maxes) and sum(x or 0 for x in maxes) < decision.budget:
                self.add(
                    (*path, "budget"),
                    f"{owner}: the options' `max:` add up to {sum(x or 0 for x in maxes)}, "
                    f"less than the budget of {decision.budget}",
                    "raise some `max:` values or lower `budget:`",
                    "warning",
                )

    # -- conditions --

    def condition(self, path: Path_, cond: Condition, move: int, owner: str) -> None:
        for leaf, lpath in _leaves(cond, path):
            if leaf.state is not None:
                self.state_condition(lpath, leaf, owner)
            elif leaf.decision is not None:
                self.decision_condition(lpath, leaf, move, owner)

    def state_condition(self, path: Path_, cond: Condition, owner: str) -> None:
        assert cond.state is not None
        if not self.ref(
            (*path, "state"), cond.state, "state track", self.state_ids, owner, "state"
        ):
            return
        track = next(t for t in self.ex.state if t.id == cond.state)
        for op, number in cond.comparisons().items():
            if not track.min <= number <= track.max:
                self.add(
                    (*path, op),
                    f"{owner} compares '{track.id}' with {number}, outside its range {track.min}..{track.max}",
                    f"use a number from {track.min} to {track.max}",
                    "warning",
                )

    def decision_condition(self, path: Path_, cond: Condition, move: int, owner: str) -> None:
        assert cond.decision is not None
        known = list(self.decisions)
        if not self.ref((*path, "decision"), cond.decision, "decision", known, owner, "decision"):
            return
        home, decision = self.decisions[cond.decision]
        option_ids = [o.id for o in decision.options]
        options = cond.options()
        for index, option in enumerate(options):
            opath = (*path, "option", index) if isinstance(cond.option, list) else (*path, "option")
            if option not in option_ids:
                self.add(
                    opath,
                    f"{owner}: decision '{decision.id}' has no option '{option}'",
                    did_you_mean(
                        option, option_ids, "option", f"decision '{decision.id}' has the options"
                    ),
                )
        deciders = self.ex.deciding_teams(decision)
        if cond.team is not None and cond.team not in deciders:
            fix = did_you_mean(
                cond.team, deciders, "team", f"the teams that decide '{decision.id}' are"
            )
            if cond.team not in self.team_ids:
                self.add(
                    (*path, "team"), f"{owner} names an unknown team '{cond.team}' in `team`", fix
                )
            else:
                self.add(
                    (*path, "team"),
                    f"{owner}: team '{cond.team}' does not decide '{decision.id}'",
                    fix,
                )
        if (
            cond.team is None
            and decision.kind == "choice"
            and decision.resolve.mode == "each"
            and len(deciders) > 1
            and (owner, decision.id) not in self._warned_each
        ):
            self._warned_each.add((owner, decision.id))
            self.add(
                (*path, "decision"),
                f"{owner}: decision '{decision.id}' resolves each team separately, "
                "so it has no single outcome",
                f"name whose answer counts with `team:`, or set `resolve:` on '{decision.id}'",
                "warning",
            )
        compared = cond.comparisons()
        if compared and decision.kind != "allocation":
            op = next(iter(compared))
            self.add(
                (*path, op),
                f"{owner} compares decision '{decision.id}' with a number, but it is a choice",
                f"remove `{op}:` (numbers only apply to allocations and state tracks)",
            )
        self.decision_order(path, decision.id, home, move, owner)

    def decision_order(self, path: Path_, decision: str, home: int, move: int, owner: str) -> None:
        if home == move or not self.flow.reachable(move):
            return
        here, there = self.ex.moves[move].id, self.ex.moves[home].id
        if not self.flow.can_precede(home, move):
            self.add(
                (*path, "decision"),
                f"{owner} depends on decision '{decision}' of move '{there}', "
                f"which can never have happened before move '{here}'",
                "refer to a decision of this move or of one that comes before it",
            )
        elif not self.flow.dominates(home, move):
            self.add(
                (*path, "decision"),
                f"{owner} depends on decision '{decision}' of move '{there}', which some paths "
                f"to move '{here}' skip; there the condition is false",
                "check that this is intended, or refer to a decision every path passes",
                "warning",
            )

    # -- coverage and flow --

    def _misspelt_target(self, move_id: str) -> bool:
        """True when a dangling `goto` was probably meant for this move."""
        for move in self.ex.moves:
            for rule in move.next:
                if rule.goto != END and rule.goto not in self.move_ids:
                    guess = difflib.get_close_matches(rule.goto, self.move_ids, n=1, cutoff=0.6)
                    if guess == [move_id]:
                        return True
        return False

    def objectives_served(self) -> None:
        served: set[str] = set()
        for move in self.ex.moves:
            for question in move.questions:
                served.update(question.objectives)
            for decision in move.decisions:
                served.update(decision.objectives)
        for question in self.ex.hot_wash.questions:
            served.update(question.objectives)
        served.update(c.objective for c in self.ex.evaluation.criteria)
        for i, objective in enumerate(self.ex.objectives):
            if objective.id not in served:
                self.add(
                    ("objectives", i, "id"),
                    f"objective '{objective.id}' is served by no question, decision or criterion",
                    f"add '{objective.id}' to some `objectives:` of a question or decision, "
                    "or add an evaluation criterion for it",
                )

    def flow_problems(self) -> None:
        flow, moves = self.flow, self.ex.moves
        for m, rule in flow.after_default:
            default = flow.default_rule[m]
            line = self.doc.where(("moves", m, "next", default))[0]
            self.add(
                ("moves", m, "next", rule),
                f"rule {rule + 1} of move '{moves[m].id}' can never apply: "
                f"the rule without `when:` above it{f' (line {line})' if line else ''} always matches first",
                "move this rule above the default rule, or delete it",
            )
        for m in flow.falls_through:
            target = flow.file_order_next(m)
            name = "end" if target is None else f"move '{moves[target].id}'"
            self.add(
                ("moves", m, "next"),
                f"move '{moves[m].id}': when no rule matches, the exercise goes on to {name} (file order)",
                f"add a last rule without `when:`, e.g. `- goto: {'end' if target is None else moves[target].id}`",
                "warning",
            )
        if moves and moves[0].branch_only:
            self.add(
                ("moves", 0, "branch_only"),
                f"move '{moves[0].id}' is the first move, where every run starts; `branch_only` has no effect",
                "remove `branch_only: true`, or put another move first",
                "warning",
            )
        ids = [m.id for m in moves]
        for m, move in enumerate(moves):
            if flow.reachable(m) or ids.index(move.id) != m or self._misspelt_target(move.id):
                continue  # duplicates and misspelt gotos are reported already
            if move.branch_only and not flow.targeted(m):
                self.add(
                    ("moves", m, "id"),
                    f"move '{move.id}' is branch_only but no rule goes to it, so it is never played",
                    f"add a rule `goto: {move.id}` to an earlier move's `next:`, or remove `branch_only`",
                )
            else:
                self.add(
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
            self.add(
                path,
                f"the exercise can never end: {what}",
                "add a rule that goes to `end` or to a move outside the loop",
            )


def _leaves(cond: Condition, path: Path_) -> Iterator[tuple[Condition, Path_]]:
    """The decision and state conditions inside a condition, with their paths (no recursion)."""
    stack: list[tuple[Condition, Path_]] = [(cond, path)]
    while stack:
        node, where = stack.pop()
        if node.all_ is not None:
            stack.extend(((c, (*where, "all", i)) for i, c in enumerate(node.all_)))
        elif node.any_ is not None:
            stack.extend(((c, (*where, "any", i)) for i, c in enumerate(node.any_)))
        elif node.not_ is not None:
            stack.append((node.not_, (*where, "not")))
        else:
            yield node, where
