"""The after-action report of a long session: wall time and peak memory, PDF and Word.

A flagship session of `--events` real events (default 25,000: the first move, its
injects, then rounds of notes, pauses and track changes, as `sessions.long_session`
writes them) is reported with `tabletop report` under `/usr/bin/time -v`, once as PDF
and once as DOCX. The figures are the wall clock and the peak resident memory of the
command and its worker (time -v counts the largest child), and the pages written.

    .venv/bin/python benchmarks/long_report.py [--events 25000]
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from sessions import FLAGSHIP, isolated_home, long_session

from ttx.api import open_journal

LIMIT_S = 60.0
"""The report of a 25,000-event session must render within a minute."""


def timed(argv: list[str]) -> dict[str, float]:
    """Run a command under /usr/bin/time -v: its wall seconds and peak memory in MB."""
    done = subprocess.run(
        ["/usr/bin/time", "-v", *argv], capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed:\n{done.stderr[-2000:]}")
    wall = re.search(
        r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (?:(\d+):)?(\d+):([\d.]+)", done.stderr
    )
    rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", done.stderr)
    assert wall and rss, done.stderr
    hours = float(wall.group(1) or 0)
    seconds = hours * 3600 + float(wall.group(2)) * 60 + float(wall.group(3))
    return {"wall_s": seconds, "peak_mb": int(rss.group(1)) / 1024}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=25_000)
    args = parser.parse_args()
    home = isolated_home()
    started = time.perf_counter()
    with open_journal() as journal:
        session_id = long_session(journal, FLAGSHIP, args.events)
    print(f"generated {args.events:,} events in {time.perf_counter() - started:.1f} s")
    tabletop = str(Path(sys.executable).parent / "tabletop")
    for fmt in ("pdf", "docx"):
        out = home / f"long.{fmt}"
        figures = timed([tabletop, "report", session_id, "--format", fmt, "-o", str(out)])
        extra = ""
        if fmt == "pdf":
            from pypdf import PdfReader

            extra = f", {len(PdfReader(str(out)).pages)} pages"
        verdict = "ok" if figures["wall_s"] <= LIMIT_S else f"over {LIMIT_S:.0f} s"
        print(
            f"{fmt}: {figures['wall_s']:.1f} s wall, {figures['peak_mb']:.0f} MB peak, "
            f"{out.stat().st_size / 1024:.0f} KiB{extra} ({verdict})"
        )


if __name__ == "__main__":
    main()
