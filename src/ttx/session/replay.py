"""Build a session's state by replaying its events; undone actions are left out.

Live updates feed new events to the same `Replayer`, so the state on screen and the
state rebuilt from the journal after a crash come from one function. An `undone`
event triggers a rebuild from the start, skipping every undone action.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import datetime
from typing import Any

from ttx.model.exercise import Exercise
from ttx.session import events as ev
from ttx.session.branching import compute_outcome
from ttx.session.bulk import bulk_work
from ttx.session.event_text import Describer
from ttx.session.sequences import Frozen, Lazy
from ttx.session.state import (
    BranchState,
    ClockSegment,
    ClockState,
    ClockTotals,
    Closure,
    DecisionRecord,
    DecisionState,
    HotWashAnswer,
    ImprovementItem,
    MoveVisit,
    Note,
    Outcome,
    Phase,
    Rating,
    ReleasedInject,
    RoomAnswer,
    RoomFeedback,
    Ruling,
    SessionState,
    Status,
    TeamInfo,
    TimelineEntry,
    TrackChange,
    TrackState,
    UndoneAction,
)

__all__ = ["Replayer", "replay"]


def replay(session_id: str, exercise: Exercise, events: Iterable[ev.Event]) -> SessionState:
    """The state after a list of events, built from scratch."""
    replayer = Replayer(session_id, exercise)
    replayer.feed(list(events))
    return replayer.state()


class _Builder:
    """Mutable state while folding events (one per replay)."""

    def __init__(self, session_id: str, exercise: Exercise) -> None:
        self.id = session_id
        self.exercise = exercise
        self.describe = Describer(exercise)
        self.teams: list[TeamInfo] = []
        self.facilitator: str | None = None
        self.location: str | None = None
        self.status: Status = "setup"
        self.started_at: datetime | None = None
        self.last_at: datetime | None = None
        self.ended_at: datetime | None = None
        self.current_move: str | None = None
        self.path: list[MoveVisit] = []  # visits left; the one under way is `visit`
        self.visit: MoveVisit | None = None
        self.injects: list[ReleasedInject] = []
        self.records: dict[str, dict[str, DecisionRecord]] = {}
        self.history: dict[str, list[DecisionRecord]] = {}
        self.rulings: dict[str, Ruling] = {}
        self.settled: dict[str, dict[str, dict[str, int]]] = {}
        self.outcomes: dict[str, Outcome] = {}
        self.branches: dict[str, BranchState] = {}
        self.clock_started = False
        self.running = False
        self.clock_started_at: datetime | None = None
        self.paused_at: datetime | None = None
        self.stopped_at: datetime | None = None
        self.segments: list[ClockSegment] = []  # closed; the running one is `open_segment`
        self.open_segment: ClockSegment | None = None
        self.clock_total: float = 0  # running totals of the closed segments, in order
        self.phase_totals: dict[str, float] = {}
        self.move_totals: dict[str | None, float] = {}
        self._totals: ClockTotals | None = None
        self.notes: list[ev.NoteAdded | Note] = []  # made into `Note`s when read (`Lazy`)
        self.notes_made: dict[int, Note] = {}
        self.note_index: dict[int, int] = {}  # a note's seq -> its place in `notes`
        self.track_values = {t.id: t.start for t in exercise.state}
        self.track_history: dict[str, list[ev.StateTrackChanged]] = {
            t.id: [] for t in exercise.state
        }
        self.track_made: dict[str, dict[int, TrackChange]] = {t.id: {} for t in exercise.state}
        self.hot_wash: list[HotWashAnswer] = []
        self.ratings: dict[str, Rating] = {}
        self.rating_history: list[Rating] = []
        self.improvements: list[ImprovementItem] = []
        self.undone: list[UndoneAction] = []
        self.room_answers: dict[str, dict[str, RoomAnswer]] = {}
        self.room_feedback: list[RoomFeedback] = []
        self.room_locked: set[str] = set()
        self.room_submissions: set[str] = set()
        self._room_submissions: frozenset[str] = frozenset()
        self.timeline: list[tuple[ev.Event, str | None]] = []  # described when read (`Lazy`)
        self.timeline_made: dict[int, TimelineEntry] = {}
        self.reopened: list[datetime] = []
        self.closures: list[Closure] = []
        self.previous_at: datetime | None = None  # the event before the one being folded
        self.last_seq = 0
        self.last_action: tuple[int, ev.Event] | None = None  # what Undo takes back, named
        self._main_named = False
        self.teams_view: tuple[TeamInfo, ...] = ()
        self.decision_states: dict[str, DecisionState] = {}  # until the decision changes
        self.track_states: dict[str, TrackState] = {}  # until the track changes

    # -- clock helpers ---------------------------------------------------------------

    def _phase(self) -> Phase:
        if self.status == "hot_wash":
            return "hot_wash"
        return "moves" if self.current_move is not None else "setup"

    def _open_segment(self, at: datetime) -> None:
        self._close_segment(at)
        self.open_segment = ClockSegment(self._phase(), self.current_move, at)

    def _close_segment(self, at: datetime) -> None:
        running = self.open_segment
        if running is None:
            return
        closed = ClockSegment(running.phase, running.move_id, running.start, at)
        self.segments.append(closed)
        self.open_segment = None
        seconds = closed.seconds(at)
        self.clock_total += seconds
        self.phase_totals[closed.phase] = self.phase_totals.get(closed.phase, 0) + seconds
        if closed.phase == "moves":
            self.move_totals[closed.move_id] = self.move_totals.get(closed.move_id, 0) + seconds
        self._totals = None

    def _leave_move(self, at: datetime) -> None:
        visit = self.visit
        if visit is not None:
            self.path.append(MoveVisit(visit.move_id, visit.entered_at, at, visit.via, visit.seq))
            self.visit = None

    # -- folding ---------------------------------------------------------------------

    def apply(self, e: ev.Event) -> None:
        """Fold one (effective) event into the state."""
        if e.seq > self.last_seq:
            self.last_seq = e.seq
        self.previous_at, self.last_at = self.last_at, e.at
        kind = e.kind
        if kind not in _NOT_ACTIONS:
            last = self.last_action
            if last is None or last[0] != e.action:
                self.last_action = (e.action, e)
                self._main_named = kind not in _MINOR
            elif not self._main_named and kind not in _MINOR:
                self.last_action = (e.action, e)
                self._main_named = True
        _HANDLERS[kind](self, e)
        self.timeline.append((e, self.current_move))

    def _entry(self, source: tuple[ev.Event, str | None]) -> TimelineEntry:
        """The timeline line of an event (made when the timeline is read)."""
        e, move_id = source
        reason = str(getattr(e, "reason", "") or "")
        return TimelineEntry(e.at, e.seq, e.kind, self.describe(e), move_id, reason)

    def _on_session_started(self, e: ev.SessionStarted) -> None:
        self.started_at = e.at
        self.facilitator = e.facilitator
        self.location = e.location
        for setup in e.teams:
            team = self.exercise.team(setup.id)
            self.teams.append(
                TeamInfo(
                    id=team.id,
                    name=setup.name or team.name,
                    short=team.short or setup.name or team.name,
                    members=tuple(setup.members),
                    played_by=setup.played_by or team.played_by,
                )
            )
        self.describe.team_names = {t.id: t.name for t in self.teams}
        self.teams_view = tuple(self.teams)

    def _on_journal_reopened(self, e: ev.JournalReopened) -> None:
        self.reopened.append(e.at)
        if self.previous_at is not None:
            closure = Closure(self.previous_at, e.at, self.running, self.current_move)
            self.closures.append(closure)
            self.describe.closures[e.seq] = closure

    def _on_clock_started(self, e: ev.ClockStarted) -> None:
        self.clock_started = True
        self.running = True
        self.clock_started_at = e.at
        self.paused_at = None
        self._open_segment(e.at)

    def _on_clock_paused(self, e: ev.ClockPaused) -> None:
        self.running = False
        self.paused_at = e.at
        self._close_segment(e.at)

    def _on_pause_explained(self, e: ev.PauseExplained) -> None:
        """Nothing to fold: the reason lives in the timeline (and the report joins it to its pause)."""

    def _on_clock_resumed(self, e: ev.ClockResumed) -> None:
        self.running = True
        self.paused_at = None
        self._open_segment(e.at)

    def _on_move_entered(self, e: ev.MoveEntered) -> None:
        self._leave_move(e.at)
        self.current_move = e.move_id
        self.status = "running"
        self.visit = MoveVisit(e.move_id, e.at, None, e.via, e.seq)
        if self.running:
            self._open_segment(e.at)

    def _on_hot_wash_started(self, e: ev.HotWashStarted) -> None:
        self._leave_move(e.at)
        self.current_move = None
        self.status = "hot_wash"
        if self.running:
            self._open_segment(e.at)

    def _on_session_ended(self, e: ev.SessionEnded) -> None:
        self._leave_move(e.at)
        self._close_segment(e.at)
        self.current_move = None
        self.running = False
        self.stopped_at = e.at
        self.ended_at = e.at
        self.status = "ended"

    def _on_inject_released(self, e: ev.InjectReleased) -> None:
        self.injects.append(
            ReleasedInject(e.inject_id, e.move_id, tuple(e.to), e.at, e.condition_held, e.seq)
        )

    def _answer(self, e: ev.DecisionRecorded | ev.DecisionCorrected) -> None:
        correction = isinstance(e, ev.DecisionCorrected)
        record = DecisionRecord(
            team_id=e.team_id,
            option_id=e.option_id,
            allocation=dict(e.allocation) if e.allocation is not None else None,
            free_text=e.free_text,
            rationale=e.rationale,
            recorded_at=e.at,
            seq=e.seq,
            correction=correction,
            reason=e.reason if isinstance(e, ev.DecisionCorrected) else "",
        )
        self.records.setdefault(e.decision_id, {})[e.team_id] = record
        self.history.setdefault(e.decision_id, []).append(record)
        self._resolve(e.decision_id)

    _on_decision_recorded = _answer
    _on_decision_corrected = _answer

    def _on_decision_adjudicated(self, e: ev.DecisionAdjudicated) -> None:
        current = self.records[e.decision_id][e.team_id]
        record = replace(current, adjudicated_option=e.option_id, reason=e.reason)
        self.records[e.decision_id][e.team_id] = record
        self.history[e.decision_id].append(replace(record, seq=e.seq, recorded_at=e.at))
        self._resolve(e.decision_id)

    def _on_decision_ruled(self, e: ev.DecisionRuled) -> None:
        self.rulings[e.decision_id] = Ruling(e.option_id, e.reason, e.at, e.seq)
        self.history.setdefault(e.decision_id, [])
        self.records.setdefault(e.decision_id, {})
        self._resolve(e.decision_id)

    def _on_allocation_settled(self, e: ev.AllocationSettled) -> None:
        self.settled.setdefault(e.decision_id, {})[e.team_id or ""] = dict(e.allocation)
        self.history.setdefault(e.decision_id, [])
        self.records.setdefault(e.decision_id, {})
        self._resolve(e.decision_id)

    def _resolve(self, decision_id: str) -> None:
        _, decision = self.exercise.decision(decision_id)
        present = {t.id for t in self.teams}
        deciding = [t for t in self.exercise.deciding_teams(decision) if t in present]
        self.outcomes[decision_id] = compute_outcome(
            decision,
            deciding,
            self.records.get(decision_id, {}),
            self.rulings.get(decision_id),
            self.settled.get(decision_id, {}),
        )
        self.decision_states.pop(decision_id, None)

    def _on_branch_resolved(self, e: ev.BranchResolved) -> None:
        self.branches[e.move_id] = BranchState(
            e.move_id, e.rule_index, e.rule_when, e.target, e.target, False, "", e.at, e.seq
        )

    def _on_branch_overridden(self, e: ev.BranchOverridden) -> None:
        prior = self.branches.get(e.move_id)
        index = prior.rule_index if prior else None
        when = prior.rule_when if prior else None
        self.branches[e.move_id] = BranchState(
            e.move_id,
            index,
            when,
            e.rule_target,
            e.target,
            e.target != e.rule_target,
            e.reason,
            e.at,
            e.seq,
        )

    def _on_note_added(self, e: ev.NoteAdded) -> None:
        self.note_index[e.seq] = len(self.notes)
        self.notes.append(e)

    def _change_note(self, seq: int, change: Callable[[Note], Note]) -> None:
        """Replace a note in copies of the lists, so states handed out before keep theirs."""
        index = self.note_index.get(seq)
        if index is None:
            return
        self.notes = list(self.notes)
        self.notes[index] = change(_note(self.notes[index]))
        self.notes_made = {i: n for i, n in self.notes_made.items() if i != index}

    def _on_note_corrected(self, e: ev.NoteCorrected) -> None:
        self._change_note(
            e.note_seq, lambda n: replace(n, text=e.text, earlier=(*n.earlier, n.text))
        )

    def _on_note_analysed(self, e: ev.NoteAnalysed) -> None:
        self._change_note(e.note_seq, lambda n: replace(n, analysis=e.analysis))

    def _on_state_track_changed(self, e: ev.StateTrackChanged) -> None:
        self.track_values[e.track_id] = e.after
        self.track_states.pop(e.track_id, None)
        self.track_history.setdefault(e.track_id, []).append(e)

    def _on_hot_wash_answered(self, e: ev.HotWashAnswered) -> None:
        self.hot_wash.append(HotWashAnswer(e.text, e.at, e.seq, e.question_index, e.team_id))

    def _on_objective_rated(self, e: ev.ObjectiveRated) -> None:
        rating = Rating(e.objective_id, e.rating, e.evidence, e.at, e.seq)
        self.ratings[e.objective_id] = rating
        self.rating_history.append(rating)

    def _on_improvement_item_added(self, e: ev.ImprovementItemAdded) -> None:
        self.improvements.append(
            ImprovementItem(
                e.issue,
                e.corrective_action,
                e.responsible,
                e.due,
                e.at,
                e.seq,
                e.objective_id,
                capability=e.capability,
                point_of_contact=e.point_of_contact,
                start=e.start,
            )
        )

    def _on_room_answer_submitted(self, e: ev.RoomAnswerSubmitted) -> None:
        answers = dict(self.room_answers.get(e.decision_id, {}))
        answers[e.team_id] = RoomAnswer(
            e.decision_id,
            e.team_id,
            e.option_id,
            dict(e.allocation) if e.allocation is not None else None,
            e.free_text,
            e.rationale,
            e.at,
            e.seq,
            e.submission,
        )
        self.room_answers[e.decision_id] = answers
        self._sent(e.submission)

    def _sent(self, submission: str) -> None:
        if submission:
            self.room_submissions.add(submission)

    def _on_room_answers_locked(self, e: ev.RoomAnswersLocked) -> None:
        self.room_locked.add(e.decision_id)

    def _on_room_feedback_given(self, e: ev.RoomFeedbackGiven) -> None:
        self.room_feedback.append(
            RoomFeedback(dict(e.ratings), e.strengths, e.improvements, e.at, e.seq, e.submission)
        )
        self._sent(e.submission)

    def _on_undone(self, e: ev.Undone) -> None:
        self.undone.append(UndoneAction(e.undoes, e.summary, e.at))

    # -- snapshot --------------------------------------------------------------------

    def _submissions(self) -> frozenset[str]:
        """The page ids sent so far, frozen again only when one was added (the set only grows)."""
        if len(self._room_submissions) != len(self.room_submissions):
            self._room_submissions = frozenset(self.room_submissions)
        return self._room_submissions

    def snapshot(self) -> SessionState:
        """The frozen state as it stands: histories are shared views, never copied."""
        if self.started_at is None or self.last_at is None:
            raise ValueError(f"session {self.id} has no session_started event")
        decisions: dict[str, DecisionState] = {}
        for decision_id, outcome in self.outcomes.items():
            made = self.decision_states.get(decision_id)
            if made is None:
                move, _ = self.exercise.decision(decision_id)
                made = DecisionState(
                    decision_id=decision_id,
                    move_id=move.id,
                    records=dict(self.records.get(decision_id, {})),
                    history=Frozen(self.history.setdefault(decision_id, [])),
                    outcome=outcome,
                    ruling=self.rulings.get(decision_id),
                    settled=dict(self.settled.get(decision_id, {})),
                )
                self.decision_states[decision_id] = made
            decisions[decision_id] = made
        tracks: dict[str, TrackState] = {}
        for t in self.exercise.state:
            track = self.track_states.get(t.id)
            if track is None:
                track = TrackState(
                    t.id,
                    t.label,
                    self.track_values[t.id],
                    t.min,
                    t.max,
                    t.start,
                    Lazy(
                        self.track_history.setdefault(t.id, []),
                        _track_change,
                        self.track_made.setdefault(t.id, {}),
                    ),
                )
                self.track_states[t.id] = track
            tracks[t.id] = track
        if self._totals is None:
            self._totals = ClockTotals(
                self.clock_total, dict(self.phase_totals), dict(self.move_totals)
            )
        clock = ClockState(
            started=self.clock_started,
            running=self.running,
            started_at=self.clock_started_at,
            paused_at=self.paused_at,
            stopped_at=self.stopped_at,
            segments=_Segments(self.segments, self.open_segment, self._totals),
        )
        undo = self.last_action
        return SessionState(
            id=self.id,
            exercise=self.exercise,
            teams=self.teams_view,
            status=self.status,
            started_at=self.started_at,
            last_at=self.last_at,
            ended_at=self.ended_at,
            facilitator=self.facilitator,
            location=self.location,
            current_move=self.current_move,
            path=Frozen(self.path, (self.visit,) if self.visit is not None else ()),
            injects=Frozen(self.injects),
            decisions=decisions,
            branches=dict(self.branches),
            clock=clock,
            notes=Lazy(self.notes, _note, self.notes_made),
            tracks=tracks,
            hot_wash=Frozen(self.hot_wash),
            ratings=dict(self.ratings),
            rating_history=Frozen(self.rating_history),
            improvements=Frozen(self.improvements),
            undone=Frozen(self.undone),
            room_answers=dict(self.room_answers),
            room_feedback=Frozen(self.room_feedback),
            room_submissions=self._submissions(),
            room_locked=frozenset(self.room_locked),
            timeline=Lazy(self.timeline, self._entry, self.timeline_made),
            reopened=Frozen(self.reopened),
            closures=Frozen(self.closures),
            last_seq=self.last_seq,
            undo_action=undo[0] if undo else None,
            undo_summary=self.describe(undo[1]) if undo else None,
        )


def _note(e: ev.NoteAdded | Note) -> Note:
    """The state's note for a `note_added` event (or the note as corrected since)."""
    if isinstance(e, Note):
        return e
    return Note(e.text, e.category, e.at, e.seq, e.move_id, e.team_id, e.inject_id, e.objective_id)


def _track_change(e: ev.StateTrackChanged) -> TrackChange:
    """A track history entry for a `state_track_changed` event."""
    return TrackChange(
        e.at, e.before, e.after, e.cause, e.seq, e.decision_id, e.team_id, e.option_id, e.reason
    )


class _Segments(Frozen[ClockSegment]):
    """The clock's segments (closed ones shared, the running one last) with their totals."""

    __slots__ = ("open", "totals")

    def __init__(
        self, closed: list[ClockSegment], running: ClockSegment | None, totals: ClockTotals
    ) -> None:
        self.open: tuple[ClockSegment, ...] = (running,) if running is not None else ()
        super().__init__(closed, self.open)
        self.totals = totals


_HANDLERS: dict[str, Callable[[_Builder, Any], None]] = {
    name[len("_on_") :]: getattr(_Builder, name)
    for name in dir(_Builder)
    if name.startswith("_on_")
}
"""Each event kind's fold step (`_on_<kind>`), looked up once."""


class Replayer:
    """Keeps a session's events and the state they add up to; feed it new events as they commit."""

    def __init__(self, session_id: str, exercise: Exercise) -> None:
        self.session_id = session_id
        self.exercise = exercise
        self.events: list[ev.Event] = []
        self._builder = _Builder(session_id, exercise)
        self._cached: SessionState | None = None
        self._pending: tuple[list[int], _Builder] | None = None

    def feed(self, events: list[ev.Event]) -> None:
        """Add committed events (in seq order) and update the state."""
        if not events:
            return
        self.events.extend(events)
        self._cached = None
        if any(e.kind == "undone" for e in events):
            pending, self._pending = self._pending, None
            if pending is not None and pending[0] == [e.seq for e in self.events]:
                self._builder = pending[1]
            else:
                self._builder = _rebuild(self.session_id, self.exercise, self.events)
            return
        for event in events:
            self._builder.apply(event)

    def state(self) -> SessionState:
        """The current state (cached until the next feed)."""
        if self._cached is None:
            self._cached = self._builder.snapshot()
        return self._cached

    def probe(self, events: list[ev.Event]) -> SessionState:
        """The state these events would lead to, without keeping them."""
        return _rebuild(self.session_id, self.exercise, [*self.events, *events]).snapshot()

    def status_after(self, events: list[ev.Event]) -> str:
        """The session status once these events are added (cheap unless one is an undo)."""
        if any(e.kind == "undone" for e in events):
            combined = [*self.events, *events]
            builder = _rebuild(self.session_id, self.exercise, combined)
            self._pending = ([e.seq for e in combined], builder)  # reused if they commit
            return builder.status
        status: str = self._builder.status
        for e in events:
            status = _STATUS_AFTER.get(e.kind, status)
        return status


_NOT_ACTIONS = ev.NOT_ACTIONS

_MINOR = frozenset({"branch_resolved", "clock_started", "state_track_changed"})
"""Events that only accompany an action's main event (the undo prompt names the main one)."""

_STATUS_AFTER: dict[str, Any] = {
    "move_entered": "running",
    "hot_wash_started": "hot_wash",
    "session_ended": "ended",
}


def _rebuild(session_id: str, exercise: Exercise, events: list[ev.Event]) -> _Builder:
    undone = {e.undoes for e in events if isinstance(e, ev.Undone)}
    builder = _Builder(session_id, exercise)
    with bulk_work():
        for event in events:
            if event.kind != "undone" and event.action in undone:
                builder.last_seq = max(builder.last_seq, event.seq)
                continue
            builder.apply(event)
    return builder
