"""`tabletop handouts EXERCISE [-o DIR] [--paper letter|a4]`: print the whole handout set as PDFs."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ttx.safe_text import echo


def run(args: argparse.Namespace) -> int:
    """Check the exercise, then render every handout in a worker process.

    Exit 0: all written; 1: the exercise is invalid or rendering failed;
    2: the exercise file could not be read at all.
    """
    from ttx.report.jobs import prepare_worker, start_handouts

    # The worker loads WeasyPrint and the fonts while this process checks the exercise.
    prepare_worker()
    from ttx.commands.outputs import output_folder
    from ttx.commands.progress import wait_showing_progress
    from ttx.model.problems import ExerciseError
    from ttx.model.validate import load_exercise
    from ttx.paths import find_exercise

    path = find_exercise(args.exercise)
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
    paper = getattr(args, "paper", "letter") or "letter"
    job = start_handouts(path, out_dir, paper)
    ok = wait_showing_progress(job)
    if not ok:
        for line in str(job.error).splitlines():  # the worker's lines, each already one line
            echo(line if line.startswith("  ") else f"tabletop handouts: {line}", file=sys.stderr)
        for done in job.paths:
            echo(f"  (already written: {done})", file=sys.stderr)
        return 1
    echo(f"Wrote {len(job.paths)} documents for “{exercise.title}” to {out_dir} ({paper}):")
    for written in job.paths:
        echo(f"  {written.name}")
    return 0
