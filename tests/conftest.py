"""Shared test set-up: every test gets its own data folder."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

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


@pytest.fixture
def phone() -> Iterator[Any]:
    """A phone-sized (390x844) headless Chromium for the real-browser tests (`tests/e2e/browser.py`)."""
    from tests.e2e.browser import phone_browser

    driver = phone_browser()
    try:
        yield driver
    finally:
        driver.quit()
