"""The decision log of a session as CSV (spreadsheets, gradebooks) or JSON (scripts).

CSV: one row per deciding team per decision of every move played, answered or not,
with the columns of `CSV_COLUMNS`. Cells that a spreadsheet would run as a formula
(starting with =, +, -, @, tab or carriage return) are prefixed with a quote.
Times are UTC, written `YYYY-MM-DD HH:MM:SS` so spreadsheets read them as dates.
"""

from __future__ import annotations

import csv
import io
from datetime import datetime
from typing import Any

from ttx.session.state import DecisionRecord, SessionState

CSV_COLUMNS: tuple[str, ...] = (
    "session",
    "exercise",
    "move",
    "decision",
    "team",
    "option",
    "option label",
    "free-form text",
    "rationale",
    "recorded at",
)
JSON_FORMAT = "ttx-decision-log"
JSON_VERSION = 1
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: str) -> str:
    return "'" + value if value.startswith(_FORMULA_START) else value


def _time(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M:%S") if value else ""


def _answer(
    state: SessionState, decision_id: str, record: DecisionRecord | None
) -> tuple[str, str]:
    """(option column, option label column) of an answer."""
    if record is None:
        return "", ""
    _, decision = state.exercise.decision(decision_id)
    labels = {o.id: o.label for o in decision.options}
    if record.allocation is not None:
        spent = [(k, v) for k, v in record.allocation.items() if v]
        return (
            "; ".join(f"{k}={v}" for k, v in spent),
            "; ".join(f"{labels.get(k, k)}: {v}" for k, v in spent),
        )
    option = record.counts_as
    return (option or "", labels.get(option, "") if option else "")


def decision_rows(state: SessionState) -> list[dict[str, str]]:
    """The CSV rows (as dicts keyed by CSV_COLUMNS), in the order the moves were played."""
    rows: list[dict[str, str]] = []
    played: list[str] = []
    for visit in state.path:
        if visit.move_id not in played:
            played.append(visit.move_id)
    for move_id in played:
        move = state.exercise.move(move_id)
        for decision in move.decisions:
            dstate = state.decisions.get(decision.id)
            for team_id in state.deciding_teams(decision.id):
                record = dstate.records.get(team_id) if dstate else None
                option, label = _answer(state, decision.id, record)
                rows.append(
                    {
                        "session": state.id,
                        "exercise": state.exercise.id,
                        "move": move.id,
                        "decision": decision.id,
                        "team": state.team(team_id).name,
                        "option": option,
                        "option label": label,
                        "free-form text": (record.free_text or "") if record else "",
                        "rationale": record.rationale if record else "",
                        "recorded at": _time(record.recorded_at) if record else "",
                    }
                )
    return rows


def decisions_csv(state: SessionState) -> str:
    """The decision log as CSV text (RFC 4180, CRLF line ends, a header row)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(CSV_COLUMNS), quoting=csv.QUOTE_MINIMAL)
    writer.writeheader()
    for row in decision_rows(state):
        writer.writerow({k: _cell(v) for k, v in row.items()})
    return buffer.getvalue()


def _record(state: SessionState, decision_id: str, r: DecisionRecord) -> dict[str, Any]:
    return {
        "team": r.team_id,
        "team_name": state.team(r.team_id).name if r.team_id in state.team_ids else r.team_id,
        "option": r.option_id,
        "allocation": dict(r.allocation) if r.allocation is not None else None,
        "free_text": r.free_text,
        "adjudicated_as": r.adjudicated_option,
        "rationale": r.rationale,
        "recorded_at": r.recorded_at.isoformat(),
        "correction": r.correction,
        "reason": r.reason,
    }


def decisions_json(state: SessionState) -> dict[str, Any]:
    """The decision log as JSON-ready data: session, teams, path, decisions with history, branches."""
    decisions: list[dict[str, Any]] = []
    for move in state.exercise.moves:
        for decision in move.decisions:
            dstate = state.decisions.get(decision.id)
            if dstate is None and not any(v.move_id == move.id for v in state.path):
                continue
            outcome = dstate.outcome if dstate else None
            decisions.append(
                {
                    "id": decision.id,
                    "move": move.id,
                    "prompt": decision.prompt,
                    "kind": decision.kind,
                    "resolve": decision.resolve.short(),
                    "teams": state.deciding_teams(decision.id),
                    "records": [
                        _record(state, decision.id, r)
                        for r in (dstate.records.values() if dstate else [])
                    ],
                    "history": [
                        _record(state, decision.id, r) for r in (dstate.history if dstate else ())
                    ],
                    "outcome": None
                    if outcome is None
                    else {
                        "status": outcome.status,
                        "option": outcome.option_id,
                        "by": outcome.by,
                        "rules_option": outcome.rules_option,
                        "tally": dict(outcome.tally),
                        "allocation": dict(outcome.allocation) if outcome.allocation else None,
                    },
                    "ruling": None
                    if dstate is None or dstate.ruling is None
                    else {"option": dstate.ruling.option_id, "reason": dstate.ruling.reason},
                    "room": [
                        {
                            "team": a.team_id,
                            "option": a.option_id,
                            "allocation": dict(a.allocation) if a.allocation is not None else None,
                            "free_text": a.free_text,
                            "rationale": a.rationale,
                            "submitted_at": a.at.isoformat(),
                        }
                        for a in state.room_answers.get(decision.id, {}).values()
                    ],
                }
            )
    statements = list(state.exercise.feedback.ratings)
    return {
        "format": JSON_FORMAT,
        "version": JSON_VERSION,
        "session": {
            "id": state.id,
            "status": state.status,
            "started_at": state.started_at.isoformat(),
            "ended_at": state.ended_at.isoformat() if state.ended_at else None,
            "facilitator": state.facilitator,
        },
        "exercise": {
            "id": state.exercise.id,
            "title": state.exercise.title,
            "version": state.exercise.version,
        },
        "teams": [
            {"id": t.id, "name": t.name, "members": list(t.members), "played_by": t.played_by}
            for t in state.teams
        ],
        "path": [
            {
                "move": v.move_id,
                "entered_at": v.entered_at.isoformat(),
                "left_at": v.left_at.isoformat() if v.left_at else None,
                "via": v.via,
            }
            for v in state.path
        ],
        "decisions": decisions,
        "branches": [
            {
                "move": b.move_id,
                "rule_index": b.rule_index,
                "rule_target": b.rule_target,
                "target": b.target,
                "overridden": b.overridden,
                "reason": b.reason,
            }
            for b in state.branches.values()
        ],
        "room_feedback": [
            {
                "at": f.at.isoformat(),
                "ratings": {
                    statements[int(k)] if int(k) < len(statements) else k: v
                    for k, v in f.ratings.items()
                },
                "strengths": f.strengths,
                "improvements": f.improvements,
            }
            for f in state.room_feedback
        ],
    }
