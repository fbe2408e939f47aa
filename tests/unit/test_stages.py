"""Move numbers: one numbering for the console, the handouts and the report."""

from __future__ import annotations

from pathlib import Path

import pytest

from ttx.model import Exercise, load_exercise
from ttx.model.stages import move_numbers, stage_number, stages

EXERCISES = Path(__file__).resolve().parents[2] / "exercises"


def test_alternatives_share_a_stage_and_get_letters() -> None:
    ex = load_exercise(EXERCISES / "demo.yaml")
    assert move_numbers(ex) == {"offer": "1", "working": "2A", "strained": "2B"}
    assert [stage_number(ex, s, i) for i, s in enumerate(stages(ex), 1)] == ["1", "2"]
    assert ex.move_number("strained") == "2B"


def test_authors_numbers_win_and_stages_share_their_prefix() -> None:
    ex = load_exercise(EXERCISES / "across-the-line.yaml")
    numbers = move_numbers(ex)
    assert [numbers[m.id] for m in ex.moves] == ["0", "1", "2", "3A", "3B", "4", "5"]
    assert [stage_number(ex, s, i) for i, s in enumerate(stages(ex), 1)] == [
        "0",
        "1",
        "2",
        "3",
        "4",
        "5",
    ]


def test_printed_documents_use_the_same_numbers(tmp_path: Path) -> None:
    from ttx.report.participant import inject_cards_context

    ex = load_exercise(EXERCISES / "across-the-line.yaml")
    cards = inject_cards_context(ex)["cards"]
    assert {c["move_number"] for c in cards} >= {"0", "1", "2", "3A", "3B", "4"}


def test_an_exercise_numbers_its_moves_once(monkeypatch: pytest.MonkeyPatch) -> None:
    from ttx.model import exercise as exercise_module
    from ttx.model.views import participant_view, team_view

    ex = load_exercise(EXERCISES / "demo.yaml")
    calls: list[int] = []
    real = move_numbers

    def counting(storyline: Exercise) -> dict[str, str]:
        calls.append(1)
        return real(storyline)

    monkeypatch.setattr(exercise_module, "move_numbers", counting)
    for _ in range(3):
        assert [ex.move_number(m.id) for m in ex.moves] == ["1", "2A", "2B"]
    for stage_index, stage in enumerate(stages(ex), 1):
        stage_number(ex, stage, stage_index)
    assert len(calls) == 1
    # the participant views drop the branch rules but keep the storyline's numbers
    view = team_view(ex, ex.teams[0].id)
    assert [view.move_number(m.id) for m in view.moves] == ["1", "2A", "2B"]
    assert participant_view(ex).move_number("strained") == "2B"
    assert len(calls) == 1


CONVERGE = Path(__file__).resolve().parents[1] / "exercises" / "converge.yaml"


def _ids(exercise: Exercise) -> list[list[str]]:
    return [[m.id for m in stage] for stage in stages(exercise)]


def test_a_move_every_branch_comes_back_to_gets_its_own_stage() -> None:
    # the choice's options only `goto` the alternatives, so it also falls through to
    # `recovery` in file order: the shortest path put recovery beside the alternatives
    ex = load_exercise(CONVERGE)
    assert _ids(ex) == [["opening"], ["choice"], ["together", "apart"], ["recovery"]]
    assert [ex.move_number(m.id) for m in ex.moves] == ["1", "2", "3A", "3B", "4"]


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "x.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_shortcut_past_a_move_does_not_pull_the_later_move_beside_it(tmp_path: Path) -> None:
    skip = "\n          - {id: skip, label: Say nothing, consequence: Quiet., goto: recovery}"
    text = CONVERGE.read_text(encoding="utf-8").replace(
        "goto: apart}", "goto: apart}" + skip
    )  # "say nothing" skips the branch and goes straight to recovery
    ex = load_exercise(_write(tmp_path, text))
    assert _ids(ex) == [["opening"], ["choice"], ["together", "apart"], ["recovery"]]


def test_a_loop_back_does_not_move_the_stage_it_returns_to(tmp_path: Path) -> None:
    text = CONVERGE.read_text(encoding="utf-8").replace(
        "    next: [{goto: recovery}]\n  - id: recovery",
        "    next: [{when: {decision: voice, option: two}, goto: opening}, {goto: recovery}]\n"
        "  - id: recovery",
    )  # "apart" may send the room back to the opening
    ex = load_exercise(_write(tmp_path, text))
    assert _ids(ex) == [["opening"], ["choice"], ["together", "apart"], ["recovery"]]
