"""Documents already printed, kept by content: an unchanged source is copied, not rendered again.

An entry is a folder `cache_dir()/<kind>/<key>/` ("handouts" or "reports") holding the
files and `manifest.json` (what the entry is, and its files in order). The key is a
SHA-256 of everything that decides the files' bytes (`ttx.report.handout_cache`,
`ttx.report.report_cache`); `code_hash` is the part every key shares: the ttx code,
templates and fonts that print.

Writers never share a folder: each fills a private temporary folder and renames it to
its key in one step (`os.rename` of a directory is atomic, and fails if another writer
got there first, whose copy is then kept). Readers see only complete entries.

The cache holds at most `TTX_CACHE_MB` megabytes (default 200; 0 keeps nothing). After
each store the least recently used entries go first until it fits; an entry is used
when it is stored or copied out (its manifest's modification time says when).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import tempfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import ttx
from ttx.paths import cache_dir, package_dir
from ttx.report.render import write_atomic

MANIFEST = "manifest.json"
KINDS = ("handouts", "reports")
LIMIT_VARIABLE = "TTX_CACHE_MB"
DEFAULT_LIMIT_MB = 200


@dataclass(frozen=True, slots=True)
class Entry:
    """A complete cache entry: what it is (the manifest's `about`) and its files, in order."""

    about: dict[str, str]
    files: list[Path]


def kind_root(kind: str) -> Path:
    """The folder of every cached entry of one kind."""
    return cache_dir() / kind


def limit_bytes() -> int:
    """The cache's size limit in bytes: `TTX_CACHE_MB` megabytes, or 200 when unset or not a number."""
    raw = os.environ.get(LIMIT_VARIABLE, "").strip()
    try:
        megabytes = float(raw) if raw else DEFAULT_LIMIT_MB
    except ValueError:
        megabytes = DEFAULT_LIMIT_MB
    return max(0, int(megabytes * 1024 * 1024))


def content_key(*parts: bytes | str) -> str:
    """The SHA-256 of the ttx version, `code_hash` and `parts`, each length-prefixed."""
    digest = hashlib.sha256()
    for part in (ttx.__version__, code_hash(), *parts):
        data = part.encode() if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "big") + data)
    return digest.hexdigest()


@cache
def code_hash() -> str:
    """The hash of the code, templates and fonts that turn an exercise or a session into documents."""
    root = package_dir()
    digest = hashlib.sha256()
    sources = [
        *sorted((root / "report").rglob("*.py")),
        *sorted((root / "report" / "templates").rglob("*.html")),
        *sorted((root / "report" / "templates").rglob("*.css")),
        *sorted((root / "model").rglob("*.py")),
        *sorted((root / "session").rglob("*.py")),
        root / "vocabulary.py",
        root / "wording.py",
    ]
    for path in sources:
        digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes())
    for font in sorted((root / "report" / "fonts").iterdir()):
        digest.update(f"{font.name}\0{font.stat().st_size}".encode())
    return digest.hexdigest()


def lookup(kind: str, key: str) -> Entry | None:
    """The complete entry for `key`, marked as just used; None if there is none."""
    folder = kind_root(kind) / key
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        files = [folder / str(name) for name in manifest["files"]]
        about = {str(k): str(v) for k, v in dict(manifest["about"]).items()}
    except (OSError, ValueError, KeyError, TypeError):
        return None
    with contextlib.suppress(OSError):  # a read-only cache is still read
        os.utime(folder / MANIFEST)
    return Entry(about, files) if all(f.is_file() for f in files) else None


def copy_out(entry: Entry, targets: list[Path]) -> bool:
    """Write the entry's files to `targets` (each atomically); False if the entry went meanwhile."""
    try:
        data = [source.read_bytes() for source in entry.files]
    except OSError:  # evicted by another ttx between the lookup and the copy
        return False
    for target, content in zip(targets, data, strict=True):
        write_atomic(target, content)
    return True


def store(kind: str, key: str, about: dict[str, str], files: list[Path]) -> None:
    """Keep `files` under `key`, then trim the cache to its limit; a failure is ignored (it is a cache)."""
    root = kind_root(kind)
    if limit_bytes() == 0 or (root / key).is_dir():
        return
    try:
        root.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".new-", dir=root))
    except OSError:
        return
    try:
        for source in files:
            shutil.copyfile(source, staging / source.name)
        manifest = {"about": about, "files": [f.name for f in files]}
        (staging / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
        os.rename(staging, root / key)  # atomic; fails if another writer stored it first
    except OSError:
        shutil.rmtree(staging, ignore_errors=True)
        return
    evict()


def evict(limit: int | None = None) -> list[Path]:
    """Remove the least recently used entries until the cache holds at most `limit` bytes
    (default `limit_bytes()`); the folders removed, oldest first."""
    limit = limit_bytes() if limit is None else limit
    entries: list[tuple[float, int, Path]] = []
    for kind in KINDS:
        with contextlib.suppress(OSError):
            for folder in kind_root(kind).iterdir():
                if folder.name.startswith(".") or not folder.is_dir():
                    continue  # another writer's staging folder
                with contextlib.suppress(OSError):
                    used = (folder / MANIFEST).stat().st_mtime
                    size = sum(f.stat().st_size for f in folder.iterdir() if f.is_file())
                    entries.append((used, size, folder))
    total = sum(size for _, size, _ in entries)
    removed = []
    for _, size, folder in sorted(entries):
        if total <= limit:
            break
        shutil.rmtree(folder, ignore_errors=True)
        total -= size
        removed.append(folder)
    return removed
