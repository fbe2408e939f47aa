"""Turn a facilitator's command into the events it records, or refuse it with a clear reason.

`plan` reads the current state and never changes it: the caller commits the events,
then feeds them to the replayer. Derived consequences (a branch resolution when a
move is left, state-track effects when a decision's outcome changes) are part of the
same action, so one Undo takes them all back.
"""

from __future__ import annotations

import hashlib
import os
import socket
from collections.abc import Callable
from datetime import datetime
from typing import Any

from ttx.model.exercise import END, Exercise
from ttx.session import actions as c
from ttx.session import events as ev
from ttx.session.actions import CommandError
from ttx.session.branching import current_branch, inject_recipients, preview_branch
from ttx.session.decisions import (
    plan_adjudicate,
    plan_correct,
    plan_record,
    plan_rule,
    plan_settle,
)
from ttx.session.lookups import (
    Drafts,
    clean_text,
    find_inject,
    move_target,
    not_ended,
    session_team,
    suggest,
    visited,
)
from ttx.session.observations import (
    plan_hot_wash,
    plan_improvement,
    plan_note,
    plan_note_analysis,
    plan_note_correction,
    plan_rate,
    plan_track,
)
from ttx.session.room_answers import plan_accept, plan_feedback, plan_lock, plan_submit
from ttx.session.state import SessionState

__all__ = ["Drafts", "plan", "plan_reopen", "plan_start", "plan_undo"]


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
                f"the exercise has no team {setup.id!r}" + suggest(setup.id, exercise_ids)
            )
        if setup.id in seen:
            raise CommandError(f"team {setup.id!r} is named twice; name each team once")
        seen.add(setup.id)
        name = clean_text(setup.name, f"the name of team {setup.id!r}") or None
        members = [clean_text(m, "a member's name") for m in setup.members]
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
        facilitator=clean_text(start.facilitator, "the facilitator's name") or None,
        location=clean_text(start.location, "the location") or None,
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
    not_ended(state, "enter a move")
    if state.status == "hot_wash":
        raise CommandError("the moves have ended and the hot wash has begun; undo to go back")
    exercise = state.exercise
    out: Drafts = []
    if state.current_move is None:
        target = move_target(exercise, cmd.move_id or exercise.start_move())
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
    target = move_target(exercise, cmd.move_id) if cmd.move_id else chosen
    if target == current:
        raise CommandError(f"already in move {current!r}")
    if target != chosen:
        out.append(
            ev.BranchOverridden(
                at=now,
                move_id=current,
                rule_target=rule_target,
                target=target,
                reason=clean_text(cmd.reason, "the reason"),
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
    not_ended(state, doing)
    if state.current_move is None:
        raise CommandError(f"no move is being played; cannot {doing}")
    return state.current_move


def _resolve_branch(state: SessionState, cmd: c.ResolveBranch, now: datetime) -> Drafts:
    current = _current(state, "resolve a branch")
    return [_resolved(preview_branch(state, current), now)]


def _override_branch(state: SessionState, cmd: c.OverrideBranch, now: datetime) -> Drafts:
    current = _current(state, "override a branch")
    target = move_target(state.exercise, cmd.target)
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
            reason=clean_text(cmd.reason, "the reason"),
        )
    )
    return out


def _pause(state: SessionState, cmd: c.PauseClock, now: datetime) -> Drafts:
    not_ended(state, "pause the clock")
    if not state.clock.started:
        raise CommandError("the clock has not started yet")
    if not state.clock.running:
        raise CommandError("the clock is already paused")
    return [ev.ClockPaused(at=now, reason=clean_text(cmd.reason, "the reason"))]


def _explain_pause(state: SessionState, cmd: c.ExplainPause, now: datetime) -> Drafts:
    not_ended(state, "explain a pause")
    if not state.clock.started or state.clock.running:
        raise CommandError("the clock is not paused")
    return [ev.PauseExplained(at=now, reason=clean_text(cmd.reason, "the reason", required=True))]


def _resume(state: SessionState, cmd: c.ResumeClock, now: datetime) -> Drafts:
    not_ended(state, "resume the clock")
    if not state.clock.started:
        return [ev.ClockStarted(at=now)]
    if state.clock.running:
        raise CommandError("the clock is already running")
    return [ev.ClockResumed(at=now)]


def _end(state: SessionState, cmd: c.EndSession, now: datetime) -> Drafts:
    not_ended(state, "end it again")
    return [ev.SessionEnded(at=now)]


def _release(state: SessionState, cmd: c.ReleaseInject, now: datetime) -> Drafts:
    not_ended(state, "release an inject")
    move_id, inject = find_inject(state.exercise, cmd.inject_id)
    if not visited(state, move_id):
        raise CommandError(f"inject {inject.id!r} belongs to move {move_id!r}, not reached yet")
    if state.released(inject.id) is not None:
        raise CommandError(f"inject {inject.id!r} has already been released")
    recipients, held = inject_recipients(state, inject)
    if cmd.to is not None:
        recipients = tuple(t for t in (session_team(state, t) for t in cmd.to) if t is not None)
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
    c.RecordDecision: plan_record,
    c.CorrectDecision: plan_correct,
    c.AdjudicateDecision: plan_adjudicate,
    c.RuleDecision: plan_rule,
    c.SettleAllocation: plan_settle,
    c.PauseClock: _pause,
    c.ExplainPause: _explain_pause,
    c.ResumeClock: _resume,
    c.AddNote: plan_note,
    c.CorrectNote: plan_note_correction,
    c.AnalyseNote: plan_note_analysis,
    c.ChangeTrack: plan_track,
    c.AnswerHotWash: plan_hot_wash,
    c.RateObjective: plan_rate,
    c.AddImprovementItem: plan_improvement,
    c.SubmitRoomAnswer: plan_submit,
    c.AcceptRoomAnswer: plan_accept,
    c.LockRoomAnswers: plan_lock,
    c.GiveRoomFeedback: plan_feedback,
    c.EndSession: _end,
    c.Undo: _undo,
}


def plan(state: SessionState, command: c.Command, now: datetime) -> Drafts:
    """The events a command records (not yet numbered), or CommandError saying why not."""
    planner = _PLANNERS.get(type(command))
    if planner is None:
        raise CommandError(f"unknown command {type(command).__name__}")
    return planner(state, command, now)
