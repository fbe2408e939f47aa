"""The branch map of an exercise drawn as SVG: moves in stages, arrows numbered by their rules."""

from __future__ import annotations

from typing import Any, NamedTuple

from markupsafe import Markup

from ttx.model.exercise import END, Exercise
from ttx.model.stages import move_numbers, stages, successors
from ttx.report.svg import fit, num, svg, text
from ttx.vocabulary import condition_text

WIDTH = 560.0
"""The drawing's width in SVG units; the guide prints it across the text column (176 mm on A4)."""
HEIGHT_BUDGET = 356.0
"""The height that still prints at full width: the guide caps a diagram at 112 mm."""
NODE_H = 32.0
GAP_MIN, GAP_MAX = 22.0, 40.0
"""The room between stages: as much as the height budget allows, never less than a label needs."""
KICKER, TITLE, LABEL = 8.5, 10.0, 8.5
"""Font sizes: at the narrowest a 7-stage map prints (about 0.84 pt a unit) none is below 7 pt."""
LANE = 10.0
"""How far apart arrows that loop back up run beside the moves."""
ACCENT = "#1f3a5f"

Point = tuple[float, float]
Box = tuple[float, float, float, float]
"""left, top, right, bottom"""
Place = tuple[float, float, float]
"""A move's box: left, top, width."""


class Arrow(NamedTuple):
    """One arrow: its SVG path, where its label may sit (best first), and its head."""

    path: str
    spots: list[Point]
    tip: Point
    heading: Point  # unit vector the head points along


def branch_map(exercise: Exercise) -> dict[str, Any]:
    """The diagram (`svg`) and its legend (`edges`: number, from, to, when)."""
    layers = [[m.id for m in stage] for stage in stages(exercise)]
    layers.append([END])
    titles = {m.id: m.title for m in exercise.moves} | {END: "End of exercise — hot wash"}
    numbers = move_numbers(exercise)  # the numbers every other document prints (0-5, 2A, ...)
    edges, pairs = _rules(exercise, titles)
    row = {mid: r for r, layer in enumerate(layers) for mid in layer}
    drawn = [pair for pair in pairs if pair[0] in row and pair[1] in row]
    sides = _loop_sides([p for p in drawn if row[p[1]] <= row[p[0]]], layers, row)
    lanes = {side: sum(1 for s in sides.values() if s == side) for side in (-1, 1)}
    margins = {side: 10 + (LANE * lanes[side] + 14 if lanes[side] else 0) for side in (-1, 1)}
    pos, height = _layout(layers, margins)
    frame = (0.0, 0.0, WIDTH, height)

    arrows: dict[tuple[str, str], Arrow] = {}
    entries = _entries([p for p in drawn if p not in sides], pos)
    used = dict.fromkeys((-1, 1), 0)
    for pair in drawn:
        if pair in sides:
            side = sides[pair]
            used[side] += 1
            arrows[pair] = _loop(pos[pair[0]], pos[pair[1]], side, used[side], pos)
        else:
            arrows[pair] = _down(pos[pair[0]], pos[pair[1]], entries[pair])

    body: list[str] = [
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" '
        f'markerHeight="7" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="{ACCENT}"/></marker></defs>'
    ]
    body.extend(
        f'<path d="{arrow.path}" fill="none" stroke="{ACCENT}" stroke-width="1.1" '
        'marker-end="url(#arrow)"/>'
        for arrow in arrows.values()
    )
    # Boxes already taken (the moves, the arrowheads, then each label placed): a label
    # slides along its arrow until it hides no move, arrowhead or other label.
    taken: list[Box] = [(x, y, x + w, y + NODE_H) for x, y, w in pos.values()]
    taken.extend(_head(arrow) for arrow in arrows.values())
    for pair, arrow in arrows.items():
        body.extend(_label(arrow, pairs[pair], taken, frame))
    for mid, place in pos.items():
        body.extend(_move(exercise, mid, place, titles[mid], numbers))
    return {"svg": svg(WIDTH, height, body, _description(exercise, layers, edges)), "edges": edges}


def _rules(
    exercise: Exercise, titles: dict[str, str]
) -> tuple[list[dict[str, Any]], dict[tuple[str, str], list[int]]]:
    """The legend (one entry per rule, numbered) and the rules' numbers by (from, to) move."""
    edges: list[dict[str, Any]] = []
    pairs: dict[tuple[str, str], list[int]] = {}

    def add(src: str, dst: str, when: str) -> None:
        edges.append(_edge(len(edges) + 1, src, dst, when, titles))
        pairs.setdefault((src, dst), []).append(len(edges))

    for move in exercise.moves:
        if move.has_rules():
            for rule in move.rules():
                add(
                    move.id,
                    rule.goto,
                    condition_text(exercise, rule.when) if rule.when else "otherwise",
                )
            if not move.next:  # only options' `goto`s: otherwise the next move in the file
                add(move.id, exercise.default_next(move.id), "otherwise (next move)")
        else:
            add(move.id, successors(exercise, move)[0], "always (next move)")
    return edges, pairs


def _layout(layers: list[list[str]], margins: dict[int, float]) -> tuple[dict[str, Place], float]:
    """Every move's box, stage by stage down the page, and the drawing's height."""
    rows = len(layers)
    gap = (HEIGHT_BUDGET - 20 - rows * NODE_H) / max(1, rows - 1)
    gap = min(GAP_MAX, max(GAP_MIN, gap))
    room = WIDTH - margins[-1] - margins[1]
    pos: dict[str, Place] = {}
    for index, layer in enumerate(layers):
        count = len(layer)
        node_w = min(200.0, (room - 16 * (count - 1)) / count)
        left = margins[-1] + (room - count * node_w - 16 * (count - 1)) / 2
        for i, mid in enumerate(layer):
            pos[mid] = (left + i * (node_w + 16), 10 + index * (NODE_H + gap), node_w)
    return pos, 10 + rows * (NODE_H + gap) - gap + 10


def _loop_sides(
    loops: list[tuple[str, str]], layers: list[list[str]], row: dict[str, int]
) -> dict[tuple[str, str], int]:
    """The side (-1 left, 1 right) each arrow that loops back up runs along: one where its
    moves are outermost in their stages, so it crosses no other move; else the emptier side."""
    sides: dict[tuple[str, str], int] = {}
    for src, dst in loops:
        free = (
            [
                side
                for side in (1, -1)
                if all(layers[row[m]][-1 if side > 0 else 0] == m for m in (src, dst))
            ]
            or [side for side in (1, -1) if layers[row[src]][-1 if side > 0 else 0] == src]
            or [1]
        )
        sides[src, dst] = min(free, key=lambda s: sum(1 for v in sides.values() if v == s))
    return sides


def _entries(down: list[tuple[str, str]], pos: dict[str, Place]) -> dict[tuple[str, str], float]:
    """Where each arrow comes into its move's top edge: arrows from several moves side by side,
    in the order of the moves they come from, so that every arrowhead shows."""
    incoming: dict[str, list[tuple[str, str]]] = {}
    for src, dst in down:
        incoming.setdefault(dst, []).append((src, dst))
    found: dict[tuple[str, str], float] = {}
    for dst, pairs in incoming.items():
        x, _, w = pos[dst]
        pairs.sort(key=lambda pair: pos[pair[0]][0] + pos[pair[0]][2] / 2)
        step = min(24.0, w / (len(pairs) + 1))
        for i, pair in enumerate(pairs):
            found[pair] = x + w / 2 + (i - (len(pairs) - 1) / 2) * step
    return found


_SPOTS = (0.5, 0.38, 0.62, 0.28, 0.72, 0.2, 0.8, 0.12, 0.88)
"""Where along its arrow a label is tried, from the middle outwards."""


def _down(src: Place, dst: Place, entry: float) -> Arrow:
    """An arrow from the bottom of one move down to `entry` on a later move's top edge."""
    sx, sy, sw = src
    ax, ay = sx + sw / 2, sy + NODE_H
    ex, ey = entry, dst[1] - 1
    mid = (ay + ey) / 2

    def at(t: float) -> Point:
        u = 1 - t
        return (
            u**3 * ax + 3 * u * u * t * ax + 3 * u * t * t * ex + t**3 * ex,
            u**3 * ay + 3 * u * u * t * mid + 3 * u * t * t * mid + t**3 * ey,
        )

    path = f"M{num(ax)},{num(ay)} C{num(ax)},{num(mid)} {num(ex)},{num(mid)} {num(ex)},{num(ey)}"
    return Arrow(path, [at(t) for t in _SPOTS], (ex, ey), (0.0, 1.0))


def _loop(src: Place, dst: Place, side: int, lane: int, pos: dict[str, Place]) -> Arrow:
    """An arrow back up (or to the same move): out of one side of the move, along a lane
    beside every move, and into the same side of the target."""
    x1 = src[0] + src[2] if side > 0 else src[0]
    x2 = (dst[0] + dst[2] if side > 0 else dst[0]) + side
    y1, y2 = (
        src[1] + NODE_H / 3,
        dst[1] + 2 * NODE_H / 3,
    )  # apart, so a move looping to itself shows
    if side > 0:
        lane_x = max(x + w for x, _, w in pos.values()) + LANE * lane
    else:
        lane_x = min(x for x, _, _ in pos.values()) - LANE * lane
    path = f"M{num(x1)},{num(y1)} H{num(lane_x)} V{num(y2)} H{num(x2)}"
    spots = [(lane_x, y1 + t * (y2 - y1)) for t in _SPOTS]
    return Arrow(path, spots, (x2, y2), (-float(side), 0.0))


def _head(arrow: Arrow) -> Box:
    """The box the arrowhead covers (the marker is about 8 units long)."""
    (ex, ey), (ux, uy) = arrow.tip, arrow.heading
    bx, by = ex - 8 * ux, ey - 8 * uy
    return (min(ex, bx) - 4, min(ey, by) - 4, max(ex, bx) + 4, max(ey, by) + 4)


def _label(arrow: Arrow, labels: list[int], taken: list[Box], frame: Box) -> list[str]:
    """The numbered label of an arrow (one or more rules between the same two moves)."""
    label = ",".join(str(n) for n in labels)
    lw = 8 + 5.6 * len(label)
    mx, my = _label_spot(arrow, lw, taken, frame)
    taken.append((mx - lw / 2, my - 7, mx + lw / 2, my + 7))
    return [
        f'<rect x="{num(mx - lw / 2)}" y="{num(my - 7)}" width="{num(lw)}" height="14" rx="7" '
        f'fill="#ffffff" stroke="{ACCENT}" stroke-width="0.8"/>',
        text(mx, my + 3, label, size=LABEL, anchor="middle", weight=700, fill=ACCENT),
    ]


def _label_spot(arrow: Arrow, width: float, taken: list[Box], frame: Box) -> Point:
    """The first spot on (or just beside) the arrow where a label of this width fits inside
    the frame and overlaps nothing taken."""
    for shift in (0.0, width / 2 + 6, -(width / 2 + 6)):
        for x, y in arrow.spots:
            box = (x + shift - width / 2 - 2, y - 9, x + shift + width / 2 + 2, y + 9)
            inside = (
                frame[0] <= box[0]
                and box[2] <= frame[2]
                and frame[1] <= box[1]
                and box[3] <= frame[3]
            )
            if inside and not any(
                box[0] < r[2] and r[0] < box[2] and box[1] < r[3] and r[1] < box[3] for r in taken
            ):
                return x + shift, y
    return arrow.spots[0]


def _move(
    exercise: Exercise, mid: str, place: Place, title: str, numbers: dict[str, str]
) -> list[str]:
    """One move's box: its number (and whether only a branch reaches it) over its title."""
    x, y, w = place
    final = mid == END
    fill = "#e8eef6" if not final else "#f1f3f6"
    kicker = "" if final else f"MOVE {numbers[mid]}"
    if not final and exercise.move(mid).branch_only:
        kicker += " · BRANCH ONLY"
    out = [
        f'<rect x="{num(x)}" y="{num(y)}" width="{num(w)}" height="{num(NODE_H)}" rx="4" '
        f'fill="{fill}" stroke="{ACCENT}" stroke-width="1"/>'
    ]
    if kicker:
        out.append(text(x + 7, y + 12.5, kicker, size=KICKER, weight=700, fill="#5b6472"))
    out.append(
        text(x + 7, y + (26 if kicker else 20), fit(title, w - 14, TITLE), size=TITLE, weight=600)
    )
    return out


def _description(exercise: Exercise, layers: list[list[str]], edges: list[dict[str, Any]]) -> str:
    """The map in words, for a screen reader: what it shows and where the arrows are spelled out."""
    branching = sum(1 for layer in layers if len(layer) > 1)
    return (
        f"Branch map of the exercise: {len(exercise.moves)} moves in {len(layers) - 1} stages"
        f"{f', {branching} of them with alternative moves' if branching else ''}, "
        f"from {exercise.moves[0].title} to the hot wash, joined by {len(edges)} numbered "
        "arrows; the numbered list after the map gives each arrow's condition."
    )


def _edge(number: int, src: str, dst: str, when: str, titles: dict[str, str]) -> dict[str, Any]:
    return {
        "number": number,
        "from": titles.get(src, src),
        "to": titles.get(dst, f"{dst} (unknown move)"),
        "when": when,
    }


def branch_map_markup(exercise: Exercise) -> Markup:
    """Only the SVG of the branch map."""
    result: Markup = branch_map(exercise)["svg"]
    return result
