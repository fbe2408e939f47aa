"""The exercises the home screen offers: shipped ones and the user's own, each loaded or its problem."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ttx.model import Exercise, ExerciseError, load_exercise
from ttx.paths import shipped_exercises_dir, user_exercises_dir


@dataclass(frozen=True)
class Entry:
    """One exercise file: where it is, whether it ships with ttx, and the exercise or its problem."""

    path: Path
    shipped: bool
    exercise: Exercise | None
    problem: str | None


def _files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.suffix in {".yaml", ".yml"} and p.is_file())


def load_entry(path: Path, shipped: bool) -> Entry:
    """Load one exercise file; a broken one becomes an entry carrying its first problem."""
    try:
        return Entry(path, shipped, load_exercise(path), None)
    except ExerciseError as error:
        first = str(error.problems[0]) if error.problems else str(error)
        return Entry(path, shipped, None, first)
    except Exception as error:  # an unreadable file must not stop the home screen
        return Entry(path, shipped, None, f"{path.name}: {error}")


def catalogue() -> list[Entry]:
    """Every exercise the user can start: the shipped ones first, then the user's own folder."""
    entries = [load_entry(p, True) for p in _files(shipped_exercises_dir())]
    entries += [load_entry(p, False) for p in _files(user_exercises_dir())]
    return entries
