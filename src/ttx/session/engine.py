"""Turn a facilitator's command into the events it records, or refuse it with a clear reason.

`plan` reads the current state and never changes it: the caller commits the events,
then feeds them to the replayer. Derived consequences (a branch resolution when a
move is left, state-track effects when a decision's outcome changes) are part of the
same action, so one Undo takes them all back.
"""

from __future__ import annotations

import difflib
import hashlib
import os
import socket
from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace
from datetime import datetime
from typing import Any

from ttx.model.exercise import END, Decision, Exercise, Inject
from ttx.session import commands as c
from ttx.session import events as ev
from ttx.session.branching import (
    compute_outcome,
    current_branch,
    effect_keys,
    inject_recipients,
    preview_branch,
)
from ttx.session.commands import CommandError
from ttx.session.state import DecisionRecord, Ruling, SessionState

MAX_TEXT = 20_000
"""The longest text accepted in one field (a rationale, a note...)."""

Drafts = list[ev.BaseEvent]


# --- lookups with helpful errors -------------------------------------------------------


def _suggest(name: str, choices: Iterable[str]) -> str:
    options = list(choices)
    close = difflib.get_close_matches(name, options, n=1)
    if close:
        return f"; did you mean {close[0]!r}?"
    return f"; choose one of: {', '.join(options)}" if options else ""


def _text(value: str | None, what: str, *, required: bool = False) -> str:
    text = (value or "").strip()
    if required and not text:
        raise CommandError(f"{what} is empty; type something first")
    if len(text) > MAX_TEXT:
        raise CommandError(f"{what} is {len(text):,} characters; keep it under {MAX_TEXT:,}")
    return text


def _team(state: SessionState, team_id: str | None, what: str = "team") -> str | None:
    if team_id is None:
        return None
    if team_id not in state.team_ids:
        raise CommandError(
            f"no {what} {team_id!r} in this session" + _suggest(team_id, state.team_ids)
        )
    return team_id


def _decision(state: SessionState, decision_id: str) -> tuple[str, Decision]:
    try:
        move, decision = state.exercise.decision(decision_id)
    except KeyError:
        ids = [d.id for m in state.exercise.moves for d in m.decisions]
        raise CommandError(f"no decision {decision_id!r}" + _suggest(decision_id, ids)) from None
    return move.id, decision


def _option(decision: Decision, option_id: str) -> str:
    ids = [o.id for o in decision.options]
    if option_id not in ids:
        raise CommandError(
            f"decision {decision.id!r} has no option {option_id!r}" + _suggest(option_id, ids)
        )
    return option_id


def _inject(exercise: Exercise, inject_id: str) -> tuple[str, Inject]:
    for move in exercise.moves:
        for inject in move.injects:
            if inject.id == inject_id:
                return move.id, inject
    ids = [i.id for m in exercise.moves for i in m.injects]
    raise CommandError(f"no inject {inject_id!r}" + _suggest(inject_id, ids))


def _target(exercise: Exercise, move_id: str) -> str:
    ids = [m.id for m in exercise.moves]
    if move_id != END and move_id not in ids:
        raise CommandError(f"no move {move_id!r}" + _suggest(move_id, [*ids, END]))
    return move_id


def _visited(state: SessionState, move_id: str) -> bool:
    return any(v.move_id == move_id for v in state.path)


def _not_ended(state: SessionState, doing: str) -> None:
    if state.status == "ended":
        raise CommandError(f"the session has ended; cannot {doing} (undo the end to continue)")


# --- session start, reopen, undo --------------------------------------------------------


def plan_start(
    session_id: str, exercise: Exercise, snapshot: str, start: c.StartSession, now: datetime
) -> ev.SessionStarted:
    """The first event of a session: the exercise it runs and the teams that play."""
    exercise_ids = [t.id for t in exercise.teams]
    teams = list(start.teams) or [ev.TeamSetup(id=t) for t in exercise_ids]
    seen: set[str] = set()
    cleaned: list[ev.TeamSetup] = []
    for setup in teams:
        if setup.id not in exercise_ids:
            raise CommandError(
                f"the exercise has no team {setup.id!r}" + _suggest(setup.id, exercise_ids)
            )
        if setup.id in seen:
            raise CommandError(f"team {setup.id!r} is named twice; name each team once")
        seen.add(setup.id)
        name = _text(setup.name, f"the name of team {setup.id!r}") or None
        members = [_text(m, "a member's name") for m in setup.members]
        cleaned.append(
            setup.model_copy(update={"name": name, "members": [m for m in members if m]})
        )
    return ev.SessionStarted(
        seq=1,
        action=1,
        at=now,
        session_id=session_id,
        exercise_id=exercise.id,
        exercise_title=exercise.title,
        exercise_version=exercise.version,
        exercise_sha256=hashlib.sha256(snapshot.encode("utf-8")).hexdigest(),
        teams=cleaned,
        facilitator=_text(start.facilitator, "the facilitator's name") or None,
    )


def plan_reopen(state: SessionState, now: datetime) -> Drafts:
    """The marker written when a session is opened again for recording."""
    return [
        ev.JournalReopened(
            at=now, pid=os.getpid(), host=socket.gethostname(), last_seq=state.last_seq
        )
    ]


def plan_undo(state: SessionState, now: datetime) -> Drafts:
    """The compensating event that takes back the last action still in effect."""
    if state.undo_action is None:
        raise CommandError("nothing to undo")
    return [ev.Undone(at=now, undoes=state.undo_action, summary=state.undo_summary or "")]


# --- moves, branches, clock ------------------------------------------------------------


def _enter(state: SessionState, cmd: c.EnterMove, now: datetime) -> Drafts:
    _not_ended(state, "enter a move")
    if state.status == "hot_wash":
        raise CommandError("the moves have ended and the hot wash has begun; undo to go back")
    exercise = state.exercise
    out: Drafts = []
    if state.current_move is None:
        target = _target(exercise, cmd.move_id or exercise.start_move())
        if target == END:
            raise CommandError("enter a move first; `end` is where the moves finish")
        if not state.clock.started:
            out.append(ev.ClockStarted(at=now))
        out.append(ev.MoveEntered(at=now, move_id=target, previous=None, via="start"))
        return out
    current = state.current_move
    recorded = current_branch(state, current)
    if recorded is None:
        preview = preview_branch(state, current)
        out.append(_resolved(preview, now))
        rule_target, chosen, overridden = preview.target, preview.target, False
    else:
        rule_target, chosen, overridden = recorded.rule_target, recorded.target, recorded.overridden
    target = _target(exercise, cmd.move_id) if cmd.move_id else chosen
    if target == current:
        raise CommandError(f"already in move {current!r}")
    if target != chosen:
        out.append(
            ev.BranchOverridden(
                at=now,
                move_id=current,
                rule_target=rule_target,
                target=target,
                reason=_text(cmd.reason, "the reason"),
            )
        )
        overridden = target != rule_target
    if target == END:
        out.append(ev.HotWashStarted(at=now, previous=current))
    else:
        via: ev.EnteredVia = "override" if overridden else "rule"
        out.append(ev.MoveEntered(at=now, move_id=target, previous=current, via=via))
    return out


def _resolved(preview: Any, now: datetime) -> ev.BranchResolved:
    return ev.BranchResolved(
        at=now,
        move_id=preview.move_id,
        rule_index=preview.rule_index,
        rule_when=dict(preview.rule_when) if preview.rule_when is not None else None,
        target=preview.target,
    )


def _current(state: SessionState, doing: str) -> str:
    _not_ended(state, doing)
    if state.current_move is None:
        raise CommandError(f"no move is being played; cannot {doing}")
    return state.current_move


def _resolve_branch(state: SessionState, cmd: c.ResolveBranch, now: datetime) -> Drafts:
    current = _current(state, "resolve a branch")
    return [_resolved(preview_branch(state, current), now)]


def _override_branch(state: SessionState, cmd: c.OverrideBranch, now: datetime) -> Drafts:
    current = _current(state, "override a branch")
    target = _target(state.exercise, cmd.target)
    recorded = current_branch(state, current)
    out: Drafts = []
    if recorded is None:
        preview = preview_branch(state, current)
        out.append(_resolved(preview, now))
        rule_target, chosen = preview.target, preview.target
    else:
        rule_target, chosen = recorded.rule_target, recorded.target
    if target == chosen:
        raise CommandError(f"the story already goes to {target!r} from {current!r}")
    if target == rule_target:
        out.append(_resolved(preview_branch(state, current), now))
        return out
    out.append(
        ev.BranchOverridden(
            at=now,
            move_id=current,
            rule_target=rule_target,
            target=target,
            reason=_text(cmd.reason, "the reason"),
        )
    )
    return out


def _pause(state: SessionState, cmd: c.PauseClock, now: datetime) -> Drafts:
    _not_ended(state, "pause the clock")
    if not state.clock.started:
        raise CommandError("the clock has not started yet")
    if not state.clock.running:
        raise CommandError("the clock is already paused")
    return [ev.ClockPaused(at=now, reason=_text(cmd.reason, "the reason"))]


def _resume(state: SessionState, cmd: c.ResumeClock, now: datetime) -> Drafts:
    _not_ended(state, "resume the clock")
    if not state.clock.started:
        return [ev.ClockStarted(at=now)]
    if state.clock.running:
        raise CommandError("the clock is already running")
    return [ev.ClockResumed(at=now)]


def _end(state: SessionState, cmd: c.EndSession, now: datetime) -> Drafts:
    _not_ended(state, "end it again")
    return [ev.SessionEnded(at=now)]


def _release(state: SessionState, cmd: c.ReleaseInject, now: datetime) -> Drafts:
    _not_ended(state, "release an inject")
    move_id, inject = _inject(state.exercise, cmd.inject_id)
    if not _visited(state, move_id):
        raise CommandError(f"inject {inject.id!r} belongs to move {move_id!r}, not reached yet")
    if state.released(inject.id) is not None:
        raise CommandError(f"inject {inject.id!r} has already been released")
    recipients, held = inject_recipients(state, inject)
    if cmd.to is not None:
        recipients = tuple(t for t in (_team(state, t) for t in cmd.to) if t is not None)
        if len(set(recipients)) != len(recipients):
            raise CommandError("a team is named twice in `to`")
    if held is False and not cmd.force:
        raise CommandError(
            f"inject {inject.id!r} is conditional and its condition does not hold now; "
            "release it anyway with force"
        )
    return [
        ev.InjectReleased(
            at=now, inject_id=inject.id, move_id=move_id, to=list(recipients), condition_held=held
        )
    ]


# --- decisions -------------------------------------------------------------------------


def _answer(
    state: SessionState, cmd: c.RecordDecision | c.CorrectDecision
) -> tuple[Decision, str, dict[str, Any]]:
    move_id, decision = _decision(state, cmd.decision_id)
    if not _visited(state, move_id):
        raise CommandError(
            f"decision {decision.id!r} belongs to move {move_id!r}, which has not been played yet"
        )
    team = _team(state, cmd.team_id) or ""
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
        fields["free_text"] = _text(cmd.free_text, "the free-form answer", required=True)
    elif decision.kind == "allocation":
        if cmd.allocation is None:
            raise CommandError(f"decision {decision.id!r} is an allocation: give points per option")
        fields["allocation"] = _allocation(decision, cmd.allocation)
    else:
        if cmd.option_id is None:
            raise CommandError(f"decision {decision.id!r} is a choice: give an option, not points")
        fields["option_id"] = _option(decision, cmd.option_id)
    rationale = _text(cmd.rationale, "the rationale")
    if decision.rationale_required and not rationale:
        raise CommandError(
            f"decision {decision.id!r} asks for the team's rationale; type it (even one line)"
        )
    fields["rationale"] = rationale
    return decision, team, fields


def _allocation(decision: Decision, allocation: Mapping[str, int]) -> dict[str, int]:
    budget = decision.budget or 0
    clean: dict[str, int] = {}
    for option_id, points in allocation.items():
        _option(decision, option_id)
        if isinstance(points, bool) or not isinstance(points, int) or points < 0:
            raise CommandError(f"points for {option_id!r} must be a whole number, 0 or more")
        cap = next(o.max for o in decision.options if o.id == option_id)
        if cap is not None and points > cap:
            raise CommandError(f"{option_id!r} takes at most {cap} points (got {points})")
        clean[option_id] = points
    total = sum(clean.values())
    if total > budget:
        raise CommandError(
            f"the allocation spends {total} points but the budget of {decision.id!r} is {budget}; "
            f"take {total - budget} off"
        )
    return clean


def _record(state: SessionState, cmd: c.RecordDecision, now: datetime) -> Drafts:
    decision, team, fields = _answer(state, cmd)
    existing = state.decisions.get(decision.id)
    if existing is not None and team in existing.records:
        raise CommandError(
            f"team {team!r} has already answered {decision.id!r}; correct the answer instead"
        )
    event = ev.DecisionRecorded(at=now, decision_id=decision.id, team_id=team, **fields)
    record = _as_record(event, correction=False)
    return [event, *_effects(state, decision, {team: record}, None, now)]


def _correct(state: SessionState, cmd: c.CorrectDecision, now: datetime) -> Drafts:
    decision, team, fields = _answer(state, cmd)
    existing = state.decisions.get(decision.id)
    if existing is None or team not in existing.records:
        raise CommandError(f"team {team!r} has not answered {decision.id!r} yet; record it first")
    event = ev.DecisionCorrected(
        at=now,
        decision_id=decision.id,
        team_id=team,
        reason=_text(cmd.reason, "the reason"),
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


def _adjudicate(state: SessionState, cmd: c.AdjudicateDecision, now: datetime) -> Drafts:
    _, decision = _decision(state, cmd.decision_id)
    team = _team(state, cmd.team_id) or ""
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
    option = _option(decision, cmd.option_id)
    event = ev.DecisionAdjudicated(
        at=now,
        decision_id=decision.id,
        team_id=team,
        option_id=option,
        reason=_text(cmd.reason, "the reason"),
    )
    updated = replace(record, adjudicated_option=option)
    return [event, *_effects(state, decision, {team: updated}, None, now)]


def _rule(state: SessionState, cmd: c.RuleDecision, now: datetime) -> Drafts:
    move_id, decision = _decision(state, cmd.decision_id)
    if not _visited(state, move_id):
        raise CommandError(f"decision {decision.id!r} belongs to move {move_id!r}, not reached yet")
    if decision.kind == "allocation":
        raise CommandError("an allocation is not ruled; correct a team's allocation instead")
    option = _option(decision, cmd.option_id)
    event = ev.DecisionRuled(
        at=now, decision_id=decision.id, option_id=option, reason=_text(cmd.reason, "the reason")
    )
    ruling = Ruling(option, event.reason, now, 0)
    return [event, *_effects(state, decision, {}, ruling, now)]


def _effects(
    state: SessionState,
    decision: Decision,
    changed: Mapping[str, DecisionRecord],
    ruling: Ruling | None,
    now: datetime,
) -> Drafts:
    """State-track events that bring the tracks in line with the decision's new outcome."""
    dstate = state.decisions.get(decision.id)
    records = {**(dstate.records if dstate else {}), **changed}
    ruling = ruling or (dstate.ruling if dstate else None)
    outcome = compute_outcome(decision, state.deciding_teams(decision.id), records, ruling)
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


# --- notes, tracks, hot wash, evaluation ----------------------------------------------------


def _note(state: SessionState, cmd: c.AddNote, now: datetime) -> Drafts:
    text = _text(cmd.text, "the note", required=True)
    exercise = state.exercise
    move_id = _target(exercise, cmd.move_id) if cmd.move_id else state.current_move
    if cmd.inject_id:
        _inject(exercise, cmd.inject_id)
    if cmd.objective_id:
        _objective(exercise, cmd.objective_id)
    return [
        ev.NoteAdded(
            at=now,
            text=text,
            category=cmd.category,
            move_id=move_id,
            team_id=_team(state, cmd.team_id),
            inject_id=cmd.inject_id,
            objective_id=cmd.objective_id,
        )
    ]


def _objective(exercise: Exercise, objective_id: str) -> str:
    ids = [o.id for o in exercise.objectives]
    if objective_id not in ids:
        raise CommandError(f"no objective {objective_id!r}" + _suggest(objective_id, ids))
    return objective_id


def _track(state: SessionState, cmd: c.ChangeTrack, now: datetime) -> Drafts:
    track = state.tracks.get(cmd.track_id)
    if track is None:
        raise CommandError(
            f"no state track {cmd.track_id!r}" + _suggest(cmd.track_id, state.tracks)
        )
    if (cmd.value is None) == (cmd.delta is None):
        raise CommandError("give either a new value or a change (delta), not both")
    wanted = cmd.value if cmd.value is not None else track.value + (cmd.delta or 0)
    after = min(track.max, max(track.min, wanted))
    if after == track.value:
        raise CommandError(
            f"{track.label} is already {track.value} (range {track.min}..{track.max})"
        )
    return [
        ev.StateTrackChanged(
            at=now,
            track_id=track.track_id,
            before=track.value,
            after=after,
            cause="facilitator",
            reason=_text(cmd.reason, "the reason"),
        )
    ]


def _hot_wash(state: SessionState, cmd: c.AnswerHotWash, now: datetime) -> Drafts:
    text = _text(cmd.text, "the answer", required=True)
    count = len(state.exercise.hot_wash.questions)
    if cmd.question_index is not None and not 0 <= cmd.question_index < count:
        raise CommandError(
            f"the hot wash has {count} question(s); question {cmd.question_index + 1} does not exist"
        )
    return [
        ev.HotWashAnswered(
            at=now, text=text, question_index=cmd.question_index, team_id=_team(state, cmd.team_id)
        )
    ]


def _rate(state: SessionState, cmd: c.RateObjective, now: datetime) -> Drafts:
    objective = _objective(state.exercise, cmd.objective_id)
    scale = state.exercise.evaluation.scale
    match = [s for s in scale if s.casefold() == cmd.rating.strip().casefold()]
    if not match:
        raise CommandError(
            f"{cmd.rating!r} is not on the rating scale; use one of: {'; '.join(scale)}"
        )
    return [
        ev.ObjectiveRated(
            at=now,
            objective_id=objective,
            rating=match[0],
            evidence=_text(cmd.evidence, "the evidence"),
        )
    ]


def _improvement(state: SessionState, cmd: c.AddImprovementItem, now: datetime) -> Drafts:
    return [
        ev.ImprovementItemAdded(
            at=now,
            issue=_text(cmd.issue, "the issue", required=True),
            corrective_action=_text(cmd.corrective_action, "the corrective action"),
            responsible=_text(cmd.responsible, "who is responsible"),
            due=_text(cmd.due, "the due date"),
            objective_id=_objective(state.exercise, cmd.objective_id) if cmd.objective_id else None,
        )
    ]


def _start_again(state: SessionState, cmd: c.StartSession, now: datetime) -> Drafts:
    raise CommandError("the session has already started; StartSession is only used to create it")


def _undo(state: SessionState, cmd: c.Undo, now: datetime) -> Drafts:
    return plan_undo(state, now)


_PLANNERS: dict[type, Callable[[SessionState, Any, datetime], Drafts]] = {
    c.StartSession: _start_again,
    c.EnterMove: _enter,
    c.ResolveBranch: _resolve_branch,
    c.OverrideBranch: _override_branch,
    c.ReleaseInject: _release,
    c.RecordDecision: _record,
    c.CorrectDecision: _correct,
    c.AdjudicateDecision: _adjudicate,
    c.RuleDecision: _rule,
    c.PauseClock: _pause,
    c.ResumeClock: _resume,
    c.AddNote: _note,
    c.ChangeTrack: _track,
    c.AnswerHotWash: _hot_wash,
    c.RateObjective: _rate,
    c.AddImprovementItem: _improvement,
    c.EndSession: _end,
    c.Undo: _undo,
}


def plan(state: SessionState, command: c.Command, now: datetime) -> Drafts:
    """The events a command records (not yet numbered), or CommandError saying why not."""
    planner = _PLANNERS.get(type(command))
    if planner is None:
        raise CommandError(f"unknown command {type(command).__name__}")
    return planner(state, command, now)
