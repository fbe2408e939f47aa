"""Reading PDFs back for tests: text per page, normalised, and the structures a reviewer checks."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from pypdf import PdfReader

ZWSP = "\u200b"


def pages_text(path: Path) -> list[str]:
    """The extracted text of every page."""
    reader = PdfReader(str(path))
    return [page.extract_text() or "" for page in reader.pages]


def norm(text: str) -> str:
    """Whitespace collapsed, zero-width spaces and soft hyphens removed, quotes straightened."""
    text = text.replace(ZWSP, "").replace("\u00ad", "")
    text = (
        text.replace("\u2019", "'")
        .replace("\u2018", "'")
        .replace("\u201c", '"')
        .replace("\u201d", '"')
    )
    return re.sub(r"\s+", " ", text).strip()


def squash(text: str) -> str:
    """All whitespace and zero-width spaces removed (for text a line break may cut anywhere)."""
    return re.sub(r"[\s\u200b\u00ad]+", "", text)


def text_of(path: Path) -> str:
    """The whole document's text, normalised."""
    return norm(" ".join(pages_text(path)))


def md_plain(markdown: str) -> str:
    """Markdown source reduced to roughly what a reader sees, for searching the PDF text."""
    text = re.sub(r"(?<!\w)_(.+?)_(?!\w)", r"\1", markdown)
    text = re.sub(r"[*`#>]+", "", text)
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    return norm(text)


def embedded_files(path: Path) -> list[str]:
    """Names of files embedded in the PDF (attachments), page-level file annotations included."""
    reader = PdfReader(str(path))
    names: list[str] = []
    root: Any = reader.trailer["/Root"]
    tree = root.get("/Names", {})
    if hasattr(tree, "get_object"):
        tree = tree.get_object()
    if "/EmbeddedFiles" in tree:
        entries = tree["/EmbeddedFiles"].get_object().get("/Names", [])
        names.extend(str(entries[i]) for i in range(0, len(entries), 2))
    for page in reader.pages:
        for annot in page.get("/Annots", []) or []:
            obj = annot.get_object()
            if obj.get("/Subtype") == "/FileAttachment":
                names.append(str(obj.get("/FS", "file")))
    return names


def fonts(path: Path) -> set[str]:
    """Base names of the fonts used, and whether each is embedded (name ends with '*' if not)."""
    reader = PdfReader(str(path))
    found: set[str] = set()
    for page in reader.pages:
        resources = page.get("/Resources")
        if resources is None:
            continue
        font_dict = resources.get_object().get("/Font")
        if font_dict is None:
            continue
        for ref in font_dict.get_object().values():
            font = ref.get_object()
            name = str(font.get("/BaseFont", "?"))
            embedded = False
            for descendant in font.get("/DescendantFonts", []) or []:
                descriptor = descendant.get_object().get("/FontDescriptor")
                if descriptor is not None:
                    d = descriptor.get_object()
                    embedded = any(k in d for k in ("/FontFile", "/FontFile2", "/FontFile3"))
            descriptor = font.get("/FontDescriptor")
            if descriptor is not None:
                d = descriptor.get_object()
                embedded = embedded or any(
                    k in d for k in ("/FontFile", "/FontFile2", "/FontFile3")
                )
            found.add(name.split("+", 1)[-1] + ("" if embedded else "*"))
    return found


MM = 72 / 25.4
BODY_TOP_MM = 20.0
"""The page's top margin (base.css): the running header sits above it."""
BODY_BOTTOM_MM = 18.0
"""The page's bottom margin: the footer sits below it."""


def page_fill(path: Path) -> list[tuple[int, float]]:
    """Per page: characters of body text, and how far down the body its last line is (0-1).

    The running header and footer (outside the page margins) are not counted, so a
    page with nothing but its header and footer reads (0, 0.0). Only text counts: a
    page of empty answer boxes reads as empty as it looks to a reader hunting for
    something to read, but its labels ("Our rationale", "Spokesperson") do count.
    """
    reader = PdfReader(str(path))
    result: list[tuple[int, float]] = []
    for page in reader.pages:
        box = page.mediabox
        height = float(box.height)
        top = height - BODY_TOP_MM * MM
        bottom = BODY_BOTTOM_MM * MM
        lowest = [top]
        chars = [0]

        def visit(
            text: str, cm: Any, tm: Any, font: Any, size: Any, *, t: float = top, b: float = bottom
        ) -> None:
            stripped = "".join(text.split()).replace(ZWSP, "")
            if not stripped:
                return
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            if b <= y <= t + 2:
                chars[0] += len(stripped)
                lowest[0] = min(lowest[0], y)

        page.extract_text(visitor_text=visit)
        result.append((chars[0], round((top - lowest[0]) / (top - bottom), 3)))
    return result
