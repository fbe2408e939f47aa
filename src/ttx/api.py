"""The public Python API of tabletop sessions: open the journal, create or open a session, apply commands.

The console (TUI), the CLI and scripts all drive sessions through this module, so a
session can be run and tested without a terminal. See docs/api.md.

    from ttx.api import open_journal
    from ttx.session.commands import EnterMove, RecordDecision

    with open_journal() as journal:
        session = journal.create_session("exercises/demo.yaml")
        session.apply(EnterMove())
        session.apply(RecordDecision(decision_id="opening", team_id="us",
                                     option_id="partner", rationale="Trust first."))
        print(session.state.decisions["opening"].outcome.option_id)
        session.close()
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from types import TracebackType

from ttx.model.exercise import Exercise
from ttx.paths import sessions_db
from ttx.safe_text import has_controls, shown
from ttx.session.branching import BranchPreview, PendingInject, pending_injects, preview_branch
from ttx.session.bulk import bulk_work
from ttx.session.clock import Clock, SystemClock
from ttx.session.commands import Command, CommandError, PauseClock, StartSession, Undo
from ttx.session.engine import plan, plan_start, plan_undo
from ttx.session.events import BaseEvent, Event, TeamSetup
from ttx.session.replay import Replayer
from ttx.session.state import SessionState
from ttx.store.backup import BACKUP_KINDS, backup_journal
from ttx.store.errors import (
    JournalError,
    JournalUnwritable,
    ReadOnlySession,
    SessionExists,
    SessionLocked,
    SessionNotFound,
)
from ttx.store.journal import MAX_ID_CHARS, JournalStore, SessionRow
from ttx.store.lock import SessionLock

__all__ = [
    "BranchPreview",
    "CommandError",
    "Journal",
    "JournalError",
    "JournalUnwritable",
    "PendingInject",
    "ReadOnlySession",
    "Session",
    "SessionInfo",
    "SessionLocked",
    "SessionNotFound",
    "SessionState",
    "TeamSetup",
    "open_journal",
]


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

    def create_session(
        self,
        exercise: Path | str | Exercise,
        teams: Sequence[TeamSetup] | None = None,
        *,
        clock: Clock | None = None,
        facilitator: str | None = None,
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
        start = StartSession(teams=list(teams or []), facilitator=facilitator)
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


class Session:
    """One live (or read-only) session: its events, its derived state, and `apply`."""

    def __init__(
        self,
        store: JournalStore,
        session_id: str,
        exercise: Exercise,
        events: list[Event],
        *,
        clock: Clock | None,
        lock: SessionLock | None,
    ) -> None:
        self._store = store
        self.id = session_id
        self.exercise = exercise
        self.clock: Clock = clock or SystemClock()
        self._lock = lock
        self._mutex = threading.Lock()
        self.backup_error: str | None = None
        """Why the last backup failed (None: it succeeded, or none was due)."""
        self._replayer = Replayer(session_id, exercise)
        self._replayer.feed(events)
        self._state = self._replayer.state()

    # -- reading ---------------------------------------------------------------------

    @property
    def state(self) -> SessionState:
        """The current derived state (a read-only snapshot)."""
        return self._state

    @property
    def events(self) -> list[Event]:
        """Every event of the session, in order (undone ones included)."""
        return list(self._replayer.events)

    @property
    def read_only(self) -> bool:
        """True when opened with `Journal.read_session` (no lock; cannot record)."""
        return self._lock is None

    @property
    def can_undo(self) -> bool:
        """True when Undo would take back an action."""
        return self._state.can_undo

    @property
    def closed(self) -> bool:
        """True once `close()` has been called."""
        return self._store.closed

    def now(self) -> datetime:
        """The session clock's current time."""
        return self.clock.now()

    def elapsed(self) -> tuple[float, float]:
        """(session seconds, current move seconds) of exercise time now, pauses excluded."""
        now = self.clock.now()
        return self._state.session_elapsed(now), self._state.move_elapsed(now)

    def pending_injects(self) -> list[PendingInject]:
        """Injects of the current move not yet released whose condition holds, with their timing."""
        return pending_injects(self._state, self.clock.now())

    def branch_preview(self, move_id: str | None = None) -> BranchPreview | None:
        """What the branch rules say for a move (default: the current one; None if no move)."""
        target = move_id or self._state.current_move
        return preview_branch(self._state, target) if target else None

    # -- recording -------------------------------------------------------------------

    def apply(self, command: Command) -> SessionState:
        """Apply a command: validate, commit its events durably, then update the state.

        Raises `CommandError` (nothing written) when the command cannot apply,
        `ReadOnlySession` for a read-only session, and a `JournalError` when the events
        could not be written; in every failure the state is unchanged.
        """
        if self._lock is None:
            raise ReadOnlySession(
                f"session {self.id} is open read-only; open it with `tabletop resume {self.id}` to record"
            )
        with self._mutex:
            if self._store.closed:
                raise JournalError(f"session {self.id} is closed; open it again to record")
            now = self.clock.now()
            if isinstance(command, Undo):
                drafts: list[BaseEvent] = plan_undo(self._state, now)
            else:
                drafts = plan(self._state, command, now)
            committed = self._store.append(
                self.id, self._state.last_seq, drafts, self._status_after
            )
            self._replayer.feed(committed)
            self._state = self._replayer.state()
            if any(getattr(e, "kind", "") in BACKUP_KINDS for e in committed):
                self._back_up()
            return self._state

    def _back_up(self) -> None:
        """Back up the journal (a move began, the hot wash started, the session ended).

        The events are already committed: a failed backup never fails the command; it is
        kept in `backup_error` for the console to mention.
        """
        try:
            backup_journal(self._store.path)
        except JournalError as exc:
            self.backup_error = str(exc)
        else:
            self.backup_error = None

    def _status_after(self, events: list[Event]) -> str:
        """The status the sessions list shows once `events` are applied (computed before commit)."""
        return self._replayer.status_after(events)

    def _mark_reopened(self) -> None:
        """Record that the session was opened again for recording (a timeline entry, not an action)."""
        from ttx.session.engine import plan_reopen

        with self._mutex:
            drafts = plan_reopen(self._state, self.clock.now())
            committed = self._store.append(
                self.id, self._state.last_seq, drafts, self._status_after
            )
            self._replayer.feed(committed)
            self._state = self._replayer.state()

    def refresh(self) -> bool:
        """Load events recorded since (for a read-only follower); True when anything changed."""
        with self._mutex:
            new = self._store.load_events(self.id, after_seq=self._state.last_seq)
            if not new:
                return False
            self._replayer.feed(new)
            self._state = self._replayer.state()
            return True

    def close(self, *, pause_clock: bool = False) -> None:
        """Close the session's connection and release its lock (safe to call twice).

        `pause_clock=True` first pauses a running clock (reason "ttx closed"), for a
        facilitator who quits for a break: otherwise the clock keeps counting until the
        session is opened again, as it does after a crash (the room kept talking).
        """
        live = self._lock is not None and not self._store.closed
        try:
            if pause_clock and live and self._state.clock.running:
                self.apply(PauseClock(reason="ttx closed"))
        finally:
            with self._mutex:
                self._store.close()
                if self._lock is not None:
                    self._lock.release()

    def __enter__(self) -> Session:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


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
