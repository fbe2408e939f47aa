"""Context of the after-action report and improvement plan (AAR/IP), built from a `SessionState`.

The sections follow FEMA's HSEEP AAR/IP template: exercise overview, executive summary
(the facilitator's top strengths and areas for improvement), the ratings summary with
core capabilities, the analysis by objective (each observation with the facilitator's
analysis), a synopsis and one decision matrix per move (`ttx.report.aar_matrix`), the
track charts, the hot wash, the improvement plan with every HSEEP column, participants
and sources. The context is plain data (strings, numbers, rendered Markdown), printed by
the PDF template (`templates/aar/`) and by the Word writer (`ttx.report.aar_docx`) alike.

Every item is printed once: the executive summary and the ratings table name observations
and objectives by a short title (`short_title`) and point to where the analysis prints
them in full. Long lists are summarised (`SHOWN`). Times are in the report's zone, each
with the zone's abbreviation (`ttx.report.aar_timeline`).
"""

from __future__ import annotations

import re
from datetime import tzinfo
from typing import Any

from ttx.model.exercise import Decision, Exercise
from ttx.report.aar_feedback import participant_feedback
from ttx.report.aar_matrix import answer_cell, decision_matrix
from ttx.report.aar_synopsis import synopsis
from ttx.report.aar_timeline import (
    clock,
    in_zone,
    local_date,
    path_taken,
    session_facts,
    tracks,
)
from ttx.report.common import (
    doc_meta,
    exercise_basics,
    sources,
)
from ttx.report.markdown import markdown, markdown_inline
from ttx.report.templates import render_html
from ttx.session.state import Note, SessionState
from ttx.vocabulary import decision_name, move_title

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
            part["matrix"] = decision_matrix(state, _move_decisions(exercise, move_id), names)
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
                "matrix": decision_matrix(state, decisions, names),
            }
        )
    return parts


def _move_decisions(exercise: Exercise, move_id: str) -> list[Decision]:
    try:
        return list(exercise.move(move_id).decisions)
    except KeyError:
        return []


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
                    "answer": answer_cell(exercise, decision, record),
                }
            )
    rows.sort(key=lambda r: int(r["seq"]))
    return _capped(rows)
