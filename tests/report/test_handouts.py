"""`tabletop handouts`: the printed set reads right, and no participant document leaks facilitator text."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.report.conftest import DEMO
from tests.report.pdfcheck import (
    catalog,
    embedded_files,
    fonts,
    md_plain,
    norm,
    pages_text,
    text_of,
)
from tests.report.private_text import branch_narratives, facilitator_only, team_private
from ttx.cli import main
from ttx.model.validate import load_exercise

PARTICIPANT = [
    "situation-manual.pdf",
    "team-us.pdf",
    "team-mexico.pdf",
    "inject-cards-us.pdf",
    "inject-cards-mexico.pdf",
    "inject-cards.pdf",
    "branch-modules.pdf",
    "feedback-form.pdf",
]


def test_the_whole_set_is_written(demo_handouts: Path) -> None:
    names = sorted(p.name for p in demo_handouts.iterdir())
    assert names == sorted([*PARTICIPANT, "facilitator-guide.pdf"])
    assert not list(demo_handouts.glob(".*")), "no temporary files are left behind"


def test_situation_manual_has_the_doctrinal_sections(demo_handouts: Path) -> None:
    text = text_of(demo_handouts / "situation-manual.pdf")
    for heading in (
        "Exercise overview",
        "Ground rules",
        "Assumptions and artificialities",
        "Schedule",
        "Discussion questions",
        "Sources",
    ):
        assert heading in text
    assert "Demo: An Offer Across the Border" in text
    assert "Weigh the partner government's sovereignty and domestic politics." in text
    assert "After a spike in overdose deaths, Washington asks Mexico City for a joint plan." in text
    assert "What would success look like in twelve months, in one sentence?" in text
    assert (
        "US National Security Council" in text and "Government of Mexico security cabinet" in text
    )
    # Sources: only those the participant material cites, each cited in full.
    assert (
        "US intervention against Mexican cartels carries major risks. Here's how to mitigate them."
        " Doug Livermore. Atlantic Council (New Atlanticist), 2025-01-14." in text
    )


def test_every_page_is_marked_numbered_and_titled(demo_handouts: Path) -> None:
    for pdf in demo_handouts.glob("*.pdf"):
        pages = pages_text(pdf)
        for number, page in enumerate(pages, 1):
            text = norm(page)
            assert "Fictional exercise — for education" in text, (pdf.name, number)
            assert f"Page {number} of {len(pages)}" in text, (pdf.name, number)
            if number > 1 or pdf.name in ("inject-cards.pdf", "feedback-form.pdf"):
                assert "Demo: An Offer Across the Border" in text and "version 1.0" in text, (
                    pdf.name,
                    number,
                )


@pytest.mark.parametrize("name", PARTICIPANT)
def test_participant_documents_hold_no_facilitator_text(demo_handouts: Path, name: str) -> None:
    exercise = load_exercise(DEMO)
    guide = text_of(demo_handouts / "facilitator-guide.pdf")
    text = text_of(demo_handouts / name)
    secrets = facilitator_only(exercise)
    assert len(secrets) >= 10
    for secret in secrets:
        assert secret in guide, f"control: the guide should hold {secret!r}"
        assert secret not in text, f"{name} leaks {secret!r}"
    for word in ("Consequence", "Facilitator notes", "Expected discussion", "Release only if"):
        assert word not in text


def test_situation_manual_does_not_spoil_the_branches(demo_handouts: Path) -> None:
    exercise = load_exercise(DEMO)
    text = text_of(demo_handouts / "situation-manual.pdf")
    for narrative in branch_narratives(exercise):
        assert narrative not in text
    for title in ("A working partnership", "A strained partnership"):
        assert title not in text
    assert "The story continues from your decisions" in text
    modules = text_of(demo_handouts / "branch-modules.pdf")
    for narrative in branch_narratives(exercise):
        assert narrative in modules


@pytest.mark.parametrize(("own", "other"), [("us", "mexico"), ("mexico", "us")])
def test_each_team_packet_holds_only_its_own_private_material(
    demo_handouts: Path, own: str, other: str
) -> None:
    exercise = load_exercise(DEMO)
    text = text_of(demo_handouts / f"team-{own}.pdf")
    for secret in team_private(exercise, own):
        assert secret in text, f"team {own} should read {secret!r}"
    for secret in team_private(exercise, other):
        assert secret not in text, f"team {own}'s packet leaks {other}'s {secret!r}"
    for other_doc in ("situation-manual.pdf", "inject-cards.pdf", "feedback-form.pdf"):
        shared = text_of(demo_handouts / other_doc)
        for secret in team_private(exercise, own):
            assert secret not in shared, f"{other_doc} leaks {own}'s {secret!r}"


def test_team_packet_has_role_cards_and_worksheets(demo_handouts: Path) -> None:
    text = text_of(demo_handouts / "team-us.pdf")
    assert "Role cards" in text
    assert "National Security Adviser" in text
    assert "SEAT 1 OF 2" in text.upper() and "SEAT 2 OF 2" in text.upper()
    assert "DECISION WORKSHEET" in text.upper()
    assert "How does the United States answer the offer?" in text
    assert (
        "Accept and build the joint cell" in text and "Slower; depends on Mexico's vetting." in text
    )
    assert "OUR RATIONALE (REQUIRED)" in text.upper()
    # Mexico's decision is Mexico's: not on the US worksheet.
    assert "How far does Mexico go?" not in text


def test_inject_cards_say_who_gets_them_and_state_their_trigger(demo_handouts: Path) -> None:
    pages = [norm(p) for p in pages_text(demo_handouts / "inject-cards.pdf")]
    text = " ".join(pages)
    assert "An offer, with a red line" in text and "To: All teams" in text
    assert "A warning about one unit" in text
    assert "To: US NSC — for this team only" in text
    assert "From: US intelligence liaison" in text and "Medium: brief" in text
    assert "MOVE 1 · THE OFFER" in text.upper() and "MINUTE 1" in text.upper()
    # The conditional card states its trigger on a strip the facilitator cuts off, by names, not ids.
    assert "Washington asks for more" in text
    assert (
        'FACILITATOR · CUT OFF BEFORE DEALING Deal only if "How far does Mexico go?" is '
        '"Intelligence sharing only"' in text
    )
    assert "intel_only" not in text and "posture is" not in text
    assert "Sources:" not in text


def test_each_team_gets_its_own_deck(demo_handouts: Path) -> None:
    us = text_of(demo_handouts / "inject-cards-us.pdf")
    mexico = text_of(demo_handouts / "inject-cards-mexico.pdf")
    assert "INJECT CARDS — US NSC" in us.upper()
    assert "A warning about one unit" in us and "A warning about one unit" not in mexico
    assert "An offer, with a red line" in us and "An offer, with a red line" in mexico
    assert "To: US NSC — every team gets this card" in us
    assert "To: All teams" not in us and "To: All teams" not in mexico


def test_facilitator_guide_has_timeline_branch_map_and_consequences(demo_handouts: Path) -> None:
    text = text_of(demo_handouts / "facilitator-guide.pdf")
    assert "Timeline (master scenario events list)" in text
    assert "Branch map" in text
    # Conditions name a decision by its prompt, never by its id.
    assert (
        '"How does the United States answer the offer?" is "Accept only with tariff pressure attached"'
        in text
    )
    assert 'Release only if "How far does Mexico go?" is "Intelligence sharing only"' in text
    assert "opening is" not in text and "posture is" not in text
    assert "Trust grows; results come slowly." in text
    assert "Partner trust +1" in text
    assert "played by students" in text
    reader = PdfReader(str(demo_handouts / "facilitator-guide.pdf"))
    assert "FACILITATOR ONLY" in norm(reader.pages[1].extract_text()).upper()


def test_feedback_form_has_strengths_improvements_and_ratings(demo_handouts: Path) -> None:
    text = text_of(demo_handouts / "feedback-form.pdf")
    assert "Top three strengths" in text and "Top three areas for improvement" in text
    assert "The scenario was realistic enough to learn from." in text
    assert "1 2 3 4 5" in text


def test_pdfs_embed_only_shipped_fonts_and_no_files(demo_handouts: Path) -> None:
    for pdf in demo_handouts.glob("*.pdf"):
        used = fonts(pdf)
        assert used, pdf.name
        assert all(not f.endswith("*") for f in used), f"{pdf.name}: unembedded {used}"
        assert all(f.startswith(("Caladea", "Open-Sans", "Fira-Code")) for f in used), used
        assert embedded_files(pdf) == []


def test_pdfs_are_tagged_with_language_and_title(demo_handouts: Path) -> None:
    reader = PdfReader(str(demo_handouts / "team-us.pdf"))
    root = catalog(reader)
    assert root["/Lang"] == "en"
    assert "/StructTreeRoot" in root
    assert root["/MarkInfo"]["/Marked"]
    assert reader.metadata is not None
    assert reader.metadata.title == "Demo: An Offer Across the Border — Team packet — US NSC"
    assert str(reader.metadata["/CreationDate"]).startswith("D:20261121")


@pytest.mark.slow
def test_flagship_participant_documents_hold_no_facilitator_text(tmp_path: Path) -> None:
    from tests.report.conftest import FLAGSHIP

    exercise = load_exercise(FLAGSHIP)
    assert main(["handouts", str(FLAGSHIP), "-o", str(tmp_path)]) == 0
    guide = text_of(tmp_path / "facilitator-guide.pdf")
    secrets = [s for s in facilitator_only(exercise) if s in guide]
    assert len(secrets) >= 0.9 * len(facilitator_only(exercise)) >= 50
    students = [t.id for t in exercise.teams if t.played_by == "students"]
    for pdf in tmp_path.glob("*.pdf"):
        if pdf.name == "facilitator-guide.pdf":
            continue
        text = text_of(pdf)
        leaks = [s for s in secrets if s in text]
        assert not leaks, f"{pdf.name} leaks {leaks[:3]}"
    for team_id in students:
        packet = text_of(tmp_path / f"team-{team_id}.pdf")
        for other in exercise.teams:
            if other.id != team_id:
                leaked = [s for s in team_private(exercise, other.id) if s in packet]
                assert not leaked, f"team {team_id}'s packet leaks {other.id}: {leaked[:2]}"
    sitman = text_of(tmp_path / "situation-manual.pdf")
    assert not [n for n in branch_narratives(exercise) if n in sitman]
    # The frame is visible: every question of the moves the manual prints shows its tags,
    # as a reader reads them ("Five questions: legal basis"), and each packet ends on the frame.
    from ttx.vocabulary import tag_label

    printed = [m for m in exercise.moves if not m.branch_only]
    tags = {tag_label(exercise, t) for m in printed for q in m.questions for t in q.tags}
    assert tags and all(t.startswith("Five questions: ") for t in tags)
    missing = {t for t in tags if norm(t) not in sitman}
    assert not missing, missing
    assert exercise.frame is not None
    for team_id in students:
        last = norm(pages_text(tmp_path / f"team-{team_id}.pdf")[-1])
        assert "Five questions" in last
        assert all(norm(md_plain(q.text)) in last for q in exercise.frame.questions)


def test_a4_paper_is_a4(tmp_path: Path) -> None:
    assert main(["handouts", str(DEMO), "-o", str(tmp_path), "--paper", "a4"]) == 0
    box = PdfReader(str(tmp_path / "feedback-form.pdf")).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)


def test_invalid_exercise_gets_a_clear_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(DEMO.read_text(encoding="utf-8").replace("goto: strained", "goto: nowhere"))
    assert main(["handouts", str(bad), "-o", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err
    assert "bad.yaml:" in err and "nowhere" in err and "Traceback" not in err
    assert not (tmp_path / "out").exists()
    assert main(["handouts", str(tmp_path / "missing.yaml")]) == 2
