"""Checks of the conditions that release injects and choose branches (a mixin of the semantic checks)."""

from __future__ import annotations

from collections.abc import Iterator

from ttx.model.check_base import CheckBase, did_you_mean
from ttx.model.exercise import Condition
from ttx.model.loader import Path_


class ConditionChecks(CheckBase):
    """Condition checks: ids resolve, options belong, teams decide, decisions come first."""

    def condition(self, path: Path_, cond: Condition, move: int, owner: str) -> None:
        """Check every decision and state condition inside `cond`, found in move number `move`."""
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
                        option,
                        option_ids,
                        "option",
                        f"decision '{decision.id}' has the options",
                        guess=self.afford(len(option_ids)),
                    ),
                )
        deciders = self.ex.deciding_teams(decision)
        if cond.team is not None and cond.team not in deciders:
            fix = did_you_mean(
                cond.team,
                deciders,
                "team",
                f"the teams that decide '{decision.id}' are",
                guess=self.afford(len(deciders)),
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
        """The decision is asked (in its own move, or one that `asks` it) before `move`."""
        homes = frozenset((home, *self.asked_in.get(decision, ())))
        if move in homes or not self.flow.reachable(move):
            return
        cost = 4 * len(self.ex.moves) * len(homes)
        if not all(self.flow.knows_order(h) for h in homes) and not self.afford(cost):
            self.skipped += 1
            return
        here, there = self.ex.moves[move].id, self.ex.moves[home].id
        if not any(self.flow.can_precede(h, move) for h in homes):
            self.add(
                (*path, "decision"),
                f"{owner} depends on decision '{decision}' of move '{there}', "
                f"which can never have happened before move '{here}'",
                "refer to a decision of this move or of one that comes before it",
            )
        elif not self.flow.dominated(homes, move):
            self.add(
                (*path, "decision"),
                f"{owner} depends on decision '{decision}' of move '{there}', which some paths "
                f"to move '{here}' skip; there the condition is false",
                "check that this is intended, or refer to a decision every path passes",
                "warning",
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
