"""Where a keypress's time goes in the console: pyinstrument around Textual's headless pilot.

The console of a session in progress runs headless at 120x40 (Textual still lays out
and renders every frame; only the terminal write is skipped); each key is pressed N
times inside the profiler and the pilot waits for the screen to settle after each.

Run: .venv/bin/python benchmarks/profile_keypress.py [--quick] [--events N]
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from profiling import cumulative, hot_spots, tree
from sessions import FLAGSHIP, isolated_home, long_session
from stats import summary, table

from ttx.api import open_journal


async def profile_key(session_id: str, key: str, n: int) -> None:
    """Press `key` n times in the console, under pyinstrument, and print the hot spots."""
    from pyinstrument import Profiler

    from ttx.tui.app import make_app

    app = make_app(start="resume", session_id=session_id, animate=False, blink=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause(0.5)
        times = []
        profiler = Profiler(interval=0.0005, async_mode="disabled")
        profiler.start()
        for _ in range(n):
            t0 = time.perf_counter()
            await pilot.press(key)
            await pilot.wait_for_scheduled_animations()
            await pilot.pause()
            times.append(time.perf_counter() - t0)
        profiler.stop()
    s = summary(times)
    print(
        f"\n### `{key}` x {n} headless: median {s['median'] * 1000:.1f} ms, "
        f"p90 {s['p90'] * 1000:.1f} ms per press (profiler on)\n"
    )
    print(table(["where", "function", "s", "share"], hot_spots(profiler, 20)))
    print("\nInclusive time in ttx code and in widgets' rendering:\n")
    prefixes = ("ttx/", "textual/widgets/", "textual/_compositor", "textual/_styles_cache", "rich/")
    print(table(["where", "function", "s", "share"], cumulative(profiler, prefixes, 25)))
    print("\nCall tree (frames over 4 %):\n")
    print(table(["function", "where", "s", "share"], tree(profiler, 0.04, 14)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer presses")
    parser.add_argument("--events", type=int, default=200, help="events in the session")
    args = parser.parse_args()
    n = 20 if args.quick else 100
    isolated_home()
    with open_journal() as journal:
        sid = long_session(journal, FLAGSHIP, args.events)
    for key in ("h", "space"):
        asyncio.run(profile_key(sid, key, n))


if __name__ == "__main__":
    main()
