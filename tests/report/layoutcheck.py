"""Checks on WeasyPrint's laid-out pages (its box tree), for what text read back cannot show."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})


def stranded_heads(html: str) -> list[tuple[int, str]]:
    """(page, text) of every heading, or other block styled `break-after: avoid`, that ends a
    page other than the last: a head left at a page's foot with what it introduces overleaf."""
    from ttx.report.render import render_document

    pages = render_document(html).pages
    found = []
    for number, page in enumerate(pages[:-1], 1):
        last = None
        for box in _text_blocks(page._page_box):
            last = box
        if last is None or getattr(last, "element", None) is None:
            continue
        if last.element_tag in HEADINGS or last.style["break_after"] == "avoid":
            text = " ".join("".join(last.element.itertext()).split())
            found.append((number, text[:80]))
    return found


def _text_blocks(box: Any) -> Iterator[Any]:
    """The blocks that hold lines of text, in reading order, outside the page's margin boxes."""
    from weasyprint.formatting_structure import boxes

    for child in getattr(box, "children", ()):
        if isinstance(child, boxes.MarginBox):
            continue
        if isinstance(child, boxes.BlockContainerBox) and any(
            isinstance(c, boxes.LineBox) for c in child.children
        ):
            yield child
        elif isinstance(child, boxes.ParentBox):
            yield from _text_blocks(child)
