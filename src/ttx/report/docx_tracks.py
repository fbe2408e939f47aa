"""A state track's story, move by move, for the Word report (which has no charts).

The PDF draws each track as a step chart over the session with the moves marked. The
Word copy prints the same story as a table: a row per part of the synopsis (each move,
with the time it began), the track's value at its end, and each change in it with its
time and cause. The changes are the synopsis's own track lines (`ttx.report.aar_synopsis`:
"Trust 3 → 4 (effect of …)", "Trust 3 → 4, set by the facilitator" with the reason
beside it), read back from the report's context, so the table says what the synopsis says.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

_ARROW = re.compile(r" (-?\d+) → (-?\d+)")


@dataclass(frozen=True, slots=True)
class TrackRows:
    """A track's table: rows of (move, from, value at its end, changes), and how many of
    its changes the synopsis left out (a move lists at most so many routine lines)."""

    rows: list[tuple[str, str, str, list[str]]]
    unlisted: int


def track_rows(track: dict[str, Any], moves: list[dict[str, Any]]) -> TrackRows:
    """`track` (from the context's `tracks`) move by move through the synopsis `moves`."""
    label = track["label"]
    value: int | None = track["start"]
    rows = []
    listed = 0
    for move in moves:
        changes = []
        for line in move["lines"]:
            for before, after, cause in _changes(label, line["text"]):
                value = after
                listed += 1
                reason = f". Reason: {line['reason']}" if line["reason"] else ""
                changes.append(f"{line['time']}: {before} → {after}, {cause}{reason}")
        if "track change" in move["omitted"]:
            value = None  # some changes of this move are not listed: its end value is unknown
        shown = "not known (changes left out)" if value is None else str(value)
        rows.append((move["title"], move["start"], shown, changes))
    return TrackRows(rows, max(0, track["changes"] - listed))


def _changes(label: str, text: str) -> list[tuple[int, int, str]]:
    """The changes of the track `label` a synopsis line names, each with its cause (the
    words after the line's last change: "effect of A Hold", "set by the facilitator")."""
    found = []
    for start in (0, *(m.end() for m in re.finditer(", ", text))):
        if not text.startswith(label, start):
            continue
        arrow = _ARROW.match(text, start + len(label))
        if arrow:
            found.append((int(arrow[1]), int(arrow[2])))
    if not found:
        return []
    last = list(_ARROW.finditer(text))[-1]
    cause = text[last.end() :].strip(" ,")
    if cause.startswith("(") and cause.endswith(")"):
        cause = cause[1:-1]
    return [(before, after, cause or "changed") for before, after in found]
