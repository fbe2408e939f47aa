"""A document's HTML as one self-contained file for a browser (`tabletop report --format html`).

The same HTML the PDF is rendered from, with its stylesheets copied in as `<style>`
blocks, so the file fetches nothing: charts are inline SVG and pictures `data:` URLs
already. The shipped fonts' `@font-face` rules are left out (the browser's own fonts
stand in; the family lists name generic fallbacks), and a screen rule gives the page a
reading width.
"""

from __future__ import annotations

import re

from ttx.report.templates import TEMPLATES

_STYLESHEET = re.compile(r'<link rel="stylesheet" href="([\w/.-]+\.css)">')
_FONT_FACE = re.compile(r"@font-face\s*\{[^}]*\}\s*")
SCREEN = (
    "@media screen { body { max-width: 190mm; margin: 2em auto; padding: 0 1.5em; } "
    ".cover { padding-top: 0; } }"
)


def standalone_html(html: str) -> str:
    """`html` with every stylesheet inlined and nothing left to fetch."""

    def inline(match: re.Match[str]) -> str:
        css = _FONT_FACE.sub("", (TEMPLATES / match.group(1)).read_text(encoding="utf-8"))
        return f"<style>\n{css}\n</style>"  # the package's own files: no "</style>" in them

    return _STYLESHEET.sub(inline, html).replace("</head>", f"<style>{SCREEN}</style>\n</head>", 1)
