"""Kill -9 test: a child records decisions and acknowledges each after COMMIT; nothing acked is lost."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from ttx.api import open_journal
from ttx.paths import sessions_db
from ttx.session.events import DecisionCorrected, DecisionRecorded

HERE = Path(__file__).resolve().parent
RUNS = 20


def _acked(path: Path) -> list[tuple[str, int]]:
    if not path.exists():
        return []
    lines = path.read_text().splitlines()
    # The last line may be cut mid-write by the kill; keep only whole lines.
    whole = [line.split() for line in lines if line.endswith(tuple("0123456789"))]
    return [(parts[0], int(parts[1])) for parts in whole if len(parts) == 2]


def _wait_for_first_ack(ack: Path, child: subprocess.Popen[bytes], before: int) -> None:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if len(_acked(ack)) > before:
            return
        if child.poll() is not None:
            raise AssertionError(
                f"the writer exited early: {child.stderr.read() if child.stderr else ''!r}"
            )
        time.sleep(0.005)
    raise AssertionError("the writer never acknowledged an event")


@pytest.mark.slow
def test_sigkill_never_loses_an_acknowledged_decision(tmp_path: Path, demo_path: Path) -> None:
    ack = tmp_path / "acks.txt"
    rng = random.Random(4)
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    started = time.monotonic()
    for run in range(RUNS):
        before = len(_acked(ack))
        child = subprocess.Popen(
            [sys.executable, str(HERE / "kill_writer.py"), str(demo_path), str(ack), str(run)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        try:
            _wait_for_first_ack(ack, child, before)
            time.sleep(rng.uniform(0.0, 0.25))
        finally:
            child.send_signal(signal.SIGKILL)
            child.wait()
        assert child.returncode == -signal.SIGKILL
        acked = _acked(ack)
        assert len(acked) > before

        # The file is healthy and every acknowledged decision is in it, with no gaps.
        raw = sqlite3.connect(sessions_db())
        assert raw.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        raw.close()
        with open_journal() as journal:
            session = journal.read_session()
            tokens = {
                e.rationale: e.seq
                for e in session.events
                if isinstance(e, DecisionRecorded | DecisionCorrected)
            }
            seqs = [e.seq for e in session.events]
            assert seqs == list(range(1, len(seqs) + 1))
            missing = [token for token, _ in acked if token not in tokens]
            assert missing == [], f"run {run}: acknowledged but lost: {missing[:5]}"
            for token, seq in acked:
                assert tokens[token] <= seq
            # The state rebuilt from the journal matches the last acknowledged answer or a later one.
            record = session.state.decisions["opening"].records["us"]
            assert int(record.rationale.split("-")[0]) == run
            session.close()
    assert len(_acked(ack)) >= RUNS
    took = time.monotonic() - started
    print(f"{RUNS} kills, {len(_acked(ack))} acknowledged decisions, none lost, {took:.1f} s")
