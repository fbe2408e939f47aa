"""Tiny helpers for writing SVG by hand: escaped text, fitted labels, numbers without noise."""

from __future__ import annotations

from markupsafe import Markup, escape

FONT = "Open Sans, Noto Sans Arabic, Noto Sans Hebrew, ttx Emoji, Noto Sans Symbols 2, sans-serif"


def num(value: float) -> str:
    """A coordinate with at most one decimal, so the SVG (and the PDF) stays stable and small."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def fit(text: str, width: float, size: float) -> str:
    """Cut `text` with an ellipsis so it fits about `width` units at font size `size`."""
    limit = max(3, int(width / (size * 0.56)))
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def text(
    x: float,
    y: float,
    content: str,
    *,
    size: float = 9,
    anchor: str = "start",
    weight: int = 400,
    fill: str = "#1d2430",
) -> str:
    """An SVG <text> element with escaped content (attributes come only from our own code)."""
    return (
        f'<text x="{num(x)}" y="{num(y)}" font-family="{FONT}" font-size="{num(size)}" '
        f'font-weight="{weight}" text-anchor="{anchor}" fill="{fill}">{escape(content)}</text>'
    )


def svg(width: float, height: float, body: list[str], label: str) -> Markup:
    """A complete inline <svg> with a title for screen readers."""
    return Markup(
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{num(width)}" height="{num(height)}" '
        f'viewBox="0 0 {num(width)} {num(height)}" role="img" aria-label="{escape(label)}">'
        f"<title>{escape(label)}</title>" + "".join(body) + "</svg>"
    )
