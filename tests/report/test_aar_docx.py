"""`tabletop report --format docx`: the same AAR/IP as an editable Word document."""

from __future__ import annotations

from dataclasses import replace
from itertools import pairwise
from pathlib import Path

import docx
import pytest

from tests.report.sessions import demo_session
from ttx.cli import main
from ttx.report.aar import PLAN_COLUMNS


def _read(session_id: str):  # type: ignore[no-untyped-def]
    from ttx.api import open_journal

    with open_journal(read_only=True) as journal:
        session = journal.read_session(session_id)
        try:
            return session.state
        finally:
            session.close()


def test_docx_holds_the_sections_tables_and_a_teams_decision(
    demo_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    session_id = demo_session(demo_path)
    out = tmp_path / "aar.docx"
    assert main(["report", session_id, "--format", "docx", "-o", str(out)]) == 0
    assert "Wrote the after-action report" in capsys.readouterr().out
    document = docx.Document(str(out))
    headings = [
        p.text
        for p in document.paragraphs
        if p.style is not None and str(p.style.name).startswith("Heading")
    ]
    for heading in (
        "Exercise overview",
        "Executive summary",
        "Key strengths",
        "Key areas for improvement",
        "Objectives, core capabilities and ratings",
        "Analysis of objectives and capabilities",
        "Exercise synopsis and decisions, move by move",
        "Hot wash",
        "Improvement plan",
        "Participants",
    ):
        assert heading in headings, heading
    assert document.core_properties.language == "en"
    cells = {tuple(c.text for c in table.rows[0].cells): table for table in document.tables}
    plan = cells[PLAN_COLUMNS]
    assert plan.rows[0]._tr.trPr is not None  # a header row that repeats on each page
    assert [c.text for c in plan.rows[1].cells][2:4] == [
        "End state named late",
        "Open move 1 with an end-state drill",
    ]
    matrix = cells[("Team", "D1", "D2")]
    us = [c.text for c in matrix.rows[1].cells]
    assert us[0] == "Equipo EE. UU. (mañana)"
    assert "A Accept and build the joint cell" in us[1]
    assert "Trust first; the cell needs vetted units." in us[1]
    assert us[2] == "Not asked."
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Congress wants results this year." in text  # the corrected answer, in the appendix
    # Headings step down one level at a time (a reader's outline has no holes), and the
    # decisions' key lines say what the PDF's do.
    levels = [
        int(str(p.style.name).rsplit(" ", 1)[1])
        for p in document.paragraphs
        if p.style is not None and str(p.style.name).startswith("Heading ")
    ]
    assert all(b - a <= 1 for a, b in pairwise(levels)), levels
    assert "Objective 1: State what success would look like before choosing the means." in text
    assert "D1 · asked of Equipo EE. UU. (mañana) · objectives 1, 2" in text


def test_docx_and_pdf_print_the_facilitators_analysis(demo_path: Path, tmp_path: Path) -> None:
    from pypdf import PdfReader

    from ttx.report.aar import report_context, report_html
    from ttx.report.aar_docx import report_docx
    from ttx.report.render import render_pdf

    state = _read(demo_session(demo_path))
    notes = [
        replace(n, analysis="Because the *team* rehearsed the question.")
        if n.category == "strength"
        else n
        for n in state.notes
    ]
    state = replace(state, notes=notes)
    out = tmp_path / "aar.docx"
    out.write_bytes(report_docx(report_context(state)))
    text = "\n".join(p.text for p in docx.Document(str(out)).paragraphs)
    assert "Analysis\nBecause the team rehearsed the question." in text
    pdf = tmp_path / "aar.pdf"
    pdf.write_bytes(render_pdf(report_html(state))[0])
    printed = " ".join(p.extract_text() for p in PdfReader(str(pdf)).pages)
    objective = printed.split("Objective 1", 1)[1].split("Objective 2", 1)[0]
    assert "ANALYSIS" in objective and "Because the team rehearsed the question." in objective


def test_an_unknown_format_is_refused_with_one_line(
    demo_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    session_id = demo_session(demo_path)
    assert main(["report", session_id, "--format", "odt", "-o", str(tmp_path / "x")]) == 2
    err = capsys.readouterr().err
    assert err.strip().count("\n") == 0 and "unknown format 'odt'" in err and "docx" in err
    assert not (tmp_path / "x").exists()


def test_docx_declares_the_exercises_language(demo_path: Path, tmp_path: Path) -> None:
    from docx.oxml.ns import qn

    from ttx.report.aar import report_context
    from ttx.report.aar_docx import report_docx

    state = _read(demo_session(demo_path))
    state = replace(state, exercise=state.exercise.model_copy(update={"language": "es-MX"}))
    out = tmp_path / "aar.docx"
    out.write_bytes(report_docx(report_context(state)))
    document = docx.Document(str(out))
    assert document.core_properties.language == "es-MX"
    defaults = document.styles.element.find(qn("w:docDefaults"))
    lang = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr")).find(qn("w:lang"))
    assert lang.get(qn("w:val")) == "es-MX"
