"""Plain-text descriptions of exercise parts for the console (conditions, options, times)."""

from __future__ import annotations

from ttx.model.exercise import Condition, Decision, Exercise


def condition_text(cond: Condition) -> str:
    """A compact reading of a condition, e.g. "opening = pressure" or "trust ≤ 1"."""
    kind = cond.kind
    if kind == "decision":
        who = f"{cond.team}'s " if cond.team else ""
        options = "/".join(cond.options())
        comp = cond.comparisons()
        if comp:
            op, value = next(iter(comp.items()))
            return f"{who}{cond.decision}.{options} {_OPS[op]} {value}"
        return f"{who}{cond.decision} = {options}"
    if kind == "state":
        op, value = next(iter(cond.comparisons().items()))
        return f"{cond.state} {_OPS[op]} {value}"
    if kind == "all" and cond.all_ is not None:
        return " and ".join(f"({condition_text(c)})" for c in cond.all_)
    if kind == "any" and cond.any_ is not None:
        return " or ".join(f"({condition_text(c)})" for c in cond.any_)
    if kind == "not" and cond.not_ is not None:
        return f"not ({condition_text(cond.not_)})"
    return "?"


_OPS = {"lt": "<", "lte": "≤", "gt": ">", "gte": "≥", "eq": "="}


def option_label(decision: Decision, option_id: str | None) -> str:
    """An option's label (its id when unknown)."""
    if option_id is None:
        return "—"
    for option in decision.options:
        if option.id == option_id:
            return option.label
    return option_id


def move_label(exercise: Exercise, move_id: str | None) -> str:
    """A move's title with its printed number (`Exercise.move_number`), or "the end" / "the hot wash"."""
    if move_id is None:
        return "—"
    if move_id == "end":
        return "the end (hot wash)"
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
