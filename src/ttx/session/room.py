"""What the room may see: the one rule behind the projector and the console's presenting mode.

The whole room (a projector, the console while presenting) sees the current move's
narrative; the injects of this move released to every team in the room; the
discussion questions and the decision prompts and options addressed to every team
in the room; and the clock (drawn by the screen from the state). It never sees
facilitator notes, branch rules, consequences, what one team was told or asked
alone, nor any team's answer. "Every team in the room" means the session's teams
played by students: a red cell played by the facilitator is not in the room, so
its hidden cards and its choices never appear.

A screen at one team's table (`tabletop project --team ID`) sees the same, plus
what was addressed to that team alone: its own injects, questions and decisions.
Text comes from `participant_view`, so facilitator-only fields are gone before
this module picks anything.
"""

from __future__ import annotations

from dataclasses import dataclass

from ttx.model.exercise import Exercise
from ttx.model.views import participant_view
from ttx.session.state import SessionState
from ttx.vocabulary import tag_label


@dataclass(frozen=True, slots=True)
class RoomInject:
    """An inject as the room sees it."""

    id: str
    title: str
    sender: str
    medium: str
    body: str


@dataclass(frozen=True, slots=True)
class RoomQuestion:
    """A discussion question and its frame tags (e.g. which of the five questions it asks)."""

    text: str
    tags: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class RoomDecision:
    """A decision point's prompt and option labels; the teams' answers only once revealed.

    Never a consequence; `answers` is (team name, what it chose) for each team that has
    answered, and empty until the facilitator reveals this decision to the room.
    """

    id: str
    prompt: str
    options: tuple[str, ...]
    answers: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class RoomView:
    """Everything a room screen may draw (besides the clock, which it reads from the state)."""

    title: str
    status: str
    move_id: str | None
    move_title: str
    scenario_time: str
    narrative: str
    injects: tuple[RoomInject, ...]
    questions: tuple[RoomQuestion, ...]
    decisions: tuple[RoomDecision, ...]
    team_id: str | None = None

    @property
    def inject(self) -> RoomInject | None:
        """The latest inject the room may see in this move (None before the first)."""
        return self.injects[-1] if self.injects else None


_cache: list[tuple[Exercise, Exercise]] = []


def _public(exercise: Exercise) -> Exercise:
    """The participant view of `exercise`, built once per exercise object."""
    for source, public in _cache:
        if source is exercise:
            return public
    public = participant_view(exercise)
    _cache[:] = [(exercise, public)]
    return public


def room_teams(state: SessionState) -> set[str]:
    """The session's teams in the room: those played by students (all, if none is)."""
    played = {t.id: t.played_by for t in state.exercise.teams}
    students = {t for t in state.team_ids if played.get(t, "students") == "students"}
    return students or set(state.team_ids)


def _sees(addressed: set[str], room: set[str], team_id: str | None) -> bool:
    """Whether text addressed to `addressed` (empty: everyone) may be shown."""
    if not addressed:
        return True
    if team_id is not None:
        return team_id in addressed
    return room <= addressed


def room_decisions(state: SessionState) -> list[str]:
    """The current move's decisions the whole room sees (those whose answers can be revealed)."""
    return [d.id for d in room_view(state).decisions]


def _answers(state: SessionState, decision_id: str) -> tuple[tuple[str, str], ...]:
    record = state.decisions.get(decision_id)
    if record is None:
        return ()
    _, decision = state.exercise.decision(decision_id)
    labels = {o.id: o.label for o in decision.options}
    answers = []
    for team in state.teams:
        answer = record.records.get(team.id)
        if answer is None:
            continue
        chosen = answer.counts_as
        text = labels.get(chosen, chosen) if chosen else f"“{answer.free_text or ''}”"
        answers.append((team.name, text))
    return tuple(answers)


def room_view(
    state: SessionState, team_id: str | None = None, revealed: frozenset[str] = frozenset()
) -> RoomView:
    """What the whole room (or, with `team_id`, one team's table) may see now.

    `revealed`: the decisions whose answers the facilitator has shown the room.

    A team played by the facilitator has no table view (ValueError names it).
    """
    if team_id is not None:
        played = {t.id: t.played_by for t in state.exercise.teams}
        if team_id not in state.team_ids:
            raise ValueError(f"team {team_id!r} is not in this session")
        if played.get(team_id) == "facilitator":
            raise ValueError(f"team {team_id!r} is played by the facilitator: its view is private")
    public = _public(state.exercise)
    room = room_teams(state)
    title = public.title
    if state.status in ("hot_wash", "ended"):
        questions = tuple(
            RoomQuestion(q.text, tuple(tag_label(state.exercise, t) for t in q.tags))
            for q in public.hot_wash.questions
            if _sees(set(q.teams), room, team_id)
        )
        return RoomView(
            title=title,
            status=state.status,
            move_id=None,
            move_title="Hot wash",
            scenario_time="",
            narrative="",
            injects=(),
            questions=questions,
            decisions=(),
            team_id=team_id,
        )
    if state.current_move is None:
        return RoomView(
            title=title,
            status=state.status,
            move_id=None,
            move_title="",
            scenario_time="",
            narrative=public.summary or "",
            injects=(),
            questions=(),
            decisions=(),
            team_id=team_id,
        )
    move = public.move(state.current_move)
    known = {i.id: i for i in move.injects}
    injects: list[RoomInject] = []
    for release in state.injects:
        inject = known.get(release.inject_id)
        if release.move_id != move.id or inject is None or not release.to:
            continue
        if not _sees(set(release.to), room, team_id):
            continue
        injects.append(
            RoomInject(
                id=inject.id,
                title=inject.title,
                sender=inject.from_ or "",
                medium=inject.medium or "",
                body=inject.body or "",
            )
        )
    questions = tuple(
        RoomQuestion(q.text, tuple(tag_label(state.exercise, t) for t in q.tags))
        for q in move.questions
        if _sees(set(q.teams), room, team_id)
    )
    decisions: list[RoomDecision] = []
    for decision in move.decisions:
        deciding = set(state.deciding_teams(decision.id))
        if not deciding or not _sees(deciding, room, team_id):
            continue
        decisions.append(
            RoomDecision(
                id=decision.id,
                prompt=decision.prompt,
                options=tuple(o.label for o in decision.options),
                answers=_answers(state, decision.id) if decision.id in revealed else (),
            )
        )
    return RoomView(
        title=title,
        status=state.status,
        move_id=move.id,
        move_title=move.title,
        scenario_time=move.scenario_time or "",
        narrative=move.narrative or "",
        injects=tuple(injects),
        questions=questions,
        decisions=tuple(decisions),
        team_id=team_id,
    )
