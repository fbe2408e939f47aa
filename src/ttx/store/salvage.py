"""`tabletop check`'s work: verify each session of a journal, and salvage a damaged one.

Verifying uses the same checks as every read (`ttx.store.integrity`). Salvaging copies
the intact prefix of a damaged session (its events before the first bad one) into a
new session `<id>-salvaged`, whose first note states the gap; the damaged session is
left as it is, for a backup or an expert to recover more.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from ttx.store.errors import JournalCorrupt, JournalError, SessionDamaged, SessionNotFound
from ttx.store.integrity import Damage, parse_events
from ttx.store.journal import JournalStore
from ttx.store.lock import SessionLock


@dataclass(frozen=True, slots=True)
class SessionCheck:
    """One session's verdict: how many of its events are intact, and its first damage."""

    session_id: str
    intact: int
    recorded: int
    damage: Damage | None

    @property
    def ok(self) -> bool:
        """True when every event passed every check."""
        return self.damage is None


@dataclass(frozen=True, slots=True)
class Salvaged:
    """What a salvage wrote: the new session, how many events it kept, and the gap."""

    source: str
    new_id: str
    kept: int
    recorded: int
    damage: Damage


def check_sessions(store: JournalStore, session_id: str | None = None) -> list[SessionCheck]:
    """Verify every session (or one, by id or prefix): its record, its exercise and its events."""
    if session_id is not None:
        return [_check_one(store, store.resolve_id(session_id), None)]
    return [_check_one(store, row.id, row.damage) for row in store.list_sessions()]


def _check_one(store: JournalStore, session_id: str, row_damage: str | None) -> SessionCheck:
    """The full check; the listing's `row_damage` is the verdict only when the row cannot be found."""
    try:
        row = store.session_row(session_id)
        _ = row.exercise
        intact, damage = store.check_session(session_id)
        events, damage = parse_events(intact, damage)
    except SessionDamaged as exc:
        return SessionCheck(session_id, 0, 0, Damage(exc.first_bad, _reason(str(exc))))
    except JournalCorrupt as exc:
        return SessionCheck(session_id, 0, 0, Damage(None, f"it cannot be read ({exc})"))
    except SessionNotFound:  # an id that is itself damaged, or events without a record
        return SessionCheck(session_id, 0, 0, Damage(None, row_damage or "its record is lost"))
    return SessionCheck(session_id, len(events), row.last_seq, damage)


def _reason(message: str) -> str:
    """The part of a SessionDamaged message after "is damaged: ", up to the journal's name."""
    tail = message.split("is damaged: ", 1)[-1]
    return tail.split(" (journal ", 1)[0]


def salvage_session(db: Path, session_id: str, now: datetime) -> Salvaged:
    """Copy a damaged session's intact events into a new, clearly marked session.

    Raises JournalError when the session is intact (nothing to salvage) or when not
    even its first event or its exercise can be read (then only a backup can help).
    """
    from ttx.session.actions import AddNote, CommandError
    from ttx.session.engine import plan
    from ttx.session.events import SessionStarted
    from ttx.session.replay import Replayer

    store = JournalStore(db)
    try:
        full_id = store.resolve_id(session_id)
        try:
            row = store.session_row(full_id)
            exercise = row.exercise
        except JournalCorrupt as exc:
            raise JournalCorrupt(
                f"cannot salvage session {full_id}: {exc}; only a backup can help "
                "(`tabletop check --restore`)"
            ) from exc
        intact, damage = store.check_session(full_id)
        events, damage = parse_events(intact, damage)
        if damage is None:
            raise JournalError(
                f"session {full_id} is intact ({len(events)} events); nothing to salvage"
            )
        if not events or not isinstance(events[0], SessionStarted):
            raise JournalCorrupt(
                f"cannot salvage session {full_id}: not even its first event is intact; "
                "only a backup can help (`tabletop check --restore`)"
            )
        if _exists(store, f"{full_id}-salvaged"):
            raise JournalError(
                f"session {full_id} was already salvaged into {full_id}-salvaged; use that one"
            )
        new_id = _free_id(store, f"{full_id}-salvaged")
        first = events[0].model_copy(update={"session_id": new_id})
        rest = events[1:]
        try:
            replayer = Replayer(new_id, exercise)
            status = replayer.status_after([first, *rest])
            replayer.feed([first, *rest])
            state = replayer.state()
        except Exception as exc:  # the intact events do not replay: say so, keep nothing
            raise JournalCorrupt(
                f"cannot salvage session {full_id}: its intact events do not replay "
                f"({type(exc).__name__}); only a backup can help (`tabletop check --restore`)"
            ) from exc
        lock = SessionLock.acquire(db, new_id)
        try:
            store.create_session(
                new_id, exercise, row.exercise_json, first, now, rest=rest, status=status
            )
            gap = damage.first_bad or len(events) + 1
            note = AddNote(
                text=(
                    f"SALVAGED from damaged session {full_id}: events 1-{len(events)} of "
                    f"{row.last_seq} were intact and are kept here; event {gap} onward is "
                    f"lost (event {gap} {damage.reason})."
                )
            )
            try:
                drafts = plan(state, note, now)
            except CommandError:
                drafts = []  # a note is refused in this state; the id still says "salvaged"
            if drafts:
                store.append(new_id, state.last_seq, drafts, lambda _events: status)
        finally:
            lock.release()
        return Salvaged(full_id, new_id, len(events), row.last_seq, damage)
    finally:
        store.close()


def _exists(store: JournalStore, session_id: str) -> bool:
    try:
        found = store.conn.execute("SELECT 1 FROM sessions WHERE id = ?", (session_id,))
        return found.fetchone() is not None
    except sqlite3.Error as exc:
        raise JournalCorrupt(
            f"cannot salvage: the journal {store.path} cannot be read ({exc})"
        ) from exc


def _free_id(store: JournalStore, base: str) -> str:
    candidate, n = base, 1
    while _exists(store, candidate):
        n += 1
        candidate = f"{base}-{n}"
    return candidate
