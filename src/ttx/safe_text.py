"""The one sanitiser for text printed to a terminal: control characters are shown, never obeyed.

Text from an exercise file, the journal or an argument can hold ESC sequences (clear
the screen, set the title), carriage returns or newlines (forge an output line) or
bidirectional overrides (reorder what is read). `shown` escapes each of them as
`\\xNN` / `\\uNNNN`, so the terminal prints them instead of acting on them. Every line
the CLI prints from such text goes through here (`ttx.cli.say`).
"""

from __future__ import annotations

import re

_BIDI = "\u202a-\u202e\u2066-\u2069"
_UNSAFE = re.compile(f"[\x00-\x1f\x7f-\x9f\u2028\u2029{_BIDI}]")
_UNSAFE_KEEP_LINES = re.compile(f"[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029{_BIDI}]")


def _escape(match: re.Match[str]) -> str:
    ch = match.group()
    code = ord(ch)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def shown(text: str, *, keep_newlines: bool = False) -> str:
    """`text` with every control character escaped (newlines kept when `keep_newlines`).

    Lone surrogates (from undecodable command-line bytes) are escaped too, so printing
    never fails on them.
    """
    pattern = _UNSAFE_KEEP_LINES if keep_newlines else _UNSAFE
    safe = pattern.sub(_escape, text)
    if any("\ud800" <= ch <= "\udfff" for ch in safe):
        safe = "".join(f"\\u{ord(ch):04x}" if "\ud800" <= ch <= "\udfff" else ch for ch in safe)
    return safe


def has_controls(text: str) -> bool:
    """True when `text` holds a character `shown` would escape (ids must not)."""
    return _UNSAFE.search(text) is not None or any("\ud800" <= ch <= "\udfff" for ch in text)
