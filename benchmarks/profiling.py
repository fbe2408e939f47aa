"""Reading a pyinstrument profile: the functions with the most self time, and the call tree."""

from __future__ import annotations

from typing import Any


def _key(frame: Any) -> tuple[str, int, str]:
    return (frame.file_path_short or "?", frame.line_no or 0, frame.function or "?")


def hot_spots(profiler: Any, limit: int = 20) -> list[list[Any]]:
    """The functions with the most self time (file:line of the function, seconds, share)."""
    root = profiler.last_session.root_frame()
    total = root.time if root else 1.0
    own: dict[tuple[str, int, str], float] = {}
    stack: list[tuple[Any, Any]] = [(root, None)] if root else []
    while stack:
        frame, parent = stack.pop()
        stack.extend((child, frame) for child in frame.children)
        if str(frame.function).startswith("[self]") and parent is not None:
            key = _key(parent)
        elif not frame.children:
            key = _key(frame)
        else:
            continue
        own[key] = own.get(key, 0.0) + frame.time
    top = sorted(own.items(), key=lambda kv: -kv[1])[:limit]
    return [[f"{f}:{n}", fn, t, f"{100 * t / total:.1f}%"] for (f, n, fn), t in top]


def tree(profiler: Any, threshold: float = 0.03, depth: int = 7) -> list[list[Any]]:
    """The call tree down to `depth`, frames taking at least `threshold` of the total."""
    root = profiler.last_session.root_frame()
    total = root.time if root else 1.0
    rows: list[list[Any]] = []

    def walk(frames: list[Any], level: int) -> None:
        time = sum(f.time for f in frames)
        if time < threshold * total or level > depth:
            return
        f, n, fn = _key(frames[0])
        rows.append([f"{'· ' * level}{fn}", f"{f}:{n}", time, f"{100 * time / total:.1f}%"])
        merged: dict[tuple[str, int, str], list[Any]] = {}
        for frame in frames:
            for child in frame.children:
                merged.setdefault(_key(child), []).append(child)
        for group in sorted(merged.values(), key=lambda g: -sum(c.time for c in g)):
            walk(group, level + 1)

    if root:
        walk([root], 0)
    return rows


def cumulative(profiler: Any, prefixes: tuple[str, ...], limit: int = 25) -> list[list[Any]]:
    """Functions of ours (and named libraries) with their total time, including callees."""
    session = profiler.last_session
    root = session.root_frame()
    total = root.time if root else 1.0
    incl: dict[tuple[str, int, str], float] = {}

    def walk(frame: Any, seen: frozenset[tuple[str, int, str]]) -> None:
        key = (frame.file_path_short or "?", frame.line_no or 0, frame.function or "?")
        inside = key in seen
        if not inside and any(p in key[0] for p in prefixes):
            incl[key] = incl.get(key, 0.0) + frame.time
        for child in frame.children:
            walk(child, seen | {key})

    if root:
        walk(root, frozenset())
    top = sorted(incl.items(), key=lambda kv: -kv[1])[:limit]
    return [[f"{f}:{n}", fn, t, f"{100 * t / total:.1f}%"] for (f, n, fn), t in top]
