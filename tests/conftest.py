"""Shared test set-up: every test gets its own data folder."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXERCISES = ROOT / "exercises"


@pytest.fixture(autouse=True)
def _ttx_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point TTX_HOME at a fresh folder so no test touches the user's data."""
    home = tmp_path / "ttx-home"
    monkeypatch.setenv("TTX_HOME", str(home))
    return home


@pytest.fixture
def ttx_home(_ttx_home: Path) -> Path:
    """The data folder of this test."""
    return _ttx_home


@pytest.fixture
def demo_path() -> Path:
    """The shipped demo exercise."""
    return EXERCISES / "demo.yaml"
