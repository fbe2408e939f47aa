"""Accessible as well as tagged: the `pdfua` checker finds nothing in the handouts and reports.

The checker (pdfua 0.1.3) reads the PDF's structure tree as a screen reader would:
figures need alternative text, tables need header cells that say what they head,
the document needs a language. Every finding of warning or error severity fails.
No finding is silenced: where the checker were wrong, the test would say why here.
"""

from __future__ import annotations

from pathlib import Path

import pikepdf
import pytest
from pdfua import Severity, validate

from tests.report.sessions import demo_session, full_session
from tests.report.test_format2_documents import _guide_format_2_example
from ttx.cli import main
from ttx.report.render import render_pdf

FLAGSHIP = Path(__file__).resolve().parents[2] / "exercises" / "across-the-line.yaml"


def findings(pdf: Path) -> list[str]:
    """The checker's warnings and errors for one file, as `RULE SEVERITY page N: message` lines."""
    report = validate(str(pdf))
    return [
        f"{f.rule_id} {f.severity.name} page {f.location.page}: {f.message}"
        for f in report.findings
        if f.severity in (Severity.WARNING, Severity.ERROR)
    ]


def test_the_shipped_exercises_handouts_pass_the_checker(shipped_handouts: list[Path]) -> None:
    pdfs = [pdf for folder in shipped_handouts for pdf in sorted(folder.glob("*.pdf"))]
    assert len(pdfs) >= 25
    found = {f"{pdf.parent.name}/{pdf.name}": bad for pdf in pdfs if (bad := findings(pdf))}
    assert found == {}


def test_played_reports_pass_the_checker(demo_path: Path, tmp_path: Path) -> None:
    demo = tmp_path / "demo-aar.pdf"
    assert main(["report", demo_session(demo_path), "-o", str(demo)]) == 0
    flagship = tmp_path / "flagship-aar.pdf"
    assert main(["report", full_session(FLAGSHIP), "-o", str(flagship)]) == 0
    assert findings(demo) == []
    assert findings(flagship) == []


def _structure(doc: pikepdf.Pdf) -> list[pikepdf.Dictionary]:
    """Every structure element of an open PDF, in reading order."""
    found: list[pikepdf.Dictionary] = []
    stack: list[object] = [doc.Root.StructTreeRoot]
    while stack:
        node = stack.pop()
        if isinstance(node, pikepdf.Array):
            stack.extend(reversed(list(node)))
        elif isinstance(node, pikepdf.Dictionary):
            if "/S" in node:
                found.append(node)
            if "/K" in node:
                stack.append(node.K)
    return found


def _scope(cell: pikepdf.Dictionary) -> str | None:
    attributes = cell.get("/A")
    owners = list(attributes) if isinstance(attributes, pikepdf.Array) else [attributes]
    scopes = [str(a.Scope) for a in owners if isinstance(a, pikepdf.Dictionary) and "/Scope" in a]
    return scopes[0] if scopes else None


def _cells(pdf: Path) -> list[tuple[str, str | None]]:
    """(role, scope) of every table cell, in reading order."""
    with pikepdf.open(pdf) as doc:
        return [(str(e.S), _scope(e)) for e in _structure(doc) if str(e.S) in ("/TH", "/TD")]


def test_header_cells_get_column_or_row_scope_and_a_headerless_table_gets_row_headers(
    tmp_path: Path,
) -> None:
    html = (
        '<html lang="en"><head><title>t</title></head><body>'
        "<table><thead><tr><th>Move</th><th>Starts</th></tr></thead>"
        "<tbody><tr><th>Opening</th><td>0:00</td></tr></tbody></table>"
        "<table><tr><td>09:00</td><td>Move 1 began</td></tr>"
        "<tr><td>09:20</td><td>Decision recorded</td></tr></table>"
        "</body></html>"
    )
    pdf = tmp_path / "tables.pdf"
    pdf.write_bytes(render_pdf(html)[0])
    assert _cells(pdf) == [
        ("/TH", "/Column"),
        ("/TH", "/Column"),
        ("/TH", "/Row"),
        ("/TD", None),
        # A log with no header cell: its first column (the time) names each row.
        ("/TH", "/Row"),
        ("/TD", None),
        ("/TH", "/Row"),
        ("/TD", None),
    ]
    assert findings(pdf) == []


def test_the_branch_map_has_alternative_text(shipped_handouts: list[Path]) -> None:
    guide = next(f for f in shipped_handouts if f.name == FLAGSHIP.stem) / "facilitator-guide.pdf"
    with pikepdf.open(guide) as doc:
        alts = [str(e.get("/Alt", "")) for e in _structure(doc) if e.S == "/Figure"]
    assert alts, "the guide's branch map is tagged as a figure"
    for alt in alts:
        assert len(alt) > 40, alt


@pytest.mark.parametrize("language", ["fr-CA", "ar"])
def test_the_document_language_follows_the_exercise(tmp_path: Path, language: str) -> None:
    source = tmp_path / "exercise.yaml"
    source.write_text(
        _guide_format_2_example().replace("language: en-US", f"language: {language}"),
        encoding="utf-8",
    )
    out = tmp_path / "out"
    assert main(["handouts", str(source), "-o", str(out)]) == 0
    pdfs = sorted(out.glob("*.pdf"))
    assert pdfs
    for pdf in pdfs:
        with pikepdf.open(pdf) as doc:
            assert str(doc.Root.Lang) == language, pdf.name
