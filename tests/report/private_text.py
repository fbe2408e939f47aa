"""What participants must never read, collected from an exercise, for redaction tests."""

from __future__ import annotations

import re

from tests.report.pdfcheck import md_plain
from ttx.model.exercise import Exercise


def _pieces(text: str) -> list[str]:
    """Paragraphs and list items of a Markdown text, hard-wrapped lines joined."""
    pieces: list[str] = []
    current: list[str] = []
    for raw in text.splitlines():
        line = raw.strip()
        item = re.match(r"^([-*+]|\d+[.)])\s+", line)
        if not line or item:
            if current:
                pieces.append(" ".join(current))
            current = [line[item.end() :]] if item else []
        else:
            current.append(line)
    if current:
        pieces.append(" ".join(current))
    return pieces


def _keep(texts: list[str | None]) -> list[str]:
    """Each text's paragraphs and list items, as a reader would find them in a PDF."""
    out: list[str] = []
    for text in texts:
        for piece in _pieces(text or ""):
            plain = md_plain(piece)
            if len(plain) >= 12 and plain not in out:
                out.append(plain)
    return out


def facilitator_only(exercise: Exercise) -> list[str]:
    """Facilitator notes, expected points, consequences and facilitator-only injects."""
    texts: list[str | None] = []
    for move in exercise.moves:
        texts.append(move.facilitator_notes)
        texts.extend(move.expected_points)
        for inject in move.injects:
            texts.append(inject.facilitator_notes)
            if inject.facilitator_only:
                texts.append(inject.body)
        for decision in move.decisions:
            texts.extend(o.consequence for o in decision.options)
    for team in exercise.teams:
        if team.played_by == "facilitator":
            texts.extend([team.briefing, *team.objectives, *team.constraints, *team.private_info])
            texts.extend(r.brief for r in team.roles)
    return _keep(texts)


def team_private(exercise: Exercise, team_id: str) -> list[str]:
    """One team's private material (briefing, objectives, constraints, private information, roles)."""
    team = exercise.team(team_id)
    texts: list[str | None] = [
        team.briefing,
        *team.objectives,
        *team.constraints,
        *team.private_info,
    ]
    texts.extend(r.brief for r in team.roles)
    return _keep(texts)


def branch_narratives(exercise: Exercise) -> list[str]:
    """Narratives of the moves reached only through a branch (spoilers in the situation manual)."""
    return _keep([m.narrative for m in exercise.moves if m.branch_only])
