"""The exercise clock: right across pauses, moves, undo, a crash and a restart (injected time)."""

from __future__ import annotations

import pytest

from tests.unit.test_session_engine import branching_exercise
from ttx.api import open_journal
from ttx.session.actions import (
    CommandError,
    EndSession,
    EnterMove,
    ExplainPause,
    PauseClock,
    ResumeClock,
    Undo,
)
from ttx.session.clock import FakeClock


def test_pauses_are_excluded_per_move_and_for_the_session() -> None:
    clock = FakeClock()
    with open_journal() as journal, journal.create_session(branching_exercise(), clock=clock) as s:
        assert s.elapsed() == (0.0, 0.0)
        clock.advance(120)  # set-up time before the first move is not exercise time
        s.apply(EnterMove())
        clock.advance(300)
        s.apply(PauseClock(reason="fire drill"))
        clock.advance(600)
        assert s.elapsed() == (300.0, 300.0)
        s.apply(ResumeClock())
        clock.advance(60)
        s.apply(EnterMove())  # -> m3 by the default rule
        clock.advance(90)
        state = s.state
        now = clock.now()
        assert state.clock.move_elapsed("m1", now) == 360
        assert state.clock.move_elapsed("m3", now) == 90
        assert state.session_elapsed(now) == 450
        assert state.clock.paused_seconds(now) == 600
        s.apply(EndSession())
        clock.advance(1000)  # the clock stops at the end
        assert s.elapsed()[0] == 450


def test_undoing_a_pause_counts_the_time_as_if_it_never_paused() -> None:
    clock = FakeClock()
    with open_journal() as journal, journal.create_session(branching_exercise(), clock=clock) as s:
        s.apply(EnterMove())
        clock.advance(100)
        s.apply(PauseClock())
        clock.advance(50)
        assert s.elapsed()[0] == 100
        state = s.apply(Undo())
        assert state.clock.running
        assert s.elapsed()[0] == 150
        clock.advance(10)
        assert s.elapsed() == (160.0, 160.0)


def test_undoing_a_move_change_gives_the_time_back_to_the_move_left() -> None:
    clock = FakeClock()
    with open_journal() as journal, journal.create_session(branching_exercise(), clock=clock) as s:
        s.apply(EnterMove())
        clock.advance(100)
        s.apply(EnterMove())
        clock.advance(30)
        s.apply(Undo())
        assert s.state.current_move == "m1"
        assert s.elapsed() == (130.0, 130.0)


def test_clock_survives_a_crash_and_restart() -> None:
    """The room keeps talking while the laptop restarts: running time keeps counting."""
    clock = FakeClock()
    journal = open_journal()
    s = journal.create_session(branching_exercise(), clock=clock)
    s.apply(EnterMove())
    clock.advance(200)
    s.apply(PauseClock())
    clock.advance(40)
    s.apply(ResumeClock())
    clock.advance(60)
    # Crash: the process dies without closing anything (the lock is released by the OS;
    # here we drop the objects the way a dead process would).
    s._lock.release()  # type: ignore[union-attr]
    s._store.close()
    clock.advance(120)  # two minutes to restart
    reopened = open_journal().open_session(clock=clock)
    assert reopened.state.clock.running
    assert reopened.elapsed() == (380.0, 380.0)
    assert reopened.state.reopened == (clock.now(),)
    reopened.apply(PauseClock())
    clock.advance(500)
    assert reopened.elapsed()[0] == 380
    reopened.close()
    # A crash while paused stays paused across the restart.
    clock.advance(100)
    again = open_journal().open_session(clock=clock)
    assert not again.state.clock.running and again.elapsed()[0] == 380
    again.close()


def test_clock_commands_that_make_no_sense_are_refused() -> None:
    clock = FakeClock()
    with open_journal() as journal, journal.create_session(branching_exercise(), clock=clock) as s:
        with pytest.raises(CommandError, match="not started"):
            s.apply(PauseClock())
        s.apply(ResumeClock())  # starting the clock before the first move is allowed
        clock.advance(5)
        with pytest.raises(CommandError, match="already running"):
            s.apply(ResumeClock())
        s.apply(EnterMove())
        clock.advance(5)
        assert s.state.clock.phase_elapsed("setup", clock.now()) == 5
        assert s.elapsed() == (10.0, 5.0)


def test_fake_clock_refuses_to_go_back() -> None:
    clock = FakeClock()
    with pytest.raises(ValueError, match="backward"):
        clock.advance(-1)


def test_closing_for_a_break_can_pause_the_clock() -> None:
    clock = FakeClock()
    with open_journal() as journal:
        s = journal.create_session(branching_exercise(), clock=clock)
        s.apply(EnterMove())
        clock.advance(100)
        s.close(pause_clock=True)
        clock.advance(3600)
        again = journal.open_session(clock=clock)
        assert not again.state.clock.running and again.elapsed() == (100.0, 100.0)
        assert again.state.clock.paused_at is not None
        again.close(pause_clock=True)  # already paused: nothing to record
        assert len(journal.read_session().events) == len(again.events)


def test_a_reason_given_after_the_pause_joins_it_and_is_refused_while_the_clock_runs() -> None:
    clock = FakeClock()
    with open_journal() as journal, journal.create_session(branching_exercise(), clock=clock) as s:
        s.apply(EnterMove())
        with pytest.raises(CommandError, match="not paused"):
            s.apply(ExplainPause(reason="fire drill"))
        s.apply(PauseClock())
        clock.advance(30)  # the reason is typed while the clock is already stopped
        s.apply(ExplainPause(reason="fire drill"))
        with pytest.raises(CommandError, match="reason"):
            s.apply(ExplainPause(reason="   "))
        entries = [(e.kind, e.reason) for e in s.state.timeline][-2:]
        assert entries == [("clock_paused", ""), ("pause_explained", "fire drill")]
        assert "Reason for the pause: fire drill" in s.state.timeline[-1].text
        s.apply(Undo())  # takes back the reason, not the pause
        assert not s.state.clock.running
        assert s.state.timeline[-1].kind != "pause_explained"


def test_the_answer_entered_for_a_facilitator_played_team_is_the_ruling() -> None:
    """Any path that records the red cell's answer (console, API) rules the decision with it;
    undo takes both back as one action."""
    from pathlib import Path

    from ttx.session.actions import RecordDecision

    red_cell = Path(__file__).parents[1] / "tui" / "data" / "red-cell.yaml"
    with open_journal() as journal, journal.create_session(red_cell, clock=FakeClock()) as s:
        s.apply(EnterMove())
        s.apply(
            RecordDecision(
                decision_id="respond", team_id="red", option_id="strike", rationale="Prices alone."
            )
        )
        decision = s.state.decisions["respond"]
        assert (decision.outcome.status, decision.outcome.option_id) == ("resolved", "strike")
        assert decision.ruling is not None and decision.ruling.reason.startswith("Red cell's")
        s.apply(Undo())
        assert "respond" not in s.state.decisions or not s.state.decisions["respond"].records
