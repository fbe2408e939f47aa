"""Fixtures of the document tests: the demo handouts rendered once per test run."""

from __future__ import annotations

from pathlib import Path

import pytest

from ttx.cli import main

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "exercises" / "demo.yaml"
FLAGSHIP = ROOT / "exercises" / "across-the-line.yaml"


@pytest.fixture(scope="session")
def demo_handouts(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo's handout folder, rendered through `tabletop handouts` as a user would."""
    out = tmp_path_factory.mktemp("handouts") / "demo"
    assert main(["handouts", str(DEMO), "-o", str(out)]) == 0
    return out
