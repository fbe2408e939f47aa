"""A session's stored record, read column by column as raw bytes so damage is named, not raised.

A bad date, count or undecodable text in one session's row becomes that row's
`damage`; listing shows it and every other session stays readable.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from ttx.store.backup import RESTORE_HINT
from ttx.store.errors import JournalCorrupt, JournalError, SessionDamaged

if TYPE_CHECKING:
    from ttx.model.exercise import Exercise

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
"""The time shown for a row whose time cannot be read."""


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
    exercise_sha256: str = ""
    head: str | None = None
    damage: str | None = None
    """Why this row cannot be trusted (None: it reads cleanly); listing shows it."""

    @property
    def exercise(self) -> Exercise:
        """The exercise as it was when the session started (its digest checked)."""
        from ttx.model.exercise import Exercise

        digest = hashlib.sha256(self.exercise_json.encode("utf-8", "surrogatepass")).hexdigest()
        if self.exercise_sha256 and digest != self.exercise_sha256:
            raise SessionDamaged(
                f"session {self.id} is damaged: the exercise stored with it does not match "
                f"its digest; {RESTORE_HINT}",
                session_id=self.id,
                first_bad=None,
            )
        try:
            return Exercise.model_validate_json(self.exercise_json)
        except ValueError as exc:
            newer = _newer_format(self.exercise_json)
            if newer is not None:
                raise JournalError(
                    f"session {self.id} was recorded with exercise format {newer[0]}, by a newer "
                    f"tabletop; this tabletop reads format {newer[1]}: install a newer tabletop "
                    "to open it"
                ) from exc
            raise JournalCorrupt(
                f"the exercise stored with session {self.id} cannot be read ({exc.__class__.__name__})"
            ) from exc


ROW_COLUMNS = tuple(
    f", CAST({c} AS BLOB)"
    for c in (
        "id",
        "exercise_id",
        "exercise_title",
        "exercise_version",
        "exercise_json",
        "created_at",
        "last_at",
        "status",
        "last_seq",
        "exercise_sha256",
    )
)


def _newer_format(snapshot: str) -> tuple[int, int] | None:
    """(the snapshot's format, the one this version reads) when the snapshot is newer."""
    import json

    from ttx.model.exercise import FORMAT_VERSION

    try:
        version = json.loads(snapshot).get("format")
    except (ValueError, AttributeError):
        return None
    if isinstance(version, int) and not isinstance(version, bool) and version > FORMAT_VERSION:
        return version, FORMAT_VERSION
    return None


def parse_row(row: Sequence[object]) -> SessionRow:
    """A session row from raw column bytes; anything unreadable is kept as `damage`."""
    problems: list[str] = []

    def text(index: int, name: str) -> str:
        value = row[index]
        if value is None:
            problems.append(f"no {name}")
            return ""
        try:
            return bytes(value).decode("utf-8") if isinstance(value, bytes) else str(value)
        except UnicodeDecodeError:
            problems.append(f"its {name} is not valid text")
            return bytes(value).decode("utf-8", "replace") if isinstance(value, bytes) else ""

    def when(index: int, name: str) -> datetime:
        raw = text(index, name)
        try:
            value = datetime.fromisoformat(raw)
        except ValueError:
            problems.append(f"its {name} is not a date")
            return EPOCH
        return value if value.tzinfo else value.replace(tzinfo=UTC)

    session_id = text(0, "id")
    created_at = when(5, "start time")
    last_at = when(6, "last activity time")
    last_seq = parse_count(row[8])
    if last_seq is None:
        problems.append("its event count is not a number")
    head = parse_ascii(row[10]) if len(row) > 10 else None
    return SessionRow(
        id=session_id,
        exercise_id=text(1, "exercise id"),
        exercise_title=text(2, "exercise title"),
        exercise_version=text(3, "exercise version"),
        exercise_json=text(4, "exercise"),
        created_at=created_at,
        last_at=last_at,
        status=text(7, "status"),
        last_seq=last_seq or 0,
        exercise_sha256=text(9, "exercise digest"),
        head=head,
        damage="; ".join(problems) or None,
    )


def parse_ascii(value: object) -> str | None:
    """A stored checksum as text (None when absent; damaged bytes simply fail to match)."""
    if value is None:
        return None
    if isinstance(value, bytes):
        return value.decode("ascii", "replace")
    return str(value)


def parse_count(value: object) -> int | None:
    try:
        text = bytes(value).decode("ascii") if isinstance(value, bytes) else str(value)
        number = int(text)
    except (UnicodeDecodeError, ValueError, TypeError):
        return None
    return number if number >= 0 else None


def with_count(row: SessionRow, counted: tuple[int, int] | None) -> SessionRow:
    """The row, marked damaged when its events do not add up to its count."""
    if row.damage:
        return row
    count, highest = counted or (0, 0)
    if count == row.last_seq and highest == row.last_seq:
        return row
    if count == row.last_seq:
        return replace(row, damage=f"its {count} events are not numbered 1 to {row.last_seq}")
    return replace(row, damage=f"{count} of its {row.last_seq} events are in the journal")


def unreadable_rest(exc: sqlite3.DatabaseError | None, orphan: str = "?") -> SessionRow:
    """A listing entry for what cannot be listed: the rest of the table, or events without a record."""
    if exc is None:
        damage = "its events are in the journal but its record is lost; `tabletop check --restore`"
    else:
        damage = f"the rest of the list cannot be read ({exc}); restore the newest backup"
    return SessionRow(
        id=orphan,
        exercise_id="",
        exercise_title="",
        exercise_version="",
        exercise_json="",
        created_at=EPOCH,
        last_at=EPOCH,
        status="",
        last_seq=0,
        damage=damage,
    )
