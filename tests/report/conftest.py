"""Fixtures of the document tests: the demo handouts rendered once per test run."""

from __future__ import annotations

from pathlib import Path

import pytest

from ttx.cli import main

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "exercises" / "demo.yaml"
FLAGSHIP = ROOT / "exercises" / "across-the-line.yaml"
TOOLBOX = ROOT / "exercises" / "toolbox-test.yaml"


@pytest.fixture(scope="session")
def demo_handouts(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo's handout folder, rendered through `tabletop handouts` as a user would."""
    out = tmp_path_factory.mktemp("handouts") / "demo"
    assert main(["handouts", str(DEMO), "-o", str(out)]) == 0
    return out


@pytest.fixture(scope="session")
def shipped_handouts(tmp_path_factory: pytest.TempPathFactory, demo_handouts: Path) -> list[Path]:
    """The handout folders of every shipped exercise (demo, flagship, toolbox), rendered once."""
    out = tmp_path_factory.mktemp("shipped")
    folders = [demo_handouts]
    for exercise in (FLAGSHIP, TOOLBOX):
        folder = out / exercise.stem
        assert main(["handouts", str(exercise), "-o", str(folder)]) == 0
        folders.append(folder)
    return folders
