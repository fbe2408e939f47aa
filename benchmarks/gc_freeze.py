"""What `gc.freeze()` after the warm-up saves: the facilitator guide's render CPU in fresh
processes, with and without it, interleaved (the worker freezes; see `processes.keep_loaded`).

Run: .venv/bin/python benchmarks/gc_freeze.py [--repeat 6] [--exercise FILE]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FLAGSHIP = ROOT / "exercises" / "across-the-line.yaml"


def one(exercise: Path, freeze: bool) -> dict[str, float]:
    """Warm up, optionally freeze, then render the guide once: CPU seconds of the render."""
    from ttx.model.validate import load_exercise
    from ttx.report import processes, render
    from ttx.report.handouts import handout_set

    render.warm_up()
    html = handout_set(load_exercise(exercise))[-1].html("letter")
    if freeze:
        processes.keep_loaded()
    c0 = time.process_time()
    render.render_pdf(html)
    return {"cpu": time.process_time() - c0}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--exercise", type=Path, default=FLAGSHIP)
    parser.add_argument("--repeat", type=int, default=6)
    parser.add_argument("--one", choices=["freeze", "plain"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(one(args.exercise, args.one == "freeze")))
        return
    print(f"load average at start: {os.getloadavg()}")
    cpu: dict[str, list[float]] = {"plain": [], "freeze": []}
    for _ in range(args.repeat):
        for kind in cpu:
            env = {**os.environ, "TTX_HOME": tempfile.mkdtemp(prefix="ttx-bench-")}
            out = subprocess.run(
                [sys.executable, __file__, "--one", kind, "--exercise", str(args.exercise)],
                env=env,
                capture_output=True,
                text=True,
                check=True,
            )
            cpu[kind].append(json.loads(out.stdout)["cpu"])
    for kind, values in cpu.items():
        runs = ", ".join(f"{v:.2f}" for v in values)
        print(f"guide render CPU, {kind}: median {statistics.median(values):.2f} s ({runs})")
    saved = 1 - statistics.median(cpu["freeze"]) / statistics.median(cpu["plain"])
    print(f"saved by gc.freeze(): {saved:.0%}")
    print(f"load average at end: {os.getloadavg()}")


if __name__ == "__main__":
    main()
