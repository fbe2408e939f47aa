"""The journal on disk: durability settings, locking, failures with clear messages, snapshots."""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from ttx.api import open_journal
from ttx.cli import main
from ttx.paths import sessions_db
from ttx.session.actions import AddNote, EnterMove, RecordDecision
from ttx.session.clock import FakeClock
from ttx.store.errors import (
    JournalCorrupt,
    JournalError,
    JournalUnwritable,
    ReadOnlySession,
    SessionExists,
    SessionLocked,
    SessionNotFound,
)
from ttx.store.sqlite_schema import SCHEMA_VERSION


def test_durability_settings_and_schema_version(demo_path: Path) -> None:
    with open_journal() as journal, journal.create_session(demo_path) as session:
        conn = session._store.conn
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert sessions_db().exists()


def test_a_second_recorder_is_refused_with_the_owner_pid(demo_path: Path) -> None:
    with open_journal() as journal:
        first = journal.create_session(demo_path)
        with pytest.raises(SessionLocked) as info:
            journal.open_session(first.id)
        message = str(info.value)
        assert f"pid {os.getpid()}" in message and f"tabletop project {first.id}" in message
        # Watching read-only is allowed while it is recorded elsewhere.
        watcher = journal.read_session(first.id)
        first.apply(EnterMove())
        assert watcher.refresh() and watcher.state.current_move == "offer"
        with pytest.raises(ReadOnlySession):
            watcher.apply(AddNote(text="no"))
        first.close()
        again = journal.open_session(first.id)
        again.close()


def test_the_lock_is_held_across_processes_and_freed_when_the_holder_dies(demo_path: Path) -> None:
    with open_journal() as journal:
        session_id = journal.create_session(demo_path).id
    # (the session object above was never closed; drop its lock as a process exit would)
    import gc

    gc.collect()
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent(
                """
                import sys, time
                from ttx.api import open_journal
                s = open_journal().open_session()
                print("ready", flush=True)
                time.sleep(60)
                """
            ),
        ],
        stdout=subprocess.PIPE,
        env=os.environ.copy(),
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == b"ready"
        with open_journal() as journal, pytest.raises(SessionLocked, match=f"pid {holder.pid}"):
            journal.open_session(session_id)
    finally:
        holder.kill()
        holder.wait()
    with open_journal() as journal:
        journal.open_session(session_id).close()


def test_unknown_and_ambiguous_ids(demo_path: Path) -> None:
    clock = FakeClock()
    with open_journal() as journal:
        with pytest.raises(SessionNotFound, match="no sessions recorded yet"):
            journal.open_session()
        a = journal.create_session(demo_path, clock=clock)
        b = journal.create_session(demo_path, clock=clock)
        assert (a.id, b.id) == ("20260101-0900-demo", "20260101-0900-demo-2")
        a.close()
        b.close()
        with pytest.raises(SessionNotFound, match="matches several sessions"):
            journal.open_session("2026")
        with pytest.raises(SessionNotFound, match="no session 'nope'"):
            journal.open_session("nope")
        assert journal.resolve_id("20260101-0900-demo-") == b.id
        assert journal.resolve_id(None) == b.id  # the latest


def test_a_failed_write_is_reported_and_not_shown_as_saved(demo_path: Path) -> None:
    with open_journal() as journal, journal.create_session(demo_path) as session:
        session.apply(EnterMove())
        before = session.state
        events = len(session.events)
        conn = session._store.conn
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
        conn.execute(f"PRAGMA max_page_count = {pages}")  # the disk is now "full"
        big = "x" * 19_000
        with pytest.raises(JournalUnwritable, match="full"):
            for _ in range(20):
                session.apply(AddNote(text=big))
        saved = len(session.events)
        # Only the notes that were committed are shown, and the journal agrees.
        assert len(session.state.notes) == len(before.notes) + (saved - events)
        assert session._store.load_events(session.id)[-1].seq == saved
        conn.execute("PRAGMA max_page_count = 1073741823")
        state = session.apply(
            RecordDecision(decision_id="opening", team_id="us", option_id="partner", rationale="r")
        )
        assert state.last_seq == saved + 2  # decision + its effect, no gap
        assert saved >= events
    with open_journal() as journal:
        rebuilt = journal.read_session().state
        assert rebuilt.decisions["opening"].records["us"].option_id == "partner"
        assert rebuilt.last_seq == state.last_seq


def test_a_corrupt_journal_gets_one_clear_line(capsys: pytest.CaptureFixture[str]) -> None:
    db = sessions_db()
    db.parent.mkdir(parents=True)
    db.write_bytes(b"this is not a database, just text " * 200)
    with pytest.raises(JournalCorrupt, match="damaged or is not a ttx journal"):
        open_journal()
    assert main(["sessions"]) == 2  # a damaged file is unusable input
    assert main(["export", "x"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 2 and all("damaged" in line for line in err)
    assert "Traceback" not in capsys.readouterr().err


def test_another_programs_sqlite_file_is_not_mistaken_for_a_journal() -> None:
    db = sessions_db()
    db.parent.mkdir(parents=True)
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE songs (title TEXT)")
    conn.commit()
    conn.close()
    with pytest.raises(JournalCorrupt, match="not a ttx journal"):
        open_journal()


def test_a_journal_from_a_newer_ttx_is_refused(demo_path: Path) -> None:
    open_journal().close()
    conn = sqlite3.connect(sessions_db())
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    with pytest.raises(JournalError, match="newer ttx"):
        open_journal()


def test_the_exercise_is_frozen_when_the_session_starts(tmp_path: Path, demo_path: Path) -> None:
    exercise = tmp_path / "demo.yaml"
    shutil.copy(demo_path, exercise)
    with open_journal() as journal:
        session = journal.create_session(exercise)
        session.close()
        exercise.write_text(
            exercise.read_text().replace("Demo: An Offer Across the Border", "Edited later")
        )
        exercise.unlink()
        reopened = journal.open_session(session.id)
        assert reopened.state.exercise.title == "Demo: An Offer Across the Border"
        reopened.close()
        assert journal.sessions()[0].exercise_title == "Demo: An Offer Across the Border"


@contextlib.contextmanager
def read_only(folder: Path) -> Iterator[None]:
    """Make a folder (and its files) unwritable, even for root where the filesystem allows."""
    paths = [folder, *folder.rglob("*")]
    if os.geteuid() != 0:
        for p in paths:
            p.chmod(0o555 if p.is_dir() else 0o444)
        try:
            yield
        finally:
            for p in paths:
                p.chmod(0o755 if p.is_dir() else 0o644)
        return
    done: list[Path] = []
    try:
        for p in paths:
            result = subprocess.run(["chattr", "+i", str(p)], capture_output=True)
            if result.returncode != 0:
                pytest.skip("running as root on a filesystem without immutable files")
            done.append(p)
        yield
    finally:
        for p in done:
            subprocess.run(["chattr", "-i", str(p)], capture_output=True)


def test_a_read_only_data_folder(
    ttx_home: Path, demo_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with open_journal() as journal, journal.create_session(demo_path) as session:
        session.apply(EnterMove())
        session_id = session.id
    with read_only(ttx_home):
        # Reading still works: listing and exporting.
        assert main(["sessions"]) == 0
        assert session_id in capsys.readouterr().out
        assert main(["export", session_id, "--format", "json"]) == 0
        assert '"ttx-decision-log"' in capsys.readouterr().out
        # Recording is refused with a message that says what to do.
        with open_journal(read_only=True) as journal, pytest.raises(JournalUnwritable) as info:
            journal.open_session(session_id)
        assert "TTX_HOME" in str(info.value)
    with read_only(ttx_home.parent):
        elsewhere = ttx_home.parent / "new-home" / "sessions.sqlite3"
        with pytest.raises(JournalUnwritable, match="cannot create the data folder"):
            open_journal(elsewhere)


def test_a_database_held_by_another_program_is_reported_and_nothing_changes(
    demo_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("ttx.store.journal.BUSY_TIMEOUT_MS", 100)
    with open_journal() as journal, journal.create_session(demo_path) as session:
        session.apply(EnterMove())
        before = session.state
        other = sqlite3.connect(sessions_db(), isolation_level=None)
        other.execute("BEGIN EXCLUSIVE")
        try:
            with pytest.raises(JournalError, match="busy") as info:
                session.apply(AddNote(text="while locked"))
            assert not isinstance(info.value, SessionLocked)
            assert session.state is before
        finally:
            other.execute("ROLLBACK")
            other.close()
        state = session.apply(AddNote(text="after"))
        assert [n.text for n in state.notes] == ["after"]
        assert state.last_seq == before.last_seq + 1


def test_a_read_only_folder_with_unmerged_events_is_not_read_silently_short(
    tmp_path: Path, demo_path: Path
) -> None:
    with open_journal() as journal, journal.create_session(demo_path) as session:
        session.apply(EnterMove())
        # As after a crash: the latest events are still in the write-ahead log.
        copy = tmp_path / "copy"
        copy.mkdir()
        shutil.copy(sessions_db(), copy / "sessions.sqlite3")
        shutil.copy(f"{sessions_db()}-wal", copy / "sessions.sqlite3-wal")
    assert (copy / "sessions.sqlite3-wal").stat().st_size > 0
    with read_only(copy), pytest.raises(JournalUnwritable, match=r"still in sessions\.sqlite3-wal"):
        open_journal(copy / "sessions.sqlite3", read_only=True)
    with open_journal(copy / "sessions.sqlite3", read_only=True) as journal:
        assert journal.read_session().state.current_move == "offer"


def test_a_taken_session_id_is_refused(demo_path: Path) -> None:
    with open_journal() as journal:
        journal.create_session(demo_path, session_id="class-a").close()
        with pytest.raises(SessionExists, match="'class-a' already exists"):
            journal.create_session(demo_path, session_id="class-a")
        assert [s.id for s in journal.sessions()] == ["class-a"]
        journal.open_session("class-a").close()  # the failed attempt left no lock behind


def test_an_older_journal_is_migrated_in_place(
    demo_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with open_journal() as journal:
        journal.create_session(demo_path, session_id="before-upgrade").close()
    import ttx.store.sqlite_schema as schema

    step = ("ALTER TABLE sessions ADD COLUMN room TEXT",)
    monkeypatch.setattr(schema, "MIGRATIONS", (*schema.MIGRATIONS, step))
    monkeypatch.setattr(schema, "SCHEMA_VERSION", SCHEMA_VERSION + 1)
    with open_journal() as journal:
        assert [s.id for s in journal.sessions()] == ["before-upgrade"]
        session = journal.open_session("before-upgrade")
        session.apply(EnterMove())
        session.close()
    conn = sqlite3.connect(sessions_db())
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION + 1
    columns = [row[1] for row in conn.execute("PRAGMA table_info(sessions)")]
    conn.close()
    assert "room" in columns
