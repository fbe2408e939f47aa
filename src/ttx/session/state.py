"""The derived, read-only state of a session, built by replaying its events (never stored).

Every value here comes from `ttx.session.replay`; the console, the projector view,
the report and the exports all read it. Times are UTC, timezone-aware datetimes;
elapsed times are seconds (float). Elapsed figures need "now", so the clock exposes
methods that take it: `state.clock.session_elapsed(now)`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from ttx.model.exercise import Exercise
from ttx.session.events import EnteredVia, NoteCategory, TrackCause

Status = Literal["setup", "running", "hot_wash", "ended"]
"""setup: created, no move entered; running: in the moves; hot_wash: moves over; ended."""

OutcomeStatus = Literal["pending", "resolved", "needs_ruling"]
Phase = Literal["setup", "moves", "hot_wash"]
"""Where the clock ran: before the first move, during the moves, or in the hot wash."""


@dataclass(frozen=True, slots=True)
class TeamInfo:
    """A team as named at set-up (display name, members) with its exercise id."""

    id: str
    name: str
    short: str
    members: tuple[str, ...] = ()
    played_by: Literal["students", "facilitator"] = "students"


@dataclass(frozen=True, slots=True)
class ClockSegment:
    """A stretch of time while the clock ran, in one phase (and in a move during the moves)."""

    phase: Phase
    move_id: str | None
    start: datetime
    end: datetime | None = None

    def seconds(self, now: datetime) -> float:
        """Its length in seconds (up to `now` while it is still open)."""
        end = self.end if self.end is not None else now
        return max(0.0, (end - self.start).total_seconds())


@dataclass(frozen=True, slots=True)
class ClockTotals:
    """Seconds of the closed clock segments, summed in order: in all, per phase, per move."""

    session: float = 0  # an int 0 until a segment closes, as `sum` of nothing gives
    by_phase: Mapping[str, float] = field(default_factory=dict)
    by_move: Mapping[str | None, float] = field(default_factory=dict)

    @staticmethod
    def of(segments: Sequence[ClockSegment]) -> ClockTotals:
        """The totals of the closed segments among these (summed once, in order)."""
        session: float = 0
        by_phase: dict[str, float] = {}
        by_move: dict[str | None, float] = {}
        for segment in segments:
            if segment.end is None:
                continue
            seconds = segment.seconds(segment.end)
            session += seconds
            by_phase[segment.phase] = by_phase.get(segment.phase, 0) + seconds
            if segment.phase == "moves":
                by_move[segment.move_id] = by_move.get(segment.move_id, 0) + seconds
        return ClockTotals(session, by_phase, by_move)


@dataclass(frozen=True, slots=True)
class ClockState:
    """The exercise clock: whether it runs, and every running stretch (pauses are the gaps).

    The elapsed figures cost the same however many segments there are: the closed
    segments are summed once (`ClockTotals`, handed over by the replay with the
    segments it built, or summed here for segments from elsewhere) and only the open
    one is measured against `now`.
    """

    started: bool = False
    running: bool = False
    started_at: datetime | None = None
    paused_at: datetime | None = None
    stopped_at: datetime | None = None
    segments: Sequence[ClockSegment] = ()
    _totals: ClockTotals = field(init=False, repr=False, compare=False)
    _open: tuple[ClockSegment, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        totals = getattr(self.segments, "totals", None)
        if not isinstance(totals, ClockTotals):
            totals = ClockTotals.of(self.segments)
        object.__setattr__(self, "_totals", totals)
        opened = getattr(self.segments, "open", None)
        if not isinstance(opened, tuple):
            opened = tuple(s for s in self.segments if s.end is None)
        object.__setattr__(self, "_open", opened)

    def session_elapsed(self, now: datetime) -> float:
        """Seconds the clock has run in the whole session (pauses excluded)."""
        total = self._totals.session
        for segment in self._open:
            total += segment.seconds(now)
        return total

    def move_elapsed(self, move_id: str, now: datetime) -> float:
        """Seconds the clock has run in one move, over every visit to it."""
        total = self._totals.by_move.get(move_id, 0)
        for segment in self._open:
            if segment.phase == "moves" and segment.move_id == move_id:
                total += segment.seconds(now)
        return total

    def phase_elapsed(self, phase: Phase, now: datetime) -> float:
        """Seconds the clock has run in one phase (setup, moves or hot_wash)."""
        total = self._totals.by_phase.get(phase, 0)
        for segment in self._open:
            if segment.phase == phase:
                total += segment.seconds(now)
        return total

    def paused_seconds(self, now: datetime) -> float:
        """Seconds spent paused since the clock first started (until it stopped)."""
        if self.started_at is None:
            return 0.0
        end = self.stopped_at or now
        return max(0.0, (end - self.started_at).total_seconds() - self.session_elapsed(end))


@dataclass(frozen=True, slots=True)
class MoveVisit:
    """One visit to a move: when it began and ended, and how it was reached."""

    move_id: str
    entered_at: datetime
    left_at: datetime | None = None
    via: EnteredVia = "rule"
    seq: int = 0


@dataclass(frozen=True, slots=True)
class ReleasedInject:
    """An inject delivered: to which teams (empty: facilitator only), when, and whether forced."""

    inject_id: str
    move_id: str
    to: tuple[str, ...]
    at: datetime
    condition_held: bool | None = None
    seq: int = 0


@dataclass(frozen=True, slots=True)
class DecisionRecord:
    """One team's answer as recorded or corrected (an entry of the decision's history)."""

    team_id: str
    option_id: str | None
    allocation: Mapping[str, int] | None
    free_text: str | None
    rationale: str
    recorded_at: datetime
    seq: int
    correction: bool = False
    reason: str = ""
    adjudicated_option: str | None = None

    @property
    def counts_as(self) -> str | None:
        """The option this answer counts as for the outcome (an adjudicated free-form answer too)."""
        return self.option_id or self.adjudicated_option


@dataclass(frozen=True, slots=True)
class RoomAnswer:
    """A team's answer as last sent from the room (its proposal), with when and the page's id."""

    decision_id: str
    team_id: str
    option_id: str | None
    allocation: Mapping[str, int] | None
    free_text: str | None
    rationale: str
    at: datetime
    seq: int
    submission: str = ""


@dataclass(frozen=True, slots=True)
class RoomFeedback:
    """Anonymous feedback sent from the room: ratings by statement index, two free texts."""

    ratings: Mapping[str, int]
    strengths: str
    improvements: str
    at: datetime
    seq: int
    submission: str = ""


@dataclass(frozen=True, slots=True)
class Ruling:
    """The facilitator's ruling on a decision's outcome."""

    option_id: str
    reason: str
    at: datetime
    seq: int


@dataclass(frozen=True, slots=True)
class Outcome:
    """How a decision resolved for the storyline.

    `option_id` is the resolved option (None while pending, for `each`, or for an
    allocation). `by` says how: "team us", "majority", "tie-break us", "facilitator",
    "ruling" (the facilitator overrode the rules). `tally` counts options among teams
    that answered; `per_team` is each team's counted option.
    """

    status: OutcomeStatus
    mode: str
    option_id: str | None = None
    by: str = ""
    tally: Mapping[str, int] = field(default_factory=dict)
    per_team: Mapping[str, str | None] = field(default_factory=dict)
    allocation: Mapping[str, int] | None = None
    rules_option: str | None = None
    grants: Mapping[str, Mapping[str, int]] | None = None
    """A contested pool: the units each team was granted, option by option."""


@dataclass(frozen=True, slots=True)
class DecisionState:
    """A decision point in this session: each team's current answer, the history, the outcome."""

    decision_id: str
    move_id: str
    records: Mapping[str, DecisionRecord]
    history: Sequence[DecisionRecord]
    outcome: Outcome
    ruling: Ruling | None = None
    settled: Mapping[str, Mapping[str, int]] = field(default_factory=dict)
    """The facilitator's settlement of a pool: by team id ('' for the room's split)."""


@dataclass(frozen=True, slots=True)
class BranchState:
    """Where a move went: what the rules said (rule index, condition, target) and what was chosen."""

    move_id: str
    rule_index: int | None
    rule_when: Mapping[str, Any] | None
    rule_target: str
    target: str
    overridden: bool = False
    reason: str = ""
    at: datetime | None = None
    seq: int = 0


@dataclass(frozen=True, slots=True)
class Note:
    """A facilitator note or observation (strength / area for improvement)."""

    text: str
    category: NoteCategory
    at: datetime
    seq: int
    move_id: str | None = None
    team_id: str | None = None
    inject_id: str | None = None
    objective_id: str | None = None
    analysis: str = ""
    """The facilitator's analysis of a strength or area for improvement (evaluation screen)."""
    earlier: tuple[str, ...] = ()
    """The texts it had before its corrections, oldest first (the journal keeps each)."""


@dataclass(frozen=True, slots=True)
class TrackChange:
    """One change of a state track, with its cause."""

    at: datetime
    before: int
    after: int
    cause: TrackCause
    seq: int
    decision_id: str | None = None
    team_id: str | None = None
    option_id: str | None = None
    reason: str = ""


@dataclass(frozen=True, slots=True)
class TrackState:
    """A state track's current value, bounds and history (for charts)."""

    track_id: str
    label: str
    value: int
    min: int
    max: int
    start: int
    history: Sequence[TrackChange] = ()


@dataclass(frozen=True, slots=True)
class HotWashAnswer:
    """An answer heard in the hot wash."""

    text: str
    at: datetime
    seq: int
    question_index: int | None = None
    team_id: str | None = None


@dataclass(frozen=True, slots=True)
class Rating:
    """An objective's rating on the evaluation scale, with evidence."""

    objective_id: str
    rating: str
    evidence: str
    at: datetime
    seq: int


@dataclass(frozen=True, slots=True)
class ImprovementItem:
    """A row of the improvement plan."""

    issue: str
    corrective_action: str
    responsible: str
    due: str
    at: datetime
    seq: int
    objective_id: str | None = None
    capability: str = ""
    point_of_contact: str = ""
    start: str = ""


@dataclass(frozen=True, slots=True)
class UndoneAction:
    """An action that was undone: its number, a one-line summary, and when it was undone."""

    action: int
    summary: str
    at: datetime


@dataclass(frozen=True, slots=True)
class Closure:
    """A time the session was closed: from its last event to its reopening."""

    closed_at: datetime
    reopened_at: datetime
    clock_running: bool
    """True when the clock was left running, so the time away counts as exercise time."""
    move_id: str | None = None
    """The move under way (None before the first move or after the last)."""

    @property
    def seconds(self) -> float:
        """How long the session stayed closed."""
        return max(0.0, (self.reopened_at - self.closed_at).total_seconds())


@dataclass(frozen=True, slots=True)
class TimelineEntry:
    """One line of the session's timeline (for the console log and the report)."""

    at: datetime
    seq: int
    kind: str
    text: str
    move_id: str | None = None
    reason: str = ""
    """The reason the facilitator gave (pause, override, track change, adjudication, ruling), in full."""


@dataclass(frozen=True, slots=True)
class SessionState:
    """Everything known about a session, derived from its events.

    The histories (`path`, `notes`, `timeline`, `clock.segments`, track and decision
    histories...) are read-only sequences that read like tuples; consecutive states
    share them (`ttx.session.sequences`), so a state never changes once handed out and
    taking one costs the same however long the session is.
    """

    id: str
    exercise: Exercise
    teams: tuple[TeamInfo, ...]
    status: Status
    started_at: datetime
    last_at: datetime
    ended_at: datetime | None = None
    facilitator: str | None = None
    location: str | None = None
    current_move: str | None = None
    path: Sequence[MoveVisit] = ()
    injects: Sequence[ReleasedInject] = ()
    decisions: Mapping[str, DecisionState] = field(default_factory=dict)
    branches: Mapping[str, BranchState] = field(default_factory=dict)
    clock: ClockState = field(default_factory=ClockState)
    notes: Sequence[Note] = ()
    tracks: Mapping[str, TrackState] = field(default_factory=dict)
    hot_wash: Sequence[HotWashAnswer] = ()
    ratings: Mapping[str, Rating] = field(default_factory=dict)
    rating_history: Sequence[Rating] = ()
    improvements: Sequence[ImprovementItem] = ()
    undone: Sequence[UndoneAction] = ()
    room_answers: Mapping[str, Mapping[str, RoomAnswer]] = field(default_factory=dict)
    """decision id → team id → the answer last sent from the room."""
    room_feedback: Sequence[RoomFeedback] = ()
    room_submissions: frozenset[str] = frozenset()
    room_locked: frozenset[str] = frozenset()
    """The decisions whose answers the facilitator has locked (no team may change them)."""
    """The page ids of everything sent from the room (a page resending one is not written twice)."""
    timeline: Sequence[TimelineEntry] = ()
    reopened: Sequence[datetime] = ()
    closures: Sequence[Closure] = ()
    """Each time the session was closed and opened again, in order."""
    last_seq: int = 0
    undo_action: int | None = None
    undo_summary: str | None = None

    @property
    def can_undo(self) -> bool:
        """True when there is an action still in effect that Undo would take back."""
        return self.undo_action is not None

    @property
    def team_ids(self) -> list[str]:
        """The ids of the teams in this session, in set-up order."""
        return [t.id for t in self.teams]

    def team(self, team_id: str) -> TeamInfo:
        """The team with this id (KeyError if not in the session)."""
        for team in self.teams:
            if team.id == team_id:
                return team
        raise KeyError(team_id)

    def released(self, inject_id: str) -> ReleasedInject | None:
        """The release of an inject, or None if it has not been released."""
        for item in self.injects:
            if item.inject_id == inject_id:
                return item
        return None

    def deciding_teams(self, decision_id: str) -> list[str]:
        """The session's teams that answer a decision (exercise teams that are in the session)."""
        _, decision = self.exercise.decision(decision_id)
        present = self.team_ids
        return [t for t in self.exercise.deciding_teams(decision) if t in present]

    def waiting_for(self, decision_id: str) -> list[str]:
        """Deciding teams with no answer yet."""
        recorded = self.decisions.get(decision_id)
        have = set(recorded.records) if recorded else set()
        return [t for t in self.deciding_teams(decision_id) if t not in have]

    def room_answer(self, decision_id: str, team_id: str) -> RoomAnswer | None:
        """The answer a team last sent from the room for a decision (None: none sent)."""
        return self.room_answers.get(decision_id, {}).get(team_id)

    def session_elapsed(self, now: datetime) -> float:
        """Seconds of exercise time (pauses excluded)."""
        return self.clock.session_elapsed(now)

    def move_elapsed(self, now: datetime, move_id: str | None = None) -> float:
        """Seconds of exercise time in a move (default: the current one; 0.0 if none)."""
        target = move_id or self.current_move
        return self.clock.move_elapsed(target, now) if target else 0.0
