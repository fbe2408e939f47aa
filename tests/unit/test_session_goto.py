"""Format 2 in a session: an option's `goto` steers the story before `next`; polls need no consequence."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from ttx.api import Session, open_journal
from ttx.model.exercise import Exercise
from ttx.model.validate import check_file
from ttx.model.views import participant_view
from ttx.session.actions import EnterMove, RecordDecision, RuleDecision
from ttx.session.clock import FakeClock
from ttx.session.event_text import Describer
from ttx.session.events import BranchResolved

GOTO_YAML = """
format: 2
id: evacuation
title: Evacuation
duration_minutes: 90
objectives:
  - {id: timing, text: Weigh the timing of the order.}
teams:
  - {id: city, name: City}
  - {id: county, name: County}
  - {id: state, name: State}
moves:
  - id: warning
    title: The warning
    decisions:
      - id: confidence
        prompt: How confident are you?
        poll: true
        rationale_required: false
        options:
          - {id: high, label: Confident}
          - {id: low, label: Not confident}
      - id: order
        prompt: When does the order go out?
        resolve: majority
        rationale_required: false
        objectives: [timing]
        options:
          - {id: now, label: Order it now, consequence: Roads clog., goto: early}
          - {id: wait, label: Wait twelve hours, consequence: Less time., goto: late}
          - {id: never, label: Do not order, consequence: People stay.}
    next:
      - {when: {decision: order, option: [wait, never]}, goto: middle}
      - goto: end
  - id: middle
    title: Somewhere in between
    branch_only: true
    next: [{goto: end}]
  - id: early
    title: An early order
    branch_only: true
    next: [{goto: end}]
  - id: late
    title: A late order
    branch_only: true
    next: [{goto: end}]
"""


@pytest.fixture
def session() -> Iterator[Session]:
    with open_journal() as journal:
        s = journal.create_session(
            Exercise.model_validate(yaml.safe_load(GOTO_YAML)), clock=FakeClock()
        )
        s.apply(EnterMove())
        yield s
        s.close()


def vote(session: Session, *options: str) -> None:
    for team, option in zip(("city", "county", "state"), options, strict=True):
        session.apply(RecordDecision(decision_id="order", team_id=team, option_id=option))


def test_the_exercise_validates(tmp_path: Path) -> None:
    path = tmp_path / "goto.yaml"
    path.write_text(GOTO_YAML, encoding="utf-8")
    exercise, problems = check_file(path)
    assert exercise is not None and [p for p in problems if p.severity == "error"] == []


@pytest.mark.parametrize(
    ("options", "target", "rule_index", "when"),
    [
        (("now", "now", "wait"), "early", 0, {"decision": "order", "option": "now"}),
        # the option's goto comes before the move's own rule for the same option
        (("wait", "wait", "now"), "late", 1, {"decision": "order", "option": "wait"}),
        # an option without goto: the move's `next` rules apply
        (
            ("never", "never", "now"),
            "middle",
            2,
            {"decision": "order", "option": ["wait", "never"]},
        ),
    ],
)
def test_a_chosen_option_with_goto_leads_to_its_move(
    session: Session, options: tuple[str, ...], target: str, rule_index: int, when: dict[str, Any]
) -> None:
    vote(session, *options)
    preview = session.branch_preview()
    assert preview is not None and (preview.target, preview.rule_index) == (target, rule_index)
    assert preview.rule_when == when
    state = session.apply(EnterMove())
    assert state.current_move == target and state.path[-1].via == "rule"
    branch = state.branches["warning"]
    assert (branch.target, branch.overridden) == (target, False)


def test_an_unresolved_decision_matches_no_goto_until_the_ruling(session: Session) -> None:
    vote(session, "now", "wait", "never")  # a three-way tie: the facilitator rules
    preview = session.branch_preview()
    assert preview is not None and preview.target == "end" and "order" in preview.waiting
    session.apply(RuleDecision(decision_id="order", option_id="now", reason="tie"))
    preview = session.branch_preview()
    assert preview is not None and preview.target == "early" and preview.waiting == ()


def test_the_journal_names_the_option_that_led_there(session: Session) -> None:
    vote(session, "now", "now", "now")
    session.apply(EnterMove())
    resolved = [e for e in session.events if isinstance(e, BranchResolved)]
    assert resolved[-1].target == "early"
    text = Describer(session.state.exercise)(resolved[-1])
    assert text == "Branch after The warning: rules say An early order (option Order it now)"


def test_a_poll_is_answered_without_consequences(session: Session) -> None:
    state = session.apply(RecordDecision(decision_id="confidence", team_id="city", option_id="low"))
    assert state.decisions["confidence"].records["city"].option_id == "low"


def test_participants_never_see_where_a_choice_leads() -> None:
    view = participant_view(Exercise.model_validate(yaml.safe_load(GOTO_YAML)))
    assert all(o.goto is None for m in view.moves for d in m.decisions for o in d.options)
