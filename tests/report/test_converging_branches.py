"""A branch that comes back together: the move every run plays after it prints as its own move."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.report.pdfcheck import norm, pages_text, text_of
from ttx.cli import main

CONVERGE = Path(__file__).resolve().parents[1] / "exercises" / "converge.yaml"


@pytest.fixture(scope="module")
def handouts(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("converge") / "out"
    assert main(["handouts", str(CONVERGE), "-o", str(out)]) == 0
    return out


def test_the_schedule_lists_the_move_after_the_branch_and_adds_up(handouts: Path) -> None:
    schedule = next(
        norm(page) for page in pages_text(handouts / "situation-manual.pdf") if "Schedule" in page
    )
    assert "3 20 min Day 3 Depends on the decisions taken so far 15 min" in schedule
    assert "4 35 min Day 5 Recovery 15 min" in schedule
    # 60 minutes in all: the hot wash (10 min) starts at 50
    assert "50 min Hot wash: what worked, what did not 10 min" in schedule


def test_participants_read_the_last_move_as_move_4(handouts: Path) -> None:
    sitman = text_of(handouts / "situation-manual.pdf")
    assert "MOVE 4 · DAY 5 · ABOUT 15 MIN Recovery Systems come back one by one." in sitman
    packet = text_of(handouts / "team-county.pdf")
    assert "DECISION WORKSHEET · MOVE 4: RECOVERY · DAY 5" in packet
    guide = text_of(handouts / "facilitator-guide.pdf")
    assert "Planned length 50 min plus a 10-minute hot wash" in guide
    assert "Move 4. Recovery" in guide
    assert "3C" not in sitman + packet + guide
