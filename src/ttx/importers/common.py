"""What every importer shares: the result it hands the writer, ids, text and time helpers.

An importer reads another tool's file and builds an exercise as plain data
(the dicts and lists a YAML file holds) plus the list of what the format could not
carry over. It never imports textual or the PDF renderer.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ttx.errors import UnusableInput

MAX_SOURCE_BYTES = 5 * 1024 * 1024
"""The largest source file read; real MSELs and scenario files are a small fraction of it."""
MAX_ID = 48
TITLE_LENGTH = 70
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufeff\ufffe\uffff\ud800-\udfff]")


class ImportError_(UnusableInput):  # `ImportError` is Python's own
    """A source file that cannot be imported: one message naming the file, the place and the fix.

    The message is kept on one line whatever the file's values hold (a key with a line
    break is shown as `\\n`), so the command prints exactly one line.
    """

    def __init__(self, message: str) -> None:
        one = message.replace("\r", "\\r").replace("\n", "\\n")
        super().__init__(_CONTROL.sub("?", one))


@dataclass
class Imported:
    """An exercise built from another tool's file, ready for the writer."""

    source: Path
    kind: str
    """What the source was, for people: 'an HSEEP-style MSEL spreadsheet (CSV)'."""
    exercise: dict[str, Any]
    dropped: list[str] = field(default_factory=list)
    """What the format could not carry over, one sentence each."""
    comments: dict[str, list[str]] = field(default_factory=dict)
    """Comment lines written above a top-level key of the exercise (e.g. 'moves')."""
    pictures: list[str] = field(default_factory=list)
    """Files beside the source that the exercise shows, named relative to the source's folder
    (`tabletop import` copies them beside the exercise it writes)."""

    def drop(self, sentence: str) -> None:
        """Record something that could not be carried over (once)."""
        if sentence not in self.dropped:
            self.dropped.append(sentence)

    def comment(self, key: str, line: str) -> None:
        """Add a comment above the top-level key `key` of the written file."""
        self.comments.setdefault(key, []).append(line)


def read_text(path: Path) -> str:
    """The source's text (UTF-8, a BOM allowed), or one clear error."""
    data = read_bytes(path)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportError_(
            f"{path}: byte {exc.start + 1} is not UTF-8 text; save the file as UTF-8 "
            "(e.g. 'CSV UTF-8' in a spreadsheet program) and import it again"
        ) from None


def read_bytes(path: Path) -> bytes:
    """The source's bytes, refusing a missing, unreadable or oversized file."""
    try:
        if path.is_dir():
            raise ImportError_(f"{path} is a folder; name the file to import")
        size = path.stat().st_size
        if size > MAX_SOURCE_BYTES:
            raise ImportError_(
                f"{path} is {size // (1024 * 1024)} MB, larger than the "
                f"{MAX_SOURCE_BYTES // (1024 * 1024)} MB an importable file may be; split it"
            )
        return path.read_bytes()
    except FileNotFoundError:
        raise ImportError_(f"{path}: no such file; check the path") from None
    except OSError as exc:
        raise ImportError_(f"{path}: cannot be read: {exc.strerror or exc}") from None


def clean(value: Any) -> str:
    """A value as text: numbers written out, control characters removed, ends stripped."""
    if value is None or isinstance(value, bool):
        return "" if value is None else ("yes" if value else "no")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, (dict, list)):
        return ""
    text = str(value).replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROL.sub("", text)
    return "\n".join(line.rstrip() for line in text.strip().split("\n"))


def one_line(text: str) -> str:
    """Text on one line, white space collapsed."""
    return " ".join(text.split())


def short_title(text: str, limit: int = TITLE_LENGTH) -> str:
    """A title from longer text: its first line or sentence, cut at a word near `limit`."""
    first = one_line(text.strip().split("\n")[0]) if text.strip() else ""
    sentence = re.split(r"(?<=[.!?])\s", first, maxsplit=1)[0]
    if len(sentence) <= limit:
        return sentence
    cut = sentence[:limit].rsplit(" ", 1)[0] or sentence[:limit]
    return cut.rstrip(",;:") + "…"


class Ids:
    """Makes snake_case ids (the format's `^[a-z][a-z0-9_]*$`), unique within one kind."""

    def __init__(self, reserved: tuple[str, ...] = ()) -> None:
        self.used: set[str] = set(reserved)

    def make(self, text: str, fallback: str) -> str:
        """An unused id from `text`: ASCII words joined by '_', else `fallback`, numbered if taken."""
        base = snake(text) or fallback
        if not base[0].isalpha():
            base = f"{fallback}_{base}"
        base = base[:MAX_ID].rstrip("_")
        candidate, number = base, 2
        while candidate in self.used:
            candidate = f"{base}_{number}"
            number += 1
        self.used.add(candidate)
        return candidate


def snake(text: str) -> str:
    """Lower-case ASCII words of `text` joined by '_' (empty when there are none)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return "_".join(re.findall(r"[a-z0-9]+", ascii_text.lower()))[:MAX_ID].rstrip("_")


_CLOCK = re.compile(
    r"(?<![\d:])(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([ap]\.?\s?m\.?)?(?![\d:])", re.IGNORECASE
)
_MILITARY = re.compile(r"^(\d{2})(\d{2})(?:\s*h(?:rs?|ours?)?)?$", re.IGNORECASE)
_OFFSET = re.compile(
    r"^(?:[tThH]\s*)?\+\s*(\d+(?:\.\d+)?)\s*(h|hr|hrs|hours?|m|min|mins|minutes?)?$|"
    r"^(\d+(?:\.\d+)?)\s*(h|hr|hrs|hours?|m|min|mins|minutes?)?$",
    re.IGNORECASE,
)


def clock_minutes(text: str) -> int | None:
    """Minutes since midnight of a clock time in `text` ('07:29 PM', '19:29', '0930'), else None."""
    match = _CLOCK.search(text)
    if match:
        hours, minutes = int(match.group(1)), int(match.group(2))
        meridiem = (match.group(4) or "").lower().replace(".", "").replace(" ", "")
        if minutes > 59 or hours > 23 or (meridiem and not 1 <= hours <= 12):
            return None
        if meridiem == "pm" and hours != 12:
            hours += 12
        elif meridiem == "am" and hours == 12:
            hours = 0
        return hours * 60 + minutes
    military = _MILITARY.match(text.strip())
    if military:
        hours, minutes = int(military.group(1)), int(military.group(2))
        if hours <= 23 and minutes <= 59:
            return hours * 60 + minutes
    return None


def offset_minutes(text: str) -> int | None:
    """Minutes of an offset ('T+15', '+2h', '15 min', '15'), else None."""
    match = _OFFSET.match(text.strip())
    if not match:
        return None
    number = match.group(1) or match.group(3)
    unit = (match.group(2) or match.group(4) or "m").lower()
    value = float(number)
    if text.strip()[:1] in "hH" and not match.group(2):
        unit = "h"
    minutes = value * 60 if unit.startswith("h") else value
    if minutes > 100_000:
        return None
    return int(minutes)


def time_minutes(text: str) -> int | None:
    """A delivery time as minutes: a clock time, else an offset; None when neither."""
    if not text.strip():
        return None
    clock = clock_minutes(text)
    return clock if clock is not None else offset_minutes(text)


def without_clock(text: str) -> str:
    """`text` with its clock time removed: 'Day 1 08:00' -> 'Day 1', '08:00' -> ''."""
    rest = _CLOCK.sub(" ", text)
    rest = re.sub(r"^\s*\d{4}\s*$", " ", rest)
    return one_line(rest.strip(" ,;-–—@"))


def relative(minutes: list[int | None], *, wrap: bool = True) -> list[int]:
    """Times as minutes from the first known one; unknown times take the time before them.

    With `wrap` (clock times), a time earlier than the one before is taken to be after
    midnight; without it (offsets), a time before the first counts as the first.
    """
    result: list[int] = []
    day = 0
    previous: int | None = None
    start: int | None = None
    for value in minutes:
        if value is None:
            result.append(result[-1] if result else 0)
            continue
        value += day
        if wrap and previous is not None and value < previous:
            while value < previous:
                value += 1440
                day += 1440
        if start is None:
            start = value
        previous = value
        result.append(max(0, value - start))
    return result
