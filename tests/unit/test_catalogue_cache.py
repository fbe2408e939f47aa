"""The home screen's exercise list: summaries cached per file, never stale, never in the way."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from ttx.paths import cache_dir
from ttx.service import catalogue as cat

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "exercises" / "demo.yaml"


@pytest.fixture
def folders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    """A shipped folder holding a copy of the demo, and an empty user folder."""
    shipped, own = tmp_path / "shipped", tmp_path / "own"
    shipped.mkdir()
    own.mkdir()
    shutil.copy(DEMO, shipped / "demo.yaml")
    monkeypatch.setattr(cat, "shipped_exercises_dir", lambda: shipped)
    monkeypatch.setattr(cat, "user_exercises_dir", lambda: own)
    return shipped, own


def loads_counted(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Record every exercise file actually read (YAML and validation) from now on."""
    import ttx.model.validate

    real = ttx.model.validate.load_exercise
    calls: list[Path] = []

    def counting(path: Path) -> object:
        calls.append(Path(path))
        return real(path)

    monkeypatch.setattr(ttx.model.validate, "load_exercise", counting)
    return calls


def titles(entries: list[cat.Entry]) -> list[str | None]:
    return [e.summary.title if e.summary else e.problem for e in entries]


def test_an_unchanged_exercise_is_listed_from_the_cache(
    folders: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    first = cat.catalogue()
    assert (cache_dir() / cat.CACHE_NAME).is_file()
    calls = loads_counted(monkeypatch)
    second = cat.catalogue()
    assert calls == []  # nothing parsed
    assert second == first
    summary = second[0].summary
    assert summary is not None
    assert summary.title == "Demo: An Offer Across the Border"
    assert summary.teams and summary.moves > 0 and summary.duration_minutes > 0


def test_an_edited_exercise_is_read_again(
    folders: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    shipped, _ = folders
    cat.catalogue()
    path = shipped / "demo.yaml"
    stat = path.stat()
    text = path.read_text(encoding="utf-8")
    old_title = "Demo: An Offer Across the Border"
    assert old_title in text
    # Same length and the same modification time: only the bytes tell the change.
    path.write_text(text.replace(old_title, old_title.upper()), encoding="utf-8")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    calls = loads_counted(monkeypatch)
    assert titles(cat.catalogue()) == [old_title.upper()]
    assert calls == [path]
    assert titles(cat.catalogue()) == [old_title.upper()]
    assert calls == [path]  # and cached again


def test_an_exercise_that_becomes_invalid_shows_its_problem(folders: tuple[Path, Path]) -> None:
    shipped, _ = folders
    cat.catalogue()
    path = shipped / "demo.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("teams:", "teams_:", 1), "utf-8")
    for _ in range(2):  # read, then from the cache: the same message
        (entry,) = cat.catalogue()
        assert entry.summary is None
        assert entry.problem is not None and "demo.yaml:" in entry.problem


def test_a_new_and_a_removed_file(folders: tuple[Path, Path]) -> None:
    shipped, own = folders
    cat.catalogue()
    shutil.copy(DEMO, own / "mine.yaml")
    entries = cat.catalogue()
    assert [(e.path.name, e.shipped) for e in entries] == [
        ("demo.yaml", True),
        ("mine.yaml", False),
    ]
    (shipped / "demo.yaml").unlink()
    assert [e.path.name for e in cat.catalogue()] == ["mine.yaml"]
    stored = json.loads((cache_dir() / cat.CACHE_NAME).read_text(encoding="utf-8"))
    assert list(stored["files"]) == [str(own / "mine.yaml")]


@pytest.mark.parametrize(
    "content",
    [
        "not json {",
        "[]",
        '{"format": 1, "files": []}',
        "\x00\xff garbage",
    ],
)
def test_a_corrupt_cache_is_ignored_and_replaced(folders: tuple[Path, Path], content: str) -> None:
    cat.catalogue()
    path = cache_dir() / cat.CACHE_NAME
    path.write_text(content, encoding="utf-8", errors="surrogateescape")
    assert titles(cat.catalogue()) == ["Demo: An Offer Across the Border"]
    assert json.loads(path.read_text(encoding="utf-8"))["format"] == cat.CACHE_FORMAT


def test_a_cache_entry_with_wrong_fields_is_read_again(
    folders: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    cat.catalogue()
    path = cache_dir() / cat.CACHE_NAME
    data = json.loads(path.read_text(encoding="utf-8"))
    (record,) = data["files"].values()
    record["summary"] = {"title": 3}
    path.write_text(json.dumps(data), encoding="utf-8")
    calls = loads_counted(monkeypatch)
    assert titles(cat.catalogue()) == ["Demo: An Offer Across the Border"]
    assert len(calls) == 1


def test_an_unwritable_cache_folder_is_ignored(
    folders: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    monkeypatch.setattr(cat, "cache_dir", lambda: blocker / "cache")
    assert titles(cat.catalogue()) == ["Demo: An Offer Across the Border"]
    assert titles(cat.catalogue()) == ["Demo: An Offer Across the Border"]


def test_other_validating_code_empties_the_cache(
    folders: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    cat.catalogue()
    monkeypatch.setattr(cat, "code_fingerprint", lambda: "another ttx")
    calls = loads_counted(monkeypatch)
    cat.catalogue()
    assert len(calls) == 1


def test_the_code_fingerprint_follows_the_model_sources() -> None:
    text = cat.code_fingerprint()
    assert "exercise.py:" in text and "validate.py:" in text and "catalogue.py:" in text
    assert text.startswith(__import__("ttx").__version__)


def test_a_file_that_could_not_be_read_is_not_cached(
    folders: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A missing or unreadable file is a passing state, not the exercise's content."""
    import ttx.model.validate
    from ttx.model import ExerciseError, Problem

    real = ttx.model.validate.load_exercise

    def unreadable(path: Path) -> object:
        raise ExerciseError([Problem(str(path), None, None, "permission denied")], unusable=True)

    monkeypatch.setattr(ttx.model.validate, "load_exercise", unreadable)
    (entry,) = cat.catalogue()
    assert entry.summary is None and entry.problem and "permission denied" in entry.problem
    monkeypatch.setattr(ttx.model.validate, "load_exercise", real)
    assert titles(cat.catalogue()) == ["Demo: An Offer Across the Border"]


def test_listing_from_the_cache_loads_neither_yaml_nor_pydantic(
    folders: tuple[Path, Path], tmp_path: Path
) -> None:
    """What the home screen does right after its first paint, in a fresh interpreter."""
    shipped, own = folders
    cat.catalogue()
    journal = tmp_path / "journal.sqlite3"
    from ttx.api import open_journal

    with open_journal(journal) as j:
        j.create_session(shipped / "demo.yaml").close()
    code = f"""
import sys
from pathlib import Path
from ttx.service import catalogue as cat
cat.shipped_exercises_dir = lambda: Path({str(shipped)!r})
cat.user_exercises_dir = lambda: Path({str(own)!r})
from ttx.store.journal import JournalStore
entries = cat.catalogue()
store = JournalStore(Path({str(journal)!r}))
rows = store.list_sessions()
print(entries[0].summary.title, len(rows), rows[0].exercise_title)
print(sorted(m for m in ("pydantic", "yaml", "ttx.model", "ttx.api") if m in sys.modules))
"""
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=os.environ
    )
    title_line, loaded = result.stdout.splitlines()
    assert title_line.startswith("Demo: An Offer Across the Border 1 Demo:")
    assert loaded == "[]"


def test_the_quick_listing_only_answers_when_every_file_is_cached(
    folders: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    _, own = folders
    assert cat.cached_catalogue() is None  # nothing cached yet
    full = cat.catalogue()
    calls = loads_counted(monkeypatch)
    assert cat.cached_catalogue() == full
    shutil.copy(DEMO, own / "mine.yaml")
    assert cat.cached_catalogue() is None  # a new file must be read
    cat.catalogue()
    (own / "mine.yaml").write_text("format: 1\n", encoding="utf-8")
    assert cat.cached_catalogue() is None  # so must an edited one
    assert calls == [own / "mine.yaml"]  # read by catalogue(), never by the quick listing
