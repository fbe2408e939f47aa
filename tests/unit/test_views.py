"""No facilitator-only text reaches a participant view, for every shipped exercise and the starter.

Participant documents and screens select their content through `participant_view` and
`team_view`; these tests dump those views and search them for every facilitator-only
string of the original exercise.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import EXERCISES
from ttx.model import Exercise, load_exercise
from ttx.model.starter import starter_yaml
from ttx.model.views import participant_view, team_view

MIN_NEEDLE = 12
"""Shorter strings ("Hold the line") may legitimately recur in public text."""


def _strings(value: Any) -> Iterator[str]:
    """Every string inside a dumped model (keys included), depth first."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield str(key)
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def dumped(view: Exercise) -> list[str]:
    """The view as the documents would read it: every string of its JSON dump."""
    return list(_strings(view.model_dump(mode="json", by_alias=True)))


def facilitator_texts(ex: Exercise) -> dict[str, str]:
    """Every facilitator-only text of the exercise, keyed by where it comes from."""
    found: dict[str, str] = {}
    students = {t.id for t in ex.teams if t.played_by == "students"}
    everyone = [t.id for t in ex.teams]
    for team in ex.teams:
        if team.played_by == "facilitator":
            found.update(private_texts(ex, team.id))
    for move in ex.moves:
        if move.facilitator_notes:
            found[f"{move.id}.facilitator_notes"] = move.facilitator_notes
        for n, point in enumerate(move.expected_points):
            found[f"{move.id}.expected_points[{n}]"] = point
        for inject in move.injects:
            if inject.facilitator_notes:
                found[f"{inject.id}.facilitator_notes"] = inject.facilitator_notes
            if inject.facilitator_only or not students & set(inject.audience(everyone)):
                found[f"{inject.id}.body"] = inject.body
        for q in move.questions:
            if q.teams and not students & set(q.teams):
                found[f"{move.id} question to {q.teams}"] = q.text
        for decision in move.decisions:
            red_only = bool(decision.teams) and not students & set(decision.teams)
            if red_only:
                found[f"{decision.id}.prompt"] = decision.prompt
            for option in decision.options:
                if option.consequence:
                    found[f"{decision.id}.{option.id}.consequence"] = option.consequence
                if red_only and option.detail:
                    found[f"{decision.id}.{option.id}.detail"] = option.detail
    return {k: v for k, v in found.items() if len(v.strip()) >= MIN_NEEDLE}


def private_texts(ex: Exercise, team_id: str) -> dict[str, str]:
    """A team's private packet material: briefing, objectives, constraints, info, role briefs."""
    team = ex.team(team_id)
    texts = {f"{team_id}.briefing": team.briefing}
    for field in ("objectives", "constraints", "private_info"):
        for n, text in enumerate(getattr(team, field)):
            texts[f"{team_id}.{field}[{n}]"] = text
    for n, role in enumerate(team.roles):
        texts[f"{team_id}.roles[{n}].brief"] = role.brief
    return {k: v for k, v in texts.items() if len(v.strip()) >= MIN_NEEDLE}


def public_texts(ex: Exercise) -> list[str]:
    """Texts participants legitimately see, listed by hand (not through the views under test)."""
    texts = [ex.title, ex.summary, *(o.text for o in ex.objectives), *ex.assumptions]
    texts += [q.text for q in ex.hot_wash.questions] + [c.text for c in ex.evaluation.criteria]
    for move in ex.moves:
        texts += [move.title, move.narrative, *(q.text for q in move.questions)]
        texts += [i.body for i in move.injects if not i.facilitator_only]
        for decision in move.decisions:
            texts.append(decision.prompt)
            for o in decision.options:
                texts += [o.label, o.detail, o.cost or "", o.limits or "", *o.can, *o.cannot]
    return [t for t in texts if t]


def leaks(view: Exercise, secrets: dict[str, str], allowed: list[str]) -> list[str]:
    """Which secrets appear in the view (a secret that is also legitimate public text is skipped)."""
    haystack = dumped(view)
    found = []
    for where, secret in secrets.items():
        needle = secret.strip()
        if any(needle in text for text in allowed):
            continue
        if any(needle in text for text in haystack):
            found.append(where)
    return found


def _structural_leaks(view: Exercise) -> list[str]:
    """Facilitator-only fields that must be empty in any participant view."""
    problems = []
    for move in view.moves:
        if move.facilitator_notes or move.expected_points:
            problems.append(f"{move.id}: facilitator notes or expected points")
        if move.next:
            problems.append(f"{move.id}: branch rules (conditions and targets)")
        for inject in move.injects:
            if inject.facilitator_only or inject.when is not None or inject.facilitator_notes:
                problems.append(f"{inject.id}: facilitator-only inject, condition or notes")
        for decision in move.decisions:
            for option in decision.options:
                if option.consequence or option.effects:
                    problems.append(f"{decision.id}.{option.id}: consequence or effects")
    for team in view.teams:
        if team.played_by == "facilitator" and (
            team.briefing or team.objectives or team.constraints or team.private_info or team.roles
        ):
            problems.append(f"{team.id}: facilitator-played team's private material")
    return problems


def _starter(tmp_path: Path) -> Path:
    path = tmp_path / "starter.yaml"
    path.write_text(starter_yaml("Starter Check"), encoding="utf-8")
    return path


CASES = [*sorted(EXERCISES.glob("*.yaml")), "starter"]


@pytest.fixture(params=CASES, ids=lambda c: c if isinstance(c, str) else c.name)
def exercise(request: pytest.FixtureRequest, tmp_path: Path) -> Exercise:
    case = request.param
    return load_exercise(_starter(tmp_path) if case == "starter" else case)


def test_participant_view_hides_facilitator_text(exercise: Exercise) -> None:
    view = participant_view(exercise)
    assert _structural_leaks(view) == []
    assert leaks(view, facilitator_texts(exercise), public_texts(exercise)) == []
    for team in exercise.teams:
        assert leaks(view, private_texts(exercise, team.id), public_texts(exercise)) == []


def test_team_view_holds_only_its_own_private_material(exercise: Exercise) -> None:
    students = [t for t in exercise.teams if t.played_by == "students"]
    assert students
    for team in students:
        view = team_view(exercise, team.id)
        assert _structural_leaks(view) == []
        allowed = public_texts(exercise) + list(private_texts(exercise, team.id).values())
        assert leaks(view, facilitator_texts(exercise), allowed) == [], team.id
        for other in exercise.teams:
            if other.id != team.id:
                assert leaks(view, private_texts(exercise, other.id), allowed) == [], (
                    f"{team.id} sees {other.id}'s private material"
                )
        # Its own packet is there (the test can tell a view from an empty one).
        own = private_texts(exercise, team.id)
        assert not own or leaks(view, own, []) == list(own)


def test_facilitator_played_teams_have_no_packet(exercise: Exercise) -> None:
    for team in exercise.teams:
        if team.played_by == "facilitator":
            with pytest.raises(KeyError, match="played by the facilitator"):
                team_view(exercise, team.id)


def test_the_leak_search_finds_leaks_in_the_unredacted_exercise(exercise: Exercise) -> None:
    # Guard against a search that can never fail: the raw exercise must show its secrets.
    secrets = facilitator_texts(exercise)
    assert secrets
    assert leaks(exercise, secrets, public_texts(exercise))
    assert _structural_leaks(exercise)


# --- a synthetic exercise whose every facilitator-only field holds a unique marker ----------

SYNTHETIC = """
format: 2
id: markers
title: Markers
summary: PUBLIC-SUMMARY
objectives:
  - {id: obj, text: PUBLIC-OBJECTIVE}
teams:
  - id: blue
    name: Blue
    briefing: BLUE-PRIVATE-BRIEFING
    objectives: [BLUE-PRIVATE-OBJECTIVE]
    constraints: [BLUE-PRIVATE-CONSTRAINT]
    private_info: [BLUE-PRIVATE-INFO]
    roles: [{title: Blue chair, brief: BLUE-PRIVATE-ROLE}]
  - id: green
    name: Green
    briefing: GREEN-PRIVATE-BRIEFING
    objectives: [GREEN-PRIVATE-OBJECTIVE]
    constraints: [GREEN-PRIVATE-CONSTRAINT]
    private_info: [GREEN-PRIVATE-INFO]
    roles: [{title: Green chair, brief: GREEN-PRIVATE-ROLE}]
  - id: red
    name: Red cell
    played_by: facilitator
    briefing: RED-PRIVATE-BRIEFING
    objectives: [RED-PRIVATE-OBJECTIVE]
    constraints: [RED-PRIVATE-CONSTRAINT]
    private_info: [RED-PRIVATE-INFO]
    roles: [{title: Red boss, brief: RED-PRIVATE-ROLE}]
moves:
  - id: one
    title: One
    narrative: PUBLIC-NARRATIVE
    facilitator_notes: FAC-MOVE-NOTES
    expected_points: [FAC-EXPECTED-POINT]
    injects:
      - {id: i_all, title: PUBLIC-INJECT-TITLE, body: PUBLIC-INJECT-BODY,
         facilitator_notes: FAC-INJECT-NOTES, expected_points: [FAC-INJECT-EXPECTED]}
      - {id: i_fac, title: FAC-INJECT-TITLE, body: FAC-INJECT-BODY, to: facilitator}
      - {id: i_red, title: RED-INJECT-TITLE, body: RED-INJECT-BODY, to: [red]}
      - {id: i_blue, title: BLUE-INJECT-TITLE, body: BLUE-INJECT-BODY, to: [blue]}
      - {id: i_cond, title: COND-INJECT-TITLE, body: COND-INJECT-BODY, to: [green],
         when: {decision: choose, option: FAC_CONDITION_OPTION}}
    questions:
      - {text: PUBLIC-QUESTION, objectives: [obj]}
      - {text: RED-ONLY-QUESTION, teams: [red]}
    decisions:
      - id: choose
        prompt: PUBLIC-PROMPT
        teams: [blue, green]
        options:
          - {id: fac_condition_option, label: PUBLIC-LABEL, detail: PUBLIC-DETAIL,
             cost: PUBLIC-COST, consequence: FAC-CONSEQUENCE, effects: {heat: 1}}
          - {id: other, label: PUBLIC-OTHER, consequence: FAC-OTHER-CONSEQUENCE}
      - id: red_moves
        prompt: RED-DECISION-PROMPT
        teams: [red]
        resolve: facilitator
        options:
          - {id: strike_back, label: RED-OPTION-LABEL, detail: RED-OPTION-DETAIL,
             consequence: FAC-RED-CONSEQUENCE}
    next:
      - {when: {decision: choose, option: other}, goto: FAC_BRANCH_TARGET}
      - {goto: two}
  - id: two
    title: Two
    narrative: PUBLIC-NARRATIVE-TWO
    next: [{goto: end}]
  - id: fac_branch_target
    title: Hidden branch
    branch_only: true
    narrative: PUBLIC-BRANCH-NARRATIVE
state:
  - {id: heat, label: Heat, min: 0, max: 5, start: 0}
hot_wash:
  facilitator_notes: FAC-HOT-WASH-NOTES
""".replace("FAC_CONDITION_OPTION", "fac_condition_option").replace(
    "FAC_BRANCH_TARGET", "fac_branch_target"
)

FACILITATOR_MARKERS = [
    "FAC-MOVE-NOTES",
    "FAC-EXPECTED-POINT",
    "FAC-INJECT-NOTES",
    "FAC-INJECT-EXPECTED",
    "FAC-HOT-WASH-NOTES",
    "FAC-INJECT-TITLE",
    "FAC-INJECT-BODY",
    "FAC-CONSEQUENCE",
    "FAC-OTHER-CONSEQUENCE",
    "FAC-RED-CONSEQUENCE",
    "RED-INJECT-TITLE",
    "RED-INJECT-BODY",
    "RED-ONLY-QUESTION",
    "RED-DECISION-PROMPT",
    "RED-OPTION-LABEL",
    "RED-OPTION-DETAIL",
    *(f"RED-PRIVATE-{k}" for k in ("BRIEFING", "OBJECTIVE", "CONSTRAINT", "INFO", "ROLE")),
]
PUBLIC_MARKERS = [
    "PUBLIC-SUMMARY",
    "PUBLIC-NARRATIVE",
    "PUBLIC-INJECT-BODY",
    "PUBLIC-QUESTION",
    "PUBLIC-PROMPT",
    "PUBLIC-LABEL",
    "PUBLIC-DETAIL",
    "PUBLIC-COST",
    "PUBLIC-BRANCH-NARRATIVE",
]


def _private(team: str) -> list[str]:
    return [f"{team}-PRIVATE-{k}" for k in ("BRIEFING", "OBJECTIVE", "CONSTRAINT", "INFO", "ROLE")]


@pytest.fixture
def synthetic(tmp_path: Path) -> Exercise:
    path = tmp_path / "markers.yaml"
    path.write_text(SYNTHETIC, encoding="utf-8")
    return load_exercise(path)


def _blob(view: Exercise) -> str:
    return "\n".join(dumped(view))


def test_synthetic_markers_are_all_in_the_raw_exercise(synthetic: Exercise) -> None:
    blob = _blob(synthetic)
    for marker in [*FACILITATOR_MARKERS, *PUBLIC_MARKERS, *_private("BLUE"), *_private("GREEN")]:
        assert marker in blob, marker


def test_synthetic_participant_view(synthetic: Exercise) -> None:
    view = participant_view(synthetic)
    blob = _blob(view)
    hidden = [*FACILITATOR_MARKERS, *_private("BLUE"), *_private("GREEN"), "COND-INJECT-BODY"]
    assert [m for m in hidden if m in blob] == ["COND-INJECT-BODY"]  # green's card, no condition
    assert [m for m in PUBLIC_MARKERS if m not in blob] == []
    assert _structural_leaks(view) == []
    cond = next(i for m in view.moves for i in m.injects if i.id == "i_cond")
    assert cond.when is None
    assert all(not m.next for m in view.moves)
    assert [d.id for m in view.moves for d in m.decisions] == ["choose"]


@pytest.mark.parametrize(("team", "other"), [("blue", "GREEN"), ("green", "BLUE")])
def test_synthetic_team_view(synthetic: Exercise, team: str, other: str) -> None:
    view = team_view(synthetic, team)
    blob = _blob(view)
    assert [m for m in [*FACILITATOR_MARKERS, *_private(other)] if m in blob] == []
    assert [m for m in _private(team.upper()) if m not in blob] == []
    assert ("BLUE-INJECT-BODY" in blob) == (team == "blue")
    assert ("COND-INJECT-BODY" in blob) == (team == "green")
    assert [m for m in PUBLIC_MARKERS if m not in blob] == []
