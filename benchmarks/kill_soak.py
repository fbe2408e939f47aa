"""Soak: the random-kill loop of tests/e2e/test_kill_journal.py, for as long as you tell it.

A child records decisions through the public API and acknowledges each after COMMIT
(tests/e2e/kill_writer.py); this script SIGKILLs it at a random moment, then checks
the journal: SQLite's integrity check, every session verified whole (count, order
and checksum chain, as `tabletop check` does), and every acknowledged decision present.
It stops at the first loss or damage (exit 1) or when the time is up (exit 0).

Run: .venv/bin/python benchmarks/kill_soak.py --minutes 30 [--seed 7] [--max-delay 0.25]
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WRITER = ROOT / "tests" / "e2e" / "kill_writer.py"
DEMO = ROOT / "exercises" / "demo.yaml"


def acknowledged(path: Path) -> list[tuple[str, int]]:
    """Whole `TOKEN SEQ` lines of the acknowledgement file (the last may be cut by the kill)."""
    if not path.exists():
        return []
    lines = path.read_text().splitlines()
    whole = [line.split() for line in lines if line.endswith(tuple("0123456789"))]
    return [(parts[0], int(parts[1])) for parts in whole if len(parts) == 2]


def verify(home: Path, acks: list[tuple[str, int]]) -> str | None:
    """None when the journal is healthy and holds every acknowledged decision, else why not."""
    os.environ["TTX_HOME"] = str(home)
    from ttx.api import open_journal
    from ttx.paths import sessions_db
    from ttx.session.events import DecisionCorrected, DecisionRecorded
    from ttx.store.errors import JournalError
    from ttx.store.journal import JournalStore
    from ttx.store.salvage import check_sessions

    raw = sqlite3.connect(sessions_db())
    try:
        result = str(raw.execute("PRAGMA integrity_check").fetchone()[0])
    finally:
        raw.close()
    if result != "ok":
        return f"integrity_check: {result}"
    store = JournalStore(sessions_db(), read_only=True)
    try:
        damaged = [c for c in check_sessions(store) if not c.ok]
    finally:
        store.close()
    if damaged:
        return f"damaged: {damaged[0]}"
    try:
        with open_journal(read_only=True) as journal, journal.read_session() as session:
            tokens = {
                e.rationale
                for e in session.events
                if isinstance(e, DecisionRecorded | DecisionCorrected)
            }
    except JournalError as exc:
        return f"cannot read: {exc}"
    missing = [token for token, _ in acks if token not in tokens]
    return f"acknowledged but lost: {missing[:5]}" if missing else None


def main() -> int:
    """Kill and check until the time is up or something is lost."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=5.0)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--max-delay", type=float, default=0.25, help="seconds before a kill")
    parser.add_argument("--home", type=Path, help="data folder (default: a new temporary one)")
    args = parser.parse_args()
    home = args.home or Path(tempfile.mkdtemp(prefix="ttx-soak-"))
    ack = home / "acks.txt"
    rng = random.Random(args.seed)
    env = {**os.environ, "TTX_HOME": str(home), "PYTHONDONTWRITEBYTECODE": "1"}
    deadline = time.monotonic() + args.minutes * 60
    kills = 0
    print(f"soak: journal in {home}, for {args.minutes:g} min (seed {args.seed})")
    while time.monotonic() < deadline:
        before = len(acknowledged(ack))
        child = subprocess.Popen(
            [sys.executable, str(WRITER), str(DEMO), str(ack), str(kills)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        started = time.monotonic()
        while len(acknowledged(ack)) <= before:
            if child.poll() is not None:
                err = child.stderr.read().decode() if child.stderr else ""
                print(f"soak: the writer exited early: {err[-500:]}")
                return 1
            if time.monotonic() - started > 30:
                child.kill()
                print("soak: the writer never acknowledged an event")
                return 1
            time.sleep(0.005)
        time.sleep(rng.uniform(0.0, args.max_delay))
        child.send_signal(signal.SIGKILL)
        child.wait()
        kills += 1
        acks = acknowledged(ack)
        problem = verify(home, acks)
        if problem:
            print(f"soak: after kill {kills}: {problem}")
            return 1
        if kills % 10 == 0:
            print(f"soak: {kills} kills, {len(acks)} acknowledged decisions, none lost")
    print(f"soak: done: {kills} kills, {len(acknowledged(ack))} acknowledged, none lost ({home})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
