"""The exercises the home screen offers: shipped ones and the user's own, each summarised or its problem.

Reading an exercise means YAML with positions and pydantic validation (and importing
both, a few hundred ms in a fresh process), so what the list shows of each file is kept
in a small JSON cache (`ttx.paths.cache_dir()`). An entry is used only while the file's
size, modification time and SHA-256 of its bytes are the ones it was made from, and
while the validating code is the same (ttx version and the `ttx.model` sources' sizes
and times); otherwise the file is read again. A cache that cannot be read or written is
ignored: the list is then built the slow way, never wrong.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ttx.paths import cache_dir, shipped_exercises_dir, user_exercises_dir

if TYPE_CHECKING:
    from ttx.model.exercise import Exercise

CACHE_NAME = "exercise-summaries.json"
CACHE_FORMAT = 1
MAX_CACHED_BYTES = 1 << 20
"""Larger files are not cached (the loader refuses them anyway, without parsing)."""


@dataclass(frozen=True)
class Summary:
    """What the home screen shows of a valid exercise."""

    id: str
    title: str
    version: str
    duration_minutes: int
    teams: tuple[str, ...]
    moves: int
    summary: str

    @classmethod
    def of(cls, exercise: Exercise) -> Summary:
        """The summary of a loaded exercise."""
        return cls(
            id=exercise.id,
            title=exercise.title,
            version=exercise.version,
            duration_minutes=exercise.duration_minutes,
            teams=tuple(team.name for team in exercise.teams),
            moves=len(exercise.moves),
            summary=exercise.summary,
        )


@dataclass(frozen=True)
class Entry:
    """One exercise file: where it is, whether it ships with ttx, and its summary or its problem."""

    path: Path
    shipped: bool
    summary: Summary | None
    problem: str | None


def _files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.suffix in {".yaml", ".yml"} and p.is_file())


def load_entry(path: Path, shipped: bool) -> Entry:
    """Load one exercise file; a broken one becomes an entry carrying its first problem."""
    return _load(path, shipped)[0]


def _load(path: Path, shipped: bool) -> tuple[Entry, bool]:
    """The entry, and whether it depends only on the file's bytes (so it may be cached)."""
    from ttx.model import ExerciseError, load_exercise

    try:
        return Entry(path, shipped, Summary.of(load_exercise(path)), None), True
    except ExerciseError as error:
        first = str(error.problems[0]) if error.problems else str(error)
        # "unusable" covers a missing or unreadable file too: that may pass, so it is not kept
        return Entry(path, shipped, None, first), not error.unusable
    except Exception as error:  # an unreadable file must not stop the home screen
        return Entry(path, shipped, None, f"{path.name}: {error}"), False


def catalogue() -> list[Entry]:
    """Every exercise the user can start: the shipped ones first, then the user's own folder."""
    cache = _SummaryCache.read()
    entries = [cache.entry(path, shipped) for path, shipped in _listed()]
    cache.write()
    return entries


def cached_catalogue() -> list[Entry] | None:
    """The catalogue when every file is unchanged since it was cached (None: some must be read).

    Quick (no YAML, no pydantic): the home screen fills its list with it before its first
    paint, and reads the files in a thread only when this is None.
    """
    cache = _SummaryCache.read()
    entries = []
    for path, shipped in _listed():
        entry = cache.cached(path, shipped)
        if entry is None:
            return None
        entries.append(entry)
    cache.write()  # drops the files no longer listed
    return entries


def _listed() -> list[tuple[Path, bool]]:
    listed = [(p, True) for p in _files(shipped_exercises_dir())]
    return listed + [(p, False) for p in _files(user_exercises_dir())]


def code_fingerprint() -> str:
    """Identifies the code that validates and summarises exercises (a change empties the cache).

    The ttx version, and the size and time of this file, of `ttx.model`'s sources and of
    the libraries whose messages the problems carry (pydantic, pydantic-core, PyYAML).
    """
    from importlib.util import find_spec

    from ttx import __version__

    model = Path(__file__).resolve().parent.parent / "model"
    sources = [Path(__file__).resolve(), *sorted(model.glob("*.py"))]
    for library in ("pydantic", "pydantic_core", "yaml"):
        spec = find_spec(library)
        if spec is not None and spec.origin:
            sources.append(Path(spec.origin))
    parts = [__version__]
    for source in sources:
        try:
            stat = source.stat()
        except OSError:
            parts.append(f"{source}:missing")
            continue
        parts.append(f"{source}:{stat.st_size}:{stat.st_mtime_ns}")
    return "|".join(parts)


class _SummaryCache:
    """The cache file's entries, keyed by the exercise file's path (see the module docstring)."""

    def __init__(self, path: Path, fingerprint: str, records: dict[str, Any]) -> None:
        self.path = path
        self.fingerprint = fingerprint
        self.old = records
        self.new: dict[str, Any] = {}
        self.changed = False

    @classmethod
    def read(cls) -> _SummaryCache:
        """The cache as stored; empty when missing, unreadable, corrupt or made by other code."""
        fingerprint = code_fingerprint()
        path = cache_dir() / CACHE_NAME
        records: dict[str, Any] = {}
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if (
                isinstance(data, dict)
                and data.get("format") == CACHE_FORMAT
                and data.get("code") == fingerprint
                and isinstance(data.get("files"), dict)
            ):
                records = data["files"]
        except (OSError, ValueError):
            pass
        return cls(path, fingerprint, records)

    def cached(self, path: Path, shipped: bool, key: dict[str, Any] | None = None) -> Entry | None:
        """The entry for one file if the cache has it for the file's current bytes, else None."""
        key = key or _key(path)
        name = str(path)
        found = _from_record(self.old.get(name), key, path, shipped) if key else None
        if found is not None:
            self.new[name] = self.old[name]
        return found

    def entry(self, path: Path, shipped: bool) -> Entry:
        """The entry for one file: from the cache if the file is unchanged, else read now."""
        key = _key(path)
        if key is None:  # unreadable or too large: the loader gives the message
            self.changed = True
            return load_entry(path, shipped)
        cached = self.cached(path, shipped, key)
        if cached is not None:
            return cached
        name = str(path)
        entry, cacheable = _load(path, shipped)
        self.changed = True
        if cacheable:
            self.new[name] = {
                **key,
                "summary": asdict(entry.summary) if entry.summary else None,
                "problem": entry.problem,
            }
        return entry

    def write(self) -> None:
        """Store the entries of this listing (silently skipped when the folder is not writable)."""
        if not self.changed and self.new.keys() == self.old.keys():
            return
        data = {"format": CACHE_FORMAT, "code": self.fingerprint, "files": self.new}
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, temp = tempfile.mkstemp(dir=self.path.parent, prefix=".summaries-", suffix=".tmp")
            try:
                with os.fdopen(fd, "w", encoding="utf-8") as handle:
                    json.dump(data, handle, ensure_ascii=False)
                os.replace(temp, self.path)
            except BaseException:
                with contextlib.suppress(OSError):
                    os.unlink(temp)
                raise
        except OSError:
            pass  # a cache is only a shortcut


def _key(path: Path) -> dict[str, Any] | None:
    """Size, modification time and SHA-256 of a file's bytes (None: unreadable or too large)."""
    try:
        stat = path.stat()
        if stat.st_size > MAX_CACHED_BYTES:
            return None
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None
    return {"size": stat.st_size, "mtime_ns": stat.st_mtime_ns, "sha256": digest}


def _from_record(record: Any, key: dict[str, Any], path: Path, shipped: bool) -> Entry | None:
    """The cached entry if `record` was made from exactly this file's bytes, else None."""
    if not isinstance(record, dict) or any(record.get(k) != v for k, v in key.items()):
        return None
    try:
        problem = record.get("problem")
        raw = record.get("summary")
        if raw is None:
            return Entry(path, shipped, None, str(problem)) if isinstance(problem, str) else None
        summary = Summary(
            id=str(raw["id"]),
            title=str(raw["title"]),
            version=str(raw["version"]),
            duration_minutes=int(raw["duration_minutes"]),
            teams=tuple(str(team) for team in raw["teams"]),
            moves=int(raw["moves"]),
            summary=str(raw["summary"]),
        )
    except (KeyError, TypeError, ValueError):
        return None
    return Entry(path, shipped, summary, None)
