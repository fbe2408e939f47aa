"""Right-to-left phrases inside English text keep their own punctuation at their own end.

A reviewer found the "!" of «لا تذهبوا إلى المستشفى!» printed between the first word and
the closing », the start of the phrase for a right-to-left reader. These tests read the
HTML the renderer writes and, in the printed PDFs, where each glyph was drawn.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.report.conftest import DEMO
from tests.report.pdfcheck import Glyph, glyphs
from ttx.report.markdown import PDI, RLI, isolate, markdown, markdown_inline, plain

ARABIC = "لا تذهبوا إلى المستشفى"
HEBREW = "אל תלכו לבית החולים"
BODY = (
    f"The post reads: «{ARABIC}!» — “Don't go to the hospital!”\n"
    f'A second post, in Hebrew: "{HEBREW}!" (same message).\n'
)
WHOLE = "قال الفريق «إنها خطة» وانتهى الاجتماع."
TITLE = "עזרו לנו"
SENDER = "حساب رسمي"


def test_the_punctuation_of_a_quoted_phrase_is_isolated_with_it_and_the_quotes_are_not() -> None:
    html = str(markdown(BODY))
    assert f'«<bdi dir="rtl">{ARABIC}!</bdi>»' in html
    assert f'&quot;<bdi dir="rtl">{HEBREW}!</bdi>&quot;' in html
    assert str(markdown_inline(f"«{ARABIC}!»")) == f'«<bdi dir="rtl">{ARABIC}!</bdi>»'
    # Plain text may land in an attribute (the running header): Unicode's isolate there.
    assert str(plain(f"Team «{ARABIC}?»")) == f"Team «{RLI}{ARABIC}?{PDI}»"


def test_an_english_sentence_keeps_its_own_full_stop() -> None:
    # The full stop ends the English sentence: it stays right of the Arabic word.
    assert isolate("The team is فريق.") == f"The team is {RLI}فريق{PDI}."
    assert isolate("He said «نعم», then left.") == f"He said «{RLI}نعم{PDI}», then left."
    # A text that starts right to left (a team name, a rationale in a cell) owns its end.
    assert isolate("فريق الطوارئ.") == f"{RLI}فريق الطوارئ.{PDI}"
    assert isolate("Team Blue!") == "Team Blue!"


def test_a_paragraph_in_arabic_is_right_to_left_and_not_cut_into_isolates() -> None:
    html = str(markdown(WHOLE))
    assert html.startswith('<p dir="rtl">')
    assert "<bdi" not in html
    # What follows it is isolated again: a table, a list.
    html = str(markdown(f"{WHOLE}\n\n| a |\n|---|\n| «{ARABIC}!» |\n\n- «{HEBREW}!»\n- {HEBREW}."))
    assert f'<td>«<bdi dir="rtl">{ARABIC}!</bdi>»</td>' in html
    # A tight list prints no paragraph, so no dir: an item in Hebrew owns its full stop.
    assert f'<li>«<bdi dir="rtl">{HEBREW}!</bdi>»</li>' in html
    assert f'<li><bdi dir="rtl">{HEBREW}.</bdi></li>' in html


def _lines(found: list[Glyph]) -> list[list[Glyph]]:
    """Glyphs grouped by baseline, each line left to right."""
    rows: dict[int, list[Glyph]] = {}
    for glyph in found:
        rows.setdefault(round(glyph[1]), []).append(glyph)
    return [sorted(row) for row in rows.values()]


def _rows_with(pdf: Path, word: str) -> list[list[Glyph]]:
    """The printed lines that hold every letter of `word` and a "!"."""
    from pypdf import PdfReader

    found = []
    for number in range(len(PdfReader(str(pdf)).pages)):
        for row in _lines(glyphs(pdf, number)):
            if set(word) | {"!"} <= {g[2] for g in row}:
                found.append(row)
    return found


def _x(row: list[Glyph], chars: str) -> list[float]:
    return [x for x, _, text in row if text and text in chars]


def _check_phrase(pdf: Path, phrase: str, opening: str, closing: str) -> None:
    """The phrase's "!" is drawn at its end, left of its letters; the quotes stay outside.

    The phrase may wrap: the line checked is the one with its last word.
    """
    rows = _rows_with(pdf, phrase.split()[-1])
    assert len(rows) == 1, f"{phrase!r} ends on {len(rows)} lines of {pdf.name}"
    row = rows[0]
    letters = _x(row, phrase.replace(" ", ""))
    bang = [x for x in _x(row, "!") if min(letters) - 20 < x < max(letters) + 20]
    assert len(bang) == 1, row
    assert bang[0] < min(letters), f"the ! of {phrase!r} is not at its end (left)"
    assert any(x > max(letters) for x in _x(row, closing)), "the closing quote left its place"
    assert all(x < bang[0] for x in _x(row, opening) if x < max(letters))


def _exercise(tmp_path: Path) -> Path:
    """The demo with a first inject that quotes Arabic and Hebrew in its body, title and sender."""
    data: dict[str, Any] = yaml.safe_load(DEMO.read_text(encoding="utf-8"))
    inject = data["moves"][0]["injects"][0]
    inject["body"] = BODY + "\n" + WHOLE + "\n"
    inject["title"] = f"A post: «{TITLE}!»"
    inject["from"] = f"Social media «{SENDER}!»"
    path = tmp_path / "rtl.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


@pytest.mark.slow
def test_the_printed_cards_end_each_phrase_with_its_own_mark(tmp_path: Path) -> None:
    from ttx.cli import main

    out = tmp_path / "handouts"
    assert main(["handouts", str(_exercise(tmp_path)), "-o", str(out)]) == 0
    pdf = out / "inject-cards.pdf"
    _check_phrase(pdf, ARABIC, "«", "»")  # a Markdown block, on one line
    _check_phrase(pdf, HEBREW, '"', '"')  # the same, cut by a line break:
    where = {text: y for n in range(2) for _, y, text in glyphs(pdf, n) if text in "אם"}
    assert where["א"] != where["ם"], "the Hebrew phrase no longer wraps: move it in BODY"
    _check_phrase(pdf, TITLE, "«", "»")  # inline Markdown (the card's title)
    _check_phrase(pdf, SENDER, "«", "»")  # plain text (the sender)
    # The Arabic paragraph still reads right to left: its first word is drawn rightmost,
    # its full stop leftmost.
    rows = [r for n in range(2) for r in _lines(glyphs(pdf, n)) if {"ق", "ج"} <= {g[2] for g in r}]
    assert len(rows) == 1
    row = rows[0]
    assert max(_x(row, "قال")) == max(x for x, _, text in row if text.strip()), row
    assert min(_x(row, ".")) == min(x for x, _, text in row if text.strip()), row
