"""The journal of every session: open it, then create, open, read and list sessions.

from ttx.service.journal import open_journal

with open_journal() as journal:
    session = journal.create_session("exercises/demo.yaml")
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from types import TracebackType

from ttx.model.exercise import Exercise
from ttx.paths import sessions_db
from ttx.safe_text import has_controls, shown
from ttx.service.session import Session
from ttx.session.actions import StartSession
from ttx.session.bulk import bulk_work
from ttx.session.clock import Clock, SystemClock
from ttx.session.engine import plan_start
from ttx.session.events import TeamSetup
from ttx.session.state import SessionState
from ttx.store.errors import JournalError, SessionExists
from ttx.store.journal import MAX_ID_CHARS, JournalStore, SessionRow
from ttx.store.lock import SessionLock

__all__ = ["Journal", "SessionInfo", "open_journal"]


@dataclass(frozen=True, slots=True)
class SessionInfo:
    """One line of `tabletop sessions`: id, exercise, when it started, last activity, status."""

    id: str
    exercise_id: str
    exercise_title: str
    started_at: datetime
    last_at: datetime
    status: str
    events: int
    damage: str | None = None
    """Why the session's record cannot be trusted (None: it reads cleanly)."""


def open_journal(path: Path | None = None, *, read_only: bool = False) -> Journal:
    """Open the session journal (default: `ttx.paths.sessions_db()`, which TTX_HOME moves).

    The file and its folder are created when missing. Raises `JournalUnwritable` when
    they cannot be, `JournalCorrupt` when the file is not a usable ttx journal.
    `read_only=True` (listing, reports, exports) creates nothing and works in a
    read-only folder; it raises `SessionNotFound` when no journal exists yet.
    """
    return Journal(path or sessions_db(), read_only=read_only)


class Journal:
    """The journal of every session: create, open, list. Use as a context manager or `close()`."""

    def __init__(self, path: Path, *, read_only: bool = False) -> None:
        self.path = Path(path)
        self.read_only = read_only
        self._store = JournalStore(self.path, read_only=read_only)

    def __enter__(self) -> Journal:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Close the journal's own connection (open sessions keep theirs)."""
        self._store.close()

    def sessions(self) -> list[SessionInfo]:
        """Every recorded session, newest first."""
        return [_info(row) for row in self._store.list_sessions()]

    def resolve_id(self, session_id: str | None) -> str:
        """The full id for an id or a unique prefix (None: the latest session).

        Raises `SessionNotFound` naming the close matches when there is no single match.
        """
        return self._store.resolve_id(session_id)

    def content_digest(self, session_id: str) -> str:
        """A SHA-256 of everything recorded of a session (its exercise and events), for caches."""
        return self._store.content_digest(session_id)

    def create_session(
        self,
        exercise: Path | str | Exercise,
        teams: Sequence[TeamSetup] | None = None,
        *,
        clock: Clock | None = None,
        facilitator: str | None = None,
        location: str | None = None,
        session_id: str | None = None,
    ) -> Session:
        """Start a new session of an exercise (a file path or a loaded `Exercise`) and lock it.

        `teams` names the teams that play (exercise team ids, display names, members);
        None: every team of the exercise. The exercise is stored with the session as it
        is now, so later edits to the YAML never change this session or its report.
        Raises `ttx.model.ExerciseError` for an invalid file, `CommandError` for bad teams.
        """
        if session_id is not None and (
            not session_id.strip() or has_controls(session_id) or len(session_id) > MAX_ID_CHARS
        ):
            raise JournalError(
                f"the session id {shown(session_id[:60])!r} cannot be used: an id is 1 to "
                f"{MAX_ID_CHARS} characters with no control characters"
            )
        if not isinstance(exercise, Exercise):
            from ttx.model.validate import load_exercise

            exercise = load_exercise(Path(exercise))
        clock = clock or SystemClock()
        snapshot = self._store.snapshot_json(exercise)
        frozen = Exercise.model_validate_json(snapshot)
        now = clock.now()
        start = StartSession(teams=list(teams or []), facilitator=facilitator, location=location)
        for attempt in range(20):
            new_id = session_id or self._store.new_session_id(frozen.id, now)
            first = plan_start(new_id, frozen, snapshot, start, now)
            lock = SessionLock.acquire(self.path, new_id)
            try:
                store = JournalStore(self.path)
                try:
                    store.create_session(new_id, frozen, snapshot, first, now)
                except BaseException:
                    store.close()
                    raise
            except SessionExists:
                lock.release()
                if session_id is not None or attempt == 19:
                    raise
                continue  # another ttx took this id a moment ago: pick the next one
            except BaseException:
                lock.release()
                raise
            return Session(store, new_id, frozen, [first], clock=clock, lock=lock)
        raise AssertionError("unreachable")

    def open_session(self, session_id: str | None = None, *, clock: Clock | None = None) -> Session:
        """Open a session to record in it (None: the latest), taking its lock.

        Raises `SessionNotFound`, or `SessionLocked` when another ttx has it open.
        """
        full_id = self.resolve_id(session_id)
        lock = SessionLock.acquire(self.path, full_id)
        try:
            store = JournalStore(self.path)
            try:
                row = store.session_row(full_id)
                with bulk_work():
                    events = store.load_events(full_id)
                    session = Session(store, full_id, row.exercise, events, clock=clock, lock=lock)
                session._mark_reopened()
            except BaseException:
                store.close()
                raise
        except BaseException:
            lock.release()
            raise
        return session

    def read_session(self, session_id: str | None = None) -> Session:
        """Open a session read-only (projector, report, export): no lock; `apply` is refused.

        `Session.refresh()` picks up events another ttx has recorded since.
        """
        full_id = self.resolve_id(session_id)
        store = JournalStore(self.path, read_only=True)
        try:
            row = store.session_row(full_id)
            with bulk_work():
                events = store.load_events(full_id)
                return Session(store, full_id, row.exercise, events, clock=None, lock=None)
        except BaseException:
            store.close()
            raise


def read_state(session_id: str) -> SessionState:
    """A recorded session's state, read from the default journal without holding it."""
    with open_journal(read_only=True) as journal:
        session = journal.read_session(session_id)
        try:
            return session.state
        finally:
            session.close()


def _info(row: SessionRow) -> SessionInfo:
    return SessionInfo(
        id=row.id,
        exercise_id=row.exercise_id,
        exercise_title=row.exercise_title,
        started_at=row.created_at,
        last_at=row.last_at,
        status=row.status,
        events=row.last_seq,
        damage=row.damage,
    )
