"""The events of a session journal: append-only facts, each with `seq`, `at`, `action` and `kind`.

Everything the console shows and the report prints is derived by replaying these
events (`ttx.session.replay`). One facilitator command produces one *action*: one or
more events sharing the same `action` number (the `seq` of its first event), written
in one transaction. Undo appends an `undone` event naming an action; nothing is
ever deleted, so the report can still show what was undone.
"""

from __future__ import annotations

import functools
from datetime import datetime
from typing import Annotated, Any, Literal, TypeGuard, get_args

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

NoteCategory = Literal["note", "strength", "improvement"]
"""An observation's kind: a plain note, a strength, or an area for improvement."""

EnteredVia = Literal["start", "rule", "override"]
TrackCause = Literal["effect", "revert", "facilitator"]


class TeamSetup(BaseModel):
    """A team as named at set-up: an exercise team id, its display name, its members."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    id: str
    name: str | None = Field(default=None, description="Display name; None: the exercise's name.")
    members: list[str] = Field(default_factory=list)
    played_by: Literal["students", "facilitator"] | None = Field(
        default=None, description="None: as the exercise says."
    )


class BaseEvent(BaseModel):
    """Fields every event has: its place in the journal, its wall time and its action.

    Each event class builds its validator when first used (`defer_build`), not at import.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    seq: int = Field(default=0, description="1, 2, 3... within the session (set by the journal).")
    at: datetime = Field(description="Wall time (UTC) when it was recorded.")
    action: int = Field(default=0, description="The seq of the first event of its command.")


class SessionStarted(BaseEvent):
    """The session was created: which exercise (snapshot stored with the session) and the teams."""

    kind: Literal["session_started"] = "session_started"
    session_id: str
    exercise_id: str
    exercise_title: str
    exercise_version: str
    exercise_sha256: str = Field(description="Digest of the stored exercise snapshot (JSON).")
    teams: list[TeamSetup]
    facilitator: str | None = None
    location: str | None = Field(default=None, description="Where the session is held.")


class JournalReopened(BaseEvent):
    """The session was opened again for recording (after a close or a crash); not an action."""

    kind: Literal["journal_reopened"] = "journal_reopened"
    pid: int
    host: str
    last_seq: int = Field(description="The last event before the reopening.")


class ClockStarted(BaseEvent):
    """The exercise clock started for the first time."""

    kind: Literal["clock_started"] = "clock_started"


class ClockPaused(BaseEvent):
    """The exercise clock was paused."""

    kind: Literal["clock_paused"] = "clock_paused"
    reason: str = ""


class PauseExplained(BaseEvent):
    """The reason for the pause in effect, given after the clock stopped (the console pauses
    at the key and asks why afterwards, so the clock never runs while the reason is typed)."""

    kind: Literal["pause_explained"] = "pause_explained"
    reason: str


class ClockResumed(BaseEvent):
    """The exercise clock was resumed after a pause."""

    kind: Literal["clock_resumed"] = "clock_resumed"


class MoveEntered(BaseEvent):
    """A move began (the previous one, if any, ended)."""

    kind: Literal["move_entered"] = "move_entered"
    move_id: str
    previous: str | None = None
    via: EnteredVia = "rule"


class HotWashStarted(BaseEvent):
    """The moves ended (a branch reached `end`) and the hot wash began."""

    kind: Literal["hot_wash_started"] = "hot_wash_started"
    previous: str | None = None


class InjectReleased(BaseEvent):
    """An inject was delivered to some teams (an empty `to`: shown to the facilitator only)."""

    kind: Literal["inject_released"] = "inject_released"
    inject_id: str
    move_id: str
    to: list[str]
    condition_held: bool | None = Field(
        default=None, description="None: no condition; False: released by the facilitator anyway."
    )


class DecisionRecorded(BaseEvent):
    """A team's answer to a decision point: an option, an allocation or free-form text."""

    kind: Literal["decision_recorded"] = "decision_recorded"
    decision_id: str
    team_id: str
    option_id: str | None = None
    allocation: dict[str, int] | None = None
    free_text: str | None = None
    rationale: str = ""


class DecisionCorrected(BaseEvent):
    """A team's answer was corrected; the earlier record stays in the history."""

    kind: Literal["decision_corrected"] = "decision_corrected"
    decision_id: str
    team_id: str
    option_id: str | None = None
    allocation: dict[str, int] | None = None
    free_text: str | None = None
    rationale: str = ""
    reason: str = ""


class DecisionAdjudicated(BaseEvent):
    """The facilitator counted a team's free-form answer as an option (the text is kept)."""

    kind: Literal["decision_adjudicated"] = "decision_adjudicated"
    decision_id: str
    team_id: str
    option_id: str
    reason: str = ""


class DecisionRuled(BaseEvent):
    """The facilitator ruled a decision's outcome (facilitator mode, a tie, or an override)."""

    kind: Literal["decision_ruled"] = "decision_ruled"
    decision_id: str
    option_id: str
    reason: str = ""


class AllocationSettled(BaseEvent):
    """The facilitator shared out a pool: the room's split, or one team's grant (format 2)."""

    kind: Literal["allocation_settled"] = "allocation_settled"
    decision_id: str
    team_id: str | None = None
    allocation: dict[str, int]
    reason: str = ""


class BranchResolved(BaseEvent):
    """The rules chose where a move goes next: which rule matched and its target."""

    kind: Literal["branch_resolved"] = "branch_resolved"
    move_id: str
    rule_index: int | None = Field(
        description="Index in the move's rules (options' `goto`s, then `next`); None: no rules."
    )
    rule_when: dict[str, Any] | None = Field(default=None, description="The matching condition.")
    target: str = Field(description="A move id or `end`.")


class BranchOverridden(BaseEvent):
    """The facilitator sent the story somewhere other than the rules said."""

    kind: Literal["branch_overridden"] = "branch_overridden"
    move_id: str
    rule_target: str = Field(description="What the rules said.")
    target: str = Field(description="What the facilitator chose.")
    reason: str = ""


class NoteAdded(BaseEvent):
    """A facilitator note or observation, tagged to a team, an inject and/or an objective."""

    kind: Literal["note_added"] = "note_added"
    text: str
    category: NoteCategory = "note"
    move_id: str | None = None
    team_id: str | None = None
    inject_id: str | None = None
    objective_id: str | None = None


class NoteCorrected(BaseEvent):
    """A note's text replaced (a compensating event: the `note_added` event keeps the earlier text)."""

    kind: Literal["note_corrected"] = "note_corrected"
    note_seq: int = Field(description="The seq of the `note_added` event.")
    text: str


class NoteAnalysed(BaseEvent):
    """The facilitator's analysis of a strength or area for improvement (the latest counts)."""

    kind: Literal["note_analysed"] = "note_analysed"
    note_seq: int = Field(description="The seq of the `note_added` event.")
    analysis: str


class StateTrackChanged(BaseEvent):
    """A state track moved: by an option's effect, the revert of one, or the facilitator."""

    kind: Literal["state_track_changed"] = "state_track_changed"
    track_id: str
    before: int
    after: int
    cause: TrackCause
    decision_id: str | None = None
    team_id: str | None = None
    option_id: str | None = None
    reason: str = ""


class HotWashAnswered(BaseEvent):
    """An answer heard in the hot wash (to one of its questions, or general)."""

    kind: Literal["hot_wash_answered"] = "hot_wash_answered"
    question_index: int | None = None
    text: str
    team_id: str | None = None


class ObjectiveRated(BaseEvent):
    """An objective rated on the evaluation scale (HSEEP by default), with evidence."""

    kind: Literal["objective_rated"] = "objective_rated"
    objective_id: str
    rating: str
    evidence: str = ""


class ImprovementItemAdded(BaseEvent):
    """A row of the improvement plan: issue, corrective action, who, by when."""

    kind: Literal["improvement_item_added"] = "improvement_item_added"
    issue: str
    corrective_action: str = ""
    responsible: str = ""
    due: str = ""
    objective_id: str | None = None
    capability: str = ""
    point_of_contact: str = ""
    start: str = ""


class RoomAnswerSubmitted(BaseEvent):
    """A team's answer sent from its own device (the room): a proposal until the facilitator accepts it.

    With the room set to record directly, the same action also records (or corrects) the
    decision. `submission` is the page's id for this sending: a page that resends after
    the laptop came back carries the same id, and nothing is written twice.
    """

    kind: Literal["room_answer_submitted"] = "room_answer_submitted"
    decision_id: str
    team_id: str
    option_id: str | None = None
    allocation: dict[str, int] | None = None
    free_text: str | None = None
    rationale: str = ""
    submission: str = ""


class RoomAnswersLocked(BaseEvent):
    """The facilitator locked a decision's answers from the room: the teams' pages say "locked"."""

    kind: Literal["room_answers_locked"] = "room_answers_locked"
    decision_id: str


class RoomFeedbackGiven(BaseEvent):
    """Anonymous feedback sent from the room after the hot wash (no team, no device is kept)."""

    kind: Literal["room_feedback_given"] = "room_feedback_given"
    ratings: dict[str, int] = Field(default_factory=dict)
    strengths: str = ""
    improvements: str = ""
    submission: str = ""


class SessionEnded(BaseEvent):
    """The session ended; the clock stopped."""

    kind: Literal["session_ended"] = "session_ended"


class Undone(BaseEvent):
    """A compensating event: the action numbered `undoes` no longer counts."""

    kind: Literal["undone"] = "undone"
    undoes: int
    summary: str = ""


Event = Annotated[
    SessionStarted
    | JournalReopened
    | ClockStarted
    | ClockPaused
    | PauseExplained
    | ClockResumed
    | MoveEntered
    | HotWashStarted
    | InjectReleased
    | DecisionRecorded
    | DecisionCorrected
    | DecisionAdjudicated
    | DecisionRuled
    | AllocationSettled
    | BranchResolved
    | BranchOverridden
    | NoteAdded
    | NoteCorrected
    | NoteAnalysed
    | StateTrackChanged
    | HotWashAnswered
    | ObjectiveRated
    | ImprovementItemAdded
    | RoomAnswerSubmitted
    | RoomAnswersLocked
    | RoomFeedbackGiven
    | SessionEnded
    | Undone,
    Field(discriminator="kind"),
]
"""Any event (a pydantic discriminated union on `kind`)."""

EVENT_TYPES: tuple[type[BaseEvent], ...] = get_args(get_args(Event)[0])
"""Every event class (the members of `Event`)."""


def is_event(obj: object) -> TypeGuard[Event]:
    """True for an instance of one of the event classes."""
    return isinstance(obj, EVENT_TYPES)


NOT_ACTIONS: frozenset[str] = frozenset(
    {
        "session_started",
        "journal_reopened",
        "undone",
        "room_answer_submitted",
        "room_feedback_given",
    }
)
"""Event kinds that cannot be undone (what a team sent from the room is its own, not the facilitator's)."""


@functools.cache
def event_adapter() -> TypeAdapter[Event]:
    """The validator of any event, built on first use (not at import: it costs tens of ms)."""
    return TypeAdapter(Event)


def __getattr__(name: str) -> Any:
    """`EVENT_ADAPTER`, as this module had it before it was built lazily."""
    if name == "EVENT_ADAPTER":
        return event_adapter()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def event_from_json(text: str | bytes) -> Event:
    """Parse one event from its JSON form."""
    return event_adapter().validate_json(text)


def event_to_json(event: BaseEvent) -> str:
    """The JSON form of one event (round-trips through `event_from_json`)."""
    return event.model_dump_json()
