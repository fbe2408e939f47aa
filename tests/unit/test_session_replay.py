"""Replay property: the state built live equals the state rebuilt from the journal; undo restores."""

from __future__ import annotations

import dataclasses
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from tests.unit.test_session_engine import branching_exercise
from ttx.api import open_journal
from ttx.session import actions as c
from ttx.session.clock import FakeClock
from ttx.session.state import SessionState

TEAMS = st.sampled_from(["red", "blue", "green"])
CHOICES = st.sampled_from(
    [
        ("vote", "left"),
        ("vote", "right"),
        ("vote", "stay"),
        ("help", "yes_help"),
        ("help", "no_help"),
        ("chair", "go"),
        ("chair", "wait"),
        ("tb", "a"),
        ("tb", "b"),
    ]
)
TEXT = st.text(alphabet="ab =\n,é", max_size=6)
MOVES = st.sampled_from([None, "m1", "m2", "m3", "end"])


@st.composite
def answer(draw: st.DrawFn, kind: type[c.RecordDecision] | type[c.CorrectDecision]) -> Any:
    team = draw(TEAMS)
    if draw(st.integers(0, 4)) == 0:
        points = draw(st.dictionaries(st.sampled_from(["ships", "aid"]), st.integers(0, 5)))
        return kind(decision_id="budget", team_id=team, allocation=points)
    decision, option = draw(CHOICES)
    if draw(st.integers(0, 5)) == 0:
        return kind(decision_id=decision, team_id=team, free_text=draw(TEXT) or "x")
    return kind(decision_id=decision, team_id=team, option_id=option, rationale=draw(TEXT))


COMMANDS = st.one_of(
    st.builds(c.EnterMove, move_id=MOVES),
    answer(c.RecordDecision),
    answer(c.RecordDecision),
    answer(c.RecordDecision),
    answer(c.RecordDecision),
    answer(c.CorrectDecision),
    answer(c.CorrectDecision),
    st.builds(
        c.AdjudicateDecision,
        decision_id=st.sampled_from(["vote", "help"]),
        team_id=TEAMS,
        option_id=st.sampled_from(["left", "yes_help"]),
    ),
    CHOICES.map(lambda p: c.RuleDecision(decision_id=p[0], option_id=p[1])),
    st.just(c.PauseClock()),
    st.just(c.ResumeClock()),
    st.builds(
        c.ReleaseInject,
        inject_id=st.sampled_from(["opening", "thanks", "red_only"]),
        force=st.booleans(),
    ),
    st.builds(c.AddNote, text=TEXT, category=st.sampled_from(["note", "strength", "improvement"])),
    st.builds(c.ChangeTrack, track_id=st.just("trust"), delta=st.integers(-3, 3)),
    st.builds(c.OverrideBranch, target=st.sampled_from(["m2", "m3", "end"])),
    st.just(c.ResolveBranch()),
    st.just(c.Undo()),
    st.just(c.Undo()),
    st.just(c.EndSession()),
    st.builds(c.AnswerHotWash, text=TEXT, question_index=st.sampled_from([None, 0])),
    st.builds(
        c.RateObjective,
        objective_id=st.just("obj"),
        rating=st.sampled_from(["Performed without challenges", "unable to be performed", "?"]),
        evidence=TEXT,
    ),
    st.builds(c.AddImprovementItem, issue=TEXT, responsible=TEXT),
    st.builds(c.ChangeTrack, track_id=st.just("trust"), value=st.integers(-1, 6)),
)


def essence(state: SessionState) -> SessionState:
    """The state without the journal's own bookkeeping (which an undo adds to, by design)."""
    return dataclasses.replace(state, last_seq=0, last_at=state.started_at, timeline=(), undone=())


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(steps=st.lists(st.tuples(COMMANDS, st.integers(0, 90)), min_size=5, max_size=40))
def test_live_state_equals_replayed_state_and_undo_restores(
    steps: list[tuple[Any, int]],
) -> None:
    clock = FakeClock()
    with tempfile.TemporaryDirectory() as folder:
        journal = open_journal(Path(folder) / "j.sqlite3")
        session = journal.create_session(branching_exercise(), clock=clock)
        before_actions: list[SessionState] = []
        applied = undone = 0
        before_actions.append(session.state)
        session.apply(c.EnterMove())
        for command, seconds in steps:
            clock.advance(seconds)
            before = session.state
            try:
                after = session.apply(command)
            except c.CommandError:
                assert session.state is before
                continue
            applied += 1
            if isinstance(command, c.Undo):
                undone += 1
                assert essence(after) == essence(before_actions.pop())
            else:
                before_actions.append(before)
        event(f"applied {min(applied // 5 * 5, 20)}+ commands")
        event("with an undo" if undone else "no undo")
        live = session.state
        session.close()
        rebuilt = journal.read_session(live.id).state
        assert rebuilt == live
        now = clock.now()
        assert rebuilt.clock.session_elapsed(now) == live.clock.session_elapsed(now)
        journal.close()
