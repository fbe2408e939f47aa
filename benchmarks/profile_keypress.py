"""Where a keypress's time goes in the console, in-process and headless, with deterministic counts.

The console of a session in progress runs headless at 120x40 (Textual lays out and
renders every frame; only the terminal write is skipped). Each key is posted as a Key
event, as the terminal driver would, and timed until the compositor hands its screen
update to the driver. Per press it reports: latency (median, p90, without the profiler),
full re-layouts of the screen (`Compositor.reflow`), bytes of the update, and Python calls —
the last three do not depend on how busy the machine is. Then the hot spots.

Keys: `h` (notes), `space` (pause, recorded), `d` then Escape (decision dialog), and `n`
(next inject, recorded; in a session at the start of a move with injects to release).

Run: .venv/bin/python benchmarks/profile_keypress.py [--quick] [--events N] [--keys h,space]
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import io
import pstats
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))
from sessions import FLAGSHIP, isolated_home, long_session
from stats import summary, table
from textual import events
from textual._compositor import Compositor, CompositorUpdate
from textual.app import App

from ttx.api import open_journal


class Meter:
    """Counts re-layouts and the bytes of each screen update, and wakes whoever waits for one."""

    def __init__(self) -> None:
        self.reflows = 0
        self.bytes = 0
        self.waiter: asyncio.Future[float] | None = None
        meter = self
        display, reflow = App._display, Compositor.reflow

        def _display(app: App[Any], screen: Any, renderable: Any) -> None:
            if isinstance(renderable, CompositorUpdate):
                meter.bytes += len(renderable.render_segments(app.console))
                if meter.waiter is not None and not meter.waiter.done():
                    meter.waiter.set_result(time.perf_counter())
            display(app, screen, renderable)

        def _reflow(self: Compositor, *args: Any, **kwargs: Any) -> Any:
            meter.reflows += 1
            return reflow(self, *args, **kwargs)

        App._display = _display  # type: ignore[method-assign]
        Compositor.reflow = _reflow  # type: ignore[method-assign]


CHARS = {"space": " ", "escape": "\x1b", "enter": "\r"}


async def press(app: App[Any], meter: Meter, key: str) -> float:
    """Post `key` and return the seconds until its screen update reached the driver."""
    meter.waiter = asyncio.get_running_loop().create_future()
    t0 = time.perf_counter()
    app.post_message(events.Key(key, CHARS.get(key, key if len(key) == 1 else None)))
    done = await asyncio.wait_for(meter.waiter, 5)
    return done - t0


async def profile(session_id: str, keys: list[str], n: int, meter: Meter) -> list[list[Any]]:
    """Press each key sequence n times; a row of figures per key, and the hot spots printed."""
    from ttx.tui.app import make_app

    app = make_app(start="resume", session_id=session_id, animate=False, blink=False)
    rows: list[list[Any]] = []
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause(1.0)
        for sequence in keys:
            parts = sequence.split("+")
            times: dict[str, list[float]] = {k: [] for k in parts}
            profiler = cProfile.Profile()
            for _ in range(n):  # timed, without the profiler
                for key in parts:
                    await asyncio.sleep(0.05)  # the previous update settles
                    times[key].append(await press(app, meter, key))
            meter.reflows = meter.bytes = 0
            for _ in range(n):  # counted, with the profiler
                for key in parts:
                    await asyncio.sleep(0.05)
                    profiler.enable()
                    await press(app, meter, key)
                    profiler.disable()
            stats = pstats.Stats(profiler)
            presses = n * len(parts)
            for key in parts:
                s = summary(times[key])
                rows.append(
                    [
                        f"{key} (of {sequence})" if len(parts) > 1 else key,
                        n,
                        s["median"] * 1000,
                        s["p90"] * 1000,
                        f"{meter.reflows / presses:.2f}",
                        f"{meter.bytes / presses / 1024:.2f}",
                        f"{stats.total_calls / presses:,.0f}",  # type: ignore[attr-defined]
                    ]
                )
            out = io.StringIO()
            pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(12)
            print(f"\n#### `{sequence}`: top functions by own time (profiler on)\n\n```")
            print("\n".join(out.getvalue().strip().splitlines()[4:]))
            print("```")
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer presses")
    parser.add_argument("--events", type=int, default=200, help="events in the session")
    parser.add_argument("--keys", default="h,space", help="keys in the long session; a+b: a then b")
    args = parser.parse_args()
    n = 10 if args.quick else 40
    isolated_home()
    with open_journal() as journal:
        sid = long_session(journal, FLAGSHIP, args.events)
        from ttx.session.actions import EnterMove

        fresh = journal.create_session(FLAGSHIP)
        fresh.apply(EnterMove())
        fresh.apply(EnterMove())
        in_move = fresh.id
        fresh.close()
    meter = Meter()
    keys = [k for k in args.keys.split(",") if k]
    rows = asyncio.run(profile(sid, [k for k in keys if k != "n"], n, meter))
    # d needs a decision in the move, n an inject to release: a session at the start of move 1
    rows += asyncio.run(profile(in_move, ["d+escape", "n"], min(n, 4), meter))  # 9 injects
    print("\n### Keypress in-process (headless 120x40): key event to screen update\n")
    print(
        table(
            ["key", "presses", "median ms", "p90 ms", "re-layouts", "KB", "calls"],
            rows,
        )
    )


if __name__ == "__main__":
    main()
