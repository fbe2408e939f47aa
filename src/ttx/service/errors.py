"""The errors the session service raises: the journal's (`ttx.store.errors`), for its users.

The console and the CLI catch these without reaching into the store; each is a
`ttx.errors.TtxError` carrying its message and its exit code.
"""

from __future__ import annotations

from ttx.store.errors import (
    JournalCorrupt,
    JournalError,
    JournalUnwritable,
    ReadOnlySession,
    SessionDamaged,
    SessionExists,
    SessionLocked,
    SessionNotFound,
)

__all__ = [
    "JournalCorrupt",
    "JournalError",
    "JournalUnwritable",
    "ReadOnlySession",
    "SessionDamaged",
    "SessionExists",
    "SessionLocked",
    "SessionNotFound",
]
