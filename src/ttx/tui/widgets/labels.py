"""How the console names a move (with its printed number) and shows a running time.

Conditions, options and durations are phrased by `ttx.vocabulary`, as on every other surface.
"""

from __future__ import annotations

from ttx.model.exercise import END, Exercise
from ttx.vocabulary import END_OF_MOVES


def move_label(exercise: Exercise, move_id: str | None) -> str:
    """A move's title with its printed number (`Exercise.move_number`), or "the end (hot wash)"."""
    if move_id is None:
        return "—"
    if move_id == END:
        return END_OF_MOVES
    try:
        move = exercise.move(move_id)
    except KeyError:
        return move_id
    return f"move {exercise.move_number(move_id)}: {move.title}"


def minutes(seconds: float) -> str:
    """Seconds as m:ss (or h:mm:ss past an hour)."""
    total = max(0, int(seconds))
    hours, rest = divmod(total, 3600)
    mins, secs = divmod(rest, 60)
    return f"{hours}:{mins:02d}:{secs:02d}" if hours else f"{mins}:{secs:02d}"
