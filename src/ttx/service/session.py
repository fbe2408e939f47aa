"""One session, live or read-only: its events, the state derived from them, and `apply`.

`Session.apply` is the one way a facilitator's command reaches the journal: the
session engine plans the events (`ttx.session.engine`), the store commits them
(`JournalStore.append`), and the replayer derives the new state from them.
"""

from __future__ import annotations

import threading
from datetime import datetime
from types import TracebackType

from ttx.model.exercise import Exercise
from ttx.session.actions import Command, PauseClock, Undo
from ttx.session.branching import BranchPreview, PendingInject, pending_injects, preview_branch
from ttx.session.clock import Clock, SystemClock
from ttx.session.engine import plan, plan_undo
from ttx.session.events import BaseEvent, Event
from ttx.session.replay import Replayer
from ttx.session.state import SessionState
from ttx.store.backup import BACKUP_KINDS, backup_journal
from ttx.store.errors import JournalError, ReadOnlySession
from ttx.store.journal import JournalStore
from ttx.store.lock import SessionLock

__all__ = ["Session"]


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
