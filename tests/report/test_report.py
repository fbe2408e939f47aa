"""`tabletop report`: the after-action report of a session driven through the public API."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.report.conftest import ROOT
from tests.report.pdfcheck import (
    catalog,
    embedded_files,
    fonts,
    norm,
    pages_text,
    squash,
    text_of,
)
from tests.report.sessions import demo_session, full_session
from ttx.cli import main
from ttx.paths import reports_dir


@pytest.fixture
def demo_report(demo_path: Path, tmp_path: Path) -> tuple[str, Path]:
    session_id = demo_session(demo_path)
    out = tmp_path / "aar.pdf"
    assert main(["report", session_id, "-o", str(out)]) == 0
    return session_id, out


def test_report_has_the_hseep_sections_and_tells_what_happened(
    demo_report: tuple[str, Path],
) -> None:
    session_id, pdf = demo_report
    text = text_of(pdf)
    headings = [
        "Exercise overview",
        "Executive summary",
        "Key strengths",
        "Key areas for improvement",
        "Objectives, core capabilities and ratings",
        "Path taken through the branches",
        "Analysis of objectives and capabilities",
        "Exercise synopsis and decisions, move by move",
        "State tracks over the session",
        "Hot wash",
        "Improvement plan",
        "Participants",
        "Sources",
        "Appendix: answers later corrected",
    ]
    places = [text.index(h) for h in headings]
    assert places == sorted(places), "the sections come in HSEEP's order"
    assert session_id in text and "Dr. Ruiz" in text
    # The executive summary: clock time without the pause, and the same counts as the finish screen.
    assert "8 min 35 s of exercise time" in text and "1 pause (5 min 00 s)" in text
    assert "2 moves played · 4 injects released · 4 team answers, 1 correction" in text
    summary = text.split("Key strengths", 1)[1].split("Objectives, core capabilities", 1)[0]
    assert (
        "The US team named a measurable end state before choosing. (objective 1, p. 3)" in summary
    )
    assert "Mexico's team did not plan for retaliation at home. (objective 2, p. 3)" in summary
    # The synopsis: local times with the zone, the pause's length and reason, the branch.
    synopsis = text.split("Exercise synopsis and decisions", 1)[1]
    assert "Times are local (UTC)" in synopsis
    assert "09:02 UTC Clock paused for 5 min 00 s. Reason: fire drill" in synopsis
    assert "Inject released: A warning about one unit → Equipo EE. UU. (mañana)" in synopsis
    assert "Inject released: An offer, with a red line → all teams" in synopsis
    assert "Branch after The offer: rules say A working partnership" in synopsis
    assert "Clock resumed" not in synopsis  # the pause line says how long it lasted
    assert "20260101" not in synopsis.split("Appendix")[0]


def test_one_matrix_per_move_with_every_team_side_by_side(demo_report: tuple[str, Path]) -> None:
    _, pdf = demo_report
    text = text_of(pdf)
    first = text.split("The offer from 09:00", 1)[1].split("A working partnership from", 1)[0]
    # Two single-team decisions share one matrix: a row per team, a column per decision.
    assert "TEAM D1 D2" in first.upper()
    assert first.count("TEAM D1") == 1 or first.upper().count("TEAM D1 D2") == 1
    assert "Equipo EE. UU. (mañana) A Accept and build the joint cell" in first
    assert "Trust first; the cell needs vetted units." in first
    assert "Trust grows; results come slowly." in first  # the consequence
    assert "¿Tropas extranjeras? No: soberanía ante todo." in first
    assert first.count("Not asked.") == 2
    assert "Reason: the team changed its mind after discussion" in first
    second = text.split("A working partnership from", 1)[1].split("End (hot wash) from", 1)[0]
    assert "D1: Outcome: Deepen the partnership (by majority)." in second
    # The answer later corrected prints once, in the appendix; the one in effect once, above.
    appendix = text.split("Appendix: answers later corrected", 1)[1]
    assert "Congress wants results this year." in appendix
    assert text.count("Congress wants results this year.") == 1
    assert text.count("Trust first; the cell needs vetted units.") == 1


def test_analysis_by_objective_ratings_hot_wash_plan_and_participants(
    demo_report: tuple[str, Path],
) -> None:
    _, pdf = demo_report
    text = text_of(pdf)
    ratings = text.split("Objectives, core capabilities and ratings", 1)[1].split("Path taken")[0]
    assert "NO. OBJECTIVE CORE CAPABILITY RATING" in ratings.upper()
    assert "Performed with some challenges" in ratings
    analysis = text.split("Analysis of objectives and capabilities", 1)[1].split(
        "Exercise synopsis"
    )[0]
    one, two = analysis.split("Objective 2", 1)
    assert "Named late, after the first choice." in one
    assert "The US team named a measurable end state before choosing." in one
    assert "Mexico's team did not plan for retaliation at home." in two
    assert "The first answer shaped everything after it." in text
    plan = text.split("Improvement plan", 1)[1].split("Participants")[0].upper()
    for column in (
        "OBJECTIVE",
        "CORE CAPABILITY",
        "ISSUE / AREA FOR IMPROVEMENT",
        "CORRECTIVE ACTION",
        "PRIMARY RESPONSIBLE ORGANISATION",
        "POINT OF CONTACT",
        "START DATE",
        "COMPLETION DATE",
    ):
        assert column in " ".join(plan.split()), column
    # A narrow column may break "END-STATE" after its hyphen: compare without the spaces.
    assert squash("OPEN MOVE 1 WITH AN END-STATE") in squash(plan) and "COURSE LEAD" in plan
    assert "2026-12-15" in plan
    assert "Ana Núñez, Ben Ode" in text and "Carla Peña" in text
    assert "Partner trust: 3 to 5" in text


def test_report_is_marked_tagged_and_self_contained(demo_report: tuple[str, Path]) -> None:
    _, pdf = demo_report
    pages = pages_text(pdf)
    for number, page in enumerate(pages, 1):
        assert "Fictional exercise — for education" in norm(page)
        assert f"Page {number} of {len(pages)}" in norm(page)
    assert embedded_files(pdf) == []
    assert all(not f.endswith("*") for f in fonts(pdf))
    reader = PdfReader(str(pdf))
    assert catalog(reader)["/Lang"] == "en"
    assert "/StructTreeRoot" in catalog(reader)
    assert reader.metadata is not None and str(reader.metadata.title).startswith(
        "Demo: An Offer Across the Border — After-action report"
    )


def test_default_output_path_and_unknown_session(
    demo_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    session_id = demo_session(demo_path)
    assert main(["report", session_id[:12]]) == 0
    assert (reports_dir() / f"{session_id}-aar.pdf").is_file()
    capsys.readouterr()
    assert main(["report", "no-such-session"]) == 2
    err = capsys.readouterr().err
    assert "no-such-session" in err and "Traceback" not in err


def test_same_session_gives_byte_identical_reports(demo_path: Path, tmp_path: Path) -> None:
    session_id = demo_session(demo_path)
    first, second = tmp_path / "a.pdf", tmp_path / "b.pdf"
    assert main(["report", session_id, "-o", str(first)]) == 0
    assert main(["report", session_id, "-o", str(second)]) == 0
    assert first.read_bytes() == second.read_bytes()


@pytest.mark.slow
def test_four_team_flagship_report_has_choice_charts(tmp_path: Path) -> None:
    from ttx.api import open_journal
    from ttx.report.aar import report_context

    flagship = ROOT / "exercises" / "across-the-line.yaml"
    session_id = full_session(flagship)
    with open_journal(read_only=True) as journal:
        session = journal.read_session(session_id)
        state = session.state
        session.close()
    context = report_context(state)
    columns = [
        (d, len(m["matrix"]["rows"]))
        for m in context["moves"]
        if m["matrix"]
        for d in m["matrix"]["columns"]
    ]
    many = [d for d, _ in columns if "<rect" in str(d["chart"] or "")]
    assert many, "the flagship has decisions for three or more teams"
    # A decision for three teams of four names the one it leaves out, not the three.
    asks = {d["asks"] for d, _ in columns}
    assert "every team but Cartel red cell" in asks and "US National Security Council" in asks
    assert context["tracks"] and all("<path" in t["chart"] for t in context["tracks"])
    # Move boundaries on the track charts, said in the alt text too.
    for track in context["tracks"]:
        assert "stroke-dasharray" in track["chart"]
        assert "Move 0 at minute 0, Move 1 at minute" in track["chart"]
    out = tmp_path / "flagship.pdf"
    assert main(["report", session_id, "-o", str(out)]) == 0
    text = text_of(out)
    assert len(PdfReader(str(out)).pages) >= 8
    for team in state.teams:
        assert team.name in text
    assert embedded_files(out) == []


def test_a_four_thousand_character_rationale_prints_once(demo_path: Path, tmp_path: Path) -> None:
    long = " ".join(f"Reason{n:04d} weighs the partner." for n in range(160))
    assert len(long) > 4000
    session_id = demo_session(demo_path, rationale_us=long)
    out = tmp_path / "aar.pdf"
    assert main(["report", session_id, "-o", str(out)]) == 0
    text = text_of(out)
    for marker in ("Reason0000", "Reason0080", "Reason0159"):
        assert text.count(marker) == 1, marker
