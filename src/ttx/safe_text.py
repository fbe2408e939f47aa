"""The one sanitiser for text printed to a terminal: control characters are shown, never obeyed.

Text from an exercise file, the journal or an argument can hold ESC sequences (clear
the screen, set the title), carriage returns or newlines (forge an output line) or
bidirectional overrides (reorder what is read). `shown` escapes each of them as
`\\xNN` / `\\uNNNN`, so the terminal prints them instead of acting on them. Every line
the CLI prints goes through here (`echo`).
"""

from __future__ import annotations

import re
import sys
from typing import TextIO

_BIDI = "\u202a-\u202e\u2066-\u2069"
_UNSAFE = re.compile(f"[\x00-\x1f\x7f-\x9f\u2028\u2029{_BIDI}]")
_UNSAFE_KEEP_LINES = re.compile(f"[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029{_BIDI}]")


_LONG_WORD = re.compile(r"\S{240,}")


def _clip(match: re.Match[str]) -> str:
    """A very long word (a 100,000-character argument) shortened, so a message stays readable."""
    word = match.group()
    return f"{word[:120]}…{word[-60:]} ({len(word):,} characters)"


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
    if has_surrogates(safe):
        safe = "".join(_surrogate(ch) if "\ud800" <= ch <= "\udfff" else ch for ch in safe)
    return safe


def _surrogate(ch: str) -> str:
    """A byte that was not UTF-8 (kept by Python as U+DC80-U+DCFF) as `\\xNN`, the byte itself."""
    code = ord(ch)
    return f"\\x{code - 0xDC00:02x}" if 0xDC80 <= code <= 0xDCFF else f"\\u{code:04x}"


def has_surrogates(text: str) -> bool:
    """True when `text` came from bytes that are not UTF-8 (Python keeps them as lone surrogates)."""
    return any("\ud800" <= ch <= "\udfff" for ch in text)


def has_controls(text: str) -> bool:
    """True when `text` holds a character `shown` would escape (ids must not)."""
    return _UNSAFE.search(text) is not None or has_surrogates(text)


def echo(*parts: object, file: TextIO | None = None, end: str = "\n") -> None:
    """`print`, with every control character in `parts` escaped: one call prints one line.

    The CLI prints every message through here, so text from a file, the journal or an
    argument can neither drive the terminal nor forge a line of output.
    """
    text = _LONG_WORD.sub(_clip, " ".join(shown(str(part)) for part in parts))
    stream = file if file is not None else sys.stdout
    stream.write(text + end)
