"""docs/cli.md's one table of exit codes, and every command held to it."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from ttx.errors import Exit

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "exercises" / "demo.yaml"


def test_the_docs_table_is_the_enum() -> None:
    text = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    table = text[text.index("## Exit codes") :]
    rows = re.findall(r"^\| (\d) \| (\w+) \|", table, flags=re.MULTILINE)
    assert [(int(code), name) for code, name in rows] == [(e.value, e.name) for e in Exit]


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data folder with one recorded session, and a few files to point commands at."""
    folder = tmp_path_factory.mktemp("cli")
    (folder / "broken.yaml").write_text("format: 1\nid: x\n", encoding="utf-8")
    (folder / "binary.yaml").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    (folder / "exists.yaml").write_text("x", encoding="utf-8")
    (folder / "msel.csv").write_text("Event #,To,Inject\n1,Red,A storm\n", encoding="utf-8")
    (folder / "table.csv").write_text("Item,Cost\nBuses,100\n", encoding="utf-8")
    env = dict(os.environ, TTX_HOME=str(folder / "home"))
    subprocess.run(
        [
            sys.executable,
            "-c",
            f"from ttx.api import open_journal\n"
            f"with open_journal() as j:\n    j.create_session({str(DEMO)!r}).close()\n",
        ],
        env=env,
        check=True,
    )
    return folder


MATRIX: list[tuple[tuple[str, ...], Exit]] = [
    (("validate", "demo"), Exit.OK),
    (("validate", "broken.yaml"), Exit.INVALID),
    (("validate", "binary.yaml"), Exit.UNUSABLE),
    (("validate", "missing.yaml"), Exit.UNUSABLE),
    (("validate", "no-such-id"), Exit.UNUSABLE),
    (("handouts", "broken.yaml"), Exit.INVALID),
    (("handouts", "missing.yaml"), Exit.UNUSABLE),
    (("handouts", "no-such-id"), Exit.UNUSABLE),
    (("run", "broken.yaml"), Exit.INVALID),
    (("run", "no-such-id"), Exit.UNUSABLE),
    (("report", "no-such-session"), Exit.UNUSABLE),
    (("export", "no-such-session"), Exit.UNUSABLE),
    (("resume", "no-such-session"), Exit.UNUSABLE),
    (("project", "no-such-session"), Exit.UNUSABLE),
    (("room", "no-such-session", "--host", "127.0.0.1", "--port", "0"), Exit.UNUSABLE),
    (("sessions",), Exit.OK),
    (("schema",), Exit.OK),
    (("guide",), Exit.OK),
    (("new", ""), Exit.INVALID),
    (("new", "Exists", "-o", "exists.yaml"), Exit.INVALID),
    (("import", "msel.csv", "-o", "imported.yaml"), Exit.OK),
    (("import", "msel.csv", "-o", "exists.yaml"), Exit.INVALID),
    (("import", "table.csv"), Exit.UNUSABLE),
    (("import", "missing.csv"), Exit.UNUSABLE),
    (("import", "binary.yaml"), Exit.UNUSABLE),
    (("frobnicate",), Exit.UNUSABLE),
    (("validate", "--bogus"), Exit.UNUSABLE),
]


@pytest.mark.parametrize(("args", "code"), MATRIX, ids=[" ".join(a) or "-" for a, _ in MATRIX])
def test_each_command_follows_the_table(args: tuple[str, ...], code: Exit, world: Path) -> None:
    env = dict(os.environ, TTX_HOME=str(world / "home"))
    done = subprocess.run(
        [sys.executable, "-m", "ttx", *args],
        capture_output=True,
        text=True,
        cwd=world,
        env=env,
        timeout=120,
        check=False,
        stdin=subprocess.DEVNULL,
    )
    assert done.returncode == code, done.stdout + done.stderr
    assert "Traceback" not in done.stdout + done.stderr
    if code != Exit.OK:
        assert (done.stdout + done.stderr).strip(), "a failure always says why"
