"""Checking a session's stored events: count, order and checksum chain, down to the first bad one.

Every read of a session goes through `check_rows`: a session whose events do not
add up is refused whole (`SessionDamaged`), never passed off as complete, and the
message names the session, the first bad event and what to do. `tabletop check`
uses the same function to report and to salvage the intact prefix.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ttx.store.backup import RESTORE_HINT
from ttx.store.chain import link
from ttx.store.errors import SessionDamaged

if TYPE_CHECKING:
    from ttx.session import events as ev

RawRow = Sequence[object]
"""An event row as read: the six chained columns, then the stored checksum, all as bytes."""


@dataclass(frozen=True, slots=True)
class IntactEvent:
    """An event that passed the checks: its number, its JSON text and its checksum."""

    seq: int
    data: str
    checksum: str


@dataclass(frozen=True, slots=True)
class Damage:
    """Where a session stops being trustworthy: the first bad event (None: its record) and why."""

    first_bad: int | None
    reason: str


def check_rows(
    rows: Sequence[RawRow],
    *,
    after_seq: int,
    last_seq: int,
    head: str | None,
    previous: str,
    chained: bool,
) -> tuple[list[IntactEvent], Damage | None]:
    """The intact events after `after_seq`, in order, and the first damage found (None: whole).

    `chained=False` is a legacy (schema 1) journal read read-only: count and order only.
    """
    intact: list[IntactEvent] = []
    expected = after_seq + 1
    for row in rows:
        seq = _int(row[1])
        if seq is None:
            return intact, Damage(expected, "is missing (a row in its place has no valid number)")
        if seq != expected:
            if expected > last_seq:
                return intact, Damage(expected, "is beyond the session's last event")
            return intact, Damage(expected, "is missing")
        checksum = link(previous, row[:6])
        stored = row[6]
        if (
            chained
            and (stored.decode("ascii", "replace") if isinstance(stored, bytes) else stored)
            != checksum
        ):
            return intact, Damage(expected, "does not match its checksum: it was changed")
        data = row[5]
        try:
            text = data.decode("utf-8") if isinstance(data, bytes) else str(data)
        except UnicodeDecodeError:
            return intact, Damage(expected, "is not valid text")
        if seq > last_seq:
            return intact, Damage(expected, "is beyond the session's last event")
        intact.append(IntactEvent(seq, text, checksum))
        previous = checksum
        expected += 1
    if expected - 1 < last_seq:
        return intact, Damage(
            expected, f"is missing ({expected - 1 - after_seq} of {last_seq - after_seq} found)"
        )
    if chained and intact and head is not None and intact[-1].checksum != head:
        # Every row checks out, but the session's record was last written after a later
        # event: the newest events (and the count) were lost together.
        return intact, Damage(last_seq + 1, "is missing (the session recorded events after it)")
    return intact, None


def damaged_error(session_id: str, path: Path, damage: Damage) -> SessionDamaged:
    """The error refusing a damaged session, naming it, the first bad event and the fixes."""
    if damage.first_bad is None:
        where = damage.reason
        salvage = ""
    else:
        where = f"event {damage.first_bad} {damage.reason}"
        kept = damage.first_bad - 1
        salvage = (
            f"`tabletop check {session_id} --salvage` copies the intact events 1-{kept} "
            "into a new session; "
            if kept > 0
            else ""
        )
    return SessionDamaged(
        f"session {session_id} is damaged: {where} (journal {path}); nothing was changed. "
        f"{salvage}{RESTORE_HINT}",
        session_id=session_id,
        first_bad=damage.first_bad,
    )


def _int(value: object) -> int | None:
    if isinstance(value, int):
        return value
    try:
        text = value.decode("ascii") if isinstance(value, bytes) else str(value)
        return int(text)
    except (UnicodeDecodeError, ValueError):
        return None


def parse_events(
    intact: list[IntactEvent], damage: Damage | None
) -> tuple[list[ev.Event], Damage | None]:
    """The events of checked rows, up to the first that cannot be parsed (then its damage)."""
    from ttx.session.events import event_adapter

    events: list[ev.Event] = []
    append = events.append
    parse = event_adapter().validator.validate_json  # event_from_json, minus two calls
    for item in intact:
        try:
            event = parse(item.data)
        except ValueError as exc:
            return events, Damage(item.seq, f"cannot be read ({exc.__class__.__name__})")
        if event.seq != item.seq:
            return events, Damage(item.seq, "holds another event's number")
        append(event)
    return events, damage
