"""A shared pool (format 2): proposals merged by largest remainder, so no unit vanishes."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.unit.session_helpers import playing
from ttx.api import Session
from ttx.cli import main
from ttx.session.actions import (
    CommandError,
    CorrectDecision,
    RecordDecision,
    SettleAllocation,
    Undo,
)
from ttx.session.pool import largest_remainder, pro_rata

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
    with playing(POOL_YAML) as s:
        yield s


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
        (
            "must_spend_all: true}",
            "kind: contested}",
            "a contested pool is settled `pro_rata` or by the `facilitator`, not "
            "`largest_remainder` — write `resolve: pro_rata` or `resolve: facilitator`",
        ),
        (
            "must_spend_all: true}",
            "kind: contested, must_spend_all: true}",
            "`must_spend_all` applies to a split (in a contested pool each team requests "
            "what it needs) — remove `must_spend_all:`",
        ),
        (
            "resolve: largest_remainder",
            "resolve: pro_rata",
            "`resolve: pro_rata` settles a contested pool",
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


# -- a contested pool: teams request units; requests beyond the pool are settled --

TEAMS = ["city", "county", "state"]


@given(
    st.integers(min_value=1, max_value=40),
    st.lists(
        st.fixed_dictionaries({o: st.integers(0, 15) for o in OPTIONS}), min_size=1, max_size=5
    ),
)
def test_pro_rata_units_in_equal_units_out(total: int, asks: list[dict[str, int]]) -> None:
    teams = [f"t{i}" for i in range(len(asks))]
    requests = dict(zip(teams, asks, strict=True))
    grants = pro_rata(requests, total, teams)
    requested = sum(sum(a.values()) for a in asks)
    granted = sum(sum(g.values()) for g in grants.values())
    assert granted == min(total, requested)  # no unit vanishes, none is invented
    for team, ask in requests.items():
        for option, points in ask.items():
            assert 0 <= grants[team][option] <= points
            if requested > total:  # each request gets its share, rounded down or up
                share = points * total / requested
                assert int(share) <= grants[team][option] <= int(share) + 1


CONTESTED_YAML = POOL_YAML.replace(
    "pool: {units: buses, total: 10, must_spend_all: true}",
    "pool: {units: buses, total: 10, kind: contested}",
).replace("resolve: largest_remainder", "resolve: pro_rata")


def test_over_requests_of_a_contested_pool_are_settled_pro_rata(tmp_path: Path) -> None:
    path = tmp_path / "contested.yaml"
    path.write_text(CONTESTED_YAML, encoding="utf-8")
    assert main(["validate", "--quiet", str(path)]) == 0
    with playing(CONTESTED_YAML) as s:
        for team, ask in (
            ("city", {"north": 6}),
            ("county", {"south": 5}),
            ("state", {"east": 3, "north": 1}),
        ):
            s.apply(RecordDecision(decision_id="buses", team_id=team, allocation=ask))
        outcome = s.state.decisions["buses"].outcome
        assert outcome.status == "resolved" and outcome.by == "pro_rata"
        assert outcome.grants == {
            "city": {"north": 4},
            "county": {"south": 3},
            "state": {"east": 2, "north": 1},
        }
        assert outcome.allocation == {"north": 5, "south": 3, "east": 2}
        assert sum(outcome.allocation.values()) == 10
        # A request that fits is granted as it stands.
        s.apply(CorrectDecision(decision_id="buses", team_id="city", allocation={"north": 1}))
        assert s.state.decisions["buses"].outcome.grants == {
            "city": {"north": 1},
            "county": {"south": 5},
            "state": {"east": 3, "north": 1},
        }


def test_a_team_condition_reads_what_the_team_was_granted() -> None:
    from ttx.model.conditions import Condition
    from ttx.session.branching import holds

    with playing(CONTESTED_YAML) as s:
        for team, ask in (("city", {"north": 10}), ("county", {"north": 10}), ("state", {})):
            s.apply(RecordDecision(decision_id="buses", team_id=team, allocation=ask))
        got = Condition(decision="buses", team="city", option="north", gte=6)
        assert not holds(got, s.state)  # it asked for 10 but was granted 5
        assert holds(Condition(decision="buses", team="city", option="north", eq=5), s.state)


FACILITATOR_SPLIT = POOL_YAML.replace("resolve: largest_remainder", "resolve: facilitator")


def test_the_facilitator_sets_the_split_seeing_every_proposal() -> None:
    with playing(FACILITATOR_SPLIT) as s:
        for team, split in (
            ("city", {"north": 10}),
            ("county", {"south": 10}),
            ("state", {"north": 5, "east": 5}),
        ):
            s.apply(RecordDecision(decision_id="buses", team_id=team, allocation=split))
        decision = s.state.decisions["buses"]
        assert decision.outcome.status == "needs_ruling"  # every proposal is in, none chosen
        assert len(decision.records) == 3
        with pytest.raises(CommandError, match="places 9 of the 10 buses"):
            s.apply(SettleAllocation(decision_id="buses", allocation={"north": 9}))
        with pytest.raises(CommandError, match="set the split without a team"):
            s.apply(SettleAllocation(decision_id="buses", allocation={"north": 10}, team_id="city"))
        s.apply(SettleAllocation(decision_id="buses", allocation={"north": 6, "south": 4}))
        outcome = s.state.decisions["buses"].outcome
        assert outcome.status == "resolved" and outcome.by == "facilitator"
        assert outcome.allocation == {"north": 6, "south": 4}
        assert "shared out by the facilitator: North shelters 6, South shelters 4" in (
            s.state.timeline[-1].text
        )
        s.apply(Undo())
        assert s.state.decisions["buses"].outcome.status == "needs_ruling"


def test_the_facilitator_grants_a_contested_pool_team_by_team() -> None:
    text = CONTESTED_YAML.replace("resolve: pro_rata", "resolve: facilitator")
    with playing(text) as s:
        for team in TEAMS:
            s.apply(RecordDecision(decision_id="buses", team_id=team, allocation={"north": 6}))
        with pytest.raises(CommandError, match="name the team whose grant this is"):
            s.apply(SettleAllocation(decision_id="buses", allocation={"north": 2}))
        s.apply(SettleAllocation(decision_id="buses", team_id="city", allocation={"north": 6}))
        with pytest.raises(CommandError, match="would give out 11 of the 10 buses; take 1 off"):
            s.apply(
                SettleAllocation(decision_id="buses", team_id="county", allocation={"north": 5})
            )
        s.apply(SettleAllocation(decision_id="buses", team_id="county", allocation={"north": 4}))
        assert s.state.decisions["buses"].outcome.status == "needs_ruling"
        s.apply(SettleAllocation(decision_id="buses", team_id="state", allocation={}))
        outcome = s.state.decisions["buses"].outcome
        assert outcome.status == "resolved" and outcome.allocation == {
            "north": 10,
            "south": 0,
            "east": 0,
        }
        assert outcome.grants == {"city": {"north": 6}, "county": {"north": 4}, "state": {}}
