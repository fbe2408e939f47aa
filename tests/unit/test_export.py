"""`tabletop export`: the decision log as CSV for spreadsheets and gradebooks, and as JSON."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from ttx.api import open_journal
from ttx.cli import main
from ttx.report.decision_log import CSV_COLUMNS
from ttx.session.actions import CorrectDecision, EnterMove, RecordDecision
from ttx.session.clock import FakeClock
from ttx.session.events import TeamSetup


def _session(demo_path: Path) -> str:
    clock = FakeClock()
    teams = [TeamSetup(id="us", name='Équipe US, "blue"'), TeamSetup(id="mexico")]
    with open_journal() as journal, journal.create_session(demo_path, teams, clock=clock) as s:
        s.apply(EnterMove())
        clock.advance(65)
        s.apply(
            RecordDecision(
                decision_id="opening",
                team_id="us",
                option_id="pressure",
                rationale='=HYPERLINK("http://x")\nsecond line, with comma',
            )
        )
        s.apply(
            CorrectDecision(
                decision_id="opening", team_id="us", option_id="partner", rationale="-1 is fine"
            )
        )
        s.apply(
            RecordDecision(
                decision_id="posture",
                team_id="mexico",
                free_text="@Neither: talk first",
                rationale="Sovereignty 🇲🇽",
            )
        )
        return s.id


def test_csv_has_one_row_per_team_per_decision(
    demo_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    session_id = _session(demo_path)
    assert main(["export", session_id[:10], "--format", "csv"]) == 0
    out = capsys.readouterr().out
    assert out.startswith(",".join(CSV_COLUMNS) + "\r\n")
    rows = list(csv.DictReader(io.StringIO(out, newline="")))
    assert [(r["decision"], r["team"]) for r in rows] == [
        ("opening", 'Équipe US, "blue"'),
        ("posture", "Government of Mexico security cabinet"),
    ]
    us, mexico = rows
    assert us["session"] == session_id and us["exercise"] == "demo" and us["move"] == "offer"
    assert us["option"] == "partner"  # the corrected answer
    assert us["option label"] == "Accept and build the joint cell"
    assert us["rationale"] == "'-1 is fine"  # a spreadsheet would read a leading '-' as a formula
    assert us["recorded at"] == "2026-01-01 09:01:05"
    assert mexico["option"] == "" and mexico["free-form text"] == "'@Neither: talk first"
    assert mexico["rationale"] == "Sovereignty 🇲🇽"


def test_csv_file_has_a_bom_for_spreadsheets(tmp_path: Path, demo_path: Path) -> None:
    session_id = _session(demo_path)
    target = tmp_path / "log.csv"
    assert main(["export", session_id, "-o", str(target)]) == 0
    raw = target.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbfsession,exercise,")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    assert len(rows) == 2 and rows[0]["team"] == 'Équipe US, "blue"'


def test_json_keeps_history_and_outcomes(
    demo_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    session_id = _session(demo_path)
    assert main(["export", session_id, "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["format"] == "ttx-decision-log" and data["session"]["id"] == session_id
    opening = next(d for d in data["decisions"] if d["id"] == "opening")
    assert [h["option"] for h in opening["history"]] == ["pressure", "partner"]
    assert opening["history"][0]["rationale"].startswith("=HYPERLINK")  # JSON is not escaped
    assert opening["outcome"]["option"] == "partner" and opening["outcome"]["by"] == "team us"
    assert data["teams"][0]["name"] == 'Équipe US, "blue"'


def test_export_failures_are_one_line_and_non_zero(
    tmp_path: Path, demo_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["export", "anything"]) == 2
    assert "no sessions recorded yet" in capsys.readouterr().err
    session_id = _session(demo_path)
    assert main(["export", "nope"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "no session 'nope'" in err
    assert main(["export", session_id, "-o", str(tmp_path / "missing" / "x.csv")]) == 1
    assert "cannot write" in capsys.readouterr().err


def test_sessions_lists_id_exercise_times_and_status(
    demo_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["sessions"]) == 0
    assert "No sessions recorded yet" in capsys.readouterr().out
    session_id = _session(demo_path)
    assert main(["sessions"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["SESSION", "EXERCISE", "STARTED", "LAST", "ACTIVITY", "STATUS"]
    assert lines[1].startswith(session_id) and "(demo)" in lines[1]
    assert lines[1].rstrip().endswith("in progress")
