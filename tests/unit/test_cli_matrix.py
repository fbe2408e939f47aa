"""The CLI matrix: each command with empty, missing, oversize and hostile arguments and outputs.

Every row expects one clear line (no traceback), the exit code of docs/cli.md
(0 ok, 1 invalid or refused, 2 unusable input), and nothing left behind.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import stat
from pathlib import Path

import pytest

from tests.unit.test_journal_integrity import record
from ttx.cli import main
from ttx.paths import sessions_db

SID = "{sid}"


@pytest.fixture
def sid(demo_path: Path) -> str:
    return record(demo_path, notes=1)[0]


@pytest.fixture
def fifo(tmp_path: Path) -> Path:
    path = tmp_path / "pipe"
    os.mkfifo(path)
    return path


MATRIX: list[tuple[list[str], int, str]] = [
    # (arguments, exit code, a phrase the message must hold)
    (["export", SID, "-o", ""], 1, "-o is empty"),
    (["report", SID, "-o", ""], 1, "-o is empty"),
    (["new", "Border Crisis", "-o", ""], 1, "-o is empty"),
    (["handouts", "{demo}", "-o", ""], 1, "-o is empty"),
    (["export", SID, "-o", "{fifo}"], 1, "not a regular file"),
    (["report", SID, "-o", "{fifo}"], 1, "not a regular file"),
    (["new", "Border Crisis", "-o", "{fifo}"], 1, "not a regular file"),
    (["handouts", "{demo}", "-o", "{fifo}"], 1, "is not a folder"),
    (["export", "no-such-session"], 2, "no session"),
    (["report", "no-such-session"], 2, "no session"),
    (["report", SID, "--tz", "Nowhere/Land"], 2, "unknown time zone"),
    (["export", "x" * 100_000], 2, "at most"),
    (["report", "x" * 100_000], 2, "at most"),
    (["check", "no-such-session"], 2, "no session"),
    (["check", "--restore", "{tmp}/missing.sqlite3"], 1, "no backup file"),
    (["validate", "{tmp}/missing.yaml"], 2, "missing.yaml"),
    # Oversize arguments: one line, the giant word shortened, never "unexpected error".
    (["validate", "x" * 100_000], 2, "characters)"),
    (["handouts", "x" * 100_000], 2, "characters)"),
    (["run", "x" * 100_000], 2, "characters)"),
    (["new", "Border Crisis", "-o", "x" * 100_000], 1, "characters)"),
    (["check", "x" * 100_000], 2, "at most"),
    (["handouts", "{tmp}/missing.yaml"], 2, "missing.yaml"),
]


@pytest.mark.parametrize(("argv", "code", "phrase"), MATRIX, ids=lambda v: str(v)[:40])
def test_the_cli_matrix(
    argv: list[str],
    code: int,
    phrase: str,
    sid: str,
    fifo: Path,
    tmp_path: Path,
    demo_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    before = sorted(p.name for p in tmp_path.iterdir())
    values = {"sid": sid, "fifo": str(fifo), "tmp": str(tmp_path), "demo": str(demo_path)}
    args = [a.format(**values) if len(a) < 1000 else a for a in argv]
    assert main(args) == code
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err and "unexpected error" not in err
    assert phrase in out + err
    assert len(err.strip().splitlines()) <= 2, err
    assert stat.S_ISFIFO(fifo.stat().st_mode), "a FIFO is never replaced by a file"
    assert sorted(p.name for p in tmp_path.iterdir()) == before, "nothing left behind"


def test_a_trailing_slash_or_an_existing_folder_means_a_folder(
    sid: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["export", sid, "-o", "newdir/"]) == 0
    assert (tmp_path / "newdir" / f"{sid}-decisions.csv").is_file()
    assert main(["export", sid, "--format", "json", "-o", "newdir"]) == 0
    assert (tmp_path / "newdir" / f"{sid}-decisions.json").is_file()
    assert main(["new", "Border Crisis", "-o", "drafts/"]) == 0
    assert (tmp_path / "drafts" / "border-crisis.yaml").is_file()
    capsys.readouterr()


def test_new_leaves_no_temporary_file_when_the_write_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)

    def full_disk(*args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", full_disk)
    assert main(["new", "Border Crisis"]) == 1
    assert "No space left" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_a_title_with_control_characters_still_writes_a_valid_starter(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["new", "Border\x1b[2J Crisis\x7f", "-o", "x.yaml"]) == 0
    assert main(["validate", "x.yaml"]) == 0
    assert "\x1b" not in (tmp_path / "x.yaml").read_text(encoding="utf-8")
    capsys.readouterr()


def test_a_session_from_a_newer_exercise_format_names_the_versions_and_the_fix(
    sid: str, capsys: pytest.CaptureFixture[str]
) -> None:
    conn = sqlite3.connect(sessions_db())
    snapshot = json.loads(conn.execute("SELECT exercise_json FROM sessions").fetchone()[0])
    snapshot["format"] = 3
    snapshot["new_field_of_format_3"] = True
    text = json.dumps(snapshot)
    with conn:
        conn.execute(
            "UPDATE sessions SET exercise_json = ?, exercise_sha256 = ?",
            (text, hashlib.sha256(text.encode()).hexdigest()),
        )
    conn.close()
    assert main(["export", sid]) == 1
    err = capsys.readouterr().err
    assert "format 3" in err and "format 2" in err and "newer tabletop" in err
