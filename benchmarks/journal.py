"""The journal: how long recording one event durably takes, and reopening long sessions.

Through the public API (`ttx.api`): `Session.apply` with the journal's real durability
(WAL, synchronous=FULL: every acknowledged event is on disk), compared with a bare
SQLite insert-and-commit of the same durability on the same disk; then the time to
reopen sessions of 1,000 to 100,000 events for recording (`Journal.open_session`, what
`tabletop resume` does) and read-only (`Journal.read_session`, what reports and exports do),
split into reading the rows, parsing the events and replaying them.

Run: .venv/bin/python benchmarks/journal.py [--quick]
"""

from __future__ import annotations

import argparse
import itertools
import sqlite3
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))
from gen import text
from sessions import FLAGSHIP, isolated_home, long_session
from stats import summary, table

from ttx.api import open_journal
from ttx.session import events as ev
from ttx.session.actions import AddNote, EnterMove
from ttx.session.replay import Replayer
from ttx.store.journal import JournalStore


class BareSqlite:
    """A WAL, synchronous=FULL SQLite file with one table: the disk's floor for a durable write."""

    def __init__(self, folder: Path) -> None:
        self.conn = sqlite3.connect(folder / "bare.sqlite3", isolation_level=None)
        self.conn.execute("PRAGMA journal_mode=WAL")
        self.conn.execute("PRAGMA synchronous=FULL")
        self.conn.execute("CREATE TABLE t (seq INTEGER PRIMARY KEY, data TEXT)")
        self.payload = text(30, 1) * 4

    def commit_one(self) -> float:
        """Seconds for one insert and commit."""
        t0 = time.perf_counter()
        self.conn.execute("BEGIN IMMEDIATE")
        self.conn.execute("INSERT INTO t (data) VALUES (?)", (self.payload,))
        self.conn.execute("COMMIT")
        return time.perf_counter() - t0


def apply_latency(
    session_id: str | None, n: int, bare: BareSqlite
) -> tuple[list[float], list[float]]:
    """Seconds per durable `apply(AddNote(...))` (in a new session, or an existing long one),
    interleaved with bare SQLite commits so both see the same disk and load."""
    times, floor = [], []
    with open_journal() as journal:
        if session_id is None:
            session = journal.create_session(FLAGSHIP)
            session.apply(EnterMove())
        else:
            session = journal.open_session(session_id)
        for i in range(n):
            command = AddNote(text=text(20, i), category="note")
            floor.append(bare.commit_one())
            t0 = time.perf_counter()
            session.apply(command)
            times.append(time.perf_counter() - t0)
        session.close()
    return times, floor


def apply_cpu(session_id: str, n: int) -> list[float]:
    """CPU seconds of `apply(AddNote(...))` in a long session with the fsync turned off: the
    journal's own work, which should not grow with the session (the disk's part is above)."""
    times = []
    with open_journal() as journal:
        session = journal.open_session(session_id)
        session._store.conn.execute("PRAGMA synchronous=OFF")
        for i in range(n):
            command = AddNote(text=text(20, i), category="note")
            t0 = time.process_time()
            session.apply(command)
            times.append(time.process_time() - t0)
        session.close()
    return times


def reopen(session_id: str, repeat: int) -> dict[str, dict[str, float]]:
    """Seconds to reopen a session, for recording and read-only, and the read-only split."""
    out: dict[str, list[float]] = {"open": [], "read": [], "rows": [], "parse": [], "replay": []}
    path = open_journal().path
    for _ in range(repeat):
        with open_journal() as journal:
            t0 = time.perf_counter()
            session = journal.open_session(session_id)
            out["open"].append(time.perf_counter() - t0)
            session.close()
            t0 = time.perf_counter()
            session = journal.read_session(session_id)
            state = session.state
            out["read"].append(time.perf_counter() - t0)
            session.close()
        store = JournalStore(path, read_only=True)
        t0 = time.perf_counter()
        rows = store.conn.execute(
            "SELECT seq, data FROM events WHERE session_id = ? ORDER BY seq", (session_id,)
        ).fetchall()
        t1 = time.perf_counter()
        adapter = ev.event_adapter() if hasattr(ev, "event_adapter") else ev.EVENT_ADAPTER
        parse = adapter.validator.validate_json  # as `JournalStore.load_events` does
        events = [parse(data) for _, data in rows]
        t2 = time.perf_counter()
        replayer = Replayer(session_id, state.exercise)
        replayer.feed(events)
        replayer.state()
        t3 = time.perf_counter()
        store.close()
        out["rows"].append(t1 - t0)
        out["parse"].append(t2 - t1)
        out["replay"].append(t3 - t2)
    return {k: summary(v) for k, v in out.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a fast smoke run")
    parser.add_argument(
        "--profile", action="store_true", help="pyinstrument on reopening the second size"
    )
    args = parser.parse_args()
    n = 100 if args.quick else 1000
    sizes = [1000, 4000] if args.quick else [1000, 10_000, 25_000, 50_000, 100_000]
    repeat = 3 if args.quick else 7
    isolated_home()

    print("### Recording one event durably\n")
    tmp = tempfile.TemporaryDirectory()
    bare = BareSqlite(Path(tmp.name))
    ours, floor = apply_latency(None, n, bare)
    b, s = summary(floor), summary(ours)
    rows: list[list[Any]] = [
        ["bare SQLite insert + commit (WAL, synchronous=FULL)", b["n"], *_ms(b), "1.00"],
        [
            "Session.apply(AddNote), new session",
            s["n"],
            *_ms(s),
            f"{s['median'] / b['median']:.2f}",
        ],
    ]
    ids: dict[int, str] = {}
    with open_journal() as journal:
        for size in sizes:
            t0 = time.perf_counter()
            ids[size] = long_session(journal, FLAGSHIP, size)
            print(f"  generated {size} events in {time.perf_counter() - t0:.1f} s", file=sys.stderr)
    for size in sizes[1:]:
        ours, floor = apply_latency(ids[size], max(50, n // 5), bare)
        b, s = summary(floor), summary(ours)
        rows.append(
            [
                f"Session.apply(AddNote), session of {size:,} events (bare: {b['median'] * 1000:.2f} ms)",
                s["n"],
                *_ms(s),
                f"{s['median'] / b['median']:.2f}",
            ]
        )
    bare.conn.close()
    tmp.cleanup()
    print(table(["what", "n", "median ms", "IQR ms", "p90 ms", "p99 ms", "max ms", "× bare"], rows))

    print("\n### Recording: the journal's own work as the session grows (fsync off, CPU time)\n")
    rows = []
    for size in sizes:
        s = summary(apply_cpu(ids[size], max(200, n // 2)))
        rows.append([f"{size:,}", s["n"], *_ms(s)])
    print(table(["events", "n", "median ms", "IQR ms", "p90 ms", "p99 ms", "max ms"], rows))

    print("\n### Reopening a session\n")
    print(
        "`open` = `Journal.open_session` (lock, read, replay, write the reopened marker: "
        "`tabletop resume`); `read` = `Journal.read_session` (reports, exports); the last three "
        "columns split `read`.\n"
    )
    rows = []
    results = {}
    for size in sizes:
        r = reopen(ids[size], repeat if size < 50_000 else max(3, repeat // 2))
        results[size] = r
        rows.append(
            [
                f"{size:,}",
                r["open"]["median"] * 1000,
                r["open"]["iqr"] * 1000,
                r["read"]["median"] * 1000,
                r["rows"]["median"] * 1000,
                r["parse"]["median"] * 1000,
                r["replay"]["median"] * 1000,
                r["open"]["median"] * 1e6 / size,
            ]
        )
    print(
        table(
            [
                "events",
                "open ms (median)",
                "IQR ms",
                "read ms",
                "rows ms",
                "parse ms",
                "replay ms",
                "µs per event",
            ],
            rows,
        )
    )
    print("\n### The clock: exercise time as the console reads it\n")
    print(
        "`state.session_elapsed(now)` + `state.move_elapsed(now)` once (what the console's clock "
        "label reads every second and after every key), per size; the clock segments are the "
        "pauses and moves recorded so far.\n"
    )
    rows = []
    with open_journal(read_only=True) as journal:
        for size in sizes:
            state = journal.read_session(ids[size]).state
            per_call = clock_cost(state)
            rows.append([f"{size:,}", len(state.clock.segments), *(v * 1e6 for v in per_call)])
    print(table(["events", "clock segments", "µs per read (median)", "IQR µs", "p99 µs"], rows))
    if args.profile:
        profile_reopen(ids[sizes[1]])
    print("\n### Growth: reopening as the session grows\n")
    growth = []
    for a, b in itertools.pairwise(sizes):
        ra, rb = results[a], results[b]
        growth.append(
            [
                f"{a:,} → {b:,}",
                f"{b / a:.1f}",
                f"{rb['open']['median'] / ra['open']['median']:.2f}",
                f"{rb['parse']['median'] / ra['parse']['median']:.2f}",
                f"{rb['replay']['median'] / ra['replay']['median']:.2f}",
            ]
        )
    print(table(["events", "× events", "× open", "× parse", "× replay"], growth))


def clock_cost(state: Any, repeat: int = 2000) -> list[float]:
    """Seconds per reading of the session's and the move's exercise time: median, IQR, p99."""
    now = state.last_at
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        state.session_elapsed(now)
        state.move_elapsed(now)
        times.append(time.perf_counter() - t0)
    s = summary(times)
    return [s["median"], s["iqr"], s["p99"]]


def profile_reopen(session_id: str) -> None:
    """Where the time of `Journal.read_session` goes (pyinstrument)."""
    from profiling import hot_spots, tree
    from pyinstrument import Profiler

    profiler = Profiler(interval=0.0005)
    with open_journal() as journal:
        profiler.start()
        journal.read_session(session_id).close()
        profiler.stop()
    print(f"\n### Profile: reopening session {session_id} read-only (self time)\n")
    print(table(["where", "function", "s", "share"], hot_spots(profiler, 15)))
    print("\n### Call tree (frames over 3 %)\n")
    print(table(["function", "where", "s", "share"], tree(profiler, 0.03, 9)))


def _ms(s: dict[str, float]) -> list[float]:
    return [s["median"] * 1000, s["iqr"] * 1000, s["p90"] * 1000, s["p99"] * 1000, s["max"] * 1000]


if __name__ == "__main__":
    main()
