"""Turn untrusted text (exercise fields, names, anything typed live) into safe, literal Content.

Textual parses console markup in strings by default: `[/]` crashes the app and
`[@click=app.quit]` makes a live link. Everything that did not come from ttx's own
source code goes through `safe()` (or `styled()`), which never interprets markup.
"""

from __future__ import annotations

import re
from pathlib import Path

from textual.content import Content

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
MAX_CHARS = 4000
"""Text longer than this is cut on screen (the journal keeps every character)."""


def clean(text: object, limit: int = MAX_CHARS) -> str:
    """Plain text with control characters removed and a length cap, for one-line labels."""
    value = "" if text is None else str(text)
    value = _CONTROL.sub("", value.replace("\t", "    "))
    if len(value) > limit:
        value = value[: limit - 1] + "…"
    return value


def keep(text: object) -> str:
    """Typed text as it will be stored: every character and line kept, control characters removed.

    Unlike `clean` it never shortens: the fields refuse text over their limit instead.
    """
    value = "" if text is None else str(text)
    return _CONTROL.sub("", value.replace("\r\n", "\n").replace("\t", "    "))


_EMPHASIS = re.compile(r"(\*\*|__|`)")


def md_plain(text: object) -> str:
    """Markdown source with emphasis marks and backticks removed, for one-line plain display."""
    return _EMPHASIS.sub("", "" if text is None else str(text))


def safe(text: object, limit: int = MAX_CHARS) -> Content:
    """Literal Content of untrusted text: markup characters are shown, never interpreted."""
    return Content(clean(text, limit))


def styled(text: object, style: str, limit: int = MAX_CHARS) -> Content:
    """Literal Content of untrusted text with one ttx-chosen style (e.g. "bold")."""
    return Content.assemble((clean(text, limit), style))


def one_line(text: object, limit: int = 80) -> Content:
    """The first line of untrusted text, capped for tight lists and tables."""
    first = clean(md_plain(text), 10 * limit).strip().splitlines()
    return safe(first[0] if first else "", limit)


def display_path(path: Path) -> str:
    """A path with the home folder shortened to ~ (shorter on screen, same for every user)."""
    try:
        return "~/" + str(path.resolve().relative_to(Path.home().resolve()))
    except (ValueError, OSError, RuntimeError):
        return str(path)


def join(*parts: str | Content | tuple[str, str]) -> Content:
    """Assemble Content from literal pieces: str parts and (text, style) tuples are never parsed."""
    return Content.assemble(*parts)
