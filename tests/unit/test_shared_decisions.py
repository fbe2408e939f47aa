"""A decision defined once and asked in several moves or variants (format 2 `asks:`)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.unit.session_helpers import playing
from ttx.api import Session
from ttx.cli import main
from ttx.session.actions import CommandError, CorrectDecision, EnterMove, RecordDecision
from ttx.session.branching import holds

SHARED_YAML = """\
format: 2
id: shared
title: Shared decisions
duration_minutes: 120
teams:
  - {id: city, name: City}
  - {id: county, name: County}
moves:
  - id: one
    title: The warning
    minutes: 20
    decisions:
      - id: timing
        prompt: When do you order the evacuation?
        resolve: {team: city}
        rationale_required: false
        options:
          - {id: early, label: Now, consequence: Roads fill early., goto: early}
          - {id: late, label: Tomorrow, consequence: The storm gains., goto: late}
      - id: priority
        prompt: What comes first?
        rationale_required: false
        resolve: {team: city}
        options:
          - {id: people, label: People, consequence: Shelters fill.}
          - {id: property, label: Property, consequence: Sandbags go out.}
  - id: early
    title: An early order
    minutes: 20
    branch_only: true
    decisions:
      - id: shelter
        prompt: Do you open the stadium as a shelter?
        rationale_required: false
        resolve: {team: county}
        options:
          - {id: open, label: Open it, consequence: Thousands shelter there.}
          - {id: keep_shut, label: Keep it shut, consequence: People drive inland.}
    next: [{goto: landfall}]
  - id: late
    title: A late order
    minutes: 20
    branch_only: true
    asks: [shelter]
    next: [{goto: landfall}]
  - id: landfall
    title: Landfall
    minutes: 20
    branch_only: true
    asks: [priority]
    injects:
      - id: stadium
        title: The stadium roof holds
        when: {decision: shelter, option: open}
      - id: sandbags
        title: Sandbags hold the river
        when: {decision: priority, option: property}
    next: [{goto: end}]
"""


def _write(tmp_path: Path, text: str = SHARED_YAML) -> Path:
    path = tmp_path / "shared.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_variants_share_a_decision_without_warnings(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["validate", str(_write(tmp_path))]) == 0
    assert "0 warnings" in capsys.readouterr().out
    # Without `asks`, a path through the late order skips the decision: warned.
    unshared = SHARED_YAML.replace("    asks: [shelter]\n", "")
    assert main(["validate", str(_write(tmp_path, unshared))]) == 0
    out = capsys.readouterr().out
    assert "depends on decision 'shelter' of move 'early', which some paths" in out


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("asks: [shelter]", "asks: [shelterr]", "move 'late' names an unknown decision 'shelterr' in `asks` — did you mean 'shelter'?"),
        ("asks: [shelter]", "asks: [shelter, shelter]", "warning: move 'late' asks decision 'shelter' twice"),
        ("format: 2", "format: 1", "`asks` in move 'late' is a format-2 field"),
    ],
)  # fmt: skip
def test_a_wrong_asks_is_reported(
    old: str, new: str, message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    main(["validate", str(_write(tmp_path, SHARED_YAML.replace(old, new, 1)))])
    assert message in capsys.readouterr().out


@pytest.fixture
def session() -> Iterator[Session]:
    with playing(SHARED_YAML) as s:
        yield s


def test_a_variant_asks_the_shared_decision_where_it_first_comes_up(session: Session) -> None:
    with pytest.raises(CommandError, match="is asked in moves 'early', 'late', which has not"):
        session.apply(RecordDecision(decision_id="shelter", team_id="county", option_id="open"))
    session.apply(RecordDecision(decision_id="timing", team_id="city", option_id="late"))
    session.apply(RecordDecision(decision_id="priority", team_id="city", option_id="people"))
    session.apply(EnterMove())
    assert session.state.current_move == "late"
    assert [d.id for d in session.state.exercise.decisions_in("late")] == ["shelter"]
    session.apply(RecordDecision(decision_id="shelter", team_id="county", option_id="open"))
    session.apply(EnterMove())
    # Conditions read the one answer, whichever move asked it.
    stadium = session.state.exercise.move("landfall").injects[0]
    assert stadium.when is not None and holds(stadium.when, session.state)


def test_a_later_asking_keeps_the_answer_and_allows_a_correction(session: Session) -> None:
    session.apply(RecordDecision(decision_id="timing", team_id="city", option_id="early"))
    session.apply(RecordDecision(decision_id="priority", team_id="city", option_id="people"))
    session.apply(EnterMove())
    session.apply(RecordDecision(decision_id="shelter", team_id="county", option_id="keep_shut"))
    session.apply(EnterMove())
    assert session.state.current_move == "landfall"
    sandbags = session.state.exercise.move("landfall").injects[1]
    assert sandbags.when is not None and not holds(sandbags.when, session.state)
    with pytest.raises(CommandError, match="has already answered 'priority'; correct the answer"):
        session.apply(RecordDecision(decision_id="priority", team_id="city", option_id="property"))
    session.apply(CorrectDecision(decision_id="priority", team_id="city", option_id="property"))
    record = session.state.decisions["priority"]
    assert record.records["city"].option_id == "property" and len(record.history) == 2
    assert holds(sandbags.when, session.state)


def test_the_guide_and_the_branch_module_carry_the_shared_decision(tmp_path: Path) -> None:
    from tests.report.pdfcheck import squash, text_of

    out = tmp_path / "out"
    assert main(["handouts", str(_write(tmp_path)), "-o", str(out)]) == 0
    guide = squash(text_of(out / "facilitator-guide.pdf"))
    assert squash("Asked again: first asked in Move 2A: An early order") in guide
    modules = squash(text_of(out / "branch-modules.pdf"))
    late = modules[modules.find(squash("A late order")) :]
    assert squash("Do you open the stadium as a shelter?") in late
