"""Conditions, decision outcomes and branch rules: what the exercise's rules say, given the state.

Semantics (docs/api.md has the full table):
- A decision condition with `team:` tests that team's answer (an adjudicated free-form
  answer counts as its option). Without `team:` it tests the decision's outcome:
  `{team: X}` mode → X's answer; `majority` → the most common option once every deciding
  team has answered (ties: the `tie_break` team's answer, or the facilitator's ruling);
  `facilitator` → the ruling; `each` → in an inject the team it would go to, in a
  branch "any team chose it". A ruling always wins over the rules.
- Allocation decisions: with a comparison the condition tests the points on that option;
  without one, "the option got points". Outside `{team: X}` / `each`, the outcome is
  the mean (rounded down) of the teams' points once all have answered.
- An answer not yet given, or an outcome not yet resolved, makes a condition false.
- A move's rules (`Move.rules`): first each option's `goto` (format 2; the rule
  `{when: {decision: D, option: O}, goto: M}`), then its `next`. The first rule whose
  `when` holds, else the first rule without `when`; no rule applies → the next move in
  file order that is not branch-only.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ttx.model.exercise import Condition, Decision, Exercise, Inject
from ttx.session.state import DecisionRecord, Outcome, OutcomeStatus, Ruling, SessionState


@dataclass(frozen=True, slots=True)
class BranchPreview:
    """What the rules say about where a move goes, before (or after) the facilitator confirms.

    `rule_index` is the matching rule in `Move.rules()`: the options' `goto`s first, then the
    move's `next` (the same index as in `next` when no option has a `goto`; None: no rule applied, the
    default order was used). `waiting` lists decisions the rules read whose outcome is
    not settled yet (pending answers or a ruling needed), so the console can warn.
    `chosen` is what was recorded for the current visit, if anything.
    """

    move_id: str
    rule_index: int | None
    rule_when: Mapping[str, Any] | None
    target: str
    waiting: tuple[str, ...] = ()
    chosen: str | None = None
    overridden: bool = False


@dataclass(frozen=True, slots=True)
class PendingInject:
    """An inject of the current move not yet released, with whom it would go to and when it is due."""

    inject: Inject
    move_id: str
    to: tuple[str, ...]
    due_in: float = 0.0
    condition_held: bool | None = None
    teams_held: tuple[str, ...] = field(default_factory=tuple)

    @property
    def due(self) -> bool:
        """True when its delivery minute has come (by the move's clock)."""
        return self.due_in <= 0


# --- conditions ------------------------------------------------------------------------


def compare(value: int, condition: Condition) -> bool:
    """Test a number against the condition's comparison (lt, lte, gt, gte or eq)."""
    for op, bound in condition.comparisons().items():
        if op == "lt" and not value < bound:
            return False
        if op == "lte" and not value <= bound:
            return False
        if op == "gt" and not value > bound:
            return False
        if op == "gte" and not value >= bound:
            return False
        if op == "eq" and value != bound:
            return False
    return True


def _record_matches(record: DecisionRecord | None, decision: Decision, cond: Condition) -> bool:
    if record is None:
        return False
    if decision.kind == "allocation":
        return _allocation_matches(record.allocation, cond)
    return record.counts_as is not None and record.counts_as in cond.options()


def _allocation_matches(allocation: Mapping[str, int] | None, cond: Condition) -> bool:
    if allocation is None:
        return False
    if cond.comparisons():
        return compare(int(allocation.get(cond.options()[0], 0)), cond)
    return any(allocation.get(o, 0) > 0 for o in cond.options())


def holds(condition: Condition, state: SessionState, team: str | None = None) -> bool:
    """Whether a condition holds now; `team` is the inject's recipient (for `each` decisions)."""
    form = condition.kind
    if form == "all":
        return all(holds(c, state, team) for c in condition.all_ or [])
    if form == "any":
        return any(holds(c, state, team) for c in condition.any_ or [])
    if form == "not":
        return condition.not_ is not None and not holds(condition.not_, state, team)
    if form == "state":
        track = state.tracks.get(condition.state or "")
        return track is not None and compare(track.value, condition)
    if form != "decision" or condition.decision is None:
        return False
    try:
        _, decision = state.exercise.decision(condition.decision)
    except KeyError:
        return False
    dstate = state.decisions.get(decision.id)
    records: Mapping[str, DecisionRecord] = dstate.records if dstate else {}
    if condition.team is not None:
        grants = dstate.outcome.grants if dstate is not None else None
        if grants is not None and condition.team in grants:  # a contested pool: what it got
            return _allocation_matches(grants[condition.team], condition)
        return _record_matches(records.get(condition.team), decision, condition)
    if decision.resolve.mode == "each":
        if team is not None:
            return _record_matches(records.get(team), decision, condition)
        return any(_record_matches(r, decision, condition) for r in records.values())
    if dstate is None or dstate.outcome.status != "resolved":
        return False
    if decision.kind == "allocation":
        return _allocation_matches(dstate.outcome.allocation, condition)
    return dstate.outcome.option_id in condition.options()


def condition_decisions(condition: Condition) -> list[str]:
    """Every decision id a condition reads."""
    found: list[str] = []
    if condition.decision:
        found.append(condition.decision)
    for child in [*(condition.all_ or []), *(condition.any_ or [])]:
        found.extend(condition_decisions(child))
    if condition.not_ is not None:
        found.extend(condition_decisions(condition.not_))
    return found


# --- outcomes --------------------------------------------------------------------------


def compute_outcome(
    decision: Decision,
    deciding: list[str],
    records: Mapping[str, DecisionRecord],
    ruling: Ruling | None,
    settled: Mapping[str, Mapping[str, int]] | None = None,
) -> Outcome:
    """How a decision resolves given the teams' current answers, any ruling or settlement."""
    mode = decision.resolve.mode
    per_team = {t: records[t].counts_as for t in deciding if t in records}
    tally = Counter(o for o in per_team.values() if o is not None)
    all_in = all(per_team.get(t) is not None for t in deciding) and bool(deciding)
    if decision.kind == "allocation":
        allocation, grants = _allocation_outcome(decision, deciding, records, settled or {})
        status: OutcomeStatus = "resolved" if allocation is not None else "pending"
        answered = bool(deciding) and all(t in records for t in deciding)
        if allocation is None and mode == "facilitator" and answered:
            status = "needs_ruling"  # every proposal is in: the facilitator shares the pool out
        by = f"team {decision.resolve.team}" if mode == "team" else mode
        return Outcome(
            status=status,
            mode=mode,
            by=by if allocation is not None else "",
            tally=dict(tally),
            per_team=per_team,
            allocation=allocation,
            grants=grants,
        )
    option, by, status = _rules_option(decision, deciding, per_team, tally, all_in)
    if ruling is not None:
        return Outcome(
            status="resolved",
            mode=mode,
            option_id=ruling.option_id,
            by="facilitator" if mode == "facilitator" else "ruling",
            tally=dict(tally),
            per_team=per_team,
            rules_option=option,
        )
    return Outcome(
        status=status,
        mode=mode,
        option_id=option,
        by=by,
        tally=dict(tally),
        per_team=per_team,
        rules_option=option,
    )


def _rules_option(
    decision: Decision,
    deciding: list[str],
    per_team: Mapping[str, str | None],
    tally: Counter[str],
    all_in: bool,
) -> tuple[str | None, str, Any]:
    mode = decision.resolve.mode
    if mode == "each":
        return None, "each", "resolved" if all_in else "pending"
    if mode == "facilitator":
        return None, "", "needs_ruling"
    if mode == "team":
        chooser = decision.resolve.team or ""
        if chooser not in deciding:
            return None, "", "needs_ruling"
        chosen = per_team.get(chooser)
        return (chosen, f"team {chooser}", "resolved") if chosen else (None, "", "pending")
    if not all_in:
        return None, "", "pending"
    top = max(tally.values())
    leaders = sorted(o for o, n in tally.items() if n == top)
    if len(leaders) == 1:
        return leaders[0], "majority", "resolved"
    breaker = decision.tie_break
    if breaker != "facilitator" and per_team.get(breaker):
        return per_team[breaker], f"tie-break {breaker}", "resolved"
    return None, "", "needs_ruling"


Grants = dict[str, dict[str, int]]


def _allocation_outcome(
    decision: Decision,
    deciding: list[str],
    records: Mapping[str, DecisionRecord],
    settled: Mapping[str, Mapping[str, int]],
) -> tuple[dict[str, int] | None, Grants | None]:
    """The room's allocation (None while pending) and, for a contested pool, each team's grant."""
    mode = decision.resolve.mode
    options = [o.id for o in decision.options]
    contested = decision.pool is not None and decision.pool.kind == "contested"
    if mode == "team":
        record = records.get(decision.resolve.team or "")
        return (dict(record.allocation) if record and record.allocation is not None else None), None
    if mode == "facilitator" and contested:
        if not deciding or any(t not in settled for t in deciding):
            return None, None
        grants = {t: dict(settled[t]) for t in deciding}
        return _summed(grants, options), grants
    if mode == "facilitator" and decision.pool is not None:
        split = settled.get("")
        return (dict(split) if split is not None else None), None
    answers = [records[t].allocation for t in deciding if t in records]
    if not deciding or len(answers) < len(deciding) or any(a is None for a in answers):
        return None, None
    from ttx.session.pool import largest_remainder, pro_rata

    if mode == "pro_rata" and decision.pool is not None:
        requests = {t: dict(records[t].allocation or {}) for t in deciding}
        grants = pro_rata(requests, decision.pool.total, deciding)
        return _summed(grants, options), grants
    if mode == "largest_remainder":
        caps = {o.id: o.max for o in decision.options}
        return largest_remainder([a or {} for a in answers], options, caps), None
    return {
        o: sum(int((a or {}).get(o, 0)) for a in answers) // len(answers) for o in options
    }, None


def _summed(grants: Grants, options: list[str]) -> dict[str, int]:
    """The units granted per option, over every team."""
    return {o: sum(g.get(o, 0) for g in grants.values()) for o in options}


def effect_keys(
    decision: Decision, outcome: Outcome, records: Mapping[str, DecisionRecord]
) -> set[tuple[str | None, str]]:
    """Which (team, option) effects should be in force for this outcome.

    `each`: every team's own answer (team set); otherwise the resolved option (team None).
    Allocations: every option that got points. Options without effects are left out.
    """
    with_effects = {o.id for o in decision.options if o.effects}
    keys: set[tuple[str | None, str]] = set()
    if decision.kind == "allocation":
        if outcome.grants is not None:  # a contested pool: each team's grant has its effects
            for team, grant in outcome.grants.items():
                for option_id, points in grant.items():
                    if points > 0 and option_id in with_effects:
                        keys.add((team, option_id))
            return keys
        if decision.resolve.mode == "each":
            for team, record in records.items():
                for option_id, points in (record.allocation or {}).items():
                    if points > 0 and option_id in with_effects:
                        keys.add((team, option_id))
            return keys
        for option_id, points in (outcome.allocation or {}).items():
            if points > 0 and option_id in with_effects:
                keys.add((None, option_id))
        return keys
    if decision.resolve.mode == "each" and outcome.by != "ruling":
        for team, answer in outcome.per_team.items():
            if answer is not None and answer in with_effects:
                keys.add((team, answer))
        return keys
    chosen = outcome.option_id
    if outcome.status == "resolved" and chosen is not None and chosen in with_effects:
        keys.add((None, chosen))
    return keys


# --- branches and injects ---------------------------------------------------------------


def preview_branch(state: SessionState, move_id: str) -> BranchPreview:
    """Where the rules send a move now, the decisions still unsettled, and any recorded choice."""
    exercise = state.exercise
    move = exercise.move(move_id)
    rules = move.rules()
    waiting = _unsettled(state, rules)
    rule_index: int | None = None
    when: dict[str, Any] | None = None
    target = exercise.default_next(move_id)
    matched = False
    for index, rule in enumerate(rules):
        if rule.when is not None and holds(rule.when, state):
            rule_index, target, matched = index, rule.goto, True
            when = rule.when.model_dump(mode="json", by_alias=True, exclude_none=True)
            break
    if not matched:
        for index, rule in enumerate(rules):
            if rule.when is None:
                rule_index, target = index, rule.goto
                break
    recorded = current_branch(state, move_id)
    return BranchPreview(
        move_id=move_id,
        rule_index=rule_index,
        rule_when=when,
        target=target,
        waiting=tuple(waiting),
        chosen=recorded.target if recorded else None,
        overridden=recorded.overridden if recorded else False,
    )


def current_branch(state: SessionState, move_id: str) -> Any:
    """The branch recorded for the latest visit to a move (None if not recorded yet)."""
    branch = state.branches.get(move_id)
    visits = [v for v in state.path if v.move_id == move_id]
    if branch is None or not visits or branch.seq < visits[-1].seq:
        return None
    return branch


def _unsettled(state: SessionState, rules: list[Any]) -> list[str]:
    ids: list[str] = []
    for rule in rules:
        if rule.when is None:
            continue
        for decision_id in condition_decisions(rule.when):
            dstate = state.decisions.get(decision_id)
            settled = dstate is not None and dstate.outcome.status == "resolved"
            if not settled and decision_id not in ids:
                ids.append(decision_id)
    return ids


def inject_recipients(state: SessionState, inject: Inject) -> tuple[tuple[str, ...], bool | None]:
    """To whom an inject goes now (its audience, narrowed by its condition) and whether it held.

    Facilitator-only injects go to no team. For a condition, each recipient is tested on
    its own (so `each` decisions read that team's answer).
    """
    audience = [t for t in inject.audience(state.team_ids) if t in state.team_ids]
    if inject.when is None:
        return tuple(audience), None
    if inject.facilitator_only or not audience:
        held = holds(inject.when, state)
        return (), held
    held_for = tuple(t for t in audience if holds(inject.when, state, t))
    return held_for, bool(held_for)


def pending_injects(state: SessionState, now: Any) -> list[PendingInject]:
    """The current move's injects not yet released whose condition holds (or that have none)."""
    if state.current_move is None or state.status != "running":
        return []
    move = state.exercise.move(state.current_move)
    elapsed = state.clock.move_elapsed(move.id, now)
    released = {r.inject_id for r in state.injects}
    result: list[PendingInject] = []
    for inject in move.injects:
        if inject.id in released:
            continue
        to, held = inject_recipients(state, inject)
        if held is False:
            continue
        result.append(
            PendingInject(
                inject=inject,
                move_id=move.id,
                to=to,
                due_in=inject.at * 60 - elapsed,
                condition_held=held,
                teams_held=to if held else (),
            )
        )
    return result


def exercise_decision(exercise: Exercise, decision_id: str) -> Decision:
    """The decision with this id (KeyError if none)."""
    return exercise.decision(decision_id)[1]
