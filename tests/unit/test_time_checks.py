"""`tabletop validate` warns when an exercise does not fit its time (the same faults, the same warnings)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from ttx.model.validate import check_file

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "exercises" / "demo.yaml"


def _demo() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(DEMO.read_text(encoding="utf-8"))
    return data


def _warnings(tmp_path: Path, data: dict[str, Any]) -> list[str]:
    path = tmp_path / "x.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    exercise, problems = check_file(path)
    assert exercise is not None, [str(p) for p in problems]
    assert not [p for p in problems if p.severity == "error"]
    return [p.message for p in problems if p.severity == "warning"]


def _inject(index: int, **extra: Any) -> dict[str, Any]:
    return {"id": f"extra_{index}", "title": f"Extra {index}", "body": "A short line.", **extra}


def test_the_demo_fits_its_time(tmp_path: Path) -> None:
    assert _warnings(tmp_path, _demo()) == []


def test_longest_path_over_the_duration(tmp_path: Path) -> None:
    data = _demo()
    data["moves"][0]["minutes"] = 9
    (message,) = [w for w in _warnings(tmp_path, data) if "longest path" in w]
    assert "over the planned 10" in message and "hot wash" in message


def test_inject_after_its_move_ends(tmp_path: Path) -> None:
    data = _demo()
    data["moves"][0]["injects"][0]["at"] = data["moves"][0]["minutes"]
    assert any("arrives at minute 4 of move" in w for w in _warnings(tmp_path, data))


def test_decision_minutes_over_half_the_move(tmp_path: Path) -> None:
    data = _demo()
    for decision in data["moves"][0]["decisions"]:
        decision["minutes"] = 3
    found = [w for w in _warnings(tmp_path, data) if "minutes of decisions" in w]
    assert len(found) == 2 and all("more than half of its 4 minutes" in w for w in found)


def _read_by_us(move: dict[str, Any]) -> int:
    return sum(i.get("to", "all") in ("all", "us", ["us"]) for i in move["injects"])


def test_more_than_six_injects_for_one_team(tmp_path: Path) -> None:
    data = _demo()
    move = data["moves"][0]
    move["injects"] += [_inject(i, to="us") for i in range(7 - _read_by_us(move))]
    found = [w for w in _warnings(tmp_path, data) if "injects in move" in w]
    assert len(found) == 1 and "reads 7 injects" in found[0]


def test_conditional_injects_count_only_as_many_as_can_fire_together(tmp_path: Path) -> None:
    """N cards on one answer and N on the other: only N of them are ever read together."""
    data = _demo()
    move = data["moves"][0]
    decision = move["decisions"][0]
    first, second = (o["id"] for o in decision["options"][:2])
    room = 7 - _read_by_us(move)  # cards on one answer that make it seven
    move["injects"] += [
        _inject(i, to="us", when={"decision": decision["id"], "team": "us", "option": option})
        for i, option in enumerate([first] * room + [second] * room)
    ]
    found = [w for w in _warnings(tmp_path, data) if "injects in move" in w]
    assert len(found) == 1 and "reads 7 injects" in found[0] and "up to" not in found[0]
    del move["injects"][-room - 1]  # one card fewer on the first answer
    move["injects"] = move["injects"][:-1]  # and on the second
    assert not [w for w in _warnings(tmp_path, data) if "injects in move" in w]


def test_reading_over_a_quarter_of_the_move(tmp_path: Path) -> None:
    data = _demo()
    data["moves"][0]["narrative"] = "word " * 300  # 1.5 minutes of a 4-minute move
    found = [w for w in _warnings(tmp_path, data) if "words a minute" in w]
    assert len(found) == 2 and all("more than a quarter of its 4" in w for w in found)


@pytest.mark.parametrize("name", ["across-the-line.yaml", "toolbox-test.yaml", "demo.yaml"])
def test_shipped_exercises_have_no_time_warnings(name: str) -> None:
    _exercise, problems = check_file(ROOT / "exercises" / name)
    assert [str(p) for p in problems] == []
