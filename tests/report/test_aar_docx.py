"""`tabletop report --format docx`: the same AAR/IP as an editable Word document."""

from __future__ import annotations

from dataclasses import replace
from itertools import pairwise
from pathlib import Path
from typing import Any

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
    from docx.oxml.ns import qn

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
    # A short team row stays on one page, as in the PDF.
    assert matrix.rows[1]._tr.find(f"{qn('w:trPr')}/{qn('w:cantSplit')}") is not None
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


HOSTILE = 'O\'Brien & <Sons> "Ltd"'
"""A name that HTML would escape everywhere: it must print as typed, once."""


def _hostile_exercise(demo_path: Path, tmp_path: Path) -> Path:
    """The demo with the hostile name as its title, author, an option, a source and a track."""
    quoted = "'" + HOSTILE.replace("'", "''") + "'"
    text = demo_path.read_text(encoding="utf-8")
    for old, new in (
        ("format: 1", "format: 2"),  # for `author`
        ('title: "Demo: An Offer Across the Border"', f"title: {quoted}\nauthor: {quoted}"),
        ("label: Accept and build the joint cell", f"label: {quoted}"),
        ("title: Five questions to ask before declaring war on cartels", f"title: {quoted}"),
        ("publisher: Small Wars Journal", f"publisher: {quoted}"),
        ("label: Partner trust", f"label: {quoted}"),
    ):
        assert old in text, old
        text = text.replace(old, new)
    path = tmp_path / "hostile.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _hostile_session(exercise: Path) -> str:
    from ttx.api import open_journal
    from ttx.session.actions import (
        AddImprovementItem,
        AddNote,
        AnswerHotWash,
        EndSession,
        EnterMove,
        RecordDecision,
    )
    from ttx.session.clock import FakeClock
    from ttx.session.events import TeamSetup

    clock = FakeClock()
    teams = [TeamSetup(id="us", name=HOSTILE), TeamSetup(id="mexico", members=[HOSTILE])]
    with (
        open_journal() as journal,
        journal.create_session(
            exercise, teams, clock=clock, facilitator=HOSTILE, location=HOSTILE
        ) as session,
    ):
        session.apply(EnterMove())
        clock.advance(60)
        session.apply(
            RecordDecision(
                decision_id="opening", team_id="us", option_id="partner", rationale=HOSTILE
            )
        )
        session.apply(
            AddNote(text=f"{HOSTILE} & 1 < 2", category="strength", objective_id="end_state")
        )
        session.apply(EnterMove(move_id="end"))
        session.apply(AnswerHotWash(text="We would call first.", question_index=0, team_id="us"))
        session.apply(
            AddImprovementItem(issue=HOSTILE, corrective_action="Drill", responsible=HOSTILE)
        )
        session.apply(EndSession())
        return session.id


def _all_text(document: Any) -> list[str]:
    """Every paragraph's text: body, table cells (nested too), headers and footers."""

    def cells(tables: Any) -> list[str]:
        out = []
        for table in tables:
            for row in table.rows:
                for cell in row.cells:
                    out += [p.text for p in cell.paragraphs] + cells(cell.tables)
        return out

    section = document.sections[0]
    parts = [section.header, section.footer, section.first_page_footer]
    texts = [p.text for p in document.paragraphs] + cells(document.tables)
    return texts + [p.text for part in parts for p in part.paragraphs]


def test_docx_prints_a_hostile_name_as_typed_everywhere(demo_path: Path, tmp_path: Path) -> None:
    import zipfile

    session_id = _hostile_session(_hostile_exercise(demo_path, tmp_path))
    out = tmp_path / "aar.docx"
    assert main(["report", session_id, "--format", "docx", "-o", str(out)]) == 0
    document = docx.Document(str(out))
    texts = _all_text(document)
    for text in texts:
        rest = text.replace(HOSTILE, "").replace("1 < 2", "")
        for mark in ("<", ">", "&#", "&amp;", "&lt;", "&gt;", "&quot;"):
            assert mark not in rest, (mark, text)
    lines = set(texts)
    assert HOSTILE in lines  # the cover's title
    assert f"Written by {HOSTILE}" in lines
    assert f"We would call first. — {HOSTILE}" in lines  # the hot wash's attribution
    assert f"A {HOSTILE}" in lines  # the option chosen, in the matrix
    assert f"{HOSTILE} & 1 < 2" in lines  # an observation
    assert f"{HOSTILE}. Henry Ziemer. {HOSTILE}, 2025-01-29." in lines  # a source
    assert f"{HOSTILE}: 3 to 4 (range 0–5, 1 change)" in lines  # a track's heading
    assert document.sections[0].header.paragraphs[0].text.startswith(f"{HOSTILE} · version 1.0")
    xml = zipfile.ZipFile(out).read("word/document.xml").decode("utf-8")
    assert "&amp;#" not in xml and "&amp;amp;" not in xml and "&amp;lt;" not in xml


def test_docx_has_the_pdfs_cover_header_and_page_numbers(demo_path: Path, tmp_path: Path) -> None:
    from docx.oxml.ns import qn

    session_id = demo_session(demo_path)
    out = tmp_path / "aar.docx"
    assert main(["report", session_id, "--format", "docx", "-o", str(out)]) == 0
    document = docx.Document(str(out))
    texts = [p.text for p in document.paragraphs]
    cover = texts[: texts.index("Exercise overview")]
    assert [line for line in cover if line][:7] == [
        "AFTER-ACTION REPORT",
        "Demo: An Offer Across the Border",
        "After-action report and improvement plan",
        "2026-01-01",
        "Version 1.0 · 2026-11-21",
        "FICTIONAL EXERCISE — FOR EDUCATION",
        "Content note",
    ]
    assert "Nothing graphic is described." in cover[-2]
    # The cover ends its page; the overview starts the next.
    breaks = document.paragraphs[len(cover) - 1]._p.findall(".//" + qn("w:br"))
    assert [b.get(qn("w:type")) for b in breaks] == ["page"]
    section = document.sections[0]
    assert section.different_first_page_header_footer  # the cover has no running header
    assert not "".join(p.text for p in section.first_page_header.paragraphs)
    assert section.header.paragraphs[0].text == (
        "Demo: An Offer Across the Border · version 1.0 · session 2026-01-01\tAFTER-ACTION REPORT"
    )
    for footer in (section.footer, section.first_page_footer):
        paragraph = footer.paragraphs[0]
        fields = [f.get(qn("w:instr")).strip() for f in paragraph._p.findall(qn("w:fldSimple"))]
        assert fields == ["PAGE", "NUMPAGES"]
        words = "".join(
            "\t" if part.tag == qn("w:tab") else part.text or ""
            for run in paragraph._p.iter(qn("w:r"))
            for part in run
            if part.tag in (qn("w:t"), qn("w:tab"))
        )
        assert words == "Fictional exercise — for education\tPage 1 of 1"


def test_docx_prints_each_track_move_by_move(demo_path: Path, tmp_path: Path) -> None:
    session_id = demo_session(demo_path)
    out = tmp_path / "aar.docx"
    assert main(["report", session_id, "--format", "docx", "-o", str(out)]) == 0
    document = docx.Document(str(out))
    headings = [
        p.text
        for p in document.paragraphs
        if p.style is not None and str(p.style.name).startswith("Heading")
    ]
    assert "Partner trust: 3 to 5 (range 0–5, 4 changes)" in headings
    tables = {tuple(c.text for c in t.rows[0].cells): t for t in document.tables}
    track = tables[("Move", "From", "Value at its end", "Changes")]
    rows = [[c.text for c in row.cells] for row in track.rows[1:]]
    assert [row[:3] for row in rows] == [
        ["The offer", "09:00 UTC", "4"],
        ["A working partnership", "09:09 UTC", "5"],
        ["End (hot wash)", "09:12 UTC", "5"],
    ]
    assert rows[0][3].split("\n") == [
        "09:02 UTC: 3 → 1, effect of Accept only with tariff pressure attached",
        "09:02 UTC: 1 → 3, reverted effect of Accept only with tariff pressure attached",
        "09:02 UTC: 3 → 4, effect of Accept and build the joint cell",
    ]
    assert rows[2][3] == "None"


def test_docx_folds_white_space_as_the_pdf_and_keeps_a_line_break(
    demo_path: Path, tmp_path: Path
) -> None:
    session_id = demo_session(demo_path, rationale_us="On paper for walk-ins,\nbut not for stroke.")
    out = tmp_path / "aar.docx"
    assert main(["report", session_id, "--format", "docx", "-o", str(out)]) == 0
    document = docx.Document(str(out))
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    scenario = cells[cells.index("Scenario") + 1]
    assert scenario.startswith(
        "A ten-minute taste of a policy seminar. The United States and Mexico weigh a joint"
    )
    assert "\n" not in scenario  # the author's editor wrapped these lines
    assert any("On paper for walk-ins,\nbut not for stroke.\n" in cell for cell in cells)


def test_a_track_table_takes_every_change_of_its_own_track_move_by_move() -> None:
    from ttx.report.docx_tracks import track_rows

    def change(label: str, time: str, before: int, after: int, cause: str, reason: str = ""):  # type: ignore[no-untyped-def]
        return {
            "label": label,
            "time": time,
            "before": before,
            "after": after,
            "cause": cause,
            "reason": reason,
        }

    moves: list[dict[str, Any]] = [
        {
            "title": "Move 1",
            "start": "10:00 UTC",
            "track_changes": [
                change("Public Trust", "10:05 UTC", 2, 1, "effect of B Hold (Red)"),
                change("Trust", "10:05 UTC", 3, 2, "effect of B Hold (Red)"),
                change("Trust", "10:06 UTC", 2, 5, "set by the facilitator", "the red cell's leak"),
            ],
        },
        {"title": "Move 2", "start": "10:30 UTC", "track_changes": []},
        {
            "title": "Move 3",
            "start": "10:50 UTC",
            "track_changes": [change("Trust", "10:55 UTC", 5, 3, "effect of A Go")],
        },
    ]
    assert track_rows({"label": "Trust", "start": 3}, moves) == [
        (
            "Move 1",
            "10:00 UTC",
            "5",
            [
                "10:05 UTC: 3 → 2, effect of B Hold (Red)",
                "10:06 UTC: 2 → 5, set by the facilitator. Reason: the red cell's leak",
            ],
        ),
        ("Move 2", "10:30 UTC", "5", []),
        ("Move 3", "10:50 UTC", "3", ["10:55 UTC: 5 → 3, effect of A Go"]),
    ]


def test_a_track_table_holds_the_changes_a_long_move_leaves_out_of_the_synopsis() -> None:
    """A move lists its first routine events only; the track's table still has every change."""
    from tests.report.conftest import DEMO
    from tests.unit.session_helpers import playing
    from ttx.report.aar import report_context
    from ttx.report.aar_synopsis import ROUTINE_SHOWN
    from ttx.report.docx_tracks import track_rows
    from ttx.session.actions import ChangeTrack

    with playing(DEMO.read_text(encoding="utf-8")) as s:
        for step in range(ROUTINE_SHOWN + 5):
            s.apply(ChangeTrack(track_id="trust", delta=1 if step % 2 == 0 else -1))
        context = report_context(s.state)
    move = next(m for m in context["moves"] if "track change" in m["omitted"])
    [track] = context["tracks"]
    [row] = [r for r in track_rows(track, context["moves"]) if r[0] == move["title"]]
    assert len(row[3]) == ROUTINE_SHOWN + 5
    assert row[2] == str(track["value"])


def test_each_numbered_list_counts_from_one(demo_path: Path, tmp_path: Path) -> None:
    from docx.oxml.ns import qn

    session_id = demo_session(demo_path, extra_note="Two steps:\n\n1. Ask\n2. Decide")
    out = tmp_path / "aar.docx"
    assert main(["report", session_id, "--format", "docx", "-o", str(out)]) == 0
    document = docx.Document(str(out))
    lists: dict[str, list[str]] = {}
    for paragraph in document.paragraphs:
        num = paragraph._p.find(f"{qn('w:pPr')}/{qn('w:numPr')}/{qn('w:numId')}")
        if num is not None:
            lists.setdefault(num.get(qn("w:val")), []).append(paragraph.text)
    assert [items[0][:20] for items in lists.values()] == [
        "The offer (09:00–09:",  # the path through the branches
        "Ask",  # the note's own list
        "US intervention agai",  # the sources
    ]
    assert [len(items) for items in lists.values()] == [2, 2, 2]
    numbering = document.part.numbering_part.element
    for num_id in lists:
        num = numbering.find(f"{qn('w:num')}[@{qn('w:numId')}='{num_id}']")
        start = num.find(f"{qn('w:lvlOverride')}/{qn('w:startOverride')}")
        assert start is not None and start.get(qn("w:val")) == "1"


def test_the_summary_and_ratings_link_to_the_analysis(demo_path: Path, tmp_path: Path) -> None:
    from docx.oxml.ns import qn

    session_id = demo_session(demo_path)
    out = tmp_path / "aar.docx"
    assert main(["report", session_id, "--format", "docx", "-o", str(out)]) == 0
    body = docx.Document(str(out)).element.body
    marks = {
        b.get(qn("w:name")): "".join(t.text for t in b.getparent().iter(qn("w:t")))
        for b in body.iter(qn("w:bookmarkStart"))
    }
    links = [
        (link.get(qn("w:anchor")), "".join(t.text for t in link.iter(qn("w:t"))))
        for link in body.iter(qn("w:hyperlink"))
    ]
    assert links[0] == ("obs_" + links[0][0][4:], "objective 1; see the analysis")
    assert marks[links[0][0]] == "The US team named a measurable end state before choosing."
    assert links[-2:] == [
        ("objective_1", "State what success would look like before choosing the…"),
        ("objective_2", "Weigh the partner government's sovereignty and domestic…"),
    ]
    assert marks["objective_2"].startswith("Objective 2: Weigh the partner")
    assert all(anchor in marks for anchor, _ in links)


def test_a_control_character_typed_into_a_session_is_dropped_not_a_crash(
    demo_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from ttx.api import open_journal
    from ttx.session.actions import AddNote, EndSession, EnterMove
    from ttx.session.events import TeamSetup

    teams = [TeamSetup(id="us", name="Bell\x07 team"), TeamSetup(id="mexico")]
    with (
        open_journal() as journal,
        journal.create_session(demo_path, teams, facilitator="Dr.\x0b Ruiz") as session,
    ):
        session.apply(EnterMove())
        session.apply(AddNote(text="Loud\x1b[31m room", category="note"))
        session.apply(EndSession())
        session_id = session.id
    out = tmp_path / "aar.docx"
    assert main(["report", session_id, "--format", "docx", "-o", str(out)]) == 0
    texts = _all_text(docx.Document(str(out)))
    assert "Bell team; Government of Mexico security cabinet" in texts
    assert "Dr. Ruiz" in texts and "Loud[31m room" in texts
