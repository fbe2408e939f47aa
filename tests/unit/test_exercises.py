"""The shipped exercises: each is valid, every move is reachable, every path reaches the end."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from tests.conftest import EXERCISES
from ttx.model import END, Exercise, check_file, load_exercise

SHIPPED = sorted(EXERCISES.glob("*.yaml"))
MAX_PATH_LENGTH = 50
"""No sensible exercise has more moves on one path; longer means a loop."""


def test_the_three_shipped_exercises_are_present() -> None:
    names = {p.name for p in SHIPPED}
    assert {"demo.yaml", "toolbox-test.yaml", "across-the-line.yaml"} <= names


def next_moves(exercise: Exercise, move_id: str) -> list[str]:
    """Every move (or `end`) the rules of a move can lead to, whatever was decided."""
    move = exercise.move(move_id)
    targets = [rule.goto for rule in move.next]
    if not any(rule.when is None for rule in move.next):
        # No default rule (or no rules): when nothing matches, play falls through in file order.
        targets.append(exercise.default_next(move_id))
    return list(dict.fromkeys(targets))


def all_paths(exercise: Exercise) -> list[list[str]]:
    """Every path of moves from the first move, following every rule target and default.

    A path that revisits a move or grows past MAX_PATH_LENGTH is returned with a
    trailing marker ("<loop>") so tests can report it.
    """
    paths: list[list[str]] = []
    stack: list[list[str]] = [[exercise.start_move()]]
    while stack:
        path = stack.pop()
        if len(path) > MAX_PATH_LENGTH:
            paths.append([*path, "<loop>"])
            continue
        for target in next_moves(exercise, path[-1]):
            if target == END:
                paths.append(path)
            elif target in path:
                paths.append([*path, target, "<loop>"])
            else:
                stack.append([*path, target])
    return paths


@pytest.fixture(params=SHIPPED, ids=lambda p: p.name)
def shipped(request: pytest.FixtureRequest) -> Path:
    path: Path = request.param
    return path


def test_loads_without_errors_or_warnings(shipped: Path) -> None:
    exercise, problems = check_file(shipped)
    assert exercise is not None
    assert problems == [], "\n".join(map(str, problems))
    # The flagship is format 2 (its frame: the five questions); the others stay format 1.
    assert load_exercise(shipped).format == (2 if shipped.stem == "across-the-line" else 1)


def test_first_line_points_editors_at_the_schema(shipped: Path) -> None:
    first = shipped.read_text(encoding="utf-8").splitlines()[0]
    assert first == "# yaml-language-server: $schema=../schema/exercise.schema.json"


def test_every_branch_path_reaches_the_end(shipped: Path) -> None:
    exercise = load_exercise(shipped)
    paths = all_paths(exercise)
    assert paths, "no path at all"
    loops = [p for p in paths if p[-1] == "<loop>"]
    assert loops == [], f"paths that never reach `end`: {loops}"
    for path in paths:
        assert path[0] == exercise.moves[0].id


def test_every_move_is_on_some_path(shipped: Path) -> None:
    exercise = load_exercise(shipped)
    visited = {move for path in all_paths(exercise) for move in path}
    unreachable = [m.id for m in exercise.moves if m.id not in visited]
    assert unreachable == [], f"moves no path reaches: {unreachable}"


def test_every_branch_rule_target_exists(shipped: Path) -> None:
    exercise = load_exercise(shipped)
    move_ids = {m.id for m in exercise.moves}
    for move in exercise.moves:
        for rule in move.next:
            assert rule.goto == END or rule.goto in move_ids, (move.id, rule.goto)


def test_every_option_is_costed_and_has_a_consequence(shipped: Path) -> None:
    exercise = load_exercise(shipped)
    for move in exercise.moves:
        for decision in move.decisions:
            for option in decision.options:
                assert option.consequence, f"{decision.id}.{option.id} has no consequence"


def test_demo_has_two_teams_and_two_moves_on_every_path() -> None:
    demo = load_exercise(EXERCISES / "demo.yaml")
    assert len(demo.teams) == 2
    paths = all_paths(demo)
    assert len(paths) >= 2, "the demo should branch"
    assert all(len(p) == 2 for p in paths), paths


def test_toolbox_allocation_over_lever_cards() -> None:
    toolbox = load_exercise(EXERCISES / "toolbox-test.yaml")
    student_teams = [t for t in toolbox.teams if t.played_by == "students"]
    assert 3 <= len(student_teams) <= 4
    briefings = {t.briefing for t in student_teams}
    assert len(briefings) == len(student_teams), "each team needs its own mandate"
    _, portfolio = toolbox.decision("portfolio")
    assert portfolio.kind == "allocation" and portfolio.resolve.mode == "each"
    assert portfolio.budget is not None
    assert len(portfolio.options) >= 10
    for lever in portfolio.options:
        assert lever.can and lever.cannot and lever.limits and lever.sources, lever.id
        assert lever.cost and lever.consequence and lever.effects, lever.id
    # Cards cannot all be funded at once: the budget forces a choice.
    assert sum(o.max or portfolio.budget for o in portfolio.options) > portfolio.budget
    assert sum(m.minutes for m in toolbox.moves) + toolbox.hot_wash.minutes == 75


def test_toolbox_year_two_cards_are_released_by_allocation_amounts() -> None:
    toolbox = load_exercise(EXERCISES / "toolbox-test.yaml")
    move_of = {d.id: m.id for m in toolbox.moves for d in m.decisions}
    conditional = [i for m in toolbox.moves for i in m.injects if i.when is not None]
    assert len(conditional) >= 6
    compared = 0
    for inject in conditional:
        assert inject.when is not None
        leaves = [inject.when] if inject.when.kind == "decision" else list(inject.when.all_ or [])
        for leaf in leaves:
            assert leaf.decision is not None
            # Released in a later move than the allocation it reads.
            assert move_of[leaf.decision] != "year_two"
            compared += bool(leaf.comparisons())
    assert compared >= len(conditional)


def _decisions_read(condition: object) -> set[str]:
    """Every decision id a condition reads, however deeply nested."""
    found: set[str] = set()
    stack = [condition]
    while stack:
        c = stack.pop()
        if c is None:
            continue
        if getattr(c, "decision", None):
            found.add(c.decision)  # type: ignore[attr-defined]
        stack += list(getattr(c, "all_", None) or []) + list(getattr(c, "any_", None) or [])
        stack.append(getattr(c, "not_", None))
    return found


def test_flagship_blowback_follows_what_the_red_cell_chose() -> None:
    """Retaliation cards of moves 3A and 3B fire only on the red cell's matching choice (issue 14)."""
    flagship = load_exercise(EXERCISES / "across-the-line.yaml")
    for move_id, inject_ids in {
        "m3a": ["m3a_blockade", "m3a_home_threats", "m3a_data_leak"],
        "m3b": ["m3b_families", "m3b_cyber", "m3b_us_casualty", "m3b_exposed"],
    }.items():
        injects = {i.id: i for i in flagship.move(move_id).injects}
        for inject_id in inject_ids:
            assert "networks_respond" in _decisions_read(injects[inject_id].when), inject_id


def test_flagship_state_triggers_bill_restraint_as_well_as_escalation() -> None:
    flagship = load_exercise(EXERCISES / "across-the-line.yaml")
    triggers = [i.when for i in flagship.move("m4").injects if i.when is not None and i.when.state]
    assert any(c.state == "supply" and c.lte is not None for c in triggers)
    assert any(c.state in ("trust", "violence", "homeland") for c in triggers)


def test_toolbox_no_card_only_for_leaving_a_lever_unfunded_and_no_clashing_pair() -> None:
    toolbox = load_exercise(EXERCISES / "toolbox-test.yaml")
    cards = {i.id: i for i in toolbox.move("year_two").injects if i.when is not None}
    for card in cards.values():
        assert card.when is not None
        assert not (card.when.kind == "decision" and card.when.eq == 0), card.id
    # "A vetted unit delivers" (Mexico takes the credit) never comes with "Mexico suspends cooperation".
    vetted = cards["card_vetted_unit"].when
    assert vetted is not None
    leaves = list(vetted.all_ or [])
    assert any(c.option == "unilateral_strikes" and c.eq == 0 for c in leaves)


def test_toolbox_challenge_round_addresses_one_team_each() -> None:
    toolbox = load_exercise(EXERCISES / "toolbox-test.yaml")
    challenges = [q for m in toolbox.moves for q in m.questions if "Challenge round" in q.tags]
    student_ids = {t.id for t in toolbox.teams if t.played_by == "students"}
    assert {tuple(q.teams) for q in challenges} == {(t,) for t in student_ids}


def test_path_walker_detects_a_loop_and_an_unreachable_move(tmp_path: Path) -> None:
    # The walker itself must be able to fail: a loop without `end` and a stranded move.
    demo = load_exercise(EXERCISES / "demo.yaml")
    working = demo.move("working")
    looped = working.model_copy(
        update={"next": [working.next[0].model_copy(update={"goto": "offer"})]}
    )
    broken = demo.model_copy(update={"moves": [demo.moves[0], looped, demo.moves[2]]})
    assert any(p[-1] == "<loop>" for p in all_paths(broken))
    offer = demo.moves[0].model_copy(update={"next": [demo.moves[0].next[1]]})
    stranded = demo.model_copy(update={"moves": [offer, *demo.moves[1:]]})
    visited = {m for p in all_paths(stranded) for m in p}
    assert "strained" not in visited


# --- the authoring guide's examples ----------------------------------------------------

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "authoring.md"


def _yaml_blocks(text: str) -> list[str]:
    blocks = []
    for chunk in text.split("```yaml\n")[1:]:
        blocks.append(chunk.split("\n```", 1)[0] + "\n")
    return blocks


def test_guide_worked_example_is_the_demo_and_validates(tmp_path: Path) -> None:
    text = GUIDE.read_text(encoding="utf-8")
    marker = "<!-- worked-example"
    assert marker in text
    example = _yaml_blocks(text.split(marker, 1)[1])[0]
    path = tmp_path / "example.yaml"
    path.write_text(example, encoding="utf-8")
    exercise, problems = check_file(path)
    assert problems == [], "\n".join(map(str, problems))
    assert exercise is not None
    demo = load_exercise(EXERCISES / "demo.yaml")
    assert exercise.model_dump() == demo.model_dump(), "the guide's example drifted from demo.yaml"


def test_guide_yaml_snippets_parse() -> None:
    blocks = _yaml_blocks(GUIDE.read_text(encoding="utf-8"))
    assert len(blocks) >= 4
    for block in blocks:
        assert yaml.safe_load(block) is not None, block[:80]


# --- the toolbox played through the session engine --------------------------------------

PORTFOLIOS = {
    "white_house": {
        "unilateral_strikes": 3,
        "demand_reduction": 3,
        "border_troops": 2,
        "intel_support": 2,
    },
    "defense": {"maritime_interdiction": 4, "intel_support": 3, "partner_capacity": 3},
    "justice_treasury": {
        "threat_finance": 4,
        "anti_corruption": 2,
        "intel_support": 2,
        "arms_precursors": 2,
    },
    "state_usaid": {
        "partner_capacity": 3,
        "anti_corruption": 3,
        "economic_development": 2,
        "demand_reduction": 2,
    },
}
EXPECTED_CARDS = {
    "white_house": {
        "card_strike_results",
        "card_sovereignty",
        "card_retaliation",
        "card_demand_progress",
        "card_leak",
        "card_border_hearing",
    },
    "defense": {"card_whack_a_mole", "card_vetted_unit"},
    "justice_treasury": {"card_cash_squeeze", "card_guns", "card_no_headline"},
    "state_usaid": {"card_demand_progress", "card_development", "card_no_headline"},
}


def test_toolbox_session_deals_each_team_the_cards_its_portfolio_earned() -> None:
    from ttx.api import CommandError, open_journal
    from ttx.session.actions import EnterMove, RecordDecision, ReleaseInject

    with open_journal() as journal:
        session = journal.create_session(EXERCISES / "toolbox-test.yaml")
        session.apply(EnterMove())
        for team, allocation in PORTFOLIOS.items():
            assert sum(allocation.values()) == 10
            session.apply(
                RecordDecision(
                    decision_id="portfolio", team_id=team, allocation=allocation, rationale="goal"
                )
            )
        state = session.apply(EnterMove())
        assert state.current_move == "year_two"
        cards = [i.id for i in state.exercise.move("year_two").injects if i.when is not None]
        for card in cards:
            earned_by_someone = any(card in cards_of for cards_of in EXPECTED_CARDS.values())
            if earned_by_someone:
                state = session.apply(ReleaseInject(inject_id=card))
            else:  # a card no portfolio earned is refused unless the facilitator forces it
                with pytest.raises(CommandError):
                    session.apply(ReleaseInject(inject_id=card))
        received: dict[str, set[str]] = {team: set() for team in PORTFOLIOS}
        for release in state.injects:
            for team in release.to:
                received[team].add(release.inject_id)
        session.close()
    assert received == EXPECTED_CARDS


# The mistakes shown in docs/authoring.md section 9, each made in a copy of the demo.
# The guide quotes `tabletop validate` verbatim; this keeps the quotes true.
GUIDE_MISTAKES: dict[str, list[tuple[str, str]]] = {
    "unknown_key": [
        ("    injects:\n      - id: offer_cable", "    injets:\n      - id: offer_cable")
    ],
    "colon_in_text": [
        (
            "        brief: Chair the discussion and keep the team to time.",
            "        brief: Chair the discussion: keep the team to time.",
        )
    ],
    "colon_in_list": [
        (
            "      - Show visible progress within the year.",
            "      - Goal: show visible progress within the year.",
        )
    ],
    "unknown_team": [
        (
            "        to: [us]\n        body: One partner unit",
            "        to: [usa]\n        body: One partner unit",
        )
    ],
    "no_consequence": [
        ("            consequence: Cooperation stays thin; Washington is frustrated.\n", "")
    ],
    "bad_goto": [("        goto: strained", "        goto: strainde")],
    "bad_option_in_condition": [
        (
            "      - when: {decision: opening, option: pressure}",
            "      - when: {decision: opening, option: pressur}",
        )
    ],
    "bad_id": [("  - id: working\n", "  - id: Working Partnership\n")],
    "tab": [("    min: 0\n    max: 5\n", "    min: 0\n\tmax: 5\n")],
    "duplicate_id": [("      - id: leak_warning", "      - id: offer_cable")],
    "duplicate_key": [
        ("    scenario_time: Month 0\n", "    scenario_time: Month 0\n    scenario_time: Month 1\n")
    ],
    "alloc_no_budget": [
        (
            "      - id: posture\n        prompt: How far does Mexico go?",
            "      - id: posture\n        prompt: How far does Mexico go?\n        kind: allocation",
        )
    ],
    "resolve_team": [("        resolve: {team: us}\n", "        resolve: team\n")],
    "effects_unknown_track": [
        ("            effects: {trust: -2}", "            effects: {trsut: -2}")
    ],
    "objective_unserved": [
        (
            "  - id: partner\n    text: Weigh",
            "  - id: evidence\n    text: Cite evidence.\n  - id: partner\n    text: Weigh",
        )
    ],
    "cond_two_forms": [
        (
            "      - when: {decision: opening, option: pressure}",
            "      - when: {decision: opening, option: pressure, state: trust, lte: 1}",
        )
    ],
    "number_as_text": [("    title: The offer\n", "    title: 1984\n")],
    "missing_title": [("    title: A strained partnership\n", "")],
    "to_wrong": [
        (
            "        to: all\n        body: |\n          Mexico proposes",
            "        to: everyone\n        body: |\n          Mexico proposes",
        )
    ],
    "no_default": [("      - goto: working\n", "")],
    "bad_indent": [
        (
            "          - id: intel_only\n            label: Intelligence sharing only",
            "          - id: intel_only\n           label: Intelligence sharing only",
        )
    ],
    "later_decision": [
        (
            "        when: {decision: posture, option: intel_only}",
            "        when: {decision: repair, option: lift}",
        )
    ],
    "compare_choice": [
        (
            "      - when: {decision: opening, option: pressure}",
            "      - when: {decision: opening, option: pressure, gte: 2}",
        )
    ],
    "state_range": [("    start: 3\n", "    start: 7\n")],
}


@pytest.mark.parametrize("case", sorted(GUIDE_MISTAKES))
def test_guide_quotes_validate_output_verbatim(
    case: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from ttx.cli import main

    text = (EXERCISES / "demo.yaml").read_text(encoding="utf-8")
    for old, new in GUIDE_MISTAKES[case]:
        assert old in text, f"demo.yaml changed; update GUIDE_MISTAKES[{case!r}]"
        text = text.replace(old, new, 1)
    (tmp_path / "my-exercise.yaml").write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert main(["validate", "-q", "my-exercise.yaml"]) == 1
    lines = [
        line for line in capsys.readouterr().out.splitlines() if line.startswith("my-exercise")
    ]
    assert lines
    guide = GUIDE.read_text(encoding="utf-8")
    for line in lines:
        assert line in guide, f"docs/authoring.md no longer matches `tabletop validate`:\n{line}"


def test_guide_documents_every_field_of_the_format() -> None:
    from pydantic import BaseModel

    from ttx.model import conditions, decision_point, moves
    from ttx.model import exercise as fmt
    from ttx.model.decision_point import Resolve
    from ttx.model.fields import Node

    guide = GUIDE.read_text(encoding="utf-8")
    rows = [line for line in guide.splitlines() if line.startswith("| `")]
    documented = {
        name
        for row in rows
        for name in row.split("|")[1].replace(",", " ").split()
        if name.startswith("`")
    }
    documented = {name.strip("`") for name in documented}
    missing = []
    models = {
        m
        for module in (fmt, moves, decision_point, conditions)
        for m in vars(module).values()
        if isinstance(m, type)
    }
    for model in sorted(models, key=lambda m: getattr(m, "__name__", "")):
        if isinstance(model, type) and issubclass(model, Node) and model not in (Node, Resolve):
            assert issubclass(model, BaseModel)
            for name, info in model.model_fields.items():
                key = info.alias or name
                if key not in documented:
                    missing.append(f"{model.__name__}.{key}")
    assert missing == [], f"fields without a row in docs/authoring.md: {missing}"
