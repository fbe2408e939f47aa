"""`tabletop guide`: the authoring guide (docs/authoring.md, shipped in the package).

In a terminal it opens in a Markdown viewer with its table of contents; otherwise
(piped, redirected) it is printed as it is, for `less` or a file.
"""

from __future__ import annotations

import argparse
import sys

from ttx.errors import UnusableInput
from ttx.paths import shipped_docs_dir

GUIDE = "authoring.md"


def guide_text() -> str:
    """The authoring guide's Markdown."""
    path = shipped_docs_dir() / GUIDE
    try:
        return path.read_text(encoding="utf-8")
    except OSError as exc:
        raise UnusableInput(
            f"the authoring guide is missing from this installation ({path}: "
            f"{exc.strerror or exc}); reinstall ttx-tabletop"
        ) from None


def run(args: argparse.Namespace) -> int:
    """Show or print the guide; exit 0."""
    text = guide_text()
    if not (sys.stdout.isatty() and sys.stdin.isatty()):
        sys.stdout.write(text)
        return 0
    from ttx.tui.guide import GuideApp

    GuideApp(text).run()
    return 0
