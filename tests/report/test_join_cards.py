"""Join cards: one card per team, its join URL and code readable on paper, its QR code that URL."""

from __future__ import annotations

import secrets
import tempfile
from pathlib import Path

import pytest

from tests.report.pdfcheck import expected_matrix, pages_text, qr_matrices, squash
from ttx.api import open_journal
from ttx.report.jobs import start_join_cards
from ttx.report.join_cards import JoinLink
from ttx.session.events import TeamSetup


def _session(demo_path: Path) -> str:
    teams = [
        TeamSetup(id="us", name="Equipo EE. UU. (mañana)"),
        TeamSetup(id="mexico", name="Mexico <script>"),
    ]
    with open_journal() as journal, journal.create_session(demo_path, teams) as session:
        return session.state.id


def _links(*teams: str) -> dict[str, JoinLink]:
    links = {}
    for team in teams:
        code = secrets.token_urlsafe(16)
        links[team] = JoinLink(f"http://192.0.2.7:8765/j/{code}", code)
    return links


def test_each_team_gets_a_card_with_its_url_code_and_a_qr_code_of_that_url(
    demo_path: Path, tmp_path: Path
) -> None:
    session_id = _session(demo_path)
    links = _links("us", "mexico")
    out = tmp_path / "cards.pdf"
    job = start_join_cards(session_id, links, out, "a4")
    assert job.wait(), job.error
    pages = pages_text(out)
    text = squash(" ".join(pages))
    assert squash("Equipo EE. UU. (mañana)") in text
    assert squash("Mexico <script>") in text
    for link in links.values():
        assert squash(link.url) in text
        assert link.code in text
    # Two cards fit a page; each team's card sits whole on one page, names in set-up order.
    assert len(pages) == 1
    assert text.index("Equipo") < text.index("Mexico")
    assert qr_matrices(out) == [
        expected_matrix(links["us"].url),
        expected_matrix(links["mexico"].url),
    ]


def test_the_codes_never_stay_behind_in_a_temporary_file(
    demo_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    session_id = _session(demo_path)
    links = _links("us", "mexico")
    # A temporary folder of its own: other tests running beside it write join cards too.
    private = tmp_path / "tmp"
    private.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(private))
    before = set(Path(tempfile.gettempdir()).glob("ttx-join-cards-*"))
    job = start_join_cards(session_id, links, tmp_path / "cards.pdf")
    assert job.wait(), job.error
    left = set(Path(tempfile.gettempdir()).glob("ttx-join-cards-*")) - before
    assert not left
    # ...nor when the session cannot be read: a clear error, and the codes gone all the same.
    job = start_join_cards("no-such-session", links, tmp_path / "none.pdf")
    assert not job.wait()
    assert "no-such-session" in str(job.error)
    assert not (set(Path(tempfile.gettempdir()).glob("ttx-join-cards-*")) - before)
    assert not (tmp_path / "none.pdf").exists()


def test_a_team_without_a_link_gets_no_card(demo_path: Path, tmp_path: Path) -> None:
    session_id = _session(demo_path)
    links = _links("mexico")
    out = tmp_path / "cards.pdf"
    assert start_join_cards(session_id, links, out).wait()
    text = squash(" ".join(pages_text(out)))
    assert "Equipo" not in text
    assert squash("Mexico <script>") in text
    assert len(qr_matrices(out)) == 1
