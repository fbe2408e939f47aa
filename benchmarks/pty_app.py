"""Drive a terminal program in a real pseudo-terminal: start-up time and keypress-to-screen latency."""

from __future__ import annotations

import fcntl
import os
import pty
import select
import signal
import struct
import termios
import time
from collections.abc import Sequence


class PtyApp:
    """A program running in a pseudo-terminal of a fixed size, read without blocking."""

    def __init__(
        self,
        argv: Sequence[str],
        *,
        cols: int = 120,
        rows: int = 40,
        env: dict[str, str] | None = None,
    ) -> None:
        self.started = time.perf_counter()
        pid, fd = pty.fork()
        if pid == 0:  # child
            os.execvpe(argv[0], list(argv), {**os.environ, "TERM": "xterm-256color", **(env or {})})
        self.pid, self.fd = pid, fd
        fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
        self.buffer = b""

    def read(self, timeout: float) -> bytes:
        """Whatever the program wrote within `timeout` seconds (may be empty)."""
        ready, _, _ = select.select([self.fd], [], [], timeout)
        if not ready:
            return b""
        try:
            data = os.read(self.fd, 1 << 16)
        except OSError:
            return b""
        self.buffer += data
        return data

    def wait_for(self, marker: bytes, timeout: float = 20.0) -> float:
        """Seconds since start until `marker` appeared in the output."""
        deadline = time.perf_counter() + timeout
        while marker not in self.buffer:
            if time.perf_counter() > deadline:
                raise TimeoutError(
                    f"{marker!r} did not appear; last output: {self.buffer[-300:]!r}"
                )
            self.read(0.05)
        return time.perf_counter() - self.started

    def wait_for_new(self, marker: bytes, timeout: float = 10.0) -> None:
        """Wait until `marker` appears in output written from now on."""
        seen = b""
        deadline = time.perf_counter() + timeout
        while marker not in seen:
            if time.perf_counter() > deadline:
                raise TimeoutError(f"{marker!r} did not appear; last output: {seen[-300:]!r}")
            seen = seen[-len(marker) :] + self.read(0.05)

    def drain(self, quiet: float = 0.15) -> None:
        """Read until the program has been quiet for `quiet` seconds."""
        while self.read(quiet):
            pass

    def key_latency(self, key: bytes, timeout: float = 2.0) -> float:
        """Seconds from writing `key` to the first byte of screen output that follows."""
        self.drain(0.05)
        t0 = time.perf_counter()
        os.write(self.fd, key)
        while True:
            left = timeout - (time.perf_counter() - t0)
            if left <= 0:
                raise TimeoutError(f"no screen update after {key!r}")
            if self.read(left):
                return time.perf_counter() - t0

    def close(self) -> None:
        """Stop the program."""
        try:
            os.kill(self.pid, signal.SIGTERM)
            for _ in range(40):
                done, _ = os.waitpid(self.pid, os.WNOHANG)
                if done:
                    break
                self.read(0.05)
            else:
                os.kill(self.pid, signal.SIGKILL)
                os.waitpid(self.pid, 0)
        except (ProcessLookupError, ChildProcessError):
            pass
        os.close(self.fd)
