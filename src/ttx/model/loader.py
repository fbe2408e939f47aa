"""A safe, bounded YAML reader that remembers where every value came from.

It never calls PyYAML's object constructor or its recursive composer: it walks the
parser's event stream (libyaml's when available, which is fast and iterative; the
pure-Python one otherwise) with an explicit stack, so deep nesting is
refused at `MAX_DEPTH` instead of crashing the interpreter, alias expansion is
counted (an alias bomb is refused before anything walks it), duplicate keys are
reported, and only the plain YAML scalar types are built. Tags such as
`!!python/object` are refused without running anything.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import ScalarNode
from yaml.resolver import Resolver

from ttx.model.problems import ExerciseError, Problem
from ttx.model.yaml_messages import reader_problem, syntax_problem, too_deep_problem

MAX_BYTES = 1024 * 1024
"""The largest exercise file read; the biggest real exercise is a small fraction of it."""
MAX_DEPTH = 64
MAX_NODES = 50_000
"""The most values a document may expand to (aliases counted at full size)."""
MAX_CHARS = 4 * MAX_BYTES
"""The most characters of text a document may expand to (aliases counted at full size).

Counting values alone let one 100 KB string aliased 5,000 times (a 203 KB file) pass,
then take gigabytes in every step that walks it (handouts, the journal's snapshot).
"""

_Parser: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

Path_ = tuple[str | int, ...]

_PLAIN_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
}
_MAP_TAG = "tag:yaml.org,2002:map"
_SEQ_TAG = "tag:yaml.org,2002:seq"


@dataclass
class Document:
    """YAML data as plain Python values, with the line and column of each value and key."""

    file: str
    data: Any
    positions: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    key_positions: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def where(self, path: Path_, *, key: bool = False) -> tuple[int | None, int | None]:
        """Line and column (1-based) of the value at `path`, or of its nearest known parent."""
        table = self.key_positions if key else self.positions
        for cut in range(len(path), -1, -1):
            prefix = tuple(path[:cut])
            if key and prefix in table:
                return table[prefix]
            if prefix in self.positions:
                return self.positions[prefix]
        return (None, None)


@dataclass
class _Frame:
    """An open mapping or sequence while walking events."""

    value: dict[str, Any] | list[Any]
    path: Path_
    anchor: str | None
    start: tuple[int, int] = (0, 0)
    size: int = 1
    chars: int = 0
    pending_key: str | None = None
    pending_key_mark: tuple[int, int] | None = None
    key_is_bad: bool = False
    merged: set[str] = field(default_factory=set)


def _is_plain_text(text: str, implicit: tuple[bool, bool], firsts: frozenset[str]) -> bool:
    """True when an untagged scalar is surely a string: quoted, or not starting like a number/bool/null."""
    if not implicit[0]:
        return True
    return bool(text) and text[0] not in firsts


def _short_tag(tag: str) -> str:
    """A tag as an author writes it (`!!python/object`), cut short if it is very long."""
    prefix = "tag:yaml.org,2002:"
    short = "!!" + tag.removeprefix(prefix) if tag.startswith(prefix) else tag
    return short if len(short) <= 60 else short[:59] + "…"


def _mark(event: Any) -> tuple[int, int]:
    mark = event.start_mark
    return (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)


def read_text(path: Path) -> str:
    """Read a file as UTF-8 text, refusing what cannot be an exercise (exit-2 problems)."""
    name = str(path)

    def unusable(
        message: str, fix: str, line: int | None = None, col: int | None = None
    ) -> ExerciseError:
        return ExerciseError([Problem(name, line, col, message, fix)], unusable=True)

    try:
        if path.is_dir():
            raise unusable(
                "is a folder, not a file",
                "name a .yaml file, or pass the folder to `tabletop validate`",
            )
        if not path.is_file() and path.exists():
            raise unusable("is not a regular file", "name a .yaml file", 1, 1)
        with path.open("rb") as handle:
            raw = handle.read(MAX_BYTES + 1)
            size = max(len(raw), path.stat().st_size)
    except FileNotFoundError:
        raise unusable("no such file", "check the path and the spelling of the file name") from None
    except PermissionError:
        raise unusable(
            "permission denied reading the file", "check the file's permissions", 1, 1
        ) from None
    except OSError as exc:
        raise unusable(
            f"cannot read the file ({exc.strerror or exc})", "check the path and the disk", 1, 1
        ) from None
    if len(raw) > MAX_BYTES:
        line = raw[:MAX_BYTES].count(b"\n") + 1
        raise unusable(
            f"file is too large ({_megabytes(size)}; the limit is {_megabytes(MAX_BYTES)}, "
            f"passed at line {line})",
            "an exercise is text, not data: remove pasted material or split the exercise",
            line,
            1,
        )
    if b"\x00" in raw[:8192] or raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        at = raw.find(b"\x00")
        line = raw[: max(at, 0)].count(b"\n") + 1
        raise unusable(
            "this is a binary file (or UTF-16/UTF-32 text), not a YAML exercise",
            "save the exercise as plain UTF-8 text",
            line,
            max(at, 0) - (raw.rfind(b"\n", 0, max(at, 0)) + 1) + 1,
        )
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        col = exc.start - (before.rfind(b"\n") + 1) + 1
        guess = raw[exc.start : exc.start + 1].hex().upper()
        raise unusable(
            f"file is not UTF-8 text (byte 0x{guess} at line {line}, column {col}; "
            "it looks like Latin-1 or Windows-1252)",
            "re-save the file as UTF-8 in your editor (e.g. 'Save with encoding: UTF-8')",
            line,
            col,
        ) from None


def _megabytes(size: int) -> str:
    return f"{size / 1_048_576:.1f} MB"


def read_yaml(path: Path, text: str | None = None) -> Document:
    """Read one YAML document safely; raise ExerciseError when it cannot be read at all."""
    name = str(path)
    if text is None:
        text = read_text(path)
    if len(text.encode("utf-8", "surrogatepass")) > MAX_BYTES:
        raise ExerciseError(
            [
                Problem(
                    name,
                    1,
                    1,
                    f"the text is too large (limit {_megabytes(MAX_BYTES)})",
                    "remove pasted material or split the exercise",
                )
            ],
            unusable=True,
        )
    doc = Document(file=name, data=None)
    try:
        _walk(yaml.parse(text, Loader=_Parser), doc)
    except yaml.MarkedYAMLError as exc:
        # The parser may stop deep brackets by a limit of its own (libyaml's, at about
        # 1,000 levels) before our MAX_DEPTH check sees them: report ours either way.
        deep = too_deep_problem(name, text, exc, MAX_DEPTH)
        raise ExerciseError([deep or syntax_problem(name, exc, text)]) from None
    except yaml.reader.ReaderError as exc:
        raise ExerciseError([reader_problem(name, exc, text)]) from None
    except yaml.YAMLError as exc:
        raise ExerciseError(
            [Problem(name, None, None, f"YAML error: {exc}", "fix the YAML syntax")]
        ) from None
    except RecursionError:
        raise ExerciseError(
            [
                Problem(
                    name,
                    1,
                    1,
                    "nesting is too deep",
                    f"keep nesting under {MAX_DEPTH} levels",
                )
            ]
        ) from None
    if () not in doc.positions and not doc.problems:
        raise ExerciseError(
            [
                Problem(
                    name,
                    1,
                    1,
                    "the file is empty (or holds only comments)",
                    'start from `tabletop new "Title"` or copy exercises/demo.yaml',
                )
            ]
        )
    return doc


class _Stop(Exception):
    """Raised inside the walk to stop at the first fatal problem."""

    def __init__(self, problem: Problem) -> None:
        self.problem = problem


def _walk(events: Any, doc: Document) -> None:
    try:
        _walk_events(events, doc)
    except _Stop as stop:
        raise ExerciseError([*doc.problems, stop.problem]) from None


def _walk_events(events: Any, doc: Document) -> None:
    """Build `doc.data` from the parser's events (see `_Walker`)."""
    walker = _Walker(doc)
    for event in events:
        walker.feed(event)


class _Walker:
    """Builds plain values from YAML events with an explicit stack, within the budgets.

    `feed` takes one event; `place` attaches each finished value to its parent (a key,
    a mapping value or a list item) and counts it against `MAX_NODES` and `MAX_CHARS`.
    """

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.stack: list[_Frame] = []
        self.anchors: dict[str, tuple[Any, int, int]] = {}
        self.total = 0
        self.total_chars = 0
        self.documents = 0
        self.aliased = False
        self.resolver = Resolver()
        self.implicit_firsts = frozenset(k for k in self.resolver.yaml_implicit_resolvers if k)
        self.constructor = SafeConstructor()

    def fatal(self, at: tuple[int, int], message: str, fix: str) -> _Stop:
        """The stop at the first problem that ends the walk."""
        return _Stop(Problem(self.doc.file, at[0], at[1], message, fix))

    # -- events --

    def feed(self, event: Any) -> None:
        """Take one parser event."""
        if type(event) is yaml.ScalarEvent and event.tag is None:
            text = event.value
            if _is_plain_text(text, event.implicit, self.implicit_firsts):
                self.place(text, 1, _mark(event), event.anchor, 1, len(text))  # the common case
                return
            if text.isascii() and text.isdigit() and (len(text) == 1 or text[0] != "0"):
                self.place(int(text), 1, _mark(event), event.anchor, 1, len(text))
                return
        if isinstance(event, yaml.DocumentStartEvent):
            self.document_start(event)
        elif isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            self.open(event)
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            frame = self.stack.pop()
            self.place(frame.value, frame.size, frame.start, frame.anchor, 1, frame.chars, 0)
        elif isinstance(event, yaml.ScalarEvent):
            self.scalar(event)
        elif isinstance(event, yaml.AliasEvent):
            self.alias(event)

    def document_start(self, event: Any) -> None:
        """Count documents: an exercise file holds one."""
        self.documents += 1
        if self.documents > 1:
            raise self.fatal(
                _mark(event),
                "the file holds more than one YAML document ('---' separates them)",
                "keep one exercise per file; remove the second '---' and what follows, or split the file",
            )

    def open(self, event: Any) -> None:
        """Start a mapping or a sequence, within `MAX_DEPTH`."""
        is_map = isinstance(event, yaml.MappingStartEvent)
        self.check_tag(event, _MAP_TAG if is_map else _SEQ_TAG)
        if len(self.stack) >= MAX_DEPTH:
            raise self.fatal(
                _mark(event),
                f"nesting is deeper than {MAX_DEPTH} levels",
                "flatten the structure; an exercise never needs this depth",
            )
        container: dict[str, Any] | list[Any] = {} if is_map else []
        self.stack.append(_Frame(container, self.child_path(), event.anchor, start=_mark(event)))

    def scalar(self, event: Any) -> None:
        """A tagged or implicitly typed scalar: only the plain YAML types are built."""
        tag = event.tag
        if tag in (None, "!"):
            tag = self.resolver.resolve(ScalarNode, event.value, event.implicit)  # type: ignore[no-untyped-call]
        elif tag not in _PLAIN_TAGS:
            raise self.fatal(
                _mark(event),
                f"the tag '{_short_tag(tag)}' is not allowed in an exercise",
                "remove the tag; exercises use plain YAML values only",
            )
        if tag in ("tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:str"):
            value: Any = event.value
        else:
            try:
                value = self.constructor.construct_object(ScalarNode(tag, event.value))
            except (yaml.YAMLError, ValueError, OverflowError):
                value = event.value
        self.place(value, 1, _mark(event), event.anchor, 1, len(event.value))

    def alias(self, event: Any) -> None:
        """An alias counts at the full size of its anchor's value."""
        if event.anchor not in self.anchors:
            raise self.fatal(
                _mark(event),
                f"alias *{event.anchor} has no anchor &{event.anchor} before it",
                "define the anchor first",
            )
        value, size, chars = self.anchors[event.anchor]
        self.aliased = True
        self.place(value, size, _mark(event), None, new=size, chars=chars)

    def check_tag(self, event: Any, expected: str) -> None:
        """Refuse a container tagged as anything but a plain mapping or sequence."""
        tag = event.tag
        if tag in (None, "!", expected):
            return
        raise self.fatal(
            _mark(event),
            f"the tag '{_short_tag(tag)}' is not allowed in an exercise",
            "remove the tag; exercises use plain YAML values only",
        )

    # -- values --

    def place(
        self,
        value: Any,
        size: int,
        at: tuple[int, int],
        anchor: str | None,
        new: int = 1,
        chars: int = 0,
        new_chars: int | None = None,
    ) -> None:
        """Attach a finished value to its parent.

        `size` and `chars` are the values and characters it holds; `new` and `new_chars`
        how many it adds to the document's totals (a container's were added as its
        children were placed; an alias adds its anchor's at full size).
        """
        self.count(at, new, chars if new_chars is None else new_chars)
        if anchor is not None:
            self.anchors[anchor] = (value, size, chars)
        if not self.stack:
            self.doc.data = value
            self.doc.positions[()] = at
            return
        parent = self.stack[-1]
        parent.size += size
        parent.chars += chars
        if isinstance(parent.value, list):
            path = (*parent.path, len(parent.value))
            parent.value.append(value)
            self.doc.positions.setdefault(path, at)
        elif parent.pending_key is None and not parent.key_is_bad:
            self.place_key(parent, value, at)
        elif parent.key_is_bad:
            parent.key_is_bad = False
        else:
            self.place_value(parent, value, at)

    def count(self, at: tuple[int, int], values: int, chars: int) -> None:
        """Add to the document's totals; stop past `MAX_CHARS` or `MAX_NODES`."""
        self.total += values
        self.total_chars += chars
        if self.total_chars > MAX_CHARS:
            raise self.fatal(
                at,
                f"the document expands to more than {MAX_CHARS:,} characters of text"
                + (" (aliases count at full size)" if self.aliased else ""),
                "use fewer aliases (*name) of long text, or shorten the text; "
                "an exercise needs far less",
            )
        if self.total > MAX_NODES and self.aliased:
            raise self.fatal(
                at,
                f"the document expands to more than {MAX_NODES:,} values (an alias bomb?)",
                "use fewer anchors and aliases (&name / *name), or write the values out",
            )
        if self.total > MAX_NODES:
            raise self.fatal(
                at,
                f"the document holds more than {MAX_NODES:,} values; an exercise needs far fewer",
                "remove pasted data, or split the exercise",
            )

    def place_key(self, parent: _Frame, value: Any, at: tuple[int, int]) -> None:
        """A mapping's key: a plain word; a duplicate is reported and its value skipped."""
        if not isinstance(value, str) or isinstance(value, bool):
            if isinstance(value, (dict, list)):
                raise self.fatal(
                    at, "a key cannot be a list or a mapping", "use a plain word as the key"
                )
            value = (
                "null"
                if value is None
                else str(value).lower()
                if isinstance(value, bool)
                else str(value)
            )
        path = (*parent.path, value)
        if value in parent.merged:
            parent.merged.discard(value)  # an explicit key overrides a merged one
        elif value in parent.value:
            line, col = at
            first = self.doc.key_positions.get(path, (None, None))[0]
            self.doc.problems.append(
                Problem(
                    self.doc.file,
                    line,
                    col,
                    f"duplicate key '{value}'" + (f" (first at line {first})" if first else ""),
                    "keep one of them; YAML would silently use the last",
                )
            )
            parent.key_is_bad = True
            parent.pending_key = None
            return
        parent.pending_key = value
        parent.pending_key_mark = at

    def place_value(self, parent: _Frame, value: Any, at: tuple[int, int]) -> None:
        """A mapping's value under its pending key (a `<<` merge copies keys instead)."""
        key = parent.pending_key
        assert key is not None and isinstance(parent.value, dict)
        path = (*parent.path, key)
        if key == "<<" and _mergeable(value):
            self.merge(parent, value, parent.pending_key_mark or at)
            return
        parent.value[key] = value
        self.doc.positions[path] = at
        if parent.pending_key_mark:
            self.doc.key_positions[path] = parent.pending_key_mark
        parent.pending_key = None

    def merge(self, parent: _Frame, value: Any, at: tuple[int, int]) -> None:
        """Apply a YAML merge key (`<<: *defaults`): copy keys the mapping does not set."""
        assert isinstance(parent.value, dict)
        for source in value if isinstance(value, list) else [value]:
            for key, item in source.items():
                if key not in parent.value:
                    parent.value[key] = item
                    parent.merged.add(key)
                    self.doc.positions[(*parent.path, key)] = at
                    self.doc.key_positions[(*parent.path, key)] = at
        parent.pending_key = None

    def child_path(self) -> Path_:
        """The path of the value about to start."""
        if not self.stack:
            return ()
        parent = self.stack[-1]
        if isinstance(parent.value, list):
            return (*parent.path, len(parent.value))
        return (*parent.path, parent.pending_key or "?")


def _mergeable(value: Any) -> bool:
    if isinstance(value, dict):
        return True
    return isinstance(value, list) and bool(value) and all(isinstance(v, dict) for v in value)


_SKIP_DIRS = frozenset({"__pycache__", "node_modules"})


def is_folder(path: Path) -> bool:
    """`path.is_dir()`, False instead of raising (a name too long, a bad path): reading says why."""
    try:
        return path.is_dir()
    except (OSError, ValueError):
        return False


def exercise_files(paths: list[str]) -> list[Path]:
    """Expand files and folders into the .yaml/.yml files to validate, sorted.

    Inside folders, hidden files and folders (`.git`, `.venv`) and `__pycache__` and
    `node_modules` are skipped; a file named explicitly is always checked.
    """
    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if is_folder(path):
            for root, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in _SKIP_DIRS)
                found.extend(
                    Path(root) / f
                    for f in sorted(files)
                    if f.endswith((".yaml", ".yml")) and not f.startswith(".")
                )
        else:
            found.append(path)
    return found
