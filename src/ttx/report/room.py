"""The facilitator's set-up pages: the room layout (SVG), the print checklist and the track board."""

from __future__ import annotations

from typing import Any

from markupsafe import Markup

from ttx.model.exercise import Exercise
from ttx.model.stages import stage_number, stages
from ttx.report.svg import fit, num, svg, text

WIDTH = 640.0
TABLE_W = 145.0
TABLE_H = 58.0
ACCENT = "#1f3a5f"


def room_layout(exercise: Exercise) -> Markup:
    """The room from above: screen and facilitator's table at the front, one table per team."""
    teams = [t for t in exercise.teams if t.played_by == "students"]
    control = [t.label for t in exercise.teams if t.played_by == "facilitator"]
    per_row = max(1, min(len(teams), 4))
    rows = -(-len(teams) // per_row)
    height = 120 + rows * (TABLE_H + 24) - 14
    body = [
        f'<rect x="{num(WIDTH / 2 - 110)}" y="8" width="220" height="10" fill="{ACCENT}"/>',
        text(WIDTH / 2, 32, "Screen (the projector view)", size=9, anchor="middle"),
        f'<rect x="{num(WIDTH / 2 - 95)}" y="46" width="190" height="40" rx="4" fill="#f1f3f6" '
        f'stroke="{ACCENT}"/>',
        text(WIDTH / 2, 63, "Facilitator", size=10, anchor="middle", weight=700),
        text(
            WIDTH / 2,
            77,
            fit("plays " + ", ".join(control), 180, 8) if control else "console, inject decks",
            size=8,
            anchor="middle",
            fill="#5b6472",
        ),
    ]
    gap = (WIDTH - per_row * TABLE_W) / (per_row + 1)
    for index, team in enumerate(teams):
        row, col = divmod(index, per_row)
        x = gap + col * (TABLE_W + gap)
        y = 110 + row * (TABLE_H + 24)
        seats = len(team.roles)
        body.append(
            f'<rect x="{num(x)}" y="{num(y)}" width="{num(TABLE_W)}" height="{num(TABLE_H)}" '
            f'rx="6" fill="#e8eef6" stroke="{ACCENT}"/>'
        )
        body.append(text(x + 8, y + 20, fit(team.label, TABLE_W - 16, 10), size=10, weight=700))
        detail = f"{seats} seats" if seats else "team table"
        body.append(text(x + 8, y + 38, detail + " · team packet, deck", size=8, fill="#5b6472"))
    label = (
        f"Room layout: the screen and the facilitator's table at the front, then "
        f"{len(teams)} team tables ({', '.join(t.label for t in teams)}), "
        "each facing the screen and apart enough to talk without being overheard."
    )
    return svg(WIDTH, height, body, label)


def print_checklist(
    exercise: Exercise, documents: list[tuple[str, str, bool]]
) -> list[dict[str, str]]:
    """What to print and how many: one row per document (file name, what it is, participant?)."""
    seats = {t.id: len(t.roles) for t in exercise.teams}
    rows = []
    for filename, title, participant in documents:
        if filename.startswith("team-"):
            team_id = filename.removeprefix("team-").removesuffix(".pdf")
            count = seats.get(team_id, 0)
            copies = f"{count}, one per seat" if count else "one per member of the team"
            who = "that team"
        elif filename.startswith("inject-cards-"):
            copies, who = "1, cut into cards", "the facilitator, to deal to that team"
        elif filename == "inject-cards.pdf":
            copies, who = "1", "the facilitator (every card, to follow the session)"
        elif filename in ("situation-manual.pdf", "feedback-form.pdf"):
            copies, who = "one per participant", "every participant"
        elif filename == "branch-modules.pdf":
            copies, who = "one per team", "handed out when the room reaches a module"
        else:
            copies = "one per facilitator" if not participant else "1"
            who = "the facilitator only" if not participant else "the room"
        rows.append(
            {
                "document": title[:1].upper() + title[1:],
                "file": filename,
                "copies": copies,
                "who": who,
            }
        )
    return rows


def track_board(exercise: Exercise) -> dict[str, Any] | None:
    """A sheet to keep the tracks by hand: one row per track, one column per stage."""
    if not exercise.state:
        return None
    columns = [stage_number(exercise, stage, n) for n, stage in enumerate(stages(exercise), 1)]
    return {
        "columns": columns,
        "tracks": [
            {"label": t.label, "range": f"{t.min}–{t.max}", "start": t.start}
            for t in exercise.state
        ],
    }
