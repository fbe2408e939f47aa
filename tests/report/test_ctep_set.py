"""The participant set and the facilitator's material as CISA CTEP has them, read back from the PDFs."""

from __future__ import annotations

from pathlib import Path

import pikepdf

from tests.report.conftest import FLAGSHIP
from tests.report.pdfcheck import md_plain, squash, text_of
from ttx.model.validate import load_exercise
from ttx.report.room import room_layout


def _flagship(shipped_handouts: list[Path]) -> Path:
    return next(folder for folder in shipped_handouts if folder.name == FLAGSHIP.stem)


def test_the_guide_has_a_print_checklist_of_every_document_it_ships_with(
    shipped_handouts: list[Path],
) -> None:
    folder = _flagship(shipped_handouts)
    text = squash(text_of(folder / "facilitator-guide.pdf"))
    assert squash("Before the session Print checklist") in text
    for pdf in sorted(folder.glob("*.pdf")):
        assert squash(f"({pdf.name})") in text, pdf.name
    exercise = load_exercise(FLAGSHIP)
    nsc_seats = len(exercise.team("nsc").roles)
    assert squash(f"{nsc_seats}, one per seat") in text


def test_the_guide_draws_the_room_and_keeps_a_track_board(shipped_handouts: list[Path]) -> None:
    guide = _flagship(shipped_handouts) / "facilitator-guide.pdf"
    text = squash(text_of(guide))
    exercise = load_exercise(FLAGSHIP)
    assert squash("Room layout") in text and squash("Track board") in text
    for track in exercise.state:
        assert squash(track.label) in text
    for column in ("Move 0", "Move 5"):
        assert squash(column) in text
    with pikepdf.open(guide) as pdf:
        alts = [
            str(o.get("/Alt"))
            for o in pdf.objects
            if isinstance(o, pikepdf.Dictionary) and o.get("/S") == "/Figure"
        ]
    room = next(a for a in alts if a.startswith("Room layout"))
    assert "3 team tables" in room and "Mexico" in room
    assert "Room layout" in str(room_layout(exercise))


def test_the_guide_prints_the_red_cells_role_cards_in_full(shipped_handouts: list[Path]) -> None:
    text = squash(text_of(_flagship(shipped_handouts) / "facilitator-guide.pdf"))
    red = load_exercise(FLAGSHIP).team("red_cell")
    assert red.played_by == "facilitator" and len(red.roles) >= 4
    for seat, role in enumerate(red.roles, 1):
        assert squash(f"RED CELL · SEAT {seat} OF {len(red.roles)}") in text
        assert squash(md_plain(role.brief)) in text, role.title


def test_the_situation_manual_has_roles_and_questions_grouped_by_organisation(
    shipped_handouts: list[Path],
) -> None:
    text = squash(text_of(_flagship(shipped_handouts) / "situation-manual.pdf")).upper()
    assert squash("Participant roles and responsibilities").upper() in text
    exercise = load_exercise(FLAGSHIP)
    for team in exercise.teams:
        if team.played_by == "students":
            assert squash(f"Players: {team.name}").upper() in text
    assert squash("also plays Cartel red cell").upper() in text
    assert squash("FOR EVERY TEAM") in text
    move_0 = exercise.moves[0]
    own = [q for q in move_0.questions if q.teams]
    assert own, "the flagship's first move has a question for one team"
    label = exercise.team(own[0].teams[0]).short
    assert squash(f"FOR {label}").upper() in text
