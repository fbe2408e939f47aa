"""`tabletop import` of IcebergTTX scenarios (JSON).

The sample, tests/import_sources/iceberg-flood.json, is written for these tests in the
shape IcebergTTX's own schema reads: `ScenarioDefinition` in app/schemas/scenario_json.py
of github.com/IcebergAI/IcebergTTX at commit 2e974ab5efab93bb03a69801f7c05e85e6bb0731
(participant_teams, injects with target_teams, options with next_inject_id, a node-level
next_inject_id, triggers_communications with delay_after_release_seconds,
expected_actions, release_at_minutes, start_inject_id, debrief_notes, metadata, tags).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.unit.import_helpers import SOURCES, import_to, valid
from ttx.importers import ImportError_, import_source
from ttx.model.moves import After

SCENARIO = SOURCES / "iceberg-flood.json"


def test_the_scenario_becomes_a_valid_branching_exercise(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "flood.yaml"
    code, stdout, stderr = import_to(SCENARIO, out, capsys)
    assert code == 0, stderr
    exercise = valid(out)
    assert exercise.format == 2
    assert exercise.title == "Flood at the Data Centre"
    assert exercise.author == "Course staff" and exercise.tags == ["course", "outage"]
    assert exercise.summary.startswith("Water reaches")
    # The scenario estimates 60 minutes; its longest path and a hot wash take 71, and the
    # plan says so (the validator would warn otherwise), with a line in the list.
    assert exercise.duration_minutes == 71
    assert "estimated_duration_minutes 60" in stdout
    assert [(t.id, t.name) for t in exercise.teams] == [
        ("ops", "Operations"),
        ("comms", "Communications"),
    ]
    # One move per inject reached from the start, the start first, then breadth first.
    assert [m.id for m in exercise.moves] == ["water", "outage", "press"]  # by sequence_order
    water = exercise.move("water")
    assert not water.branch_only and all(m.branch_only for m in exercise.moves[1:])
    assert water.injects[0].to == ["ops"]
    # Expected actions are the inject's own expected points.
    assert water.injects[0].expected_points == [
        "Call the facilities lead",
        "Open the failover runbook",
    ]
    assert not water.expected_points
    # Each option's next_inject_id is its goto; a null next ends the exercise. A free-form
    # answer follows the inject's own next_inject_id (none here: the end).
    (decision,) = water.decisions
    assert decision.teams == ["ops"] and decision.resolve.team == "ops"
    assert [(o.id, o.goto) for o in decision.options] == [
        ("failover", "press"),
        ("wait", "outage"),
        ("evacuate", "end"),
    ]
    assert [r.goto for r in water.next] == ["end"]
    assert all(o.consequence for o in decision.options)
    # A node-level next_inject_id is the move's only rule; communications are injects.
    outage = exercise.move("outage")
    assert [r.goto for r in outage.next] == ["press"]
    # Communications are injects timed after their inject by the delay, in whole minutes.
    assert [(i.title, i.after, i.at, i.to, i.from_) for i in outage.injects[1:]] == [
        ("Status report", After(inject="outage", minutes=1), 1, "all", "Regulator"),
        ("Parts", After(inject="outage", minutes=0), 0, "facilitator", "Pump vendor"),
    ]
    assert outage.questions and outage.questions[0].text.startswith("How do you respond")
    # The parallel inject no branch reaches joins the first move at its release minute.
    assert [(i.id, i.at) for i in water.injects] == [("water", 0), ("rumour", 20)]
    # The debrief notes are the hot wash's facilitator notes.
    assert exercise.hot_wash.facilitator_notes == (
        "Discuss the failover criteria and who may call them."
    )
    assert "Discuss the failover criteria" not in (water.facilitator_notes or "")
    # What could not be carried over is said, on screen and in the file.
    text = out.read_text(encoding="utf-8")
    for words in ("90 seconds", "'rumour'"):
        assert words in stdout and words in text
    for carried in ("Course staff", "debrief_notes", "format 1"):
        assert carried not in stdout


def _scenario(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(SCENARIO.read_text(encoding="utf-8"))
    data.update(changes)
    return data


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"injects": []}, "`injects` is empty"),
        ({"injects": "water"}, "`injects` should be a list"),
        ({"start_inject_id": "nowhere"}, "start_inject_id 'nowhere' is not an inject id"),
        ({"participant_teams": [{"id": "a"}, {"id": "a"}]}, "team id 'a' is used twice"),
        (
            {
                "injects": [{"id": "a", "title": "A", "content": "x", "next_inject_id": "b"}],
                "start_inject_id": "a",
            },
            "next_inject_id 'b' is not an inject id",
        ),
        (
            {
                "injects": [
                    {"id": "a", "title": "A", "content": "x", "next_inject_id": "b"},
                    {"id": "b", "title": "B", "content": "y", "next_inject_id": "a"},
                ],
                "start_inject_id": "a",
            },
            r"the injects loop \(a -> b -> a\)",
        ),
        ({"injects": [{"title": "no id"}]}, r"injects\[0\].id is missing"),
        (
            {"injects": [{"id": "a", "title": {"x": 1}}], "start_inject_id": "a"},
            "title should be text",
        ),
    ],
)
def test_bad_scenarios_get_one_message(tmp_path: Path, change: dict[str, Any], words: str) -> None:
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(_scenario(**change)), encoding="utf-8")
    with pytest.raises(ImportError_, match=words):
        import_source(path)


def test_a_scenario_without_teams_gets_one_team(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "bare.json"
    path.write_text(
        json.dumps(
            {
                "title": "Bare",
                "start_inject_id": "one",
                "injects": [
                    {
                        "id": "one",
                        "title": "One",
                        "content": "Something happens.",
                        "options": [{"id": "x", "label": "Do X"}, {"id": "y", "label": "Do Y"}],
                    }
                ],
            }
        ),
        encoding="utf-8",
    )
    out = tmp_path / "bare.yaml"
    code, stdout, stderr = import_to(path, out, capsys)
    assert code == 0, stderr
    exercise = valid(out)
    assert [t.name for t in exercise.teams] == ["Participants"]
    assert "Participants" in stdout
