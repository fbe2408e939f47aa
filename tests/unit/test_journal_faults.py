"""Fault injection: damaged journals, a full disk, a read-only disk.

Each damaged journal is generated here from a pristine one (truncations, 4 KiB
overwrites at seeded random offsets, bad rows, a newer schema), and each session in
it must either read whole — every event equal to the original — or be refused with a
message; never read in part. The CLI must give an exit code and no traceback.
"""

from __future__ import annotations

import errno
import random
import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from ttx.api import open_journal
from ttx.cli import main
from ttx.paths import sessions_db
from ttx.session.actions import AddNote, EnterMove
from ttx.session.clock import FakeClock
from ttx.session.events import event_to_json
from ttx.store import lock as lock_module
from ttx.store.errors import JournalCorrupt, JournalError, JournalUnwritable, SessionNotFound
from ttx.store.journal import JournalStore
from ttx.store.sqlite_schema import SCHEMA_VERSION

SESSIONS = 3
NOTES = 150
SEED = 1717


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, list[str]]]:
    """A journal of a few sessions of a few hundred events, and each session's events as JSON."""
    folder = tmp_path_factory.mktemp("pristine")
    db = folder / "sessions.sqlite3"
    demo = Path(__file__).resolve().parents[2] / "exercises" / "demo.yaml"
    clock = FakeClock()
    originals: dict[str, list[str]] = {}
    with open_journal(db) as journal:
        for s in range(SESSIONS):
            with journal.create_session(demo, clock=clock) as session:
                session.apply(EnterMove())
                for n in range(NOTES):
                    clock.advance(7)
                    session.apply(AddNote(text=f"session {s} note {n} " + "lorem ipsum " * 20))
                originals[session.id] = [event_to_json(e) for e in session.events]
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    for suffix in ("-wal", "-shm"):
        db.with_name(db.name + suffix).unlink(missing_ok=True)
    return db, originals


def install(pristine: tuple[Path, dict[str, list[str]]]) -> Path:
    """A copy of the pristine journal (and its backups) as this test's journal."""
    db = sessions_db()
    db.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(pristine[0], db)
    if (pristine[0].parent / "backups").is_dir():
        shutil.copytree(pristine[0].parent / "backups", db.parent / "backups")
    return db


def outcome(session_id: str, original: list[str]) -> str:
    """ "whole" when the session reads back exactly, "refused" when it is refused with a message."""
    try:
        with open_journal(read_only=True) as journal:
            session = journal.read_session(session_id)
            events = [event_to_json(e) for e in session.events]
            session.close()
    except SessionNotFound:
        return "lost"
    except JournalError as exc:
        assert str(exc) and "\n" not in str(exc)
        if not isinstance(exc, JournalCorrupt):
            return "refused"
        assert session_id in str(exc) or "journal" in str(exc)
        return "refused"
    assert events == original, f"session {session_id} read in part: never allowed"
    return "whole"


def check_every_session(
    originals: dict[str, list[str]], capsys: pytest.CaptureFixture[str]
) -> list[str]:
    results = []
    for session_id, original in originals.items():
        result = outcome(session_id, original)
        code = main(["export", session_id])
        err = capsys.readouterr().err
        assert "Traceback" not in err and "unexpected error" not in err
        assert code == (0 if result == "whole" else 2), (result, err)
        results.append(result)
    if "lost" in results:
        # A session whose record is gone must still show up as damage somewhere.
        assert main(["check"]) == 2
    code = main(["sessions"])
    assert code in (0, 2) and "Traceback" not in capsys.readouterr().err
    return results


@pytest.mark.parametrize("fraction", [0.0, 0.05, 0.3, 0.5, 0.75, 0.95, 0.999])
def test_a_truncated_journal_is_never_read_in_part(
    pristine: tuple[Path, dict[str, list[str]]], fraction: float, capsys: pytest.CaptureFixture[str]
) -> None:
    db = install(pristine)
    size = db.stat().st_size
    with db.open("r+b") as handle:
        handle.truncate(int(size * fraction))
    results = check_every_session(pristine[1], capsys)
    if fraction < 0.999:
        assert "whole" not in results or fraction > 0.5 or results.count("whole") < SESSIONS


@pytest.mark.parametrize(
    "trial", range(int(__import__("os").environ.get("TTX_FAULT_TRIALS", "12")))
)
def test_a_4kib_overwrite_anywhere_is_never_read_in_part(
    pristine: tuple[Path, dict[str, list[str]]], trial: int, capsys: pytest.CaptureFixture[str]
) -> None:
    db = install(pristine)
    rng = random.Random(SEED + trial)
    size = db.stat().st_size
    offset = rng.randrange(4096, size - 4096)
    with db.open("r+b") as handle:
        handle.seek(offset)
        handle.write(rng.randbytes(4096))
    check_every_session(pristine[1], capsys)


@pytest.mark.parametrize("trial", range(6))
def test_a_page_aligned_overwrite_is_never_read_in_part(
    pristine: tuple[Path, dict[str, list[str]]], trial: int, capsys: pytest.CaptureFixture[str]
) -> None:
    # Page-aligned zeros look like a lost sector, and often still parse as SQLite.
    db = install(pristine)
    rng = random.Random(SEED * 3 + trial)
    pages = db.stat().st_size // 4096
    page = rng.randrange(1, pages)
    with db.open("r+b") as handle:
        handle.seek(page * 4096)
        handle.write(bytes(4096) if trial % 2 else rng.randbytes(4096))
    check_every_session(pristine[1], capsys)


@pytest.mark.parametrize(
    "statement",
    [
        "DELETE FROM events WHERE seq = 77",
        "UPDATE events SET seq = seq + 1000 WHERE seq = 9",
        "UPDATE events SET seq = 'nine' WHERE seq = 9",
        "UPDATE events SET data = CAST(X'00ff00' AS TEXT) WHERE seq = 40",
        "UPDATE events SET session_id = 'elsewhere' "
        "WHERE seq = 12 AND session_id = (SELECT MIN(session_id) FROM events)",
        "UPDATE sessions SET last_seq = -1",
        "UPDATE sessions SET created_at = NULL",
        "UPDATE sessions SET exercise_json = '{}'",
        "DELETE FROM sessions WHERE rowid = 2",
    ],
)
def test_bad_rows_are_refused_by_name(
    pristine: tuple[Path, dict[str, list[str]]],
    statement: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    db = install(pristine)
    conn = sqlite3.connect(db)
    with conn:
        if "created_at = NULL" in statement:  # NOT NULL: rebuild the column's value instead
            conn.execute("UPDATE sessions SET created_at = CAST(X'ff' AS TEXT)")
        else:
            conn.execute(statement)
    conn.close()
    results = check_every_session(pristine[1], capsys)
    assert "whole" not in results or results.count("whole") < SESSIONS


def test_a_journal_with_a_newer_schema_is_refused_naming_the_versions(
    pristine: tuple[Path, dict[str, list[str]]], capsys: pytest.CaptureFixture[str]
) -> None:
    db = install(pristine)
    conn = sqlite3.connect(db)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    for argv in (["sessions"], ["export", next(iter(pristine[1]))], ["check"]):
        assert main(argv) != 0
        err = capsys.readouterr().err
        assert "Traceback" not in err
        assert f"schema {SCHEMA_VERSION + 1}" in err and "upgrade" in err


# --- a full disk and a read-only disk ---------------------------------------------------


class _FullDiskFile:
    """A file on a full disk: unbuffered writes fail at once; buffered ones fail at flush and close."""

    def __init__(self, real: Any, buffered: bool, code: int) -> None:
        self._real = real
        self._buffered = buffered
        self._code = code
        self._pending = False

    def write(self, data: bytes) -> int:
        if not self._buffered:
            raise OSError(self._code, "No space left on device")
        self._pending = True
        return len(data)

    def flush(self) -> None:
        if self._pending:
            raise OSError(self._code, "No space left on device")

    def close(self) -> None:
        self._real.close()
        if self._pending:
            raise OSError(self._code, "No space left on device")

    def __getattr__(self, name: str) -> Any:
        return getattr(self._real, name)


@pytest.fixture
def full_disk(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Lock files cannot be written, and SQLite reports the disk full on any growth."""
    real_open = open

    def fake_open(path: Any, mode: str = "r", buffering: int = -1, **kw: Any) -> Any:
        return _FullDiskFile(real_open(path, mode, buffering, **kw), buffering != 0, errno.ENOSPC)

    monkeypatch.setattr(lock_module, "open", fake_open, raising=False)
    real_connect = JournalStore._connect

    def small_connect(self: JournalStore) -> sqlite3.Connection:
        conn = real_connect(self)
        if not self.read_only:
            pages = conn.execute("PRAGMA page_count").fetchone()[0]
            conn.execute(f"PRAGMA max_page_count = {pages}")
        return conn

    monkeypatch.setattr(JournalStore, "_connect", small_connect)
    yield


def test_creating_a_session_on_a_full_disk_says_the_disk_is_full(
    demo_path: Path, pristine: tuple[Path, dict[str, list[str]]], full_disk: None
) -> None:
    install(pristine)
    before = {sid: outcome(sid, events) for sid, events in pristine[1].items()}
    with open_journal() as journal, pytest.raises(JournalUnwritable, match="full"):
        journal.create_session(demo_path)
    # Nothing already recorded was lost.
    assert before == {sid: outcome(sid, events) for sid, events in pristine[1].items()}
    assert set(before.values()) == {"whole"}


def test_recording_on_a_full_disk_keeps_every_acknowledged_event(demo_path: Path) -> None:
    with open_journal() as journal, journal.create_session(demo_path) as session:
        session.apply(EnterMove())
        acknowledged = [event_to_json(e) for e in session.events]
        session._store.conn.execute(
            f"PRAGMA max_page_count = {session._store.conn.execute('PRAGMA page_count').fetchone()[0]}"
        )
        with pytest.raises(JournalUnwritable, match="full"):
            for n in range(2000):
                session.apply(AddNote(text=f"note {n} " + "x" * 2000))
                acknowledged = [event_to_json(e) for e in session.events]
        sid = session.id
    with open_journal(read_only=True) as journal, journal.read_session(sid) as again:
        assert [event_to_json(e) for e in again.events] == acknowledged


def test_a_read_only_disk_gives_one_clear_message(
    demo_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # Permissions do not stop root, so EROFS is simulated where the lock file is opened.
    with open_journal() as journal, journal.create_session(demo_path) as session:
        sid = session.id

    def read_only_open(*args: Any, **kw: Any) -> Any:
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(lock_module, "open", read_only_open, raising=False)
    with open_journal() as journal:
        with pytest.raises(JournalUnwritable, match="writable"):
            journal.open_session(sid)
        with pytest.raises(JournalUnwritable, match="writable"):
            journal.create_session(demo_path)
    # Reading needs no lock.
    assert main(["export", sid]) == 0
