"""Reading PDFs back for tests: text per page, normalised, and the structures a reviewer checks."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any

import segno
from pypdf import PdfReader

from ttx.report.join_cards import QR_BORDER, QR_SCALE

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
        height = float(page.mediabox.height)
        top = height - BODY_TOP_MM * MM
        bottom = BODY_BOTTOM_MM * MM
        chars, lowest_text = _body_text(page, top, bottom)
        ink = min(lowest_text, _lowest_drawing(page, top, bottom))
        result.append((chars, round((top - ink) / (top - bottom), 3)))
    return result


def _body_text(page: Any, top: float, bottom: float) -> tuple[int, float]:
    """Characters of text between the page margins, and the lowest baseline among them."""
    found = {"chars": 0, "lowest": top}

    def visit(text: str, cm: Any, tm: Any, font: Any, size: Any) -> None:
        stripped = "".join(text.split()).replace(ZWSP, "")
        if not stripped:
            return
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        if bottom <= y <= top + 2:
            found["chars"] += len(stripped)
            found["lowest"] = min(found["lowest"], y)

    page.extract_text(visitor_text=visit)
    return int(found["chars"]), float(found["lowest"])


def _lowest_drawing(page: Any, top: float, bottom: float) -> float:
    """The lowest point of the lines and boxes drawn in the page body (borders, answer boxes, rules)."""
    from pypdf.generic import ContentStream

    contents = page.get_contents()
    if contents is None:
        return top
    ops = ContentStream(contents, page.pdf).operations
    ctm = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0]
    stack: list[list[float]] = []
    lowest = top

    def y_of(x: float, y: float) -> float:
        return ctm[1] * x + ctm[3] * y + ctm[5]

    def mark(y: float) -> None:
        nonlocal lowest
        if bottom <= y <= top:
            lowest = min(lowest, y)

    for operands, op in ops:
        if op == b"q":
            stack.append(list(ctm))
        elif op == b"Q" and stack:
            ctm = stack.pop()
        elif op == b"cm":
            a, b, c, d, e, f = (float(v) for v in operands)
            ctm = [
                a * ctm[0] + b * ctm[2],
                a * ctm[1] + b * ctm[3],
                c * ctm[0] + d * ctm[2],
                c * ctm[1] + d * ctm[3],
                e * ctm[0] + f * ctm[2] + ctm[4],
                e * ctm[1] + f * ctm[3] + ctm[5],
            ]
        elif op == b"re":
            x, y, _w, h = (float(v) for v in operands)
            mark(min(y_of(x, y), y_of(x, y + h)))
        elif op in (b"m", b"l"):
            x, y = (float(v) for v in operands)
            mark(y_of(x, y))
    return lowest


def catalog(reader: PdfReader) -> Any:
    """The document catalog (`/Root`): language, structure tree, marked-content flags."""
    return reader.trailer["/Root"]


def qr_matrices(pdf: Path) -> list[list[list[bool]]]:
    """The QR codes embedded in the PDF, read back module by module (True = dark), page order."""
    found = []
    for page in PdfReader(str(pdf)).pages:
        for image in page.images:
            assert image.image is not None, "an embedded image pypdf cannot decode"
            picture = image.image.convert("L")
            size = picture.width // QR_SCALE - 2 * QR_BORDER
            found.append([[_dark(picture, row, col) for col in range(size)] for row in range(size)])
    return found


def _dark(picture: Any, row: int, col: int) -> bool:
    """Whether the QR module at (row, col) of a greyscale rendering is dark."""
    centre = (
        (QR_BORDER + col) * QR_SCALE + QR_SCALE // 2,
        (QR_BORDER + row) * QR_SCALE + QR_SCALE // 2,
    )
    level = picture.getpixel(centre)
    assert isinstance(level, int), "a greyscale image has one level per pixel"
    return level < 128


def expected_matrix(url: str) -> list[list[bool]]:
    """What a phone's camera reads: the modules of the QR code of `url`."""
    return [[bool(m) for m in row] for row in segno.make(url, error="m", micro=False).matrix]


def body_text(path: Path) -> str:
    """The document's text without its running headers and footers (lines on most pages, page numbers)."""
    pages = [page.splitlines() for page in pages_text(path)]
    counts: dict[str, int] = {}
    for lines in pages:
        for line in set(lines):
            counts[line] = counts.get(line, 0) + 1
    running = {line for line, n in counts.items() if len(pages) > 2 and n > len(pages) / 2}
    kept = [
        line
        for lines in pages
        for line in lines
        if line not in running and not re.search(r"Page \d+ of \d+$", line)
    ]
    return norm(" ".join(kept))


def repeated_passages(text: str, length: int = 100) -> list[str]:
    """Passages of `length` characters, each from the start of a word, that occur twice in `text`
    without overlapping: a paragraph printed twice shows here. A chart's axis labels (one
    word again and again, "Move 1 Move 2 ... 5 min 10 min") are not prose and are passed over."""
    first: dict[str, int] = {}
    repeats: list[str] = []
    for match in re.finditer(r"\S+", text):
        start = match.start()
        passage = text[start : start + length]
        if len(passage) < length:
            break
        if len(set(re.findall(r"[^\W\d_]{4,}", passage))) < 6:
            continue
        seen = first.setdefault(passage, start)
        if seen + length <= start and passage not in repeats:
            repeats.append(passage)
    return repeats


Glyph = tuple[float, float, str]
"""One glyph drawn on a page: its left edge x and baseline y in points (y up), and its text."""


def _to_unicode(font: Any) -> dict[int, str]:
    """A Type0 font's ToUnicode map: glyph code to the text it stands for."""
    stream = font.get("/ToUnicode")
    if stream is None:
        return {}
    cmap = stream.get_object().get_data().decode("latin-1")
    found: dict[int, str] = {}

    def text(hexa: str) -> str:
        return bytes.fromhex(hexa).decode("utf-16-be")

    for block in re.findall(r"beginbfchar(.*?)endbfchar", cmap, re.S):
        for code, value in re.findall(r"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>", block):
            found[int(code, 16)] = text(value)
    for block in re.findall(r"beginbfrange(.*?)endbfrange", cmap, re.S):
        for low, high, value in re.findall(
            r"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>", block
        ):
            start = int(value, 16)
            for offset, code in enumerate(range(int(low, 16), int(high, 16) + 1)):
                found[code] = chr(start + offset)
    return found


def _widths(font: Any) -> tuple[dict[int, float], float]:
    """A Type0 font's glyph widths (/W, in 1/1000 em) and its default width."""
    cid = font["/DescendantFonts"][0].get_object()
    widths: dict[int, float] = {}
    table = list(cid.get("/W", []))
    index = 0
    while index < len(table):
        first, second = int(table[index]), table[index + 1]
        if isinstance(second, list) or hasattr(second, "__iter__"):
            for offset, width in enumerate(second):
                widths[first + offset] = float(width)
            index += 2
        else:
            for code in range(first, int(second) + 1):
                widths[code] = float(table[index + 2])
            index += 3
    return widths, float(cid.get("/DW", 1000))


def _multiply(m: list[float], n: list[float]) -> list[float]:
    """The product m × n of two PDF matrices [a b c d e f]."""
    a, b, c, d, e, f = m
    p, q, r, s, t, u = n
    return [
        a * p + b * r,
        a * q + b * s,
        c * p + d * r,
        c * q + d * s,
        e * p + f * r + t,
        e * q + f * s + u,
    ]


def glyphs(path: Path, page_number: int = 0) -> list[Glyph]:
    """Every glyph of a page's text, in drawing order, with where it is drawn.

    Read from the content stream (text matrices, fonts' widths, ToUnicode maps), so it
    tells where a "!" really landed: the visual order, which text extraction hides.
    Handles the Type0 (Identity-H) fonts WeasyPrint writes; other fonts' glyphs are skipped.
    """
    from pypdf.generic import ContentStream

    reader = PdfReader(str(path))
    page = reader.pages[page_number]
    resources: Any = page["/Resources"].get_object()
    fonts: Any = resources.get("/Font", {})
    result: list[Glyph] = []
    ctm = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0]
    stack: list[list[float]] = []
    tm = line = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0]
    font: Any = None
    size = 0.0
    spacing = 0.0
    scale = 1.0
    content = ContentStream(page.get_contents(), reader)
    for operands, operator in content.operations:
        op = operator.decode("latin-1")
        if op == "q":
            stack.append(ctm)
        elif op == "Q":
            ctm = stack.pop()
        elif op == "cm":
            ctm = _multiply([float(v) for v in operands], ctm)
        elif op == "BT":
            tm = line = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0]
        elif op == "Tm":
            tm = line = [float(v) for v in operands]
        elif op in ("Td", "TD"):
            tm = line = _multiply([1, 0, 0, 1, float(operands[0]), float(operands[1])], line)
        elif op == "Tf":
            entry = fonts.get_object().get(operands[0])
            obj = entry.get_object() if entry is not None else None
            font = (
                (obj, *_widths(obj), _to_unicode(obj))
                if obj and obj.get("/Subtype") == "/Type0"
                else None
            )
            size = float(operands[1])
        elif op == "Tc":
            spacing = float(operands[0])
        elif op == "Tz":
            scale = float(operands[0]) / 100
        elif op in ("TJ", "Tj") and font is not None:
            _, widths, default, unicode = font
            for item in operands[0] if op == "TJ" else [operands[0]]:
                if isinstance(item, (int, float)):
                    tm = _multiply([1, 0, 0, 1, -float(item) / 1000 * size * scale, 0], tm)
                    continue
                data = getattr(item, "original_bytes", item)
                for i in range(0, len(data) - 1, 2):
                    code = int.from_bytes(data[i : i + 2], "big")
                    where = _multiply(tm, ctm)
                    result.append((where[4], where[5], unicode.get(code, "")))
                    advance = (widths.get(code, default) / 1000 * size + spacing) * scale
                    tm = _multiply([1, 0, 0, 1, advance, 0], tm)
    return result


STYLE_WORDS = {"Bold", "Semi", "Italic", "Oblique", "Medium", "Condensed"}
"""The words WeasyPrint writes after a face's family: "Open-Sans-Semi-Bold", "…-Bold-Semi-Condensed"."""


def font_faces() -> list[tuple[str, Path]]:
    """Each @font-face of base.css: its family and the shipped file it reads."""
    from ttx.report.templates import TEMPLATES

    css = TEMPLATES / "base" / "base.css"
    declared = re.findall(
        r'@font-face\s*\{\s*font-family:\s*"([^"]+)";\s*src:\s*url\(([^)]+)\)',
        css.read_text(encoding="utf-8"),
    )
    return [(family, (css.parent / url).resolve()) for family, url in declared]


def shipped_families() -> set[str]:
    """The families of the shipped font files, as a PDF names them ("Open-Sans")."""
    return {family.replace(" ", "-") for family, _ in font_faces()}


def foreign_fonts(path: Path) -> set[str]:
    """Fonts in a PDF that are not a shipped family, or not embedded: a system font sneaking in."""
    families = shipped_families()
    foreign: set[str] = set()
    for name in fonts(path):
        base = name.replace(",", "")
        if not any(
            base == f
            or (base.startswith(f + "-") and set(base[len(f) + 1 :].split("-")) <= STYLE_WORDS)
            for f in families
        ):
            foreign.add(name)
    return foreign


@lru_cache(maxsize=1)
def _shipped_cmaps() -> dict[str, set[int]]:
    """The characters of each shipped font file, by its PostScript name."""
    from fontTools.ttLib import TTFont  # type: ignore[import-untyped]

    cmaps: dict[str, set[int]] = {}
    for _, path in font_faces():
        font = TTFont(path, lazy=True)
        cmaps[str(font["name"].getDebugName(6))] = set(font.getBestCmap())
    return cmaps


def misdrawn(path: Path) -> list[str]:
    """Characters a PDF says it draws with a shipped font file that has no glyph for them.

    WeasyPrint keys an embedded font by family, weight, stretch and style: two files
    under one key share one embedded program, and the other file's characters print
    as whatever glyph of this one has their number (a bold ✓ printed as ↑). The
    embedded program keeps its file's PostScript name, which tells the file.
    """
    from io import BytesIO

    from fontTools.ttLib import TTFont

    found: set[str] = set()
    for page in PdfReader(str(path)).pages:
        resources: Any = page["/Resources"].get_object()
        for ref in resources.get("/Font", {}).values():
            font = ref.get_object()
            if font.get("/Subtype") != "/Type0":
                continue
            cid = font["/DescendantFonts"][0].get_object()
            program = cid["/FontDescriptor"].get_object().get("/FontFile2")
            if program is None:
                continue
            embedded = TTFont(BytesIO(program.get_object().get_data()), lazy=True)
            source = _shipped_cmaps().get(str(embedded["name"].getDebugName(6)))
            if source is None:
                continue  # not a shipped file: `foreign_fonts` reports it
            name = str(font["/BaseFont"]).split("+", 1)[-1]
            for text in _to_unicode(font).values():
                if len(text) == 1 and ord(text) not in source:
                    found.add(f"{name}: {text} (U+{ord(text):04X})")
    return sorted(found)


def text_sizes(page: Any) -> list[float]:
    """The printed size in points of every run of text a page's content shows (drawings too)."""
    from pypdf.generic import ContentStream

    def times(a: list[float], b: list[float]) -> list[float]:
        return [
            a[0] * b[0] + a[1] * b[2],
            a[0] * b[1] + a[1] * b[3],
            a[2] * b[0] + a[3] * b[2],
            a[2] * b[1] + a[3] * b[3],
            a[4] * b[0] + a[5] * b[2] + b[4],
            a[4] * b[1] + a[5] * b[3] + b[5],
        ]

    ctm = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0]
    stack: list[list[float]] = []
    tm = list(ctm)
    size = 0.0
    sizes: list[float] = []
    for operands, operator in ContentStream(page.get_contents(), page.pdf).operations:
        if operator == b"q":
            stack.append(ctm)
        elif operator == b"Q" and stack:
            ctm = stack.pop()
        elif operator == b"cm":
            ctm = times([float(v) for v in operands], ctm)
        elif operator == b"BT":
            tm = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0]
        elif operator == b"Tm":
            tm = [float(v) for v in operands]
        elif operator == b"Tf":
            size = float(operands[1])
        elif operator in (b"Tj", b"TJ", b"'", b'"'):
            m = times(tm, ctm)
            sizes.append(round(size * (m[2] ** 2 + m[3] ** 2) ** 0.5, 2))
    return sizes
