"""The console's frame rate: a key's update waits at most one frame period for its frame."""

from __future__ import annotations

import os
import subprocess
import sys

from ttx.tui import FRAMES_PER_SECOND

PROBE = "import ttx.tui.app, textual.constants as c; print(c.MAX_FPS)"


def _max_fps(env_fps: str | None) -> int:
    env = {k: v for k, v in os.environ.items() if k != "TEXTUAL_FPS"}
    if env_fps is not None:
        env["TEXTUAL_FPS"] = env_fps
    done = subprocess.run(
        [sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, check=True
    )
    return int(done.stdout.strip())


def test_the_console_draws_up_to_its_frame_rate_so_a_frame_waits_under_ten_ms() -> None:
    assert FRAMES_PER_SECOND >= 100
    assert _max_fps(None) == FRAMES_PER_SECOND


def test_a_frame_rate_set_in_the_environment_is_kept() -> None:
    assert _max_fps("30") == 30
