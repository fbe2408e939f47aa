"""The session engine: resolve modes, branches and overrides, conditional injects, effects, undo."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from ttx.api import Session, open_journal
from ttx.model.exercise import Exercise
from ttx.session.actions import (
    AddNote,
    AdjudicateDecision,
    AnswerHotWash,
    ChangeTrack,
    CommandError,
    CorrectDecision,
    EndSession,
    EnterMove,
    OverrideBranch,
    RateObjective,
    RecordDecision,
    ReleaseInject,
    RuleDecision,
    Undo,
)
from ttx.session.clock import FakeClock
from ttx.session.events import TeamSetup

BRANCHING_YAML = """
format: 1
id: branching
title: Branching test
objectives:
  - {id: obj, text: Decide.}
state:
  - {id: trust, label: Trust, min: 0, max: 5, start: 4}
teams:
  - {id: red, name: Red Team}
  - {id: blue, name: Blue Team}
  - {id: green, name: Green Team}
moves:
  - id: m1
    title: First
    injects:
      - {id: opening, title: Opening, at: 0}
      - id: thanks
        title: Thanks for helping
        at: 2
        when: {decision: help, option: yes_help}
      - id: red_only
        title: Red note
        to: [red]
        when: {state: trust, lte: 1}
    decisions:
      - id: vote
        prompt: Which way?
        resolve: majority
        tie_break: facilitator
        rationale_required: false
        options:
          - {id: left, label: Left, effects: {trust: 3}}
          - {id: right, label: Right, effects: {trust: -5}}
          - {id: stay, label: Stay}
      - id: help
        prompt: Help?
        resolve: each
        rationale_required: false
        options:
          - {id: yes_help, label: "Yes", effects: {trust: 1}}
          - {id: no_help, label: "No"}
      - id: chair
        prompt: Chair's call
        resolve: facilitator
        rationale_required: false
        free_form: false
        options:
          - {id: go, label: Go}
          - {id: wait, label: Wait}
      - id: budget
        prompt: Spend points
        kind: allocation
        budget: 5
        teams: [red]
        resolve: {team: red}
        rationale_required: false
        options:
          - {id: ships, label: Ships, max: 4}
          - {id: aid, label: Aid}
      - id: tb
        prompt: Tie-broken vote
        resolve: majority
        tie_break: blue
        teams: [red, blue]
        rationale_required: false
        options:
          - {id: a, label: A}
          - {id: b, label: B}
    next:
      - when: {decision: vote, option: left}
        goto: m2
      - when: {decision: budget, option: ships, gte: 3}
        goto: m3
      - goto: m3
  - id: m2
    title: Left path
    branch_only: true
    next:
      - goto: end
  - id: m3
    title: Right path
    branch_only: true
hot_wash:
  questions:
    - text: What happened?
"""


def branching_exercise() -> Exercise:
    """A three-team exercise that uses every resolve mode, an allocation and conditional injects."""
    return Exercise.model_validate(yaml.safe_load(BRANCHING_YAML))


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def session(clock: FakeClock) -> Iterator[Session]:
    with open_journal() as journal:
        s = journal.create_session(branching_exercise(), clock=clock)
        s.apply(EnterMove())
        yield s
        s.close()


def rec(decision: str, team: str, option: str | None = None, **kw: Any) -> RecordDecision:
    return RecordDecision(decision_id=decision, team_id=team, option_id=option, **kw)


def test_majority_resolves_when_every_team_has_answered(session: Session) -> None:
    session.apply(rec("vote", "red", "left"))
    session.apply(rec("vote", "blue", "left"))
    assert session.state.decisions["vote"].outcome.status == "pending"
    state = session.apply(rec("vote", "green", "right"))
    outcome = state.decisions["vote"].outcome
    assert (outcome.status, outcome.option_id, outcome.by) == ("resolved", "left", "majority")
    assert dict(outcome.tally) == {"left": 2, "right": 1}
    assert state.tracks["trust"].value == 5  # 4 + 3, clamped to max 5


def test_majority_tie_needs_the_facilitator_and_the_report_keeps_both(session: Session) -> None:
    session.apply(rec("vote", "red", "left"))
    session.apply(rec("vote", "blue", "right"))
    state = session.apply(rec("vote", "green", "stay"))
    assert state.decisions["vote"].outcome.status == "needs_ruling"
    state = session.apply(RuleDecision(decision_id="vote", option_id="right", reason="chair"))
    outcome = state.decisions["vote"].outcome
    assert (outcome.option_id, outcome.by, outcome.rules_option) == ("right", "ruling", None)
    assert state.tracks["trust"].value == 0  # 4 - 5 clamped at min 0


def test_tie_break_team_answer_wins(session: Session) -> None:
    session.apply(rec("tb", "red", "a"))
    state = session.apply(rec("tb", "blue", "b"))
    outcome = state.decisions["tb"].outcome
    assert (outcome.option_id, outcome.by) == ("b", "tie-break blue")


def test_facilitator_mode_waits_for_a_ruling(session: Session) -> None:
    state = session.apply(rec("chair", "red", "go"))
    assert state.decisions["chair"].outcome.status == "needs_ruling"
    state = session.apply(RuleDecision(decision_id="chair", option_id="wait"))
    assert state.decisions["chair"].outcome.option_id == "wait"
    assert state.decisions["chair"].outcome.by == "facilitator"


def test_each_mode_applies_effects_per_team_and_reverts_on_correction(session: Session) -> None:
    session.apply(rec("help", "red", "yes_help"))
    assert session.state.tracks["trust"].value == 5
    state = session.apply(
        CorrectDecision(decision_id="help", team_id="red", option_id="no_help", reason="misheard")
    )
    assert state.tracks["trust"].value == 4
    history = state.decisions["help"].history
    assert [h.option_id for h in history] == ["yes_help", "no_help"]
    assert history[1].correction and history[1].reason == "misheard"
    causes = [c.cause for c in state.tracks["trust"].history]
    assert causes == ["effect", "revert"]


def test_conditional_inject_goes_only_to_teams_whose_answer_meets_it(session: Session) -> None:
    pending = {p.inject.id: p for p in session.pending_injects()}
    assert "thanks" not in pending and "red_only" not in pending
    with pytest.raises(CommandError, match="condition does not hold"):
        session.apply(ReleaseInject(inject_id="thanks"))
    session.apply(rec("help", "blue", "yes_help"))
    session.apply(rec("help", "green", "no_help"))
    pending = {p.inject.id: p for p in session.pending_injects()}
    assert pending["thanks"].to == ("blue",)
    state = session.apply(ReleaseInject(inject_id="thanks"))
    released = state.released("thanks")
    assert released is not None and released.to == ("blue",) and released.condition_held is True


def test_a_forced_release_is_marked(session: Session) -> None:
    state = session.apply(ReleaseInject(inject_id="red_only", force=True))
    released = state.released("red_only")
    assert released is not None and released.condition_held is False
    with pytest.raises(CommandError, match="already been released"):
        session.apply(ReleaseInject(inject_id="red_only", force=True))


def test_inject_due_time_follows_the_move_clock(session: Session, clock: FakeClock) -> None:
    pending = {p.inject.id: p for p in session.pending_injects()}
    assert pending["opening"].due
    clock.advance(60)
    session.apply(rec("help", "red", "yes_help"))
    thanks = {p.inject.id: p for p in session.pending_injects()}["thanks"]
    assert not thanks.due and thanks.due_in == pytest.approx(60)


def test_allocation_is_checked_and_drives_a_branch(session: Session) -> None:
    with pytest.raises(CommandError, match="budget of 'budget' is 5"):
        session.apply(rec("budget", "red", allocation={"ships": 4, "aid": 2}))
    with pytest.raises(CommandError, match="no option 'tanks'"):
        session.apply(rec("budget", "red", allocation={"tanks": 1}))
    with pytest.raises(CommandError, match="at most 4"):
        session.apply(rec("budget", "red", allocation={"ships": 5}))
    with pytest.raises(CommandError, match="does not answer"):
        session.apply(rec("budget", "blue", allocation={"ships": 1}))
    session.apply(rec("budget", "red", allocation={"ships": 3, "aid": 2}))
    preview = session.branch_preview()
    assert preview is not None and (preview.rule_index, preview.target) == (1, "m3")
    assert "vote" in preview.waiting


def test_override_records_what_the_rules_said_and_what_was_chosen(session: Session) -> None:
    for team, option in (("red", "left"), ("blue", "left"), ("green", "right")):
        session.apply(rec("vote", team, option))
    assert session.branch_preview().target == "m2"  # type: ignore[union-attr]
    state = session.apply(OverrideBranch(target="m3", reason="time is short"))
    branch = state.branches["m1"]
    assert (branch.rule_target, branch.target, branch.overridden) == ("m2", "m3", True)
    assert branch.rule_index == 0 and branch.reason == "time is short"
    state = session.apply(EnterMove())
    assert state.current_move == "m3" and state.path[-1].via == "override"


def test_entering_another_move_than_the_rules_is_an_override(session: Session) -> None:
    state = session.apply(EnterMove(move_id="m2", reason="demo"))
    branch = state.branches["m1"]
    assert (branch.rule_target, branch.target, branch.overridden) == ("m3", "m2", True)
    state = session.apply(EnterMove())
    assert state.status == "hot_wash" and state.current_move is None
    assert state.branches["m2"].target == "end"
    with pytest.raises(CommandError, match="hot wash"):
        session.apply(EnterMove())


def test_free_form_answer_adjudicated_keeps_both(session: Session) -> None:
    session.apply(rec("vote", "red", free_text="Go left, but slowly"))
    session.apply(rec("vote", "blue", "left"))
    state = session.apply(rec("vote", "green", "right"))
    assert state.decisions["vote"].outcome.status == "pending"  # red's text is not an option yet
    state = session.apply(AdjudicateDecision(decision_id="vote", team_id="red", option_id="left"))
    record = state.decisions["vote"].records["red"]
    assert record.free_text == "Go left, but slowly" and record.counts_as == "left"
    assert state.decisions["vote"].outcome.option_id == "left"


def test_bad_commands_are_refused_with_a_reason_and_change_nothing(session: Session) -> None:
    before = session.state
    cases: list[tuple[Any, str]] = [
        (
            rec("vote", "purple", "left"),
            "no team .purple. in this session; choose one of: red, blue, green",
        ),
        (rec("vot", "red", "left"), "did you mean 'vote'"),
        (rec("vote", "red", "up"), "no option 'up'"),
        (rec("chair", "red", free_text="hm"), "does not take free-form"),
        (rec("vote", "red"), "exactly one answer"),
        (ChangeTrack(track_id="trust", value=4), "already 4"),
        (AddNote(text="   "), "empty"),
        (RateObjective(objective_id="obj", rating="great"), "not on the rating scale"),
        (AnswerHotWash(text="x", question_index=3), "does not exist"),
    ]
    for command, message in cases:
        with pytest.raises(CommandError, match=message):
            session.apply(command)
    assert session.state is before
    session.apply(rec("vote", "red", "left"))
    with pytest.raises(CommandError, match="correct the answer"):
        session.apply(rec("vote", "red", "right"))


def test_rationale_required_is_enforced(clock: FakeClock, demo_path: Path) -> None:
    with open_journal() as journal, journal.create_session(demo_path, clock=clock) as s:
        s.apply(EnterMove())
        with pytest.raises(CommandError, match="rationale"):
            s.apply(rec("opening", "us", "partner"))
        s.apply(rec("opening", "us", "partner", rationale="Trust first."))


def test_undo_takes_back_a_whole_action_and_is_itself_recorded(session: Session) -> None:
    session.apply(rec("vote", "red", "left"))
    session.apply(rec("vote", "blue", "left"))
    before = session.state
    state = session.apply(rec("vote", "green", "left"))
    assert state.tracks["trust"].value == 5 and state.undo_summary is not None
    assert "Green Team chose Left" in state.undo_summary
    state = session.apply(Undo())
    assert state.tracks["trust"].value == before.tracks["trust"].value
    assert "green" not in state.decisions["vote"].records
    assert state.decisions == before.decisions
    assert [u.summary for u in state.undone] == ["Decision “Which way?”: Green Team chose Left"]
    assert any(e.kind == "undone" for e in session.events)
    assert len(session.events) == before.last_seq + 3  # recorded + effect + undone


def test_undo_everything_then_nothing_left(session: Session) -> None:
    while session.can_undo:
        session.apply(Undo())
    assert session.state.status == "setup" and session.state.current_move is None
    with pytest.raises(CommandError, match="nothing to undo"):
        session.apply(Undo())


def test_teams_as_named_at_setup(clock: FakeClock) -> None:
    teams = [
        TeamSetup(id="red", name="Crimson", members=["Ana", "Bo"]),
        TeamSetup(id="blue"),
    ]
    with open_journal() as journal:
        with journal.create_session(branching_exercise(), teams, clock=clock) as s:
            s.apply(EnterMove())
            assert s.state.team("red").name == "Crimson"
            assert s.state.team("red").members == ("Ana", "Bo")
            assert s.state.deciding_teams("vote") == ["red", "blue"]
            with pytest.raises(CommandError, match="no team 'green'"):
                s.apply(rec("vote", "green", "left"))
        with pytest.raises(CommandError, match="no team 'purple'"):
            journal.create_session(branching_exercise(), [TeamSetup(id="purple")], clock=clock)


def test_after_the_end_only_after_action_work_is_accepted(session: Session) -> None:
    session.apply(EndSession())
    with pytest.raises(CommandError, match="has ended"):
        session.apply(EnterMove())
    session.apply(RateObjective(objective_id="obj", rating="performed with some challenges"))
    state = session.apply(AnswerHotWash(text="We rushed.", question_index=0))
    assert state.ratings["obj"].rating == "Performed with some challenges"
    assert state.hot_wash[0].text == "We rushed."


def test_going_back_to_the_rules_target_after_an_override_is_not_an_override(
    session: Session,
) -> None:
    session.apply(OverrideBranch(target="m2"))
    state = session.apply(EnterMove(move_id="m3"))  # what the rules said all along
    assert state.branches["m1"].overridden is False
    assert state.path[-1].via == "rule"


@pytest.mark.parametrize(
    ("start", "due", "words"),
    [
        ("", "next term", "is not a date"),
        ("2027-13-01", "", "is not a date"),
        ("2027-02-01", "2027-01-01", "before the start date"),
    ],
)
def test_plan_dates_are_dates(session: Session, start: str, due: str, words: str) -> None:
    """An improvement plan's start and due are YYYY-MM-DD or empty, and the due is not first."""
    from ttx.session.actions import AddImprovementItem, CommandError

    with pytest.raises(CommandError, match=words):
        session.apply(AddImprovementItem(issue="x", start=start, due=due))
    assert session.state.improvements == ()
    state = session.apply(AddImprovementItem(issue="x", start="2027-01-01", due="2027-01-31"))
    assert (state.improvements[0].start, state.improvements[0].due) == ("2027-01-01", "2027-01-31")
