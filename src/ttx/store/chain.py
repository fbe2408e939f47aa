"""The checksum chain of a session's events: each event's digest covers the one before it.

`checksum(n) = sha256(checksum(n-1) + canonical bytes of event n)`, hex; the first
event chains from the empty string. The canonical bytes are the event's stored
columns exactly as SQLite holds them (session id, seq, action, kind, time, JSON),
joined by a unit separator, so a flipped byte, a lost or reordered event, or an
event moved to another session all break the chain. The session row keeps the
last checksum (`head`), so losing the newest events is caught too.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

SEPARATOR = b"\x1f"

EVENT_COLUMNS = "session_id, seq, action, kind, at, data"
"""The columns an event's checksum covers, in order."""

RAW_EVENT_COLUMNS = ", ".join(f"CAST({c} AS BLOB)" for c in EVENT_COLUMNS.split(", "))
"""The same columns as raw bytes, so a damaged (undecodable) row can still be hashed and named."""


def canonical(values: Sequence[object]) -> bytes:
    """The bytes an event's checksum covers: its stored columns, as SQLite returns them as BLOBs."""
    parts: list[bytes] = []
    for value in values:
        if isinstance(value, bytes):
            parts.append(value)
        elif value is None:
            parts.append(b"\x00")
        else:
            parts.append(str(value).encode("utf-8", "surrogatepass"))
    return SEPARATOR.join(parts)


def link(previous: str, values: Sequence[object]) -> str:
    """The checksum of an event whose columns are `values`, after an event with `previous`."""
    digest = hashlib.sha256(previous.encode("ascii", "replace"))
    digest.update(b"\n")
    digest.update(canonical(values))
    return digest.hexdigest()
