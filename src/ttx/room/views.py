"""What each team's page and the projector page may show, built by the holder of the session.

Nothing here picks text from the exercise itself: the team's briefing and objectives
are its printed packet's (`team_packet_context`), its injects and decisions come from
`team_view` (the packet's own filter) through `decision_context`, and which decisions
are open now is `ttx.session.room`'s rule. The projector page is `room_view` for the
whole room. The result is plain data (strings, numbers, lists, dicts; Markdown already
rendered to safe HTML), sent to the web server's process.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import lru_cache
from typing import Any

from ttx.model.exercise import Exercise
from ttx.model.views import team_view
from ttx.report.markdown import markdown
from ttx.report.participant import decision_context, feedback_context, team_packet_context
from ttx.session.room import room_teams, room_view
from ttx.session.room_answers import locked
from ttx.session.state import DecisionRecord, RoomAnswer, SessionState

Data = dict[str, Any]

_markdown: Callable[[str | None], Any] = lru_cache(maxsize=1024)(markdown)
"""Markdown rendered once per text: the same narrative and prompts are sent after every change."""


def clock_data(state: SessionState, now: datetime) -> Data:
    """The move clock as the pages draw it: seconds run so far, whether it runs, the move's minutes."""
    minutes = None
    if state.current_move is not None:
        minutes = state.exercise.move(state.current_move).minutes
    return {
        "running": state.clock.running,
        "elapsed": state.move_elapsed(now),
        "minutes": minutes,
    }


def _answer_data(answer: RoomAnswer | DecisionRecord | None) -> Data | None:
    if answer is None:
        return None
    return {
        "option_id": answer.option_id,
        "allocation": dict(answer.allocation) if answer.allocation is not None else None,
        "free_text": answer.free_text,
        "rationale": answer.rationale,
    }


class RoomViews:
    """Builds the pages' data from the session state; the parts that never change are made once."""

    def __init__(self, exercise: Exercise, team_ids: list[str]) -> None:
        self.exercise = exercise
        self.team_ids = team_ids
        self._packets: dict[str, Data] = {}
        self._team_views: dict[str, Exercise] = {}
        self._decisions: dict[tuple[str, str], Data] = {}
        self._injects: dict[tuple[str, str], Data] = {}
        self._feedback: Data | None = None

    def _view(self, team_id: str) -> Exercise:
        view = self._team_views.get(team_id)
        if view is None:
            view = self._team_views[team_id] = team_view(self.exercise, team_id)
        return view

    def packet(self, team_id: str) -> Data:
        """The team's briefing, objectives, constraints, private information and roles (its packet's)."""
        packet = self._packets.get(team_id)
        if packet is None:
            context = team_packet_context(self.exercise, team_id)
            packet = self._packets[team_id] = {
                "title": context["ex"]["title"],
                "team": context["team"],
            }
        return packet

    def _inject(self, team_id: str, inject_id: str) -> Data | None:
        key = (team_id, inject_id)
        if key not in self._injects:
            found = None
            for move in self._view(team_id).moves:
                for inject in move.injects:
                    if inject.id == inject_id:
                        found = {
                            "id": inject.id,
                            "title": inject.title,
                            "from": inject.from_ or "",
                            "medium": inject.medium or "",
                            "body": _markdown(inject.body),
                            "move_title": move.title,
                        }
            if found is None:
                return None
            self._injects[key] = found
        return self._injects[key]

    def _decision(self, team_id: str, decision_id: str) -> Data:
        key = (team_id, decision_id)
        if key not in self._decisions:
            view = self._view(team_id)
            _, decision = view.decision(decision_id)
            self._decisions[key] = decision_context(view, decision)
        return self._decisions[key]

    def feedback(self) -> Data:
        """The anonymous feedback form: the exercise's rating statements."""
        if self._feedback is None:
            context = feedback_context(self.exercise)
            self._feedback = {"ratings": [str(r) for r in context["ratings"]]}
        return self._feedback

    def team(self, state: SessionState, team_id: str, now: datetime, *, record: bool) -> Data:
        """Everything one team's page shows now."""
        injects = []
        for release in state.injects:
            if team_id in release.to:
                inject = self._inject(team_id, release.inject_id)
                if inject is not None:
                    injects.append(inject)
        injects.reverse()  # the newest first
        room = room_view(state, team_id)
        move: Data = {
            "title": room.move_title,
            "scenario_time": room.scenario_time,
            "narrative": _markdown(room.narrative),
            "questions": [_markdown(q.text) for q in room.questions],
        }
        decisions = []
        for shown in room.decisions if state.status == "running" else ():
            context = self._decision(team_id, shown.id)
            recorded = state.decisions.get(shown.id)
            mine = recorded.records.get(team_id) if recorded is not None else None
            sent = state.room_answer(shown.id, team_id)
            decisions.append(
                {
                    **context,
                    "locked": locked(state, shown.id, team_id, record=record),
                    "locked_by_facilitator": shown.id in state.room_locked,
                    "sent": _answer_data(sent),
                    "sent_seq": sent.seq if sent is not None else 0,
                    "recorded": _answer_data(mine),
                    "recorded_seq": mine.seq if mine is not None else 0,
                }
            )
        return {
            **self.packet(team_id),
            "status": state.status,
            "move": move,
            "injects": injects,
            "decisions": decisions,
            "clock": clock_data(state, now),
            "feedback": self.feedback() if state.status == "hot_wash" else None,
        }

    def projector(self, state: SessionState, now: datetime, revealed: frozenset[str]) -> Data:
        """What the projector page shows: `room_view` for the whole room, and who has answered."""
        view = room_view(state, None, revealed)
        room = room_teams(state)
        decisions = []
        for decision in view.decisions:
            deciding = [t for t in state.deciding_teams(decision.id) if t in room]
            recorded = state.decisions.get(decision.id)
            have = set(recorded.records) if recorded is not None else set()
            have |= set(state.room_answers.get(decision.id, {}))
            decisions.append(
                {
                    "prompt": _markdown(decision.prompt),
                    "options": list(decision.options),
                    "answered": len([t for t in deciding if t in have]),
                    "deciding": len(deciding),
                    "answers": [list(a) for a in decision.answers],
                }
            )
        return {
            "title": view.title,
            "status": view.status,
            "move_title": view.move_title,
            "scenario_time": view.scenario_time,
            "narrative": _markdown(view.narrative),
            "injects": [
                {"title": i.title, "from": i.sender, "medium": i.medium, "body": _markdown(i.body)}
                for i in view.injects
            ],
            "questions": [_markdown(q.text) for q in view.questions],
            "decisions": decisions,
            "clock": clock_data(state, now),
        }


def room_message(
    views: RoomViews,
    state: SessionState,
    now: datetime,
    *,
    teams: list[str],
    record: bool,
    revealed: frozenset[str],
) -> Data:
    """What the web server shows now: each of `teams`' views and the projector's."""
    return {
        "teams": {team: views.team(state, team, now, record=record) for team in teams},
        "projector": views.projector(state, now, revealed),
    }


def team_names(state: SessionState) -> dict[str, str]:
    """The room's teams (students') by id, with their short names, in set-up order."""
    room = room_teams(state)
    return {t.id: t.short or t.name for t in state.teams if t.id in room}
