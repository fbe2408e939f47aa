"""`tabletop import SOURCE [-o FILE.yaml] [--force]`: where it writes, what it refuses, its exit codes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.unit.import_helpers import SOURCES, import_to, valid
from ttx.importers.common import Imported

MSEL = SOURCES / "hurricane-msel.csv"


def test_without_o_it_writes_the_exercise_id_in_the_current_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    from ttx.cli import main

    assert main(["import", str(MSEL)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Wrote hurricane-delta-seminar.yaml, imported from hurricane-msel.csv")
    assert "tabletop validate hurricane-delta-seminar.yaml" in out
    valid(tmp_path / "hurricane-delta-seminar.yaml")
    assert [p.name for p in tmp_path.iterdir()] == ["hurricane-delta-seminar.yaml"]


def test_o_may_name_a_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, stderr = import_to(MSEL, tmp_path, capsys)
    assert code == 0, stderr
    valid(tmp_path / "hurricane-delta-seminar.yaml")


def test_it_never_overwrites_without_force(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "mine.yaml"
    out.write_text("my own work\n", encoding="utf-8")
    code, stdout, stderr = import_to(MSEL, out, capsys)
    assert code == 1 and not stdout
    assert "already exists" in stderr and "--force" in stderr
    assert out.read_text(encoding="utf-8") == "my own work\n"
    code, _, stderr = import_to(MSEL, out, capsys, "--force")
    assert code == 0, stderr
    valid(out)


def test_a_missing_folder_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, stderr = import_to(MSEL, tmp_path / "nowhere" / "x.yaml", capsys)
    assert code == 1 and "does not exist" in stderr


@pytest.mark.parametrize(
    ("name", "content", "words"),
    [
        ("missing.csv", None, "no such file"),
        ("scenario.yaml", "format: 1\n", "unknown kind of file (.yaml)"),
        ("old.xls", "x", "save the sheet as .xlsx or .csv"),
        ("binary.json", b"\x89PNG\r\n\x1a\n\x00\xff", "not UTF-8"),
        ("deep.json", "[" * 100_000 + "]" * 100_000, "nested too deeply"),
    ],
)
def test_unusable_sources_exit_2_with_one_line(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    name: str,
    content: str | bytes | None,
    words: str,
) -> None:
    source = tmp_path / name
    if isinstance(content, bytes):
        source.write_bytes(content)
    elif content is not None:
        source.write_text(content, encoding="utf-8")
    code, stdout, stderr = import_to(source, tmp_path / "out.yaml", capsys)
    assert code == 2
    assert not stdout and stderr.count("\n") == 1, stderr
    assert stderr.startswith("tabletop import: ") and words in stderr and str(source) in stderr
    assert not (tmp_path / "out.yaml").exists()


def test_an_import_that_would_not_validate_is_not_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(path: Path) -> Imported:
        return Imported(
            path, "a test", {"format": 1, "id": "x", "title": "X", "teams": [], "moves": []}
        )

    monkeypatch.setattr("ttx.importers.import_source", broken)
    out = tmp_path / "x.yaml"
    code, _, stderr = import_to(MSEL, out, capsys)
    assert code == 1
    assert "does not validate" in stderr and "no teams" in stderr
    assert list(tmp_path.iterdir()) == []


def test_the_installed_command_prints_no_traceback(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"injects": [{"id": 1}], "start_inject_id": "1"', encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "ttx", "import", str(bad)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=dict(os.environ, TTX_HOME=str(tmp_path / "home")),
        timeout=60,
        check=False,
    )
    assert done.returncode == 2
    assert "not valid JSON" in done.stderr and "Traceback" not in done.stderr
