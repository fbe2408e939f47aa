"""Charts for the after-action report, drawn as SVG by hand: bars for choices, steps for tracks.

Each chart carries its alt text (`label`), which says in words what the picture shows.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from markupsafe import Markup

from ttx.report.svg import fit, num, svg, text

WIDTH = 660.0
ACCENT = "#1f3a5f"
SOFT = "#c9d6e8"
MARKED = 60
"""A step chart marks each change with a dot up to this many changes (beyond, dots merge into a smear)."""
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
    for a, b in _spans(pauses, x):
        body.append(
            f'<rect x="{num(a)}" y="{num(top)}" width="{num(b - a)}" '
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
            text(x(tick), bottom + 14, _tick_label(tick, span), size=8, anchor="middle", fill=MUTED)
        )
    points = series.points or [(0.0, low)]
    body.append(
        f'<path d="{_step_path(points, x, y, x(span))}" fill="none" stroke="{ACCENT}" stroke-width="2"/>'
    )
    if len(points) <= MARKED:
        for minute, value in points[1:]:
            body.append(
                f'<circle cx="{num(x(minute))}" cy="{num(y(value))}" r="2.6" fill="{ACCENT}"/>'
            )
    return svg(WIDTH, height, body, label)


def _spans(
    pauses: list[tuple[float, float]], x: Callable[[float], float]
) -> list[tuple[float, float]]:
    """Pause bands in drawing units, those closer than a unit merged: thousands of short
    pauses in a long session draw as the few bands a reader can see."""
    spans: list[list[float]] = []
    for start, end in sorted(pauses):
        a = x(start)
        b = max(x(end), a + 0.8)
        if spans and a - spans[-1][1] < 1.0:
            spans[-1][1] = max(spans[-1][1], b)
        else:
            spans.append([a, b])
    return [(a, b) for a, b in spans]


def _step_path(
    points: list[tuple[float, int]],
    x: Callable[[float], float],
    y: Callable[[float], float],
    end: float,
) -> str:
    """The step line's path; changes that fall in the same half unit share one vertical
    stroke (their range), so the path stays small however many changes there were."""
    columns: list[tuple[float, list[int]]] = []
    for minute, value in points:
        at = round(x(minute) * 2) / 2
        if columns and columns[-1][0] == at:
            columns[-1][1].append(value)
        else:
            columns.append((at, [value]))
    first = columns[0][1][0]
    path = [f"M{num(columns[0][0])},{num(y(first))}"]
    level = first
    for at, values in columns:
        path.append(f"L{num(at)},{num(y(level))}")
        low, high, last = min(values), max(values), values[-1]
        if low != high or last != level:
            path.append(
                f"L{num(at)},{num(y(low))} L{num(at)},{num(y(high))} L{num(at)},{num(y(last))}"
            )
        level = last
    path.append(f"L{num(end)},{num(y(level))}")
    return " ".join(path)


def _ticks(span: float) -> list[float]:
    """At most 8 round minute marks from 0 to `span`."""
    for size in (1, 2, 5, 10, 15, 30, 60, 120, 240, 480, 720, 1440, 2880, 10080, 43200):
        if span / size <= 8:
            return [float(t) for t in range(0, int(span) + 1, size)]
    return [0.0, span]


def _tick_label(minute: float, span: float) -> str:
    """A tick in minutes, or in hours once the session is longer than four hours."""
    return f"{minute / 60:g} h" if span > 240 else f"{minute:g} min"
