"""The command line contract of PRODUCT.md: every command is listed, `--version`, and errors without tracebacks."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from ttx import __version__

# The commands PRODUCT.md promises (`ttx` alone opens the console).
COMMANDS = (
    "run",
    "resume",
    "validate",
    "handouts",
    "report",
    "sessions",
    "export",
    "new",
    "schema",
)


def ttx(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ttx.cli", *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_help_lists_every_command() -> None:
    done = ttx("--help")
    assert done.returncode == 0
    listed = {line.split()[0] for line in done.stdout.splitlines() if line.startswith("    ")}
    assert set(COMMANDS) <= listed, set(COMMANDS) - listed
    assert "validate" in done.stdout and "exit 0 ok, 1 invalid, 2 unusable" in done.stdout


def test_version() -> None:
    done = ttx("--version")
    assert done.returncode == 0
    assert done.stdout.strip() == f"ttx {__version__}"


@pytest.mark.parametrize("command", COMMANDS)
def test_each_command_has_help(command: str) -> None:
    done = ttx(command, "--help")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"usage: ttx {command}")


@pytest.mark.parametrize(
    "args",
    [
        ("frobnicate",),
        ("validate",),
        ("validate", "--bogus", "x.yaml"),
        ("export", "s", "--format", "xml"),
    ],
    ids=["unknown-command", "validate-without-path", "unknown-option", "bad-choice"],
)
def test_usage_errors_exit_2_without_traceback(args: tuple[str, ...]) -> None:
    done = ttx(*args)
    assert done.returncode == 2
    assert "Traceback" not in done.stderr + done.stdout
    assert "usage: ttx" in done.stderr


def test_validate_and_schema_from_the_console_script(demo_path: Path) -> None:
    done = ttx("schema")
    assert done.returncode == 0 and done.stdout.startswith("{\n")
    done = ttx("validate", str(demo_path))
    assert done.returncode == 0
    assert (
        done.stdout.splitlines()[-1] == "1 file checked: 1 valid, 0 invalid (0 errors, 0 warnings)"
    )
