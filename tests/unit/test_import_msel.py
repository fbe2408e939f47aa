"""`tabletop import` of HSEEP-style MSEL spreadsheets (CSV and XLSX).

The sample (tests/import_sources/hurricane-msel.csv) is written for these tests in the
layout HSEEP's MSEL template uses: a title block, then one row per inject with event
number, scenario time, delivery time, from, to, inject, expected action, objective, notes.
"""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from tests.unit.import_helpers import SOURCES, import_to, valid
from ttx.importers import ImportError_, import_source
from ttx.importers.msel import map_headers
from ttx.model.validate import check_file, load_exercise

MSEL = SOURCES / "hurricane-msel.csv"


def test_the_msel_becomes_a_valid_exercise(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "hurricane.yaml"
    code, stdout, stderr = import_to(MSEL, out, capsys)
    assert code == 0, stderr
    assert "Wrote" in stdout and "3 teams, 2 moves, 5 injects" in stdout
    exercise = valid(out)
    assert exercise.title == "Hurricane Delta Seminar"
    names = [t.name for t in exercise.teams]
    assert names == ["EOC", "School District", "Public Information Officer"]
    # Moves follow the day of the scenario time; delivery times become minutes in the move.
    assert [m.title for m in exercise.moves] == ["Day 1", "Day 2"]
    day1, day2 = exercise.moves
    assert [(i.id, i.at) for i in day1.injects] == [
        ("event_1", 0),
        ("event_2", 10),
        ("event_3", 25),
    ]
    assert [(i.id, i.at) for i in day2.injects] == [("event_4", 0), ("event_5", 15)]
    first = day1.injects[0]
    assert first.to == "all" and first.from_ == "National Hurricane Center"
    assert (
        first.body
        == "Hurricane Delta is now a Category 3 storm.\nLandfall is expected in 48 hours."
    )
    assert first.scenario_time == "Day 1 08:00"
    assert "Read it aloud" in (first.facilitator_notes or "")
    assert day1.injects[1].to == ["eoc", "school_district"]
    assert day2.injects[1].to == "facilitator"  # the SimCell's note to the controller
    # Expected actions and objectives are carried over.
    # Each expected action is its inject's expected points (format 2), not the move's.
    assert exercise.format == 2 and not day1.expected_points
    allocate = next(i for i in day1.injects if i.id == "event_3")
    assert allocate.expected_points == ["EOC: Allocate the buses"]
    assert [o.text for o in exercise.objectives] == [
        "Coordinate the evacuation decision",
        "Share resources",
        "Inform the public",
    ]
    assert {c.objective for c in exercise.evaluation.criteria} == {
        o.id for o in exercise.objectives
    }
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# Imported by `tabletop import` from hurricane-msel.csv")
    assert "# Could not carry over" in text and "Could not carry over" in stdout


def test_headers_match_whatever_their_case_spacing_and_synonym() -> None:
    found = map_headers(
        [
            "MSEL  No.",
            "scenario_time",
            "DELIVERY TIME",
            "Sender",
            "Recipient(s)",
            "Event Description",
            "Expected Player Action",
            "Related Objectives",
            "Remarks",
        ]
    )
    assert found == {
        "number": 0,
        "scenario_time": 1,
        "delivery_time": 2,
        "from": 3,
        "to": 4,
        "inject": 5,
        "expected_action": 6,
        "objective": 7,
        "notes": 8,
    }


def test_a_sheet_it_cannot_map_says_what_is_missing_and_what_it_found(tmp_path: Path) -> None:
    path = tmp_path / "budget.csv"
    path.write_text("Item,Cost,Owner\nBuses,100,County\n", encoding="utf-8")
    with pytest.raises(ImportError_) as caught:
        import_source(path)
    message = str(caught.value)
    assert "cannot map the sheet as an MSEL" in message
    assert "inject" in message and "'Item', 'Cost', 'Owner'" in message
    assert "rename the columns" in message
    assert caught.value.exit_code == 2


@pytest.mark.parametrize(
    ("content", "words"),
    [
        ("", "is empty"),
        ("Event #,Inject\n1,\n", "no row with inject text"),
        (b"\xff\xfe\x00bad", "not UTF-8"),
    ],
)
def test_bad_sheets_get_one_message(tmp_path: Path, content: str | bytes, words: str) -> None:
    path = tmp_path / "bad.csv"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(ImportError_, match=words):
        import_source(path)


def test_a_phase_column_groups_the_moves_and_offsets_time_them(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "drill.csv"
    path.write_text(
        "Inject No;Phase;Time;To;Description\n"
        "1;Warning;T+0;Red team;Storm warning\n"
        "2;Warning;T+15;Red team, Blue team;Roads close\n"
        "3;Response;+1h;everyone;Power cut\n",
        encoding="utf-8",
    )
    out = tmp_path / "drill.yaml"
    code, _, stderr = import_to(path, out, capsys)
    assert code == 0, stderr
    exercise = valid(out)
    assert [m.title for m in exercise.moves] == ["Warning", "Response"]
    assert [i.at for i in exercise.moves[0].injects] == [0, 15]
    assert exercise.moves[0].injects[1].to == ["red_team", "blue_team"]
    assert exercise.moves[1].injects[0].to == "all"


def test_an_xlsx_msel_is_read_like_the_csv(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    notes = book.active
    notes.title = "Read me"
    notes.append(["This workbook holds the MSEL on the next sheet."])
    sheet = book.create_sheet("MSEL")
    sheet.append(["Exercise Quake - MSEL"])
    sheet.append([])
    sheet.append(
        [
            "MSEL No.",
            "Phase",
            "Scenario Date/Time",
            "Delivery  Time",
            "From",
            "To",
            "Event Description",
            "Expected Player Action",
            "Related Objectives",
            "Remarks",
        ]
    )
    sheet.append(
        [
            1,
            "Response",
            "Day 1 06:00",
            datetime.time(9, 0),
            "USGS",
            "EOC, Fire",
            "A magnitude 6.8 quake strikes.",
            "Activate the EOC",
            "Coordinate the response",
            None,
        ]
    )
    sheet.append(
        [
            2,
            "Response",
            "Day 1 07:00",
            datetime.time(9, 20),
            "Fire chief",
            "EOC",
            "A school has collapsed.",
            "Send search and rescue",
            "Coordinate the response",
            "Key inject",
        ]
    )
    sheet.append(
        [
            3,
            "Recovery",
            "Day 5",
            datetime.time(10, 0),
            "Mayor",
            "All",
            "The shelters are full.",
            "Open more shelters",
            "Plan the recovery",
            None,
        ]
    )
    source = tmp_path / "quake.xlsx"
    book.save(source)
    out = tmp_path / "quake.yaml"
    code, stdout, stderr = import_to(source, out, capsys)
    assert code == 0, stderr
    assert "sheet 'MSEL'" in stdout
    exercise = valid(out)
    assert exercise.title == "Exercise Quake"
    assert [m.title for m in exercise.moves] == ["Response", "Recovery"]
    assert [i.at for i in exercise.moves[0].injects] == [0, 20]
    assert exercise.moves[0].injects[0].to == ["eoc", "fire"]
    assert "Key inject" in (exercise.moves[0].injects[1].facilitator_notes or "")


def test_a_damaged_workbook_is_one_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "msel.xlsx"
    source.write_bytes(b"PK\x03\x04 not really a zip")
    code, stdout, stderr = import_to(source, tmp_path / "out.yaml", capsys)
    assert code == 2
    assert stderr.count("\n") == 1 and "not a readable .xlsx workbook" in stderr
    assert "Traceback" not in stderr + stdout


def test_scenario_times_too_varied_to_be_phases_make_one_move(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "timeline.csv"
    rows = "".join(f"{n},E+{15 * n},Cell {n % 3},Inject number {n}\n" for n in range(1, 21))
    path.write_text("Event #,Scenario time,To,Inject\n" + rows, encoding="utf-8")
    out = tmp_path / "timeline.yaml"
    code, stdout, stderr = import_to(path, out, capsys)
    assert code == 0, stderr
    exercise = load_exercise(out)
    assert len(exercise.moves) == 1 and len(exercise.moves[0].injects) == 20
    assert "too many to be moves" in stdout
    # Valid, and `validate` says what a class would hit: seven injects for a cell in one move.
    _, problems = check_file(out)
    assert problems and all(p.severity == "warning" for p in problems)
    assert all("reads 7 injects" in p.message for p in problems)


def test_a_workbook_that_unpacks_to_too_much_is_refused(tmp_path: Path) -> None:
    import zipfile

    source = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(source, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/sharedStrings.xml", b"\0" * (101 * 1024 * 1024))
    assert source.stat().st_size < 1024 * 1024
    with pytest.raises(ImportError_, match="unpacks to 101 MB"):
        import_source(source)
