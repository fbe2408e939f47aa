"""Where ttx keeps its data: one place for every folder (TTX_HOME overrides, for tests)."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

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
    """The exercises that ship with ttx (the repository's `exercises/` folder)."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "exercises", here.parent.parent / "exercises"):
        if candidate.is_dir():
            return candidate
    return here.parent.parent / "exercises"


def package_dir() -> Path:
    """The installed package folder (templates, fonts, styles)."""
    return Path(__file__).resolve().parent


def cache_dir() -> Path:
    """Throw-away data ttx can rebuild (exercise summaries): `TTX_HOME/cache`, or the user cache folder."""
    override = os.environ.get("TTX_HOME")
    if override:
        return Path(override) / "cache"
    return Path(platformdirs.user_cache_dir(APP, appauthor=False))
