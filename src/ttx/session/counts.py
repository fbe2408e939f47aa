"""The session in numbers, counted once for the finish screen and the after-action report.

Both surfaces print `SessionCounts.phrases()`, so they count the same things with the
same words: team answers in effect (free-form ones included), corrections, observations
of every category, ratings and plan items.
"""

from __future__ import annotations

from dataclasses import dataclass

from ttx.session.state import SessionState
from ttx.wording import counted


@dataclass(frozen=True, slots=True)
class SessionCounts:
    """What a session holds, counted."""

    moves: int
    injects: int
    answers: int
    free_form: int
    corrections: int
    strengths: int
    improvements: int
    notes: int
    ratings: int
    plan_items: int

    @property
    def observations(self) -> int:
        """Observations of every category: strengths, areas for improvement and other notes."""
        return self.strengths + self.improvements + self.notes

    def phrases(self) -> list[str]:
        """The counts in words, e.g. `13 team answers (2 free-form)`, `1 area for improvement`."""
        answers = counted(self.answers, "team answer")
        if self.free_form:
            answers += f" ({self.free_form} free-form)"
        if self.corrections:
            answers += f", {counted(self.corrections, 'correction')}"
        return [
            counted(self.moves, "move") + " played",
            counted(self.injects, "inject") + " released",
            answers,
            counted(self.strengths, "strength"),
            counted(self.improvements, "area for improvement", "areas for improvement"),
            counted(self.notes, "other note"),
            counted(self.ratings, "objective rated", "objectives rated"),
            counted(self.plan_items, "plan item"),
        ]


def session_counts(state: SessionState) -> SessionCounts:
    """Count what a session holds: answers in effect, not the ones later corrected."""
    records = [r for d in state.decisions.values() for r in d.records.values()]
    categories = [n.category for n in state.notes]
    return SessionCounts(
        moves=len(state.path),
        injects=len(state.injects),
        answers=len(records),
        free_form=sum(1 for r in records if r.free_text is not None and r.option_id is None),
        corrections=sum(
            1
            for d in state.decisions.values()
            for r in d.history
            if r.correction and r.adjudicated_option is None  # not an adjudication's copy
        ),
        strengths=categories.count("strength"),
        improvements=categories.count("improvement"),
        notes=categories.count("note"),
        ratings=len(state.ratings),
        plan_items=len(state.improvements),
    )
