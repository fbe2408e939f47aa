"""The one rule of what the room may see (`ttx.session.room`), without a terminal."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from ttx.api import open_journal
from ttx.session import actions as cmd
from ttx.session.clock import FakeClock
from ttx.session.room import room_view
from ttx.vocabulary import tag_label

ROOT = Path(__file__).resolve().parents[2]
FLAGSHIP = ROOT / "exercises" / "across-the-line.yaml"


def _text(view: object) -> str:
    return repr(view)


def test_flagship_move_2_room_and_team_views(tmp_path: Path) -> None:
    with open_journal(tmp_path / "j.sqlite3") as journal:
        session = journal.create_session(
            FLAGSHIP, clock=FakeClock(datetime(2026, 3, 2, tzinfo=UTC))
        )
        for step in (
            cmd.EnterMove(),
            cmd.ReleaseInject(inject_id="m0_setting"),
            cmd.EnterMove(move_id="m2", reason="test"),
            cmd.ReleaseInject(inject_id="m2_target_picture"),
            cmd.ReleaseInject(inject_id="m2_counsel"),
            cmd.ReleaseInject(inject_id="m2_red_preparing"),
            cmd.RecordDecision(
                decision_id="networks_respond", team_id="red_cell", option_id="cyber", rationale="x"
            ),
        ):
            session.apply(step)
        state = session.state
        session.close()
    room = room_view(state)
    text = _text(room)
    assert [i.id for i in room.injects] == ["m2_target_picture"]  # not move 0's, not the NSC's
    assert room.decisions == ()  # every decision of move 2 is one team's
    assert "Covert unilateral action" not in text and "Hire the cyber crew" not in text
    assert "Red cell" not in text and "Two legal paths" not in text
    mexico = room_view(state, "mexico")
    assert [d.id for d in mexico.decisions] == ["mx_consent"]
    assert "Covert unilateral action" not in _text(mexico)
    nsc = room_view(state, "nsc")
    assert [i.id for i in nsc.injects] == ["m2_target_picture", "m2_counsel"]
    with pytest.raises(ValueError, match="played by the facilitator"):
        room_view(state, "red_cell")
    # The frame is visible on a team's screen too: each question carries its tags.
    move = state.exercise.move("m2")
    expected = {
        q.text: tuple(tag_label(state.exercise, t) for t in q.tags)
        for q in move.questions
        if "nsc" in q.teams
    }
    assert {q.text: q.tags for q in nsc.questions} == expected
    assert ("Five questions: legal basis",) in expected.values()  # the frame's label
