"""Every character the documents print comes from a font ttx ships, never from the system.

A reviewer found the report's → set in DejaVu Sans, embedded from /usr/share/fonts: Open
Sans has no arrows. The README promises that no system font is needed.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont  # type: ignore[import-untyped]

from tests.report.pdfcheck import font_faces, foreign_fonts, misdrawn, pages_text
from tests.report.sessions import full_session, generated_exercise
from ttx.report.templates import TEMPLATES

SRC = TEMPLATES.parents[1]
BASE_CSS = TEMPLATES / "base" / "base.css"


def _faces() -> dict[str, set[int]]:
    """Each family base.css declares, with the characters its font files hold."""
    faces: dict[str, set[int]] = {}
    for family, path in font_faces():
        faces.setdefault(family, set()).update(TTFont(path, lazy=True).getBestCmap())
    return faces


def _stacks(files: list[Path]) -> set[tuple[str, ...]]:
    """Every font stack of these style sheets."""
    stacks = set()
    for css in files:
        rules = re.sub(r"@font-face\s*\{[^}]*\}", "", css.read_text(encoding="utf-8"))
        for stack in re.findall(r"(?<![-\w])font-family:\s*([^;}]+)", rules):
            stacks.add(tuple(name.strip().strip('"') for name in stack.split(",")))
    return stacks


def _printed_characters() -> dict[str, str]:
    """The non-ASCII characters of the templates, the report code and the vocabulary, and where."""
    files = [
        *TEMPLATES.rglob("*.html"),
        *TEMPLATES.rglob("*.css"),
        # markdown.py's Arabic and quotes are patterns and examples, not printed.
        *(path for path in (SRC / "report").glob("*.py") if path.name != "markdown.py"),
        SRC / "vocabulary.py",
    ]
    found: dict[str, str] = {}
    for path in files:
        for char in path.read_text(encoding="utf-8"):
            if ord(char) > 127 and char.isprintable() and not char.isspace():
                found.setdefault(char, path.name)
    return found


def test_every_stack_has_a_shipped_glyph_for_every_character_ttx_prints() -> None:
    faces = _faces()
    chars = _printed_characters()
    assert "→" in chars  # the synopsis prints "Trust 3 → 4"
    missing = []
    for stack in _stacks(list(TEMPLATES.rglob("*.css"))):
        shipped = [name for name in stack if name in faces]
        assert shipped, f"the stack {stack} names no shipped font"
        for char, where in chars.items():
            if not any(ord(char) in faces[name] for name in shipped):
                missing.append(f"U+{ord(char):04X} {char} ({where}) in {stack[0]}")
    assert missing == []
    # Arrows, quotes, check marks and boxes, in every stack of the shared style sheet.
    for stack in _stacks([BASE_CSS]):
        shipped = [name for name in stack if name in faces]
        for char in "→←↑↓·–—…“”‘’«»•✓☐▸×≥≤":
            assert any(ord(char) in faces[name] for name in shipped), (char, stack)


SYMBOLS = "0 → 4 ← ↑ ✓ ☐ ▸"


def test_every_weight_and_style_draws_its_own_arrows_and_check_marks(tmp_path: Path) -> None:
    """The arrows' file shares the symbols' family name: in bold, both are emboldened, and
    had they one weight and stretch, WeasyPrint would embed one file for both (✓ as ↑)."""
    from ttx.report.render import render_pdf

    looks = [
        f'<p class="{cls}" style="font-weight: {weight}; font-style: {style}">{SYMBOLS}</p>'
        for cls in ("", "sans")
        for weight in (400, 600, 700)
        for style in ("normal", "italic")
    ]
    html = (
        '<html lang="en"><head><title>symbols</title><link rel="stylesheet" href="base/base.css">'
        f"</head><body>{''.join(looks)}<h1>{SYMBOLS}</h1><p><code>{SYMBOLS}</code></p></body></html>"
    )
    pdf = tmp_path / "symbols.pdf"
    pdf.write_bytes(render_pdf(html)[0])
    assert foreign_fonts(pdf) == set()
    assert misdrawn(pdf) == []
    assert pages_text(pdf)[0].count("✓") == len(looks) + 2


@pytest.mark.slow
def test_the_shipped_handouts_draw_only_with_shipped_fonts(shipped_handouts: list[Path]) -> None:
    pdfs = [pdf for folder in shipped_handouts for pdf in sorted(folder.glob("*.pdf"))]
    assert len(pdfs) >= 20
    found = {
        f"{pdf.parent.name}/{pdf.name}": foreign_fonts(pdf) | set(misdrawn(pdf)) for pdf in pdfs
    }
    assert {name: bad for name, bad in found.items() if bad} == {}


@pytest.mark.slow
def test_a_report_with_arrows_draws_only_with_shipped_fonts(tmp_path: Path) -> None:
    from ttx.cli import main

    session_id = full_session(generated_exercise(tmp_path / "gen.yaml", 3))
    out = tmp_path / "aar.pdf"
    assert main(["report", session_id, "-o", str(out)]) == 0
    assert "→" in "".join(pages_text(out))  # "Inject released: … → all teams", "Trust 3 → 4"
    assert foreign_fonts(out) == set()
    assert misdrawn(out) == []
