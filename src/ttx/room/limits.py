"""The limits every request from a page meets: sizes of the body and of each field, and rates per code."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

MAX_BODY = 16_384
"""The largest request body accepted, in bytes."""
MAX_ID = 100
"""An id (decision, option, submission): characters."""
MAX_TEXT = 4_000
"""A rationale, a free-form answer, a feedback text: characters."""
MAX_OPTIONS = 50
"""Entries in an allocation or a feedback form's ratings."""
MAX_POINTS = 1_000_000

POSTS_PER_MINUTE = 30
"""Submissions one join code may send in a minute (every device of the team together)."""
READS_PER_MINUTE = 600
"""Page and view requests one join code (or, for the projector, one address) may make in a minute."""


class Refused(Exception):
    """A request over a limit or malformed: `status` is the HTTP status, the message says what to fix."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


def _text(payload: dict[str, Any], name: str, limit: int, what: str) -> str:
    value = payload.get(name)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise Refused(400, f"{what} must be text")
    if len(value) > limit:
        raise Refused(413, f"{what} is {len(value):,} characters; keep it under {limit:,}")
    return value


def _optional_text(payload: dict[str, Any], name: str, limit: int, what: str) -> str | None:
    return _text(payload, name, limit, what) if payload.get(name) is not None else None


def _numbers(payload: dict[str, Any], name: str, what: str) -> dict[str, int] | None:
    value = payload.get(name)
    if value is None:
        return None
    if not isinstance(value, dict) or len(value) > MAX_OPTIONS:
        raise Refused(413 if isinstance(value, dict) else 400, f"{what}: too many entries")
    out: dict[str, int] = {}
    for key, number in value.items():
        if not isinstance(key, str) or len(key) > MAX_ID:
            raise Refused(413, f"{what}: a name is too long")
        if isinstance(number, bool) or not isinstance(number, int) or not 0 <= number <= MAX_POINTS:
            raise Refused(400, f"{what}: each value is a whole number, 0 or more")
        out[key] = number
    return out


def answer_payload(payload: Any) -> dict[str, Any]:
    """A team's answer as sent by its page, checked for shape and size."""
    if not isinstance(payload, dict):
        raise Refused(400, "send the answer as a JSON object")
    decision_id = _text(payload, "decision_id", MAX_ID, "the decision")
    if not decision_id:
        raise Refused(400, "say which decision this answers")
    return {
        "decision_id": decision_id,
        "option_id": _optional_text(payload, "option_id", MAX_ID, "the option"),
        "allocation": _numbers(payload, "allocation", "the allocation"),
        "free_text": _optional_text(payload, "free_text", MAX_TEXT, "the answer"),
        "rationale": _text(payload, "rationale", MAX_TEXT, "the rationale"),
        "submission": _text(payload, "submission", MAX_ID, "the submission id"),
    }


def feedback_payload(payload: Any) -> dict[str, Any]:
    """The anonymous feedback form as sent, checked for shape and size."""
    if not isinstance(payload, dict):
        raise Refused(400, "send the feedback as a JSON object")
    return {
        "ratings": _numbers(payload, "ratings", "the ratings") or {},
        "strengths": _text(payload, "strengths", MAX_TEXT, "what worked"),
        "improvements": _text(payload, "improvements", MAX_TEXT, "what to improve"),
        "submission": _text(payload, "submission", MAX_ID, "the submission id"),
    }


@dataclass
class RateLimiter:
    """At most `per_minute` requests per key in any sliding minute (a token bucket per key)."""

    per_minute: int
    clock: Callable[[], float] = time.monotonic
    _buckets: dict[str, tuple[float, float]] = field(default_factory=dict)

    def allow(self, key: str) -> bool:
        """Take one request from `key`'s allowance; False when it is spent."""
        now = self.clock()
        tokens, since = self._buckets.get(key, (float(self.per_minute), now))
        tokens = min(float(self.per_minute), tokens + (now - since) * self.per_minute / 60.0)
        if tokens < 1.0:
            self._buckets[key] = (tokens, now)
            return False
        self._buckets[key] = (tokens - 1.0, now)
        if len(self._buckets) > 10_000:  # forget the oldest keys (addresses come and go)
            for old in sorted(self._buckets, key=lambda k: self._buckets[k][1])[:5_000]:
                del self._buckets[old]
        return True
