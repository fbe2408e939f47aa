"""One sanitiser for terminal output: text from files, the journal or arguments never drives the terminal."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.unit.test_journal_integrity import record
from ttx.api import open_journal
from ttx.cli import main
from ttx.paths import sessions_db
from ttx.safe_text import has_controls, shown
from ttx.store.errors import JournalError

ESC = "\x1b"
TITLE_ATTACK = "\x1b]0;pwned\x07\x1b[2J"


def no_controls(text: str) -> None:
    """Nothing but printable text and line ends."""
    assert not any(ch in text for ch in (ESC, "\x07", "\r", "\x9b", "\u202e")), repr(text)


def test_shown_escapes_controls_and_bytes_that_were_not_utf8() -> None:
    assert shown("a\x1b[2Jb") == "a\\x1b[2Jb"
    assert shown("one\ntwo") == "one\\x0atwo"
    assert shown("one\ntwo", keep_newlines=True) == "one\ntwo"
    assert shown("\x9b\u202e") == "\\x9b\\u202e"
    assert shown(b"\xff".decode("utf-8", "surrogateescape")) == "\\xff"
    assert shown("café ✓ 日本") == "café ✓ 日本"
    assert has_controls("a\tb") and not has_controls("plain text")


def test_validate_never_prints_a_control_character_or_a_forged_line(
    tmp_path: Path, demo_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = demo_path.read_text(encoding="utf-8")
    hostile = tmp_path / "hostile.yaml"
    hostile.write_text(
        # YAML escapes: the file itself is plain text, the parsed key holds ESC and BEL.
        text.replace("title:", '"x\\e[2J\\e]0;pwned\\a": 1\ntitle:', 1).replace(
            "title:", '"fake\\nfake.yaml:1:1: ok": 2\ntitle:', 1
        ),
        encoding="utf-8",
    )
    escaped_id = tmp_path / "escaped_id.yaml"
    escaped_id.write_text(text.replace("id: demo", 'id: "demo\\e[2J"', 1), encoding="utf-8")
    assert main(["validate", str(hostile), str(escaped_id)]) == 1
    out = capsys.readouterr().out
    no_controls(out)
    assert not any(line.startswith("fake.yaml") for line in out.splitlines())
    assert "\\x1b" in out  # shown, not obeyed


def test_sessions_and_errors_escape_text_from_the_journal_and_arguments(
    demo_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sid = record(demo_path, notes=0)[0]
    conn = sqlite3.connect(sessions_db())
    with conn:
        conn.execute("UPDATE sessions SET exercise_title = ?", (TITLE_ATTACK,))
    conn.close()
    assert main(["sessions"]) == 0
    out, err = capsys.readouterr()
    no_controls(out + err)
    assert sid in out
    assert main(["export", f"{ESC}[2J{ESC}]0;pwned\x07"]) == 2
    out, err = capsys.readouterr()
    no_controls(out + err)
    assert "\\x1b" in err
    # argparse repeats a bad choice: shown too.
    with pytest.raises(SystemExit):
        main(["export", "--format", f"{ESC}[2J", sid])
    out, err = capsys.readouterr()
    no_controls(out + err)


def test_a_session_id_with_control_characters_is_refused(demo_path: Path) -> None:
    with open_journal() as journal:
        for bad in (f"a{ESC}b", "line\nbreak", "", "x" * 1000):
            with pytest.raises(JournalError, match="cannot be used"):
                journal.create_session(demo_path, session_id=bad)
        assert journal.sessions() == []


@pytest.mark.parametrize(
    "argv",
    [
        ["report", b"\xff\xfe"],
        ["export", b"\xff"],
        ["validate", b"caf\xe9.yaml"],
        ["new", b"Title \xff", "-o", b"out\xff.yaml"],
        ["handouts", b"x.yaml", "-o", b"\xfe"],
    ],
)
def test_an_argument_that_is_not_utf8_gets_one_clear_line(
    tmp_path: Path, argv: list[str | bytes]
) -> None:
    env = {**os.environ, "LC_ALL": "C.UTF-8", "PYTHONUTF8": "1"}
    done = subprocess.run(
        [sys.executable, "-m", "ttx.cli", *argv],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        timeout=60,
    )
    err = done.stderr.decode("utf-8")
    assert done.returncode == 2, err  # unusable input (docs/cli.md)
    assert len(err.strip().splitlines()) == 1 and "UTF-8" in err and "Traceback" not in err
    assert list(tmp_path.iterdir()) == [], "nothing is written"
