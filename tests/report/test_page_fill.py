"""Page fill: no near-empty page in the handouts of every shipped exercise, nor in reports
(a short one, a played flagship, and generated sessions of 2 to 24 teams).

A page is near-empty when its content (text, boxes and rules) ends in the top 40 %
of the page body. Allowed: a document's cover, its last page, and the last page of a
landscape section (the next page has another size, so nothing can follow on it).
The figures are read back from the PDFs with pypdf, as a reviewer flipping pages would see them.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.report.conftest import DEMO, FLAGSHIP
from tests.report.pdfcheck import norm, page_fill, pages_text, squash
from tests.report.sessions import demo_session, full_session, generated_exercise
from ttx.cli import main
from ttx.model.validate import load_exercise

NEAR_EMPTY = 0.40
NO_COVER = {"inject-cards.pdf", "branch-modules.pdf", "feedback-form.pdf"}


def near_empty_pages(pdf: Path) -> list[tuple[int, float]]:
    """(page number, fill) of every page that should not be as empty as it is."""
    fill = page_fill(pdf)
    sizes = [
        (round(float(p.mediabox.width)), round(float(p.mediabox.height)))
        for p in PdfReader(str(pdf)).pages
    ]
    bad = []
    for index, (_, used) in enumerate(fill):
        number = index + 1
        if number == len(fill):
            continue
        if number == 1 and pdf.name not in NO_COVER:
            continue
        if sizes[index + 1] != sizes[index]:
            continue
        if used < NEAR_EMPTY:
            bad.append((number, used))
    return bad


def test_the_check_sees_a_near_empty_page(tmp_path: Path) -> None:
    from ttx.report.render import render_pdf

    html = (
        "<html><body><p>" + "Some text. " * 200 + "</p>"
        "<p style='break-before: page'>A lonely line.</p>"
        "<p style='break-before: page'>" + "More text. " * 200 + "</p></body></html>"
    )
    pdf = tmp_path / "x.pdf"
    pdf.write_bytes(render_pdf(html)[0])
    fill = page_fill(pdf)
    assert len(fill) == 3 and fill[1][1] < 0.1 and fill[0][1] > 0.4
    assert [n for n, _ in near_empty_pages(pdf)] == [len(fill) - 1]


def test_no_near_empty_pages_in_the_shipped_handouts(shipped_handouts: list[Path]) -> None:
    found = {
        f"{folder.name}/{pdf.name}": bad
        for folder in shipped_handouts
        for pdf in sorted(folder.glob("*.pdf"))
        if (bad := near_empty_pages(pdf))
    }
    assert found == {}


def test_a_worksheet_keeps_its_answer_boxes_on_its_page(shipped_handouts: list[Path]) -> None:
    """A worksheet splits only when it is taller than a page, and its answer boxes never go alone.

    When it splits, its first page is full, and the page of its answer boxes also
    carries the end of its options: the boxes are never a page of their own.
    """
    splits = 0
    for folder in shipped_handouts:
        for pdf in sorted(folder.glob("team-*.pdf")) + sorted(folder.glob("branch-modules.pdf")):
            pages = [norm(p).upper() for p in pages_text(pdf)]
            fill = page_fill(pdf)
            for number, text in enumerate(pages):
                if "DECISION WORKSHEET" not in text:
                    continue
                tail = text.split("DECISION WORKSHEET")[-1]
                if "SPOKESPERSON" in tail:
                    continue
                splits += 1
                assert fill[number][1] > 0.9, (folder.name, pdf.name, number + 1, fill[number])
                end = next(n for n in range(number + 1, len(pages)) if "SPOKESPERSON" in pages[n])
                before_answer = pages[end].split("OUR CHOICE")[0]
                assert len(before_answer) > 150, (folder.name, pdf.name, end + 1, before_answer)
    assert splits <= 8  # only the toolbox's long allocation worksheets are taller than a page


ROW_FILLERS = ("Not asked.", "No answer recorded.")


def stranded_row_heads(pdf: Path, teams: list[str], title: str) -> list[int]:
    """Pages whose body ends with a decision-matrix row's head, a team's name, with nothing
    of its answers beside it (only "Not asked." cells): the answers went to the next page."""
    bad = []
    for number, text in enumerate(pages_text(pdf), 1):
        body = norm(text)
        running_head = body.rfind(f"{title} · version")  # header and footer come last
        body = (body[:running_head] if running_head > 0 else body).rstrip()
        while filler := next((f for f in ROW_FILLERS if body.endswith(f)), None):
            body = body[: -len(filler)].rstrip()
        for team in teams:
            before = body.removesuffix(team).rstrip()
            # "→ Team A, Team B" ends a line of the synopsis, not a row of the matrix
            if before != body and not before.endswith(("→", ",")):
                bad.append(number)
                break
    return bad


def test_the_check_sees_a_stranded_row_head(tmp_path: Path) -> None:
    """A page ending in a team's name and empty cells is found; one ending in prose is not."""
    from ttx.report.render import render_pdf

    pdf = tmp_path / "rows.pdf"
    pdf.write_bytes(
        render_pdf(
            "<html><body><p>Prompt.</p><p>TEAM D1 D2</p><p>Red team</p><p>Not asked.</p>"
            "<p style='break-before: page'>Red team</p><p>An answer.</p></body></html>"
        )[0]
    )
    assert stranded_row_heads(pdf, ["Red team"], "Test") == [1]
    assert stranded_row_heads(pdf, ["Blue team"], "Test") == []


def test_no_near_empty_pages_in_a_short_report(demo_path: Path, tmp_path: Path) -> None:
    session_id = demo_session(demo_path)
    out = tmp_path / "aar.pdf"
    assert main(["report", session_id, "-o", str(out)]) == 0
    assert near_empty_pages(out) == []
    assert DEMO.name == demo_path.name


def test_no_near_empty_pages_in_a_played_flagship_report(tmp_path: Path) -> None:
    """Every team answers every decision of the flagship, with notes, ratings and a plan."""
    session_id = full_session(FLAGSHIP)
    out = tmp_path / "aar.pdf"
    assert main(["report", session_id, "-o", str(out)]) == 0
    assert len(page_fill(out)) > 8
    assert near_empty_pages(out) == []
    exercise = load_exercise(FLAGSHIP)
    assert stranded_row_heads(out, [t.name for t in exercise.teams], exercise.title) == []


@pytest.mark.slow
@pytest.mark.parametrize("teams", [2, 6, 12, 24])
def test_no_near_empty_pages_in_reports_of_generated_sessions(teams: int, tmp_path: Path) -> None:
    """Every team answers every decision it is asked; single-team decisions sit in the matrix."""
    path = generated_exercise(tmp_path / "gen.yaml", teams)
    session_id = full_session(path)
    out = tmp_path / "aar.pdf"
    assert main(["report", session_id, "-o", str(out)]) == 0
    assert near_empty_pages(out) == []
    exercise = load_exercise(path)
    assert stranded_row_heads(out, [t.name for t in exercise.teams], exercise.title) == []
    text = norm(" ".join(pages_text(out)))
    assert f"Team {teams} " in text and text.count("TEAM D1 D2") >= 3


def test_a_long_facilitator_note_never_jumps_a_page(tmp_path: Path) -> None:
    """An inject with a note of some 4,700 characters: its timeline row and its box in the
    move break across pages; kept whole, each jumped to the next page and left one near-empty."""
    source = DEMO.read_text(encoding="utf-8")
    note = " ".join(["Ask each team what it owes the other when violence rises, and why."] * 70)
    start = source.index("id: offer_cable")
    body = source.index("        body:", start)
    exercise = tmp_path / "long-note.yaml"
    exercise.write_text(
        source[:body] + f"        facilitator_notes: {note}\n" + source[body:], encoding="utf-8"
    )
    out = tmp_path / "out"
    assert main(["handouts", str(exercise), "-o", str(out)]) == 0
    guide = out / "facilitator-guide.pdf"
    assert squash(note[:300]) in squash(" ".join(pages_text(guide)))
    assert near_empty_pages(guide) == []


def _matrix_page(tmp_path: Path, guarded: bool, filler_mm: int) -> Path:
    """A page filled `filler_mm` down, then a decision matrix whose one row is tall."""
    from ttx.report.render import render_pdf

    guard = '<div class="row-guard"></div>' if guarded else ""
    answer = (
        '<p class="choice">B Hold the line</p><div class="rationale"><p>'
        + "Talk to Mexico first, then act. " * 60
        + "</p></div>"
    )
    html = (
        '<html lang="en"><head><title>m</title><link rel="stylesheet" href="base/base.css">'
        '<link rel="stylesheet" href="aar/aar.css"></head><body>'
        f'<div style="height: {filler_mm}mm">Filler.</div>'
        '<table class="grid matrix cols-2"><thead><tr><th scope="col">Team</th>'
        '<th scope="col">D1</th><th scope="col">D2</th></tr></thead><tbody>'
        f'<tr><th scope="row" class="cell-team">{guard}Red team</th>'
        f"<td>{guard}{answer}</td><td>{guard}<p>Not asked.</p></td></tr>"
        "</tbody></table></body></html>"
    )
    pdf = tmp_path / f"matrix-{guarded}-{filler_mm}.pdf"
    pdf.write_bytes(render_pdf(html)[0])
    return pdf


def test_a_tall_matrix_row_never_starts_at_a_page_foot(tmp_path: Path) -> None:
    """Its cells' guard moves the row (and the table's header) to the next page whole when
    less than 25 mm is left; without it the row starts in those last millimetres (where, in a
    played six-team report, a team's name once sat beside "Not asked." cells, its answer
    overleaf: `stranded_row_heads` found pages 8 and 11 of 24)."""
    bare = pages_text(_matrix_page(tmp_path, guarded=False, filler_mm=230))
    assert "Red team" in bare[0]
    guarded = pages_text(_matrix_page(tmp_path, guarded=True, filler_mm=230))
    assert "Red team" not in guarded[0] and "Red team" in guarded[1]
    assert "B Hold the line" in guarded[1] and "D1" in guarded[1]
    roomy = pages_text(_matrix_page(tmp_path, guarded=True, filler_mm=200))
    assert "Red team" in roomy[0] and "Talk to Mexico first" in roomy[0]  # room: it splits
