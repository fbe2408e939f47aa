"""Imported exercises print: each importer's sample, imported with `tabletop import`, renders
the whole handout set through `tabletop handouts`, as a user would run them."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.report.pdfcheck import squash, text_of
from ttx.cli import main

SOURCES = Path(__file__).resolve().parents[1] / "import_sources"


@pytest.mark.slow
@pytest.mark.parametrize(
    ("source", "words"),
    [
        ("hurricane-msel.csv", "The state offers 10 school buses for evacuation."),
        ("iceberg-flood.json", "Facilities report water near the UPS room."),
        ("t3sf-breach.json", "Do we lock every account now?"),
    ],
)
def test_an_imported_exercise_prints_its_handouts(tmp_path: Path, source: str, words: str) -> None:
    copy = tmp_path / source
    shutil.copy(SOURCES / source, copy)
    exercise = tmp_path / "imported.yaml"
    assert main(["import", str(copy), "-o", str(exercise)]) == 0
    out = tmp_path / "handouts"
    assert main(["handouts", str(exercise), "-o", str(out)]) == 0
    names = {p.name for p in out.glob("*.pdf")}
    assert {"situation-manual.pdf", "facilitator-guide.pdf", "inject-cards.pdf"} <= names
    assert words in " ".join(text_of(out / "inject-cards.pdf").split()) or words in " ".join(
        text_of(out / "facilitator-guide.pdf").split()
    )


@pytest.mark.slow
@pytest.mark.parametrize(
    ("source", "guide_words"),
    [
        # an expected action is its inject's expected points
        ("hurricane-msel.csv", ["EOC: Allocate the buses"]),
        # debrief notes in the hot wash; a delayed message 1 min after its inject
        (
            "iceberg-flood.json",
            [
                "Discuss the failover criteria and who may call them.",
                'minute 1 (1 min after "Total outage")',
                'minute 0 (with "Total outage")',
                "Call the facilities lead",
            ],
        ),
        # a poll: no invented consequences
        ("t3sf-breach.json", ["Poll", "Do we lock every account now?"]),
    ],
)
def test_format_2_imports_print_what_the_source_said(
    tmp_path: Path, source: str, guide_words: list[str]
) -> None:
    copy = tmp_path / source
    shutil.copy(SOURCES / source, copy)
    exercise = tmp_path / "imported.yaml"
    assert main(["import", str(copy), "-o", str(exercise)]) == 0
    assert "format: 2" in exercise.read_text(encoding="utf-8")
    out = tmp_path / "handouts"
    assert main(["handouts", str(exercise), "-o", str(out)]) == 0
    guide = squash(text_of(out / "facilitator-guide.pdf"))
    for words in guide_words:
        assert squash(words) in guide, words
    assert "say what follows" not in guide
