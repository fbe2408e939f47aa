"""The after-action report as a Word document, for the sponsor to finish in Word.

It prints the same plain-data context as the PDF (`ttx.report.aar.report_context`) with
the same section headings, as real Word headings and tables whose first row is a
repeating header row; the document's language is the exercise's. The cover, the running
header and the footer ("Page N of M") print what the PDF's do (`ttx.report.docx_page`).
Rendered Markdown in the context (`Markup`: paragraphs, lists, bold, italics, links)
becomes Word paragraphs and runs (`ttx.report.docx_text`); every other value is plain
text, and fragments that mix the two are built with `Markup.format`, which escapes the
plain part once. A choice chart becomes the sentence its alt text says; a track's chart
becomes a table of its value move by move (`ttx.report.docx_tracks`).
"""

from __future__ import annotations

import html
import io
import re
from collections.abc import Iterator, Sequence
from itertools import count
from typing import Any

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.text import WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Emu, Pt
from markupsafe import Markup

from ttx.report.common import FICTION_MARK
from ttx.report.docx_page import running_text, set_margins
from ttx.report.docx_text import NumberedList, add_html, bookmark, plain
from ttx.report.docx_tracks import track_rows

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
"""Characters XML 1.0 cannot hold (python-docx refuses them): a control character typed
into a session (a team name, a note, an answer from the room) is dropped."""


def report_docx(context: dict[str, Any]) -> bytes:
    """The report's .docx bytes, from `report_context`'s plain data."""
    context = _xml_text(context)
    doc = Document()
    _language(doc, context["meta"]["lang"])
    doc.core_properties.title = context["meta"]["title"]
    doc.core_properties.author = context["meta"]["author"]
    doc.core_properties.comments = context["meta"]["description"]
    doc.styles["Normal"].font.size = Pt(10)
    set_margins(doc)
    meta = context["meta"]
    running_text(
        doc,
        header=(meta["head_left"], meta["head_right"].upper()),
        footer=(FICTION_MARK, "Page {page} of {pages}"),
    )
    for section in _SECTIONS:
        section(doc, context)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def _xml_text(value: Any) -> Any:
    """`value` (the context, or a part of it) without characters XML cannot hold; `Markup`
    stays `Markup`."""
    if isinstance(value, str):
        cleaned = _NOT_XML.sub("", value)
        return Markup(cleaned) if isinstance(value, Markup) else cleaned
    if isinstance(value, dict):
        return {key: _xml_text(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(_xml_text(item) for item in value)
    return value


def _language(doc: DocxDocument, lang: str) -> None:
    """Declare the exercise's language for the document and its default text."""
    doc.core_properties.language = lang
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr")) if defaults is not None else None
    if rpr is None:
        return
    element = rpr.find(qn("w:lang"))
    if element is None:
        element = OxmlElement("w:lang")
        rpr.append(element)
    element.set(qn("w:val"), lang)


def _table(
    doc: DocxDocument,
    header: Sequence[str] | None,
    rows: Sequence[Sequence[Any]],
    shares: Sequence[int] = (),
    whole: Sequence[bool] = (),
) -> None:
    """A table whose header row repeats on each page (none for a list of facts, whose first
    column is bold instead); a cell is text or rendered HTML. `shares` divides the text
    width between the columns (equal parts without it); a row whose `whole` is true is not
    split across pages (the PDF keeps a short decision-matrix row on one page)."""
    width = len(header) if header else len(rows[0])
    table = doc.add_table(rows=1 if header else 0, cols=width)
    table.style = "Table Grid"
    table.autofit = False
    section = doc.sections[0]
    text_width = section.page_width - section.left_margin - section.right_margin  # type: ignore[operator]
    parts = list(shares) or [1] * width
    widths = [Emu(text_width * part // sum(parts)) for part in parts]
    for column, size in zip(table.columns, widths, strict=True):
        column.width = size
    if header:
        head = table.rows[0]
        flag = OxmlElement("w:tblHeader")
        flag.set(qn("w:val"), "true")
        head._tr.get_or_add_trPr().append(flag)
        for cell, title, size in zip(head.cells, header, widths, strict=True):
            cell.width = size
            cell.paragraphs[0].add_run(title).bold = True
    for number, values in enumerate(rows):
        row = table.add_row()
        if number < len(whole) and whole[number]:
            row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
        cells = row.cells
        for cell, value, size in zip(cells, values, widths, strict=True):
            cell.width = size
            add_html(cell, value)
        if not header:
            for run in cells[0].paragraphs[0].runs:
                run.bold = True


def _cover(doc: DocxDocument, c: dict[str, Any]) -> None:
    """The cover page, line by line as the PDF's (`cover` in `templates/base/macros.html`)."""
    meta, ex = c["meta"], c["ex"]
    kind = doc.add_paragraph()
    kind.paragraph_format.space_before = Pt(96)
    kind.add_run(meta["doc_name"].upper()).bold = True
    doc.add_heading(ex["title"], level=0)
    if ex["subtitle"]:
        doc.add_paragraph(ex["subtitle"], style="Subtitle")
    for line in ("After-action report and improvement plan", c["session"]["date"]):
        doc.add_paragraph().add_run(line).bold = True
    edition = [f"Version {ex['version']}", ex["date"], ex["sponsor"]]
    doc.add_paragraph(" · ".join(str(part) for part in edition if part))
    if ex["author"]:
        doc.add_paragraph(f"Written by {ex['author']}")
    doc.add_paragraph().add_run(FICTION_MARK.upper()).bold = True
    if meta["facilitator_only"]:
        doc.add_paragraph().add_run("Facilitator only — do not hand out").bold = True
    if ex["content_note"]:
        doc.add_paragraph().add_run("Content note").bold = True
        add_html(doc, ex["content_note"])
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def _overview(doc: DocxDocument, c: dict[str, Any]) -> None:
    ex, s = c["ex"], c["session"]
    doc.add_heading("Exercise overview", level=1)
    rows: list[list[Any]] = [
        ["Exercise name", f"{ex['title']} (version {ex['version']})"],
        [
            "Date and time",
            s["when"] + ("" if s["ended"] else f" · not ended (status: {s['status']})"),
        ],
    ]
    if s["facilitator"]:
        rows.append(["Facilitator", s["facilitator"]])
    if s["location"] or ex["location"]:
        rows.append(["Location", s["location"] or ex["location"]])
    if ex["contact"]:
        rows.append(["Point of contact", ex["contact"]])
    if ex["scope"]:
        rows.append(["Scope", ex["scope"]])
    rows += [
        ["Scenario", ex["summary"]],
        ["Teams", "; ".join(s["team_names"])],
        ["Session record", s["id"]],
    ]
    _table(doc, None, rows, shares=(1, 3))


def _executive_summary(doc: DocxDocument, c: dict[str, Any]) -> None:
    s, summary = c["session"], c["summary"]
    doc.add_heading("Executive summary", level=1)
    pauses = (
        f", with {s['pause_count']} pause{'s' if s['pause_count'] != 1 else ''} ({s['paused']})"
        if s["pause_count"]
        else ""
    )
    doc.add_paragraph(
        f"The session ran {s['span']} ({s['wall']} on the wall clock): {s['elapsed']} of exercise time against {s['planned']} planned, "
        f"{s['moves_time']} in the moves and {s['hot_wash_time']} in the hot wash{pauses}. "
        f"{s['team_count']} team{'s' if s['team_count'] != 1 else ''} took part."
    )
    doc.add_paragraph(" · ".join(s["counts"]))
    for title, items in (
        ("Key strengths", summary["strengths"]),
        ("Key areas for improvement", summary["improvements"]),
    ):
        doc.add_heading(title, level=2)
        if not items:
            doc.add_paragraph("None recorded.")
        for item in items:
            where = (
                f"objective {item['objective']}"
                if item["objective"]
                else "not tied to an objective"
            )
            said = Markup("{}; see the analysis").format(where)
            if item["anchor"]:  # a link to the observation, where the PDF prints its page
                said = Markup('<a href="#{}">{}</a>').format(item["anchor"], said)
            add_html(doc, Markup("{} ({})").format(item["title"], said), style="List Bullet")
    doc.add_heading("Objectives, core capabilities and ratings", level=2)
    if not c["objectives"]:
        doc.add_paragraph("The exercise states no objectives.")
    else:
        _table(
            doc,
            c["rating_columns"],
            [
                [
                    str(o["number"]),
                    Markup('<a href="#{}">{}</a>').format(o["anchor"], o["title"]),
                    o["capability"] or "—",
                    o["rating"] or "Not rated",
                ]
                for o in c["objectives"]
            ],
            shares=(2, 9, 5, 5),
        )
    doc.add_heading("Path taken through the branches", level=2)
    if not c["path"]:
        doc.add_paragraph("No move was entered.")
    numbers = NumberedList()
    for p in c["path"]:
        line = f"{p['title']} ({p['when']})"
        if p["went"]:
            how = (
                f"facilitator override (the rules said {p['rules_said']})"
                if p["overridden"]
                else "by the branch rules"
            )
            line += f", then {p['went']} {how}"
        numbers.item(doc.add_paragraph(line, style="List Number"))


def _observations(doc: DocxDocument, groups: dict[str, Any], marks: Iterator[int]) -> None:
    for key, title in (
        ("strength", "Strengths"),
        ("improvement", "Areas for improvement"),
        ("note", "Other notes"),
    ):
        group = groups[key]
        if key == "note" and not group["items"]:
            continue
        doc.add_heading(title, level=3)
        if not group["items"]:
            doc.add_paragraph("None recorded.")
        for o in group["items"]:
            first = add_html(doc, o["text"])
            if first is not None:
                bookmark(first, o["anchor"], next(marks))
            if o["analysis"]:
                doc.add_paragraph().add_run("Analysis").bold = True
                add_html(doc, o["analysis"])
            doc.add_paragraph(" · ".join([o["time"], *o["tags"]])).runs[0].italic = True
        if group["more"]:
            doc.add_paragraph(
                f"{group['more']} more not printed (the session's journal keeps them)."
            )


def _analysis(doc: DocxDocument, c: dict[str, Any]) -> None:
    doc.add_heading("Analysis of objectives and capabilities", level=1)
    marks = count(1)  # the bookmarks' ids, each once in the document
    for o in c["objectives"]:
        heading = doc.add_heading(f"Objective {o['number']}: {plain(o['text'])}", level=2)
        bookmark(heading, o["anchor"], next(marks))
        facts = f"Rating: {o['rating'] or 'Not rated'}"
        if o["capability"]:
            facts = f"Core capability: {o['capability']} · {facts}"
        doc.add_paragraph(facts)
        if o["evidence"]:
            doc.add_heading("Evidence", level=3)
            add_html(doc, o["evidence"])
        if o["criteria"]:
            doc.add_heading("Criteria", level=3)
            for criterion in o["criteria"]:
                add_html(doc, criterion, style="List Bullet")
        _observations(doc, o["observations"], marks)
    unlinked = c["unlinked"]
    if any(unlinked[k]["items"] for k in unlinked):
        doc.add_heading("Observations not tied to an objective", level=2)
        _observations(doc, unlinked, marks)


def _cell_html(cell: dict[str, Any], *, time: bool = True) -> Markup | str:
    """A matrix cell as HTML (the same pieces the PDF's cell prints; `time=False` leaves
    out the time, for a line that has already said it)."""
    if not cell["asked"]:
        return "Not asked."
    a = cell["answer"]
    if a is None:
        return "No answer recorded."
    parts = []
    if a["option"]:
        parts.append(Markup("<p><strong>{}</strong></p>").format(a["option"]))
    for x in a["allocation"] or []:
        parts.append(Markup("<p><strong>{}</strong> {}</p>").format(x["points"], x["label"]))
    if a["free_text"]:
        parts.append(Markup("<p><em>Free-form answer</em></p>{}").format(a["free_text"]))
    if a["adjudicated"]:
        parts.append(Markup("<p>Counted as: {}</p>").format(a["adjudicated"]))
    if a["rationale"]:
        parts.append(a["rationale"])
    if time:
        corrected = " · corrected" if cell["corrected"] else ""
        parts.append(Markup("<p>{}{}</p>").format(a["time"], corrected))
    return Markup("").join(parts)


def _synopsis(doc: DocxDocument, c: dict[str, Any]) -> None:
    doc.add_heading("Exercise synopsis and decisions, move by move", level=1)
    doc.add_paragraph(
        f"Times are local ({c['session']['zone']}). Each move's decisions are one matrix: "
        "a row per team, a column per decision."
    )
    if not c["any_answer"]:
        doc.add_paragraph("No decision was recorded.")
    for m in c["moves"]:
        doc.add_heading(m["title"] + (f" from {m['start']}" if m["start"] else ""), level=2)
        if m["lines"]:
            _table(
                doc,
                ["Time", "What happened"],
                [
                    [
                        line["time"],
                        line["text"] + (f". Reason: {line['reason']}" if line["reason"] else ""),
                    ]
                    for line in m["lines"]
                ],
                shares=(1, 5),
            )
        if m["omitted"]:
            doc.add_paragraph(m["omitted"])
        matrix = m["matrix"]
        if not matrix:
            continue
        for d in matrix["columns"]:
            doc.add_paragraph().add_run(_kicker(d)).bold = True
            add_html(doc, d["prompt"])
        _table(
            doc,
            ["Team", *(d["key"] for d in matrix["columns"])],
            [[r["team"], *(_cell_html(cell) for cell in r["cells"])] for r in matrix["rows"]],
            shares=(2, *[7] * len(matrix["columns"])),
            whole=[r["keep"] for r in matrix["rows"]],
        )
        if matrix["idle"]:
            doc.add_paragraph("No decision in this move for: " + ", ".join(matrix["idle"]) + ".")
        for d in matrix["columns"]:
            ruling = f" Facilitator's ruling: {d['ruling']['option']}." if d["ruling"] else ""
            doc.add_paragraph(f"{d['key']}: {d['outcome']}{ruling}")
            for q in d["consequences"]:
                add_html(
                    doc, Markup("<p><strong>{}:</strong> {}</p>").format(q["option"], q["text"])
                )
            if d["chart"]:  # the chart as the sentence its alt text says
                doc.add_paragraph(_alt_text(d["chart"]).rstrip(".") + ".")


def _kicker(d: dict[str, Any]) -> str:
    """A decision's key line above the matrix, as the PDF prints it."""
    parts = [d["key"]]
    if d["asks"]:
        parts.append(f"asked of {d['asks']}")
    if d["kind"] == "allocation":
        parts.append(f"allocation of {d['budget']} {d['units']}")
    if d["objectives"]:
        many = "s" if len(d["objectives"]) > 1 else ""
        parts.append(f"objective{many} {', '.join(str(n) for n in d['objectives'])}")
    return " · ".join(parts)


def _alt_text(chart: object) -> str:
    """What a chart says in words: its SVG's title."""
    text = str(chart)
    start = text.find("<title>")
    return html.unescape(text[start + 7 : text.find("</title>", start)]) if start >= 0 else ""


def _tracks(doc: DocxDocument, c: dict[str, Any]) -> None:
    if not c["tracks"]:
        return
    doc.add_heading("State tracks over the session", level=1)
    doc.add_paragraph(
        "Each change is the effect of a decision or the facilitator's change; a row is a part "
        "of the session as the synopsis has it, with the time it began and the value at its end."
    )
    for t in c["tracks"]:
        changes = f"{t['changes']} change{'s' if t['changes'] != 1 else ''}"
        doc.add_heading(
            f"{t['label']}: {t['start']} to {t['value']} (range {t['range']}, {changes})", level=2
        )
        _table(
            doc,
            ["Move", "From", "Value at its end", "Changes"],
            [
                [move, start, value, Markup("").join(map(_paragraph, lines)) or "None"]
                for move, start, value, lines in track_rows(t, c["moves"])
            ],
            shares=(5, 3, 3, 8),
        )


def _paragraph(text: str) -> Markup:
    """Plain text as one HTML paragraph (one of several in a table cell)."""
    return Markup("<p>{}</p>").format(text)


def _hot_wash(doc: DocxDocument, c: dict[str, Any]) -> None:
    doc.add_heading("Hot wash", level=1)
    for g in c["hot_wash"]:
        doc.add_heading(plain(g["question"]), level=2)
        if not g["answers"]:
            doc.add_paragraph("No answers recorded.")
        for a in g["answers"]:
            said = Markup("{} — {}").format(a["text"], a["team"]) if a["team"] else a["text"]
            add_html(doc, said, style="List Bullet")
    if not c["hot_wash"]:
        doc.add_paragraph("No hot-wash questions.")


def _feedback(doc: DocxDocument, c: dict[str, Any]) -> None:
    """The room's anonymous feedback (`ttx.report.aar_feedback`), as the PDF prints it."""
    f = c["feedback"]
    if not f["forms"]:
        return
    doc.add_heading("Participant feedback", level=1)
    plural = "s" if f["forms"] != 1 else ""
    doc.add_paragraph(f"{f['forms']} anonymous feedback form{plural} sent from the room.")
    if f["ratings"]:
        _table(
            doc,
            ["Statement", *map(str, f["scale"]), "Answers", "Mean"],
            [
                [r["statement"], *map(str, r["counts"]), str(r["answers"]), r["mean"]]
                for r in f["ratings"]
            ],
            shares=(52, *[6] * len(f["scale"]), 9, 9),
        )
        doc.add_paragraph("1 = strongly disagree, 5 = strongly agree.")
    for title, texts in (("What worked", f["strengths"]), ("What to improve", f["improvements"])):
        doc.add_heading(title, level=2)
        if not texts:
            doc.add_paragraph("None written.")
        for text in texts:
            doc.add_paragraph(text, style="List Bullet")


def _plan(doc: DocxDocument, c: dict[str, Any]) -> None:
    doc.add_heading("Improvement plan", level=1)
    if not c["improvements"]:
        doc.add_paragraph("No improvement items were recorded.")
        return
    _table(
        doc,
        c["plan_columns"],
        [
            [
                str(i["objective"] or "—"),
                i["capability"] or "—",
                i["issue"],
                i["action"],
                i["responsible"] or "—",
                i["contact"] or "—",
                i["start"] or "—",
                i["due"] or "—",
            ]
            for i in c["improvements"]
        ],
    )


def _participants(doc: DocxDocument, c: dict[str, Any]) -> None:
    doc.add_heading("Participants", level=1)
    for t in c["teams"]:
        name = t["name"] + (f" ({t['exercise_name']})" if t["name"] != t["exercise_name"] else "")
        if t["facilitator"]:
            name += " — played by the facilitator"
        doc.add_paragraph().add_run(name).bold = True
        doc.add_paragraph(", ".join(t["members"]) if t["members"] else "Members not recorded.")


def _sources(doc: DocxDocument, c: dict[str, Any]) -> None:
    if not c["sources"]:
        return
    doc.add_heading("Sources", level=1)
    numbers = NumberedList()
    for s in c["sources"]:  # punctuated as the PDF's list (`sources` in base/macros.html)
        item = doc.add_paragraph(style="List Number")
        numbers.item(item)
        item.add_run(s["title"] + s["title_end"])
        if s["author"]:
            item.add_run(f" {s['author']}.")
        if s["publisher"]:
            item.add_run(" ")
            item.add_run(s["publisher"]).italic = True
            item.add_run("," if s["date"] else ".")
        if s["date"]:
            item.add_run(f" {s['date']}.")
        if s["url"]:
            item.add_run().add_break()
            item.add_run(s["url"])
        if s["note"]:
            add_html(doc, s["note"])


def _appendix(doc: DocxDocument, c: dict[str, Any]) -> None:
    superseded = c["superseded"]
    if not superseded["items"]:
        return
    doc.add_heading("Appendix: answers later corrected", level=1)
    doc.add_paragraph(
        "The first answers of teams that changed them; the matrices show the answers in effect. "
        "Undone actions are in the synopsis, where they happened."
    )
    for r in superseded["items"]:
        doc.add_paragraph().add_run(f"{r['time']} · {r['decision']} · {r['team']}").bold = True
        answer = {"asked": True, "answer": r["answer"], "corrected": False}
        add_html(doc, _cell_html(answer, time=False))
    if superseded["more"]:
        doc.add_paragraph(
            f"{superseded['more']} more not printed (tabletop export SESSION --format json lists them)."
        )


_SECTIONS = (
    _cover,
    _overview,
    _executive_summary,
    _analysis,
    _synopsis,
    _tracks,
    _hot_wash,
    _feedback,
    _plan,
    _participants,
    _sources,
    _appendix,
)
