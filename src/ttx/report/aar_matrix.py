"""The AAR's decision matrix: one table per move, a row per team, a column per decision.

Each column carries its decision's question, who it asked, the outcome (and a ruling the
outcome does not already name), a chart of the choices when many teams answered, and what
followed each option chosen. The context is plain data, as in `ttx.report.aar`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ttx.model.exercise import Decision, Exercise
from ttx.report.aar_timeline import clock
from ttx.report.charts import Bar, bar_chart
from ttx.report.common import source_refs
from ttx.report.markdown import markdown, markdown_inline
from ttx.session.state import DecisionRecord, DecisionState, SessionState
from ttx.vocabulary import allocation_units, decision_name, option_label

MANY_TEAMS = 3
"""From this many deciding teams on, a decision gets a chart of the choices."""

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


def decision_matrix(
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
                    "answer": answer_cell(exercise, decision, record) if record else None,
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


def answer_cell(exercise: Exercise, decision: Decision, record: DecisionRecord) -> dict[str, Any]:
    """One team's answer as a matrix cell (also the appendix's superseded answers)."""
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
