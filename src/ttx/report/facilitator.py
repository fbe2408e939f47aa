"""Context of the facilitator guide: everything, including notes, consequences and the branch map."""

from __future__ import annotations

from typing import Any

from ttx.model.exercise import Exercise, Inject, Move
from ttx.model.stages import move_numbers, stages
from ttx.report.branchmap import branch_map
from ttx.report.common import (
    doc_meta,
    exercise_basics,
    public_teams,
    source_refs,
    sources,
)
from ttx.report.markdown import markdown, markdown_inline
from ttx.report.participant import decision_context, question_context, role_cards
from ttx.report.room import room_layout, track_board
from ttx.vocabulary import after_text, condition_text, minutes_text, move_title, resolve_text

TALL_NOTE = 600
"""Characters of facilitator note above which a timeline row may break across pages (about
ten lines in its column): kept whole, such a row left most of a page empty before it."""
TALL_INJECT = 1500
"""Characters (text, note, expected points) above which an inject's box in a move may break
across pages (about a quarter page): kept whole, a long note jumped a page."""


def audience_text(exercise: Exercise, inject: Inject) -> str:
    """Who receives an inject, in words."""
    if inject.to == "all":
        return "All teams"
    if inject.to == "facilitator":
        return "Facilitator only"
    ids = [inject.to] if isinstance(inject.to, str) else list(inject.to)
    labels = []
    for team_id in ids:
        try:
            labels.append(exercise.team(team_id).label)
        except KeyError:
            labels.append(team_id)
    return ", ".join(labels)


def _objectives_of(exercise: Exercise, move: Move) -> list[int]:
    numbers = {o.id: n for n, o in enumerate(exercise.objectives, 1)}
    found: list[int] = []
    for ids in [q.objectives for q in move.questions] + [d.objectives for d in move.decisions]:
        for oid in ids:
            if oid in numbers and numbers[oid] not in found:
                found.append(numbers[oid])
    return sorted(found)


def _track_labels(exercise: Exercise) -> dict[str, str]:
    return {t.id: t.label for t in exercise.state}


def _move_detail(exercise: Exercise, move: Move, number: str) -> dict[str, Any]:
    tracks = _track_labels(exercise)
    decisions = []
    for decision in exercise.decisions_in(move.id):
        ctx = decision_context(exercise, decision)
        home = exercise.decision(decision.id)[0]
        ctx["asked_again"] = (
            f"Move {exercise.move_number(home.id)}: {home.title}" if home.id != move.id else None
        )
        for option_ctx, option in zip(ctx["options"], decision.options, strict=True):
            option_ctx["consequence"] = (
                markdown_inline(option.consequence) if option.consequence else None
            )
            option_ctx["effects"] = [
                f"{tracks.get(k, k)} {v:+d}" for k, v in sorted(option.effects.items())
            ]
            option_ctx["goto"] = (
                move_title(exercise, option.goto, heading=True) if option.goto else None
            )
        ctx["resolve"] = resolve_text(exercise, decision)
        ctx["poll"] = decision.poll
        ctx["tie_break"] = decision.tie_break if decision.resolve.mode == "majority" else None
        ctx["objectives"] = [
            n for n, o in enumerate(exercise.objectives, 1) if o.id in decision.objectives
        ]
        decisions.append(ctx)
    if move.has_rules():
        rules = [
            {
                "when": condition_text(exercise, r.when) if r.when else "otherwise",
                "goto": move_title(exercise, r.goto, heading=True),
            }
            for r in move.rules()
        ]
        if not move.next:  # only options' `goto`s
            rules.append(
                {
                    "when": "otherwise",
                    "goto": move_title(exercise, exercise.default_next(move.id), heading=True),
                }
            )
    else:
        rules = [
            {
                "when": "always",
                "goto": move_title(exercise, exercise.default_next(move.id), heading=True),
            }
        ]
    return {
        "number": number,
        "id": move.id,
        "title": move.title,
        "scenario_time": move.scenario_time,
        "minutes": move.minutes,
        "branch_only": move.branch_only,
        "narrative": markdown(move.narrative),
        "facilitator_notes": markdown(move.facilitator_notes),
        "expected_points": [markdown_inline(p) for p in move.expected_points],
        "questions": [question_context(exercise, q) for q in move.questions],
        "decisions": decisions,
        "rules": rules,
        "injects": [
            _inject_detail(exercise, move, i) for i in sorted(move.injects, key=lambda i: i.at)
        ],
        "sources": source_refs(exercise, move.sources),
    }


def _inject_detail(exercise: Exercise, move: Move, inject: Inject) -> dict[str, Any]:
    length = len(inject.body) + len(inject.facilitator_notes or "")
    length += sum(len(p) for p in inject.expected_points)
    return {
        # A long inject may break across pages rather than jump whole to the next one.
        "tall": length > TALL_INJECT,
        "id": inject.id,
        "title": inject.title,
        "minute": inject.at,
        "after": after_text(move, inject),
        "scenario_time": inject.scenario_time,
        "from": inject.from_,
        "medium": inject.medium,
        "to": audience_text(exercise, inject),
        "when": condition_text(exercise, inject.when) if inject.when else None,
        "body": markdown(inject.body),
        "notes": markdown(inject.facilitator_notes),
        "expected_points": [markdown_inline(p) for p in inject.expected_points],
        "sources": source_refs(exercise, inject.sources),
    }


def timeline(exercise: Exercise) -> list[dict[str, Any]]:
    """The master scenario events list: every move in stage order, its injects in delivery order.

    The move's title, objectives and expected discussion points are given once per move
    (a full-width row of the table), not repeated beside each of its injects.
    """
    numbers = move_numbers(exercise)  # once per document, not once per move
    groups: list[dict[str, Any]] = []
    seq = 0
    for stage in stages(exercise):
        for move in stage:
            rows = []
            for inject in sorted(move.injects, key=lambda i: i.at):
                seq += 1
                rows.append(
                    {
                        "seq": seq,
                        "minute": inject.at,
                        "after": after_text(move, inject),
                        "scenario_time": inject.scenario_time or move.scenario_time,
                        "from": inject.from_,
                        "to": audience_text(exercise, inject),
                        "inject": inject.title,
                        "when": condition_text(exercise, inject.when) if inject.when else None,
                        # The column is the inject's facilitator note; a move's expected
                        # discussion heads its group row, under its own label.
                        "expected": markdown_inline(inject.facilitator_notes)
                        if inject.facilitator_notes
                        else None,
                        # A row this long may break across pages rather than jump to the next.
                        "tall": len(inject.facilitator_notes or "") > TALL_NOTE,
                    }
                )
            groups.append(
                {
                    "move": f"{numbers[move.id]}. {move.title}",
                    "branch_only": move.branch_only,
                    "scenario_time": move.scenario_time,
                    "minutes": move.minutes,
                    "objectives": _objectives_of(exercise, move),
                    "points": [markdown_inline(p) for p in move.expected_points],
                    "rows": rows,
                }
            )
    return groups


def frame_context(exercise: Exercise) -> dict[str, Any] | None:
    """The exercise's frame: each of its questions with the questions that ask it (by move)."""
    frame = exercise.frame
    if frame is None:
        return None
    asked: dict[str, list[str]] = {q.id: [] for q in frame.questions}
    places = [
        (f"Move {exercise.move_number(m.id)}", q) for m in exercise.moves for q in m.questions
    ]
    places += [("Hot wash", q) for q in exercise.hot_wash.questions]
    for where, question in places:
        for tag in question.tags:
            frame_id, _, question_id = tag.partition(".")
            if frame_id == frame.id and question_id in asked and where not in asked[question_id]:
                asked[question_id].append(where)
    source = next((s for s in sources(exercise) if s["id"] == frame.source), None)
    return {
        "title": frame.title,
        "source": source,
        "questions": [
            {"text": markdown_inline(q.text), "asked": asked[q.id]} for q in frame.questions
        ],
    }


def facilitator_guide_context(exercise: Exercise) -> dict[str, Any]:
    """The facilitator guide: overview, timeline, branch map, moves in full, teams, evaluation."""
    numbers = move_numbers(exercise)  # once per document, not once per move
    moves = [
        _move_detail(exercise, move, numbers[move.id])
        for stage in stages(exercise)
        for move in stage
    ]
    teams = []
    for team in exercise.teams:
        teams.append(
            {
                "name": team.name,
                "short": team.label,
                "facilitator": team.played_by == "facilitator",
                "briefing": markdown(team.briefing),
                "objectives": [markdown_inline(o) for o in team.objectives],
                "constraints": [markdown_inline(c) for c in team.constraints],
                "private_info": [markdown_inline(p) for p in team.private_info],
                "roles": role_cards(team),
            }
        )
    objective_numbers = {o.id: n for n, o in enumerate(exercise.objectives, 1)}
    events = timeline(exercise)
    return {
        "meta": doc_meta(exercise, "Facilitator guide", facilitator_only=True),
        "ex": exercise_basics(exercise),
        "teams": teams,
        "team_names": public_teams(exercise),
        "timeline": events,
        # The note column only when some inject has a note for the facilitator.
        "timeline_notes": any(row["expected"] for group in events for row in group["rows"]),
        "branch_map": branch_map(exercise),
        "room": room_layout(exercise),
        "track_board": track_board(exercise),
        "print_checklist": [],  # filled in by `handouts.handout_set`, which knows the whole set
        "moves": moves,
        "planned": minutes_text(sum(max(m.minutes for m in s) for s in stages(exercise))),
        "state": [
            {
                "label": t.label,
                "range": f"{t.min}–{t.max}",
                "start": t.start,
                "description": markdown_inline(t.description) if t.description else None,
            }
            for t in exercise.state
        ],
        "hot_wash": {
            "minutes": exercise.hot_wash.minutes,
            "questions": [question_context(exercise, q) for q in exercise.hot_wash.questions],
            "notes": markdown(exercise.hot_wash.facilitator_notes),
        },
        "frame": frame_context(exercise),
        "criteria": [
            {
                "objective": objective_numbers.get(c.objective),
                "text": markdown_inline(c.text),
            }
            for c in exercise.evaluation.criteria
        ],
        "scale": list(exercise.evaluation.scale),
        "sources": sources(exercise),
    }
