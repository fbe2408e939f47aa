"""Injects timed after another inject of their move (format 2 `after:`): their planned minute.

`after: {inject: warning, minutes: 5}` plans an inject 5 minutes after `warning`;
chains are followed (`c` after `b` after `a`). The planned minute is written into the
inject's `at` while the move is read, so every surface that orders or prints injects
by minute sees it. An `after` that names no inject of the move, or a circle of them,
is left at minute 0 here and reported by the validator (`ttx.model.checks`).
"""

from __future__ import annotations

from typing import Any

MAX_CHAIN = 1000
"""The longest chain of `after`s followed (a move never has so many injects)."""


def _after(raw: Any) -> tuple[str, int] | None:
    """The (inject, minutes) of a raw inject's well-formed `after:`, else None."""
    if not isinstance(raw, dict) or "at" in raw:
        return None
    after = raw.get("after")
    if not isinstance(after, dict):
        return None
    target, minutes = after.get("inject"), after.get("minutes", 0)
    if not isinstance(target, str) or not isinstance(minutes, int) or isinstance(minutes, bool):
        return None
    return (target, minutes) if minutes >= 0 else None


def planned_minutes(raw_injects: list[Any]) -> dict[str, int]:
    """The planned minute of every raw inject whose timing resolves, by id."""
    fixed: dict[str, int] = {}
    relative: dict[str, tuple[str, int]] = {}
    for raw in raw_injects:
        if not isinstance(raw, dict) or not isinstance(raw.get("id"), str):
            continue
        ident = raw["id"]
        found = _after(raw)
        if found is not None:
            relative.setdefault(ident, found)
        elif isinstance(raw.get("at", 0), int) and not isinstance(raw.get("at"), bool):
            fixed.setdefault(ident, raw.get("at", 0))
    minutes = dict(fixed)
    for start in relative:
        chain: list[str] = []
        current = start
        while current in relative and current not in minutes and len(chain) < MAX_CHAIN:
            if current in chain:  # a circle: none of it resolves
                break
            chain.append(current)
            current = relative[current][0]
        if current not in minutes:
            continue
        for ident in reversed(chain):
            minutes[ident] = minutes[relative[ident][0]] + relative[ident][1]
    return minutes


def with_planned_minutes(raw_injects: list[Any]) -> list[Any]:
    """The raw injects, each `after:` one given its planned `at` when its chain resolves."""
    minutes = planned_minutes(raw_injects)
    out: list[Any] = []
    for raw in raw_injects:
        if _after(raw) is not None and raw["id"] in minutes:
            out.append({**raw, "at": minutes[raw["id"]]})
        else:
            out.append(raw)
    return out
