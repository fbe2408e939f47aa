"""Semantic checks and the report `tabletop validate` prints: warnings, placement, summary, exit codes."""

from __future__ import annotations

from pathlib import Path

import pytest

from ttx.cli import main
from ttx.model import ExerciseError, load_exercise
from ttx.model.problems import Problem
from ttx.model.validate import check_file, describe

ROOT = Path(__file__).resolve().parent.parent.parent
BASE = """\
format: 1
id: small
title: A small exercise
duration_minutes: 180
objectives:
  - {id: end_state, text: State the end state first.}
state:
  - {id: trust, label: Partner trust, min: 0, max: 5, start: 3}
teams:
  - {id: red, name: Red team}
  - {id: blue, name: Blue team}
  - {id: cell, name: Red cell, played_by: facilitator}
moves:
  - id: opening
    title: The opening
    questions:
      - {text: What does success look like?, objectives: [end_state]}
    decisions:
      - id: first
        prompt: How do you open?
        teams: [red, blue]
        resolve: majority
        options:
          - {id: talk, label: Talk, consequence: Talks begin., effects: {trust: 1}}
          - {id: push, label: Push, consequence: Trust falls., effects: {trust: -1}}
    next:
      - {when: {decision: first, option: push}, goto: crisis}
      - goto: calm
  - id: crisis
    title: A crisis
    branch_only: true
    next:
      - goto: end
  - id: calm
    title: A calm
    branch_only: true
"""


def check(tmp_path: Path, text: str) -> list[Problem]:
    path = tmp_path / "x.yaml"
    path.write_text(text)
    _, problems = check_file(path)
    return problems


def edit(old: str, new: str) -> str:
    assert old in BASE
    return BASE.replace(old, new, 1)


def only(problems: list[Problem], severity: str) -> list[Problem]:
    return [p for p in problems if p.severity == severity]


def line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


def test_base_is_clean(tmp_path: Path) -> None:
    assert check(tmp_path, BASE) == []


def test_shipped_exercises_are_valid(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(ROOT / "exercises")]) == 0, capsys.readouterr().out


def test_demo_has_no_warnings(demo_path: Path) -> None:
    assert check_file(demo_path)[1] == []


def test_rules_without_default_warn_and_still_pass(tmp_path: Path) -> None:
    text = edit(
        "      - goto: calm\n", "      - {when: {decision: first, option: talk}, goto: calm}\n"
    )
    problems = check(tmp_path, text)
    assert only(problems, "error") == []
    [warning] = only(problems, "warning")
    assert "when no rule matches, the exercise goes on to end (file order)" in warning.message
    assert warning.fix == "add a last rule without `when:`, e.g. `- goto: end`"


def test_question_only_for_facilitator_team_warns(tmp_path: Path) -> None:
    text = edit("objectives: [end_state]}", "objectives: [end_state], teams: [cell]}")
    [warning] = check(tmp_path, text)
    assert warning.severity == "warning"
    assert "addressed only to teams the facilitator plays" in warning.message
    assert warning.line == line_of(text, "teams: [cell]")


def test_facilitator_team_may_decide(tmp_path: Path) -> None:
    assert check(tmp_path, edit("teams: [red, blue]", "teams: [red, cell]")) == []


def test_state_comparison_outside_range_warns(tmp_path: Path) -> None:
    text = edit("{decision: first, option: push}", "{state: trust, lte: 9}")
    [warning] = check(tmp_path, text)
    assert warning.severity == "warning"
    assert "compares 'trust' with 9, outside its range 0..5" in warning.message


def test_first_move_branch_only_warns(tmp_path: Path) -> None:
    text = edit("    title: The opening\n", "    title: The opening\n    branch_only: true\n")
    [warning] = check(tmp_path, text)
    assert "`branch_only` has no effect" in warning.message


def test_allocation_rules(tmp_path: Path) -> None:
    text = edit(
        "        resolve: majority\n",
        "        kind: allocation\n        budget: 6\n        resolve: majority\n",
    )
    text = text.replace("{id: talk, label: Talk,", "{id: talk, label: Talk, max: 2,")
    text = text.replace("{id: push, label: Push,", "{id: push, label: Push, max: 3,")
    text = text.replace(
        "{decision: first, option: push}", "{decision: first, option: push, gte: 2}"
    )
    [warning] = check(tmp_path, text)
    assert "the options' `max:` add up to 5, less than the budget of 6" in warning.message
    choice = edit("{id: talk, label: Talk,", "{id: talk, label: Talk, max: 2,")
    [warning] = check(tmp_path, choice)
    assert "`max:`, which only applies to allocations" in warning.message


def test_tie_break_must_be_a_deciding_team(tmp_path: Path) -> None:
    text = edit(
        "        resolve: majority\n", "        resolve: majority\n        tie_break: bleu\n"
    )
    [error] = check(tmp_path, text)
    assert error.message == "decision 'first' names an unknown team 'bleu' in `tie_break`"
    assert error.fix == "did you mean 'blue'?"
    text = edit(
        "        resolve: majority\n", "        resolve: majority\n        tie_break: cell\n"
    )
    [error] = check(tmp_path, text)
    assert "breaks ties with team 'cell', which does not decide it" in error.message


def test_reserved_ids(tmp_path: Path) -> None:
    problems = check(tmp_path, edit("{id: blue, name: Blue team}", "{id: all, name: Blue team}"))
    assert any("a team cannot be called 'all'" in p.message for p in problems)
    problems = check(
        tmp_path, edit("  - id: calm\n", "  - id: end\n").replace("goto: calm", "goto: end")
    )
    assert any("a move cannot be called 'end'" in p.message for p in problems)


def test_inject_audiences(tmp_path: Path) -> None:
    inject = "    injects:\n      - {id: news, title: News, to: %s}\n    questions:"
    problems = check(tmp_path, edit("    questions:", inject % "[red, all]"))
    assert [p.message for p in problems] == ["inject 'news' lists 'all' among teams in `to`"]
    [warning] = check(tmp_path, edit("    questions:", inject % "[]"))
    assert warning.severity == "warning" and "is sent to nobody" in warning.message
    [error] = check(tmp_path, edit("    questions:", inject % "facilitatr"))
    assert error.fix == "did you mean 'facilitator'?"
    assert check(tmp_path, edit("    questions:", inject % "facilitator")) == []


def test_decision_skipped_on_some_paths_warns(tmp_path: Path) -> None:
    text = BASE + (
        "    decisions:\n      - id: calm_choice\n        prompt: Now?\n        resolve: facilitator\n"
        "        options:\n          - {id: wait, label: Wait, consequence: Waiting.}\n"
        "    next:\n      - goto: closing\n"
        "  - id: closing\n    title: Closing\n"
        "    injects:\n      - {id: recap, title: Recap, when: {decision: calm_choice, option: wait}}\n"
    )
    text = text.replace("    next:\n      - goto: end\n", "    next:\n      - goto: closing\n", 1)
    [warning] = check(tmp_path, text)
    assert warning.severity == "warning"
    assert "depends on decision 'calm_choice' of move 'calm', which some paths" in warning.message
    assert warning.line == line_of(text, "when: {decision: calm_choice")


def test_same_move_condition_is_fine(tmp_path: Path) -> None:
    text = edit(
        "    questions:",
        "    injects:\n      - {id: news, title: News, when: {decision: first, option: talk}}\n    questions:",
    )
    assert check(tmp_path, text) == []


def test_loop_with_a_way_out_is_fine_and_self_loop_is_not(tmp_path: Path) -> None:
    way_out = edit(
        "    next:\n      - goto: end\n",
        "    next:\n      - {when: {state: trust, lte: 1}, goto: end}\n      - goto: crisis\n",
    )
    assert check(tmp_path, way_out) == []
    stuck = edit("    next:\n      - goto: end\n", "    next:\n      - goto: crisis\n")
    errors = only(check(tmp_path, stuck), "error")
    assert [e.message for e in errors] == [
        "the exercise can never end: move 'crisis' only leads back to itself"
    ]


def test_each_resolution_condition_without_team_warns(tmp_path: Path) -> None:
    [warning] = check(tmp_path, edit("resolve: majority", "resolve: each"))
    assert "resolves each team separately, so it has no single outcome" in warning.message
    assert (
        check(
            tmp_path,
            edit("resolve: majority", "resolve: each").replace(
                "{decision: first, option: push}", "{decision: first, team: red, option: push}"
            ),
        )
        == []
    )


def test_merge_keys_are_supported(tmp_path: Path) -> None:
    text = edit("  - {id: blue, name: Blue team}", "  - &blue {id: blue, name: Blue team}")
    text = text.replace("  - id: calm\n", "  - id: calm\n    <<: {scenario_time: Month 2}\n")
    assert check(tmp_path, text) == []


def test_every_problem_is_placed_and_has_a_fix(tmp_path: Path) -> None:
    for path in sorted((ROOT / "tests" / "broken").glob("*.yaml")):
        try:
            _, problems = check_file(path)
        except ExerciseError as exc:
            problems = exc.problems
        for problem in problems:
            assert problem.line is not None and problem.line >= 1, problem
            assert problem.fix, problem
            text = problem.message + problem.fix
            for jargon in ("Input should", "model_", "_type", "pydantic", "ctx"):
                assert jargon not in text, problem


def test_load_exercise_raises_with_every_error_and_ignores_warnings(tmp_path: Path) -> None:
    path = tmp_path / "x.yaml"
    path.write_text(
        edit(
            "{id: push, label: Push, consequence: Trust falls., effects: {trust: -1}}",
            "{id: push, label: Push, effects: {trsut: -1}}",
        )
    )
    with pytest.raises(ExerciseError) as caught:
        load_exercise(path)
    messages = [p.message for p in caught.value.problems]
    assert len(messages) == 2
    assert "option 'push' of decision 'first' has no consequence" in messages
    path.write_text(edit("objectives: [end_state]}", "objectives: [end_state], teams: [cell]}"))
    assert load_exercise(path).id == "small"


def test_describe_uses_ids() -> None:
    data = {"moves": [{"id": "m1", "decisions": [{"id": "dp1", "options": [{"id": "a"}, {}]}]}]}
    assert describe(("moves", 0, "decisions", 0, "options", 1, "label"), data) == (
        "move 'm1' › decision 'dp1' › option 2 › label"
    )


def test_report_format_and_exit_codes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = tmp_path / "good.yaml"
    good.write_text(BASE)
    warned = tmp_path / "warned.yaml"
    warned.write_text(edit("objectives: [end_state]}", "objectives: [end_state], teams: [cell]}"))
    bad = tmp_path / "bad.yaml"
    bad_text = edit("    title: A crisis", "    titel: A crisis")
    bad.write_text(bad_text)
    assert main(["validate", str(good), str(warned)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == f"{good}: ok"
    assert out[1].startswith(f"{warned}:{line_of(BASE, 'objectives: [end_state]}')}:")
    assert ": warning: question 1 of move 'opening' is addressed only" in out[1]
    assert out[2:] == [
        f"{warned}: ok (1 warning)",
        "2 files checked: 2 valid, 0 invalid (0 errors, 1 warning)",
    ]
    assert main(["validate", "--quiet", str(good), str(bad)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out == [
        f"{bad}:{line_of(bad_text, 'titel')}:5: error: unknown key 'titel' in move 'crisis' — did you mean 'title'?",
        "2 files checked: 1 valid, 1 invalid (1 error, 0 warnings)",
    ]
    assert main(["validate", str(good), str(bad), str(tmp_path / "missing.yaml")]) == 2
    assert capsys.readouterr().out.splitlines()[-1] == (
        "3 files checked: 1 valid, 1 invalid, 1 unusable (2 errors, 0 warnings)"
    )


def test_no_teams_or_moves(tmp_path: Path) -> None:
    text = "format: 1\nid: empty\ntitle: Nothing yet\nteams: []\nmoves: []\n"
    problems = check(tmp_path, text)
    assert [(p.line, p.message) for p in problems] == [
        (4, "the exercise has no teams; it needs at least one team"),
        (5, "the exercise has no moves; it needs at least one move"),
    ]


def test_tie_break_without_majority_warns(tmp_path: Path) -> None:
    text = edit(
        "        resolve: majority\n", "        resolve: facilitator\n        tie_break: red\n"
    )
    [warning] = check(tmp_path, text)
    assert warning.severity == "warning"
    assert "`tie_break`, which only applies to `resolve: majority`" in warning.message


def test_decision_nobody_can_answer(tmp_path: Path) -> None:
    text = BASE.replace(
        "    title: A calm\n",
        "    title: A calm\n    decisions:\n      - {id: empty, prompt: Well?, options: [], free_form: false}\n",
    )
    [error] = check(tmp_path, text)
    assert error.message == (
        "decision 'empty' has no options and refuses free-form answers, so no team can answer it"
    )
    assert check(tmp_path, text.replace("free_form: false", "free_form: true")) == []


def test_a_text_cut_at_a_comma_inside_braces_is_named_as_such(tmp_path: Path) -> None:
    """`{id: news, title: Calls came in, then emails}`: YAML reads "then emails" as a key."""
    inject = "    injects:\n      - {id: news, title: Calls came in, then emails}\n    questions:"
    [error] = check(tmp_path, edit("    questions:", inject))
    assert error.message.startswith("unknown key 'then emails'")
    assert "put the whole text in quotes" in error.fix
