"""Context of the after-action report and improvement plan, built from a `SessionState`.

What happened (clock times, pauses, injects, branches), what every team chose and
why, how the objectives fared, and what the room will change. Times print in UTC
so the same session always gives the same bytes.
"""

from __future__ import annotations

from datetime import UTC
from typing import Any

from ttx.model.exercise import Decision, Exercise
from ttx.report.aar_timeline import clock, path_taken, session_facts, timeline, tracks
from ttx.report.charts import Bar, bar_chart
from ttx.report.common import (
    doc_meta,
    exercise_basics,
    source_refs,
    sources,
)
from ttx.report.markdown import markdown, markdown_inline
from ttx.report.templates import render_html
from ttx.session.state import DecisionRecord, DecisionState, SessionState
from ttx.vocabulary import decision_name, move_title, option_label

MANY_TEAMS = 3
"""From this many deciding teams on, a decision gets a chart of the choices."""

CATEGORY = {"strength": "Strength", "improvement": "Area for improvement", "note": "Note"}


def report_html(state: SessionState, paper: str = "letter") -> str:
    """The report's HTML."""
    return render_html("aar", report_context(state), paper)


def report_context(state: SessionState) -> dict[str, Any]:
    """Everything the report prints, as plain data."""
    exercise = state.exercise
    end = state.ended_at or state.last_at
    names = {t.id: t.name for t in state.teams}
    date = end.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    meta = doc_meta(exercise, "After-action report", date=date)
    meta["title"] = f"{exercise.title} — After-action report and improvement plan — {state.id}"
    decisions = [
        _decision(exercise, state, exercise.decision(did)[1], names)
        for did in _decision_order(state)
    ]
    return {
        "meta": meta,
        "ex": exercise_basics(exercise),
        "session": session_facts(state, end, names),
        "path": path_taken(state),
        "timeline": timeline(state),
        "decisions": decisions,
        "tracks": tracks(state, end),
        "observations": _observations(state, names),
        "objectives": _objectives(state),
        "hot_wash": _hot_wash(state, names),
        "improvements": [
            {
                "issue": markdown_inline(i.issue),
                "action": markdown_inline(i.corrective_action),
                "responsible": i.responsible,
                "contact": i.point_of_contact,
                "capability": i.capability,
                "start": i.start,
                "due": i.due,
                "objective": _objective_number(exercise, i.objective_id),
            }
            for i in state.improvements
        ],
        "teams": [
            {
                "name": t.name,
                "exercise_name": _exercise_team_name(exercise, t.id),
                "members": list(t.members),
                "facilitator": t.played_by == "facilitator",
            }
            for t in state.teams
        ],
        "log": _decision_log(exercise, state, names),
        "undone": [
            {"time": clock(u.at), "action": u.action, "summary": u.summary} for u in state.undone
        ],
        "sources": sources(exercise),
    }


def _exercise_team_name(exercise: Exercise, team_id: str) -> str:
    try:
        return exercise.team(team_id).name
    except KeyError:
        return team_id


def _objective_number(exercise: Exercise, objective_id: str | None) -> int | None:
    for n, objective in enumerate(exercise.objectives, 1):
        if objective.id == objective_id:
            return n
    return None


def _decision_order(state: SessionState) -> list[str]:
    """Decisions of the moves visited, in the order played, then any other recorded ones."""
    order: list[str] = []
    for visit in state.path:
        try:
            move = state.exercise.move(visit.move_id)
        except KeyError:
            continue
        order.extend(d.id for d in move.decisions if d.id not in order)
    order.extend(d for d in state.decisions if d not in order)
    return order


def _answer(exercise: Exercise, decision: Decision, record: DecisionRecord) -> dict[str, Any]:
    letters = {o.id: chr(ord("A") + i) for i, o in enumerate(decision.options)}
    allocation = None
    if record.allocation:
        allocation = [
            {"label": option_label(exercise, decision.id, oid), "points": pts}
            for oid, pts in record.allocation.items()
            if pts
        ]
    counted = record.counts_as
    consequence = None
    if counted:
        for option in decision.options:
            if option.id == counted and option.consequence:
                consequence = markdown_inline(option.consequence)
    return {
        "option": f"{letters.get(record.option_id, '')} {option_label(exercise, decision.id, record.option_id)}".strip()
        if record.option_id
        else None,
        "allocation": allocation,
        "free_text": markdown(record.free_text) if record.free_text else None,
        "adjudicated": option_label(exercise, decision.id, record.adjudicated_option)
        if record.adjudicated_option
        else None,
        "rationale": markdown(record.rationale) if record.rationale.strip() else None,
        "consequence": consequence,
        "time": clock(record.recorded_at),
    }


def _decision(
    exercise: Exercise, state: SessionState, decision: Decision, names: dict[str, str]
) -> dict[str, Any]:
    recorded: DecisionState | None = state.decisions.get(decision.id)
    move_id = recorded.move_id if recorded else exercise.decision(decision.id)[0].id
    teams = state.deciding_teams(decision.id)
    cells = []
    for team_id in teams:
        record = recorded.records.get(team_id) if recorded else None
        earlier = [r for r in recorded.history if r.team_id == team_id] if recorded else []
        cells.append(
            {
                "team": names.get(team_id, team_id),
                "answer": _answer(exercise, decision, record) if record else None,
                "corrections": max(0, len(earlier) - 1),
                "reason": record.reason if record and record.correction else "",
            }
        )
    outcome = recorded.outcome if recorded else None
    chart = None
    if len(teams) >= MANY_TEAMS and recorded is not None:
        chart = _choice_chart(exercise, decision, recorded)
    ruling = recorded.ruling if recorded else None
    return {
        "id": decision.id,
        "move": move_title(exercise, move_id, heading=True),
        "prompt": markdown(decision.prompt),
        "kind": decision.kind,
        "budget": decision.budget,
        "units": decision.pool.units if decision.pool is not None else "points",
        "cells": cells,
        "columns": min(len(cells), 3) or 1,
        "outcome": _outcome_text(exercise, decision, outcome, names)
        if outcome
        else "Not answered.",
        "ruling": {
            "option": option_label(exercise, decision.id, ruling.option_id),
            "reason": ruling.reason,
        }
        if ruling
        else None,
        "chart": chart,
        "objectives": [
            n for n, o in enumerate(exercise.objectives, 1) if o.id in decision.objectives
        ],
        "sources": source_refs(exercise, [s for o in decision.options for s in o.sources]),
    }


def _outcome_text(
    exercise: Exercise, decision: Decision, outcome: Any, names: dict[str, str]
) -> str:
    if outcome.status == "pending":
        return "Pending: not every deciding team answered."
    if outcome.status == "needs_ruling":
        return (
            "Needs the facilitator's ruling (a tie or a facilitator decision); none was recorded."
        )
    if outcome.option_id:
        by = str(outcome.by)
        for team_id, name in names.items():
            by = by.replace(f"team {team_id}", f"team {name}").replace(
                f"tie-break {team_id}", f"tie-break by {name}"
            )
        return f"Outcome: {option_label(exercise, decision.id, outcome.option_id)} (by {by})."
    if outcome.allocation:
        spent = ", ".join(
            f"{option_label(exercise, decision.id, k)} {v}"
            for k, v in outcome.allocation.items()
            if v
        )
        return f"Allocation carried forward: {spent}."
    return "Each team's own answer shapes its own story."


def _choice_chart(exercise: Exercise, decision: Decision, recorded: DecisionState) -> Any:
    if decision.kind == "allocation":
        totals = {o.id: 0 for o in decision.options}
        for record in recorded.records.values():
            for oid, pts in (record.allocation or {}).items():
                totals[oid] = totals.get(oid, 0) + pts
        bars = [Bar(option_label(exercise, decision.id, k), v) for k, v in totals.items()]
        return bar_chart(
            bars, label=f"Points allocated by all teams: {decision_name(exercise, decision.id)}"
        )
    tally = dict.fromkeys((o.id for o in decision.options), 0)
    for record in recorded.records.values():
        key = record.counts_as or "_free"
        tally[key] = tally.get(key, 0) + 1
    bars = [
        Bar(
            "Free-form answer" if k == "_free" else option_label(exercise, decision.id, k),
            v,
            strong=k == recorded.outcome.option_id,
        )
        for k, v in tally.items()
    ]
    return bar_chart(
        bars, label=f"Teams choosing each option: {decision_name(exercise, decision.id)}"
    )


def _tags(
    state: SessionState,
    names: dict[str, str],
    team: str | None,
    move: str | None,
    objective: str | None,
) -> list[str]:
    tags = []
    if team:
        tags.append(names.get(team, team))
    if move:
        tags.append(move_title(state.exercise, move, heading=True))
    number = _objective_number(state.exercise, objective)
    if number:
        tags.append(f"objective {number}")
    return tags


def _observations(state: SessionState, names: dict[str, str]) -> dict[str, list[dict[str, Any]]]:
    groups: dict[str, list[dict[str, Any]]] = {"strength": [], "improvement": [], "note": []}
    for note in state.notes:
        groups.setdefault(note.category, []).append(
            {
                "text": markdown_inline(note.text),
                "time": clock(note.at),
                "tags": _tags(state, names, note.team_id, note.move_id, note.objective_id),
            }
        )
    return groups


def _objectives(state: SessionState) -> list[dict[str, Any]]:
    exercise = state.exercise
    out = []
    for n, objective in enumerate(exercise.objectives, 1):
        rating = state.ratings.get(objective.id)
        notes = [note for note in state.notes if note.objective_id == objective.id]
        out.append(
            {
                "number": n,
                "text": markdown_inline(objective.text),
                "capability": objective.capability,
                "rating": rating.rating if rating else None,
                "level": list(exercise.evaluation.scale).index(rating.rating)
                if rating and rating.rating in exercise.evaluation.scale
                else None,
                "evidence": markdown(rating.evidence) if rating and rating.evidence else None,
                "criteria": [
                    markdown_inline(c.text)
                    for c in exercise.evaluation.criteria
                    if c.objective == objective.id
                ],
                "notes": [
                    {
                        "category": CATEGORY.get(x.category, x.category),
                        "text": markdown_inline(x.text),
                    }
                    for x in notes
                ],
            }
        )
    return out


def _hot_wash(state: SessionState, names: dict[str, str]) -> list[dict[str, Any]]:
    questions = state.exercise.hot_wash.questions
    groups: list[dict[str, Any]] = []
    for index, question in enumerate(questions):
        answers = [a for a in state.hot_wash if a.question_index == index]
        groups.append({"question": markdown_inline(question.text), "answers": answers})
    general = [
        a for a in state.hot_wash if a.question_index is None or a.question_index >= len(questions)
    ]
    if general:
        groups.append({"question": "General remarks", "answers": general})
    return [
        {
            "question": g["question"],
            "answers": [
                {
                    "text": markdown_inline(a.text),
                    "team": names.get(a.team_id, a.team_id) if a.team_id else None,
                    "time": clock(a.at),
                }
                for a in g["answers"]
            ],
        }
        for g in groups
    ]


def _decision_log(
    exercise: Exercise, state: SessionState, names: dict[str, str]
) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for decision_state in state.decisions.values():
        _, decision = exercise.decision(decision_state.decision_id)
        for record in decision_state.history:
            answer = _answer(exercise, decision, record)
            rows.append(
                {
                    "seq": record.seq,
                    "time": clock(record.recorded_at),
                    "decision": decision_name(exercise, decision.id),
                    "team": names.get(record.team_id, record.team_id),
                    "answer": answer,
                    "correction": record.correction,
                    "reason": record.reason,
                }
            )
    rows.sort(key=lambda r: int(r["seq"]))
    return rows
