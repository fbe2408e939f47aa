"""`tabletop import SOURCE [-o FILE.yaml] [--force]`: another tool's scenario as an exercise.

The file is written only when it validates (it is checked before it replaces
anything), through a temporary file, and never over an existing file without
--force. Exit 0: written; 1: refused, or the result does not validate; 2: the source
cannot be used (missing, unreadable, not the expected shape).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import sys
from pathlib import Path

from ttx.commands.new import _quoted, _shown
from ttx.errors import Exit
from ttx.wording import counted


def target_path(exercise_id: str, output: str | None) -> Path:
    """`-o FILE`, `-o FOLDER/<id>.yaml`, or `./<id>.yaml`."""
    default_name = f"{exercise_id}.yaml"
    if output is None:
        return Path(default_name)
    path = Path(output).expanduser()
    return path / default_name if path.is_dir() else path


def run(args: argparse.Namespace) -> int:
    """Import, check, write; print what could not be carried over."""
    from ttx.importers import import_source
    from ttx.importers.writer import to_yaml

    source = Path(args.source).expanduser()
    imported = import_source(source)
    path = target_path(str(imported.exercise["id"]), args.output)
    shown = _shown(path)
    if path.exists() and path.is_dir():
        return _refuse(f"{shown} is a folder; give a file name with -o FILE.yaml")
    if path.exists() and not args.force:
        return _refuse(
            f"{shown} already exists; choose another name with -o FILE.yaml, "
            "or add --force to overwrite it"
        )
    if not path.parent.is_dir():
        return _refuse(
            f"the folder {_shown(path.parent)} does not exist; create it first or choose another -o path"
        )
    with contextlib.suppress(OSError):
        if path.resolve() == source.resolve():
            return _refuse(f"{shown} is the source itself; choose another -o FILE.yaml")
    text = to_yaml(imported, file_name=_quoted(shown))
    temporary = path.with_name(f".{path.name}.import.tmp")
    try:
        _copy_pictures(source.parent, path.parent, imported.pictures)
        temporary.write_text(text, encoding="utf-8")
        problems = _errors(temporary)
        if problems:
            temporary.unlink(missing_ok=True)
            print(
                f"tabletop import: the exercise imported from {source} does not validate, so "
                f"{shown} was not written (please report this with the source file):",
                file=sys.stderr,
            )
            for problem in problems[:20]:
                print(f"  {problem}", file=sys.stderr)
            return int(Exit.INVALID)
        os.replace(temporary, path)
    except OSError as exc:
        temporary.unlink(missing_ok=True)
        return _refuse(f"could not write {shown}: {exc.strerror or exc}")
    exercise = imported.exercise
    moves = exercise["moves"]
    injects = sum(len(m.get("injects", [])) for m in moves)
    decisions = sum(len(m.get("decisions", [])) for m in moves)
    print(
        f"Wrote {shown}, imported from {source.name} ({imported.kind}): "
        f"{counted(len(exercise['teams']), 'team')}, {counted(len(moves), 'move')}, "
        f"{counted(injects, 'inject')}, {counted(decisions, 'decision')}. It validates."
    )
    if imported.dropped:
        print("Could not carry over (also listed at the top of the file):")
        for sentence in imported.dropped:
            print(f"  - {sentence}")
    quoted = _quoted(shown)
    print(
        f"Next: tabletop validate {quoted}; tabletop handouts {quoted} -o DIR; "
        f"tabletop run {quoted}"
    )
    return int(Exit.OK)


def _errors(path: Path) -> list[str]:
    from ttx.model.problems import ExerciseError
    from ttx.model.validate import check_file

    try:
        _, problems = check_file(path)
    except ExerciseError as exc:
        return [str(p) for p in exc.problems]
    return [str(p) for p in problems if p.severity == "error"]


def _copy_pictures(source: Path, target: Path, names: list[str]) -> None:
    """Copy the pictures the exercise shows (named relative to the source's folder) beside the
    exercise being written, keeping their relative names; a different file already there is
    left alone and reported by the validation that follows."""
    if source.resolve() == target.resolve():
        return
    for name in dict.fromkeys(names):
        into = target / name
        if into.exists():
            continue
        into.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source / name, into)


def _refuse(message: str) -> int:
    print(f"tabletop import: {message}", file=sys.stderr)
    return int(Exit.INVALID)
