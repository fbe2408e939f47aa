"""What a Word document prints around its text: margins, the running header and footer,
and page numbers as fields.

The Word report (`ttx.report.aar_docx`) uses these to print what the PDF's page boxes
print (`templates/base/base.css`): the exercise, version and date at the top left, the
document's name at the top right, the fictional-exercise caveat at the bottom left and
"Page N of M" at the bottom right; the cover page has the footer but no header.
"""

from __future__ import annotations

from docx.document import Document as DocxDocument
from docx.enum.text import WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.text.paragraph import Paragraph
from docx.text.run import Run

MUTED = RGBColor(0x5B, 0x64, 0x72)
"""The page boxes' grey, as in the PDF."""


def set_margins(doc: DocxDocument) -> None:
    """The PDF's margins: 20 mm at the top, 18 mm at the foot, 17 mm at the sides."""
    for section in doc.sections:
        section.top_margin, section.bottom_margin = Mm(20), Mm(18)
        section.left_margin = section.right_margin = Mm(17)
        section.header_distance = section.footer_distance = Mm(8)


def running_text(doc: DocxDocument, header: tuple[str, str], footer: tuple[str, str]) -> None:
    """A header and a footer of two parts each, left and right (in the footer's right part,
    `{page}` and `{pages}` become the page number and the page count); the first page (the
    cover) has the footer only."""
    section = doc.sections[0]
    section.different_first_page_header_footer = True
    _line(section.header.paragraphs[0], header, doc, rule="bottom")
    for part in (section.footer, section.first_page_footer):
        _line(part.paragraphs[0], footer, doc, rule=None)
    section.first_page_header.is_linked_to_previous = False


def _line(
    paragraph: Paragraph, parts: tuple[str, str], doc: DocxDocument, rule: str | None
) -> None:
    """One line of small grey text: the left part, a tab to the right margin, the right part."""
    section = doc.sections[0]
    width = section.page_width - section.left_margin - section.right_margin  # type: ignore[operator]
    paragraph.style = doc.styles["Normal"]  # the Header style's own tab stops would interfere
    if rule:  # before the tab stops: Word wants a paragraph's borders before its tabs
        _rule(paragraph, rule)
    paragraph.paragraph_format.tab_stops.add_tab_stop(width, WD_TAB_ALIGNMENT.RIGHT)
    left, right = parts
    _small(paragraph.add_run(left + "\t"))
    head, _, rest = right.partition("{page}")
    middle, _, tail = rest.partition("{pages}")
    _small(paragraph.add_run(head))
    if "{page}" in right:
        _small(field(paragraph, "PAGE", "1"))
        _small(paragraph.add_run(middle))
        _small(field(paragraph, "NUMPAGES", "1"))
        _small(paragraph.add_run(tail))


def _small(run: Run) -> None:
    font = run.font
    font.size = Pt(7.5)
    font.color.rgb = MUTED


def _rule(paragraph: Paragraph, side: str) -> None:
    """A thin grey line under (or over) the paragraph, as under the PDF's header."""
    borders = OxmlElement("w:pBdr")
    line = OxmlElement(f"w:{side}")
    for key, value in (("w:val", "single"), ("w:sz", "4"), ("w:space", "1"), ("w:color", "C9D1DC")):
        line.set(qn(key), value)
    borders.append(line)
    paragraph._p.get_or_add_pPr().append(borders)


def field(paragraph: Paragraph, instruction: str, shown: str) -> Run:
    """A simple field (`PAGE`, `NUMPAGES`) at the end of `paragraph`, showing `shown` until
    the word processor computes it; the run that holds its text."""
    simple = OxmlElement("w:fldSimple")
    simple.set(qn("w:instr"), f" {instruction} ")
    paragraph._p.append(simple)
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = shown
    run.append(text)
    simple.append(run)
    return Run(run, paragraph)
