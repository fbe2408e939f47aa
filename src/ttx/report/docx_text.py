"""Rendered Markdown (the HTML in a document context) as Word paragraphs and runs.

Paragraphs, list items and headings become paragraphs; bold, italics and code become run
formatting; a link keeps its text and shows its address after it (a link to `#anchor` in
the document links to the `bookmark` of that name instead); line breaks are kept,
and other white space folds to one space as a browser folds it (outside `<pre>`).
Anything else keeps its text. Only `Markup` (what our own Markdown renderer,
`ttx.report.markdown`, writes, or a fragment built with `Markup.format`) is read as HTML;
any other value is plain text and prints as typed, `<`, `&` and quotes included.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any

from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph
from markupsafe import escape

_SPACE = re.compile(r"[ \t\n\r\f]+")
"""HTML's white space, which a browser folds to one space."""

BLOCKS = frozenset(
    {"p", "li", "div", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "tr"}
)


def add_html(container: Any, html: object, *, style: str | None = None) -> Paragraph | None:
    """Append `html` (`Markup`; any other value is plain text) to a document or a table cell;
    the first paragraph it wrote (None for none)."""
    writer = _Writer(container, style)
    writer.feed(str(escape(html)))
    writer.close()
    return writer.first


def bookmark(paragraph: Paragraph, anchor: str, number: int) -> None:
    """Mark `paragraph` as the target of links to `#anchor` (`number`: unique in the document)."""
    start = OxmlElement("w:bookmarkStart")
    start.set(qn("w:id"), str(number))
    start.set(qn("w:name"), _bookmark_name(anchor))
    end = OxmlElement("w:bookmarkEnd")
    end.set(qn("w:id"), str(number))
    p = paragraph._p
    if p.pPr is not None:
        p.pPr.addnext(start)
    else:
        p.insert(0, start)
    p.append(end)


def _bookmark_name(anchor: str) -> str:
    """A Word bookmark name for an HTML anchor: letters, digits and "_" (at most 40)."""
    return re.sub(r"\W", "_", anchor)[:40]


def plain(html: object) -> str:
    """The text of rendered Markdown (`Markup`; any other value is plain text), on one line."""
    reader = _Text()
    reader.feed(str(escape(html)))
    reader.close()
    return " ".join("".join(reader.parts).split())


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


class _Writer(HTMLParser):
    def __init__(self, container: Any, style: str | None) -> None:
        super().__init__(convert_charrefs=True)
        self.container = container
        self.style = style
        self.paragraph: Paragraph | None = None
        self.bold = 0
        self.italic = 0
        self.code = 0
        self.href: list[str | None] = []
        self.fresh_cell = _is_cell(container)
        self.first: Paragraph | None = None
        self.lists: list[str] = []
        self.numbered: list[NumberedList] = []
        self.pre = 0
        self.line_start = True
        """Nothing printed yet on the paragraph's current line (folded space is dropped there)."""

    def _new(self, style: str | None = None) -> Paragraph:
        chosen = style or self.style
        if self.fresh_cell:  # a new table cell holds one empty paragraph: use it first
            self.fresh_cell = False
            paragraph: Paragraph = self.container.paragraphs[0]
            if chosen:
                paragraph.style = chosen
        else:
            paragraph = self.container.add_paragraph(style=chosen)
        self.paragraph = paragraph
        if self.first is None:
            self.first = paragraph
        self.line_start = True
        return paragraph

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("ul", "ol"):
            self.lists.append(tag)
            self.numbered.append(NumberedList())
        elif tag == "li":
            kind = self.lists[-1] if self.lists else "ul"
            item = self._new("List Number" if kind == "ol" else "List Bullet")
            if kind == "ol":
                self.numbered[-1].item(item)
        elif tag in BLOCKS:
            self.paragraph = None
            self.pre += tag == "pre"
        elif tag in ("strong", "b"):
            self.bold += 1
        elif tag in ("em", "i"):
            self.italic += 1
        elif tag == "code":
            self.code += 1
        elif tag == "a":
            self.href.append(dict(attrs).get("href"))
        elif tag == "br" and self.paragraph is not None:
            self.paragraph.add_run().add_break()
            self.line_start = True

    def handle_endtag(self, tag: str) -> None:
        if tag in ("ul", "ol") and self.lists:
            self.lists.pop()
            self.numbered.pop()
        elif tag in BLOCKS:
            self.paragraph = None
            self.pre = max(0, self.pre - (tag == "pre"))
        elif tag in ("strong", "b"):
            self.bold = max(0, self.bold - 1)
        elif tag in ("em", "i"):
            self.italic = max(0, self.italic - 1)
        elif tag == "code":
            self.code = max(0, self.code - 1)
        elif tag == "a" and self.href:
            href = self.href.pop()
            if href and self.paragraph is not None and not href.startswith("#"):
                self.paragraph.add_run(f" ({href})")

    def handle_data(self, data: str) -> None:
        if not self.pre:
            data = _SPACE.sub(" ", data)
        if self.paragraph is None:
            if not data.strip():
                return
            self._new()
        if self.line_start and not self.pre:
            data = data.lstrip(" ")
        if not data:
            return
        self.line_start = False
        assert self.paragraph is not None
        run = self.paragraph.add_run(data.rstrip("\n") if self.pre else data)
        run.bold = bool(self.bold) or None
        run.italic = bool(self.italic) or None
        if self.code:
            run.font.name = "Courier New"
        anchor = next((h for h in reversed(self.href) if h), "")
        if anchor.startswith("#"):  # a link within the document: to its bookmark
            link = OxmlElement("w:hyperlink")
            link.set(qn("w:anchor"), _bookmark_name(anchor[1:]))
            run._r.addprevious(link)
            link.append(run._r)
            run.font.underline = True


class NumberedList:
    """One numbered list that counts from 1: Word's "List Number" style alone runs one count
    through the whole document, so each list gets its own numbering that restarts."""

    def __init__(self) -> None:
        self.num_id: str | None = None

    def item(self, paragraph: Paragraph) -> None:
        """Make `paragraph` (styled "List Number") the list's next item."""
        if self.num_id is None:
            self.num_id = _restarted(paragraph)
        properties = paragraph._p.get_or_add_pPr()
        numbering = OxmlElement("w:numPr")
        for tag, value in (("w:ilvl", "0"), ("w:numId", self.num_id)):
            element = OxmlElement(tag)
            element.set(qn("w:val"), value)
            numbering.append(element)
        style = properties.find(qn("w:pStyle"))
        if style is not None:  # w:numPr follows w:pStyle (and w:keepNext…) in w:pPr
            style.addnext(numbering)
        else:
            properties.insert(0, numbering)


def _restarted(paragraph: Paragraph) -> str:
    """A new numbering of the "List Number" style's kind that starts again at 1: its id."""
    style_id = paragraph.style.element.find(f"{qn('w:pPr')}/{qn('w:numPr')}/{qn('w:numId')}")  # type: ignore[union-attr]
    numbering = paragraph.part.numbering_part.element  # type: ignore[attr-defined]
    num = numbering.find(f"{qn('w:num')}[@{qn('w:numId')}='{style_id.get(qn('w:val'))}']")
    abstract = num.find(qn("w:abstractNumId")).get(qn("w:val"))
    used = [int(n.get(qn("w:numId"))) for n in numbering.findall(qn("w:num"))]
    new_id = str(max(used, default=0) + 1)
    fresh = OxmlElement("w:num")
    fresh.set(qn("w:numId"), new_id)
    link = OxmlElement("w:abstractNumId")
    link.set(qn("w:val"), abstract)
    override = OxmlElement("w:lvlOverride")
    override.set(qn("w:ilvl"), "0")
    start = OxmlElement("w:startOverride")
    start.set(qn("w:val"), "1")
    override.append(start)
    fresh.extend([link, override])
    numbering.append(fresh)
    return new_id


def _is_cell(container: Any) -> bool:
    from docx.table import _Cell

    return isinstance(container, _Cell)
