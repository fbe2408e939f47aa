"""Branch and release conditions in words, for the facilitator guide and the report."""

from __future__ import annotations

from ttx.model.exercise import Condition, Exercise
from ttx.session.describe import decision_name

_OPS = {"lt": "<", "lte": "≤", "gt": ">", "gte": "≥", "eq": "="}


def option_label(exercise: Exercise, decision_id: str, option_id: str) -> str:
    """The label of an option, or its id when the decision or option is unknown."""
    try:
        _, decision = exercise.decision(decision_id)
    except KeyError:
        return option_id
    for option in decision.options:
        if option.id == option_id:
            return option.label
    return option_id


def condition_text(exercise: Exercise, cond: Condition) -> str:
    """A condition as a sentence fragment, e.g. `“How do you open?” is “Accept with pressure”`."""
    kind = cond.kind
    if kind == "decision" and cond.decision is not None:
        who = ""
        if cond.team:
            try:
                team = exercise.team(cond.team)
                who = f"{team.short or team.name}'s answer to "
            except KeyError:
                who = f"{cond.team}'s answer to "
        labels = [f"“{option_label(exercise, cond.decision, o)}”" for o in cond.options()]
        compared = cond.comparisons()
        if compared:
            op, value = next(iter(compared.items()))
            return f"{who}{decision_name(exercise, cond.decision)}: points on {labels[0]} {_OPS[op]} {value}"
        return f"{who}{decision_name(exercise, cond.decision)} is {' or '.join(labels)}"
    if kind == "state" and cond.state is not None:
        label = cond.state
        for track in exercise.state:
            if track.id == cond.state:
                label = track.label
        op, value = next(iter(cond.comparisons().items()))
        return f"{label} {_OPS[op]} {value}"
    if kind == "all" and cond.all_ is not None:
        return "(" + " and ".join(condition_text(exercise, c) for c in cond.all_) + ")"
    if kind == "any" and cond.any_ is not None:
        return "(" + " or ".join(condition_text(exercise, c) for c in cond.any_) + ")"
    if kind == "not" and cond.not_ is not None:
        return f"not {condition_text(exercise, cond.not_)}"
    return "?"
