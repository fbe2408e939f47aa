"""The branch map reads at a glance: every arrow ends in a visible head, every label shows,
and the flagship's map prints large enough to read (issue 17)."""

from __future__ import annotations

import re
from pathlib import Path

from pypdf import PdfReader

from tests.report.conftest import FLAGSHIP
from tests.report.pdfcheck import text_sizes
from ttx.cli import main
from ttx.model.validate import load_exercise
from ttx.report.branchmap import branch_map

CONVERGE = Path(__file__).resolve().parents[1] / "exercises" / "converge.yaml"
LOOPS = (
    (  # "apart" may send the room back to the opening; "together" may play again
        "    next: [{goto: recovery}]\n  - id: apart",
        "    next: [{when: {state: calm, lt: 1}, goto: together}, {goto: recovery}]\n  - id: apart",
    ),
    (
        "    next: [{goto: recovery}]\n  - id: recovery",
        "    next: [{when: {decision: voice, option: two}, goto: opening}, {goto: recovery}]\n"
        "  - id: recovery",
    ),
)
Box = tuple[float, float, float, float]


def _loops(tmp_path: Path) -> Path:
    text = CONVERGE.read_text(encoding="utf-8")
    for old, new in LOOPS:
        assert old in text
        text = text.replace(old, new)
    text = text.replace(
        "teams:\n", "state:\n  - {id: calm, label: Calm, min: 0, max: 3, start: 1}\nteams:\n", 1
    )
    path = tmp_path / "loops.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _overlap(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _end(path: str) -> tuple[float, float]:
    """Where an SVG path (M, C, H and V commands) ends."""
    x = y = 0.0
    for command, args in re.findall(r"([MCHV])([^MCHV]*)", path):
        numbers = [float(n) for n in re.findall(r"-?[\d.]+", args)]
        if command in "MC":
            x, y = numbers[-2], numbers[-1]
        elif command == "H":
            x = numbers[-1]
        else:
            y = numbers[-1]
    return x, y


def _check(svg: str) -> int:
    """Every arrow has a head that ends on a move's edge, clear of the labels; every label
    is inside the drawing and hides no move and no other label. Returns the arrows' count."""
    frame = re.search(r'viewBox="0 0 ([\d.]+) ([\d.]+)"', svg)
    assert frame is not None
    width, height = float(frame[1]), float(frame[2])
    moves = [
        (float(x), float(y), float(x) + float(w), float(y) + float(h))
        for x, y, w, h in re.findall(
            r'<rect x="([-\d.]+)" y="([-\d.]+)" width="([\d.]+)" height="([\d.]+)" rx="4"', svg
        )
    ]
    labels = [
        (float(x), float(y), float(x) + float(w), float(y) + 14)
        for x, y, w in re.findall(
            r'<rect x="([-\d.]+)" y="([-\d.]+)" width="([\d.]+)" height="14" rx="7"', svg
        )
    ]
    arrows = re.findall(r'<path d="(M[^"]*)" (fill="none"[^>]*)/>', svg)
    assert len(arrows) == len(labels) > 0
    tips = [_end(path) for path, _ in arrows]
    for (_, attributes), tip in zip(arrows, tips, strict=True):
        assert 'marker-end="url(#arrow)"' in attributes
        # the head ends at a move's edge (within a unit), not inside it or in the air
        assert any(
            m[0] - 1.5 <= tip[0] <= m[2] + 1.5
            and m[1] - 1.5 <= tip[1] <= m[3] + 1.5
            and not (m[0] + 1.5 < tip[0] < m[2] - 1.5 and m[1] + 1.5 < tip[1] < m[3] - 1.5)
            for m in moves
        ), tip
        head = (tip[0] - 3, tip[1] - 3, tip[0] + 3, tip[1] + 3)
        assert not any(_overlap(head, label) for label in labels), tip
    assert len({(round(x), round(y)) for x, y in tips}) == len(tips), "arrowheads on one another"
    for i, label in enumerate(labels):
        assert label[0] >= 0 and label[2] <= width and label[1] >= 0 and label[3] <= height
        assert not any(_overlap(label, m) for m in moves), label
        assert not any(_overlap(label, other) for other in labels[i + 1 :]), label
    return len(arrows)


def test_a_branch_that_meets_again_draws_every_arrow_down_with_its_head() -> None:
    svg = str(branch_map(load_exercise(CONVERGE))["svg"])
    # 1→2, 2→3A, 2→3B, 2→4 (no option chosen), 3A→4, 3B→4, 4→end
    assert _check(svg) == 7
    paths = re.findall(r'<path d="(M[^"]*)" fill="none"', svg)
    starts = [float(path.split(",")[1].split()[0]) for path in paths]
    assert all(_end(path)[1] > start for path, start in zip(paths, starts, strict=True))


def test_loops_back_stay_inside_the_drawing_with_their_labels(tmp_path: Path) -> None:
    svg = str(branch_map(load_exercise(_loops(tmp_path)))["svg"])
    assert _check(svg) == 9


def test_the_flagship_map_prints_no_text_below_7_points(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert main(["handouts", str(FLAGSHIP), "-o", str(out)]) == 0
    reader = PdfReader(str(out / "facilitator-guide.pdf"))
    page = next(p for p in reader.pages if "Branch map" in (p.extract_text() or "")[:200])
    sizes = text_sizes(page)
    assert len(sizes) > 40  # the map's move labels and numbers are text on this page
    assert min(sizes) >= 7, sorted(set(sizes))
