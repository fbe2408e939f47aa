"""Documents of the smallest exercise and of a session that barely started still render."""

from __future__ import annotations

from pathlib import Path

from tests.report.pdfcheck import text_of
from ttx.api import open_journal
from ttx.cli import main
from ttx.model.validate import load_exercise
from ttx.report.aar import report_html
from ttx.report.handouts import handout_set

MINIMAL = """\
format: 1
id: tiny
title: Tiny
teams:
  - id: solo
    name: Solo team
moves:
  - id: only
    title: The only move
"""


def test_minimal_exercise_gives_every_handout(tmp_path: Path) -> None:
    path = tmp_path / "tiny.yaml"
    path.write_text(MINIMAL, encoding="utf-8")
    exercise = load_exercise(path)
    docs = handout_set(exercise)
    assert [d.filename for d in docs] == [
        "situation-manual.pdf",
        "team-solo.pdf",
        "inject-cards.pdf",
        "feedback-form.pdf",
        "facilitator-guide.pdf",
    ]
    for doc in docs:
        assert "Tiny" in doc.html("a4")
    out = tmp_path / "out"
    assert main(["handouts", str(path), "-o", str(out)]) == 0
    assert "This exercise has no injects delivered on paper." in text_of(out / "inject-cards.pdf")


def test_report_of_a_session_that_just_started(demo_path: Path, tmp_path: Path) -> None:
    with open_journal() as journal, journal.create_session(demo_path) as session:
        state = session.state
        session_id = session.id
    html = report_html(state)
    assert "No move was entered." in html and "No decision was recorded." in html
    out = tmp_path / "early.pdf"
    assert main(["report", session_id, "-o", str(out)]) == 0
    text = text_of(out)
    assert "No improvement items were recorded." in text and "Not rated" in text
    word = tmp_path / "early.docx"
    assert main(["report", session_id, "--format", "docx", "-o", str(word)]) == 0
    import docx

    paragraphs = [p.text for p in docx.Document(str(word)).paragraphs]
    assert "No decision was recorded." in paragraphs
