"""`tabletop import` of T3SF MSELs (JSON).

The sample, tests/import_sources/t3sf-breach.json, is written for these tests in the
shape T3SF reads: a list of injects with `#`, `Real Time`, `Date`, `Subject`, `From`,
`Player`, `Script`, `Photo`, `Picture Name`, `Profile` and `Poll` ("A | B"), as in
T3SF/T3SF.py and examples/MSEL_EXAMPLE.json of github.com/Base4Security/T3SF at commit
182ddc9b7bf804e93bbfe9d3f2112d8c20f7fec6.
"""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from tests.unit.import_helpers import SOURCES, import_to, valid
from ttx.importers import ImportError_, import_source

MSEL = SOURCES / "t3sf-breach.json"


def test_the_msel_becomes_a_valid_exercise(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "t3sf-breach.json"
    shutil.copy(MSEL, source)
    _png(tmp_path / "board.png")  # the local picture of inject 3
    out = tmp_path / "breach.yaml"
    code, stdout, stderr = import_to(source, out, capsys)
    assert code == 0, stderr
    exercise = valid(out)
    # Players are teams; moves follow the scenario date's day.
    assert [(t.id, t.name) for t in exercise.teams] == [
        ("security", "Security"),
        ("pr_comm", "PR/Comm"),
    ]
    assert [m.title for m in exercise.moves] == ["Tuesday", "Wednesday"]
    tuesday, wednesday = exercise.moves
    # Real time is the minute in the move (11:58 PM then 12:01 AM is three minutes later).
    assert [(i.id, i.at, i.to) for i in tuesday.injects] == [
        ("inject_1", 0, ["security"]),
        ("inject_2", 3, ["security"]),
    ]
    first = tuesday.injects[0]
    assert first.title == "Odd logins" and first.from_ == "Security Operations Centre"
    assert first.body == "We see logins from three countries on one account.\n\nPlease check."
    assert first.scenario_time == "Tuesday 8:00 AM"
    # The poll is a format-2 poll decision of the player's team: no invented consequences.
    assert exercise.format == 2
    (poll,) = tuesday.decisions
    assert poll.prompt == "Do we lock every account now?"
    assert poll.poll and poll.teams == ["security"] and poll.resolve.team == "security"
    assert [(o.label, o.consequence) for o in poll.options] == [
        ("Lock them", None),
        ("Wait an hour", None),
    ]
    # Pictures are never fetched: a web picture is dropped and noted; a local one is shown.
    assert "https://example.org/logins.png" in (first.facilitator_notes or "")
    assert "](board.png)" in wednesday.injects[0].body
    for words in ("Pictures of inject 1 (web addresses, not fetched)", "avatars"):
        assert words in stdout
        assert words in out.read_text(encoding="utf-8")
    assert "inject 3" not in stdout
    assert "Poll answers" not in stdout and "format 1" not in stdout


def _png(path: Path) -> None:
    from PIL import Image

    Image.new("RGB", (8, 8), "navy").save(path)


def test_a_local_picture_is_copied_beside_the_exercise_and_printed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Imported into another folder, the picture goes with the exercise and the inject card shows it."""
    from tests.report.pdfcheck import text_of
    from ttx.cli import main

    source = tmp_path / "msel" / "t3sf-breach.json"
    source.parent.mkdir()
    shutil.copy(MSEL, source)
    _png(source.parent / "board.png")
    out = tmp_path / "elsewhere" / "breach.yaml"
    out.parent.mkdir()
    code, _, stderr = import_to(source, out, capsys)
    assert code == 0, stderr
    assert (out.parent / "board.png").read_bytes() == (source.parent / "board.png").read_bytes()
    valid(out)
    assert main(["handouts", str(out), "-o", str(tmp_path / "print")]) == 0
    cards = " ".join(text_of(p) for p in sorted((tmp_path / "print").glob("inject-cards*.pdf")))
    assert "board.png" not in cards  # an image, not its name or a broken link


def test_an_msel_without_polls_stays_format_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    items = json.loads(MSEL.read_text(encoding="utf-8"))
    source = tmp_path / "no-poll.json"
    source.write_text(json.dumps([{**i, "Poll": ""} for i in items]), encoding="utf-8")
    out = tmp_path / "no-poll.yaml"
    code, _, stderr = import_to(source, out, capsys)
    assert code == 0, stderr
    exercise = valid(out)
    assert exercise.format == 1 and not any(m.decisions for m in exercise.moves)


@pytest.mark.parametrize(
    ("data", "words"),
    [
        ([], "neither an IcebergTTX scenario"),
        ([{"Player": "A", "Script": "x"}, 3], "item 2 of the list is not an inject object"),
        ([{"#": 7, "Player": "A"}], "inject 7 .* has no `Script`"),
        ([{"Script": "hello", "Player": ""}], "has no `Player`"),
        ([{"Script": ["a"], "Player": "A"}], "`Script` should be text"),
        ({"title": "x"}, "an object with the keys .title."),
        ("just text", "a single str value"),
    ],
)
def test_bad_msels_get_one_message(tmp_path: Path, data: Any, words: str) -> None:
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ImportError_, match=words):
        import_source(path)


def test_invalid_json_names_the_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text('[\n  {"Player": "A",\n   "Script": }\n]', encoding="utf-8")
    with pytest.raises(ImportError_, match=r"broken.json:3:\d+: not valid JSON"):
        import_source(path)


def test_a_t3sf_sheet_is_read_as_t3sf(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """T3SF also ships its MSEL as a spreadsheet (examples/MSEL.xlsx): the same columns."""
    rows: list[dict[str, Any]] = json.loads(MSEL.read_text(encoding="utf-8"))
    columns = list(rows[0])
    source = tmp_path / "breach.csv"
    with source.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(columns)
        writer.writerows([[row.get(c, "") for c in columns] for row in rows])
    out = tmp_path / "breach.yaml"
    code, stdout, stderr = import_to(source, out, capsys)
    assert code == 0, stderr
    assert "(a T3SF MSEL (CSV))" in stdout
    exercise = valid(out)
    assert [o.label for o in exercise.moves[0].decisions[0].options] == [
        "Lock them",
        "Wait an hour",
    ]
