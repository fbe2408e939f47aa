"""`tabletop report`: the after-action report of a session driven through the public API."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.report.conftest import ROOT
from tests.report.pdfcheck import embedded_files, fonts, norm, pages_text, text_of
from tests.report.sessions import demo_session, full_session
from ttx.cli import main
from ttx.paths import reports_dir


@pytest.fixture
def demo_report(demo_path: Path, tmp_path: Path) -> tuple[str, Path]:
    session_id = demo_session(demo_path)
    out = tmp_path / "aar.pdf"
    assert main(["report", session_id, "-o", str(out)]) == 0
    return session_id, out


def test_report_tells_what_happened(demo_report: tuple[str, Path]) -> None:
    session_id, pdf = demo_report
    text = text_of(pdf)
    for heading in (
        "Exercise overview",
        "Executive summary",
        "Path taken through the branches",
        "Timeline of the session",
        "Decisions, side by side",
        "State tracks over the session",
        "Facilitator observations",
        "Objectives, ratings and evidence",
        "Hot wash",
        "Improvement plan",
        "Participants",
        "Sources",
        "Appendix: the full decision log",
    ):
        assert heading in text, heading
    assert session_id in text and "Dr. Ruiz" in text
    # Timeline: clock times, the pause and its reason, injects, the branch resolved.
    assert "09:02:50 +2:50 Clock paused: fire drill" in text
    assert "09:07:50 +7:50 Clock resumed" in text
    assert "Inject released: A warning about one unit" in text
    assert "Branch after The offer: rules say A working partnership" in text
    # Executive summary: clock time excludes the pause; the path taken.
    assert "8 min 35 s" in text and "1 pause (5 min 00 s)" in text
    assert "The offer" in text and "then A working partnership by the branch rules" in text


def test_decision_matrix_shows_every_team_choice_rationale_and_consequence(
    demo_report: tuple[str, Path],
) -> None:
    _, pdf = demo_report
    text = text_of(pdf)
    decisions = text.split("Decisions, side by side", 1)[1].split("State tracks over the session")[
        0
    ]
    assert "Equipo EE. UU. (mañana)" in decisions
    assert "A Accept and build the joint cell" in decisions
    assert "Trust first; the cell needs vetted units." in decisions
    assert "Trust grows; results come slowly." in decisions  # the consequence
    assert "corrected 1 time: the team changed its mind after discussion" in decisions
    assert "¿Tropas extranjeras? No: soberanía ante todo." in decisions
    assert "Cooperation stays thin; Washington is frustrated." in decisions
    assert "Outcome: Deepen the partnership (by majority)." in decisions
    # The appendix keeps the answer that was corrected.
    appendix = text.split("Appendix: the full decision log", 1)[1]
    assert "Congress wants results this year." in appendix
    assert "CORRECTION: THE TEAM CHANGED ITS MIND AFTER DISCUSSION" in appendix.upper()


def test_observations_objectives_hot_wash_plan_and_participants(
    demo_report: tuple[str, Path],
) -> None:
    _, pdf = demo_report
    text = text_of(pdf)
    obs = text.split("Facilitator observations", 1)[1].split("Objectives, ratings and evidence")[0]
    strengths, improvements = obs.split("Areas for improvement", 1)
    assert "The US team named a measurable end state before choosing." in strengths
    assert "Mexico's team did not plan for retaliation at home." in improvements
    assert (
        "Performed with some challenges" in text and "Named late, after the first choice." in text
    )
    assert "The first answer shaped everything after it." in text
    assert (
        "Open move 1 with an end-state drill" in text
        and "Course lead" in text
        and "2026-12-15" in text
    )
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
    assert reader.trailer["/Root"]["/Lang"] == "en"
    assert "/StructTreeRoot" in reader.trailer["/Root"]
    assert reader.metadata is not None and reader.metadata.title.startswith(
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
    many = [d for d in context["decisions"] if len(d["cells"]) >= 3]
    assert many, "the flagship has decisions for three or more teams"
    for decision in many:
        assert decision["chart"] is not None and "<rect" in decision["chart"]
    assert all(d["chart"] is None for d in context["decisions"] if len(d["cells"]) < 3)
    assert context["tracks"] and all("<path" in t["chart"] for t in context["tracks"])
    out = tmp_path / "flagship.pdf"
    assert main(["report", session_id, "-o", str(out)]) == 0
    text = text_of(out)
    assert len(PdfReader(str(out)).pages) >= 8
    for team in state.teams:
        assert team.name in text
    assert embedded_files(out) == []
