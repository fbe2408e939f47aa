"""The room under a class's load: 24 teams x 5 devices for N minutes, answering and changing answers.

A session of a generated 24-team exercise (every team answers each move's decision) is held
by headless `tabletop room` on 127.0.0.1. 120 simulated devices (5 per team, each with its
own cookie, like five phones) join with their team's code, load the team page, keep the
live-update stream (server-sent events) open, and then, each on its own random rhythm
(seeded, so runs compare), reload the team's view now and then and send or change their
team's answer. A device whose answer is refused for the rate limit (429) waits and sends
it again, as the page does.

Reported: latency p50/p99 of each kind of request (the answer's is the time until the
laptop confirmed the commit), errors by kind, answers the rate limit turned back, how
many update events the devices received, and CPU (% of one core) and memory (RSS, peak)
of the holder (`tabletop room`, the journal's only writer) and of the web server process.
With `--console`, the session is held by the console instead (`tabletop resume SESSION
--room --host 127.0.0.1 --port P` in a pseudo-terminal) and its key latency (`h`, as in
`keypress.py`) is measured meanwhile. Every request goes to the loopback address.

Run: .venv/bin/python benchmarks/room_load.py [--minutes 10] [--teams 24] [--devices 5]
     [--think 12] [--seed 1] [--console]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import random
import re
import select
import signal
import subprocess
import sys
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import yaml

sys.path.insert(0, str(Path(__file__).parent))
from childproc import PYTHON
from gen import exercise
from keypress import key_latency
from pty_app import PtyApp
from sessions import isolated_home
from stats import percentile, table

from ttx.api import open_journal
from ttx.room.codes import load_or_issue
from ttx.session.actions import EnterMove

TTX = str(Path(PYTHON).parent / "tabletop")
CSRF = re.compile(r'<meta name="csrf-token" content="([^"]+)"')
TICKS = os.sysconf("SC_CLK_TCK")


@dataclass
class Tally:
    """What the devices saw: latencies per kind of request, errors, rate-limited answers, events."""

    latency: dict[str, list[float]] = field(default_factory=dict)
    errors: dict[str, int] = field(default_factory=dict)
    limited: int = 0
    events: int = 0
    saved: int = 0

    def took(self, kind: str, seconds: float) -> None:
        self.latency.setdefault(kind, []).append(seconds)

    def failed(self, kind: str, why: str) -> None:
        key = f"{kind}: {why}"
        self.errors[key] = self.errors.get(key, 0) + 1


# -- the session and its holder ------------------------------------------------------------


def make_session(teams: int, folder: Path) -> str:
    """A fresh session of a generated exercise with `teams` teams, in its first move."""
    path = folder / "room-load.yaml"
    data = exercise(teams=teams, moves=2, injects=2, decisions=1, options=4, words=60)
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    with open_journal() as journal, journal.create_session(path) as session:
        session.apply(EnterMove())
        return session.id


def read_lines(proc: subprocess.Popen[bytes], count: int, timeout: float = 60) -> list[str]:
    """The first `count` lines the child writes on stdout (read raw, never buffered away)."""
    assert proc.stdout is not None
    out, pending, lines = proc.stdout.fileno(), b"", []
    deadline = time.monotonic() + timeout
    while len(lines) < count:
        if time.monotonic() > deadline or proc.poll() is not None:
            raise RuntimeError(f"the room printed {len(lines)} of {count} join lines")
        ready, _, _ = select.select([out], [], [], 0.5)
        if ready:
            pending += os.read(out, 65536)
            *done, pending = pending.split(b"\n")
            lines += [line.decode() for line in done]
    return lines


def headless_room(session_id: str, teams: int) -> tuple[subprocess.Popen[bytes], dict[str, str]]:
    """`tabletop room SESSION` on 127.0.0.1 (any port) and each team's join URL."""
    proc = subprocess.Popen(
        [TTX, "room", session_id, "--host", "127.0.0.1", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    urls = dict(line.split() for line in read_lines(proc, teams))
    return proc, urls


def free_port() -> int:
    """A port nothing listens on now, on 127.0.0.1."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def console_room(session_id: str) -> tuple[PtyApp, dict[str, str]]:
    """The console holding the session (`tabletop resume SESSION --room --host 127.0.0.1
    --port P` in a pseudo-terminal), its room open on the loopback address only, and each
    team's join URL (the codes the console issued)."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    app = PtyApp([TTX, "resume", session_id, "--room", "--host", "127.0.0.1", "--port", str(port)])
    app.wait_for(b"Finish", timeout=60)
    deadline = time.monotonic() + 30
    while True:
        app.drain(0.2)
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(base + "/projector", timeout=2).status_code == 200:
                break
        if time.monotonic() > deadline:
            raise RuntimeError("the console's room did not open")
    app.drain(1.0)
    with open_journal(read_only=True) as journal:
        session = journal.read_session(session_id)
        teams = session.state.team_ids
        session.close()
    urls = {team: f"{base}/j/{code}" for team, code in load_or_issue(session_id, teams).items()}
    return app, urls


class KeyPresses:
    """`h` (presenting on/off) pressed in the console every `every` seconds, in a thread."""

    def __init__(self, app: PtyApp, every: float = 0.5) -> None:
        self.app, self.every = app, every
        self.latency: list[float] = []
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self.stop.wait(self.every):
            first, _last, _size = key_latency(self.app, b"h")
            self.latency.append(first)

    def __enter__(self) -> KeyPresses:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self.thread.join(timeout=30)


def idle_keys(app: PtyApp, n: int = 40) -> list[float]:
    """Key latency with the room open and no device connected (the baseline)."""
    return [key_latency(app, b"h")[0] for _ in range(n)]


# -- CPU and memory, read from /proc -------------------------------------------------------


def children(pid: int) -> list[int]:
    """The processes whose parent is `pid`."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def web_server(holder: int, timeout: float = 30) -> int:
    """The room's web server: the holder's child running `ttx.room.process` (uvicorn)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for pid in children(holder):
            try:
                argv = Path(f"/proc/{pid}/cmdline").read_bytes()
            except OSError:
                continue
            if b"ttx.room.process" in argv:
                return pid
        time.sleep(0.2)
    raise RuntimeError("the room's web server process was not found")


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


class Sampler:
    """CPU and RSS of some processes, sampled once a second in a thread."""

    def __init__(self, pids: dict[str, int]) -> None:
        self.pids = pids
        self.rss: dict[str, list[float]] = {name: [] for name in pids}
        self.cpu0 = {name: cpu_seconds(pid) for name, pid in pids.items()}
        self.t0 = time.monotonic()
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while not self.stop.wait(1.0):
            for name, pid in self.pids.items():
                with contextlib.suppress(OSError):
                    self.rss[name].append(rss_mb(pid))

    def finish(self) -> list[list[Any]]:
        """Rows: process, mean CPU % of one core, mean and peak RSS."""
        self.stop.set()
        self.thread.join()
        wall = time.monotonic() - self.t0
        rows = []
        for name, pid in self.pids.items():
            try:
                cpu = 100 * (cpu_seconds(pid) - self.cpu0[name]) / wall
            except OSError:
                cpu = float("nan")
            rss = self.rss[name] or [float("nan")]
            rows.append([name, pid, cpu, sum(rss) / len(rss), max(rss)])
        return rows


# -- the devices ---------------------------------------------------------------------------


async def listen(client: httpx.AsyncClient, tally: Tally, until: float) -> None:
    """Keep the live-update stream open, as a page does, counting the updates it announces."""
    while time.monotonic() < until:
        try:
            async with client.stream("GET", "/team/events", timeout=None) as response:
                async for line in response.aiter_lines():
                    if line.startswith("data:"):
                        tally.events += 1
                    if time.monotonic() >= until:
                        return
        except (httpx.HTTPError, asyncio.CancelledError):
            if time.monotonic() >= until:
                return
            tally.failed("events", "stream broke")
            await asyncio.sleep(1.0)


async def timed(tally: Tally, kind: str, request: Any) -> httpx.Response | None:
    t0 = time.perf_counter()
    try:
        response: httpx.Response = await request
    except httpx.HTTPError as error:
        tally.failed(kind, type(error).__name__)
        return None
    tally.took(kind, time.perf_counter() - t0)
    return response


async def device(
    number: int,
    url: str,
    decision: str,
    options: list[str],
    tally: Tally,
    rng: random.Random,
    until: float,
    think: float,
) -> None:
    """One phone: join, load the page, listen, then view and answer on its own rhythm.

    Each device sends from its own loopback address (127.0.1.N), as each phone has its own
    address on the Wi-Fi: the room limits joins per address.
    """
    base = url.split("/j/")[0]
    source = f"127.0.{1 + number // 250}.{1 + number % 250}"
    transport = httpx.AsyncHTTPTransport(local_address=source)
    async with httpx.AsyncClient(base_url=base, timeout=30, transport=transport) as client:
        await asyncio.sleep(rng.uniform(0, 5))  # a class does not scan its cards in the same second
        joined = await timed(tally, "join", client.get(url))
        if joined is None or joined.status_code != 200:
            tally.failed("join", f"HTTP {joined.status_code if joined is not None else '-'}")
            return
        page = await timed(tally, "team page", client.get("/team"))
        if page is None or page.status_code != 200:
            tally.failed("team page", f"HTTP {page.status_code if page is not None else '-'}")
            return
        token = CSRF.search(page.text)
        if token is None:
            tally.failed("join", "no CSRF token on the page")
            return
        stream = asyncio.create_task(listen(client, tally, until))
        while time.monotonic() < until:
            await asyncio.sleep(min(rng.expovariate(1 / think), max(0.0, until - time.monotonic())))
            if time.monotonic() >= until:
                break
            if rng.random() < 0.5:
                view = await timed(tally, "view", client.get("/team/view"))
                if view is not None and view.status_code != 200:
                    tally.failed("view", f"HTTP {view.status_code}")
                continue
            answer = {
                "decision_id": decision,
                "option_id": rng.choice(options),
                "rationale": f"Because of {rng.randrange(10**6)}: " + "we weigh trust first. " * 5,
                "submission": uuid.uuid4().hex,
            }
            for _attempt in range(5):
                sent = await timed(
                    tally,
                    "answer",
                    client.post(
                        "/team/answer", json=answer, headers={"X-CSRF-Token": token.group(1)}
                    ),
                )
                if sent is None:
                    break
                if sent.status_code == 429:
                    tally.limited += 1
                    await asyncio.sleep(5)
                    continue
                if sent.status_code == 200:
                    tally.saved += 1
                else:
                    tally.failed("answer", f"HTTP {sent.status_code}")
                break
        stream.cancel()
        await asyncio.gather(stream, return_exceptions=True)


async def load(
    urls: dict[str, str], devices: int, minutes: float, think: float, seed: int
) -> Tally:
    tally = Tally()
    until = time.monotonic() + 60 * minutes
    decision, options = "m0_d0", [f"o{i}" for i in range(4)]
    rng = random.Random(seed)
    await asyncio.gather(
        *(
            device(n, url, decision, options, tally, random.Random(rng.random()), until, think)
            for n, url in enumerate(u for u in urls.values() for _ in range(devices))
        )
    )
    return tally


def journal_answers(session_id: str) -> int:
    """Room answers the journal holds at the end (one per team that answered: the latest)."""
    with open_journal(read_only=True) as journal:
        session = journal.read_session(session_id)
        try:
            state = session.state
            return sum(1 for t in state.team_ids if state.room_answer("m0_d0", t) is not None)
        finally:
            session.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--teams", type=int, default=24)
    parser.add_argument("--devices", type=int, default=5, help="per team")
    parser.add_argument(
        "--think", type=float, default=12.0, help="mean seconds between a device's requests"
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--console",
        action="store_true",
        help="the console holds the session (room opened with r) and its key latency is measured",
    )
    args = parser.parse_args()

    home = isolated_home()
    session_id = make_session(args.teams, home)
    console: PtyApp | None = None
    keys: list[float] = []
    baseline: list[float] = []
    if args.console:
        console, urls = console_room(session_id)
        holder, holder_name = console.pid, "holder (the console)"
    else:
        proc, urls = headless_room(session_id, args.teams)
        holder, holder_name = proc.pid, "holder (tabletop room)"
    try:
        sampler = Sampler({holder_name: holder, "web server": web_server(holder)})
        if console is not None:
            baseline = idle_keys(console)
        t0 = time.monotonic()
        if console is not None:
            with KeyPresses(console) as pressing:
                tally = asyncio.run(load(urls, args.devices, args.minutes, args.think, args.seed))
            keys = pressing.latency
        else:
            tally = asyncio.run(load(urls, args.devices, args.minutes, args.think, args.seed))
        wall = time.monotonic() - t0
        usage = sampler.finish()
    finally:
        if console is not None:
            console.close()
            code = 0
        else:
            proc.send_signal(signal.SIGTERM)
            code = proc.wait(timeout=30)
    requests = sum(len(v) for v in tally.latency.values())
    print(
        f"Room load: {args.teams} teams x {args.devices} devices for {wall / 60:.1f} min "
        f"(think {args.think:g} s, seed {args.seed}); {requests} requests, "
        f"{tally.saved} answers saved, {tally.events} update events received"
        + ("." if console is not None else f"; the room stopped with exit code {code}.")
        + "\n"
    )
    rows = []
    for kind, values in tally.latency.items():
        ms = [v * 1000 for v in values]
        rows.append([kind, len(ms), percentile(ms, 50), percentile(ms, 99), max(ms)])
    print(table(["request", "n", "p50 ms", "p99 ms", "max ms"], rows))
    print()
    print(table(["process", "pid", "CPU % of one core", "RSS mean MB", "RSS peak MB"], usage))
    print()
    errors = sum(tally.errors.values())
    print(f"Errors: {errors}" + "".join(f"\n  {k}: {n}" for k, n in sorted(tally.errors.items())))
    print(f"Answers turned back by the rate limit (429, sent again after 5 s): {tally.limited}")
    print(f"Teams whose answer is in the journal: {journal_answers(session_id)} of {args.teams}")
    if console is not None:
        print()
        rows = [
            [name, len(ms), percentile(ms, 50), percentile(ms, 90), percentile(ms, 99)]
            for name, ms in (
                ("room open, no device", [k * 1000 for k in baseline]),
                ("during the load", [k * 1000 for k in keys]),
            )
        ]
        print("Console key latency (`h`, key to first screen update):")
        print(table(["console", "presses", "p50 ms", "p90 ms", "p99 ms"], rows))


if __name__ == "__main__":
    main()
