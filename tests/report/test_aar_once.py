"""Nothing printed twice: the summary and the ratings table name what the analysis prints in full."""

from __future__ import annotations

from pathlib import Path

import docx

from tests.report.pdfcheck import body_text, norm, repeated_passages
from tests.report.sessions import demo_session
from ttx.cli import main

STRENGTH = (
    "The US team named a measurable end state before it chose a tool. "
    "It wrote the end state on the board, checked it against each option in turn, and came "
    "back to it when the partner's red line arrived, which kept the debate on the outcome "
    "rather than on the instruments."
)
GAP = (
    "Mexico's team did not plan for retaliation at home. "
    "Nobody asked what the cartels would do in the first week after the joint cell opened, "
    "so the cabinet had no answer when the violence inject arrived, and lost ten minutes "
    "to the question."
)


def _docx_text(path: Path) -> str:
    document = docx.Document(str(path))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts.extend(cell.text for row in table.rows for cell in row.cells)
    return norm(" ".join(parts))


def _session(demo_path: Path) -> str:
    from ttx.api import open_journal
    from ttx.session.actions import AddNote

    session_id = demo_session(demo_path)
    with open_journal() as journal:
        session = journal.open_session(session_id)
        session.apply(AddNote(text=STRENGTH, category="strength", objective_id="end_state"))
        session.apply(AddNote(text=GAP, category="improvement", objective_id="partner"))
        session.close()
    return session_id


def test_no_paragraph_prints_twice_in_the_pdf_or_the_docx(demo_path: Path, tmp_path: Path) -> None:
    session_id = _session(demo_path)
    pdf, word = tmp_path / "aar.pdf", tmp_path / "aar.docx"
    assert main(["report", session_id, "-o", str(pdf)]) == 0
    assert main(["report", session_id, "--format", "docx", "-o", str(word)]) == 0
    for text in (body_text(pdf), _docx_text(word)):
        assert repeated_passages(text) == []
        # Each observation prints in full once, in the analysis ...
        assert text.count(norm(STRENGTH)) == 1 and text.count(norm(GAP)) == 1
        analysis = text.split("Analysis of objectives and capabilities", 1)[1]
        assert norm(STRENGTH) in analysis and norm(GAP) in analysis
        # ... and the executive summary names it by its first sentence, pointing there.
        summary = text.split("Key strengths", 1)[1].split("Objectives, core capabilities", 1)[0]
        assert "The US team named a measurable end state before it chose a tool. (objective 1" in (
            summary
        )
        assert "checked it against each option" not in summary
    pdf_text = body_text(pdf)
    summary = pdf_text.split("Key strengths", 1)[1].split("Path taken", 1)[0]
    # The summary and the ratings table give the page where the analysis prints it in full.
    assert "tool. (objective 1, p. 3)" in summary
    assert "Weigh the partner government's sovereignty and domestic… (p. 3)" in summary


def test_a_short_title_is_the_first_sentence_cut_at_a_word() -> None:
    from ttx.report.aar import short_title

    assert short_title("Named the end state. Then checked it.") == "Named the end state."
    assert short_title("\n- A listed point\nmore") == "A listed point"
    long = "The cabinet weighed every option against the partner's red line before it chose"
    assert short_title(long, 40) == "The cabinet weighed every option…"
    assert len(short_title("x" * 200)) == 80
