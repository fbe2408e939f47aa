"""States handed out never change afterwards; the clock's running totals equal the plain sums."""

from __future__ import annotations

import contextlib
import sqlite3
from datetime import datetime, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.unit.test_session_engine import branching_exercise
from ttx.api import open_journal
from ttx.session import actions as c
from ttx.session.clock import FakeClock
from ttx.session.event_text import Describer
from ttx.session.replay import replay
from ttx.session.state import ClockState, SessionState
from ttx.store.errors import JournalCorrupt


def fingerprint(state: SessionState) -> tuple[Any, ...]:
    """Every history of a state, copied into plain tuples (what a reader saw at the time)."""
    return (
        tuple(state.path),
        tuple(state.injects),
        tuple(state.notes),
        tuple(state.clock.segments),
        tuple(state.hot_wash),
        tuple(state.rating_history),
        tuple(state.improvements),
        tuple(state.undone),
        tuple(state.reopened),
        tuple((e.seq, e.kind, e.text, e.move_id) for e in state.timeline),
        {k: tuple(t.history) for k, t in state.tracks.items()},
        {k: (tuple(d.history), dict(d.records)) for k, d in state.decisions.items()},
        state.undo_summary,
    )


def play_everything(session: Any, clock: FakeClock) -> list[SessionState]:
    """Apply a session's worth of commands (clock, moves, decisions, notes, undo), keeping each state."""
    held = [session.state]
    commands: list[Any] = [
        c.EnterMove(),
        c.AddNote(text="first note", team_id="red"),
        c.PauseClock(reason="question"),
        c.ResumeClock(),
        c.RecordDecision(decision_id="vote", team_id="red", option_id="left", rationale="a"),
        c.ChangeTrack(track_id="trust", delta=1),
        c.RecordDecision(decision_id="vote", team_id="blue", option_id="left", rationale="b"),
        c.Undo(),
        c.RecordDecision(decision_id="vote", team_id="blue", option_id="right", rationale="b"),
        c.CorrectDecision(decision_id="vote", team_id="red", option_id="right", reason="typo"),
        c.EnterMove(),
        c.AddNote(text="second note", category="strength"),
        c.PauseClock(),
        c.Undo(),
        c.ChangeTrack(track_id="trust", value=2),
        c.EnterMove(move_id="end"),
        c.AnswerHotWash(text="went well", question_index=0),
        c.RateObjective(objective_id="obj", rating="Performed without challenges"),
        c.AddImprovementItem(issue="slow start", responsible="lead"),
        c.EndSession(),
        c.AddNote(text="after the end"),
    ]
    for command in commands:
        clock.advance(37)
        held.append(session.apply(command))
    return held


def test_a_held_state_never_changes_after_later_commands() -> None:
    clock = FakeClock()
    with open_journal() as journal, journal.create_session(branching_exercise(), clock=clock) as s:
        seen: list[tuple[SessionState, tuple[Any, ...]]] = []
        for state in play_everything(s, clock):
            for earlier, print_then in seen:
                assert fingerprint(earlier) == print_then
            seen.append((state, fingerprint(state)))
        # Reading the lazily described timeline late gives the text it had all along.
        first_with_notes = next(st_ for st_, _ in seen if st_.notes)
        assert len(first_with_notes.notes) == 1
        assert first_with_notes.timeline[-1].text == "Note (Red Team): first note"


def test_each_held_state_equals_a_replay_of_the_events_up_to_it() -> None:
    clock = FakeClock()
    with open_journal() as journal, journal.create_session(branching_exercise(), clock=clock) as s:
        held = play_everything(s, clock)
        events = s.events
        for state in held:
            prefix = [e for e in events if e.seq <= state.last_seq]
            rebuilt = replay(state.id, state.exercise, prefix)
            assert rebuilt == state
            assert [e.text for e in rebuilt.timeline] == [e.text for e in state.timeline]


def test_the_timeline_reads_like_a_tuple_and_describes_every_event() -> None:
    clock = FakeClock()
    with open_journal() as journal, journal.create_session(branching_exercise(), clock=clock) as s:
        state = play_everything(s, clock)[-1]
        describe = Describer(state.exercise, {t.id: t.name for t in state.teams})
        undone = {e.undoes for e in s.events if e.kind == "undone"}
        events = [e for e in s.events if e.kind == "undone" or e.action not in undone]
        assert len(events) < len(s.events)
        assert [e.text for e in state.timeline] == [describe(e) for e in events]
        assert [e.seq for e in state.timeline] == [e.seq for e in events]
        entries = tuple(state.timeline)
        assert state.timeline == entries and entries == tuple(state.timeline)
        assert state.timeline[-3:] == entries[-3:]
        assert list(reversed(state.timeline)) == list(reversed(entries))
        assert state.timeline[0] is state.timeline[0]  # made once, then kept
        assert state.undo_summary == "Note: after the end"
        with pytest.raises(IndexError):
            state.timeline[len(entries)]


def test_a_corrupt_event_row_is_reported_not_replayed() -> None:
    clock = FakeClock()
    with open_journal() as journal:
        with journal.create_session(branching_exercise(), clock=clock) as s:
            s.apply(c.EnterMove())
            s.apply(c.AddNote(text="kept"))
            sid, seq = s.id, s.state.last_seq
        conn = sqlite3.connect(journal.path)
        for data in (
            '{"kind": "note_added", "at": "not a time"',  # half a row
            '{"seq": 4, "at": "2026-01-01T09:00:00Z", "action": 4, "kind": "teleported"}',
        ):
            with conn:
                conn.execute(
                    "UPDATE events SET data = ? WHERE session_id = ? AND seq = ?", (data, sid, seq)
                )
            with pytest.raises(JournalCorrupt, match=f"session {sid} is damaged: event {seq} "):
                journal.read_session(sid)
        conn.close()


# --- the clock's running totals against the straightforward sums ----------------------

CLOCK_STEPS = st.lists(
    st.tuples(
        st.sampled_from(
            [
                c.PauseClock(),
                c.ResumeClock(),
                c.EnterMove(),
                c.EnterMove(move_id="m2"),
                c.EnterMove(move_id="m1"),
                c.EnterMove(move_id="end"),
                c.Undo(),
                c.EndSession(),
                c.AddNote(text="n"),
            ]
        ),
        st.floats(min_value=0, max_value=5000, allow_nan=False),
    ),
    max_size=30,
)


def plain(clock: ClockState, now: datetime) -> dict[str, float]:
    """The figures summed segment by segment, as the clock computed them before running totals."""
    segments = list(clock.segments)
    session = sum(s.seconds(now) for s in segments)
    figures = {"session": session}
    for move in ("m1", "m2", "m3"):
        figures[move] = sum(
            s.seconds(now) for s in segments if s.phase == "moves" and s.move_id == move
        )
    for phase in ("setup", "moves", "hot_wash"):
        figures[phase] = sum(s.seconds(now) for s in segments if s.phase == phase)
    if clock.started_at is not None:
        end = clock.stopped_at or now
        elapsed = sum(s.seconds(end) for s in segments)
        figures["paused"] = max(0.0, (end - clock.started_at).total_seconds() - elapsed)
    return figures


def totals(clock: ClockState, now: datetime) -> dict[str, float]:
    """The same figures from the clock's own methods."""
    figures = {"session": clock.session_elapsed(now)}
    for move in ("m1", "m2", "m3"):
        figures[move] = clock.move_elapsed(move, now)
    for phase in ("setup", "moves", "hot_wash"):
        figures[phase] = clock.phase_elapsed(phase, now)
    if clock.started_at is not None:
        figures["paused"] = clock.paused_seconds(now)
    return figures


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(steps=CLOCK_STEPS, later=st.floats(min_value=0, max_value=9000, allow_nan=False))
def test_clock_totals_equal_the_plain_sum_over_segments(
    steps: list[tuple[Any, float]], later: float
) -> None:
    clock = FakeClock()
    with open_journal() as journal, journal.create_session(branching_exercise(), clock=clock) as s:
        s.apply(c.EnterMove())
        held: list[SessionState] = []
        for command, seconds in steps:
            clock.advance(seconds)
            with contextlib.suppress(c.CommandError):
                held.append(s.apply(command))
            state = s.state
            for now in (clock.now(), clock.now() + timedelta(seconds=later)):
                expected = plain(state.clock, now)
                assert totals(state.clock, now) == expected
                # The same segments handed over as a plain tuple give the same figures.
                rebuilt = ClockState(
                    started=state.clock.started,
                    running=state.clock.running,
                    started_at=state.clock.started_at,
                    paused_at=state.clock.paused_at,
                    stopped_at=state.clock.stopped_at,
                    segments=tuple(state.clock.segments),
                )
                assert totals(rebuilt, now) == expected
                assert rebuilt == state.clock
        now = clock.now() + timedelta(seconds=later)
        for state in held:  # states held earlier still add up as they did
            assert totals(state.clock, now) == plain(state.clock, now)
