"""A pool on the console (format 2): its units named, and the facilitator sharing it out."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from textual.widgets import Input, Static

from tests.tui.conftest import Harness, wait_for, wait_screen
from tests.tui.test_decisions import open_decision
from tests.unit.test_pool import FACILITATOR_SPLIT, POOL_YAML
from ttx.api import open_journal
from ttx.session import actions as cmd
from ttx.tui.app import TtxApp


def state(app: TtxApp) -> Any:
    assert app.session is not None
    return app.session.state


def _begin(harness: Harness, tmp_path: Path, text: str, *steps: Any) -> None:
    source = tmp_path / "buses.yaml"
    source.write_text(text, encoding="utf-8")
    with open_journal(harness.journal) as journal:
        session = journal.create_session(source, clock=harness.clock)
        for step in (cmd.EnterMove(), *steps):
            session.apply(step)
        session.close()


async def _record_and_confirm(pilot: Pilot[Any]) -> None:
    """Record what the decision dialog holds and say yes to its restating confirm."""
    await pilot.press("ctrl+s")
    await wait_screen(pilot, "ConfirmDialog")
    await pilot.press("y")


async def _resolved(pilot: Pilot[Any], app: TtxApp, what: str) -> None:
    """Wait until the pool's outcome is resolved."""
    await wait_for(pilot, lambda: state(app).decisions["buses"].outcome.status == "resolved", what)


async def test_the_decision_dialog_counts_the_pool_in_its_units(
    harness: Harness, tmp_path: Path
) -> None:
    _begin(harness, tmp_path, POOL_YAML)
    app = harness.app(start="resume")
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_screen(pilot, "ConsoleScreen")
        await open_decision(pilot, "1")
        assert "Allocate 10 buses" in str(app.screen.query_one("#alloc-budget", Static).render())
        await pilot.press("4", "enter", "3", "enter")
        await wait_for(
            pilot,
            lambda: (
                "Allocated 7 of 10 buses"
                in str(app.screen.query_one("#alloc-total", Static).render())
            ),
            "the running total in buses",
        )


async def test_the_facilitator_sets_the_split_seeing_every_proposal(
    harness: Harness, tmp_path: Path
) -> None:
    proposals = {
        "city": {"north": 10},
        "county": {"south": 10},
        "state": {"north": 5, "east": 5},
    }
    _begin(
        harness,
        tmp_path,
        FACILITATOR_SPLIT,
        *(
            cmd.RecordDecision(decision_id="buses", team_id=t, allocation=a)
            for t, a in proposals.items()
        ),
    )
    app = harness.app(start="resume")
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_screen(pilot, "ConsoleScreen")
        assert state(app).decisions["buses"].outcome.status == "needs_ruling"
        await pilot.press("m")
        await wait_screen(pilot, "ChoiceDialog")
        shown = " ".join(str(s.render()) for s in app.screen.query(Static))
        assert "Your split of the 10 buses" in shown
        for line in ("City: North shelters 10", "County: South shelters 10"):
            assert line in shown
        assert "State: North shelters 5, East shelters 5" in shown
        await pilot.press("4")  # start from the teams' mean: 5 / 3 / 2 (largest remainder)
        await wait_screen(pilot, "DecisionDialog")
        fields = {o: app.screen.query_one(f"#alloc-{o}", Input) for o in ("north", "south", "east")}
        assert [f.value for f in fields.values()] == ["5", "3", "2"]
        fields["north"].value = "4"
        fields["south"].value = "4"
        await _record_and_confirm(pilot)
        await _resolved(pilot, app, "the facilitator's split")
        outcome = state(app).decisions["buses"].outcome
        assert outcome.by == "facilitator"
        assert outcome.allocation == {"north": 4, "south": 4, "east": 2}
        await pilot.press("escape")  # the branch dialog that follows
        await wait_for(
            pilot,
            lambda: (
                "⇒ North shelters 4, South shelters 4, East shelters 2 · buses (facilitator)"
                in str(app.screen.query_one("#team-status", Static).render())
            ),
            "the split on the team panel",
        )


async def test_a_decision_asked_again_shows_its_answer_and_takes_a_correction(
    harness: Harness, tmp_path: Path
) -> None:
    from tests.unit.test_shared_decisions import SHARED_YAML

    _begin(
        harness,
        tmp_path,
        SHARED_YAML,
        cmd.RecordDecision(decision_id="timing", team_id="city", option_id="early"),
        cmd.RecordDecision(decision_id="priority", team_id="city", option_id="people"),
        cmd.EnterMove(),
        cmd.RecordDecision(decision_id="shelter", team_id="county", option_id="open"),
        cmd.EnterMove(),
    )
    app = harness.app(start="resume")
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_screen(pilot, "ConsoleScreen")
        assert state(app).current_move == "landfall"
        questions = str(app.screen.query_one("#questions", Static).render())
        assert "Decision (asked again): What comes first?" in questions
        assert "Answered already: City: People" in questions
        await pilot.press("c")
        await wait_screen(pilot, "ChoiceDialog")
        shown = " ".join(str(s.render()) for s in app.screen.query(Static))
        assert "Correct which answer?" in shown


async def test_the_facilitator_grants_a_contested_pool_team_by_team(
    harness: Harness, tmp_path: Path
) -> None:
    from tests.unit.test_pool import CONTESTED_YAML

    asks = {"city": {"north": 6}, "county": {"south": 6}, "state": {"east": 3}}
    _begin(
        harness,
        tmp_path,
        CONTESTED_YAML.replace("resolve: pro_rata", "resolve: facilitator"),
        *(
            cmd.RecordDecision(decision_id="buses", team_id=t, allocation=a)
            for t, a in asks.items()
        ),
    )
    app = harness.app(start="resume")
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_screen(pilot, "ConsoleScreen")
        await pilot.press("m")
        for team, grant in (("City", "4"), ("County", "4"), ("State", "2")):

            def asks_for(team: str = team) -> bool:
                if type(app.screen).__name__ != "DecisionDialog":
                    return False
                title = str(app.screen.query_one("#decision-title").render())
                return f"{team}'s grant (asked:" in title

            await wait_for(pilot, asks_for, f"{team}'s grant")
            box = next(
                f for f in app.screen.query(Input) if f.id and f.id.startswith("alloc-") and f.value
            )
            assert box.value in {"4", "2"}  # the pro-rata share of 15 asked for 10 buses
            box.value = grant
            await _record_and_confirm(pilot)
        await _resolved(pilot, app, "every grant")
        outcome = state(app).decisions["buses"].outcome
        assert outcome.grants == {
            "city": {"north": 4, "south": 0, "east": 0},
            "county": {"north": 0, "south": 4, "east": 0},
            "state": {"north": 0, "south": 0, "east": 2},
        }
