"""The leaner handout layouts say the same things: the grouped timeline, text bullets, card tops."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from tests.report.conftest import DEMO, FLAGSHIP
from tests.report.pdfcheck import norm, pages_text, text_of
from ttx.model.stages import stages
from ttx.model.validate import load_exercise
from ttx.report.facilitator import timeline
from ttx.report.handouts import handout_set


def _guide_html(path: Path) -> str:
    docs = handout_set(load_exercise(path))
    return next(d for d in docs if d.filename == "facilitator-guide.pdf").html("letter")


def test_timeline_lists_every_move_once_and_every_inject_in_order() -> None:
    exercise = load_exercise(FLAGSHIP)
    groups = timeline(exercise)
    ordered = [m for stage in stages(exercise) for m in stage]
    assert [g["move"] for g in groups] == [
        f"{exercise.move_number(m.id)}. {m.title}" for m in ordered
    ]
    rows = [r for g in groups for r in g["rows"]]
    assert [r["seq"] for r in rows] == list(range(1, len(rows) + 1))
    assert len(rows) == sum(len(m.injects) for m in exercise.moves)
    for group, move in zip(groups, ordered, strict=True):
        assert [r["minute"] for r in group["rows"]] == sorted(i.at for i in move.injects)
        assert len(group["points"]) == len(move.expected_points)


def test_timeline_gives_a_moves_points_once_and_keeps_a_move_without_injects(
    tmp_path: Path,
) -> None:
    data = yaml.safe_load(DEMO.read_text(encoding="utf-8"))
    data["moves"][0]["injects"] = []
    bare = tmp_path / "no-injects.yaml"
    bare.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    html = _guide_html(bare)
    msel = html[
        html.index('<section class="timeline">') : html.index(
            "</section>", html.index('<section class="timeline">')
        )
    ]
    assert msel.count("Move 1. The offer") == 1
    assert "No injects in this move." in msel
    point = "Partnership first reduces the risk of retaliation (Atlantic Council)."
    assert msel.count(point) == 1


def test_guide_timeline_reads_by_move_in_the_pdf(demo_handouts: Path) -> None:
    pages = [norm(p) for p in pages_text(demo_handouts / "facilitator-guide.pdf")]
    start = next(i for i, p in enumerate(pages) if "Timeline (master scenario events list)" in p)
    text = " ".join(pages[start : start + 2])
    for title in ("Move 1. The offer", "A working partnership", "A strained partnership"):
        assert title in text
    assert "Pressure may produce quick gestures but costs trust." in text
    assert "An offer, with a red line" in text and "Mexican Foreign Ministry" in text
    assert "Washington asks for more" in text and "only if" in text


def test_guide_bullets_are_text_in_tagged_lists(demo_handouts: Path) -> None:
    html = _guide_html(DEMO)
    points = re.search(
        r"Expected discussion points</h4>\s*<ul class=\"tb[^\"]*\">(.*?)</ul>", html, re.S
    )
    assert points is not None
    items = re.findall(r"<li>(.*?)</li>", points.group(1), re.S)
    assert len(items) == 2 and all(i.startswith("•") for i in items)
    text = text_of(demo_handouts / "facilitator-guide.pdf")
    assert "• Partnership first reduces the risk of retaliation (Atlantic Council)." in text


def test_inject_card_top_line_leads_with_the_minute(demo_handouts: Path) -> None:
    first = norm(pages_text(demo_handouts / "inject-cards.pdf")[0]).upper()
    assert "MINUTE 0 · MONTH 0 — MOVE 1 · THE OFFER" in first


def test_situation_manual_schedule_is_a_table_with_headers(demo_handouts: Path) -> None:
    docs = handout_set(load_exercise(DEMO))
    html = next(d for d in docs if d.filename == "situation-manual.pdf").html("letter")
    assert '<table class="schedule">' in html and '<th class="c-move">Move</th>' in html
    text = text_of(demo_handouts / "situation-manual.pdf")
    assert "The offer" in text and "4 min" in text
