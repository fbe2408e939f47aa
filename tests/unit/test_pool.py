"""A shared pool (format 2): proposals merged by largest remainder, so no unit vanishes."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from ttx.api import Session, open_journal
from ttx.cli import main
from ttx.model.exercise import Exercise
from ttx.session.clock import FakeClock
from ttx.session.commands import CommandError, EnterMove, RecordDecision
from ttx.session.pool import largest_remainder

OPTIONS = ["north", "south", "east", "west"]


@st.composite
def proposals(draw: st.DrawFn) -> tuple[int, list[dict[str, int]]]:
    total = draw(st.integers(min_value=1, max_value=60))
    teams = draw(st.integers(min_value=1, max_value=7))
    split = []
    for _ in range(teams):
        cuts = sorted(draw(st.lists(st.integers(0, total), min_size=3, max_size=3)))
        bounds = [0, *cuts, total]
        split.append({o: bounds[i + 1] - bounds[i] for i, o in enumerate(OPTIONS)})
    return total, split


@given(proposals())
def test_units_in_equal_units_out_when_every_team_spends_the_pool(
    case: tuple[int, list[dict[str, int]]],
) -> None:
    total, split = case
    merged = largest_remainder(split, OPTIONS)
    assert sum(merged.values()) == total
    assert set(merged) == set(OPTIONS) and all(v >= 0 for v in merged.values())
    for option in OPTIONS:  # each option gets its mean, rounded down or up
        mean = sum(p[option] for p in split) / len(split)
        assert int(mean) <= merged[option] <= int(mean) + 1


@given(
    st.lists(st.fixed_dictionaries({o: st.integers(0, 9) for o in OPTIONS}), min_size=1, max_size=6)
)
def test_a_partly_spent_pool_keeps_the_mean_spent(split: list[dict[str, int]]) -> None:
    merged = largest_remainder(split, OPTIONS)
    mean_spent = sum(sum(p.values()) for p in split) / len(split)
    assert sum(merged.values()) == int(mean_spent + 0.5)


def test_the_issue_case_keeps_all_ten_buses() -> None:
    split = [{"a": 4, "b": 3, "c": 3}, {"a": 3, "b": 3, "c": 4}, {"a": 4, "b": 2, "c": 4}]
    assert largest_remainder(split, ["a", "b", "c"]) == {"a": 4, "b": 3, "c": 3}


POOL_YAML = """
format: 2
id: buses
title: Buses
duration_minutes: 60
teams:
  - {id: city, name: City}
  - {id: county, name: County}
  - {id: state, name: State}
moves:
  - id: one
    title: One
    decisions:
      - id: buses
        prompt: Split the ten school buses.
        kind: allocation
        pool: {units: buses, total: 10, must_spend_all: true}
        resolve: largest_remainder
        rationale_required: false
        options:
          - {id: north, label: North shelters, consequence: North clears first.}
          - {id: south, label: South shelters, consequence: South clears first.}
          - {id: east, label: East shelters, consequence: East clears first.}
    next: [{goto: end}]
"""


@pytest.fixture
def session() -> Iterator[Session]:
    with open_journal() as journal:
        exercise = Exercise.model_validate(yaml.safe_load(POOL_YAML))
        s = journal.create_session(exercise, clock=FakeClock())
        s.apply(EnterMove())
        yield s
        s.close()


def test_the_room_outcome_spends_the_whole_pool(session: Session) -> None:
    for team, split in (
        ("city", {"north": 4, "south": 3, "east": 3}),
        ("county", {"north": 3, "south": 3, "east": 4}),
        ("state", {"north": 4, "south": 2, "east": 4}),
    ):
        session.apply(RecordDecision(decision_id="buses", team_id=team, allocation=split))
    outcome = session.state.decisions["buses"].outcome
    assert outcome.status == "resolved" and outcome.by == "largest_remainder"
    assert outcome.allocation == {"north": 4, "south": 3, "east": 3}


def test_must_spend_all_refuses_a_proposal_with_units_left(session: Session) -> None:
    with pytest.raises(CommandError, match="places 9 of the 10 buses"):
        session.apply(
            RecordDecision(decision_id="buses", team_id="city", allocation={"north": 5, "south": 4})
        )
    with pytest.raises(CommandError, match="spends 11 buses"):
        session.apply(
            RecordDecision(decision_id="buses", team_id="city", allocation={"north": 6, "south": 5})
        )


def test_the_pool_validates_and_is_format_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "buses.yaml"
    path.write_text(POOL_YAML, encoding="utf-8")
    assert main(["validate", str(path)]) == 0
    path.write_text(POOL_YAML.replace("format: 2", "format: 1"), encoding="utf-8")
    assert main(["validate", str(path)]) == 1
    out = capsys.readouterr().out
    assert "`pool` in move 'one' › decision 'buses' is a format-2 field" in out
    assert "`resolve: largest_remainder` is format 2, but this file is `format: 1`" in out


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "        pool: {units: buses, total: 10, must_spend_all: true}\n",
            "        pool: {units: buses, total: 10}\n        budget: 8\n",
            "`budget:` (8) and the pool's `total:` (10) differ — remove `budget:`",
        ),
        (
            "        kind: allocation\n",
            "        kind: choice\n",
            "`pool:` only applies to `kind: allocation` — remove it or set the kind",
        ),
    ],
)
def test_a_pool_set_up_wrongly_says_how_to_fix_it(
    old: str, new: str, message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "buses.yaml"
    path.write_text(POOL_YAML.replace(old, new, 1), encoding="utf-8")
    assert main(["validate", str(path)]) == 1
    assert message in capsys.readouterr().out
