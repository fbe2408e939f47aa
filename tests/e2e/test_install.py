"""An installed copy, as a user gets it: build the wheel and sdist, install the wheel into a
fresh virtual environment outside the repository, and use `tabletop` from another folder."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LOCK = ROOT / "constraints.txt"

pytestmark = pytest.mark.slow

_NOT_SOURCE = (
    ".git",
    ".venv*",
    "__pycache__",
    "*.egg-info",
    ".*_cache",
    ".hypothesis",
    "build",
    "dist",
    "*.pdf",
    "snapshot_report.html",
)


def _run(*args: str | Path, cwd: Path, env: dict[str, str] | None = None) -> str:
    done = subprocess.run(
        [str(a) for a in args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        timeout=900,
        check=False,
        stdin=subprocess.DEVNULL,
    )
    assert done.returncode == 0, f"{args}\n{done.stdout}\n{done.stderr}"
    return done.stdout


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The wheel and the sdist built from this checkout (build dependencies from the lock)."""
    out = tmp_path_factory.mktemp("dist")
    # Built from a copy, so that files other tests write meanwhile (caches, reports) and
    # the build's own egg-info never meet in the checkout.
    source = tmp_path_factory.mktemp("source") / "ttx"
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(*_NOT_SOURCE))
    env = dict(os.environ, PIP_CONSTRAINT=str(LOCK))
    _run(sys.executable, "-m", "build", "--outdir", out, source, cwd=out, env=env)
    (wheel,) = out.glob("ttx_tabletop-*.whl")
    (sdist,) = out.glob("ttx_tabletop-*.tar.gz")
    return wheel, sdist


@pytest.fixture(scope="module")
def installed(built: tuple[Path, Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh venv outside the repository with the wheel installed from the lock."""
    venv = tmp_path_factory.mktemp("venv") / "v"
    _run(sys.executable, "-m", "venv", venv, cwd=venv.parent)
    env = dict(os.environ, PIP_CONSTRAINT=str(LOCK))
    _run(venv / "bin" / "python", "-m", "pip", "install", "-q", built[0], cwd=venv.parent, env=env)
    return venv


def test_wheel_carries_exercises_docs_and_licences(built: tuple[Path, Path]) -> None:
    with zipfile.ZipFile(built[0]) as wheel:
        names = set(wheel.namelist())
        metadata = wheel.read(next(n for n in names if n.endswith("/METADATA"))).decode()
        entry = wheel.read(next(n for n in names if n.endswith("/entry_points.txt"))).decode()
    for shipped in (ROOT / "exercises").glob("*.yaml"):
        assert f"ttx/exercises/{shipped.name}" in names
    assert "ttx/docs/authoring.md" in names
    assert "ttx/py.typed" in names
    licences = {n.rsplit("/", 1)[-1] for n in names if "/licenses/" in n}
    assert {"LICENSE", "LICENSE-OFL-1.1.txt", "LICENSE-Apache-2.0.txt", "FONTS.txt"} <= licences
    assert "License-Expression: MIT AND OFL-1.1 AND Apache-2.0" in metadata
    assert "tabletop = ttx.cli:main" in entry and "\nttx " not in entry


def test_sdist_holds_tests_exercises_and_docs(built: tuple[Path, Path]) -> None:
    with tarfile.open(built[1]) as sdist:
        names = {n.split("/", 1)[-1] for n in sdist.getnames()}
    assert {"exercises/demo.yaml", "docs/authoring.md", "docs/cli.md", "constraints.txt"} <= names
    assert "tests/unit/test_cli.py" in names and "tests/e2e/test_install.py" in names


def test_installed_tabletop_works_from_another_folder(installed: Path, tmp_path: Path) -> None:
    env = dict(os.environ, TTX_HOME=str(tmp_path / "home"))
    tabletop = installed / "bin" / "tabletop"
    python = installed / "bin" / "python"
    assert "ttx.cli" in tabletop.read_text(encoding="utf-8")  # the script is ours
    version = _run(tabletop, "--version", cwd=tmp_path, env=env)
    assert version.startswith("tabletop (ttx) ")
    assert _run(python, "-m", "ttx", "--version", cwd=tmp_path, env=env) == version
    out = _run(tabletop, "validate", "demo", cwd=tmp_path, env=env)
    assert "1 valid" in out and str(installed) in out  # the copy inside the install
    _run(tabletop, "handouts", "demo", "-o", "printed", cwd=tmp_path, env=env)
    pdfs = sorted(p.name for p in (tmp_path / "printed").glob("*.pdf"))
    assert pdfs and all((tmp_path / "printed" / p).stat().st_size > 1000 for p in pdfs)
    guide = _run(tabletop, "guide", cwd=tmp_path, env=env)
    assert guide == (ROOT / "docs" / "authoring.md").read_text(encoding="utf-8")
    # The home screen's list, from the installed copy: every shipped exercise, valid.
    listed = _run(
        python,
        "-c",
        "from ttx.service.catalogue import catalogue\n"
        "for e in catalogue(): print(e.path.name, e.shipped, e.problem is None)",
        cwd=tmp_path,
        env=env,
    )
    shipped = sorted(p.name for p in (ROOT / "exercises").glob("*.yaml"))
    assert sorted(listed.split()[0::3]) == shipped and "False" not in listed


def test_reinstalling_fonttools_leaves_tabletop_alone(installed: Path, tmp_path: Path) -> None:
    env = dict(os.environ, PIP_CONSTRAINT=str(LOCK), TTX_HOME=str(tmp_path / "home"))
    pip: list[str | Path] = [installed / "bin" / "python", "-m", "pip", "install", "-q"]
    _run(*pip, "--force-reinstall", "--no-deps", "fonttools", cwd=tmp_path, env=env)
    assert _run(installed / "bin" / "tabletop", "--version", cwd=tmp_path, env=env).startswith(
        "tabletop (ttx) "
    )
    _run(
        installed / "bin" / "python",
        "-m",
        "pip",
        "uninstall",
        "-y",
        "-q",
        "fonttools",
        cwd=tmp_path,
    )
    assert (installed / "bin" / "tabletop").exists()
