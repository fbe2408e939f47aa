"""The after-action report says what came from the room, and when; it never prints a join code."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.report.pdfcheck import text_of
from ttx.cli import main
from ttx.room import codes
from ttx.session.actions import AcceptRoomAnswer, EnterMove, SubmitRoomAnswer

from .helpers import new_session

pytestmark = pytest.mark.slow


def test_the_report_prints_answers_submitted_from_the_room(tmp_path: Path) -> None:
    session = new_session("demo", session_id="reported")
    session.apply(EnterMove())
    session.apply(
        SubmitRoomAnswer(
            decision_id="opening", team_id="us", option_id="partner", rationale="from a phone"
        )
    )
    session.apply(AcceptRoomAnswer(decision_id="opening", team_id="us"))
    session.close()
    issued = codes.load_or_issue("reported", ["us", "mexico"])
    out = tmp_path / "aar.pdf"
    assert main(["report", "reported", "-o", str(out)]) == 0
    text = " ".join(text_of(out).split())
    assert re.search(
        r"Times are local .* \d\d:\d\d [A-Z]+ Decision [\"“]How does the United States answer the offer\?[\"”]: "
        r"US National Security Council submitted from the room: Accept and build the joint cell",
        text,
    ), text[text.find("submitted") - 300 : text.find("submitted") + 200]
    matrix = text[text.find("ASKED OF US NATIONAL SECURITY COUNCIL") :]
    # the facilitator accepted it: the matrix holds it as the team's answer, with its rationale
    assert (
        "TEAM D1 D2 US National Security Council A Accept and build the joint cell from a phone"
        in matrix
    )
    assert not any(code in text for code in issued.values())
