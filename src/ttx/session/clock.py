"""Where the session engine reads the time, so tests can control it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Protocol, runtime_checkable


@runtime_checkable
class Clock(Protocol):
    """A source of the current wall time (UTC, timezone-aware)."""

    def now(self) -> datetime:
        """The current time, UTC and timezone-aware."""
        ...


class SystemClock:
    """The computer's clock."""

    def now(self) -> datetime:
        """The current time, UTC and timezone-aware."""
        return datetime.now(UTC)


class FakeClock:
    """A clock that moves only when told to (`advance`), for tests and demos."""

    def __init__(self, start: datetime | None = None) -> None:
        self._now = start or datetime(2026, 1, 1, 9, 0, tzinfo=UTC)
        if self._now.tzinfo is None:
            raise ValueError("FakeClock needs a timezone-aware start time")

    def now(self) -> datetime:
        """The current (fake) time."""
        return self._now

    def advance(self, seconds: float) -> datetime:
        """Move the time forward by `seconds` (never backward) and return the new time."""
        if seconds < 0:
            raise ValueError("a clock does not run backward")
        self._now += timedelta(seconds=seconds)
        return self._now

    def set(self, when: datetime) -> None:
        """Jump to a given (timezone-aware) time."""
        if when.tzinfo is None:
            raise ValueError("use a timezone-aware time")
        self._now = when
