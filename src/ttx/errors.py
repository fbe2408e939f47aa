"""The exit codes every `tabletop` command follows, and the base of ttx's own errors.

The table is docs/cli.md's; `tests/unit/test_exit_codes.py` holds the commands to it.
"""

from __future__ import annotations

from enum import IntEnum


class Exit(IntEnum):
    """What a command's exit code means."""

    OK = 0
    """Done as asked."""
    INVALID = 1
    """The input was read but is invalid, or the request was refused (nothing was changed)."""
    UNUSABLE = 2
    """The input could not be used at all: missing, unreadable, not an exercise, unknown id."""
    INTERNAL = 3
    """A bug in ttx: the message names the crash report to attach."""


class TtxError(Exception):
    """An error written for the user: `str(error)` is the message, `exit_code` the exit code."""

    exit_code: Exit = Exit.INVALID


class UnusableInput(TtxError):
    """An argument names nothing usable (no such file, no such exercise id, an ambiguous id)."""

    exit_code = Exit.UNUSABLE
