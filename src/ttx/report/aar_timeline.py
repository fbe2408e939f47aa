"""What happened in a session, and when: facts, the path through the branches, tracks.

Part of the after-action report's context (see `ttx.report.aar`). Times print in the
machine's local time, and the zone is named once (`zone_name`), as a class reads a clock.
"""

from __future__ import annotations

from datetime import datetime
from itertools import pairwise
from typing import Any

from ttx.report.charts import Boundary, Series, step_chart
from ttx.session.counts import session_counts
from ttx.session.state import SessionState
from ttx.vocabulary import duration_text, minutes_text, move_title
from ttx.wording import counted


def clock(at: datetime) -> str:
    """A wall time as HH:MM in local time (the zone is `zone_name`)."""
    return at.astimezone().strftime("%H:%M")


def local_date(at: datetime) -> str:
    """The local date as YYYY-MM-DD."""
    return at.astimezone().strftime("%Y-%m-%d")


def zone_name(at: datetime) -> str:
    """The local zone at a moment: "UTC", or its name and offset, e.g. "CET (UTC+01:00)"."""
    local = at.astimezone()
    offset = local.utcoffset()
    minutes = int(offset.total_seconds() // 60) if offset is not None else 0
    name = local.tzname() or ""
    if minutes == 0 and name in ("UTC", "GMT", ""):
        return "UTC"
    sign = "+" if minutes >= 0 else "-"
    hours, rest = divmod(abs(minutes), 60)
    return f"{name} (UTC{sign}{hours:02d}:{rest:02d})".lstrip()


def session_facts(state: SessionState, end: datetime, names: dict[str, str]) -> dict[str, Any]:
    elapsed = state.clock.session_elapsed(end)
    paused = state.clock.paused_seconds(end)
    wall = (end - state.started_at).total_seconds()
    pauses = pause_spans(state, end)
    return {
        "id": state.id,
        "date": local_date(state.started_at),
        "zone": zone_name(state.started_at),
        "start": clock(state.started_at),
        "end": clock(end)
        if local_date(end) == local_date(state.started_at)
        else f"{local_date(end)} {clock(end)}",
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
        "counts": session_counts(state).phrases(),
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
            }
        )
    return steps


def tracks(state: SessionState, end: datetime) -> list[dict[str, Any]]:
    """Each track's story as a step chart with the pauses shaded and the moves marked.

    A change that left the value where it was (a no-op) is neither drawn nor counted.
    """
    start = state.started_at
    span = max((end - start).total_seconds() / 60, 1.0)
    pauses = [
        ((a - start).total_seconds() / 60, (b - start).total_seconds() / 60)
        for a, b in pause_spans(state, end)
    ]
    numbers = state.exercise.move_number
    boundaries = []
    for visit in state.path:
        try:
            label = f"Move {numbers(visit.move_id)}"
        except KeyError:
            label = move_title(state.exercise, visit.move_id, heading=True)
        boundaries.append(Boundary((visit.entered_at - start).total_seconds() / 60, label))
    out = []
    for track in state.tracks.values():
        changes = [c for c in track.history if c.before != c.after]
        points = [(0.0, track.start)]
        points.extend(((c.at - start).total_seconds() / 60, c.after) for c in changes)
        series = Series(track.label, track.min, track.max, points)
        marks = ", ".join(f"{b.label} at minute {b.minute:.0f}" for b in boundaries)
        alt = (
            f"{track.label} over the session: from {track.start} to {track.value} "
            f"(range {track.min}–{track.max}) in {counted(len(changes), 'change')}"
            + (f"; {marks}" if marks else "")
            + "."
        )
        out.append(
            {
                "label": track.label,
                "start": track.start,
                "value": track.value,
                "range": f"{track.min}–{track.max}",
                "changes": len(changes),
                "chart": step_chart(
                    series, minutes=span, pauses=pauses, boundaries=boundaries, label=alt
                ),
            }
        )
    return out
