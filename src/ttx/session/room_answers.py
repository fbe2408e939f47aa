"""Planning what the teams send from the room: proposed answers, their acceptance, anonymous feedback.

A room answer is checked exactly as the facilitator's `RecordDecision` would be (same
option, allocation and rationale rules), so a team hears at once what is wrong with it.
It is kept as the team's proposal; the facilitator accepts it with one key, or the room
records directly (`SubmitRoomAnswer(record=True)`), in the same action.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime

from ttx.session import actions as c
from ttx.session import events as ev
from ttx.session.actions import CommandError
from ttx.session.decisions import answer_fields, plan_correct, plan_record
from ttx.session.lookups import Drafts, clean_text, find_decision, not_ended
from ttx.session.state import RoomAnswer, SessionState

ROOM_REASON = "sent again from the room"
"""The reason a correction made by a team's resent answer carries."""

MAX_FEEDBACK_RATING = 5


def locked(state: SessionState, decision_id: str, team_id: str, *, record: bool) -> bool:
    """True when a team may no longer change its answer from the room.

    The decision must be in the current move while the moves run, and not locked by the
    facilitator (`LockRoomAnswers`). While the room only proposes, the facilitator's
    recording locks the answer too; when it records directly, the team may change it
    until the facilitator locks it or the move ends.
    """
    if state.status != "running" or state.current_move is None:
        return True
    if decision_id in state.room_locked:
        return True
    try:
        move, _ = state.exercise.decision(decision_id)
    except KeyError:
        return True
    if move.id != state.current_move:
        return True
    if record:
        return False
    recorded = state.decisions.get(decision_id)
    return recorded is not None and team_id in recorded.records


def plan_submit(state: SessionState, cmd: c.SubmitRoomAnswer, now: datetime) -> Drafts:
    """The proposal (and, recording directly, the decision it records or corrects)."""
    not_ended(state, "take answers from the room")
    find_decision(state, cmd.decision_id)
    if locked(state, cmd.decision_id, cmd.team_id, record=cmd.record):
        raise CommandError(
            "this answer can no longer be changed: the facilitator has recorded it or the move is over"
        )
    answer = c.RecordDecision(
        decision_id=cmd.decision_id,
        team_id=cmd.team_id,
        option_id=cmd.option_id,
        allocation=cmd.allocation,
        free_text=cmd.free_text,
        rationale=cmd.rationale,
    )
    _, team, fields = answer_fields(state, answer)
    proposal = ev.RoomAnswerSubmitted(
        at=now,
        decision_id=cmd.decision_id,
        team_id=team,
        submission=clean_text(cmd.submission, "the submission id")[:100],
        **fields,
    )
    if not cmd.record:
        return [proposal]
    return [proposal, *_record(state, answer, now)]


def _record(state: SessionState, answer: c.RecordDecision, now: datetime) -> Drafts:
    existing = state.decisions.get(answer.decision_id)
    if existing is not None and answer.team_id in existing.records:
        correction = c.CorrectDecision(**asdict(answer), reason=ROOM_REASON)
        return plan_correct(state, correction, now)
    return plan_record(state, answer, now)


def plan_accept(state: SessionState, cmd: c.AcceptRoomAnswer, now: datetime) -> Drafts:
    """Record (or correct to) the team's proposal from the room."""
    not_ended(state, "accept an answer")
    proposal = state.room_answer(cmd.decision_id, cmd.team_id)
    if proposal is None:
        raise CommandError(f"team {cmd.team_id!r} has sent no answer to {cmd.decision_id!r}")
    existing = state.decisions.get(cmd.decision_id)
    current = existing.records.get(cmd.team_id) if existing is not None else None
    if current is not None and current.recorded_at >= proposal.at:
        raise CommandError("the team's answer from the room is already recorded")
    answer = c.RecordDecision(
        decision_id=proposal.decision_id,
        team_id=proposal.team_id,
        option_id=proposal.option_id,
        allocation=dict(proposal.allocation) if proposal.allocation is not None else None,
        free_text=proposal.free_text,
        rationale=proposal.rationale,
    )
    return _record(state, answer, now)


def plan_lock(state: SessionState, cmd: c.LockRoomAnswers, now: datetime) -> Drafts:
    """Lock a decision of the current move against changes from the room."""
    not_ended(state, "lock answers from the room")
    find_decision(state, cmd.decision_id)
    if locked(state, cmd.decision_id, "", record=True):
        raise CommandError("this decision's answers from the room are already closed")
    return [ev.RoomAnswersLocked(at=now, decision_id=cmd.decision_id)]


def plan_feedback(state: SessionState, cmd: c.GiveRoomFeedback, now: datetime) -> Drafts:
    """Anonymous feedback, taken once the hot wash has begun."""
    if state.status not in ("hot_wash", "ended"):
        raise CommandError("the feedback form opens after the moves, in the hot wash")
    count = len(state.exercise.feedback.ratings)
    ratings: dict[str, int] = {}
    for key, value in cmd.ratings.items():
        if not key.isdigit() or int(key) >= count:
            raise CommandError(f"there is no statement {key!r} to rate")
        if isinstance(value, bool) or not isinstance(value, int):
            raise CommandError("a rating is a whole number from 1 to 5")
        if not 1 <= value <= MAX_FEEDBACK_RATING:
            raise CommandError(f"a rating is from 1 to 5 (got {value})")
        ratings[key] = value
    strengths = clean_text(cmd.strengths, "what worked")
    improvements = clean_text(cmd.improvements, "what to improve")
    if not ratings and not strengths and not improvements:
        raise CommandError("the feedback form is empty; rate a statement or write a line")
    return [
        ev.RoomFeedbackGiven(
            at=now,
            ratings=ratings,
            strengths=strengths,
            improvements=improvements,
            submission=clean_text(cmd.submission, "the submission id")[:100],
        )
    ]


def waiting_answers(state: SessionState) -> list[RoomAnswer]:
    """Answers sent from the room that the facilitator has not recorded yet, oldest first."""
    waiting = []
    for decision_id, answers in state.room_answers.items():
        recorded = state.decisions.get(decision_id)
        for team_id, answer in answers.items():
            record = recorded.records.get(team_id) if recorded is not None else None
            if record is None or record.recorded_at < answer.at:
                waiting.append(answer)
    return sorted(waiting, key=lambda a: a.seq)
