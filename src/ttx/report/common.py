"""Pieces every document context shares: metadata, sources, team labels and the move stages.

Context builders turn models into plain dicts of strings, numbers and rendered
Markdown (`Markup`), so a template can only print what a builder chose to give it.
"""

from __future__ import annotations

from typing import Any

from ttx import __version__
from ttx.model.exercise import Exercise
from ttx.report.markdown import markdown, markdown_inline
from ttx.vocabulary import minutes_text

LANG = "en"
FICTION_MARK = "Fictional exercise — for education"


def doc_meta(
    exercise: Exercise, doc_name: str, *, facilitator_only: bool = False, date: str | None = None
) -> dict[str, Any]:
    """The document's metadata: title, author, language and the fixed date that keeps bytes equal."""
    fixed = date if date is not None else fixed_date(exercise.date)
    return {
        "lang": exercise.language or LANG,
        # The running header, left and right (the PDF's page boxes and the Word copy's header);
        # a session's date (the report's) is not the exercise version's, so it says "session".
        "head_left": f"{exercise.title} · version {exercise.version}"
        + (f" · {'session ' if date is not None else ''}{fixed[:10]}" if fixed else ""),
        "head_right": doc_name + (" · Facilitator only" if facilitator_only else ""),
        "title": f"{exercise.title} — {doc_name}",
        "exercise_title": exercise.title,
        "version": exercise.version,
        "date": fixed,
        "doc_name": doc_name,
        "author": exercise.author or exercise.sponsor or "ttx",
        "keywords": ", ".join(exercise.tags),
        "description": f"{doc_name} of the tabletop exercise “{exercise.title}”. {FICTION_MARK}.",
        "generator": f"ttx {__version__}",
        "facilitator_only": facilitator_only,
    }


def fixed_date(text: str | None) -> str | None:
    """A W3C date (YYYY, YYYY-MM or YYYY-MM-DD) taken from the data, or None when it is not one."""
    if not text:
        return None
    import re

    value = text.strip()
    if re.fullmatch(r"\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?", value):
        return value
    return None


def exercise_basics(exercise: Exercise) -> dict[str, Any]:
    """The public face of an exercise: title, edition, summary and framing (never private material)."""
    return {
        "id": exercise.id,
        "title": exercise.title,
        "subtitle": exercise.subtitle,
        "version": exercise.version,
        "date": exercise.date,
        "sponsor": exercise.sponsor,
        "author": exercise.author,
        "location": exercise.location,
        "tags": list(exercise.tags),
        "contact": contact_text(exercise),
        "glossary": [
            {"term": term, "meaning": markdown_inline(meaning)}
            for term, meaning in sorted(exercise.glossary.items(), key=lambda kv: kv[0].casefold())
        ],
        "audience": exercise.audience,
        "duration": minutes_text(exercise.duration_minutes),
        "duration_minutes": exercise.duration_minutes,
        "summary": markdown(exercise.summary),
        "scope": markdown(exercise.scope),
        "content_note": markdown(exercise.content_note),
        "objectives": [
            {"id": o.id, "number": n, "text": markdown_inline(o.text), "capability": o.capability}
            for n, o in enumerate(exercise.objectives, 1)
        ],
        "ground_rules": [markdown_inline(r) for r in exercise.ground_rules],
        "assumptions": [markdown_inline(a) for a in exercise.assumptions],
        "artificialities": [markdown_inline(a) for a in exercise.artificialities],
    }


def contact_text(exercise: Exercise) -> str | None:
    """The point of contact on one line: name, role, organisation, email, phone."""
    contact = exercise.point_of_contact
    if contact is None:
        return None
    parts = [contact.name, contact.role, contact.organisation, contact.email, contact.phone]
    return " · ".join(p for p in parts if p)


def public_teams(exercise: Exercise) -> list[dict[str, Any]]:
    """Every team's public name and who plays it."""
    return [
        {
            "id": t.id,
            "name": t.name,
            "short": t.label,
            "facilitator": t.played_by == "facilitator",
            "played_by": "the facilitator (control cell)"
            if t.played_by == "facilitator"
            else "students",
        }
        for t in exercise.teams
    ]


def sources(exercise: Exercise) -> list[dict[str, Any]]:
    """The exercise's sources, numbered for citation."""
    return [
        {
            "number": n,
            "id": s.id,
            "title": s.title,
            "author": s.author,
            "publisher": s.publisher,
            "date": s.date,
            "url": s.url,
            "note": markdown_inline(s.note) if s.note else None,
            "title_end": "" if s.title.rstrip().endswith((".", "?", "!")) else ".",
        }
        for n, s in enumerate(exercise.sources, 1)
    ]


def source_refs(exercise: Exercise, ids: list[str]) -> list[dict[str, Any]]:
    """Numbered references to some of the exercise's sources (unknown ids are skipped)."""
    numbers = {s.id: n for n, s in enumerate(exercise.sources, 1)}
    cited = sorted({numbers[i] for i in ids if i in numbers})
    return [{"number": n, "title": exercise.sources[n - 1].title} for n in cited]
