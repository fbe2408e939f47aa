"""`tabletop run/resume/project` on bad input: one clear message and an exit code, before any screen opens."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

TTX = Path(sys.executable).parent / "tabletop"


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(TTX), *args], capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL
    )


def test_resume_without_sessions_says_how_to_start() -> None:
    result = run("resume")
    assert result.returncode == 2  # no such session: unusable input (docs/cli.md)
    assert "no sessions yet" in result.stderr and "tabletop run" in result.stderr
    assert "Traceback" not in result.stderr


def test_project_unknown_session() -> None:
    result = run("project", "nosuch")
    assert result.returncode in (1, 2)
    assert "Traceback" not in result.stderr


def test_run_invalid_exercise_names_file_and_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("format: 1\nid: x\ntitle: X\nteams: []\nmoves: [}\n", encoding="utf-8")
    result = run("run", str(bad))
    assert result.returncode in (1, 2)
    assert "bad.yaml" in result.stderr and "Traceback" not in result.stderr


def test_console_needs_a_terminal() -> None:
    result = run("run", str(Path(__file__).resolve().parents[2] / "exercises" / "demo.yaml"))
    assert result.returncode == 2
    assert "interactive terminal" in result.stderr
