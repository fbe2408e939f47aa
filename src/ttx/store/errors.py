"""Journal errors, each with a message a facilitator can act on (the CLI prints it on one line)."""

from __future__ import annotations

from ttx.errors import Exit, TtxError


class JournalError(TtxError):
    """The session journal could not do what was asked; `str(error)` says why and what to do."""

    exit_code = Exit.INVALID


class SessionNotFound(JournalError):
    """No session has that id (or the prefix matches none, or several)."""

    exit_code = Exit.UNUSABLE


class SessionExists(JournalError):
    """A new session was given an id that is already taken."""


class SessionLocked(JournalError):
    """The session is open for recording in another ttx."""

    def __init__(self, message: str, *, pid: int | None = None, host: str | None = None) -> None:
        super().__init__(message)
        self.pid = pid
        self.host = host


class JournalUnwritable(JournalError):
    """The journal cannot be written (read-only folder, full disk...); the event was not saved."""


class JournalCorrupt(JournalError):
    """The journal file is damaged or is not a ttx journal."""

    exit_code = Exit.UNUSABLE


class SessionDamaged(JournalCorrupt):
    """One session's events or record fail the checks (count, order, checksum chain).

    `first_bad` is the first event that is missing or wrong (None: the session's own
    record is damaged); the events before it are intact and can be salvaged.
    """

    def __init__(self, message: str, *, session_id: str, first_bad: int | None) -> None:
        super().__init__(message)
        self.session_id = session_id
        self.first_bad = first_bad


class ReadOnlySession(JournalError):
    """A session opened read-only (projector, report, export) cannot record."""
