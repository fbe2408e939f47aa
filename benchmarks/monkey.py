"""The monkey for longer: many seeds, many steps, the demo and the flagship (run on demand).

    .venv/bin/python benchmarks/monkey.py --seeds 20 --steps 1000
    .venv/bin/python benchmarks/monkey.py --exercise exercises/across-the-line.yaml --seed 7

Each run drives the console with random keys, pastes (long, multi-paragraph,
markup, emoji sequences, right-to-left text, over the limit) and resizes down to
the minimum size, and checks that the app never stops with an error, never shows
the facilitator an error, and that replaying the journal gives the state on screen.
A failing run prints its seed and its last steps, to reproduce it.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.tui.monkey import Trouble, monkey, same_as_journal  # noqa: E402
from ttx.session.clock import FakeClock  # noqa: E402
from ttx.tui.app import make_app  # noqa: E402


class _Job:
    done = True
    path = None
    error = None

    def poll(self) -> None:
        return None

    def cancel(self) -> None:
        return None


class _Warmer:
    def prepare(self) -> None:
        return None

    def discard(self) -> None:
        return None


async def one(exercise: Path, seed: int, steps: int) -> str | None:
    """One run; None when it went well, else what went wrong."""
    with tempfile.TemporaryDirectory() as folder:
        journal = Path(folder) / "journal.sqlite3"
        app = make_app(
            journal,
            FakeClock(datetime(2026, 3, 2, 9, 0, tzinfo=UTC)),
            start="run",
            exercise=exercise,
            blink=False,
            animate=False,
            report_starter=lambda *args: _Job(),
            report_warmer=_Warmer(),
        )
        trouble = Trouble()
        trouble.watch(app)
        trouble.no_quitting(app)
        try:
            async with app.run_test(size=(120, 40)) as pilot:
                await pilot.pause()
                await pilot.press("ctrl+s")
                await pilot.pause()
                await pilot.press("m")
                await pilot.pause()
                await monkey(
                    pilot, app, seed, steps, trouble, check=lambda: same_as_journal(app, journal)
                )
                same_as_journal(app, journal)
        except AssertionError as problem:
            return str(problem)[-2000:]
    return None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--exercise", action="append", type=Path)
    parser.add_argument("--seed", type=int, default=1, help="first seed")
    parser.add_argument("--seeds", type=int, default=5, help="how many seeds per exercise")
    parser.add_argument("--steps", type=int, default=500)
    args = parser.parse_args()
    exercises = args.exercise or [
        ROOT / "exercises" / "demo.yaml",
        ROOT / "exercises" / "across-the-line.yaml",
    ]
    failed = 0
    for exercise in exercises:
        for seed in range(args.seed, args.seed + args.seeds):
            started = time.monotonic()
            problem = asyncio.run(one(exercise, seed, args.steps))
            took = time.monotonic() - started
            verdict = "ok" if problem is None else f"FAILED\n{problem}"
            print(f"{exercise.stem} seed {seed}: {args.steps} steps in {took:.1f} s: {verdict}")
            failed += problem is not None
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
