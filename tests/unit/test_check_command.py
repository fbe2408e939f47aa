"""`tabletop check`: verify every session, salvage the intact prefix, back up and restore."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from tests.unit.test_journal_integrity import record, sql
from ttx.api import open_journal
from ttx.cli import main
from ttx.paths import sessions_db
from ttx.session.actions import EnterMove
from ttx.store.backup import KEEP, backups_dir, list_backups


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["check", *argv])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


def test_check_reports_each_session_intact_or_damaged_with_its_first_bad_event(
    demo_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = record(demo_path)[0]
    bad = record(demo_path)[0]
    code, out, _ = run(capsys)
    assert code == 0 and out.count("intact") >= 2
    sql("UPDATE events SET data = replace(data, 'note 2', 'note Z') WHERE session_id = ?", bad)
    code, out, err = run(capsys)
    assert code == 2
    lines = {line.split()[0]: line for line in out.splitlines() if line.startswith("2")}
    assert "intact" in lines[good]
    assert "DAMAGED" in lines[bad] and "event 6" in lines[bad] and "1-5 of 8" in lines[bad]
    assert "--salvage" in err
    # One session by id.
    code, out, _ = run(capsys, good)
    assert code == 0 and good in out and bad not in out


def test_salvage_copies_the_intact_prefix_into_a_marked_session_stating_the_gap(
    demo_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = record(demo_path)[0]
    sql("DELETE FROM events WHERE session_id = ? AND seq = 6", bad)
    code, out, _ = run(capsys, bad, "--salvage")
    assert code == 0 and f"{bad}-salvaged" in out and "1-5 of 8" in out
    with open_journal() as journal:
        salvaged = journal.read_session(f"{bad}-salvaged")
        assert [e.seq for e in salvaged.events] == [1, 2, 3, 4, 5, 6]
        note = salvaged.events[-1]
        assert note.kind == "note_added"
        text = note.model_dump()["text"]
        assert "SALVAGED" in text and bad in text and "event 6 onward is lost" in text
        # The damaged one is left as it was, and still refused.
        assert main(["export", bad]) == 2
    # The salvaged session is intact, can be recorded in, and is not salvaged twice.
    capsys.readouterr()
    code, out, _ = run(capsys, "--salvage")
    assert "salvaged before" in out
    with open_journal() as journal, journal.open_session(f"{bad}-salvaged") as session:
        session.apply(EnterMove())
    assert main(["export", f"{bad}-salvaged", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["session"]["id"] == f"{bad}-salvaged"


def test_salvage_of_an_intact_session_has_nothing_to_do(
    demo_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sid = record(demo_path)[0]
    code, out, _ = run(capsys, sid, "--salvage")
    assert code == 0 and "intact" in out  # nothing damaged: nothing to do


def test_backups_are_taken_at_move_changes_and_only_the_last_few_kept(
    demo_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for _ in range(KEEP + 2):
        record(demo_path, notes=0)
    backups = list_backups(sessions_db())
    assert len(backups) == KEEP
    assert all(p.parent == backups_dir(sessions_db()) for p in backups)
    newest = sqlite3.connect(backups[0])
    assert newest.execute("SELECT COUNT(*) FROM sessions").fetchone()[0] == KEEP + 2
    newest.close()
    code, out, _ = run(capsys, "--backups")
    assert code == 0 and backups[0].name in out


def test_restore_puts_the_newest_backup_back_and_keeps_the_replaced_journal(
    demo_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sid = record(demo_path)[0]
    db = sessions_db()
    # A bad sector: the file is no longer a database at all.
    with db.open("r+b") as handle:
        handle.write(b"\xff" * 4096)
    for suffix in ("-wal", "-shm"):
        db.with_name(db.name + suffix).unlink(missing_ok=True)
    assert main(["sessions"]) == 2
    err = capsys.readouterr().err
    assert "tabletop check --restore" in err
    code, out, _ = run(capsys, "--restore")
    assert code == 0 and "Restored" in out
    kept = [p for p in db.parent.iterdir() if ".replaced-" in p.name]
    assert kept, "the damaged journal is kept, never deleted"
    assert main(["export", sid]) == 0


def test_restore_is_refused_while_a_session_is_recorded(
    demo_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with open_journal() as journal, journal.create_session(demo_path) as session:
        session.apply(EnterMove())
        code, _, err = run(capsys, "--restore")
        assert code == 1 and session.id in err
