"""One vocabulary: moves, options, conditions and durations read the same on every surface."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ttx.model.conditions import Condition
from ttx.model.validate import load_exercise
from ttx.session.event_text import Describer
from ttx.vocabulary import (
    clip,
    condition_text,
    decision_name,
    duration_text,
    first_sentence,
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
            assert text.startswith(("“", "(", "either ")) or "'s answer to “" in text


@pytest.mark.parametrize(
    ("prompt", "sentence"),
    [
        (
            "Do ambulances keep coming to St. Brigid's?",
            "Do ambulances keep coming to St. Brigid's?",
        ),
        ("Does the U.S. Army help? Say who leads.", "Does the U.S. Army help?"),
        (
            "Dr. Varga asks for heparin, e.g. from the county. Who decides?",
            "Dr. Varga asks for heparin, e.g. from the county.",
        ),
        ("J. Smith calls the EOC. Do you answer?", "J. Smith calls the EOC."),
        ("Choose: pay or restore", "Choose"),
        ("Pay now! The clock runs.", "Pay now!"),
        ("Costs rose 3.5 per cent. What now?", "Costs rose 3.5 per cent."),
        ("The mayor asks for help. Mr. Lee says no.", "The mayor asks for help."),
        ("Stop at 5 p.m. or go on?", None),
        ("The board may say no. Then what?", "The board may say no."),
        ("Call No. 10 now. Who calls?", "Call No. 10 now."),
        ("One sentence with no end", None),
    ],
)
def test_the_first_sentence_does_not_end_at_an_abbreviation(
    prompt: str, sentence: str | None
) -> None:
    assert first_sentence(prompt) == (sentence or prompt)


def test_decision_names_end_at_a_word() -> None:
    exercise = load_exercise(ROOT / "exercises" / "across-the-line.yaml")
    decisions = [d for m in exercise.moves for d in m.decisions]
    names = [decision_name(exercise, d.id) for d in decisions]
    assert "“What course of action does the NSC recommend to the…”" in names
    for decision, name in zip(decisions, names, strict=True):
        assert len(name) <= 62
        prompt = " ".join(decision.prompt.replace("*", "").split())
        kept = name.strip("“”").removesuffix("…")
        assert prompt.startswith(kept)
        assert prompt[len(kept) :][:1] in ("", " "), name  # the next character ends a word
    toolbox = load_exercise(ROOT / "exercises" / "toolbox-test.yaml")
    spend = next(d.id for m in toolbox.moves for d in m.decisions if d.prompt.startswith("Spend"))
    assert decision_name(toolbox, spend) == "“Spend your 10 policy points across the lever cards…”"


@given(st.text(alphabet="ab .,é();:-", max_size=120), st.integers(min_value=10, max_value=90))
def test_clip_cuts_between_words(text: str, limit: int) -> None:
    flat = " ".join(text.split())
    clipped = clip(text, limit)
    assert len(clipped) <= limit
    if len(flat) <= limit:
        assert clipped == flat
        return
    kept = clipped.removesuffix("…")
    assert clipped.endswith("…") and flat.startswith(kept)
    # an aside opened late is left out whole
    assert kept.count("(") <= kept.count(")") or kept.rfind("(") <= limit // 2
    if re.match(r"[ ,;:\-–—]*[ (]", flat[len(kept) :]) is None:  # inside a word: a long one only
        assert " " not in flat[limit // 2 + 1 : limit]


def _cond(data: dict[str, Any]) -> Condition:
    return Condition.model_validate(data)


OPENING = "“How does the United States answer the offer?”"
POSTURE = "“How far does Mexico go?”"
BOTH = "“Accept and build the joint cell”, “Accept only with tariff pressure attached”"


@pytest.mark.parametrize(
    ("data", "text"),
    [
        (
            {"decision": "opening", "option": "partner"},
            f"{OPENING} is “Accept and build the joint cell”",
        ),
        ({"decision": "opening", "option": ["partner", "pressure"]}, f"{OPENING} is one of {BOTH}"),
        (
            {"not": {"decision": "opening", "option": "partner"}},
            f"{OPENING} is not “Accept and build the joint cell”",
        ),
        (
            {"not": {"decision": "opening", "option": ["partner", "pressure"]}},
            f"{OPENING} is none of {BOTH}",
        ),
        ({"not": {"state": "trust", "lt": 2}}, "Partner trust ≥ 2"),
        ({"not": {"not": {"state": "trust", "eq": 2}}}, "Partner trust = 2"),
        (
            {"decision": "opening", "team": "us", "option": "pressure"},
            f"US NSC's answer to {OPENING} is “Accept only with tariff pressure attached”",
        ),
        (
            {
                "any": [
                    {"decision": "opening", "option": ["partner", "pressure"]},
                    {"decision": "posture", "option": "joint"},
                ]
            },
            f"either {OPENING} is one of {BOTH}; or {POSTURE} is “Joint cell under Mexican law”",
        ),
        (
            {
                "all": [
                    {"state": "trust", "gte": 3},
                    {
                        "any": [
                            {"decision": "posture", "option": "joint"},
                            {"state": "trust", "eq": 5},
                        ]
                    },
                ]
            },
            f"Partner trust ≥ 3; and (either {POSTURE} is “Joint cell under Mexican law”; or Partner trust = 5)",
        ),
        (
            {
                "not": {
                    "any": [
                        {"decision": "posture", "option": "joint"},
                        {"state": "trust", "lte": 1},
                    ]
                }
            },
            f"{POSTURE} is not “Joint cell under Mexican law”; and Partner trust > 1",
        ),
        (
            {
                "not": {
                    "all": [{"decision": "posture", "option": "joint"}, {"state": "trust", "gt": 1}]
                }
            },
            f"either {POSTURE} is not “Joint cell under Mexican law”; or Partner trust ≤ 1",
        ),
    ],
)
def test_conditions_read_one_way_only(data: dict[str, Any], text: str) -> None:
    exercise = load_exercise(ROOT / "exercises" / "demo.yaml")
    assert condition_text(exercise, _cond(data)) == text
