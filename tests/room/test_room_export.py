"""`tabletop export --format json` carries what came from the room: answers sent and anonymous feedback."""

from __future__ import annotations

import json

import pytest

from ttx.cli import main
from ttx.session.actions import EnterMove, GiveRoomFeedback, SubmitRoomAnswer

from .helpers import new_session


def test_the_json_export_has_the_rooms_answers_and_feedback(
    capsys: pytest.CaptureFixture[str],
) -> None:
    session = new_session("demo", session_id="exported")
    session.apply(EnterMove())
    session.apply(
        SubmitRoomAnswer(
            decision_id="opening", team_id="us", option_id="partner", rationale="phone"
        )
    )
    while session.state.status == "running":
        session.apply(EnterMove())
    session.apply(GiveRoomFeedback(ratings={"0": 4}, strengths="the map", improvements=""))
    statement = session.exercise.feedback.ratings[0]
    session.close()
    assert main(["export", "exported", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    opening = next(d for d in data["decisions"] if d["id"] == "opening")
    assert opening["room"] == [
        {
            "team": "us",
            "option": "partner",
            "allocation": None,
            "free_text": None,
            "rationale": "phone",
            "submitted_at": opening["room"][0]["submitted_at"],
        }
    ]
    assert opening["records"] == []  # a proposal, never accepted
    (feedback,) = data["room_feedback"]
    assert feedback["ratings"] == {statement: 4} and feedback["strengths"] == "the map"
    assert set(feedback) == {"at", "ratings", "strengths", "improvements"}  # no team, no device
