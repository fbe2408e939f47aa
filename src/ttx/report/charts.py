"""Charts for the after-action report, drawn as SVG by hand: bars for choices, steps for tracks.

Each chart carries its alt text (`label`), which says in words what the picture shows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

from markupsafe import Markup

from ttx.report.svg import fit, num, svg, text

WIDTH = 660.0
ACCENT = "#1f3a5f"
SOFT = "#c9d6e8"
MUTED = "#5b6472"
RULE = "#c9d1dc"


@dataclass(frozen=True, slots=True)
class Bar:
    """One bar: its label, its value, and whether it is the outcome (drawn darker)."""

    label: str
    value: float
    strong: bool = False


def bar_chart(bars: list[Bar], *, label: str, unit: str = "") -> Markup:
    """Horizontal bars, one per option, labelled with their values."""
    row = 22.0
    label_w = 230.0
    left = label_w + 10
    right = WIDTH - 60
    top = 6.0
    height = top + row * len(bars) + 6
    biggest = max((b.value for b in bars), default=0) or 1
    body: list[str] = [
        f'<line x1="{num(left)}" y1="{num(top - 2)}" x2="{num(left)}" y2="{num(height - 4)}" '
        f'stroke="{RULE}" stroke-width="1"/>'
    ]
    for i, bar in enumerate(bars):
        y = top + i * row
        width = (right - left) * bar.value / biggest
        body.append(text(left - 8, y + 14, fit(bar.label, label_w, 9), size=9, anchor="end"))
        if width > 0:
            body.append(
                f'<rect x="{num(left)}" y="{num(y + 3)}" width="{num(width)}" height="{num(row - 7)}" '
                f'fill="{ACCENT if bar.strong else SOFT}"/>'
            )
        value = f"{bar.value:g}{unit}"
        body.append(text(left + width + 5, y + 14, value, size=9, weight=700, fill=ACCENT))
    return svg(WIDTH, height, body, label)


@dataclass(frozen=True, slots=True)
class Series:
    """A state track over the session: (minute, value) steps within its range."""

    label: str
    low: int
    high: int
    points: list[tuple[float, int]]


@dataclass(frozen=True, slots=True)
class Boundary:
    """Where a move began: its minute since the session started, and a short label ("Move 2")."""

    minute: float
    label: str


def step_chart(
    series: Series,
    *,
    minutes: float,
    pauses: list[tuple[float, float]],
    label: str,
    boundaries: Sequence[Boundary] = (),
) -> Markup:
    """A step line of one track over the session's minutes, pauses shaded, moves marked."""
    left, right, top, bottom = 40.0, WIDTH - 14, 22.0, 128.0
    height = bottom + 26
    span = max(minutes, 1.0)
    low, high = series.low, series.high
    rng = max(high - low, 1)

    def x(minute: float) -> float:
        return left + (right - left) * min(max(minute, 0.0), span) / span

    def y(value: float) -> float:
        return bottom - (bottom - top) * (value - low) / rng

    body: list[str] = []
    for start, end in pauses:
        body.append(
            f'<rect x="{num(x(start))}" y="{num(top)}" width="{num(max(x(end) - x(start), 0.8))}" '
            f'height="{num(bottom - top)}" fill="#f1f3f6"/>'
        )
    last_x = -100.0
    for boundary in boundaries:
        bx = x(boundary.minute)
        body.append(
            f'<line x1="{num(bx)}" y1="{num(top - 10)}" x2="{num(bx)}" y2="{num(bottom)}" '
            f'stroke="{MUTED}" stroke-width="0.8" stroke-dasharray="3 2"/>'
        )
        if bx - last_x >= 44:  # a label only where it does not run into the one before
            body.append(text(bx + 3, top - 3, boundary.label, size=7.5, fill=MUTED))
            last_x = bx
    step = 1 if rng <= 10 else max(1, rng // 5)
    for value in range(low, high + 1, step):
        body.append(
            f'<line x1="{num(left)}" y1="{num(y(value))}" x2="{num(right)}" y2="{num(y(value))}" '
            f'stroke="{RULE}" stroke-width="0.6"/>'
        )
        body.append(text(left - 6, y(value) + 3, str(value), size=8, anchor="end", fill=MUTED))
    ticks = _ticks(span)
    for tick in ticks:
        body.append(
            text(x(tick), bottom + 14, f"{tick:g} min", size=8, anchor="middle", fill=MUTED)
        )
    points = series.points or [(0.0, low)]
    path = [f"M{num(x(points[0][0]))},{num(y(points[0][1]))}"]
    for (_, before), (minute, value) in pairwise(points):
        path.append(f"L{num(x(minute))},{num(y(before))} L{num(x(minute))},{num(y(value))}")
    path.append(f"L{num(x(span))},{num(y(points[-1][1]))}")
    body.append(f'<path d="{" ".join(path)}" fill="none" stroke="{ACCENT}" stroke-width="2"/>')
    for minute, value in points[1:]:
        body.append(f'<circle cx="{num(x(minute))}" cy="{num(y(value))}" r="2.6" fill="{ACCENT}"/>')
    return svg(WIDTH, height, body, label)


def _ticks(span: float) -> list[float]:
    for size in (1, 2, 5, 10, 15, 30, 60, 120):
        if span / size <= 8:
            return [float(t) for t in range(0, int(span) + 1, size)]
    return [0.0, span]
