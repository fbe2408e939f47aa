"""A state track's story, move by move, for the Word report (which has no charts).

The PDF draws each track as a step chart over the session with the moves marked. The
Word copy prints the same story as a table: a row per part of the synopsis (each move,
with the time it began), the track's value at its end, and each change in it with its
time and cause. The changes come from the synopsis's parts as data
(`ttx.report.aar_synopsis`: every change, even where a long move's lines leave some out).
"""

from __future__ import annotations

from typing import Any


def track_rows(
    track: dict[str, Any], moves: list[dict[str, Any]]
) -> list[tuple[str, str, str, list[str]]]:
    """`track` (from the context's `tracks`) through the synopsis `moves`: a row of (move,
    its start, the value at its end, its changes in words) per part."""
    value = track["start"]
    rows = []
    for move in moves:
        changes = []
        for change in move["track_changes"]:
            if change["label"] != track["label"]:
                continue
            value = change["after"]
            reason = f". Reason: {change['reason']}" if change["reason"] else ""
            changes.append(
                f"{change['time']}: {change['before']} → {change['after']}, "
                f"{change['cause']}{reason}"
            )
        rows.append((move["title"], move["start"], str(value), changes))
    return rows
