"""Planning the facilitator's own records: notes, state tracks, hot wash, ratings, the plan."""

from __future__ import annotations

from datetime import datetime

from ttx.session import actions as c
from ttx.session import events as ev
from ttx.session.actions import CommandError
from ttx.session.lookups import (
    Drafts,
    clean_text,
    date_problem,
    find_inject,
    find_objective,
    move_target,
    session_team,
    suggest,
)
from ttx.session.state import Note, SessionState


def plan_note(state: SessionState, cmd: c.AddNote, now: datetime) -> Drafts:
    text = clean_text(cmd.text, "the note", required=True)
    exercise = state.exercise
    move_id = move_target(exercise, cmd.move_id) if cmd.move_id else state.current_move
    if cmd.inject_id:
        find_inject(exercise, cmd.inject_id)
    if cmd.objective_id:
        find_objective(exercise, cmd.objective_id)
    return [
        ev.NoteAdded(
            at=now,
            text=text,
            category=cmd.category,
            move_id=move_id,
            team_id=session_team(state, cmd.team_id),
            inject_id=cmd.inject_id,
            objective_id=cmd.objective_id,
        )
    ]


def _find_note(state: SessionState, seq: int) -> Note:
    for note in state.notes:
        if note.seq == seq:
            return note
    raise CommandError(f"no note number {seq} in this session; choose one of its notes")


def plan_note_correction(state: SessionState, cmd: c.CorrectNote, now: datetime) -> Drafts:
    note = _find_note(state, cmd.note_seq)
    text = clean_text(cmd.text, "the note", required=True)
    if text == note.text:
        raise CommandError("the note already reads so; change its text first")
    return [ev.NoteCorrected(at=now, note_seq=note.seq, text=text)]


def plan_note_analysis(state: SessionState, cmd: c.AnalyseNote, now: datetime) -> Drafts:
    note = _find_note(state, cmd.note_seq)
    if note.category == "note":
        raise CommandError(
            "only a strength or an area for improvement takes an analysis; this is a plain note"
        )
    analysis = clean_text(cmd.analysis, "the analysis")
    if analysis == note.analysis:
        raise CommandError("the analysis already reads so; change it first")
    return [ev.NoteAnalysed(at=now, note_seq=note.seq, analysis=analysis)]


def plan_track(state: SessionState, cmd: c.ChangeTrack, now: datetime) -> Drafts:
    track = state.tracks.get(cmd.track_id)
    if track is None:
        raise CommandError(f"no state track {cmd.track_id!r}" + suggest(cmd.track_id, state.tracks))
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
            reason=clean_text(cmd.reason, "the reason"),
        )
    ]


def plan_hot_wash(state: SessionState, cmd: c.AnswerHotWash, now: datetime) -> Drafts:
    text = clean_text(cmd.text, "the answer", required=True)
    count = len(state.exercise.hot_wash.questions)
    if cmd.question_index is not None and not 0 <= cmd.question_index < count:
        raise CommandError(
            f"the hot wash has {count} question(s); question {cmd.question_index + 1} does not exist"
        )
    return [
        ev.HotWashAnswered(
            at=now,
            text=text,
            question_index=cmd.question_index,
            team_id=session_team(state, cmd.team_id),
        )
    ]


def plan_rate(state: SessionState, cmd: c.RateObjective, now: datetime) -> Drafts:
    objective = find_objective(state.exercise, cmd.objective_id)
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
            evidence=clean_text(cmd.evidence, "the evidence"),
        )
    ]


def plan_improvement(state: SessionState, cmd: c.AddImprovementItem, now: datetime) -> Drafts:
    for label, text in (("the start date", cmd.start), ("the due date", cmd.due)):
        if (problem := date_problem(text)) is not None:
            raise CommandError(f"{label}: {problem}")
    if cmd.start.strip() and cmd.due.strip() and cmd.due.strip() < cmd.start.strip():
        raise CommandError("the due date is before the start date; swap them or correct one")
    return [
        ev.ImprovementItemAdded(
            at=now,
            issue=clean_text(cmd.issue, "the issue", required=True),
            corrective_action=clean_text(cmd.corrective_action, "the corrective action"),
            responsible=clean_text(cmd.responsible, "who is responsible"),
            due=cmd.due.strip(),
            start=cmd.start.strip(),
            capability=clean_text(cmd.capability, "the capability"),
            point_of_contact=clean_text(cmd.point_of_contact, "the point of contact"),
            objective_id=find_objective(state.exercise, cmd.objective_id)
            if cmd.objective_id
            else None,
        )
    ]
