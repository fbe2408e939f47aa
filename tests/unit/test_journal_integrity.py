"""The journal's integrity: the checksum chain, the count check, damaged rows named, legacy journals."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from ttx.api import open_journal
from ttx.cli import main
from ttx.paths import sessions_db
from ttx.session.actions import AddNote, EnterMove
from ttx.store.errors import SessionDamaged
from ttx.store.sqlite_schema import SCHEMA_VERSION


def record(demo_path: Path, notes: int = 5) -> tuple[str, int]:
    """A session with a move and `notes` notes: (its id, its last seq)."""
    with open_journal() as journal, journal.create_session(demo_path) as session:
        session.apply(EnterMove())
        for n in range(notes):
            session.apply(AddNote(text=f"note {n}"))
        return session.id, session.state.last_seq


def sql(statement: str, *params: object) -> None:
    conn = sqlite3.connect(sessions_db())
    with conn:
        conn.execute(statement, params)
    conn.close()


def refused(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    """Run the CLI, expect exit 2 (unusable input), return stderr (one line per problem)."""
    assert main(list(argv)) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err
    return err


def test_a_changed_event_is_refused_naming_the_session_and_the_event(
    demo_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sid = record(demo_path)[0]
    # Still valid JSON, still a valid note: only the chain can tell it was changed.
    sql(
        "UPDATE events SET data = replace(data, 'note 0', 'note X') WHERE session_id = ? AND seq = 4",
        sid,
    )
    with open_journal() as journal, pytest.raises(SessionDamaged) as info:
        journal.read_session(sid)
    assert info.value.first_bad == 4 and info.value.session_id == sid
    for command in ("export", "report"):
        err = refused(capsys, command, sid)
        assert sid in err and "event 4" in err and "tabletop check" in err


@pytest.mark.parametrize(
    ("damage", "first_bad"),
    [
        ("DELETE FROM events WHERE session_id = ? AND seq = (SELECT last_seq FROM sessions)", 8),
        ("DELETE FROM events WHERE session_id = ? AND seq = 3", 3),
        # The newest event and the count lost together: the session's last checksum tells.
        (
            "DELETE FROM events WHERE session_id = ? AND seq = 8; UPDATE sessions SET last_seq = 7",
            8,
        ),
        ("UPDATE sessions SET last_seq = 5 WHERE id = ?", 6),
        ("UPDATE events SET data = CAST(X'7bff22' AS TEXT) WHERE session_id = ? AND seq = 2", 2),
        ("UPDATE events SET checksum = 'x' WHERE session_id = ? AND seq = 5", 5),
    ],
)
def test_a_session_that_does_not_add_up_is_never_read_short(
    demo_path: Path, damage: str, first_bad: int
) -> None:
    sid, last = record(demo_path)
    assert last == 8  # started, clock, move, five notes
    conn = sqlite3.connect(sessions_db())
    for statement in damage.split("; "):
        with conn:
            conn.execute(statement, (sid,) if "?" in statement else ())
    conn.close()
    with open_journal() as journal:
        with pytest.raises(SessionDamaged) as info:
            journal.read_session(sid)
        assert info.value.first_bad == first_bad
        with pytest.raises(SessionDamaged):
            journal.open_session(sid)


def test_one_bad_session_row_never_hides_the_others(
    demo_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = record(demo_path, notes=1)[0]
    bad_date = record(demo_path, notes=1)[0]
    bad_count = record(demo_path, notes=1)[0]
    bad_text = record(demo_path, notes=1)[0]
    sql("UPDATE sessions SET created_at = 'yesterday-ish' WHERE id = ?", bad_date)
    sql("UPDATE sessions SET last_seq = 'many' WHERE id = ?", bad_count)
    sql("UPDATE sessions SET exercise_title = CAST(X'41ff42' AS TEXT) WHERE id = ?", bad_text)
    assert main(["sessions"]) == 2
    out, err = capsys.readouterr()
    for sid in (good, bad_date, bad_count, bad_text):
        assert sid in out
    assert "Traceback" not in err and f"session {good} " not in err
    for sid in (bad_date, bad_count, bad_text):
        assert f"session {sid} is damaged" in err
    # The good one still reads; the bad ones are refused by name.
    assert main(["export", good]) == 0
    capsys.readouterr()
    assert bad_count in refused(capsys, "export", bad_count)


def test_a_zero_byte_journal_says_it_is_empty(
    demo_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = sessions_db()
    db.parent.mkdir(parents=True)
    db.write_bytes(b"")
    assert main(["sessions"]) == 0
    out = capsys.readouterr().out
    assert "empty" in out and "`ttx sessions`" not in out
    # Emptied after backups were taken: the message points at the restore.
    db.unlink()
    record(demo_path, notes=0)  # entering the move takes a backup
    db.write_bytes(b"")
    for suffix in ("-wal", "-shm"):
        db.with_name(db.name + suffix).unlink(missing_ok=True)
    err = refused(capsys, "sessions")
    assert "empty" in err and "tabletop check --restore" in err


def test_a_very_long_id_gets_a_clear_message(
    demo_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    record(demo_path, notes=0)
    err = refused(capsys, "export", "x" * 100_000)
    assert "at most" in err and "LIKE" not in err and len(err) < 400


def make_schema_1(db: Path) -> None:
    """Turn a journal back into the schema before checksums (as an older ttx left it)."""
    conn = sqlite3.connect(db)
    conn.execute("ALTER TABLE events DROP COLUMN checksum")
    conn.execute("ALTER TABLE sessions DROP COLUMN head")
    conn.execute("PRAGMA user_version = 1")
    conn.commit()
    conn.close()


def test_a_journal_from_before_checksums_still_loads_then_is_backfilled(
    demo_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sid, last = record(demo_path)
    make_schema_1(sessions_db())
    # Read-only, it is read as legacy: count and order checked, no chain to check.
    assert main(["export", sid]) == 0
    assert main(["sessions"]) == 0
    capsys.readouterr()
    # Opened for writing, it is migrated and its chain computed from the rows as they are.
    with open_journal() as journal, journal.open_session(sid) as session:
        assert session.state.last_seq == last + 1  # + the reopening
        session.apply(AddNote(text="after the upgrade"))
    conn = sqlite3.connect(sessions_db())
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert conn.execute("SELECT COUNT(*) FROM events WHERE checksum IS NULL").fetchone()[0] == 0
    conn.close()
    assert main(["export", sid]) == 0
    # From now on the chain guards it like any other session.
    sql("UPDATE events SET data = replace(data, 'note 0', 'note 9') WHERE session_id = ?", sid)
    assert "event 4" in refused(capsys, "export", sid)
