"""How long `ttx validate` takes: the flagship, and generated exercises doubling up to 1 MB.

Run: .venv/bin/python benchmarks/validation.py
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from gen import exercise_of_bytes
from stats import summary, table

from ttx.model import check_file

ROOT = Path(__file__).resolve().parent.parent


def time_check(path: Path, repeat: int) -> dict[str, float]:
    """Summary of wall-clock seconds to check one file."""
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        exercise, problems = check_file(path)
        times.append(time.perf_counter() - t0)
        assert exercise is not None, [str(p) for p in problems[:3]]
    return summary(times)


def main() -> None:
    rows = []
    for name in ("demo.yaml", "across-the-line.yaml", "toolbox-test.yaml"):
        path = ROOT / "exercises" / name
        if path.exists():
            s = time_check(path, 15)
            rows.append(
                [name, f"{path.stat().st_size / 1024:.0f} KB", s["median"] * 1000, s["iqr"] * 1000]
            )
    with tempfile.TemporaryDirectory() as tmp:
        for kb in (125, 250, 500, 1000):
            path = Path(tmp) / f"gen-{kb}.yaml"
            path.write_text(exercise_of_bytes(kb * 1024))
            s = time_check(path, 5)
            rows.append(
                [
                    f"generated {kb} KB",
                    f"{path.stat().st_size / 1024:.0f} KB",
                    s["median"] * 1000,
                    s["iqr"] * 1000,
                ]
            )
    print(table(["exercise", "size", "median ms", "IQR ms"], rows))


if __name__ == "__main__":
    main()
