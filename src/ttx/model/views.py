"""What participants may see: redacted copies of an exercise.

Every document and screen that participants see selects its content through
`participant_view` (all participants) or `team_view` (one team's packet), so
facilitator-only text has exactly one gate to pass.
"""

from __future__ import annotations

from ttx.model.exercise import Decision, Exercise, Inject, Move, Option, Team

FACILITATOR_ONLY: tuple[str, ...] = (
    "Move.facilitator_notes",
    "Move.expected_points",
    "Move.next (branch outcomes)",
    "Inject.facilitator_notes",
    "Inject.expected_points",
    "Inject.when (what releases it)",
    "Inject with to: facilitator",
    "Option.consequence",
    "Option.effects",
    "Option.goto (where a choice leads)",
    "HotWash.facilitator_notes",
    "Team private material of teams played by the facilitator",
    "Injects, questions and decisions addressed only to teams played by the facilitator",
)


def _option(option: Option) -> Option:
    return option.model_copy(update={"consequence": None, "effects": {}, "goto": None})


def _decision(decision: Decision) -> Decision:
    return decision.model_copy(update={"options": [_option(o) for o in decision.options]})


def _inject(inject: Inject) -> Inject:
    return inject.model_copy(
        update={"facilitator_notes": None, "when": None, "expected_points": []}
    )


def _students(exercise: Exercise) -> set[str]:
    return {t.id for t in exercise.teams if t.played_by == "students"}


def _for_students(teams: list[str], students: set[str]) -> bool:
    """Whether a question or decision for `teams` concerns a student team (empty list: all)."""
    return not teams or bool(students & set(teams))


def _move(move: Move, exercise: Exercise) -> Move:
    students = _students(exercise)
    everyone = [t.id for t in exercise.teams]
    return move.model_copy(
        update={
            "facilitator_notes": None,
            "expected_points": [],
            "next": [],
            "injects": [
                _inject(i)
                for i in move.injects
                if not i.facilitator_only and students & set(i.audience(everyone))
            ],
            "questions": [q for q in move.questions if _for_students(q.teams, students)],
            "decisions": [_decision(d) for d in move.decisions if _for_students(d.teams, students)],
        }
    )


def _public_team(team: Team) -> Team:
    return team.model_copy(
        update={
            "briefing": "",
            "objectives": [],
            "constraints": [],
            "private_info": [],
            "roles": [],
        }
    )


def _cited(moves: list[Move]) -> set[str]:
    """Source ids cited by participant-visible moves, injects and options."""
    cited: set[str] = set()
    for move in moves:
        cited.update(move.sources)
        for inject in move.injects:
            cited.update(inject.sources)
        for decision in move.decisions:
            for option in decision.options:
                cited.update(option.sources)
    return cited


def participant_view(exercise: Exercise) -> Exercise:
    """The exercise as every participant may see it: no facilitator text, no private team material.

    Sources cited only by facilitator material are left out, so a contested reading
    used only by a red cell is not handed to students as a reference.
    """
    moves = [_move(m, exercise) for m in exercise.moves]
    cited = _cited(moves)
    exercise.move_numbers()  # numbered from the whole storyline: the copy keeps these numbers
    return exercise.model_copy(
        update={
            "teams": [_public_team(t) for t in exercise.teams],
            "moves": moves,
            "sources": [s for s in exercise.sources if s.id in cited],
            "hot_wash": exercise.hot_wash.model_copy(
                update={
                    "questions": [
                        q
                        for q in exercise.hot_wash.questions
                        if _for_students(q.teams, _students(exercise))
                    ],
                    "facilitator_notes": None,
                }
            ),
        }
    )


def team_view(exercise: Exercise, team_id: str) -> Exercise:
    """What one team's packet may hold: the participant view plus that team's own private material.

    Injects, questions and decisions addressed only to other teams are removed, so
    a packet's worksheets are the team's own decisions. A team played by the
    facilitator has no participant packet (KeyError names it).
    """
    own = exercise.team(team_id)
    if own.played_by == "facilitator":
        raise KeyError(
            f"team {team_id!r} is played by the facilitator and has no participant packet"
        )
    public = participant_view(exercise)
    team_ids = [t.id for t in exercise.teams]
    moves = [
        m.model_copy(
            update={
                "injects": [i for i in m.injects if team_id in i.audience(team_ids)],
                "questions": [q for q in m.questions if not q.teams or team_id in q.teams],
                "decisions": [d for d in m.decisions if team_id in exercise.deciding_teams(d)],
            }
        )
        for m in public.moves
    ]
    teams = [own if t.id == team_id else t for t in public.teams]
    return public.model_copy(update={"teams": teams, "moves": moves})
