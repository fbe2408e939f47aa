"""HSEEP-style MSEL spreadsheets (CSV, or XLSX through `ttx.importers.xlsx`).

A Master Scenario Events List has one row per inject. Columns are found by their
header, case- and spacing-insensitively, with common synonyms; the header may sit
below a few title rows. Rows become injects; the `to` column becomes the teams;
rows are grouped into moves by a phase/move column if there is one, else by the day
or phase part of the scenario time ('Day 1 08:00' -> 'Day 1'); an expected action
becomes its inject's expected points (format 2; a sheet without any stays format 1)
and objectives the exercise's objectives.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ttx.importers.common import (
    Ids,
    Imported,
    ImportError_,
    clean,
    clock_minutes,
    one_line,
    relative,
    short_title,
    time_minutes,
    without_clock,
)
from ttx.model.starter import slugify

MAX_MOVES = 12
"""More groups than this, most of them single rows, are not phases: one move is written."""
HEADER_SCAN = 10
"""How many rows from the top may hold the header (MSELs often start with a title block)."""

COLUMNS: dict[str, tuple[str, ...]] = {
    "number": (
        "event number",
        "event #",
        "event no",
        "event id",
        "inject number",
        "inject #",
        "inject no",
        "inject id",
        "msel #",
        "msel number",
        "msel no",
        "#",
        "no",
        "number",
        "serial",
        "id",
        "ref",
    ),
    "scenario_time": (
        "scenario time",
        "scenario date time",
        "scenario date",
        "exercise time",
        "simulated time",
        "game time",
        "sim time",
        "scenario clock",
    ),
    "delivery_time": (
        "delivery time",
        "delivery date time",
        "planned delivery time",
        "release time",
        "real time",
        "actual time",
        "planned time",
        "time",
        "clock time",
        "wall clock",
    ),
    "from": ("from", "sender", "originator", "inject from", "source", "delivered by"),
    "to": (
        "to",
        "recipient",
        "recipients",
        "inject to",
        "player",
        "players",
        "team",
        "teams",
        "audience",
        "responder",
        "responders",
        "receiving team",
    ),
    "inject": (
        "inject",
        "inject description",
        "event description",
        "description",
        "inject text",
        "message",
        "content",
        "script",
        "details",
        "body",
        "inject content",
        "event",
        "inject details",
        "narrative",
        "situation",
    ),
    "title": ("title", "subject", "inject title", "event title", "heading", "short title"),
    "expected_action": (
        "expected action",
        "expected actions",
        "expected player action",
        "expected player actions",
        "expected response",
        "expected responses",
        "anticipated response",
        "anticipated action",
        "expected outcome",
        "expected outcomes",
    ),
    "objective": (
        "objective",
        "objectives",
        "exercise objective",
        "exercise objectives",
        "related objective",
        "related objectives",
    ),
    "notes": (
        "notes",
        "note",
        "remarks",
        "comments",
        "controller notes",
        "facilitator notes",
        "control notes",
        "evaluator notes",
    ),
    "phase": ("phase", "move", "module", "stage", "exercise phase", "period"),
    "medium": ("method", "delivery method", "medium", "mode", "means", "channel"),
}
LABELS = {
    "number": "event number",
    "scenario_time": "scenario time",
    "delivery_time": "delivery time",
    "inject": "inject (the text: 'Inject', 'Description', 'Message')",
}
EVERYONE = {
    "all",
    "everyone",
    "all players",
    "all teams",
    "all participants",
    "players",
    "everybody",
}
CONTROLLERS = {
    "facilitator",
    "facilitators",
    "controller",
    "controllers",
    "control",
    "simcell",
    "sim cell",
    "simulation cell",
    "evaluator",
    "evaluators",
    "exercise control",
}
KIND = "an HSEEP-style MSEL spreadsheet"


def norm(header: str) -> str:
    """A header as compared: lower case, '#' kept, everything else but letters and digits a space."""
    header = header.lower().replace("(s)", "s").replace("/", " ")
    return " ".join(re.sub(r"[^a-z0-9#]+", " ", header).split())


_SYNONYMS = {norm(name): column for column, names in COLUMNS.items() for name in names}


def map_headers(row: list[str]) -> dict[str, int]:
    """Which column index holds each known column (the first match wins)."""
    found: dict[str, int] = {}
    for index, header in enumerate(row):
        column = _SYNONYMS.get(norm(header))
        if column and column not in found:
            found[column] = index
    return found


@dataclass
class Row:
    """One MSEL row, by column name, with its line number in the sheet."""

    line: int
    values: dict[str, str]

    def get(self, column: str) -> str:
        return self.values.get(column, "")


def read_csv(path: Path, text: str) -> list[list[str]]:
    """The CSV's rows (comma, semicolon or tab separated, sniffed), or one clear error."""
    sample = text[:8192]
    try:
        dialect: Any = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel_tab if path.suffix.lower() == ".tsv" else csv.excel
    try:
        return [list(r) for r in csv.reader(io.StringIO(text, newline=""), dialect)]
    except csv.Error as exc:
        raise ImportError_(
            f"{path}: not a readable CSV file ({exc}); save it again as CSV"
        ) from None


def import_rows(path: Path, rows: list[list[str]], kind: str = f"{KIND} (CSV)") -> Imported:
    """Build the exercise from a sheet's rows (header included).

    A sheet laid out as a T3SF MSEL (T3SF's own examples/MSEL.xlsx: `Player` and
    `Script` columns) goes to the T3SF importer, which knows its polls and pictures.
    """
    first = next((r for r in rows if any(clean(c) for c in r)), [])
    names = [clean(c) for c in first]
    if {"Player", "Script"} <= set(names):
        from ttx.importers.t3sf import import_t3sf

        at = rows.index(first)
        data = [
            {n: r[i] for i, n in enumerate(names) if n and i < len(r)}
            for r in rows[at + 1 :]
            if any(clean(c) for c in r)
        ]
        imported = import_t3sf(path, data)
        imported.kind = f"a T3SF MSEL {kind[kind.find('(') :]}".rstrip()
        return imported
    header_at, columns = _find_header(path, rows)
    body: list[Row] = []
    for offset, raw in enumerate(rows[header_at + 1 :], start=header_at + 2):
        values = {c: clean(raw[i]) if i < len(raw) else "" for c, i in columns.items()}
        if any(values.values()) or any(clean(cell) for cell in raw):
            body.append(Row(offset, values))
    # A title block above the header: its first cell is the exercise's title.
    heading = next((one_line(clean(c)) for r in rows[:header_at] for c in r if clean(c)), "")
    result = _build(path, kind, body, columns, _title_of(heading))
    used = set(columns.values())
    ignored = [
        one_line(clean(cell))[:40]
        for index, cell in enumerate(rows[header_at])
        if index not in used and clean(cell)
    ]
    filled = [
        name
        for name, index in zip(ignored, _unused_indexes(rows[header_at], used), strict=True)
        if any(index < len(r) and clean(r[index]) for r in rows[header_at + 1 :])
    ]
    if filled:
        result.drop(
            f"The column{'s' if len(filled) > 1 else ''} {', '.join(repr(n) for n in filled[:12])}: "
            "no MSEL column of that name is known, so what it holds was not imported."
        )
    return result


def _unused_indexes(header: list[str], used: set[int]) -> list[int]:
    return [i for i, cell in enumerate(header) if i not in used and clean(cell)]


def _title_of(heading: str) -> str:
    """'Hurricane TTX - Master Scenario Events List' -> 'Hurricane TTX'."""
    cut = re.sub(
        r"\s*[-–—:|(]*\s*(master scenario events? list|msel)\)?\s*$", "", heading, flags=re.I
    )
    return cut[:120].strip()


def _find_header(path: Path, rows: list[list[str]]) -> tuple[int, dict[str, int]]:
    best: tuple[int, dict[str, int]] | None = None
    for index, row in enumerate(rows[:HEADER_SCAN]):
        columns = map_headers([clean(cell) for cell in row])
        if "inject" in columns and (columns.keys() & {"scenario_time", "delivery_time", "number"}):
            return index, columns
        if best is None or len(columns) > len(best[1]):
            best = (index, columns)
    if not any(any(clean(cell) for cell in row) for row in rows):
        raise ImportError_(f"{path} is empty; an MSEL needs a header row and one row per inject")
    index, columns = best or (0, {})
    headers = [one_line(clean(cell)) for cell in rows[index] if clean(cell)] if rows else []
    missing = [
        LABELS["inject"] if "inject" not in columns else "",
        ""
        if columns.keys() & {"scenario_time", "delivery_time", "number"}
        else "a time or number ('Scenario time', 'Delivery time' or 'Event number')",
    ]
    shown = ", ".join(f"'{h[:40]}'" for h in headers[:15]) or "none"
    raise ImportError_(
        f"{path}: cannot map the sheet as an MSEL: no column for "
        f"{' nor '.join(m for m in missing if m)} in the first {HEADER_SCAN} rows; "
        f"headers found (row {index + 1}): {shown}; rename the columns, e.g. 'Event number', "
        "'Scenario time', 'Delivery time', 'From', 'To', 'Inject', 'Expected action', "
        "'Objective', 'Notes'"
    )


def _recipients(text: str) -> list[str]:
    parts = re.split(r"[,;\n]", text)
    return [one_line(p).strip(" .") for p in parts if one_line(p).strip(" .")]


def _build(
    path: Path, kind: str, rows: list[Row], columns: dict[str, int], heading: str = ""
) -> Imported:
    title = heading or path.stem.replace("_", " ").replace("-", " ").strip().title()
    title = title or "Imported MSEL"
    exercise_id = slugify(title)
    result = Imported(path, kind, {})
    rows = [r for r in rows if _keep(result, r)]
    if not rows:
        raise ImportError_(
            f"{path}: the sheet has a header but no row with inject text; add one row per inject"
        )

    # -- teams from `to` --
    team_ids = Ids(("all", "facilitator"))
    teams: dict[str, dict[str, Any]] = {}
    audiences: list[str | list[str]] = []
    for row in rows:
        names = _recipients(row.get("to"))
        lowered = [n.lower() for n in names]
        if not names or any(n in EVERYONE for n in lowered):
            audiences.append("all")
            continue
        if all(n in CONTROLLERS for n in lowered):
            audiences.append("facilitator")
            continue
        ids: list[str] = []
        for name in names:
            if name.lower() in CONTROLLERS:
                continue
            key = name.lower()
            if key not in teams:
                teams[key] = {"id": team_ids.make(name, "team"), "name": name[:120]}
            if teams[key]["id"] not in ids:
                ids.append(teams[key]["id"])
        audiences.append(ids)
    if not teams:
        teams["players"] = {"id": "players", "name": "Players"}
        result.drop(
            "The sheet names no recipient teams ('To' column empty or missing); "
            "one team, 'Players', receives every inject: split it into the real teams."
        )

    # -- objectives --
    objective_ids = Ids()
    objectives: dict[str, dict[str, str]] = {}
    row_objectives: list[list[str]] = []
    for row in rows:
        ids = []
        for text in re.split(r"[;\n]", row.get("objective")):
            text = one_line(text)
            if not text:
                continue
            if text.lower() not in objectives:
                objectives[text.lower()] = {
                    "id": objective_ids.make(text, "objective"),
                    "text": text,
                }
            ids.append(objectives[text.lower()]["id"])
        row_objectives.append(list(dict.fromkeys(ids)))

    # -- moves: by phase, else by the day/phase part of the scenario time --
    if "phase" in columns:
        labels = [one_line(r.get("phase")) for r in rows]
        grouping = "the 'Phase'/'Move' column"
    else:
        labels = [without_clock(r.get("scenario_time")) for r in rows]
        grouping = "the day or phase part of the scenario time (its clock time left out)"
    groups: list[tuple[str, list[int]]] = []
    for index, label in enumerate(labels):
        if groups and (groups[-1][0] == label or not label):
            groups[-1][1].append(index)
        else:
            groups.append((label, [index]))
    if len(groups) > MAX_MOVES and len(groups) * 2 > len(rows):
        result.drop(
            f"Moves: the {grouping} gave {len(groups)} groups for {len(rows)} rows, too many "
            "to be moves, so one move holds every inject; split it into moves (or add a "
            "'Phase' column and import again)."
        )
        groups = [("", list(range(len(rows))))]
    if len(groups) == 1:
        result.comment("moves", "One move: the sheet has no phases and its scenario times no days.")
    else:
        result.comment("moves", f"Rows are grouped into moves by {grouping}.")

    times = [time_minutes(r.get("delivery_time")) for r in rows]
    clocks = all(
        clock_minutes(r.get("delivery_time")) is not None
        for r, t in zip(rows, times, strict=True)
        if t is not None
    )
    unreadable = [
        r.line for r, t in zip(rows, times, strict=True) if t is None and r.get("delivery_time")
    ]
    if unreadable:
        result.drop(
            f"Delivery times that are neither a clock time nor an offset (row{'s' if len(unreadable) > 1 else ''} "
            f"{_lines(unreadable)}): those injects keep the minute of the row before."
        )

    inject_ids = Ids()
    move_ids = Ids(("end",))
    moves: list[dict[str, Any]] = []
    for number, (label, indexes) in enumerate(groups, start=1):
        minutes = relative([times[i] for i in indexes], wrap=clocks)
        injects: list[dict[str, Any]] = []
        served: list[str] = []
        for index, at in zip(indexes, minutes, strict=True):
            row = rows[index]
            inject = _inject(row, at, audiences[index], inject_ids)
            action = row.get("expected_action")
            if action:  # format 2: what a good response to this inject covers
                who = one_line(row.get("to")) or "Players"
                inject["expected_points"] = [f"{who}: {action}"]
            injects.append(inject)
            served.extend(row_objectives[index])
        first = rows[indexes[0]]
        move_title = label or (f"Move {number}" if len(groups) > 1 else "The scenario")
        move: dict[str, Any] = {
            "id": move_ids.make(label or f"move {number}", "move"),
            "title": move_title[:120],
        }
        scenario = one_line(first.get("scenario_time"))
        if scenario:
            move["scenario_time"] = scenario[:80]
        move["minutes"] = max(10, (max(minutes) if minutes else 0) + 10)
        move["narrative"] = (
            f"The injects of {'this phase' if len(groups) > 1 else 'the exercise'} arrive in order; "
            "discuss each as it comes."
        )
        move["injects"] = injects
        question: dict[str, Any] = {"text": "What does your team do now, and why?"}
        if served:
            question["objectives"] = list(dict.fromkeys(served))
        move["questions"] = [question]
        moves.append(move)

    expected_points = any("expected_points" in i for m in moves for i in m["injects"])
    result.exercise.update(
        {
            "format": 2 if expected_points else 1,
            "id": exercise_id,
            "title": title,
            "summary": f"Imported from the MSEL {path.name}: {len(rows)} injects. "
            "Write a summary of the scenario here.",
            "duration_minutes": sum(m["minutes"] for m in moves) + 20,
        }
    )
    if objectives:
        result.exercise["objectives"] = list(objectives.values())
    result.exercise["teams"] = list(teams.values())
    result.exercise["moves"] = moves
    if objectives:
        result.exercise["evaluation"] = {
            "criteria": [
                {
                    "id": f"{o['id']}_met"[:64],
                    "objective": o["id"],
                    "text": f"The teams took the expected actions for: {o['text']}",
                }
                for o in objectives.values()
            ]
        }
    result.comment(
        "teams", "Teams come from the 'To' column; write each team's briefing and roles."
    )
    result.drop(
        "Team briefings, role cards and the scenario summary: an MSEL has none; write them."
    )
    return result


def _keep(result: Imported, row: Row) -> bool:
    if row.get("inject") or row.get("title"):
        return True
    result.drop(f"Row {row.line} has no inject text and was skipped.")
    return False


def _lines(lines: list[int]) -> str:
    shown = ", ".join(str(n) for n in lines[:8])
    return shown + (", …" if len(lines) > 8 else "")


def _inject(row: Row, at: int, audience: str | list[str], ids: Ids) -> dict[str, Any]:
    number = one_line(row.get("number"))
    text = row.get("inject") or row.get("title")
    title = one_line(row.get("title")) or short_title(text) or f"Event {number}"
    inject: dict[str, Any] = {
        "id": ids.make(f"event {number}" if number else title, "event"),
        "title": title[:120],
        "at": at,
    }
    scenario = one_line(row.get("scenario_time"))
    if scenario:
        inject["scenario_time"] = scenario[:80]
    sender = one_line(row.get("from"))
    if sender:
        inject["from"] = sender[:120]
    medium = one_line(row.get("medium"))
    if medium:
        inject["medium"] = medium[:40]
    inject["to"] = audience
    inject["body"] = text
    notes = []
    if number:
        notes.append(f"MSEL event {number} (row {row.line}).")
    delivery = one_line(row.get("delivery_time"))
    if delivery:
        notes.append(f"Delivery time in the MSEL: {delivery}.")
    if row.get("notes"):
        notes.append(row.get("notes"))
    if notes:
        inject["facilitator_notes"] = "\n\n".join(notes)
    return inject
