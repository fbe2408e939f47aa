"""What happened in a session, and when: facts, the path through the branches, the timeline, tracks.

Part of the after-action report's context (see `ttx.report.aar`); times print in UTC.
"""

from __future__ import annotations

from datetime import UTC, datetime
from itertools import pairwise
from typing import Any

from ttx.report.charts import Series, step_chart
from ttx.session.state import SessionState
from ttx.vocabulary import duration_text, minutes_text, move_title


def clock(at: datetime) -> str:
    """A wall time as HH:MM:SS in UTC."""
    return at.astimezone(UTC).strftime("%H:%M:%S")


def session_facts(state: SessionState, end: datetime, names: dict[str, str]) -> dict[str, Any]:
    elapsed = state.clock.session_elapsed(end)
    paused = state.clock.paused_seconds(end)
    wall = (end - state.started_at).total_seconds()
    pauses = pause_spans(state, end)
    deciding = {r.team_id for d in state.decisions.values() for r in d.history}
    return {
        "id": state.id,
        "date": state.started_at.astimezone(UTC).strftime("%Y-%m-%d"),
        "start": clock(state.started_at),
        "end": clock(end),
        "ended": state.ended_at is not None,
        "status": state.status,
        "facilitator": state.facilitator,
        "location": state.location,
        "elapsed": duration_text(elapsed),
        "moves_time": duration_text(state.clock.phase_elapsed("moves", end)),
        "hot_wash_time": duration_text(state.clock.phase_elapsed("hot_wash", end)),
        "paused": duration_text(paused),
        "pause_count": len(pauses),
        "wall": duration_text(wall),
        "planned": minutes_text(state.exercise.duration_minutes),
        "team_count": len(state.teams),
        "team_names": [t.name for t in state.teams],
        "answers": sum(len(d.records) for d in state.decisions.values()),
        "corrections": sum(1 for d in state.decisions.values() for r in d.history if r.correction),
        "deciding_teams": len(deciding),
        "injects": len(state.injects),
        "observations": len([n for n in state.notes if n.category != "note"]),
    }


def pause_spans(state: SessionState, end: datetime) -> list[tuple[datetime, datetime]]:
    segments = sorted(state.clock.segments, key=lambda s: s.start)
    gaps = []
    for before, after in pairwise(segments):
        if before.end is not None and after.start > before.end:
            gaps.append((before.end, after.start))
    if state.clock.paused_at is not None and not state.clock.running:
        gaps.append((state.clock.paused_at, end))
    return gaps


def path_taken(state: SessionState) -> list[dict[str, Any]]:
    exercise = state.exercise
    steps = []
    for visit in state.path:
        branch = state.branches.get(visit.move_id)
        steps.append(
            {
                "title": move_title(exercise, visit.move_id, heading=True),
                "entered": clock(visit.entered_at),
                "left": clock(visit.left_at) if visit.left_at else "",
                "via": visit.via,
                "overridden": bool(branch and branch.overridden),
                "rules_said": move_title(exercise, branch.rule_target, heading=True)
                if branch
                else "",
                "went": move_title(exercise, branch.target, heading=True) if branch else "",
                "reason": branch.reason if branch else "",
            }
        )
    return steps


def timeline(state: SessionState) -> list[dict[str, Any]]:
    start = state.started_at
    rows = []
    for entry in state.timeline:
        offset = max(0.0, (entry.at - start).total_seconds())
        rows.append(
            {
                "time": clock(entry.at),
                "offset": f"+{int(offset // 60)}:{int(offset % 60):02d}",
                "kind": entry.kind,
                "text": entry.text,
                "strong": entry.kind
                in (
                    "move_entered",
                    "branch_resolved",
                    "branch_overridden",
                    "clock_paused",
                    "clock_resumed",
                    "hot_wash_started",
                    "session_ended",
                ),
            }
        )
    return rows


def tracks(state: SessionState, end: datetime) -> list[dict[str, Any]]:
    start = state.started_at
    span = max((end - start).total_seconds() / 60, 1.0)
    pauses = [
        ((a - start).total_seconds() / 60, (b - start).total_seconds() / 60)
        for a, b in pause_spans(state, end)
    ]
    out = []
    for track in state.tracks.values():
        points = [(0.0, track.start)]
        for change in track.history:
            points.append(((change.at - start).total_seconds() / 60, change.after))
        series = Series(track.label, track.min, track.max, points)
        out.append(
            {
                "label": track.label,
                "start": track.start,
                "value": track.value,
                "range": f"{track.min}–{track.max}",
                "changes": len(track.history),
                "chart": step_chart(
                    series, minutes=span, pauses=pauses, label=f"{track.label} over the session"
                ),
            }
        )
    return out
