"""The safe YAML reader: positions of every value and key, duplicate keys, merges, limits, both parsers."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from ttx.model import loader
from ttx.model.loader import MAX_DEPTH, exercise_files, read_yaml
from ttx.model.problems import ExerciseError
from ttx.model.validate import check_file


def read(tmp_path: Path, text: str | bytes) -> loader.Document:
    path = tmp_path / "x.yaml"
    if isinstance(text, str):
        path.write_text(text, encoding="utf-8")
    else:
        path.write_bytes(text)
    return read_yaml(path)


def failure(tmp_path: Path, text: str | bytes) -> ExerciseError:
    with pytest.raises(ExerciseError) as caught:
        read(tmp_path, text)
    return caught.value


@pytest.fixture(params=["libyaml", "pure"])
def parser(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Run a test with libyaml's parser and again with PyYAML's pure-Python one (the fallback)."""
    if request.param == "pure":
        monkeypatch.setattr(loader, "_Parser", yaml.SafeLoader)
    elif not getattr(yaml, "__with_libyaml__", False):
        pytest.skip("libyaml is not available")
    return str(request.param)


def test_positions_of_values_and_keys(tmp_path: Path, parser: str) -> None:
    doc = read(tmp_path, "title: Hello\nmoves:\n  - id: m1\n    next: [{goto: end}]\n")
    assert doc.data == {"title": "Hello", "moves": [{"id": "m1", "next": [{"goto": "end"}]}]}
    assert doc.positions[("title",)] == (1, 8)
    assert doc.key_positions[("title",)] == (1, 1)
    assert doc.positions[("moves", 0)] == (3, 5)
    assert doc.positions[("moves", 0, "id")] == (3, 9)
    assert doc.positions[("moves", 0, "next", 0, "goto")] == (4, 19)
    assert doc.where(("moves", 0, "missing", "deeper")) == (3, 5)


def test_scalars_are_plain_values(tmp_path: Path, parser: str) -> None:
    doc = read(tmp_path, "a: 1\nb: 2.5\nc: true\nd: ~\ne: 2025-01-14\nf: '007'\n7: x\ng: +1\n")
    assert doc.data == {
        "a": 1, "b": 2.5, "c": True, "d": None, "e": "2025-01-14", "f": "007", "7": "x", "g": 1,
    }  # fmt: skip


def test_every_duplicate_key_is_reported_and_checking_goes_on(tmp_path: Path, parser: str) -> None:
    path = tmp_path / "x.yaml"
    path.write_text("format: 1\nid: a\nid: b\ntitle: T\ntitle: U\nteams: []\nmoves: []\nmovez: 1\n")
    _, problems = check_file(path)
    messages = [(p.line, p.message) for p in problems]
    assert (3, "duplicate key 'id' (first at line 2)") in messages
    assert (5, "duplicate key 'title' (first at line 4)") in messages
    assert any(line == 8 and "unknown key 'movez'" in m for line, m in messages)


def test_merge_keys_fill_in_without_overriding(tmp_path: Path, parser: str) -> None:
    doc = read(tmp_path, "base: &b {x: 1, y: 2}\nuse:\n  y: 3\n  <<: *b\n")
    assert doc.data["use"] == {"y": 3, "x": 1}
    assert doc.problems == []


def test_anchors_are_shared_not_copied(tmp_path: Path, parser: str) -> None:
    doc = read(tmp_path, "a: &x [1, 2]\nb: *x\n")
    assert doc.data["b"] is doc.data["a"]


def test_depth_limit_is_exact(tmp_path: Path, parser: str) -> None:
    ok = "a: " + "[" * (MAX_DEPTH - 1) + "]" * (MAX_DEPTH - 1) + "\n"
    assert read(tmp_path, ok).data is not None
    too_deep = "a: " + "[" * MAX_DEPTH + "]" * MAX_DEPTH + "\n"
    [problem] = failure(tmp_path, too_deep).problems
    assert problem.message == f"nesting is deeper than {MAX_DEPTH} levels"
    assert (problem.line, problem.column) == (1, 3 + MAX_DEPTH)


def test_alias_bomb_stops_early(tmp_path: Path, parser: str) -> None:
    rows = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    for prev, name in zip("abcdefgh", "bcdefghi", strict=True):
        rows.append(f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 10) + "]")
    [problem] = failure(tmp_path, "\n".join(rows) + "\n").problems
    assert "(an alias bomb?)" in problem.message


def test_tags_refused_before_anything_is_built(tmp_path: Path, parser: str) -> None:
    for text, tag in [
        ("a: !!python/object/apply:os.system ['true']\n", "!!python/object/apply:os.system"),
        ("a: !!binary aGVsbG8=\n", "!!binary"),
        ("a: !!set {x}\n", "!!set"),
        ("a: !custom x\n", "!custom"),
    ]:
        [problem] = failure(tmp_path, text).problems
        assert problem.message == f"the tag '{tag}' is not allowed in an exercise"
        assert (problem.line, problem.column) == (1, 4)


def test_explicit_plain_tags_are_fine(tmp_path: Path, parser: str) -> None:
    assert read(tmp_path, "a: !!str 12\nb: !!int '3'\n").data == {"a": "12", "b": 3}


def test_crlf_and_bom(tmp_path: Path, parser: str) -> None:
    doc = read(tmp_path, b"\xef\xbb\xbfa: 1\r\nb: two\r\n")
    assert doc.data == {"a": 1, "b": "two"}
    assert doc.positions[("b",)] == (2, 4)


def test_syntax_errors_point_at_the_cause(tmp_path: Path, parser: str) -> None:
    [problem] = failure(tmp_path, "a: 1\nb: 'open\nc: 3\n").problems
    assert (problem.line, problem.column) == (2, 4)
    assert problem.message == "a quoted text starts here and is never closed"
    [problem] = failure(tmp_path, "a:\n  b: 1\n\tc: 2\n").problems
    assert problem.line == 3 and "tab character" in problem.message


def test_exercise_files_expands_folders(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    for folder in (".venv", "node_modules", "a"):
        (tmp_path / folder).mkdir()
    for name in (
        "z.yaml",
        "a.yml",
        "notes.txt",
        "b/c.yaml",
        ".venv/x.yaml",
        "node_modules/y.yaml",
        ".hidden.yaml",
        "a/d.yaml",
    ):
        (tmp_path / name).write_text("x: 1\n")
    found = exercise_files([str(tmp_path), str(tmp_path / "notes.txt")])
    assert [p.relative_to(tmp_path).as_posix() for p in found] == [
        "a.yml", "z.yaml", "a/d.yaml", "b/c.yaml", "notes.txt",
    ]  # fmt: skip


def test_a_folder_or_device_is_not_read_as_a_file(tmp_path: Path) -> None:
    with pytest.raises(ExerciseError) as caught:
        read_yaml(tmp_path)
    assert caught.value.unusable and "is a folder" in caught.value.problems[0].message
    devnull = Path("/dev/zero")
    if devnull.exists():
        with pytest.raises(ExerciseError) as caught:
            read_yaml(devnull)
        assert caught.value.unusable and "not a regular file" in caught.value.problems[0].message
