"""Contexts of the participant documents, built only from `participant_view` / `team_view`.

Situation manual, team packets, inject cards, branch modules and the feedback form.
The real exercise is consulted for one thing only: which move can follow which
(the stages of the schedule), never for text, conditions or outcomes.
"""

from __future__ import annotations

from string import ascii_uppercase
from typing import Any

from ttx.model.exercise import Decision, Exercise, Inject, Move, Option, Question, Team
from ttx.model.stages import move_numbers, stage_number, stages
from ttx.model.views import participant_view, team_view
from ttx.report.common import (
    doc_meta,
    exercise_basics,
    public_teams,
    source_refs,
    sources,
)
from ttx.report.markdown import markdown, markdown_inline
from ttx.vocabulary import (
    after_text,
    allocation_units,
    condition_text,
    minutes_text,
    tag_label,
)


def _letter(index: int) -> str:
    return ascii_uppercase[index] if index < 26 else str(index + 1)


def option_context(view: Exercise, option: Option, index: int) -> dict[str, Any]:
    """One option as participants read it (consequence and effects are already gone)."""
    return {
        "id": option.id,
        "letter": _letter(index),
        "label": option.label,
        "detail": markdown(option.detail),
        "cost": markdown_inline(option.cost) if option.cost else None,
        "can": [markdown_inline(c) for c in option.can],
        "cannot": [markdown_inline(c) for c in option.cannot],
        "limits": markdown_inline(option.limits) if option.limits else None,
        "max": option.max,
        "sources": source_refs(view, option.sources),
    }


def decision_context(view: Exercise, decision: Decision) -> dict[str, Any]:
    """A decision point as participants read it: prompt, who decides, options, limits."""
    teams = [view.team(t).label for t in view.deciding_teams(decision) if _has_team(view, t)]
    return {
        "id": decision.id,
        "prompt": markdown(decision.prompt),
        "prompt_inline": markdown_inline(" ".join(decision.prompt.strip().split("\n\n")[0].split()))
        if decision.prompt.strip()
        else "",
        "teams": teams,
        "all_teams": not decision.teams,
        "kind": decision.kind,
        "allocation": decision.kind == "allocation",
        "budget": decision.budget,
        "units": allocation_units(decision),
        "spend_all": decision.pool is not None and decision.pool.must_spend_all,
        "contested": decision.pool is not None and decision.pool.kind == "contested",
        "pro_rata": decision.resolve.mode == "pro_rata",
        "options": [option_context(view, o, i) for i, o in enumerate(decision.options)],
        "free_form": decision.free_form,
        "rationale_required": decision.rationale_required,
        "minutes": decision.minutes,
    }


def _has_team(view: Exercise, team_id: str) -> bool:
    try:
        view.team(team_id)
    except KeyError:
        return False
    return True


def question_context(view: Exercise, question: Question) -> dict[str, Any]:
    """A discussion question with the teams it is for and the objectives it serves."""
    numbers = {o.id: n for n, o in enumerate(view.objectives, 1)}
    return {
        "text": markdown_inline(question.text),
        "teams": [view.team(t).label for t in question.teams if _has_team(view, t)],
        "objectives": sorted({numbers[o] for o in question.objectives if o in numbers}),
        "tags": [tag_label(view, t) for t in question.tags],
    }


def move_context(view: Exercise, move: Move, number: int | str) -> dict[str, Any]:
    """A move as participants read it: narrative, questions, decision prompts."""
    return {
        "placeholder": False,
        "id": move.id,
        "number": number,
        "title": move.title,
        "scenario_time": move.scenario_time,
        "minutes": move.minutes,
        "narrative": markdown(move.narrative),
        "questions": [question_context(view, q) for q in move.questions],
        "decisions": [decision_context(view, d) for d in view.decisions_in(move.id)],
        "sources": source_refs(view, move.sources),
    }


def _schedule(exercise: Exercise, view: Exercise) -> tuple[list[dict[str, Any]], list[Any]]:
    """Schedule rows and SitMan sections: one per stage; a stage the room's choices decide is a placeholder."""
    numbers = move_numbers(exercise)  # once per document, not once per move
    rows: list[dict[str, Any]] = []
    sections: list[Any] = []
    start = 0
    for number, stage in enumerate(stages(exercise), 1):
        fixed = [m for m in stage if not m.branch_only]
        minutes = max(m.minutes for m in stage)
        if len(stage) == 1 and fixed:
            move = view.move(fixed[0].id)
            label = numbers[move.id]
            rows.append(
                {
                    "number": label,
                    "start": start,
                    "title": move.title,
                    "scenario_time": move.scenario_time,
                    "minutes": move.minutes,
                    "depends": False,
                }
            )
            sections.append(move_context(view, move, label))
        else:
            times = {m.scenario_time for m in stage}
            label = stage_number(exercise, stage, number)
            rows.append(
                {
                    "number": label,
                    "start": start,
                    "title": "Depends on the decisions taken so far",
                    "scenario_time": times.pop() if len(times) == 1 else None,
                    "minutes": minutes,
                    "depends": True,
                }
            )
            sections.append(
                {"placeholder": True, "number": label, "scenario_time": rows[-1]["scenario_time"]}
            )
        start += minutes
    rows.append(
        {
            "number": None,
            "start": start,
            "title": "Hot wash: what worked, what did not",
            "scenario_time": None,
            "minutes": exercise.hot_wash.minutes,
            "depends": False,
        }
    )
    return rows, sections


def sitman_context(exercise: Exercise) -> dict[str, Any]:
    """The situation manual: overview, rules, schedule and one section per stage, spoiler-free."""
    view = participant_view(exercise)
    rows, sections = _schedule(exercise, view)
    for row in rows:
        row["start_text"] = minutes_text(row["start"]) if row["start"] else "0 min"
    for section in sections:
        section["question_groups"] = question_groups(section.get("questions") or [])
    return {
        "meta": doc_meta(exercise, "Situation manual"),
        "ex": exercise_basics(view),
        "teams": public_teams(view),
        "schedule": rows,
        "sections": sections,
        "sources": sources(view),
        "hot_wash_minutes": view.hot_wash.minutes,
    }


def question_groups(questions: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A move's questions grouped by the organisations they are for, every team's first (CTEP)."""
    groups: dict[tuple[str, ...], list[dict[str, Any]]] = {(): []}
    for question in questions:
        groups.setdefault(tuple(question["teams"]), []).append(question)
    return [
        {"label": "For every team" if not key else "For " + ", ".join(key), "questions": items}
        for key, items in groups.items()
        if items
    ]


def student_teams(exercise: Exercise) -> list[str]:
    """The ids of the teams students play (the ones that get packets)."""
    return [t.id for t in exercise.teams if t.played_by == "students"]


def team_packet_context(exercise: Exercise, team_id: str) -> dict[str, Any]:
    """One team's packet: briefing, private objectives and information, role cards, worksheets.

    Worksheets cover the decisions this team answers in moves every run plays;
    those of branch-only moves travel with the branch modules, handed out when reached.
    """
    numbers = move_numbers(exercise)  # once per document, not once per move
    view = team_view(exercise, team_id)
    team = view.team(team_id)
    worksheets = []
    for stage in stages(exercise):
        for move_ref in stage:
            if move_ref.branch_only:
                continue
            move = view.move(move_ref.id)
            for decision in view.decisions_in(move.id):
                if team_id in view.deciding_teams(decision):
                    worksheets.append(
                        {
                            "move_number": numbers[move.id],
                            "move_title": move.title,
                            "scenario_time": move.scenario_time,
                            "decision": decision_context(view, decision),
                        }
                    )
    return {
        "meta": doc_meta(exercise, f"Team packet — {team.label}"),
        "ex": exercise_basics(view),
        "team": {
            "id": team.id,
            "name": team.name,
            "short": team.label,
            "briefing": markdown(team.briefing),
            "objectives": [markdown_inline(o) for o in team.objectives],
            "constraints": [markdown_inline(c) for c in team.constraints],
            "private_info": [markdown_inline(p) for p in team.private_info],
            "roles": role_cards(team),
        },
        "teams": public_teams(view),
        "worksheets": worksheets,
        "frame": frame_card(view),
        "sources": sources(view),
    }


def role_cards(team: Team) -> list[dict[str, Any]]:
    """A team's role cards, one per seat: number, title and the brief in full."""
    return [
        {"title": r.title, "brief": markdown(r.brief), "number": n}
        for n, r in enumerate(team.roles, 1)
    ]


def frame_card(view: Exercise) -> dict[str, Any] | None:
    """The exercise's frame as a team's reference page: its questions, each with its label."""
    frame = view.frame
    if frame is None:
        return None
    source = next((s for s in view.sources if s.id == frame.source), None)
    return {
        "title": frame.title,
        "source": source.title if source is not None else None,
        "questions": [
            {
                "label": q.label or q.id.replace("_", " "),
                "text": markdown_inline(q.text),
            }
            for q in frame.questions
        ],
    }


def _audience_labels(view: Exercise, inject: Inject) -> list[tuple[str, str]]:
    ids = [t.id for t in view.teams]
    out = []
    for team_id in inject.audience(ids):
        if _has_team(view, team_id):
            team = view.team(team_id)
            if team.played_by == "students":
                out.append((team.id, team.label))
    return out


def _per_team(exercise: Exercise, inject: Inject) -> bool:
    """True when a conditional inject is tested team by team (it reads an `each` decision of the team's own)."""
    from ttx.session.branching import condition_decisions

    if inject.when is None:
        return False
    for decision_id in condition_decisions(inject.when):
        try:
            _, decision = exercise.decision(decision_id)
        except KeyError:
            continue
        if decision.resolve.mode == "each":
            return True
    return False


def inject_cards_context(exercise: Exercise, team_id: str | None = None) -> dict[str, Any]:
    """Inject cards, one per inject, labelled with move, time, sender, medium and audience.

    With `team_id`, that team's deck: only the cards it receives. Without, the
    facilitator's deck: every card once, with the teams it goes to. A conditional
    card states its trigger on a strip the facilitator cuts off before dealing it;
    a card whose trigger reads each team's own answer is dealt per team, never
    "To: All teams". Facilitator-only injects never reach this view.
    """
    view = participant_view(exercise)
    conditions = {i.id: i for m in exercise.moves for i in m.injects if i.when is not None}
    numbers = move_numbers(exercise)
    students = [t.id for t in view.teams if t.played_by == "students"]
    cards: list[dict[str, Any]] = []
    for stage in stages(exercise):
        for ref in stage:
            move = view.move(ref.id)
            for inject in sorted(move.injects, key=lambda i: i.at):
                audience = _audience_labels(view, inject)
                if not audience:
                    continue
                ids = [a[0] for a in audience]
                if team_id is not None and team_id not in ids:
                    continue
                real = conditions.get(inject.id)
                per_team = real is not None and _per_team(exercise, real)
                everyone = (inject.to == "all" or set(ids) >= set(students)) and not per_team
                others = [a[1] for a in audience if a[0] != team_id]
                if team_id is not None:
                    to = view.team(team_id).label
                    if per_team:
                        note = "dealt to each team whose own answer meets the trigger"
                    elif everyone:
                        note = "every team gets this card"
                    elif others:
                        note = "also to " + ", ".join(others)
                    else:
                        note = "for this team only"
                elif per_team:
                    to = ", ".join(a[1] for a in audience)
                    note = "each team whose own answer meets the trigger"
                elif everyone:
                    to, note = "All teams", ""
                else:
                    to = ", ".join(a[1] for a in audience)
                    note = (
                        "for this team only"
                        if len(audience) == 1
                        else f"only these {len(audience)} teams"
                    )
                cards.append(
                    {
                        "move_number": numbers[move.id],
                        "move_title": move.title,
                        "minute": inject.at,
                        "after": after_text(move, inject),
                        "scenario_time": inject.scenario_time or move.scenario_time,
                        "title": inject.title,
                        "from": inject.from_,
                        "medium": inject.medium,
                        "to": to,
                        "note": note,
                        "copies": len(audience),
                        "everyone": everyone,
                        "only": not everyone,
                        "conditional": real is not None,
                        "trigger": condition_text(exercise, real.when)
                        if real is not None and real.when is not None
                        else None,
                        "per_team": per_team,
                        "body": markdown(inject.body),
                    }
                )
    deck = (
        f"Inject cards — {view.team(team_id).label}"
        if team_id is not None
        else "Inject cards — facilitator's deck"
    )
    return {
        "meta": doc_meta(exercise, deck),
        "ex": exercise_basics(view),
        "cards": cards,
        "team": view.team(team_id).label if team_id is not None else None,
    }


def branch_modules_context(exercise: Exercise) -> dict[str, Any] | None:
    """Modules only some runs reach, one per page, for the facilitator to hand out when reached.

    None when the exercise has no branch-only move.
    """
    numbers = move_numbers(exercise)  # once per document, not once per move
    view = participant_view(exercise)
    modules = []
    for stage in stages(exercise):
        for ref in stage:
            if not ref.branch_only:
                continue
            move = view.move(ref.id)
            ctx = move_context(view, move, numbers[move.id])
            ctx["worksheets"] = [
                {
                    "team": view.team(t).label,
                    "decision": decision_context(view, d),
                }
                for d in view.decisions_in(move.id)
                for t in view.deciding_teams(d)
                if _has_team(view, t) and view.team(t).played_by == "students"
            ]
            modules.append(ctx)
    if not modules:
        return None
    return {
        "meta": doc_meta(exercise, "Branch modules"),
        "ex": exercise_basics(view),
        "modules": modules,
    }


def feedback_context(exercise: Exercise) -> dict[str, Any]:
    """The participant feedback form: three strengths, three areas to improve, 1-5 ratings."""
    view = participant_view(exercise)
    return {
        "meta": doc_meta(exercise, "Participant feedback form"),
        "ex": exercise_basics(view),
        "teams": public_teams(view),
        "ratings": list(view.feedback.ratings),
        "scale": ["Strongly disagree", "Disagree", "Neutral", "Agree", "Strongly agree"],
    }
