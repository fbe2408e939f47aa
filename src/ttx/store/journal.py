"""The SQLite session journal: sessions with their exercise snapshot, and their events.

Durability: WAL with `synchronous=FULL` (and `fullfsync` on macOS), one transaction per
action, committed before `append` returns. Integrity: every event carries a checksum
chained to the one before (`ttx.store.chain`), and every read checks the count, the
order and the chain (`ttx.store.integrity`), refusing a damaged session whole. Every SQLite failure is turned into a
`ttx.store.errors` exception whose message says what happened and what to do.

Listing and resolving sessions needs only `sqlite3`: the exercise and event models
(pydantic) are imported when a snapshot or an event is first read or written, so the
home screen and `tabletop resume`'s id check do not wait for them.
"""

from __future__ import annotations

import contextlib
import hashlib
import re
import sqlite3
import sys
from collections.abc import Callable, Iterator, Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from ttx.store.backup import RESTORE_HINT
from ttx.store.chain import RAW_EVENT_COLUMNS, link
from ttx.store.errors import (
    JournalCorrupt,
    JournalError,
    JournalUnwritable,
    SessionExists,
    SessionNotFound,
)
from ttx.store.integrity import Damage, IntactEvent, check_rows, damaged_error, parse_events
from ttx.store.rows import (
    ROW_COLUMNS,
    SessionRow,
    parse_ascii,
    parse_count,
    parse_row,
    unreadable_rest,
    with_count,
)
from ttx.store.sqlite_schema import CHAINED_SCHEMA, SCHEMA_VERSION, migrate

if TYPE_CHECKING:
    from ttx.model.exercise import Exercise
    from ttx.session import events as ev

__all__ = ["JournalStore", "SessionRow", "translate"]

BUSY_TIMEOUT_MS = 5000
MAX_ID_CHARS = 200


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
            f"the journal {where} is damaged or is not a ttx journal ({exc}); "
            "`tabletop check` shows which sessions can still be read and salvaged, and "
            f"{RESTORE_HINT}"
        )
    return JournalError(f"cannot {doing}: {exc} (journal {where})")


class JournalStore:
    """One connection to the journal file, with the operations the session API needs."""

    def __init__(self, path: Path, *, read_only: bool = False) -> None:
        self.path = Path(path)
        self.read_only = read_only
        self.schema = SCHEMA_VERSION
        self._heads: dict[str, tuple[int, str]] = {}
        self._conn: sqlite3.Connection | None = None
        self._conn = self._connect()

    @property
    def chained(self) -> bool:
        """True when events carry checksums (False: a legacy journal read read-only)."""
        return self.schema >= CHAINED_SCHEMA

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
            self.schema = migrate(conn, self.path, read_only=True)
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

    @contextlib.contextmanager
    def _snapshot(self) -> Iterator[sqlite3.Connection]:
        """One read transaction, so a session's record and its events come from one moment."""
        conn = self.conn
        conn.execute("BEGIN")
        try:
            yield conn
        finally:
            _rollback(conn)

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
        *,
        rest: Sequence[ev.Event] = (),
        status: str = "setup",
    ) -> None:
        """Store a new session row and its first event (and `rest`, when salvaging) in one transaction."""
        conn = self.conn
        last = rest[-1] if rest else first
        with self._errors(f"create session {session_id}"):
            conn.execute("BEGIN IMMEDIATE")
            try:
                conn.execute(
                    "INSERT INTO sessions (id, exercise_id, exercise_title, exercise_version, "
                    "exercise_json, exercise_sha256, created_at, last_at, status, last_seq, head) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL)",
                    (
                        session_id,
                        exercise.id,
                        exercise.title,
                        exercise.version,
                        snapshot,
                        first.exercise_sha256,
                        now.isoformat(),
                        max(now, last.at).isoformat() if rest else now.isoformat(),
                        status,
                        last.seq,
                    ),
                )
                head = self._insert(session_id, first, "")
                for event in rest:
                    head = self._insert(session_id, event, head)
                conn.execute("UPDATE sessions SET head = ? WHERE id = ?", (head, session_id))
                conn.execute("COMMIT")
            except sqlite3.IntegrityError as exc:
                _rollback(conn)
                raise SessionExists(f"a session with id {session_id!r} already exists") from exc
            except BaseException:
                _rollback(conn)
                raise

    def _insert(self, session_id: str, event: ev.BaseEvent, previous: str) -> str:
        """Insert one event chained after `previous`; return its checksum."""
        from ttx.session.events import event_to_json

        kind = getattr(event, "kind", "")
        values = (session_id, event.seq, event.action, kind, event.at.isoformat())
        data = event_to_json(event)
        checksum = link(previous, (*values, data))
        self.conn.execute(
            "INSERT INTO events (session_id, seq, action, kind, at, data, checksum) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            (*values, data, checksum),
        )
        return checksum

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
                    "SELECT last_seq, head FROM sessions WHERE id = ?", (session_id,)
                ).fetchone()
                if row is None:
                    raise SessionNotFound(f"session {session_id} is no longer in the journal")
                if row[0] != last_seq:
                    raise JournalError(
                        f"session {session_id} was changed by another program (event {row[0]}, "
                        f"expected {last_seq}); nothing was saved: reopen the session"
                    )
                head = str(row[1] or "")
                for event in numbered:
                    head = self._insert(session_id, event, head)
                conn.execute(
                    "UPDATE sessions SET last_at = ?, status = ?, last_seq = ?, head = ? "
                    "WHERE id = ?",
                    (numbered[-1].at.isoformat(), status, numbered[-1].seq, head, session_id),
                )
                conn.execute("COMMIT")
            except BaseException:
                _rollback(conn)
                raise
        self._heads[session_id] = (numbered[-1].seq, head)
        return numbered

    def session_row(self, session_id: str) -> SessionRow:
        """One session's row (SessionNotFound if none, SessionDamaged if it cannot be read)."""
        with self._errors("read the journal"):
            row = self.conn.execute(self._row_sql() + " WHERE id = ?", (session_id,)).fetchone()
        if row is None:
            raise SessionNotFound(f"no session {session_id!r}; `tabletop sessions` lists them")
        parsed = parse_row(row)
        if parsed.damage:
            raise damaged_error(session_id, self.path, Damage(None, parsed.damage))
        return parsed

    def list_sessions(self) -> list[SessionRow]:
        """Every session, newest first; a row that cannot be read is listed with its damage.

        Listing never needs the exercise snapshots. Each row is read as raw bytes, so one
        damaged row (bad text, a bad date or count) is named, and never hides the others.
        """
        listing = self._row_sql().replace(
            "CAST(exercise_json AS BLOB)", "CAST('' AS BLOB) AS exercise_json"
        )
        rows: list[SessionRow] = []
        with self._errors("read the journal"):
            cursor = self.conn.execute(listing)
            try:
                for raw in cursor:
                    rows.append(parse_row(raw))
            except sqlite3.DatabaseError as exc:
                if not rows:
                    raise
                rows.append(unreadable_rest(exc))
        counts = self._event_counts()
        checked = [with_count(r, counts.get(r.id)) if counts is not None else r for r in rows]
        listed = {r.id for r in rows}
        for orphan in sorted(set(counts or ()) - listed):
            checked.append(unreadable_rest(None, orphan))
        checked.sort(key=lambda r: (r.created_at, r.id), reverse=True)
        return checked

    def _event_counts(self) -> dict[str, tuple[int, int]] | None:
        """(count, highest seq) of each session's events; None when they cannot be counted."""
        try:
            found = self.conn.execute(
                "SELECT CAST(session_id AS BLOB), COUNT(*), MAX(seq) FROM events GROUP BY session_id"
            ).fetchall()
        except sqlite3.DatabaseError:
            return None
        # A damaged seq may not even be a number: it then counts as wrong (-1), never raises.
        return {
            bytes(r[0]).decode("utf-8", "replace"): (
                int(r[1]),
                r[2] if isinstance(r[2], int) else -1,
            )
            for r in found
        }

    def _row_sql(self) -> str:
        columns = ROW_COLUMNS + ((", CAST(head AS BLOB)",) if self.chained else (", NULL",))
        return "SELECT " + "".join(columns)[2:] + " FROM sessions"

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
            if len(prefix) > MAX_ID_CHARS:
                raise SessionNotFound(
                    f"no session {prefix[:40]!r}... (an id has at most {MAX_ID_CHARS} characters); "
                    "`tabletop sessions` lists them"
                )
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
        """A session's events after `after_seq`, in order, after checking them all.

        Raises SessionDamaged, naming the first bad event, when the events do not add up
        to the session's count, are out of order, break the checksum chain or cannot be
        parsed: a damaged session is refused whole, never returned in part.
        """
        intact, damage = self.check_session(session_id, after_seq)
        events, damage = parse_events(intact, damage)
        if damage is not None:
            raise damaged_error(session_id, self.path, damage)
        if intact:
            self._heads[session_id] = (intact[-1].seq, intact[-1].checksum)
        return events

    def check_session(
        self, session_id: str, after_seq: int = 0
    ) -> tuple[list[IntactEvent], Damage | None]:
        """The intact events after `after_seq` and the first damage (None: all checks pass)."""
        extra = ", CAST(checksum AS BLOB)" if self.chained else ", NULL"
        with self._errors("read the journal"), self._snapshot() as conn:
            mark = conn.execute(
                "SELECT CAST(last_seq AS BLOB), CAST(head AS BLOB) FROM sessions WHERE id = ?"
                if self.chained
                else "SELECT CAST(last_seq AS BLOB), NULL FROM sessions WHERE id = ?",
                (session_id,),
            ).fetchone()
            if mark is None:
                raise SessionNotFound(f"no session {session_id!r}; `tabletop sessions` lists them")
            previous = self._previous_checksum(conn, session_id, after_seq)
            rows = conn.execute(
                f"SELECT {RAW_EVENT_COLUMNS}{extra} FROM events "
                "WHERE session_id = ? AND seq > ? ORDER BY seq",
                (session_id, after_seq),
            ).fetchall()
        last_seq = parse_count(mark[0])
        if last_seq is None:
            return [], Damage(None, "its event count is not a number")
        return check_rows(
            rows,
            after_seq=after_seq,
            last_seq=last_seq,
            head=parse_ascii(mark[1]),
            previous=previous,
            chained=self.chained,
        )

    def content_digest(self, session_id: str) -> str:
        """A SHA-256 of the session's stored exercise and every event's raw bytes, in order:
        it changes whenever anything a report prints could (SessionNotFound if no session)."""
        digest = hashlib.sha256()
        with self._errors("read the journal"), self._snapshot() as conn:
            row = conn.execute(
                "SELECT CAST(exercise_json AS BLOB), CAST(status AS BLOB), "
                "CAST(last_seq AS BLOB) FROM sessions WHERE id = ?",
                (session_id,),
            ).fetchone()
            if row is None:
                raise SessionNotFound(f"no session {session_id!r}; `tabletop sessions` lists them")
            rows = conn.execute(
                f"SELECT {RAW_EVENT_COLUMNS} FROM events WHERE session_id = ? ORDER BY seq",
                (session_id,),
            )
            for values in (row, *rows):
                for value in values:
                    data = bytes(value) if value is not None else b""
                    digest.update(len(data).to_bytes(8, "big") + data)
        return digest.hexdigest()

    def _previous_checksum(self, conn: sqlite3.Connection, session_id: str, seq: int) -> str:
        if seq <= 0 or not self.chained:
            return ""
        known = self._heads.get(session_id)
        if known is not None and known[0] == seq:
            return known[1]
        row = conn.execute(
            "SELECT CAST(checksum AS BLOB) FROM events WHERE session_id = ? AND seq = ?",
            (session_id, seq),
        ).fetchone()
        return parse_ascii(row[0]) or "" if row else ""

    def integrity_check(self) -> str:
        """SQLite's `PRAGMA integrity_check` result ("ok" when healthy)."""
        with self._errors("check the journal"):
            return str(self.conn.execute("PRAGMA integrity_check").fetchone()[0])


def _rollback(conn: sqlite3.Connection) -> None:
    with contextlib.suppress(sqlite3.Error):
        if conn.in_transaction:
            conn.execute("ROLLBACK")
