"""Where ttx keeps its data: one place for every folder (TTX_HOME overrides, for tests)."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

from ttx.errors import UnusableInput

APP = "ttx"


def data_dir() -> Path:
    """The folder holding the session journal and the user's exercises."""
    override = os.environ.get("TTX_HOME")
    base = Path(override) if override else Path(platformdirs.user_data_dir(APP, appauthor=False))
    return base


def sessions_db() -> Path:
    """The SQLite journal of every session."""
    return data_dir() / "sessions.sqlite3"


def user_exercises_dir() -> Path:
    """The user's own exercises, listed on the home screen beside the shipped ones."""
    return data_dir() / "exercises"


def reports_dir() -> Path:
    """Where after-action reports are written when no -o is given."""
    return data_dir() / "reports"


def shipped_exercises_dir() -> Path:
    """The exercises that ship with ttx: `ttx/exercises/` in an installed copy (the wheel
    maps the repository's top-level `exercises/` there), the repository's folder in a checkout."""
    return _shipped("exercises")


def shipped_docs_dir() -> Path:
    """The documentation that ships with ttx (the repository's `docs/`, mapped like exercises)."""
    return _shipped("docs")


def _shipped(name: str) -> Path:
    here = Path(__file__).resolve().parent
    for candidate in (here / name, here.parent.parent / name):
        if candidate.is_dir():
            return candidate
    return here.parent.parent / name


class ExerciseNotFound(UnusableInput):
    """An exercise argument is neither a file nor a known exercise id (or names several)."""


def find_exercise(argument: str) -> Path:
    """The exercise file an argument names: an existing path wins, then a shipped exercise's
    id, then an id in the data folder's `exercises/` (the id is the file name without `.yaml`).

    Raises ExerciseNotFound, naming the candidates when the id is ambiguous.
    """
    path = Path(argument).expanduser()
    if path.exists() or not argument or "/" in argument or argument.endswith((".yaml", ".yml")):
        return path
    shipped = _by_id(shipped_exercises_dir(), argument)
    own = _by_id(user_exercises_dir(), argument)
    found = shipped or own
    if len(found) == 1:
        return found[0]
    if len(found) > 1:
        listed = ", ".join(str(p) for p in found)
        raise ExerciseNotFound(
            f"{argument!r} names {len(found)} exercises ({listed}); give the path of the one you mean"
        )
    known = sorted({p.stem for p in _exercise_files(shipped_exercises_dir())})
    raise ExerciseNotFound(
        f"{argument!r} is neither a file nor the id of an exercise; "
        f"shipped exercises: {', '.join(known) or 'none'} (`tabletop` lists every one)"
    )


def _by_id(folder: Path, exercise_id: str) -> list[Path]:
    return [p for p in _exercise_files(folder) if p.stem == exercise_id]


def _exercise_files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.suffix in {".yaml", ".yml"} and p.is_file())


def package_dir() -> Path:
    """The installed package folder (templates, fonts, styles)."""
    return Path(__file__).resolve().parent


def cache_dir() -> Path:
    """Throw-away data ttx can rebuild (exercise summaries): `TTX_HOME/cache`, or the user cache folder."""
    override = os.environ.get("TTX_HOME")
    if override:
        return Path(override) / "cache"
    return Path(platformdirs.user_cache_dir(APP, appauthor=False))
