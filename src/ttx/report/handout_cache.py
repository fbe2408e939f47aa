"""Handouts already printed, kept by content: an unchanged exercise is copied, not rendered again.

The key is a SHA-256 of everything that decides the PDFs' bytes: the exercise file,
every picture of its folder that its text names, the paper, the ttx version, and the
code and templates that print it (every `.py`, `.html` and `.css` of `ttx.report`,
`ttx.model` and `ttx.vocabulary`, and the names and sizes of the shipped fonts). An
entry is a folder `cache_dir()/handouts/<key>/` holding the PDFs and `manifest.json`
(the exercise's id and title and the files in print order).

Writers never share a folder: each fills a private temporary folder and renames it
to its key in one step (`os.rename` of a directory is atomic, and fails if another
writer got there first, whose copy is then kept). Readers see only complete entries.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import shutil
import tempfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import ttx
from ttx.paths import cache_dir, package_dir
from ttx.report.render import write_atomic

MANIFEST = "manifest.json"
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
    return cache_dir() / "handouts"


def handouts_key(exercise_path: Path, paper: str) -> str | None:
    """The content key of an exercise's handouts on `paper`; None if the exercise cannot be read."""
    try:
        source = Path(exercise_path).read_bytes()
    except OSError:
        return None
    digest = hashlib.sha256()
    for part in (ttx.__version__.encode(), paper.encode(), _code_hash().encode(), source):
        digest.update(len(part).to_bytes(8, "big") + part)
    folder = Path(exercise_path).resolve().parent
    names = sorted(set(_PICTURE.findall(source.decode("utf-8", "replace"))))
    for name in names:
        picture = folder / name
        with contextlib.suppress(OSError, ValueError):
            if picture.is_file():
                data = picture.read_bytes()
                digest.update(name.encode() + b"\0" + hashlib.sha256(data).digest())
    return digest.hexdigest()


@cache
def _code_hash() -> str:
    """The hash of the code, templates and fonts that turn an exercise into PDFs."""
    root = package_dir()
    digest = hashlib.sha256()
    sources = [
        *sorted((root / "report").rglob("*.py")),
        *sorted((root / "report" / "templates").rglob("*.html")),
        *sorted((root / "report" / "templates").rglob("*.css")),
        *sorted((root / "model").rglob("*.py")),
        root / "vocabulary.py",
    ]
    for path in sources:
        digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes())
    for font in sorted((root / "report" / "fonts").iterdir()):
        digest.update(f"{font.name}\0{font.stat().st_size}".encode())
    return digest.hexdigest()


def lookup(key: str) -> CachedHandouts | None:
    """The complete entry for `key`, or None."""
    entry = handouts_root() / key
    try:
        manifest = json.loads((entry / MANIFEST).read_text(encoding="utf-8"))
        files = [entry / str(name) for name in manifest["files"]]
        found = CachedHandouts(str(manifest["exercise_id"]), str(manifest["title"]), files)
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return found if all(f.is_file() for f in files) else None


def copy_out(entry: CachedHandouts, out_dir: Path) -> list[Path]:
    """Write the entry's PDFs into `out_dir` (each atomically); the paths written, in order."""
    written = []
    for source in entry.files:
        target = Path(out_dir) / source.name
        write_atomic(target, source.read_bytes())
        written.append(target)
    return written


def store(key: str, exercise_id: str, title: str, files: list[Path]) -> None:
    """Keep `files` under `key`; a failure to write the cache is ignored (it is only a cache)."""
    root = handouts_root()
    if (root / key).is_dir():
        return
    try:
        root.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".new-", dir=root))
    except OSError:
        return
    try:
        for source in files:
            shutil.copyfile(source, staging / source.name)
        manifest = {"exercise_id": exercise_id, "title": title, "files": [f.name for f in files]}
        (staging / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
        os.rename(staging, root / key)  # atomic; fails if another writer stored it first
    except OSError:
        shutil.rmtree(staging, ignore_errors=True)
