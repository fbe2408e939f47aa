"""pyproject.toml lists every package, so the wheel never silently leaves one out."""

from __future__ import annotations

import tomllib
from pathlib import Path

from setuptools import find_namespace_packages  # type: ignore[import-untyped]

ROOT = Path(__file__).resolve().parents[2]


def test_every_package_is_listed() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]
    listed = set(config["setuptools"]["packages"])
    mapped = set(config["setuptools"]["package-dir"]) - {""}
    on_disk = {
        p
        for p in find_namespace_packages(str(ROOT / "src"), include=["ttx", "ttx.*"])
        if "__pycache__" not in p
    }
    assert on_disk | mapped == listed, (on_disk | mapped) ^ listed


def test_mapped_folders_exist() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]
    for package, folder in config["setuptools"]["package-dir"].items():
        if package:
            assert (ROOT / folder).is_dir(), folder
            assert not (ROOT / "src" / package.replace(".", "/")).exists(), "one source, no copy"
