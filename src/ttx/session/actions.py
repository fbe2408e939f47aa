"""The commands a facilitator issues; `Session.apply(command)` turns each into events.

A command that cannot apply (an unknown id, a decision recorded twice, an allocation
over budget...) raises `CommandError` with a message for the facilitator, and
nothing is written. Ids are exercise ids (snake_case), as in the YAML file.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ttx.errors import TtxError
from ttx.session.events import NoteCategory, TeamSetup

MAX_TEXT = 20_000
"""The most characters a typed text (rationale, note, answer, plan field) may hold; longer is refused, never cut."""


class CommandError(TtxError, ValueError):
    """A command that cannot apply to the session as it is; the message says why and what to do.

    Exit code 1 (refused, nothing written). Still a `ValueError`, as it always was.
    """


@dataclass(frozen=True, kw_only=True)
class StartSession:
    """Create the session (used by `Journal.create_session`; never applied afterwards)."""

    teams: list[TeamSetup] = field(default_factory=list)
    facilitator: str | None = None
    location: str | None = None


@dataclass(frozen=True, kw_only=True)
class EnterMove:
    """Go to a move: None follows the branch rules (the first move at the start).

    Entering the first move starts the clock. Leaving a move records how its branch
    resolved (`branch_resolved`); naming a move other than the rules' target also
    records a facilitator override. `move_id="end"` ends the moves: the hot wash begins.
    """

    move_id: str | None = None
    reason: str = ""


@dataclass(frozen=True, kw_only=True)
class ResolveBranch:
    """Record where the current move goes by the rules, without leaving it yet."""


@dataclass(frozen=True, kw_only=True)
class OverrideBranch:
    """Send the story from the current move to `target` (a move id or `end`), whatever the rules say."""

    target: str
    reason: str = ""


@dataclass(frozen=True, kw_only=True)
class ReleaseInject:
    """Deliver an inject of the current move.

    `to=None` sends it to its audience (for a conditional inject, the teams for which
    its condition holds). An inject whose condition does not hold is refused unless
    `force=True` (the facilitator's call; the report shows it).
    """

    inject_id: str
    to: list[str] | None = None
    force: bool = False


@dataclass(frozen=True, kw_only=True)
class RecordDecision:
    """A team's answer: `option_id`, or `allocation` ({option: points}), or `free_text`."""

    decision_id: str
    team_id: str
    option_id: str | None = None
    allocation: dict[str, int] | None = None
    free_text: str | None = None
    rationale: str = ""


@dataclass(frozen=True, kw_only=True)
class CorrectDecision:
    """Replace a team's answer; the earlier record stays in the history."""

    decision_id: str
    team_id: str
    option_id: str | None = None
    allocation: dict[str, int] | None = None
    free_text: str | None = None
    rationale: str = ""
    reason: str = ""


@dataclass(frozen=True, kw_only=True)
class AdjudicateDecision:
    """Count a team's free-form answer as `option_id` when resolving the outcome."""

    decision_id: str
    team_id: str
    option_id: str
    reason: str = ""


@dataclass(frozen=True, kw_only=True)
class RuleDecision:
    """The facilitator's ruling on a decision's outcome (facilitator mode, a tie, or an override)."""

    decision_id: str
    option_id: str
    reason: str = ""


@dataclass(frozen=True, kw_only=True)
class SettleAllocation:
    """The facilitator shares out a pool (format 2, `resolve: facilitator`), seeing every answer.

    A split: the room's split of the whole pool (`team_id` None). A contested pool: the
    units one team is granted (`team_id`), option by option.
    """

    decision_id: str
    allocation: dict[str, int]
    team_id: str | None = None
    reason: str = ""


@dataclass(frozen=True, kw_only=True)
class PauseClock:
    """Pause the exercise clock."""

    reason: str = ""


@dataclass(frozen=True, kw_only=True)
class ExplainPause:
    """Give the reason for the pause in effect (the clock is already paused)."""

    reason: str


@dataclass(frozen=True, kw_only=True)
class ResumeClock:
    """Resume the exercise clock (or start it, if it never ran)."""


@dataclass(frozen=True, kw_only=True)
class AddNote:
    """A note or observation (strength / area for improvement), optionally tagged.

    `move_id=None` tags it to the current move.
    """

    text: str
    category: NoteCategory = "note"
    team_id: str | None = None
    inject_id: str | None = None
    objective_id: str | None = None
    move_id: str | None = None


@dataclass(frozen=True, kw_only=True)
class CorrectNote:
    """Replace a note's text (`note_seq`: its `Note.seq`); the earlier text stays in the history."""

    note_seq: int
    text: str


@dataclass(frozen=True, kw_only=True)
class AnalyseNote:
    """The facilitator's analysis of a strength or area for improvement; a later one replaces it."""

    note_seq: int
    analysis: str


@dataclass(frozen=True, kw_only=True)
class ChangeTrack:
    """Set a state track to `value`, or move it by `delta` (clamped to its min and max)."""

    track_id: str
    value: int | None = None
    delta: int | None = None
    reason: str = ""


@dataclass(frozen=True, kw_only=True)
class AnswerHotWash:
    """Record an answer in the hot wash: to question `question_index` (0-based) or general."""

    text: str
    question_index: int | None = None
    team_id: str | None = None


@dataclass(frozen=True, kw_only=True)
class RateObjective:
    """Rate an objective on the evaluation scale, with evidence; a later rating replaces it."""

    objective_id: str
    rating: str
    evidence: str = ""


@dataclass(frozen=True, kw_only=True)
class AddImprovementItem:
    """Add a row to the improvement plan."""

    issue: str
    corrective_action: str = ""
    responsible: str = ""
    due: str = ""
    """The completion date, YYYY-MM-DD (or empty)."""
    objective_id: str | None = None
    capability: str = ""
    """The capability the item builds (HSEEP's core capability or capability element)."""
    point_of_contact: str = ""
    start: str = ""
    """The start date, YYYY-MM-DD (or empty)."""


@dataclass(frozen=True, kw_only=True)
class SubmitRoomAnswer:
    """A team's answer sent from its own device: kept as its proposed answer.

    `record=True` (the room set to record directly) also records it as the team's
    decision, or corrects the one recorded. Refused once the facilitator has recorded
    the team's answer while the room only proposes (the answer is locked), and for a
    decision not in the current move.
    """

    decision_id: str
    team_id: str
    option_id: str | None = None
    allocation: dict[str, int] | None = None
    free_text: str | None = None
    rationale: str = ""
    submission: str = ""
    record: bool = False


@dataclass(frozen=True, kw_only=True)
class AcceptRoomAnswer:
    """Record a team's proposed answer from the room as its decision (or correct the recorded one)."""

    decision_id: str
    team_id: str


@dataclass(frozen=True, kw_only=True)
class LockRoomAnswers:
    """Lock a decision's answers from the room: no team may send or change one any more."""

    decision_id: str


@dataclass(frozen=True, kw_only=True)
class GiveRoomFeedback:
    """Anonymous feedback from the room after the hot wash: ratings (1-5) and two free texts."""

    ratings: dict[str, int] = field(default_factory=dict)
    strengths: str = ""
    improvements: str = ""
    submission: str = ""


@dataclass(frozen=True, kw_only=True)
class EndSession:
    """End the session (the clock stops). Notes, ratings and the plan may still be added."""


@dataclass(frozen=True, kw_only=True)
class Undo:
    """Undo the last action still in effect (a compensating event; nothing is deleted)."""


Command = (
    StartSession
    | EnterMove
    | ResolveBranch
    | OverrideBranch
    | ReleaseInject
    | RecordDecision
    | CorrectDecision
    | AdjudicateDecision
    | RuleDecision
    | SettleAllocation
    | PauseClock
    | ExplainPause
    | ResumeClock
    | AddNote
    | CorrectNote
    | AnalyseNote
    | ChangeTrack
    | AnswerHotWash
    | RateObjective
    | AddImprovementItem
    | SubmitRoomAnswer
    | AcceptRoomAnswer
    | LockRoomAnswers
    | GiveRoomFeedback
    | EndSession
    | Undo
)
"""Any command `Session.apply` accepts."""
