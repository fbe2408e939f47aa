"""`tabletop room SESSION --cards FILE.pdf`: the cards carry the addresses the room then serves."""

from __future__ import annotations

import socket
from pathlib import Path

import httpx
import pytest

from tests.e2e.headless_room import HeadlessRoom
from tests.report.pdfcheck import expected_matrix, pages_text, qr_matrices, squash
from ttx.api import open_journal
from ttx.cli import main
from ttx.report import jobs
from ttx.room import codes


def _session(demo_path: Path) -> str:
    with open_journal() as journal, journal.create_session(demo_path) as session:
        return session.id


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_each_card_opens_its_team_page_in_the_room_opened_later(
    demo_path: Path, tmp_path: Path
) -> None:
    session_id = _session(demo_path)
    port = _free_port()
    out = tmp_path / "cards.pdf"
    argv = ["room", session_id, "--cards", str(out), "--host", "127.0.0.1", "--port", str(port)]
    assert main(argv) == 0
    text = squash(" ".join(pages_text(out)))
    room = HeadlessRoom(session_id, teams=2, port=port)
    try:
        assert list(room.urls) == ["us", "mexico"]
        assert qr_matrices(out) == [expected_matrix(url) for url in room.urls.values()]
        for team, url in room.urls.items():
            assert squash(url) in text
            assert url.rsplit("/", 1)[1] in text  # the code, printed on its own too
            with httpx.Client(follow_redirects=True, timeout=10) as client:
                assert client.get(url).status_code == 200
                page = client.get(url.split("/j/")[0] + "/team")
                assert page.status_code == 200, team
    finally:
        assert room.stop() == 0


def test_a_revoked_team_gets_no_card_and_the_facilitator_is_told(
    demo_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    session_id = _session(demo_path)
    codes.revoke(session_id, "mexico")
    out = tmp_path / "cards.pdf"
    assert main(["room", session_id, "--cards", str(out), "--host", "127.0.0.1"]) == 0
    said = capsys.readouterr().out
    assert "Wrote 1 join card for session" in said
    assert "No card for mexico: its code is revoked." in said
    assert len(qr_matrices(out)) == 1
    assert "http://127.0.0.1:8765/j/" in squash(" ".join(pages_text(out)))


@pytest.mark.parametrize(
    ("argv", "code", "message"),
    [
        (["--port", "0"], 1, "join cards need a fixed port"),
        (["no-such-session"], 2, "no session 'no-such-session'"),
    ],
)
def test_cards_that_cannot_be_right_are_refused_in_one_line(
    demo_path: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    argv: list[str],
    code: int,
    message: str,
) -> None:
    _session(demo_path)
    out = tmp_path / "cards.pdf"
    assert main(["room", *argv, "--cards", str(out)]) == code
    err = capsys.readouterr().err
    assert message in err
    assert len(err.strip().splitlines()) == 1
    assert not out.exists()
    assert (
        jobs.prepared_worker() is None
    )  # no rendering worker left waiting for a job that never comes
