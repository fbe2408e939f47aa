"""Every route as every team, at every stage of the shipped exercises: nothing facilitator-only and
nothing addressed to another team is ever served."""

from __future__ import annotations

import contextlib
import re
from typing import Any

import pytest

from ttx.model.exercise import Exercise
from ttx.model.views import team_view
from ttx.report.markdown import markdown
from ttx.session.actions import CommandError, EnterMove, ReleaseInject

from .helpers import Room, new_session, shown_text

ROUTES = ["/", "/team", "/team/view", "/projector", "/projector/view", "/static/room.js"]


def _text(value: str | None) -> str:
    return shown_text(str(markdown(value or "")))


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list | tuple):
        return [s for v in value for s in _strings(v)]
    return []


def _fragments(texts: list[str]) -> set[str]:
    out = set()
    for text in texts:
        for piece in re.split(r"(?<=[.!?;:])\s+", _text(text)):
            if len(piece) >= 25:
                out.add(piece)
    return out


def secrets_for(exercise: Exercise, team: str) -> set[str]:
    """Sentences of facilitator-only text and of other teams' material that `team` must never see."""
    hidden: list[str] = []
    team_ids = [t.id for t in exercise.teams]
    for move in exercise.moves:
        hidden += [move.facilitator_notes or "", *move.expected_points]
        for inject in move.injects:
            hidden += [inject.facilitator_notes or "", *inject.expected_points]
            if inject.facilitator_only or team not in inject.audience(team_ids):
                hidden.append(inject.body or "")
        for decision in move.decisions:
            for option in decision.options:
                hidden.append(option.consequence or "")
    hidden.append(exercise.hot_wash.facilitator_notes or "")
    for other in exercise.teams:
        if other.id != team:
            hidden += [other.briefing, *other.objectives, *other.constraints, *other.private_info]
            hidden += [r.brief for r in other.roles]
    allowed = " ".join(_text(s) for s in _strings(team_view(exercise, team).model_dump()))
    return {f for f in _fragments(hidden) if f not in allowed}


def _stages(room: Room) -> Any:
    """Walk the session: before the first move, each move with every inject released, the hot wash."""
    session = room.session
    yield "setup"
    while session.state.status == "running" or session.state.current_move is None:
        try:
            session.apply(EnterMove())
        except CommandError:
            break
        if session.state.status != "running":
            break
        move = session.exercise.move(session.state.current_move or "")
        for inject in move.injects:
            with contextlib.suppress(CommandError):
                session.apply(ReleaseInject(inject_id=inject.id, force=True))
        room.publish()
        yield move.id
    room.publish()
    yield session.state.status


@pytest.mark.parametrize("name", ["demo", "across-the-line"])
def test_every_stage_is_crawled_as_every_team(name: str) -> None:
    session = new_session(name, session_id=f"crawl-{name}")
    room = Room(session)
    secrets = {team: secrets_for(session.exercise, team) for team in room.codes}
    clients = {team: room.client(team) for team in room.codes}
    assert all(secrets.values()), "the exercise has private text to look for"
    own_briefing = {t: _text(session.exercise.team(t).briefing)[:40] for t in clients}
    stages = []
    for stage in _stages(room):
        stages.append(stage)
        for team, client in clients.items():
            for route in ROUTES:
                response = client.get(route)
                assert response.status_code == 200, (route, response.text)
                served = shown_text(response.text)
                leaked = [s for s in secrets[team] if s in served]
                assert not leaked, f"{team} at {stage} on {route}: {leaked[:3]}"
            assert own_briefing[team] in shown_text(client.get("/team").text)
    assert stages[0] == "setup" and "hot_wash" in stages and len(stages) > 3
    session.close()


def test_the_crawl_would_see_another_teams_private_information() -> None:
    session = new_session("demo", session_id="crawl-check")
    us, mexico = session.exercise.team("us"), session.exercise.team("mexico")
    secrets = secrets_for(session.exercise, "us")
    assert _text(mexico.constraints[0]) in secrets
    assert _text(us.private_info[0]) not in secrets
    assert _text(us.constraints[0]) not in secrets
    session.close()
