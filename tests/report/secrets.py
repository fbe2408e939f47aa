"""What participants must never read, collected from an exercise, for redaction tests."""

from __future__ import annotations

from tests.report.pdfcheck import md_plain
from ttx.model.exercise import Exercise


def _keep(texts: list[str | None]) -> list[str]:
    out = []
    for text in texts:
        if text and len(md_plain(text)) >= 12:
            out.append(md_plain(text))
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
