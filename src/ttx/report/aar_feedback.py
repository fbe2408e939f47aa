"""The AAR's "Participant feedback" section: the anonymous feedback teams sent from the room.

The room's feedback form is anonymous (`RoomFeedbackGiven` carries no team), so the
section prints counts and the answers' text, never who sent them.
"""

from __future__ import annotations

from typing import Any

from ttx.session.state import SessionState

SCALE = range(1, 6)
"""The form's rating scale, 1 (disagree) to 5 (agree)."""


def participant_feedback(state: SessionState) -> dict[str, Any]:
    """How many forms came in, each statement's ratings (count per score, mean), and the texts."""
    forms = list(state.room_feedback)
    statements = list(state.exercise.feedback.ratings)
    ratings = []
    for index, statement in enumerate(statements):
        given = [f.ratings[str(index)] for f in forms if str(index) in f.ratings]
        ratings.append(
            {
                "statement": statement,
                "answers": len(given),
                "mean": f"{sum(given) / len(given):.1f}" if given else "—",
                "counts": [given.count(score) for score in SCALE],
            }
        )
    return {
        "forms": len(forms),
        "scale": list(SCALE),
        "ratings": ratings,
        "strengths": [f.strengths for f in forms if f.strengths],
        "improvements": [f.improvements for f in forms if f.improvements],
    }
