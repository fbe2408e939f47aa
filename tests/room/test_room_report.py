"""The after-action report says what came from the room, and when; it never prints a join code."""

from __future__ import annotations

import re
from pathlib import Path

import docx
import pytest

from tests.report.pdfcheck import text_of
from ttx.cli import main
from ttx.room import codes
from ttx.session.actions import (
    AcceptRoomAnswer,
    EnterMove,
    GiveRoomFeedback,
    SubmitRoomAnswer,
)

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


def test_the_report_sums_up_the_rooms_anonymous_feedback_without_team_names(
    tmp_path: Path,
) -> None:
    session = new_session("demo", session_id="felt")
    session.apply(EnterMove())
    while session.state.status == "running":
        session.apply(EnterMove())
    for ratings, strengths, improvements in (
        ({"0": 4, "1": 5}, "The map of the border made it real", ""),
        ({"0": 2}, "", "Too little time for the second move"),
        ({"0": 4}, "Working across agencies", "Print the cards larger"),
    ):
        session.apply(
            GiveRoomFeedback(ratings=ratings, strengths=strengths, improvements=improvements)
        )
    statement = session.exercise.feedback.ratings[0]
    session.close()
    out = tmp_path / "aar.pdf"
    assert main(["report", "felt", "-o", str(out)]) == 0
    text = " ".join(text_of(out).split())
    section = text[text.find("Participant feedback") : text.find("Improvement plan No")]
    assert section.startswith("Participant feedback 3 anonymous feedback forms sent from the room.")
    # the first statement: one 2, two 4s, three answers, mean 3.3
    assert f"{statement} 0 1 0 2 0 3 3.3" in section
    for said in (
        "The map of the border made it real",
        "Working across agencies",
        "Too little time for the second move",
        "Print the cards larger",
    ):
        assert said in section
    what_worked = section[section.find("What worked") : section.find("What to improve")]
    assert "Working across agencies" in what_worked
    assert "Print the cards larger" not in what_worked
    team_names = ("US National Security Council", "Government of Mexico", "Mexico")
    assert not any(name in section for name in team_names)
    # The editable report holds the same section, between the hot wash and the plan.
    docx_out = tmp_path / "aar.docx"
    assert main(["report", "felt", "--format", "docx", "-o", str(docx_out)]) == 0
    document = docx.Document(str(docx_out))
    headings = [p.text for p in document.paragraphs if p.style and p.style.name == "Heading 1"]
    assert headings.index("Participant feedback") == headings.index("Hot wash") + 1
    assert headings.index("Improvement plan") == headings.index("Participant feedback") + 1
    written = "\n".join(p.text for p in document.paragraphs)
    words = written[written.find("Participant feedback") : written.find("Improvement plan")]
    assert "3 anonymous feedback forms sent from the room." in words
    assert words.index("Working across agencies") < words.index("What to improve")
    assert words.index("Print the cards larger") > words.index("What to improve")
    assert not any(name in words for name in team_names)
    rows = {r.cells[0].text: [c.text for c in r.cells[1:]] for t in document.tables for r in t.rows}
    assert rows["Statement"] == ["1", "2", "3", "4", "5", "Answers", "Mean"]
    assert rows[statement] == ["0", "1", "0", "2", "0", "3", "3.3"]


def test_the_report_has_no_feedback_section_when_the_room_sent_none(tmp_path: Path) -> None:
    session = new_session("demo", session_id="quiet")
    session.apply(EnterMove())
    session.close()
    out = tmp_path / "aar.pdf"
    assert main(["report", "quiet", "-o", str(out)]) == 0
    assert "Participant feedback" not in " ".join(text_of(out).split())
    docx_out = tmp_path / "aar.docx"
    assert main(["report", "quiet", "--format", "docx", "-o", str(docx_out)]) == 0
    assert "Participant feedback" not in [p.text for p in docx.Document(str(docx_out)).paragraphs]
