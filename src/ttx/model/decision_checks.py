"""Checks of decision points: who decides, how answers resolve, options and allocations
(a mixin of the semantic checks)."""

from __future__ import annotations

from ttx.model.check_base import CheckBase
from ttx.model.exercise import END, Decision
from ttx.model.loader import Path_

FACILITATOR = "facilitator"


class DecisionChecks(CheckBase):
    """A decision's teams, objectives, resolve and tie-break, options and their `goto`s."""

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
        if resolve.mode == "largest_remainder" and self.ex.format < 2:
            self.add(
                (*path, "resolve"),
                f"{owner}: `resolve: largest_remainder` is format 2, but this file is `format: 1`",
                "write `format: 2` at the top (format-1 files stay valid in format 2)",
            )
        if tie != FACILITATOR and resolve.mode != "majority":
            self.add(
                (*path, "tie_break"),
                f"{owner} sets `tie_break`, which only applies to `resolve: majority`",
                "remove `tie_break:` or set `resolve: majority`",
                "warning",
            )
        if not decision.options and not decision.free_form:
            self.add(
                (*path, "options"),
                f"{owner} has no options and refuses free-form answers, so no team can answer it",
                "add options, or set `free_form: true`",
            )
        for o, option in enumerate(decision.options):
            opath: Path_ = (*path, "options", o)
            oowner = f"option '{option.id}' of {owner}"
            if option.goto is not None and option.goto != END:
                self.ref((*opath, "goto"), option.goto, "move", self.move_ids, oowner, "goto")
            if not (option.consequence or "").strip() and not decision.poll:
                self.add(
                    opath,
                    f"{oowner} has no consequence",
                    "add `consequence:` saying what follows if teams choose it"
                    + (
                        ", or make the decision a poll (`poll: true`)"
                        if self.ex.format >= 2
                        else ""
                    ),
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
        self.option_gotos(path, decision)
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

    def option_gotos(self, path: Path_, decision: Decision) -> None:
        """Options' `goto`s belong to a choice with one outcome (reported once, at the first)."""
        leading = [(o, opt.id) for o, opt in enumerate(decision.options) if opt.goto is not None]
        if not leading:
            return
        where: Path_ = (*path, "options", leading[0][0], "goto")
        named = ", ".join(f"'{option_id}'" for _, option_id in leading)
        owner = f"decision '{decision.id}'"
        if decision.kind != "choice":
            self.add(
                where,
                f"{owner} is an allocation, which has no single chosen option, but "
                f"{'options' if len(leading) > 1 else 'option'} {named} "
                f"{'have' if len(leading) > 1 else 'has'} `goto:`",
                "remove `goto:` and branch with `next:` rules comparing points, "
                "e.g. `{when: {decision: D, option: O, gte: 3}, goto: M}`",
            )
            return
        deciders = self.ex.deciding_teams(decision)
        if decision.resolve.mode == "each" and len(deciders) > 1:
            self.add(
                where,
                f"{owner} resolves `each` ({len(deciders)} teams answer for themselves), so no one "
                f"answer can follow a `goto:` (on {'options' if len(leading) > 1 else 'option'} {named})",
                "set the decision's `resolve:` to majority, facilitator or {team: ID}, "
                "or branch with `next:` rules",
            )
