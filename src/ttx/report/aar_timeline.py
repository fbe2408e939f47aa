"""What happened in a session, and when: facts, the path through the branches, tracks.

Part of the after-action report's context (see `ttx.report.aar`). Times print in the
report's zone, each with the zone's abbreviation ("14:02 CET"), and the overview names
the zone in full (`zone_name`). The zone is the one `tabletop report --tz` names
(`resolve_zone`), active while the context is built (`in_zone`); without one, the
machine's local zone.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime, tzinfo
from itertools import pairwise
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ttx.errors import UnusableInput
from ttx.report.charts import Boundary, Series, step_chart
from ttx.session.counts import session_counts
from ttx.session.state import SessionState
from ttx.vocabulary import duration_text, minutes_text, move_title
from ttx.wording import counted

_ZONE: ContextVar[tzinfo | None] = ContextVar("report_zone", default=None)


class UnknownZone(UnusableInput):
    """`--tz` named no time zone this machine knows (exit code 2)."""


def resolve_zone(name: str | None) -> tzinfo | None:
    """The IANA zone called `name` (e.g. "Europe/Paris"); None (the machine's zone) for no name."""
    if not name:
        return None
    try:
        return ZoneInfo(name.strip())
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise UnknownZone(
            f"unknown time zone {name!r}; name one as Region/City, e.g. --tz Europe/Paris "
            "or --tz UTC (`timedatectl list-timezones` lists them)"
        ) from None


def zone_key(zone: tzinfo | None) -> str:
    """What identifies the zone the times print in (for the report cache's key)."""
    if zone is None:
        return f"local:{time.tzname}:{time.timezone}:{time.altzone}"
    return f"zone:{getattr(zone, 'key', zone)}"


@contextmanager
def in_zone(zone: tzinfo | None) -> Iterator[None]:
    """Print every time in `zone` (None: the machine's local zone) while active."""
    token = _ZONE.set(zone)
    try:
        yield
    finally:
        _ZONE.reset(token)


def _local(at: datetime) -> datetime:
    return at.astimezone(_ZONE.get())


def _offset(local: datetime) -> str:
    """The UTC offset as "UTC+1", "UTC-03:30", or "UTC" for none."""
    offset = local.utcoffset()
    minutes = int(offset.total_seconds() // 60) if offset is not None else 0
    if minutes == 0:
        return "UTC"
    sign = "+" if minutes > 0 else "-"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours}" + (f":{rest:02d}" if rest else "")


def _abbreviation(local: datetime) -> str:
    """The zone's abbreviation ("CET", "UTC"), or its offset when it has none ("+04" → "UTC+4")."""
    name = local.tzname() or ""
    return name if name.isalpha() else _offset(local)


def clock(at: datetime) -> str:
    """A wall time as HH:MM in the report's zone, with the zone's abbreviation: "14:02 CET"."""
    local = _local(at)
    return f"{local:%H:%M} {_abbreviation(local)}"


def local_date(at: datetime) -> str:
    """The date in the report's zone as YYYY-MM-DD."""
    return _local(at).strftime("%Y-%m-%d")


def zone_name(at: datetime) -> str:
    """The report's zone at a moment, as the overview names it: "Europe/Paris, UTC+1" for a
    named zone, "UTC+1" for the machine's (each time carries the abbreviation), "UTC"."""
    offset = _offset(_local(at))
    key = str(getattr(_ZONE.get(), "key", ""))
    return f"{key}, {offset}" if key and key not in (offset, "Etc/UTC") else offset


def _span(start: datetime, end: datetime) -> str:
    """From start to end: "10:00–10:13 CET", or with the end's date when it is another day."""
    first, last = _local(start), _local(end)
    if local_date(end) != local_date(start):
        return f"{clock(start)} – {local_date(end)} {clock(end)}"
    if _abbreviation(first) != _abbreviation(last):
        return f"{clock(start)}–{clock(end)}"
    return f"{first:%H:%M}–{clock(end)}"


def session_facts(state: SessionState, end: datetime, names: dict[str, str]) -> dict[str, Any]:
    elapsed = state.clock.session_elapsed(end)
    paused = state.clock.paused_seconds(end)
    wall = (end - state.started_at).total_seconds()
    pauses = pause_spans(state, end)
    span, zone = _span(state.started_at, end), zone_name(state.started_at)
    return {
        "id": state.id,
        "date": local_date(state.started_at),
        "zone": zone,
        "span": span,
        "when": f"{local_date(state.started_at)}, {span}"
        + ("" if span.endswith(zone) else f" ({zone})"),
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
                "when": _span(visit.entered_at, visit.left_at)
                if visit.left_at
                else f"from {clock(visit.entered_at)}",
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
