"""Start-up: process start to the first screen ready, against a bare Textual app in the same run.

Each program runs in a real pseudo-terminal (120x40) and is timed from fork to the
moment a marker of its ready screen appears in its output. The runs are interleaved
(hello, ttx, tabletop resume, ...) so a busy moment of the machine hits all of them alike.

- `hello`: benchmarks/hello_app.py — a Header, a line and a Footer (marker `hello-ready`).
- `ttx` (home): first paint (`run a tabletop exercise`), and ready once the exercise list
  is filled (`shipped`), which the home screen does right after its first paint.
- `tabletop resume`: the console of a session in progress (marker: its footer's `Hide notes`),
  for sessions of 200 and 10,000 events — the growth with the session's length.

Also: import times of the modules each needs (`python -X importtime`-style, one process each).

Bytecode: an installed ttx runs from compiled `.pyc` files, but a checkout run with
`PYTHONDONTWRITEBYTECODE` set compiles every ttx module from source at each start (about
270 KB, some 70 ms, while Textual's site-packages already have their `.pyc`). So by
default every program here runs with its bytecode cached in a folder of its own
(`PYTHONPYCACHEPREFIX`, after one untimed start of each); `--source` measures the
checkout as the environment runs it instead.

Run: .venv/bin/python benchmarks/startup.py [--quick] [--runs N] [--old SRC] [--source]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))
from childproc import PYTHON
from pty_app import PtyApp
from sessions import FLAGSHIP, isolated_home, long_session
from stats import summary, table

from ttx.api import open_journal

HERE = Path(__file__).resolve().parent
TTX = str(Path(PYTHON).parent / "tabletop")


def time_to(
    argv: list[str], markers: list[bytes], env: dict[str, str] | None = None
) -> list[float]:
    """Seconds from start until each marker appeared, in order (one process)."""
    app = PtyApp(argv, env=env)
    try:
        return [app.wait_for(marker, timeout=60) for marker in markers]
    finally:
        app.close()


def import_time(module: str, runs: int, env: dict[str, str]) -> dict[str, float]:
    """Seconds to import `module` in a fresh interpreter (median of `runs`)."""
    code = f"import time; t = time.perf_counter(); import {module}; print(time.perf_counter() - t)"
    run = [PYTHON, "-c", code]
    subprocess.run(run, capture_output=True, check=True, env=env)  # caches its bytecode
    times = [
        float(subprocess.run(run, capture_output=True, text=True, check=True, env=env).stdout)
        for _ in range(runs)
    ]
    return summary(times)


def import_profile(modules: list[str], env: dict[str, str], top: int = 15) -> list[list[object]]:
    """`python -X importtime`: the modules with the largest own import time (ms)."""
    code = "import " + ", ".join(modules)
    err = subprocess.run(
        [PYTHON, "-X", "importtime", "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env=env,
    ).stderr
    rows = []
    for line in err.splitlines():
        if not line.startswith("import time:") or "self [us]" in line:
            continue
        own, total, name = (part.strip() for part in line[len("import time:") :].split("|"))
        rows.append([name, int(own) / 1000, int(total) / 1000])
    rows.sort(key=lambda r: -float(r[1]))  # type: ignore[arg-type]
    return rows[:top]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a fast smoke run")
    parser.add_argument("--runs", type=int, default=None, help="starts of each program")
    parser.add_argument(
        "--old",
        default=None,
        help="older ttx code: a `git worktree` of it, or its src folder; every ttx program "
        "also starts with it, interleaved, so both see the same machine",
    )
    parser.add_argument("--no-imports", action="store_true", help="only the start-up table")
    parser.add_argument(
        "--source",
        action="store_true",
        help="run as the environment says (with PYTHONDONTWRITEBYTECODE set, ttx is compiled "
        "from source at every start) instead of from cached bytecode, as an installed ttx runs",
    )
    args = parser.parse_args()
    runs = args.runs or (3 if args.quick else 15)
    isolated_home()
    with open_journal() as journal:
        short = long_session(journal, FLAGSHIP, 200)
        long = long_session(journal, FLAGSHIP, 2_000 if args.quick else 10_000)
    long_n = 2_000 if args.quick else 10_000
    targets: list[tuple[str, list[str], list[bytes]]] = [
        ("bare Textual hello", [PYTHON, str(HERE / "hello_app.py")], [b"hello-ready"]),
        ("ttx (home screen)", [TTX], [b"run a tabletop exercise", b"shipped"]),
        ("tabletop resume (200 events)", [TTX, "resume", short], [b"Hide notes"]),
        (f"tabletop resume ({long_n:,} events)", [TTX, "resume", long], [b"Hide notes"]),
    ]
    base: dict[str, str] = {}
    if not args.source:  # bytecode cached, as installed (PYTHONDONTWRITEBYTECODE="" unsets it)
        cache = tempfile.mkdtemp(prefix="ttx-bench-pyc-")
        base = {"PYTHONPYCACHEPREFIX": cache, "PYTHONDONTWRITEBYTECODE": ""}
    envs: dict[str, dict[str, str]] = {name: dict(base) for name, _, _ in targets}
    if args.old:
        old_path = Path(args.old).resolve()
        if (old_path / "src" / "ttx").is_dir():  # a worktree's root: its code is in src/
            old_path = old_path / "src"
        if not (old_path / "ttx").is_dir():
            parser.error(f"--old {args.old}: no ttx package there (give a worktree or its src)")
        old = str(old_path)
        for name, argv, markers in list(targets[1:]):
            targets.append((f"{name} [old]", argv, markers))
            envs[f"{name} [old]"] = {**base, "PYTHONPATH": old}
    results: dict[str, list[list[float]]] = {name: [] for name, _, _ in targets}
    if not args.source:
        for name, argv, markers in targets:  # untimed: writes each program's bytecode
            time_to(argv, markers, envs[name])
    for _ in range(runs):
        for name, argv, markers in targets:
            results[name].append(time_to(argv, markers, envs.get(name)))
    hello = summary([r[0] for r in results["bare Textual hello"]])
    rows: list[list[Any]] = []
    for name, _, markers in targets:
        for index, marker in enumerate(markers):
            s = summary([r[index] for r in results[name]])
            label = name if len(markers) == 1 else f"{name}: {marker.decode()!r}"
            rows.append(
                [
                    label,
                    s["n"],
                    s["median"] * 1000,
                    s["iqr"] * 1000,
                    s["p90"] * 1000,
                    f"{s['median'] / hello['median']:.2f}",
                ]
            )
    print("### Start-up: process start to first screen ready\n")
    if args.source:
        how = os.environ.get("PYTHONDONTWRITEBYTECODE") and "compiled from source at each start"
        print(f"Bytecode: as the environment runs it ({how or 'cached in __pycache__'}).\n")
    else:
        print("Bytecode: cached (`PYTHONPYCACHEPREFIX`, one untimed start first), as installed.\n")
    print(table(["program", "runs", "median ms", "IQR ms", "p90 ms", "× hello"], rows))
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"\nLoad average at the end: {load}.")
    if args.no_imports:
        return

    print("\n### Where start-up goes: imports in a fresh interpreter\n")
    imports = []
    modules = ["textual.app", "ttx.cli", "ttx.tui.app", "ttx.tui.screens.console", "ttx.api"]
    for module in modules:
        s = import_time(module, max(3, runs // 3), {**os.environ, **base})
        imports.append([module, s["median"] * 1000, s["iqr"] * 1000])
    print(table(["import", "median ms", "IQR ms"], imports))
    print("\n### Largest own import times (`python -X importtime`, console path, one run)\n")
    path = ["ttx.commands.tui", "ttx.tui.app", "ttx.tui.screens.home", "ttx.tui.screens.console"]
    rows = import_profile(path, {**os.environ, **base})
    print(table(["module", "own ms", "with its imports ms"], rows))


if __name__ == "__main__":
    main()
