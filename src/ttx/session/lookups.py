"""Lookups and checks shared by the command planners, each failing with a message that helps."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from datetime import date

from ttx.model.exercise import END, Decision, Exercise, Inject
from ttx.session import events as ev
from ttx.session.actions import CommandError
from ttx.session.state import SessionState

MAX_TEXT = 20_000
"""The longest text accepted in one field (a rationale, a note...)."""

Drafts = list[ev.BaseEvent]


def suggest(name: str, choices: Iterable[str]) -> str:
    options = list(choices)
    close = difflib.get_close_matches(name, options, n=1)
    if close:
        return f"; did you mean {close[0]!r}?"
    return f"; choose one of: {', '.join(options)}" if options else ""


def clean_text(value: str | None, what: str, *, required: bool = False) -> str:
    text = (value or "").strip()
    if required and not text:
        raise CommandError(f"{what} is empty; type something first")
    if len(text) > MAX_TEXT:
        raise CommandError(f"{what} is {len(text):,} characters; keep it under {MAX_TEXT:,}")
    return text


def session_team(state: SessionState, team_id: str | None, what: str = "team") -> str | None:
    if team_id is None:
        return None
    if team_id not in state.team_ids:
        raise CommandError(
            f"no {what} {team_id!r} in this session" + suggest(team_id, state.team_ids)
        )
    return team_id


def find_decision(state: SessionState, decision_id: str) -> tuple[str, Decision]:
    try:
        move, decision = state.exercise.decision(decision_id)
    except KeyError:
        ids = [d.id for m in state.exercise.moves for d in m.decisions]
        raise CommandError(f"no decision {decision_id!r}" + suggest(decision_id, ids)) from None
    return move.id, decision


def find_option(decision: Decision, option_id: str) -> str:
    ids = [o.id for o in decision.options]
    if option_id not in ids:
        raise CommandError(
            f"decision {decision.id!r} has no option {option_id!r}" + suggest(option_id, ids)
        )
    return option_id


def find_inject(exercise: Exercise, inject_id: str) -> tuple[str, Inject]:
    for move in exercise.moves:
        for inject in move.injects:
            if inject.id == inject_id:
                return move.id, inject
    ids = [i.id for m in exercise.moves for i in m.injects]
    raise CommandError(f"no inject {inject_id!r}" + suggest(inject_id, ids))


def move_target(exercise: Exercise, move_id: str) -> str:
    ids = [m.id for m in exercise.moves]
    if move_id != END and move_id not in ids:
        raise CommandError(f"no move {move_id!r}" + suggest(move_id, [*ids, END]))
    return move_id


def visited(state: SessionState, move_id: str) -> bool:
    return any(v.move_id == move_id for v in state.path)


def require_asked(state: SessionState, decision_id: str) -> None:
    """Refuse a decision no move asking it has reached (its own move, or one that `asks` it)."""
    asking = state.exercise.moves_asking(decision_id)
    if any(visited(state, m) for m in asking):
        return
    where = f"move {asking[0]!r}" if len(asking) == 1 else "moves " + ", ".join(map(repr, asking))
    raise CommandError(
        f"decision {decision_id!r} is asked in {where}, which has not been played yet"
    )


def not_ended(state: SessionState, doing: str) -> None:
    if state.status == "ended":
        raise CommandError(f"the session has ended; cannot {doing} (undo the end to continue)")


def find_objective(exercise: Exercise, objective_id: str) -> str:
    ids = [o.id for o in exercise.objectives]
    if objective_id not in ids:
        raise CommandError(f"no objective {objective_id!r}" + suggest(objective_id, ids))
    return objective_id


def date_problem(text: str) -> str | None:
    """Why `text` is not a plan date (YYYY-MM-DD, or empty), or None when it is one."""
    text = text.strip()
    if not text:
        return None
    try:
        if len(text) == 10:
            date.fromisoformat(text)
            return None
    except ValueError:
        pass
    return f"{text!r} is not a date: write it as YYYY-MM-DD (e.g. 2027-01-15), or leave it empty"
