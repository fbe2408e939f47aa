"""The command line contract of PRODUCT.md: every command is listed, `--version`, and errors without tracebacks."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from ttx import __version__

# The commands PRODUCT.md promises (`tabletop` alone opens the console).
COMMANDS = (
    "run",
    "resume",
    "validate",
    "handouts",
    "report",
    "sessions",
    "export",
    "new",
    "import",
    "schema",
    "guide",
)


def ttx(
    *args: str, cwd: Path | None = None, home: Path | None = None
) -> subprocess.CompletedProcess[str]:
    """`python -m ttx ARGS` (the same as the `tabletop` command), with its own data folder."""
    env = dict(os.environ)
    if home is not None:
        env["TTX_HOME"] = str(home)
    return subprocess.run(
        [sys.executable, "-m", "ttx", *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        cwd=cwd,
        env=env,
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
    assert done.stdout.strip() == f"tabletop (ttx) {__version__}"


@pytest.mark.parametrize("command", COMMANDS)
def test_each_command_has_help(command: str) -> None:
    done = ttx(command, "--help")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"usage: tabletop {command}")


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
    assert "usage: tabletop" in done.stderr


def test_validate_and_schema_from_the_console_script(demo_path: Path) -> None:
    done = ttx("schema")
    assert done.returncode == 0 and done.stdout.startswith("{\n")
    done = ttx("validate", str(demo_path))
    assert done.returncode == 0
    assert (
        done.stdout.splitlines()[-1] == "1 file checked: 1 valid, 0 invalid (0 errors, 0 warnings)"
    )


def test_shipped_exercise_by_id_from_another_folder(tmp_path: Path) -> None:
    """`tabletop validate demo` works wherever the user stands."""
    done = ttx("validate", "demo", "across-the-line", cwd=tmp_path, home=tmp_path / "home")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "2 files checked: 2 valid" in done.stdout
    assert "demo.yaml" in done.stdout


def test_an_existing_path_wins_over_an_id(tmp_path: Path, demo_path: Path) -> None:
    (tmp_path / "demo").write_text("not: [an exercise", encoding="utf-8")
    done = ttx("validate", "demo", cwd=tmp_path, home=tmp_path / "home")
    assert done.returncode == 1, done.stdout  # the file named `demo` here is what was meant
    assert done.stdout.startswith("demo:2:1: error: YAML syntax error")
    assert str(demo_path) not in done.stdout


def test_own_exercises_by_id_and_ambiguity_named(tmp_path: Path, demo_path: Path) -> None:
    home = tmp_path / "home"
    (home / "exercises").mkdir(parents=True)
    (home / "exercises" / "mine.yaml").write_bytes(demo_path.read_bytes())
    done = ttx("validate", "mine", cwd=tmp_path, home=home)
    assert done.returncode == 0, done.stdout + done.stderr
    (home / "exercises" / "mine.yml").write_bytes(demo_path.read_bytes())
    done = ttx("validate", "mine", cwd=tmp_path, home=home)
    assert done.returncode == 2
    assert "mine.yaml" in done.stdout and "mine.yml" in done.stdout
    assert "give the path" in done.stdout


def test_unknown_id_is_unusable_and_lists_the_shipped_ones(tmp_path: Path) -> None:
    done = ttx("handouts", "no-such-exercise", cwd=tmp_path, home=tmp_path / "home")
    assert done.returncode == 2
    assert done.stderr.startswith("tabletop handouts: 'no-such-exercise' is neither a file")
    assert "demo" in done.stderr and "Traceback" not in done.stderr


def test_guide_prints_the_authoring_guide_when_piped(tmp_path: Path) -> None:
    done = ttx("guide", cwd=tmp_path)
    assert done.returncode == 0
    guide = Path(__file__).resolve().parents[2] / "docs" / "authoring.md"
    assert done.stdout == guide.read_text(encoding="utf-8")


def test_new_points_to_the_guide(tmp_path: Path) -> None:
    done = ttx("new", "Hurricane Drill", cwd=tmp_path)
    assert done.returncode == 0
    assert "tabletop guide" in done.stdout
    assert "tabletop guide" in (tmp_path / "hurricane-drill.yaml").read_text(encoding="utf-8")


def test_unexpected_error_writes_a_crash_report(tmp_path: Path) -> None:
    """A bug gives one line naming a crash report that holds the traceback; exit 3."""
    home = tmp_path / "home"
    code = (
        "import sys, ttx.commands.schema as s\n"
        "def boom(args): raise ZeroDivisionError('deliberate')\n"
        "s.run = boom\n"
        "from ttx.cli import main\n"
        "sys.exit(main(['schema']))\n"
    )
    env = dict(os.environ, TTX_HOME=str(home))
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=False
    )
    assert done.returncode == 3
    assert "Traceback" not in done.stderr
    assert done.stderr.startswith(
        "tabletop schema: unexpected error: ZeroDivisionError: deliberate"
    )
    reports = list((home / "crashes").glob("crash-*.log"))
    assert len(reports) == 1 and str(reports[0]) in done.stderr
    text = reports[0].read_text(encoding="utf-8")
    assert (
        "Traceback" in text and "ZeroDivisionError: deliberate" in text and "def boom" not in text
    )
