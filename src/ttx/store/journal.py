"""The SQLite session journal: sessions with their exercise snapshot, and their events.

Durability: WAL with `synchronous=FULL` (and `fullfsync` on macOS), one transaction per
action, committed before `append` returns. Every SQLite failure is turned into a
`ttx.store.errors` exception whose message says what happened and what to do.

Listing and resolving sessions needs only `sqlite3`: the exercise and event models
(pydantic) are imported when a snapshot or an event is first read or written, so the
home screen and `tabletop resume`'s id check do not wait for them.
"""

from __future__ import annotations

import contextlib
import re
import sqlite3
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from ttx.store.errors import (
    JournalCorrupt,
    JournalError,
    JournalUnwritable,
    SessionExists,
    SessionNotFound,
)
from ttx.store.schema import migrate

if TYPE_CHECKING:
    from ttx.model.exercise import Exercise
    from ttx.session import events as ev

BUSY_TIMEOUT_MS = 5000


@dataclass(frozen=True, slots=True)
class SessionRow:
    """A session as stored: ids, exercise snapshot, times and status."""

    id: str
    exercise_id: str
    exercise_title: str
    exercise_version: str
    exercise_json: str
    created_at: datetime
    last_at: datetime
    status: str
    last_seq: int

    @property
    def exercise(self) -> Exercise:
        """The exercise as it was when the session started."""
        from ttx.model.exercise import Exercise

        try:
            return Exercise.model_validate_json(self.exercise_json)
        except ValueError as exc:
            raise JournalCorrupt(
                f"the exercise stored with session {self.id} cannot be read ({exc.__class__.__name__})"
            ) from exc


def translate(exc: sqlite3.Error, path: Path, doing: str) -> JournalError:
    """A user-facing journal error for an SQLite failure."""
    text = str(exc).lower()
    where = str(path)
    if "readonly" in text or "read-only" in text or "unable to open" in text:
        return JournalUnwritable(
            f"cannot {doing}: the journal {where} is read-only or its folder cannot be written; "
            "make it writable or set TTX_HOME to a writable folder"
        )
    if "disk is full" in text or "database or disk is full" in text:
        return JournalUnwritable(
            f"cannot {doing}: the disk holding {where} is full; free some space and try again"
        )
    if "disk i/o" in text:
        return JournalUnwritable(
            f"cannot {doing}: the disk holding {where} reported an I/O error; "
            "check the drive and try again"
        )
    if "locked" in text or "busy" in text:
        return JournalError(
            f"cannot {doing}: the journal {where} is busy (another program holds it); try again"
        )
    if "not a database" in text or "malformed" in text or "corrupt" in text:
        return JournalCorrupt(
            f"the journal {where} is damaged or is not a ttx journal ({exc}); move it aside "
            "(a new one will be created) and keep the old file for recovery"
        )
    return JournalError(f"cannot {doing}: {exc} (journal {where})")


class JournalStore:
    """One connection to the journal file, with the operations the session API needs."""

    def __init__(self, path: Path, *, read_only: bool = False) -> None:
        self.path = Path(path)
        self.read_only = read_only
        self._conn: sqlite3.Connection | None = None
        self._conn = self._connect()

    # -- connection ------------------------------------------------------------------

    def _connect(self) -> sqlite3.Connection:
        if self.read_only:
            return self._connect_read_only()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise JournalUnwritable(
                f"cannot create the data folder {self.path.parent}: {exc.strerror or exc}; "
                "set TTX_HOME to a writable folder"
            ) from exc
        try:
            conn = sqlite3.connect(
                self.path,
                isolation_level=None,
                timeout=BUSY_TIMEOUT_MS / 1000,
                check_same_thread=False,
            )
        except sqlite3.Error as exc:
            raise translate(exc, self.path, "open the journal") from exc
        try:
            conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
            mode = conn.execute("PRAGMA journal_mode=WAL").fetchone()[0]
            if str(mode).lower() != "wal":
                raise JournalUnwritable(
                    f"the journal {self.path} cannot use write-ahead logging (mode {mode}); "
                    "network folders are not supported: set TTX_HOME to a local folder"
                )
            conn.execute("PRAGMA synchronous=FULL")
            if sys.platform == "darwin":
                conn.execute("PRAGMA fullfsync=ON")
            conn.execute("PRAGMA foreign_keys=ON")
            migrate(conn, self.path)
        except sqlite3.Error as exc:
            conn.close()
            raise translate(exc, self.path, "open the journal") from exc
        except BaseException:
            conn.close()
            raise
        return conn

    def _connect_read_only(self) -> sqlite3.Connection:
        if not self.path.exists():
            raise SessionNotFound(f"no sessions recorded yet (no journal at {self.path})")
        uri = f"{self.path.resolve().as_uri()}?mode=ro"
        try:
            return self._open_uri(uri)
        except sqlite3.OperationalError as exc:
            text = str(exc).lower()
            if "unable to open" not in text and "readonly" not in text:
                raise translate(exc, self.path, "read the journal") from exc
            first = exc
        except sqlite3.Error as exc:
            raise translate(exc, self.path, "read the journal") from exc
        # A read-only folder cannot hold the WAL index: read the file as immutable, but only
        # when no recent events wait in the write-ahead log (they would be silently missed).
        wal = self.path.with_name(self.path.name + "-wal")
        if wal.exists() and wal.stat().st_size > 0:
            raise JournalUnwritable(
                f"cannot read the journal {self.path}: its latest events are still in {wal.name} "
                "and the folder is read-only; make the folder writable once (or copy it "
                "elsewhere with the -wal file and set TTX_HOME there)"
            ) from first
        try:
            return self._open_uri(uri + "&immutable=1")
        except sqlite3.Error as exc:
            raise translate(exc, self.path, "read the journal") from exc

    def _open_uri(self, uri: str) -> sqlite3.Connection:
        conn = sqlite3.connect(
            uri,
            uri=True,
            isolation_level=None,
            check_same_thread=False,
            timeout=BUSY_TIMEOUT_MS / 1000,
        )
        try:
            conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
            migrate(conn, self.path, read_only=True)
        except BaseException:
            conn.close()
            raise
        return conn

    @property
    def conn(self) -> sqlite3.Connection:
        """The open connection (JournalError once closed)."""
        if self._conn is None:
            raise JournalError("the journal is closed")
        return self._conn

    @property
    def closed(self) -> bool:
        """True once closed."""
        return self._conn is None

    def close(self) -> None:
        """Close the connection (safe to call twice)."""
        if self._conn is not None:
            with contextlib.suppress(sqlite3.Error):
                self._conn.close()
            self._conn = None

    @contextlib.contextmanager
    def _errors(self, doing: str) -> Iterator[None]:
        try:
            yield
        except sqlite3.Error as exc:
            raise translate(exc, self.path, doing) from exc

    # -- sessions --------------------------------------------------------------------

    @staticmethod
    def snapshot_json(exercise: Exercise) -> str:
        """The exercise as stored with a session (JSON, by alias)."""
        return exercise.model_dump_json(by_alias=True)

    def new_session_id(self, exercise_id: str, now: datetime) -> str:
        """A short, typable id: `YYYYMMDD-HHMM-<exercise>` (with `-2`, `-3`... if taken)."""
        slug = (
            re.sub(r"[^a-z0-9]+", "-", exercise_id.lower()).strip("-")[:24].strip("-") or "session"
        )
        base = f"{now:%Y%m%d-%H%M}-{slug}"
        with self._errors("read the journal"):
            taken = {
                row[0]
                for row in self.conn.execute(
                    "SELECT id FROM sessions WHERE id = ? OR id LIKE ?", (base, f"{base}-%")
                )
            }
        candidate, n = base, 1
        while candidate in taken:
            n += 1
            candidate = f"{base}-{n}"
        return candidate

    def create_session(
        self,
        session_id: str,
        exercise: Exercise,
        snapshot: str,
        first: ev.SessionStarted,
        now: datetime,
    ) -> None:
        """Store a new session row and its first event in one transaction."""
        conn = self.conn
        with self._errors(f"create session {session_id}"):
            conn.execute("BEGIN IMMEDIATE")
            try:
                conn.execute(
                    "INSERT INTO sessions (id, exercise_id, exercise_title, exercise_version, "
                    "exercise_json, exercise_sha256, created_at, last_at, status, last_seq) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'setup', 1)",
                    (
                        session_id,
                        exercise.id,
                        exercise.title,
                        exercise.version,
                        snapshot,
                        first.exercise_sha256,
                        now.isoformat(),
                        now.isoformat(),
                    ),
                )
                self._insert(session_id, first)
                conn.execute("COMMIT")
            except sqlite3.IntegrityError as exc:
                _rollback(conn)
                raise SessionExists(f"a session with id {session_id!r} already exists") from exc
            except BaseException:
                _rollback(conn)
                raise

    def _insert(self, session_id: str, event: ev.BaseEvent) -> None:
        from ttx.session.events import event_to_json

        kind = getattr(event, "kind", "")
        self.conn.execute(
            "INSERT INTO events (session_id, seq, action, kind, at, data) VALUES (?, ?, ?, ?, ?, ?)",
            (
                session_id,
                event.seq,
                event.action,
                kind,
                event.at.isoformat(),
                event_to_json(event),
            ),
        )

    def append(
        self,
        session_id: str,
        last_seq: int,
        drafts: list[ev.BaseEvent],
        status_after: Callable[[list[ev.Event]], str],
    ) -> list[ev.Event]:
        """Number the events after `last_seq`, commit them in one transaction, return them.

        Raises JournalError (and writes nothing) when the journal moved on without us or
        the write fails.
        """
        if not drafts:
            return []
        from ttx.session.events import is_event

        first = last_seq + 1
        numbered: list[ev.Event] = []
        for i, draft in enumerate(drafts):
            event = draft.model_copy(update={"seq": first + i, "action": first})
            if not is_event(event):
                raise TypeError(f"not an event: {type(draft).__name__}")
            numbered.append(event)
        status = status_after(numbered)
        conn = self.conn
        with self._errors("save the event"):
            conn.execute("BEGIN IMMEDIATE")
            try:
                row = conn.execute(
                    "SELECT last_seq FROM sessions WHERE id = ?", (session_id,)
                ).fetchone()
                if row is None:
                    raise SessionNotFound(f"session {session_id} is no longer in the journal")
                if row[0] != last_seq:
                    raise JournalError(
                        f"session {session_id} was changed by another program (event {row[0]}, "
                        f"expected {last_seq}); nothing was saved: reopen the session"
                    )
                for event in numbered:
                    self._insert(session_id, event)
                conn.execute(
                    "UPDATE sessions SET last_at = ?, status = ?, last_seq = ? WHERE id = ?",
                    (numbered[-1].at.isoformat(), status, numbered[-1].seq, session_id),
                )
                conn.execute("COMMIT")
            except BaseException:
                _rollback(conn)
                raise
        return numbered

    def session_row(self, session_id: str) -> SessionRow:
        """One session's row (SessionNotFound if none)."""
        with self._errors("read the journal"):
            row = self.conn.execute(_ROW_SQL + " WHERE id = ?", (session_id,)).fetchone()
        if row is None:
            raise SessionNotFound(f"no session {session_id!r}; `tabletop sessions` lists them")
        return _row(row)

    def list_sessions(self) -> list[SessionRow]:
        """Every session, newest first (without the exercise snapshots, which listing never needs)."""
        with self._errors("read the journal"):
            listing = _ROW_SQL.replace("exercise_json", "'' AS exercise_json")
            rows = self.conn.execute(listing + " ORDER BY created_at DESC, id DESC").fetchall()
        return [_row(r) for r in rows]

    def resolve_id(self, prefix: str | None) -> str:
        """The full id for an exact id or a unique prefix (None: the latest session)."""
        with self._errors("read the journal"):
            if prefix is None:
                row = self.conn.execute(
                    "SELECT id FROM sessions ORDER BY created_at DESC, id DESC LIMIT 1"
                ).fetchone()
                if row is None:
                    raise SessionNotFound(
                        "no sessions recorded yet; start one with `tabletop run EXERCISE.yaml`"
                    )
                return str(row[0])
            prefix = prefix.strip()
            exact = self.conn.execute("SELECT id FROM sessions WHERE id = ?", (prefix,)).fetchone()
            if exact:
                return str(exact[0])
            escaped = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            matches = [
                str(r[0])
                for r in self.conn.execute(
                    "SELECT id FROM sessions WHERE id LIKE ? ESCAPE '\\' ORDER BY id LIMIT 6",
                    (escaped + "%",),
                )
            ]
        if len(matches) == 1 and prefix:
            return matches[0]
        if not matches:
            raise SessionNotFound(f"no session {prefix!r}; `tabletop sessions` lists them")
        shown = ", ".join(matches[:5]) + (", ..." if len(matches) > 5 else "")
        raise SessionNotFound(f"{prefix!r} matches several sessions ({shown}); type more of the id")

    def load_events(self, session_id: str, after_seq: int = 0) -> list[ev.Event]:
        """A session's events after `after_seq`, in order (JournalCorrupt if one cannot be read)."""
        with self._errors("read the journal"):
            rows = self.conn.execute(
                "SELECT seq, data FROM events WHERE session_id = ? AND seq > ? ORDER BY seq",
                (session_id, after_seq),
            ).fetchall()
        from ttx.session.events import event_adapter

        events: list[ev.Event] = []
        append = events.append
        parse = event_adapter().validator.validate_json  # event_from_json, minus two calls
        expected = after_seq + 1
        for seq, data in rows:
            if seq != expected:
                raise JournalCorrupt(
                    f"session {session_id} is missing event {expected} in {self.path}; "
                    "keep the file and report this"
                )
            try:
                append(parse(data))
            except ValueError as exc:
                raise JournalCorrupt(
                    f"event {seq} of session {session_id} cannot be read ({exc.__class__.__name__})"
                ) from exc
            expected += 1
        return events

    def integrity_check(self) -> str:
        """SQLite's `PRAGMA integrity_check` result ("ok" when healthy)."""
        with self._errors("check the journal"):
            return str(self.conn.execute("PRAGMA integrity_check").fetchone()[0])


_ROW_SQL = (
    "SELECT id, exercise_id, exercise_title, exercise_version, exercise_json, created_at, "
    "last_at, status, last_seq FROM sessions"
)


def _row(row: tuple[object, ...]) -> SessionRow:
    return SessionRow(
        id=str(row[0]),
        exercise_id=str(row[1]),
        exercise_title=str(row[2]),
        exercise_version=str(row[3]),
        exercise_json=str(row[4]),
        created_at=datetime.fromisoformat(str(row[5])),
        last_at=datetime.fromisoformat(str(row[6])),
        status=str(row[7]),
        last_seq=int(str(row[8])),
    )


def _rollback(conn: sqlite3.Connection) -> None:
    with contextlib.suppress(sqlite3.Error):
        if conn.in_transaction:
            conn.execute("ROLLBACK")
