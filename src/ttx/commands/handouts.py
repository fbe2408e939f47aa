"""`tabletop handouts EXERCISE [-o DIR] [--paper letter|a4]`: print the whole handout set as PDFs."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ttx.safe_text import echo


def run(args: argparse.Namespace) -> int:
    """Copy the handouts printed before from the cache, or check the exercise and render them.

    Exit 0: all written; 1: the exercise is invalid or rendering failed;
    2: the exercise file could not be read at all.
    """
    from ttx.commands.outputs import output_folder
    from ttx.paths import find_exercise
    from ttx.report import handout_cache

    path = find_exercise(args.exercise)
    paper = getattr(args, "paper", "letter") or "letter"
    key = handout_cache.handouts_key(path, paper)
    cached = handout_cache.lookup(key) if key is not None else None
    if cached is not None:  # printed before from the same bytes by the same ttx
        out_dir = output_folder(args.output, Path("handouts") / cached.exercise_id)
        written = handout_cache.copy_out(cached, out_dir)
        if written is not None:  # None: another ttx trimmed the cache meanwhile; render
            return _wrote(
                written,
                cached.title,
                out_dir,
                paper,
                "; unchanged since printed, copied from the cache",
            )

    from ttx.report.jobs import prepare_worker, start_handouts

    # The worker loads WeasyPrint and the fonts while this process checks the exercise.
    prepare_worker()
    from ttx.commands.progress import wait_showing_progress
    from ttx.model.problems import ExerciseError
    from ttx.model.validate import load_exercise

    try:
        exercise = load_exercise(path)
    except ExerciseError as exc:
        echo(
            f"tabletop handouts: {path} cannot be printed until these problems are fixed:",
            file=sys.stderr,
        )
        for problem in exc.problems:
            echo(f"  {problem}", file=sys.stderr)
        return int(exc.exit_code)
    out_dir = output_folder(args.output, Path("handouts") / exercise.id)
    job = start_handouts(path, out_dir, paper)
    ok = wait_showing_progress(job)
    if not ok:
        for line in str(job.error).splitlines():  # the worker's lines, each already one line
            echo(line if line.startswith("  ") else f"tabletop handouts: {line}", file=sys.stderr)
        for done in job.paths:
            echo(f"  (already written: {done})", file=sys.stderr)
        return 1
    return _wrote(job.paths, exercise.title, out_dir, paper)


def _wrote(paths: list[Path], title: str, out_dir: Path, paper: str, how: str = "") -> int:
    echo(f"Wrote {len(paths)} documents for “{title}” to {out_dir} ({paper}{how}):")
    for written in paths:
        echo(f"  {written.name}")
    return 0
