"""Handouts already printed, kept by content (`ttx.report.content_cache`): an unchanged exercise
is copied, not rendered again.

The key is a SHA-256 of everything that decides the PDFs' bytes: the exercise file,
every picture of its folder that its text names, the paper, the ttx version, and the
code, templates and fonts that print it (`content_cache.code_hash`). An entry holds
the PDFs in print order and the exercise's id and title.
"""

from __future__ import annotations

import contextlib
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from ttx.report import content_cache

KIND = "handouts"
_PICTURE = re.compile(r"\]\(\s*<?([^)\s>]+)")
"""A Markdown image or link target in the exercise's text: a picture it may print."""


@dataclass(frozen=True, slots=True)
class CachedHandouts:
    """A cache entry: the exercise it was printed from and its PDFs, in print order."""

    exercise_id: str
    title: str
    files: list[Path]


def handouts_root() -> Path:
    """The folder of every cached handout set."""
    return content_cache.kind_root(KIND)


def handouts_key(exercise_path: Path, paper: str) -> str | None:
    """The content key of an exercise's handouts on `paper`; None if the exercise cannot be read."""
    try:
        source = Path(exercise_path).read_bytes()
    except OSError:
        return None
    pictures = hashlib.sha256()
    folder = Path(exercise_path).resolve().parent
    names = sorted(set(_PICTURE.findall(source.decode("utf-8", "replace"))))
    for name in names:
        picture = folder / name
        with contextlib.suppress(OSError, ValueError):
            if picture.is_file():
                data = picture.read_bytes()
                pictures.update(name.encode() + b"\0" + hashlib.sha256(data).digest())
    return content_cache.content_key(KIND, paper, source, pictures.digest())


def lookup(key: str) -> CachedHandouts | None:
    """The complete entry for `key`, or None."""
    entry = content_cache.lookup(KIND, key)
    if entry is None or not {"exercise_id", "title"} <= entry.about.keys():
        return None
    return CachedHandouts(entry.about["exercise_id"], entry.about["title"], entry.files)


def copy_out(entry: CachedHandouts, out_dir: Path) -> list[Path] | None:
    """Write the entry's PDFs into `out_dir`; the paths written, in order (None: it went meanwhile)."""
    targets = [Path(out_dir) / source.name for source in entry.files]
    about = {"exercise_id": entry.exercise_id, "title": entry.title}
    return (
        targets
        if content_cache.copy_out(content_cache.Entry(about, entry.files), targets)
        else None
    )


def store(key: str, exercise_id: str, title: str, files: list[Path]) -> None:
    """Keep `files` under `key`; a failure to write the cache is ignored (it is only a cache)."""
    content_cache.store(KIND, key, {"exercise_id": exercise_id, "title": title}, files)
