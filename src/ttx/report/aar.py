"""Context of the after-action report and improvement plan (AAR/IP), built from a `SessionState`.

The sections follow FEMA's HSEEP AAR/IP template: exercise overview, executive summary
(the facilitator's top strengths and areas for improvement), the ratings summary with
core capabilities, the analysis by objective (each observation with the facilitator's
analysis), a synopsis and one decision matrix per move, the track charts, the hot wash,
the improvement plan with every HSEEP column, participants and sources. The context is
plain data (strings, numbers, rendered Markdown), printed by the PDF template
(`templates/aar/`) and by the Word writer (`ttx.report.aar_docx`) alike.

Every item is printed once: the executive summary and the ratings table name observations
and objectives by a short title (`short_title`) and point to where the analysis prints
them in full. Long lists are summarised (`SHOWN`). Times are in the report's zone, each
with the zone's abbreviation (`ttx.report.aar_timeline`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import tzinfo
from typing import Any

from ttx.model.exercise import Decision, Exercise
from ttx.report.aar_feedback import participant_feedback
from ttx.report.aar_synopsis import synopsis
from ttx.report.aar_timeline import (
    clock,
    in_zone,
    local_date,
    path_taken,
    session_facts,
    tracks,
)
from ttx.report.charts import Bar, bar_chart
from ttx.report.common import (
    doc_meta,
    exercise_basics,
    source_refs,
    sources,
)
from ttx.report.markdown import markdown, markdown_inline
from ttx.report.templates import render_html
from ttx.session.state import DecisionRecord, DecisionState, Note, SessionState
from ttx.vocabulary import allocation_units, decision_name, move_title, option_label

MANY_TEAMS = 3
"""From this many deciding teams on, a decision gets a chart of the choices."""

TOP = 3
"""The executive summary names this many strengths and areas for improvement."""

SHOWN = 60
"""A group of observations (or the list of superseded answers) prints at most this many;
the rest are counted. A long session's thousands of notes would otherwise fill a book."""

TITLE = 80
"""A short title (`short_title`) is at most this many characters: the executive summary
names observations, and the ratings table objectives, by one; the analysis prints them in full."""

CATEGORY = {"strength": "Strength", "improvement": "Area for improvement", "note": "Note"}

PLAN_COLUMNS = (
    "Objective",
    "Core capability",
    "Issue / area for improvement",
    "Corrective action",
    "Primary responsible organisation",
    "Point of contact",
    "Start date",
    "Completion date",
)
"""The improvement plan's columns, as HSEEP's AAR/IP template has them (both copies print these)."""

RATING_COLUMNS = ("No.", "Objective", "Core capability", "Rating")
"""The ratings summary's columns."""


OBJECTIVE_TITLE = 60
"""The ratings table names an objective by a short title of at most this many characters."""


def report_html(state: SessionState, paper: str = "letter", zone: tzinfo | None = None) -> str:
    """The report's HTML, its times in `zone` (None: the machine's local zone)."""
    return render_html("aar", report_context(state, zone), paper)


def report_context(state: SessionState, zone: tzinfo | None = None) -> dict[str, Any]:
    """Everything the report prints, as plain data, its times in `zone` (None: local)."""
    with in_zone(zone):
        return _context(state)


def short_title(text: str, limit: int = TITLE) -> str:
    """The first sentence of a text's first line (without a Markdown list or heading mark),
    cut at a word to `limit` characters with "…"."""
    line = next((part.strip() for part in text.splitlines() if part.strip()), "")
    line = re.sub(r"^(?:#{1,6}|[-*+>]|\d+[.)])\s+", "", line)
    sentence = re.split(r"(?<=[.!?])\s", line, maxsplit=1)[0]
    if len(sentence) <= limit:
        return sentence
    cut = sentence[: limit - 1]
    return (cut.rsplit(" ", 1)[0] if " " in cut else cut).rstrip(",;:") + "…"


def _context(state: SessionState) -> dict[str, Any]:
    exercise = state.exercise
    end = state.ended_at or state.last_at
    names = {t.id: t.name for t in state.teams}
    meta = doc_meta(exercise, "After-action report", date=local_date(end))
    meta["title"] = f"{exercise.title} — After-action report and improvement plan"
    objectives = _objectives(state, names)
    unlinked = _unlinked(state, names)
    printed = {
        o["anchor"]
        for groups in [*(obj["observations"] for obj in objectives), unlinked]
        for group in groups.values()
        for o in group["items"]
    }
    return {
        "meta": meta,
        "ex": exercise_basics(exercise),
        "session": session_facts(state, end, names),
        "summary": _summary(state, objectives, printed),
        "path": path_taken(state),
        "objectives": objectives,
        "unlinked": unlinked,
        "moves": _moves(state, names),
        "any_answer": any(d.records for d in state.decisions.values()),
        "tracks": tracks(state, end),
        "hot_wash": _hot_wash(state, names),
        "feedback": participant_feedback(state),
        "plan_columns": PLAN_COLUMNS,
        "rating_columns": RATING_COLUMNS,
        "improvements": [
            {
                "issue": markdown_inline(i.issue),
                "action": markdown_inline(i.corrective_action),
                "responsible": i.responsible,
                "contact": i.point_of_contact,
                "capability": i.capability or _objective_capability(exercise, i.objective_id),
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
        "superseded": _superseded(exercise, state, names),
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


def _objective_capability(exercise: Exercise, objective_id: str | None) -> str:
    for objective in exercise.objectives:
        if objective.id == objective_id:
            return objective.capability or ""
    return ""


def _answer(exercise: Exercise, decision: Decision, record: DecisionRecord) -> dict[str, Any]:
    letters = {o.id: chr(ord("A") + i) for i, o in enumerate(decision.options)}
    allocation = None
    if record.allocation:
        allocation = [
            {"label": option_label(exercise, decision.id, oid), "points": pts}
            for oid, pts in record.allocation.items()
            if pts
        ]
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
        "time": clock(record.recorded_at),
    }


def _moves(state: SessionState, names: dict[str, str]) -> list[dict[str, Any]]:
    """The synopsis, move by move, each move with its decision matrix."""
    exercise = state.exercise
    parts = synopsis(state)
    shown: set[str] = set()
    for part in parts:
        move_id = part.pop("move_id")
        part["matrix"] = None
        if move_id is not None and move_id not in shown:
            shown.add(move_id)
            part["matrix"] = _matrix(state, _move_decisions(exercise, move_id), names)
    # Answers recorded in a move that was not visited (a session ended early, then edited).
    stray = [d for d in state.decisions.values() if d.move_id not in shown]
    for move_id in dict.fromkeys(d.move_id for d in stray):
        decisions = [exercise.decision(d.decision_id)[1] for d in stray if d.move_id == move_id]
        parts.append(
            {
                "title": move_title(exercise, move_id, heading=True),
                "start": "",
                "lines": [],
                "omitted": "",
                "matrix": _matrix(state, decisions, names),
            }
        )
    return parts


def _move_decisions(exercise: Exercise, move_id: str) -> list[Decision]:
    try:
        return list(exercise.move(move_id).decisions)
    except KeyError:
        return []


KEEP_ROW_MM = 80
"""A decision-matrix row estimated no taller than this stays on one page (`tr.keep`): a
short row split at a page foot leaves a team's name beside empty cells. A taller row
may split, or moving it would leave most of a page blank."""


def _row_height_mm(cells: list[dict[str, Any]], records: list[DecisionRecord | None]) -> float:
    """A rough height of a matrix row: its longest answer at 8.5 pt in its column's width."""
    width_mm = 0.78 * 178 / max(len(cells), 1) - 3  # the team column takes 22 %; padding
    per_line = max(8, int(width_mm * 0.72))  # ~0.72 characters of 8.5 pt serif a millimetre
    tallest = 1
    for record in records:
        if record is None:
            continue
        text = len(record.rationale) + len(record.free_text or "")
        lines = 3 + -(-text // per_line) + len(record.allocation or {})
        tallest = max(tallest, lines)
    return tallest * 4.1 + 3


def _matrix(
    state: SessionState, decisions: list[Decision], names: dict[str, str]
) -> dict[str, Any] | None:
    """One table for a move: a row per team, a column per decision, every team in it.

    A team a decision does not ask reads "not asked", so single-team decisions sit beside
    the others instead of being stacked.
    """
    if not decisions:
        return None
    exercise = state.exercise
    columns = []
    asked: dict[str, set[str]] = {}
    for number, decision in enumerate(decisions, 1):
        recorded: DecisionState | None = state.decisions.get(decision.id)
        teams = state.deciding_teams(decision.id)
        asked[decision.id] = set(teams)
        outcome = recorded.outcome if recorded else None
        ruling = recorded.ruling if recorded else None
        columns.append(
            {
                "key": f"D{number}",
                "prompt": markdown(decision.prompt),
                "name": decision_name(exercise, decision.id),
                "kind": decision.kind,
                "budget": decision.budget,
                "units": decision.pool.units if decision.pool is not None else "points",
                "asks": _asked_of(state, teams, names),
                "outcome": _outcome_text(exercise, decision, outcome, names)
                if outcome
                else "Not answered.",
                # The outcome line already names a ruling it follows ("by ruling").
                "ruling": {
                    "option": option_label(exercise, decision.id, ruling.option_id),
                    "reason": ruling.reason,
                }
                if ruling and not (outcome and outcome.option_id == ruling.option_id)
                else None,
                "chart": _choice_chart(exercise, decision, recorded)
                if len(teams) >= MANY_TEAMS and recorded is not None
                else None,
                "objectives": [
                    n for n, o in enumerate(exercise.objectives, 1) if o.id in decision.objectives
                ],
                "consequences": _consequences(decision, recorded),
                "sources": source_refs(exercise, [s for o in decision.options for s in o.sources]),
            }
        )
    rows = []
    for team in state.teams:
        if not any(team.id in asked[d.id] for d in decisions):
            continue
        cells: list[dict[str, Any]] = []
        records: list[DecisionRecord | None] = []
        for decision in decisions:
            recorded = state.decisions.get(decision.id)
            record = recorded.records.get(team.id) if recorded else None
            records.append(record if team.id in asked[decision.id] else None)
            if team.id not in asked[decision.id]:
                cells.append({"asked": False, "answer": None, "corrected": False})
                continue
            cells.append(
                {
                    "asked": True,
                    "answer": _answer(exercise, decision, record) if record else None,
                    "corrected": bool(
                        recorded
                        and any(r.correction and r.team_id == team.id for r in recorded.history)
                    ),
                }
            )
        keep = _row_height_mm(cells, records) <= KEEP_ROW_MM
        rows.append({"team": team.name, "cells": cells, "keep": keep})
    idle = [t.name for t in state.teams if not any(t.id in asked[d.id] for d in decisions)]
    if idle and all(c["asks"] == "every team but " + ", ".join(idle) for c in columns):
        idle = []  # each decision's line already says who it leaves out
    return {"columns": columns, "rows": rows, "idle": idle}


def _asked_of(state: SessionState, teams: list[str], names: dict[str, str]) -> str:
    """Who a decision asks, when not every team: "US team, Mexico team", or, when it
    asks most of them, "every team but the red cell"; "" for every team."""
    left_out = [t.id for t in state.teams if t.id not in teams]
    if not left_out:
        return ""
    if len(left_out) < len(teams):
        return "every team but " + ", ".join(names.get(t, t) for t in left_out)
    return ", ".join(names.get(t, t) for t in teams)


def _consequences(decision: Decision, recorded: DecisionState | None) -> list[dict[str, Any]]:
    """What followed each option the teams chose, once per option however many chose it."""
    if recorded is None:
        return []
    chosen = {r.counts_as for r in recorded.records.values()}
    letters = {o.id: chr(ord("A") + i) for i, o in enumerate(decision.options)}
    return [
        {"option": f"{letters[o.id]} {o.label}", "text": markdown_inline(o.consequence)}
        for o in decision.options
        if o.id in chosen and o.consequence
    ]


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
    units = allocation_units(decision)
    if outcome.grants:
        granted = "; ".join(
            f"{names.get(team, team)}: {_spent(exercise, decision, split) or 'nothing'}"
            for team, split in outcome.grants.items()
        )
        return f"Granted from the pool ({units}): {granted}."
    if outcome.allocation:
        return f"Allocation carried forward ({units}): {_spent(exercise, decision, outcome.allocation)}."
    return "Each team's own answer shapes its own story."


def _spent(exercise: Exercise, decision: Decision, split: Mapping[str, int]) -> str:
    """An allocation in words: `North shelters 4, South shelters 2` (options given nothing left out)."""
    return ", ".join(f"{option_label(exercise, decision.id, k)} {v}" for k, v in split.items() if v)


def _choice_chart(exercise: Exercise, decision: Decision, recorded: DecisionState) -> Any:
    if decision.kind == "allocation":
        totals = {o.id: 0 for o in decision.options}
        for record in recorded.records.values():
            for oid, pts in (record.allocation or {}).items():
                totals[oid] = totals.get(oid, 0) + pts
        bars = [Bar(option_label(exercise, decision.id, k), v) for k, v in totals.items()]
        return bar_chart(
            bars,
            label=f"{allocation_units(decision).capitalize()} allocated by all teams: "
            f"{decision_name(exercise, decision.id)}: {_bar_values(bars)}",
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
        bars,
        label=f"Teams choosing each option: {decision_name(exercise, decision.id)}: "
        f"{_bar_values(bars)}",
    )


def _bar_values(bars: list[Bar]) -> str:
    """What the bars show, in words: "Escalate 1, Hold 2 (the outcome), Pivot 0"."""
    return ", ".join(
        f"{b.label} {b.value:g}" + (" (the outcome)" if b.strong else "") for b in bars
    )


def _tags(
    state: SessionState,
    names: dict[str, str],
    note: Note,
) -> list[str]:
    tags = []
    if note.team_id:
        tags.append(names.get(note.team_id, note.team_id))
    if note.move_id:
        tags.append(move_title(state.exercise, note.move_id, heading=True))
    return tags


def _observation(state: SessionState, names: dict[str, str], note: Note) -> dict[str, Any]:
    return {
        "anchor": f"obs-{note.seq}",
        "text": markdown(note.text),
        "analysis": markdown(note.analysis) if note.analysis.strip() else None,
        "time": clock(note.at),
        "tags": _tags(state, names, note),
    }


def _capped(items: list[dict[str, Any]]) -> dict[str, Any]:
    """A list of printed items and the count of those left out."""
    return {"items": items[:SHOWN], "more": max(0, len(items) - SHOWN)}


def _grouped(
    state: SessionState, names: dict[str, str], notes: list[Note]
) -> dict[str, dict[str, Any]]:
    out = {}
    for category in ("strength", "improvement", "note"):
        chosen = [n for n in notes if n.category == category]
        out[category] = _capped([_observation(state, names, n) for n in chosen[:SHOWN]])
        out[category]["more"] = max(0, len(chosen) - SHOWN)
    return out


def _objectives(state: SessionState, names: dict[str, str]) -> list[dict[str, Any]]:
    """Each objective: its capability, rating, evidence, criteria and its observations."""
    exercise = state.exercise
    by_objective: dict[str, list[Note]] = {}
    for note in state.notes:
        if note.objective_id:
            by_objective.setdefault(note.objective_id, []).append(note)
    out = []
    for n, objective in enumerate(exercise.objectives, 1):
        rating = state.ratings.get(objective.id)
        out.append(
            {
                "number": n,
                "text": markdown_inline(objective.text),
                "title": markdown_inline(short_title(objective.text, OBJECTIVE_TITLE)),
                "anchor": f"objective-{n}",
                "capability": objective.capability or "",
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
                "observations": _grouped(state, names, by_objective.get(objective.id, [])),
            }
        )
    return out


def _unlinked(state: SessionState, names: dict[str, str]) -> dict[str, dict[str, Any]]:
    """Observations not tied to an objective (or to one the exercise no longer has)."""
    known = {o.id for o in state.exercise.objectives}
    return _grouped(state, names, [n for n in state.notes if n.objective_id not in known])


def _summary(
    state: SessionState, objectives: list[dict[str, Any]], printed: set[str]
) -> dict[str, Any]:
    """The executive summary's top strengths and areas for improvement, in the facilitator's words.

    Strengths come first from the best-rated objectives, areas for improvement from the
    worst-rated; within an objective, in the order noted. Observations tied to an
    unrated objective or to none follow, in the order noted. Each is named by its short
    title and points to the analysis, where it prints in full (its anchor; None for one
    of a group too long to print whole).
    """
    exercise = state.exercise
    levels = {
        o.id: obj["level"]
        for o, obj in zip(exercise.objectives, objectives, strict=True)
        if obj["level"] is not None
    }
    numbers = {o.id: n for n, o in enumerate(exercise.objectives, 1)}

    def top(category: str, worst_first: bool) -> list[dict[str, Any]]:
        notes = [n for n in state.notes if n.category == category]

        def rank(note: Note) -> tuple[int, int]:
            level = levels.get(note.objective_id or "")
            if level is None:  # an unrated objective, or none: after the rated, as noted
                return (1, 0)
            return (0, -level if worst_first else level)

        chosen = sorted(notes, key=rank)[:TOP]
        return [
            {
                "title": markdown_inline(short_title(n.text)),
                "objective": numbers.get(n.objective_id or ""),
                "anchor": f"obs-{n.seq}" if f"obs-{n.seq}" in printed else None,
            }
            for n in chosen
        ]

    return {
        "strengths": top("strength", worst_first=False),
        "improvements": top("improvement", worst_first=True),
    }


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


def _superseded(exercise: Exercise, state: SessionState, names: dict[str, str]) -> dict[str, Any]:
    """Answers later corrected: the words a team gave first, printed nowhere else."""
    rows: list[dict[str, Any]] = []
    for decision_state in state.decisions.values():
        _, decision = exercise.decision(decision_state.decision_id)
        current = {r.seq for r in decision_state.records.values()}
        for record in decision_state.history:
            if record.seq in current or record.adjudicated_option is not None:
                continue  # the answer in effect, or an adjudication's copy of an answer
            rows.append(
                {
                    "seq": record.seq,
                    "time": clock(record.recorded_at),
                    "decision": decision_name(exercise, decision.id),
                    "team": names.get(record.team_id, record.team_id),
                    "answer": _answer(exercise, decision, record),
                }
            )
    rows.sort(key=lambda r: int(r["seq"]))
    return _capped(rows)
