"""Shared helpers of the importer tests: the sample sources and running `tabletop import`."""

from __future__ import annotations

from pathlib import Path

import pytest

from ttx.cli import main
from ttx.model.exercise import Exercise
from ttx.model.validate import check_file, load_exercise

SOURCES = Path(__file__).resolve().parent.parent / "import_sources"


def import_to(
    source: Path, out: Path, capsys: pytest.CaptureFixture[str], *extra: str
) -> tuple[int, str, str]:
    """Run `tabletop import SOURCE -o OUT`; the exit code, standard output and error."""
    code = main(["import", str(source), "-o", str(out), *extra])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def valid(path: Path) -> Exercise:
    """The exercise at `path`, which must validate without errors or warnings."""
    exercise = load_exercise(path)
    _, problems = check_file(path)
    assert not problems, [str(p) for p in problems]
    return exercise
