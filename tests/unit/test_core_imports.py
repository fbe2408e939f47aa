"""The core never imports the TUI: each core module, and `tabletop validate`, run without `textual`.

Each package is imported module by module in a fresh interpreter; a module added
later is covered automatically because the packages are walked, not listed.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent
PACKAGE = ROOT / "src" / "ttx"
CORE = ("model", "session", "store", "service", "report", "room", "importers")

WALK = r"""
import importlib, json, pkgutil, sys
package = importlib.import_module(sys.argv[1])
names = [sys.argv[1]] + [m.name for m in pkgutil.walk_packages(package.__path__, sys.argv[1] + ".")]
culprit = None
for name in names:
    importlib.import_module(name)
    if culprit is None and "textual" in sys.modules:
        culprit = name
print(json.dumps({"modules": names, "culprit": culprit}))
"""


def run_python(code: str, *args: str) -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, "-c", code, *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


@pytest.mark.parametrize("package", CORE)
def test_core_package_never_imports_textual(package: str) -> None:
    if not (PACKAGE / package / "__init__.py").is_file():
        pytest.skip(f"ttx.{package} does not exist yet")
    result = run_python(WALK, f"ttx.{package}")
    modules = result["modules"]
    assert isinstance(modules, list) and f"ttx.{package}" in modules
    assert result["culprit"] is None, f"{result['culprit']} imports textual"


def test_walk_covers_every_module_file() -> None:
    result = run_python(WALK, "ttx.model")
    modules = set(result["modules"])  # type: ignore[arg-type]
    for path in (PACKAGE / "model").glob("*.py"):
        name = "ttx.model" if path.stem == "__init__" else f"ttx.model.{path.stem}"
        assert name in modules


def test_validate_and_schema_commands_load_neither_tui_nor_pdf(demo_path: Path) -> None:
    code = f"""
import contextlib, io, json, sys
from ttx.cli import main
with contextlib.redirect_stdout(io.StringIO()):
    codes = [main(["validate", {str(demo_path)!r}]), main(["schema"])]
heavy = sorted(m for m in ("textual", "weasyprint", "ttx.tui") if m in sys.modules)
print(json.dumps({{"codes": codes, "heavy": heavy}}))
"""
    result = run_python(code)
    assert result == {"codes": [0, 0], "heavy": []}
