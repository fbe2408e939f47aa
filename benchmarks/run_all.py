"""Run every benchmark, one after the other, and write their tables with a description of the machine.

Run: .venv/bin/python benchmarks/run_all.py [--quick] [-o FILE] [--only NAME ...]
Writes benchmarks/results/<UTC date-time>.md (or FILE) and prints it too.
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import time
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SCRIPTS = ["startup", "keypress", "journal", "validation", "documents"]
LIBRARIES = [
    "ttx",
    "textual",
    "rich",
    "weasyprint",
    "pydyf",
    "pydantic",
    "PyYAML",
    "Jinja2",
    "pypdf",
]


def machine() -> str:
    """CPU, memory, disk, OS, Python and library versions, load, and the commit measured."""
    cpu = "unknown"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    memory = "unknown"
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        kb = int(meminfo.read_text().split("MemTotal:")[1].split()[0])
        memory = f"{kb / 1024 / 1024:.1f} GiB"
    try:
        commit = subprocess.run(
            ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        commit = "unknown"
    versions = ", ".join(f"{name} {_version(name)}" for name in LIBRARIES)
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    return "\n".join(
        [
            f"- CPU: {cpu}, {cpus} CPUs available (`nproc`)",
            f"- Memory: {memory}",
            f"- OS: {platform.platform()}",
            f"- Python: {platform.python_version()} ({platform.python_implementation()})",
            f"- Libraries: {versions}",
            f"- Commit: {commit}",
            f"- Load average at start (1, 5, 15 min): {load}",
        ]
    )


def _version(name: str) -> str:
    try:
        return version(name)
    except Exception:
        return "?"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a fast smoke run of each")
    parser.add_argument("-o", "--output", type=Path, help="where to write the Markdown")
    parser.add_argument("--only", nargs="+", choices=SCRIPTS, help="run only these")
    args = parser.parse_args()
    started = datetime.now(UTC)
    parts = [f"# ttx benchmarks, {started:%Y-%m-%d %H:%M} UTC", "", machine(), ""]
    for name in args.only or SCRIPTS:
        argv = [sys.executable, str(HERE / f"{name}.py")] + (["--quick"] if args.quick else [])
        print(f"running {name}…", file=sys.stderr, flush=True)
        t0 = time.perf_counter()
        result = subprocess.run(argv, capture_output=True, text=True, cwd=ROOT)
        seconds = time.perf_counter() - t0
        load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
        parts += [f"## {name}", "", f"*{seconds:.0f} s; load average after: {load}*", ""]
        if result.returncode != 0:
            parts += ["**FAILED**", "", "```", result.stderr[-3000:], "```", ""]
        parts += [result.stdout.strip(), ""]
        print(f"  {name}: {seconds:.0f} s, exit {result.returncode}", file=sys.stderr, flush=True)
    text = "\n".join(parts)
    output = (
        args.output
        or HERE / "results" / f"{started:%Y%m%d-%H%M}{'-quick' if args.quick else ''}.md"
    )
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(text + "\n", encoding="utf-8")
    print(text)
    print(f"\nwritten to {output}", file=sys.stderr)


if __name__ == "__main__":
    main()
