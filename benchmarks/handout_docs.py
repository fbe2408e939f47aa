"""Each handout of an exercise rendered in-process: CPU seconds, pages, bytes, cProfile calls;
and, with --compare, the same against an older source tree, interleaved run for run.

Run: .venv/bin/python benchmarks/handout_docs.py [--repeat 3] [--compare OLD_SRC] [--wall]
(OLD_SRC is the `src` folder of another checkout, e.g. from `git worktree add /tmp/old HEAD~3`.)
`--one` is the inner step: one process renders every handout once and prints JSON.
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
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))
from stats import percentile, table

ROOT = Path(__file__).resolve().parent.parent
FLAGSHIP = ROOT / "exercises" / "across-the-line.yaml"
WARM_UP = (
    '<html lang="en"><head><title>warm-up</title><link rel="stylesheet" href="base/base.css">'
    "</head><body><h1>Á</h1><p>ñ <em>¿</em> <strong>x</strong> <code>x</code></p></body></html>"
)


def one(exercise: Path, paper: str, profile: bool) -> list[dict[str, Any]]:
    """Render every handout once in this process (WeasyPrint and fonts loaded first)."""
    import cProfile
    import io
    import pstats

    from pypdf import PdfReader

    from ttx.model.validate import load_exercise
    from ttx.report.handouts import handout_set
    from ttx.report.render import render_pdf

    os.environ.setdefault("TTX_HOME", tempfile.mkdtemp(prefix="ttx-bench-"))
    render_pdf(WARM_UP)
    rows = []
    for doc in handout_set(load_exercise(exercise)):
        c0, t0 = time.process_time(), time.perf_counter()
        html = doc.html(paper)
        c1 = time.process_time()
        data, _ = render_pdf(html)
        c2, t2 = time.process_time(), time.perf_counter()
        row: dict[str, Any] = {
            "doc": doc.filename,
            "html_cpu": c1 - c0,
            "cpu": c2 - c0,
            "wall": t2 - t0,
            "pages": len(PdfReader(io.BytesIO(data)).pages),
            "bytes": len(data),
            "html_kb": len(html) / 1024,
        }
        if profile:
            prof = cProfile.Profile()
            prof.enable()
            render_pdf(doc.html(paper))
            prof.disable()
            row["calls"] = pstats.Stats(prof).total_calls  # type: ignore[attr-defined]
        rows.append(row)
    return rows


def spawn(src: Path | None, args: list[str]) -> subprocess.CompletedProcess[str]:
    """This script (or `ttx`) in a fresh interpreter, with `src` first on the import path."""
    env = dict(os.environ)
    if src is not None:
        env["PYTHONPATH"] = str(src)
    env["TTX_HOME"] = tempfile.mkdtemp(prefix="ttx-bench-")
    return subprocess.run(
        [sys.executable, *args], env=env, capture_output=True, text=True, check=True
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--exercise", type=Path, default=FLAGSHIP)
    parser.add_argument("--paper", default="letter")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--compare", type=Path, help="an older checkout's src folder")
    parser.add_argument("--wall", action="store_true", help="also time `tabletop handouts`, 3 runs")
    parser.add_argument("--wall-only", action="store_true", help="only time `tabletop handouts`")
    parser.add_argument("--one", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--profile", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(one(args.exercise, args.paper, args.profile)))
        return
    trees: list[tuple[str, Path | None]] = [("now", ROOT / "src")]
    if args.compare:
        trees.insert(0, ("old", args.compare))
    print(f"load average at start: {os.getloadavg()}")
    if not args.wall_only:
        documents(args, trees)
    if args.wall or args.wall_only:
        wall(args, trees)
    print(f"load average at end: {os.getloadavg()}")


def documents(args: argparse.Namespace, trees: list[tuple[str, Path | None]]) -> None:
    """Per-document pages, bytes, call counts and CPU seconds, the trees interleaved."""
    runs: dict[str, list[list[dict[str, Any]]]] = {name: [] for name, _ in trees}
    calls: dict[str, dict[str, int]] = {}
    for name, src in trees:  # call counts are deterministic: one profiled run each
        out = spawn(src, [__file__, "--one", "--profile", "--exercise", str(args.exercise)])
        calls[name] = {r["doc"]: r["calls"] for r in json.loads(out.stdout)}
    for _ in range(args.repeat):
        for name, src in trees:
            out = spawn(src, [__file__, "--one", "--exercise", str(args.exercise)])
            runs[name].append(json.loads(out.stdout))
    rows = []
    docs = [r["doc"] for r in runs[trees[-1][0]][0]]
    for doc in [*docs, "all"]:
        row: list[Any] = [doc]
        for name, _ in trees:
            per_run = [[r for r in run if doc in (r["doc"], "all")] for run in runs[name]]
            cpu = [sum(r["cpu"] for r in rs) for rs in per_run]
            pages = sum(r["pages"] for r in per_run[0])
            size = sum(r["bytes"] for r in per_run[0]) / 1024
            n_calls = sum(c for d, c in calls[name].items() if doc in (d, "all"))
            spread = percentile(cpu, 75) - percentile(cpu, 25)
            row += [pages, f"{size:.0f}", f"{n_calls / 1e6:.2f}M", statistics.median(cpu), spread]
        rows.append(row)
    headers = ["document"]
    for name, _ in trees:
        headers += [f"{name} pages", f"{name} KB", f"{name} calls", f"{name} CPU s", "IQR"]
    print(table(headers, rows))


def wall(args: argparse.Namespace, trees: list[tuple[str, Path | None]]) -> None:
    """`tabletop handouts` from process start to exit, three runs per tree, interleaved."""
    walls: dict[str, list[float]] = {name: [] for name, _ in trees}
    for _ in range(3):
        for name, src in trees:
            with tempfile.TemporaryDirectory() as out_dir:
                t0 = time.perf_counter()
                spawn(src, ["-m", "ttx.cli", "handouts", str(args.exercise), "-o", out_dir])
                walls[name].append(time.perf_counter() - t0)
    for name, values in walls.items():
        print(
            f"`tabletop handouts` wall, {name}: median {statistics.median(values):.2f} s "
            f"(runs {', '.join(f'{v:.2f}' for v in values)})"
        )


if __name__ == "__main__":
    main()
