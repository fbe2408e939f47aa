"""Planning decision commands: answers, corrections, adjudication, rulings and their effects.

When a command changes a decision's outcome, the state tracks are brought in line in
the same action: earlier effects are reverted and the new ones applied, clamped.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import datetime
from typing import Any

from ttx.model.exercise import Decision
from ttx.session import actions as c
from ttx.session import events as ev
from ttx.session.actions import CommandError
from ttx.session.branching import compute_outcome, effect_keys
from ttx.session.lookups import (
    Drafts,
    clean_text,
    find_decision,
    find_option,
    require_asked,
    session_team,
)
from ttx.session.state import DecisionRecord, Ruling, SessionState


def answer_fields(
    state: SessionState, cmd: c.RecordDecision | c.CorrectDecision
) -> tuple[Decision, str, dict[str, Any]]:
    """The decision, the team and the checked answer fields, or CommandError saying what is wrong."""
    _, decision = find_decision(state, cmd.decision_id)
    require_asked(state, decision.id)
    team = session_team(state, cmd.team_id) or ""
    deciding = state.deciding_teams(decision.id)
    if team not in deciding:
        raise CommandError(
            f"team {team!r} does not answer decision {decision.id!r} "
            f"(it is for: {', '.join(deciding) or 'no team in this session'})"
        )
    given = [
        name
        for name, value in (
            ("option", cmd.option_id),
            ("allocation", cmd.allocation),
            ("free-form text", cmd.free_text),
        )
        if value is not None
    ]
    if len(given) != 1:
        expected = "an allocation" if decision.kind == "allocation" else "an option"
        extra = " or free-form text" if decision.free_form else ""
        raise CommandError(
            f"give exactly one answer for {decision.id!r}: {expected}{extra}"
            + (f" (got {', '.join(given)})" if given else "")
        )
    fields: dict[str, Any] = {"option_id": None, "allocation": None, "free_text": None}
    if cmd.free_text is not None:
        if not decision.free_form:
            raise CommandError(f"decision {decision.id!r} does not take free-form answers")
        fields["free_text"] = clean_text(cmd.free_text, "the free-form answer", required=True)
    elif decision.kind == "allocation":
        if cmd.allocation is None:
            raise CommandError(f"decision {decision.id!r} is an allocation: give points per option")
        contested = decision.pool is not None and decision.pool.kind == "contested"
        fields["allocation"] = _allocation(decision, cmd.allocation, request=contested)
    else:
        if cmd.option_id is None:
            raise CommandError(f"decision {decision.id!r} is a choice: give an option, not points")
        fields["option_id"] = find_option(decision, cmd.option_id)
    rationale = clean_text(cmd.rationale, "the rationale")
    if decision.rationale_required and not rationale:
        raise CommandError(
            f"decision {decision.id!r} asks for the team's rationale; type it (even one line)"
        )
    fields["rationale"] = rationale
    return decision, team, fields


def _allocation(
    decision: Decision, allocation: Mapping[str, int], *, request: bool = False
) -> dict[str, int]:
    """A checked allocation: known options, whole numbers, caps, the budget (or pool).

    A request from a contested pool (`request`) may leave units for the other teams.
    """
    budget = decision.budget or 0
    clean: dict[str, int] = {}
    for option_id, points in allocation.items():
        find_option(decision, option_id)
        if isinstance(points, bool) or not isinstance(points, int) or points < 0:
            raise CommandError(f"points for {option_id!r} must be a whole number, 0 or more")
        cap = next(o.max for o in decision.options if o.id == option_id)
        if cap is not None and points > cap:
            raise CommandError(f"{option_id!r} takes at most {cap} points (got {points})")
        clean[option_id] = points
    total = sum(clean.values())
    unit = decision.pool.units if decision.pool is not None else "points"
    if total > budget:
        raise CommandError(
            f"the allocation spends {total} {unit} but the budget of {decision.id!r} is {budget}; "
            f"take {total - budget} off"
        )
    if (
        not request
        and decision.pool is not None
        and decision.pool.must_spend_all
        and total != budget
    ):
        raise CommandError(
            f"the allocation places {total} of the {budget} {unit} of {decision.id!r}, which must "
            f"all be placed; place {budget - total} more"
        )
    return clean


def plan_record(state: SessionState, cmd: c.RecordDecision, now: datetime) -> Drafts:
    decision, team, fields = answer_fields(state, cmd)
    existing = state.decisions.get(decision.id)
    if existing is not None and team in existing.records:
        raise CommandError(
            f"team {team!r} has already answered {decision.id!r}; correct the answer instead"
        )
    event = ev.DecisionRecorded(at=now, decision_id=decision.id, team_id=team, **fields)
    record = _as_record(event, correction=False)
    ruled = _played_ruling(state, decision, team, event, now)
    ruling = Ruling(ruled.option_id, ruled.reason, now, 0) if ruled is not None else None
    effects = _effects(state, decision, {team: record}, ruling, now)
    return [event, *([ruled] if ruled is not None else []), *effects]


def _played_ruling(
    state: SessionState, decision: Decision, team: str, event: ev.DecisionRecorded, now: datetime
) -> ev.DecisionRuled | None:
    """The facilitator's ruling that comes with the last answer to a decision only
    facilitator-played teams make (a red cell) and the facilitator rules: the answer the
    facilitator just entered for them is the ruling, not something to enter a second time."""
    deciding = state.deciding_teams(decision.id)
    existing = state.decisions.get(decision.id)
    answered = {*(existing.records if existing else {}), team}
    if (
        decision.resolve.mode != "facilitator"
        or decision.kind == "allocation"
        or event.option_id is None
        or not deciding
        or not answered.issuperset(deciding)
        or any(state.team(t).played_by != "facilitator" for t in deciding)
    ):
        return None
    reason = f"{state.team(team).name}'s answer, played by the facilitator"
    return ev.DecisionRuled(
        at=now, decision_id=decision.id, option_id=event.option_id, reason=reason
    )


def plan_correct(state: SessionState, cmd: c.CorrectDecision, now: datetime) -> Drafts:
    decision, team, fields = answer_fields(state, cmd)
    existing = state.decisions.get(decision.id)
    if existing is None or team not in existing.records:
        raise CommandError(f"team {team!r} has not answered {decision.id!r} yet; record it first")
    event = ev.DecisionCorrected(
        at=now,
        decision_id=decision.id,
        team_id=team,
        reason=clean_text(cmd.reason, "the reason"),
        **fields,
    )
    record = _as_record(event, correction=True)
    return [event, *_effects(state, decision, {team: record}, None, now)]


def _as_record(
    event: ev.DecisionRecorded | ev.DecisionCorrected, *, correction: bool
) -> DecisionRecord:
    return DecisionRecord(
        team_id=event.team_id,
        option_id=event.option_id,
        allocation=event.allocation,
        free_text=event.free_text,
        rationale=event.rationale,
        recorded_at=event.at,
        seq=0,
        correction=correction,
    )


def plan_adjudicate(state: SessionState, cmd: c.AdjudicateDecision, now: datetime) -> Drafts:
    _, decision = find_decision(state, cmd.decision_id)
    team = session_team(state, cmd.team_id) or ""
    existing = state.decisions.get(decision.id)
    record = existing.records.get(team) if existing else None
    if record is None:
        raise CommandError(f"team {team!r} has not answered {decision.id!r} yet")
    if record.free_text is None:
        raise CommandError(
            f"team {team!r} chose an option for {decision.id!r}; only free-form answers are adjudicated"
        )
    if decision.kind == "allocation":
        raise CommandError("allocation answers are not adjudicated; correct the allocation instead")
    option = find_option(decision, cmd.option_id)
    event = ev.DecisionAdjudicated(
        at=now,
        decision_id=decision.id,
        team_id=team,
        option_id=option,
        reason=clean_text(cmd.reason, "the reason"),
    )
    updated = replace(record, adjudicated_option=option)
    return [event, *_effects(state, decision, {team: updated}, None, now)]


def plan_rule(state: SessionState, cmd: c.RuleDecision, now: datetime) -> Drafts:
    _, decision = find_decision(state, cmd.decision_id)
    require_asked(state, decision.id)
    if decision.kind == "allocation":
        raise CommandError("an allocation is not ruled; correct a team's allocation instead")
    option = find_option(decision, cmd.option_id)
    event = ev.DecisionRuled(
        at=now,
        decision_id=decision.id,
        option_id=option,
        reason=clean_text(cmd.reason, "the reason"),
    )
    ruling = Ruling(option, event.reason, now, 0)
    return [event, *_effects(state, decision, {}, ruling, now)]


def plan_settle(state: SessionState, cmd: c.SettleAllocation, now: datetime) -> Drafts:
    """The facilitator shares out a pool: the room's split, or one team's grant (contested)."""
    _, decision = find_decision(state, cmd.decision_id)
    require_asked(state, decision.id)
    pool = decision.pool
    if decision.kind != "allocation" or pool is None or decision.resolve.mode != "facilitator":
        raise CommandError(
            f"decision {decision.id!r} is not a pool the facilitator shares out "
            f"(it resolves by {decision.resolve.short()}); record or correct the teams' answers"
        )
    team: str | None = None
    if pool.kind == "contested":
        team = session_team(state, cmd.team_id)
        deciding = state.deciding_teams(decision.id)
        if team not in deciding:
            raise CommandError(
                f"name the team whose grant this is: one of {', '.join(deciding) or 'none'}"
            )
    elif cmd.team_id is not None:
        raise CommandError(
            f"decision {decision.id!r} splits one pool for the room; set the split without a team"
        )
    allocation = _allocation(decision, cmd.allocation, request=pool.kind == "contested")
    if team is not None:
        dstate = state.decisions.get(decision.id)
        others = {t: g for t, g in (dstate.settled if dstate else {}).items() if t != team}
        given = sum(sum(g.values()) for g in others.values()) + sum(allocation.values())
        if given > pool.total:
            raise CommandError(
                f"the grants would give out {given} of the {pool.total} {pool.units}; "
                f"take {given - pool.total} off"
            )
    event = ev.AllocationSettled(
        at=now,
        decision_id=decision.id,
        team_id=team,
        allocation=allocation,
        reason=clean_text(cmd.reason, "the reason"),
    )
    settled = {**(state.decisions[decision.id].settled if decision.id in state.decisions else {})}
    settled[team or ""] = allocation
    return [event, *_effects(state, decision, {}, None, now, settled)]


def _effects(
    state: SessionState,
    decision: Decision,
    changed: Mapping[str, DecisionRecord],
    ruling: Ruling | None,
    now: datetime,
    settled: Mapping[str, Mapping[str, int]] | None = None,
) -> Drafts:
    """State-track events that bring the tracks in line with the decision's new outcome."""
    dstate = state.decisions.get(decision.id)
    records = {**(dstate.records if dstate else {}), **changed}
    ruling = ruling or (dstate.ruling if dstate else None)
    if settled is None:
        settled = dstate.settled if dstate else {}
    outcome = compute_outcome(decision, state.deciding_teams(decision.id), records, ruling, settled)
    desired = effect_keys(decision, outcome, records)
    applied: dict[tuple[str | None, str], list[tuple[str, int]]] = {}
    changes = sorted(
        (ch for t in state.tracks.values() for ch in t.history if ch.decision_id == decision.id),
        key=lambda ch: ch.seq,
    )
    track_of = {id(ch): t.track_id for t in state.tracks.values() for ch in t.history}
    for ch in changes:
        key = (ch.team_id, ch.option_id or "")
        if ch.cause == "effect":
            applied.setdefault(key, []).append((track_of[id(ch)], ch.after - ch.before))
        elif ch.cause == "revert":
            applied.pop(key, None)
    values = {t.track_id: t.value for t in state.tracks.values()}
    bounds = {t.track_id: (t.min, t.max) for t in state.tracks.values()}
    out: Drafts = []

    def move(track: str, delta: int, cause: ev.TrackCause, team: str | None, option: str) -> None:
        low, high = bounds[track]
        before = values[track]
        after = min(high, max(low, before + delta))
        values[track] = after
        out.append(
            ev.StateTrackChanged(
                at=now,
                track_id=track,
                before=before,
                after=after,
                cause=cause,
                decision_id=decision.id,
                team_id=team,
                option_id=option,
            )
        )

    for key in sorted(set(applied) - desired, key=str):
        for track, delta in applied[key]:
            move(track, -delta, "revert", key[0], key[1])
    options = {o.id: o for o in decision.options}
    for team, option_id in sorted(desired - set(applied), key=str):
        for track, delta in options[option_id].effects.items():
            if track in values:
                move(track, delta, "effect", team, option_id)
    return out
