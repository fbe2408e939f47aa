"""The web server's own process: uvicorn serving `ttx.room.web`, talking to the holder over a pipe.

The holder (the console, or `tabletop room`) starts it as `python -m ttx.room.process FD
HOST PORT IDLE JOURNAL SESSION`, FD being its end of a socket pair (a `multiprocessing`
connection), and keeps the session: it answers each submission the server forwards once
the events are committed, and pings when the session changed. This process reads the
journal read-only and builds the pages from it (`ttx.room.follow`), so that work never
runs in the holder. It exits when the pipe closes (the holder stopped, or was killed),
when told to stop, or after the idle limit with no request.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import os
import socket
import subprocess
import sys
import threading
import time
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

PORT_TAKEN = "taken"


def bind(host: str, port: int) -> socket.socket:
    """A listening socket on host:port (port 0: the system chooses); OSError when it cannot be had."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        sock.listen(128)
    except OSError:
        sock.close()
        raise
    sock.set_inheritable(True)
    return sock


def launch(
    host: str,
    port: int,
    session: tuple[Path, str],
    secret: bytes,
    first: dict[str, Any],
    idle: float,
) -> tuple[Connection, subprocess.Popen[bytes]]:
    """Start the server process for `session` (its journal's path and its id); returns the
    holder's end of the pipe and the process. `first` has the codes and the room's mode.

    A plain child process (not `multiprocessing`'s spawn, which needs the terminal's
    standard error as a real file, and the console has replaced it).
    """
    mine, theirs = socket.socketpair()
    try:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "ttx.room.process",
                str(theirs.fileno()),
                host,
                str(port),
                str(idle),
                str(session[0]),
                session[1],
            ],
            pass_fds=(theirs.fileno(),),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            close_fds=True,
            start_new_session=True,  # Ctrl-C in the terminal reaches the holder only; it stops us
        )
    finally:
        theirs.close()
    conn = Connection(mine.detach())
    conn.send((secret, first))
    return conn, process


def _quiet() -> None:
    """Send this process's own output nowhere: the console's terminal belongs to the console."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)
    os.close(devnull)


def main(argv: list[str]) -> None:
    """`python -m ttx.room.process FD HOST PORT IDLE JOURNAL SESSION`: read the secret, the
    codes and the room's mode from the pipe (FD), bind, read the session, say ("ready",
    port) or ("error", kind, text), then serve."""
    conn = Connection(int(argv[0]))
    host, port, idle, session = argv[1], int(argv[2]), float(argv[3]), (Path(argv[4]), argv[5])
    secret, first = conn.recv()
    _quiet()
    try:
        sock = bind(host, port)
    except OSError as error:
        kind = PORT_TAKEN if error.errno in (98, 48, 10048) else "bind"
        conn.send(("error", kind, error.strerror or str(error)))
        conn.close()
        return
    import uvicorn

    from ttx.errors import TtxError
    from ttx.room.follow import Follower
    from ttx.room.web import Hub, build_app

    try:
        follower = Follower(*session)
    except TtxError as error:
        conn.send(("error", "journal", str(error)))
        conn.close()
        sock.close()
        return
    follower.changed(record=bool(first["record"]), teams=list(first["codes"]))

    send_lock = threading.Lock()
    waiting: dict[int, tuple[asyncio.AbstractEventLoop, asyncio.Future[tuple[str, str]]]] = {}
    numbers = itertools.count(1)

    def send(message: tuple[Any, ...]) -> None:
        with send_lock:
            conn.send(message)

    async def forward(kind: str, team: str, payload: dict[str, Any]) -> tuple[str, str]:
        loop = asyncio.get_running_loop()
        future: asyncio.Future[tuple[str, str]] = loop.create_future()
        number = next(numbers)
        waiting[number] = (loop, future)
        try:
            send(("submit", number, kind, team, payload))
            return await asyncio.wait_for(future, 30)
        except (OSError, EOFError):
            return "failed", "the laptop's session is not reachable; it will be sent again"
        except TimeoutError:
            return "failed", "the laptop did not confirm in time; it will be sent again"
        finally:
            waiting.pop(number, None)

    hub = Hub(forward, secret)
    hub.update({"codes": first["codes"]})
    follower.catch_up()
    hub.update(follower.message())
    config = uvicorn.Config(
        build_app(hub),
        log_config=None,
        log_level="critical",
        access_log=False,
        lifespan="off",
        timeout_graceful_shutdown=1,
        server_header=False,
    )
    server = uvicorn.Server(config)

    def read() -> None:
        while True:
            try:
                message = conn.recv()
            except (EOFError, OSError):
                server.should_exit = True  # the holder is gone: stop serving at once
                return
            if message[0] == "ack":
                entry = waiting.get(message[1])
                if entry is not None:
                    loop, future = entry
                    loop.call_soon_threadsafe(_settle, future, message[2])
            elif message[0] == "update":
                update = message[1]
                if "codes" in update or "address" in update:
                    hub.update({k: v for k, v in update.items() if k in ("codes", "address")})
                if "changed" in update or "codes" in update:
                    teams = list(update["codes"]) if "codes" in update else None
                    follower.changed(record=update.get("record"), teams=teams)
            elif message[0] == "stop":
                with contextlib.suppress(Exception):  # the pages' last view, then stop
                    if follower.catch_up():
                        hub.update(follower.message())
                server.should_exit = True
                return

    def follow() -> None:
        while not server.should_exit:
            follower.wait()
            try:
                if follower.catch_up():
                    hub.update(follower.message())
            except Exception:  # a bad moment (the disk, a bug) must not stop the pages
                time.sleep(1.0)

    def watch_idle() -> None:
        while not server.should_exit:
            time.sleep(min(5.0, idle / 4))
            if time.monotonic() - hub.last_request > idle:
                with contextlib.suppress(OSError):
                    send(("idle",))
                server.should_exit = True

    threading.Thread(target=read, name="room-pipe", daemon=True).start()
    threading.Thread(target=watch_idle, name="room-idle", daemon=True).start()
    threading.Thread(target=follow, name="room-follow", daemon=True).start()
    send(("ready", sock.getsockname()[1]))
    try:
        server.run(sockets=[sock])
    finally:
        follower.close()


def _settle(future: asyncio.Future[tuple[str, str]], result: tuple[str, str]) -> None:
    if not future.done():
        future.set_result(tuple(result))  # type: ignore[arg-type]


if __name__ == "__main__":
    main(sys.argv[1:])
