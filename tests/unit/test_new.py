"""`tabletop new`: the starter exercise validates as is, shows every major feature, never clobbers."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
import yaml

from ttx.cli import main
from ttx.model import check_file, load_exercise
from ttx.model.exercise import Exercise
from ttx.model.starter import slugify, starter_yaml


@pytest.fixture
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run the command from an empty folder."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _new(*argv: str) -> int:
    return main(["new", *argv])


def test_writes_slugged_file_that_validates(
    in_tmp: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _new("My Exercise") == 0
    path = in_tmp / "my-exercise.yaml"
    assert path.is_file()
    exercise = load_exercise(path)
    assert exercise.id == "my-exercise"
    assert exercise.title == "My Exercise"
    _, problems = check_file(path)
    assert problems == [], "\n".join(map(str, problems))
    out = capsys.readouterr().out
    assert "my-exercise.yaml" in out
    for step in (
        "tabletop validate my-exercise.yaml",
        "tabletop handouts my-exercise.yaml",
        "tabletop run my-exercise.yaml",
    ):
        assert step in out


def test_starter_shows_every_major_feature(in_tmp: Path) -> None:
    assert _new("Feature Tour") == 0
    ex = load_exercise(in_tmp / "feature-tour.yaml")
    _assert_features(ex)


def _assert_features(ex: Exercise) -> None:
    assert ex.objectives and ex.sources and ex.state
    assert len(ex.teams) >= 2
    assert {t.played_by for t in ex.teams} == {"students", "facilitator"}
    assert any(t.roles for t in ex.teams)
    assert len([m for m in ex.moves if not m.branch_only]) >= 2
    assert any(m.branch_only for m in ex.moves)
    injects = [i for m in ex.moves for i in m.injects]
    audiences = {i.to if isinstance(i.to, str) else "list" for i in injects}
    assert {"all", "facilitator", "list"} <= audiences
    assert any(i.when is not None for i in injects)
    assert any(m.questions for m in ex.moves)
    decisions = [d for m in ex.moves for d in m.decisions]
    choice = [d for d in decisions if d.kind == "choice"]
    allocation = [d for d in decisions if d.kind == "allocation"]
    assert choice and allocation
    assert all(o.cost and o.consequence and o.effects for o in choice[0].options)
    assert allocation[0].budget and any(o.max for o in allocation[0].options)
    assert any(rule.when is not None for m in ex.moves for rule in m.next)
    assert ex.hot_wash.questions and ex.evaluation.criteria
    assert ex.format == 2 and ex.author and ex.language and ex.tags and ex.glossary
    assert any(i.expected_points for i in injects) and ex.hot_wash.facilitator_notes
    # format 2's timing and shared decisions: an inject after another, a decision asked twice
    timed = next(i for i in injects if i.after is not None)
    assert timed.after is not None
    assert (
        timed.at == next(i.at for i in injects if i.id == timed.after.inject) + timed.after.minutes
    )
    assert any(m.asks for m in ex.moves)


def test_starter_is_heavily_commented() -> None:
    text = starter_yaml("Anything")
    comments = [
        line for line in text.splitlines() if line.lstrip().startswith("#") or " # " in line
    ]
    assert len(comments) >= 40
    assert "tabletop guide" in text


def test_refuses_to_overwrite_without_force(
    in_tmp: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = in_tmp / "my-exercise.yaml"
    path.write_text("my own work\n", encoding="utf-8")
    assert _new("My Exercise") == 1
    err = capsys.readouterr().err
    assert "my-exercise.yaml already exists" in err and "--force" in err
    assert "Traceback" not in err
    assert path.read_text(encoding="utf-8") == "my own work\n"
    assert _new("My Exercise", "--force") == 0
    assert load_exercise(path).title == "My Exercise"


def test_output_option_file_and_folder(in_tmp: Path) -> None:
    assert _new("Border Talks", "-o", "custom.yaml") == 0
    assert load_exercise(in_tmp / "custom.yaml").id == "border-talks"
    (in_tmp / "mine").mkdir()
    assert _new("Border Talks", "-o", "mine") == 0
    assert (in_tmp / "mine" / "border-talks.yaml").is_file()


def test_missing_folder_is_a_clear_error(in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert _new("X", "-o", "nowhere/x.yaml") == 1
    err = capsys.readouterr().err
    assert "does not exist" in err and "Traceback" not in err


def test_empty_title_is_refused(in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert _new("   ") == 1
    assert "title is empty" in capsys.readouterr().err
    assert list(in_tmp.iterdir()) == []


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("My Exercise", "my-exercise"),
        ("Across the Line: 2026!", "across-the-line-2026"),
        ("Crise à la frontière", "crise-a-la-frontiere"),
        ("2026", "2026"),
        ("¿?¡!", "exercise"),
        ("word " * 40, "-".join(["word"] * 12)),
    ],
)
def test_slugify(title: str, slug: str) -> None:
    assert slugify(title) == slug
    assert len(slugify(title)) <= 64


@pytest.mark.parametrize(
    "title",
    [
        'Say "hi": a test',
        "yes",
        "null",
        "2026",
        "#hash & *star: {brace}",
        "Line\nbreak",
        "Crise à la frontière",
    ],
)
def test_awkward_titles_stay_valid_yaml(title: str, in_tmp: Path) -> None:
    text = starter_yaml(title)
    data = yaml.safe_load(text)
    assert data["title"] == " ".join(title.split())
    assert isinstance(data["id"], str)
    path = in_tmp / "t.yaml"
    path.write_text(text, encoding="utf-8")
    load_exercise(path)


@pytest.mark.skipif(
    importlib.util.find_spec("ttx.commands.validate") is None,
    reason="`tabletop validate` is not built yet",
)
def test_ttx_validate_accepts_the_starter(in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert _new("Validated Start") == 0
    capsys.readouterr()
    assert main(["validate", "validated-start.yaml"]) == 0
    out = capsys.readouterr()
    text = out.out + out.err
    assert ": error:" not in text and ": warning:" not in text
    assert "validated-start.yaml" in text
