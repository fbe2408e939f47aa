"""Headless `tabletop room` in a child process, for the tests that talk to it over HTTP."""

from __future__ import annotations

import os
import select
import signal
import subprocess
import sys
import time

import pytest


class HeadlessRoom:
    """`tabletop room SESSION --host 127.0.0.1 --port P` (0: any) in a child process, and its join URLs."""

    def __init__(self, session_id: str, teams: int, port: int = 0) -> None:
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "ttx",
                "room",
                session_id,
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        self.urls: dict[str, str] = {}
        deadline = time.monotonic() + 60
        assert self.proc.stdout is not None
        out = self.proc.stdout.fileno()  # read raw: a buffered readline would hide later lines
        pending = b""
        while len(self.urls) < teams and time.monotonic() < deadline:
            ready, _, _ = select.select([out], [], [], 0.5)
            chunk = os.read(out, 4096) if ready else b""
            if ready and not chunk:
                break
            pending += chunk
            *lines, pending = pending.split(b"\n")
            for line in lines:
                team, url = line.decode().split()
                self.urls[team] = url
        if len(self.urls) < teams:
            self.proc.kill()
            _, err = self.proc.communicate(timeout=10)
            pytest.fail(f"tabletop room did not print its join URLs: {err.decode().strip()}")

    def stop(self) -> int:
        """SIGTERM, as a facilitator's Ctrl-C or a service manager would; the exit code."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            return self.proc.wait()
