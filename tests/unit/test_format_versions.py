"""Formats 1 and 2: every format-1 file still loads, unchanged; format-2 fields need `format: 2`."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ttx.cli import main
from ttx.model.exercise import Exercise
from ttx.model.problems import ExerciseError, Problem
from ttx.model.validate import check_file

ROOT = Path(__file__).resolve().parents[2]
GUIDE = ROOT / "docs" / "authoring.md"


def _guide_exercises(tmp: Path) -> list[Path]:
    """Every YAML block of docs/authoring.md that is a whole format-1 exercise, as a file."""
    text = GUIDE.read_text(encoding="utf-8")
    paths = []
    for n, chunk in enumerate(text.split("```yaml\n")[1:]):
        block = chunk.split("\n```", 1)[0] + "\n"
        if re.search(r"^format: 1\b", block, re.M) and re.search(r"^moves:", block, re.M):
            path = tmp / f"guide-{n}.yaml"
            path.write_text(block, encoding="utf-8")
            paths.append(path)
    return paths


FORMAT_1_FILES = sorted(
    [
        # The flagship moved to format 2 for its frame (the five questions); the demo and
        # the toolbox stay format 1 on purpose, so a real exercise of each format ships.
        *(p for p in (ROOT / "exercises").glob("*.yaml") if p.stem != "across-the-line"),
        ROOT / "tests" / "format1" / "starter.yaml",  # what `tabletop new` wrote in format 1
    ]
)
BROKEN = sorted((ROOT / "tests" / "broken").glob("*.yaml"))


def _format(path: Path) -> int | None:
    found = re.search(r"^format: (\d+)", path.read_text(encoding="utf-8"), re.M)
    return int(found.group(1)) if found else None


def test_the_repository_keeps_format_1_files() -> None:
    assert all(_format(p) == 1 for p in FORMAT_1_FILES), "a shipped format-1 file was migrated"
    assert len(FORMAT_1_FILES) >= 3


@pytest.mark.parametrize("path", FORMAT_1_FILES, ids=lambda p: p.name)
def test_every_format_1_file_in_the_repository_is_valid(
    path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["validate", str(path)]) == 0
    out = capsys.readouterr().out
    assert f"{path}: ok" in out and "error" not in out.replace("0 errors", "")


def test_every_format_1_exercise_of_the_guide_is_valid(tmp_path: Path) -> None:
    paths = _guide_exercises(tmp_path)
    assert paths, "the guide's worked example is a format-1 exercise"
    for path in paths:
        exercise, problems = check_file(path)
        assert exercise is not None and exercise.format == 1
        assert [p for p in problems if p.severity == "error"] == [], path.name


@pytest.mark.parametrize("path", [*FORMAT_1_FILES, *BROKEN], ids=lambda p: p.name)
def test_format_2_reads_a_format_1_file_the_same_way(path: Path, tmp_path: Path) -> None:
    """Format 2 only adds: relabelling a format-1 file gives the same exercise and problems."""
    text = path.read_text(encoding="utf-8")
    if not re.search(r"^format: 1\b", text, re.M):
        pytest.skip("not a format-1 file")
    relabelled = tmp_path / path.name
    relabelled.write_text(re.sub(r"^format: 1\b", "format: 2", text, count=1, flags=re.M), "utf-8")
    old, old_problems = _checked(path)
    new, new_problems = _checked(relabelled)
    assert [(p.line, p.message, p.severity) for p in new_problems] == [
        (p.line, p.message, p.severity)
        for p in old_problems
        if "is a format-2 field" not in p.message  # format 2 is what this file was missing
    ]
    if old is not None:
        assert new is not None
        assert new.model_dump(exclude={"format"}) == old.model_dump(exclude={"format"})


def _checked(path: Path) -> tuple[Exercise | None, list[Problem]]:
    try:
        return check_file(path)
    except ExerciseError as exc:  # a YAML syntax error: nothing further is checked
        return None, list(exc.problems)


FORMAT_2_FIELDS = [
    ("author: Dr. Instructor\n", "`author` in the exercise", 3),
    ("tags: [cyber, seminar]\n", "`tags` in the exercise", 3),
    ("language: fr\n", "`language` in the exercise", 3),
    ("location: Room 204\n", "`location` in the exercise", 3),
    ("point_of_contact: {name: A. Lee}\n", "`point_of_contact` in the exercise", 3),
    ("glossary: {EOC: Emergency Operations Centre}\n", "`glossary` in the exercise", 3),
]


@pytest.mark.parametrize(("line", "named", "at"), FORMAT_2_FIELDS, ids=lambda v: str(v)[:12])
def test_a_format_2_field_in_a_format_1_file_names_the_field_and_the_fix(
    line: str, named: str, at: int, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = (ROOT / "exercises" / "demo.yaml").read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    index = next(i for i, x in enumerate(lines) if x.startswith("format: 1"))
    lines.insert(index + 1, line)
    path = tmp_path / "mixed.yaml"
    path.write_text("".join(lines), encoding="utf-8")
    assert main(["validate", str(path)]) == 1
    out = capsys.readouterr().out
    expected = (
        f"{path}:{index + 2}:1: error: {named} is a format-2 field, but this file is "
        f"`format: 1` — write `format: 2` at line {index + 1}"
    )
    assert expected in out, out
    path.write_text("".join(lines).replace("format: 1", "format: 2", 1), encoding="utf-8")
    assert main(["validate", str(path)]) == 0


def test_nested_format_2_fields_are_named_where_they_are(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = (ROOT / "exercises" / "demo.yaml").read_text(encoding="utf-8")
    text = text.replace(
        "        title: A warning about one unit\n",
        "        title: A warning about one unit\n        expected_points: [Ask who shares.]\n",
        1,
    ).replace("hot_wash:\n", "hot_wash:\n  facilitator_notes: Start with Mexico.\n", 1)
    path = tmp_path / "nested.yaml"
    path.write_text(text, encoding="utf-8")
    assert main(["validate", str(path)]) == 1
    out = capsys.readouterr().out
    assert "`expected_points` in move 'offer' › inject 'leak_warning' is a format-2 field" in out
    assert "`facilitator_notes` in hot_wash is a format-2 field" in out
    assert out.count(" error: ") == 2


@pytest.mark.parametrize(
    ("version", "message"),
    [
        (
            3,
            "this file is in exercise format 3, written for a newer tabletop; this tabletop reads formats 1 and 2 — install a newer tabletop",
        ),
        (0, "format 0 does not exist; this tabletop reads formats 1 and 2 — write `format: 2`"),
    ],
)
def test_format_version_errors_name_the_versions_and_the_fix(
    version: int, message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "v.yaml"
    text = (ROOT / "exercises" / "demo.yaml").read_text(encoding="utf-8")
    path.write_text(text.replace("format: 1", f"format: {version}", 1), encoding="utf-8")
    assert main(["validate", str(path)]) == 1
    assert message in capsys.readouterr().out


def test_the_guide_format_2_example_validates_without_a_warning(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = GUIDE.read_text(encoding="utf-8")
    blocks = [c.split("\n```", 1)[0] + "\n" for c in text.split("```yaml\n")[1:]]
    example = next(b for b in blocks if b.startswith("format: 2"))
    path = tmp_path / "format2.yaml"
    path.write_text(example, encoding="utf-8")
    assert main(["validate", str(path)]) == 0
    assert capsys.readouterr().out.endswith("(0 errors, 0 warnings)\n")
