"""Notes are corrected and analysed by compensating events; the time a session was closed is kept."""

from __future__ import annotations

import pytest

from tests.unit.test_session_engine import branching_exercise
from ttx.api import open_journal
from ttx.session.actions import (
    AddNote,
    AnalyseNote,
    CommandError,
    CorrectNote,
    EnterMove,
    PauseClock,
    Undo,
)
from ttx.session.clock import FakeClock


def test_a_corrected_note_keeps_its_earlier_text_and_undo_brings_it_back() -> None:
    with open_journal() as journal, journal.create_session(branching_exercise()) as s:
        s.apply(EnterMove())
        s.apply(AddNote(text="Teh US team hesitated"))
        before = s.state
        seq = before.notes[0].seq
        after = s.apply(CorrectNote(note_seq=seq, text="The US team hesitated"))
        assert after.notes[0].text == "The US team hesitated"
        assert after.notes[0].earlier == ("Teh US team hesitated",)
        assert before.notes[0].text == "Teh US team hesitated"  # a state handed out never changes
        assert after.timeline[-1].text == "Note corrected: The US team hesitated"
        kinds = [e.kind for e in journal.read_session(s.id).events]
        assert kinds.count("note_added") == 1 and kinds[-1] == "note_corrected"
        assert s.apply(Undo()).notes[0].text == "Teh US team hesitated"
        replayed = journal.read_session(s.id).state
        assert replayed.notes[0].text == "Teh US team hesitated"


def test_an_analysis_reaches_the_note_and_survives_a_replay() -> None:
    with open_journal() as journal, journal.create_session(branching_exercise()) as s:
        s.apply(EnterMove())
        s.apply(AddNote(text="Clear chain of command", category="strength"))
        s.apply(AddNote(text="Just a remark"))
        strength, remark = s.state.notes
        s.apply(AnalyseNote(note_seq=strength.seq, analysis="Roles were agreed before move 1."))
        assert s.state.notes[0].analysis == "Roles were agreed before move 1."
        assert journal.read_session(s.id).state.notes[0].analysis == (
            "Roles were agreed before move 1."
        )
        with pytest.raises(CommandError, match="only a strength or an area for improvement"):
            s.apply(AnalyseNote(note_seq=remark.seq, analysis="x"))
        with pytest.raises(CommandError, match="no note number 999"):
            s.apply(CorrectNote(note_seq=999, text="x"))


def test_the_time_a_session_was_closed_is_kept_with_what_the_clock_did() -> None:
    clock = FakeClock()
    journal = open_journal()
    s = journal.create_session(branching_exercise(), clock=clock)
    s.apply(EnterMove())
    s.apply(PauseClock())
    s.close()
    clock.advance(2 * 86_400 + 3 * 3600)
    again = journal.open_session(s.id, clock=clock)
    (closure,) = again.state.closures
    assert closure.seconds == 2 * 86_400 + 3 * 3600
    assert not closure.clock_running and closure.move_id == "m1"
    assert again.state.timeline[-1].text == (
        "Session reopened after 2 d 3 h closed; the clock was paused"
    )
    again.close()
