"""One vocabulary: moves, options, conditions and durations read the same on every surface."""

from __future__ import annotations

from pathlib import Path

from ttx.model.validate import load_exercise
from ttx.session.event_text import Describer
from ttx.vocabulary import (
    condition_text,
    duration_text,
    minutes_text,
    move_title,
    option_label,
)

ROOT = Path(__file__).resolve().parents[2]


def test_durations() -> None:
    assert [duration_text(s) for s in (45, 750, 3912)] == ["45 s", "12 min 30 s", "1 h 05 min"]
    assert [minutes_text(m) for m in (40, 95, 120)] == ["40 min", "1 h 35 min", "2 h"]


def test_the_end_of_the_moves_reads_the_same_in_the_timeline_and_the_report() -> None:
    exercise = load_exercise(ROOT / "exercises" / "demo.yaml")
    assert move_title(exercise, "end") == "the end (hot wash)"
    assert move_title(exercise, "end", heading=True) == "End (hot wash)"
    assert Describer(exercise).move("end") == move_title(exercise, "end")
    first = exercise.moves[0]
    assert move_title(exercise, first.id) == move_title(exercise, first.id, heading=True)
    assert move_title(exercise, first.id) == first.title
    assert (move_title(exercise, None), move_title(exercise, None, heading=True)) == ("—", "")


def test_options_and_conditions_name_what_the_reader_sees() -> None:
    exercise = load_exercise(ROOT / "exercises" / "demo.yaml")
    decision = next(d for m in exercise.moves for d in m.decisions if d.options)
    option = decision.options[0]
    assert option_label(exercise, decision.id, option.id) == option.label
    assert option_label(exercise, decision.id, None) == "—"
    assert option_label(exercise, decision.id, "no_such_option") == "no_such_option"
    assert Describer(exercise).option(decision.id, option.id) == option.label
    conditions = [r.when for m in exercise.moves for r in m.next if r.when is not None]
    for cond in conditions:
        text = condition_text(exercise, cond)
        assert text and text != "?"
        if cond.decision is not None:  # a decision is named by its prompt, never its id
            assert text.startswith(("“", "(", "not ")) or "'s answer to “" in text
