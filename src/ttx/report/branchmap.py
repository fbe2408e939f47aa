"""The branch map of an exercise drawn as SVG: moves in stages, arrows numbered by their rules."""

from __future__ import annotations

from typing import Any

from markupsafe import Markup

from ttx.model.exercise import END, Exercise
from ttx.model.stages import stages, successors
from ttx.report.conditions import condition_text
from ttx.report.svg import fit, num, svg, text

WIDTH = 660.0
NODE_H = 42.0
LAYER_GAP = 40.0
ACCENT = "#1f3a5f"


def branch_map(exercise: Exercise) -> dict[str, Any]:
    """The diagram (`svg`) and its legend (`edges`: number, from, to, when)."""
    layers = [[m.id for m in stage] for stage in stages(exercise)]
    layers.append([END])
    titles = {m.id: m.title for m in exercise.moves} | {END: "End of exercise — hot wash"}
    numbers = {mid: n for n, layer in enumerate(layers, 1) for mid in layer}
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
        if move.next:
            for rule in move.next:
                when = condition_text(exercise, rule.when) if rule.when else "otherwise"
                edges.append(_edge(len(edges) + 1, move.id, rule.goto, when, titles))
                pairs.setdefault((move.id, rule.goto), []).append(len(edges))
        else:
            target = successors(exercise, move)[0]
            edges.append(_edge(len(edges) + 1, move.id, target, "always (next move)", titles))
            pairs.setdefault((move.id, target), []).append(len(edges))

    body: list[str] = [
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" '
        f'markerHeight="7" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="{ACCENT}"/></marker></defs>'
    ]
    for (src, dst), labels in pairs.items():
        if src not in pos or dst not in pos:
            continue
        body.extend(_arrow(pos[src], pos[dst], labels))
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
    return {"svg": svg(WIDTH, height, body, "Branch map of the exercise"), "edges": edges}


def _edge(number: int, src: str, dst: str, when: str, titles: dict[str, str]) -> dict[str, Any]:
    return {
        "number": number,
        "from": titles.get(src, src),
        "to": titles.get(dst, f"{dst} (unknown move)"),
        "when": when,
    }


def _arrow(
    src: tuple[float, float, float], dst: tuple[float, float, float], labels: list[int]
) -> list[str]:
    sx, sy, sw = src
    dx, dy, dw = dst
    x1, y1 = sx + sw / 2, sy + NODE_H
    x2, y2 = dx + dw / 2, dy
    if y2 <= y1:  # a loop back up: leave from the side and come in from the side
        x1, y1 = sx + sw, sy + NODE_H / 2
        x2, y2 = dx + dw, dy + NODE_H / 2
        path = f"M{num(x1)},{num(y1)} C{num(x1 + 40)},{num(y1)} {num(x2 + 40)},{num(y2)} {num(x2 + 1)},{num(y2)}"
        mx, my = max(x1, x2) + 30, (y1 + y2) / 2
    else:
        mid = (y1 + y2) / 2
        path = f"M{num(x1)},{num(y1)} C{num(x1)},{num(mid)} {num(x2)},{num(mid)} {num(x2)},{num(y2 - 1)}"
        mx, my = (x1 + x2) / 2, mid
    label = ",".join(str(n) for n in labels)
    lw = 8 + 6 * len(label)
    return [
        f'<path d="{path}" fill="none" stroke="{ACCENT}" stroke-width="1.1" marker-end="url(#arrow)"/>',
        f'<rect x="{num(mx - lw / 2)}" y="{num(my - 7)}" width="{num(lw)}" height="14" rx="7" '
        f'fill="#ffffff" stroke="{ACCENT}" stroke-width="0.8"/>',
        text(mx, my + 3.2, label, size=7.5, anchor="middle", weight=700, fill=ACCENT),
    ]


def branch_map_markup(exercise: Exercise) -> Markup:
    """Only the SVG of the branch map."""
    result: Markup = branch_map(exercise)["svg"]
    return result
