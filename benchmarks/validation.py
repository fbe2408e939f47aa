"""How long validation takes: the shipped exercises, and generated exercises doubling up to 1 MB.

In-process `ttx.model.check_file` (what `tabletop validate` runs per file), split into its
phases — reading the YAML with positions (`ttx.model.loader.read_yaml`), the pydantic
model (`Exercise.model_validate`) and the semantic checks (`semantic_problems`) — and
the whole `tabletop validate FILE` command, process start included, for the flagship.

Run: .venv/bin/python benchmarks/validation.py [--quick]
"""

from __future__ import annotations

import argparse
import itertools
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))
from childproc import PYTHON, run_child
from gen import exercise_of_bytes
from stats import summary, table

from ttx.model import ExerciseError, check_file
from ttx.model.checks import semantic_problems
from ttx.model.exercise import Exercise
from ttx.model.loader import read_yaml

ROOT = Path(__file__).resolve().parent.parent
TTX = str(Path(PYTHON).parent / "ttx")


def time_check(path: Path, repeat: int) -> dict[str, dict[str, float]]:
    """Summaries of wall-clock seconds: the whole check, and each phase."""
    out: dict[str, list[float]] = {"all": [], "yaml": [], "model": [], "checks": []}
    for _ in range(repeat):
        t0 = time.perf_counter()
        exercise, problems = check_file(path)
        out["all"].append(time.perf_counter() - t0)
        assert exercise is not None, [str(p) for p in problems[:3]]
        t0 = time.perf_counter()
        doc = read_yaml(path)
        t1 = time.perf_counter()
        model = Exercise.model_validate(doc.data)
        t2 = time.perf_counter()
        semantic_problems(model, doc)
        t3 = time.perf_counter()
        out["yaml"].append(t1 - t0)
        out["model"].append(t2 - t1)
        out["checks"].append(t3 - t2)
    return {k: summary(v) for k, v in out.items()}


def row(name: str, path: Path, s: dict[str, dict[str, float]]) -> list[Any]:
    """One table row in milliseconds."""
    return [
        name,
        f"{path.stat().st_size / 1024:.0f} KB",
        s["all"]["median"] * 1000,
        s["all"]["iqr"] * 1000,
        s["yaml"]["median"] * 1000,
        s["model"]["median"] * 1000,
        s["checks"]["median"] * 1000,
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a fast smoke run")
    args = parser.parse_args()
    repeat = 3 if args.quick else 15
    rows = []
    for name in ("demo.yaml", "across-the-line.yaml", "toolbox-test.yaml"):
        path = ROOT / "exercises" / name
        if path.exists():
            rows.append(row(name, path, time_check(path, repeat)))
    sizes = [125, 250] if args.quick else [62, 125, 250, 500, 1000]
    generated: dict[int, tuple[int, dict[str, dict[str, float]]]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for kb in sizes:
            path = Path(tmp) / f"gen-{kb}.yaml"
            path.write_text(exercise_of_bytes(kb * 1024))
            s = time_check(path, max(3, repeat // 3))
            generated[kb] = (path.stat().st_size, s)
            rows.append(row(f"generated {kb} KB", path, s))
    headers = [
        "exercise",
        "size",
        "check ms (median)",
        "IQR ms",
        "YAML ms",
        "model ms",
        "checks ms",
    ]
    print("### Validation (in-process `check_file`, and its phases)\n")
    print(table(headers, rows))

    flagship = ROOT / "exercises" / "across-the-line.yaml"
    cli = summary([run_child([TTX, "validate", str(flagship)]).seconds for _ in range(repeat)])
    print(
        f"\n`tabletop validate exercises/across-the-line.yaml`, process start to exit: median "
        f"{cli['median'] * 1000:.0f} ms (IQR {cli['iqr'] * 1000:.0f} ms, {cli['n']} runs)."
    )

    with tempfile.TemporaryDirectory() as tmp:
        big = Path(tmp) / "gen-2000.yaml"
        big.write_text(exercise_of_bytes(2000 * 1024))
        size_mb = big.stat().st_size / 1048576
        t0 = time.perf_counter()
        try:
            exercise, problems = check_file(big)
            outcome = "accepted" if exercise else f"refused: {problems[0].message}"
        except ExerciseError as error:
            outcome = f"refused: {error.problems[0].message if error.problems else error}"
        refused = time.perf_counter() - t0
    print(
        f"\nA generated {size_mb:.1f} MB file: {outcome} — in {refused * 1000:.1f} ms "
        "(the loader reads at most 1 MiB, `ttx.model.loader.MAX_BYTES`)."
    )

    print("\n### Growth: validation as the file doubles\n")
    growth = []
    for a, b in itertools.pairwise(sizes):
        (size_a, sa), (size_b, sb) = generated[a], generated[b]
        growth.append(
            [
                f"{a} → {b} KB",
                f"{size_b / size_a:.2f}",
                f"{sb['all']['median'] / sa['all']['median']:.2f}",
                f"{sb['yaml']['median'] / sa['yaml']['median']:.2f}",
                f"{sb['model']['median'] / sa['model']['median']:.2f}",
                f"{sb['checks']['median'] / sa['checks']['median']:.2f}",
                sb["all"]["median"] * 1000 / (size_b / 1048576),
            ]
        )
    print(
        table(
            ["step", "× bytes", "× check", "× YAML", "× model", "× checks", "ms per MB"],
            growth,
        )
    )


if __name__ == "__main__":
    main()
