"""The branch map of an exercise drawn as SVG: moves in stages, arrows numbered by their rules."""

from __future__ import annotations

from typing import Any

from markupsafe import Markup

from ttx.model.exercise import END, Exercise
from ttx.model.stages import move_numbers, stages, successors
from ttx.report.svg import fit, num, svg, text
from ttx.vocabulary import condition_text

WIDTH = 660.0
NODE_H = 42.0
LAYER_GAP = 40.0
ACCENT = "#1f3a5f"


def branch_map(exercise: Exercise) -> dict[str, Any]:
    """The diagram (`svg`) and its legend (`edges`: number, from, to, when)."""
    layers = [[m.id for m in stage] for stage in stages(exercise)]
    layers.append([END])
    titles = {m.id: m.title for m in exercise.moves} | {END: "End of exercise — hot wash"}
    numbers = move_numbers(exercise)  # the numbers every other document prints (0-5, 2A, ...)
    pos: dict[str, tuple[float, float, float]] = {}
    for row, layer in enumerate(layers):
        count = len(layer)
        node_w = min(200.0, (WIDTH - 20 - 16 * (count - 1)) / count)
        total = count * node_w + 16 * (count - 1)
        left = (WIDTH - total) / 2
        y = 10 + row * (NODE_H + LAYER_GAP)
        for i, mid in enumerate(layer):
            pos[mid] = (left + i * (node_w + 16), y, node_w)
    height = 10 + len(layers) * (NODE_H + LAYER_GAP) - LAYER_GAP + 10

    edges: list[dict[str, Any]] = []
    pairs: dict[tuple[str, str], list[int]] = {}
    for move in exercise.moves:
        if move.has_rules():
            for rule in move.rules():
                when = condition_text(exercise, rule.when) if rule.when else "otherwise"
                edges.append(_edge(len(edges) + 1, move.id, rule.goto, when, titles))
                pairs.setdefault((move.id, rule.goto), []).append(len(edges))
            if not move.next:  # only options' `goto`s: otherwise the next move in the file
                target = exercise.default_next(move.id)
                edges.append(
                    _edge(len(edges) + 1, move.id, target, "otherwise (next move)", titles)
                )
                pairs.setdefault((move.id, target), []).append(len(edges))
        else:
            target = successors(exercise, move)[0]
            edges.append(_edge(len(edges) + 1, move.id, target, "always (next move)", titles))
            pairs.setdefault((move.id, target), []).append(len(edges))

    body: list[str] = [
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" '
        f'markerHeight="7" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="{ACCENT}"/></marker></defs>'
    ]
    # Boxes already taken (the moves, then each label placed): a label slides along
    # its arrow until it hides neither a move nor another label.
    taken: list[tuple[float, float, float, float]] = [
        (x, y, x + w, y + NODE_H) for x, y, w in pos.values()
    ]
    for (src, dst), labels in pairs.items():
        if src not in pos or dst not in pos:
            continue
        body.extend(_arrow(pos[src], pos[dst], labels, taken))
    for mid, (x, y, w) in pos.items():
        final = mid == END
        fill = "#e8eef6" if not final else "#f1f3f6"
        body.append(
            f'<rect x="{num(x)}" y="{num(y)}" width="{num(w)}" height="{num(NODE_H)}" rx="4" '
            f'fill="{fill}" stroke="{ACCENT}" stroke-width="1"/>'
        )
        kicker = "" if final else f"MOVE {numbers[mid]}"
        if mid != END and exercise.move(mid).branch_only:
            kicker += " · BRANCH ONLY"
        if kicker:
            body.append(text(x + 7, y + 14, kicker, size=7, weight=700, fill="#5b6472"))
        body.append(
            text(
                x + 7,
                y + (31 if kicker else 25),
                fit(titles[mid], w - 14, 9.5),
                size=9.5,
                weight=600,
            )
        )
    return {"svg": svg(WIDTH, height, body, _description(exercise, layers, edges)), "edges": edges}


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


def _arrow(
    src: tuple[float, float, float],
    dst: tuple[float, float, float],
    labels: list[int],
    taken: list[tuple[float, float, float, float]],
) -> list[str]:
    sx, sy, sw = src
    dx, dy, dw = dst
    x1, y1 = sx + sw / 2, sy + NODE_H
    x2, y2 = dx + dw / 2, dy
    if y2 <= y1:  # a loop back up: leave from the side and come in from the side
        x1, y1 = sx + sw, sy + NODE_H / 2
        x2, y2 = dx + dw, dy + NODE_H / 2
        curve = ((x1, y1), (x1 + 40, y1), (x2 + 40, y2), (x2 + 1, y2))
    else:
        mid = (y1 + y2) / 2
        curve = ((x1, y1), (x1, mid), (x2, mid), (x2, y2 - 1))
    (ax, ay), (bx, by), (cx, cy), (ex, ey) = curve
    path = f"M{num(ax)},{num(ay)} C{num(bx)},{num(by)} {num(cx)},{num(cy)} {num(ex)},{num(ey)}"
    label = ",".join(str(n) for n in labels)
    lw = 8 + 6 * len(label)
    mx, my = _label_spot(curve, lw, taken)
    taken.append((mx - lw / 2, my - 7, mx + lw / 2, my + 7))
    return [
        f'<path d="{path}" fill="none" stroke="{ACCENT}" stroke-width="1.1" marker-end="url(#arrow)"/>',
        f'<rect x="{num(mx - lw / 2)}" y="{num(my - 7)}" width="{num(lw)}" height="14" rx="7" '
        f'fill="#ffffff" stroke="{ACCENT}" stroke-width="0.8"/>',
        text(mx, my + 3.2, label, size=7.5, anchor="middle", weight=700, fill=ACCENT),
    ]


_SPOTS = (0.5, 0.38, 0.62, 0.28, 0.72, 0.2, 0.8, 0.12, 0.88)
"""Where along its arrow a label is tried, from the middle outwards."""


def _label_spot(
    curve: tuple[tuple[float, float], ...],
    width: float,
    taken: list[tuple[float, float, float, float]],
) -> tuple[float, float]:
    """The first point along the arrow where a label of this width overlaps nothing taken."""
    (ax, ay), (bx, by), (cx, cy), (ex, ey) = curve

    def at(t: float) -> tuple[float, float]:
        u = 1 - t
        return (
            u**3 * ax + 3 * u * u * t * bx + 3 * u * t * t * cx + t**3 * ex,
            u**3 * ay + 3 * u * u * t * by + 3 * u * t * t * cy + t**3 * ey,
        )

    # On the arrow first; then just beside it, where it still reads as the arrow's.
    for shift in (0.0, width / 2 + 6, -(width / 2 + 6)):
        for t in _SPOTS:
            x, y = at(t)
            x += shift
            box = (x - width / 2 - 2, y - 9, x + width / 2 + 2, y + 9)
            if not any(
                box[0] < r[2] and r[0] < box[2] and box[1] < r[3] and r[1] < box[3] for r in taken
            ):
                return x, y
    return at(0.5)


def branch_map_markup(exercise: Exercise) -> Markup:
    """Only the SVG of the branch map."""
    result: Markup = branch_map(exercise)["svg"]
    return result
