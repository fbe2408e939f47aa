"""`tabletop validate PATH...`: check exercise files and explain every problem; exit 0, 1 or 2."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from ttx.model.loader import exercise_files, is_folder
from ttx.model.problems import ExerciseError, Problem
from ttx.model.validate import check_file
from ttx.paths import ExerciseNotFound, find_exercise
from ttx.safe_text import echo
from ttx.wording import counted

OK, INVALID, UNUSABLE = 0, 1, 2


@dataclass
class FileResult:
    """What checking one file found."""

    path: str
    problems: list[Problem] = field(default_factory=list)
    unusable: bool = False

    @property
    def errors(self) -> int:
        """How many problems are errors."""
        return sum(p.severity == "error" for p in self.problems)

    @property
    def warnings(self) -> int:
        """How many problems are warnings."""
        return sum(p.severity == "warning" for p in self.problems)


def check_one(path: Path) -> FileResult:
    """Check one file; whatever happens, return a result instead of raising."""
    result = FileResult(str(path))
    try:
        _, result.problems = check_file(path)
    except ExerciseError as exc:
        result.problems = list(exc.problems)
        result.unusable = exc.unusable
    except (RecursionError, MemoryError):
        result.problems = [
            Problem(
                str(path),
                1,
                1,
                "the file is too deeply nested or too large to check",
                "simplify the structure; an exercise never needs this",
            )
        ]
    except Exception as exc:  # the boundary: one line per file, never a traceback
        result.problems = [
            Problem(
                str(path),
                1,
                1,
                f"internal error while checking ({type(exc).__name__}: {str(exc)[:200]})",
                "please report this with the file attached",
            )
        ]
    return result


def _inputs(raw: list[str]) -> Iterator[Path | FileResult]:
    """The files to check, in order, and a result for each folder that holds none."""
    for item in raw:
        try:
            path = find_exercise(item)
        except ExerciseNotFound as exc:
            yield FileResult(item, [Problem(item, None, None, str(exc), "")], unusable=True)
            continue
        if not is_folder(path):
            yield path
            continue
        found = exercise_files([item])
        if not found:
            problem = Problem(
                item,
                None,
                None,
                "this folder holds no .yaml or .yml files",
                "name an exercise file or another folder",
            )
            yield FileResult(item, [problem], unusable=True)
        yield from found


def validate_paths(raw: list[str], out: TextIO, *, quiet: bool = False) -> int:
    """Check every file under `raw`, print the report to `out` as it goes, return the exit code."""
    results: list[FileResult] = []
    for item in _inputs(raw):
        result = item if isinstance(item, FileResult) else check_one(item)
        results.append(result)
        for problem in result.problems:
            echo(problem, file=out)
        if not quiet and not result.unusable and result.errors == 0:
            note = f" ({counted(result.warnings, 'warning')})" if result.warnings else ""
            echo(f"{result.path}: ok{note}", file=out)
    echo(_summary(results), file=out)
    if any(r.unusable for r in results):
        return UNUSABLE
    return INVALID if any(r.errors for r in results) else OK


def _summary(results: list[FileResult]) -> str:
    unusable = sum(r.unusable for r in results)
    invalid = sum(1 for r in results if r.errors and not r.unusable)
    valid = len(results) - unusable - invalid
    parts = [f"{valid} valid", f"{invalid} invalid"] + (
        [f"{unusable} unusable"] if unusable else []
    )
    errors = sum(r.errors for r in results)
    warnings = sum(r.warnings for r in results)
    return (
        f"{counted(len(results), 'file')} checked: {', '.join(parts)} "
        f"({counted(errors, 'error')}, {counted(warnings, 'warning')})"
    )


def run(args: argparse.Namespace) -> int:
    """Entry point for `tabletop validate`."""
    return validate_paths(list(args.paths), sys.stdout, quiet=bool(args.quiet))
