"""Sessions driven through the public API, as a facilitator would, for the report tests."""

from __future__ import annotations

from pathlib import Path

from ttx.api import Session, open_journal
from ttx.session.actions import (
    AddImprovementItem,
    AddNote,
    AnswerHotWash,
    CorrectDecision,
    EndSession,
    EnterMove,
    PauseClock,
    RateObjective,
    RecordDecision,
    ReleaseInject,
    ResumeClock,
)
from ttx.session.clock import FakeClock
from ttx.session.events import TeamSetup

HOSTILE = {
    "attachment": '<link rel="attachment" href="file:///etc/passwd">',
    "jinja": "{{ 7*7 }} {% if true %}jinja{% endif %}",
}


def demo_session(
    demo_path: Path,
    *,
    rationale_us: str = "Trust first; the cell needs vetted units.",
    extra_note: str | None = None,
) -> str:
    """A complete demo session: moves, decisions for both teams, branch, note, pause, hot wash, end."""
    clock = FakeClock()
    teams = [
        TeamSetup(id="us", name="Equipo EE. UU. (mañana)", members=["Ana Núñez", "Ben Ode"]),
        TeamSetup(id="mexico", members=["Carla Peña"]),
    ]
    with (
        open_journal() as journal,
        journal.create_session(demo_path, teams, clock=clock, facilitator="Dr. Ruiz") as session,
    ):
        session.apply(EnterMove())
        session.apply(ReleaseInject(inject_id="offer_cable"))
        clock.advance(60)
        session.apply(ReleaseInject(inject_id="leak_warning"))
        clock.advance(90)
        session.apply(
            RecordDecision(
                decision_id="opening",
                team_id="us",
                option_id="pressure",
                rationale="Congress wants results this year.",
            )
        )
        clock.advance(20)
        session.apply(
            CorrectDecision(
                decision_id="opening",
                team_id="us",
                option_id="partner",
                rationale=rationale_us,
                reason="the team changed its mind after discussion",
            )
        )
        session.apply(PauseClock(reason="fire drill"))
        clock.advance(300)
        session.apply(ResumeClock())
        clock.advance(30)
        session.apply(
            RecordDecision(
                decision_id="posture",
                team_id="mexico",
                option_id="intel_only",
                rationale="¿Tropas extranjeras? No: soberanía ante todo.",
            )
        )
        session.apply(
            AddNote(
                text="The US team named a measurable end state before choosing.",
                category="strength",
                team_id="us",
                objective_id="end_state",
            )
        )
        session.apply(
            AddNote(
                text="Mexico's team did not plan for retaliation at home.",
                category="improvement",
                team_id="mexico",
                objective_id="partner",
            )
        )
        if extra_note:
            session.apply(AddNote(text=extra_note, category="note"))
        clock.advance(60)
        session.apply(EnterMove())  # the rules: opening = partner, so "working"
        session.apply(ReleaseInject(inject_id="first_arrests"))
        clock.advance(45)
        session.apply(ReleaseInject(inject_id="thin_cooperation"))
        clock.advance(60)
        session.apply(
            RecordDecision(
                decision_id="next_step",
                team_id="us",
                option_id="deepen",
                rationale="Keep the momentum.",
            )
        )
        session.apply(
            RecordDecision(
                decision_id="next_step",
                team_id="mexico",
                option_id="deepen",
                rationale="Results justify it.",
            )
        )
        clock.advance(60)
        session.apply(EnterMove(move_id="end"))
        clock.advance(30)
        session.apply(
            AnswerHotWash(
                text="The first answer shaped everything after it.", question_index=0, team_id="us"
            )
        )
        session.apply(
            AnswerHotWash(text="Sovereignty mattered more than we thought.", question_index=1)
        )
        session.apply(
            RateObjective(
                objective_id="end_state",
                rating="Performed with some challenges",
                evidence="Named late, after the first choice.",
            )
        )
        session.apply(
            RateObjective(
                objective_id="partner",
                rating="Performed without challenges",
                evidence="Both teams planned around the partner's limits.",
            )
        )
        session.apply(
            AddImprovementItem(
                issue="End state named late",
                corrective_action="Open move 1 with an end-state drill",
                responsible="Course lead",
                due="2026-12-15",
                objective_id="end_state",
            )
        )
        clock.advance(60)
        session.apply(EndSession())
        return session.id


def _allocation(decision: object) -> dict[str, int]:
    budget = int(getattr(decision, "budget", 0) or 0)
    out: dict[str, int] = {}
    options = list(getattr(decision, "options", []))
    for index, option in enumerate(options):
        if budget <= 0:
            break
        cap = option.max if option.max is not None else budget
        give = min(cap, budget if index == len(options) - 1 else max(1, budget // 2))
        if give > 0:
            out[option.id] = give
            budget -= give
    if budget > 0 and options:
        for option in options:
            cap = option.max if option.max is not None else 10**6
            room = cap - out.get(option.id, 0)
            add = min(room, budget)
            if add > 0:
                out[option.id] = out.get(option.id, 0) + add
                budget -= add
    return out


def full_session(exercise_path: Path, *, spread: bool = True) -> str:
    """Play an exercise to the end: every deciding team answers every decision, with rationales.

    With `spread`, team n picks option n (mod the number of options), so matrices differ.
    """
    clock = FakeClock()
    with (
        open_journal() as journal,
        journal.create_session(exercise_path, clock=clock, facilitator="Prof. Ibáñez") as session,
    ):
        session.apply(EnterMove())
        for _ in range(50):
            state = session.state
            if state.current_move is None or state.status != "running":
                break
            move = state.exercise.move(state.current_move)
            for pending in session.pending_injects():
                if pending.condition_held is False:
                    continue
                session.apply(ReleaseInject(inject_id=pending.inject.id))
                clock.advance(20)
            for decision in move.decisions:
                for n, team_id in enumerate(state.deciding_teams(decision.id)):
                    if team_id in session.state.decisions.get(decision.id, _NONE).records:
                        continue
                    clock.advance(40)
                    if decision.kind == "allocation":
                        cmd = RecordDecision(
                            decision_id=decision.id,
                            team_id=team_id,
                            allocation=_allocation(decision),
                            rationale=f"Team {team_id} spreads its effort.",
                        )
                    else:
                        option = decision.options[(n if spread else 0) % len(decision.options)]
                        cmd = RecordDecision(
                            decision_id=decision.id,
                            team_id=team_id,
                            option_id=option.id,
                            rationale=f"Team {team_id} weighs {option.label}.",
                        )
                    session.apply(cmd)
            session.apply(AddNote(text=f"Lively discussion in {move.title}.", category="strength"))
            clock.advance(120)
            try:
                session.apply(EnterMove())
            except Exception:
                outcome_fix(session)
                session.apply(EnterMove())
        session.apply(
            AnswerHotWash(text="We learned to name the end state first.", question_index=0)
        )
        for objective in session.state.exercise.objectives:
            session.apply(
                RateObjective(
                    objective_id=objective.id,
                    rating=session.state.exercise.evaluation.scale[1],
                    evidence=f"Seen in the discussion of {objective.id}.",
                )
            )
        session.apply(
            AddImprovementItem(
                issue="Time ran short",
                corrective_action="Trim move 1",
                responsible="Lead",
                due="2027-01-15",
            )
        )
        session.apply(EndSession())
        return session.id


class _Empty:
    def __init__(self) -> None:
        self.records: dict[str, object] = {}


_NONE = _Empty()


def outcome_fix(session: Session) -> None:
    """Rule every decision of the current move that waits for the facilitator (ties, facilitator mode)."""
    from ttx.session.actions import RuleDecision

    state = session.state
    assert state.current_move is not None
    move = state.exercise.move(state.current_move)
    for decision in move.decisions:
        recorded = state.decisions.get(decision.id)
        if recorded is not None and recorded.outcome.status == "needs_ruling":
            session.apply(
                RuleDecision(
                    decision_id=decision.id,
                    option_id=decision.options[0].id,
                    reason="tie",
                )
            )


def generated_exercise(path: Path, teams: int) -> Path:
    """A format-1 exercise of `teams` teams, written to `path`: three moves, each with an
    inject for all and one for a single team, a decision for all and one for team 0."""
    import yaml

    ids = [f"t{i}" for i in range(teams)]
    words = "The room weighs the partner's limits against the pressure at home. " * 3

    def options(prefix: str) -> list[dict[str, object]]:
        return [
            {
                "id": f"{prefix}{o}",
                "label": f"Option {o + 1} of {prefix}",
                "consequence": f"What follows option {o + 1}. {words}",
                "effects": {"trust": 1 if o % 2 else -1},
            }
            for o in range(3)
        ]

    data = {
        "format": 1,
        "id": f"generated-{teams}",
        "title": f"Generated exercise of {teams} teams",
        "summary": words,
        "duration_minutes": 90,
        "objectives": [
            {"id": "obj_a", "text": "Name the end state before the means."},
            {"id": "obj_b", "text": "Weigh the partner's limits."},
        ],
        "state": [{"id": "trust", "label": "Trust", "min": 0, "max": 5, "start": 3}],
        "teams": [{"id": t, "name": f"Team {i + 1}", "briefing": words} for i, t in enumerate(ids)],
        "hot_wash": {"minutes": 10, "questions": [{"text": "What would you do again?"}]},
        "moves": [
            {
                "id": f"m{m}",
                "title": f"Move number {m}",
                "minutes": 30,
                "narrative": words,
                "injects": [
                    {"id": f"m{m}_all", "title": f"News for all {m}", "to": "all", "body": words},
                    {
                        "id": f"m{m}_one",
                        "title": f"A note for one {m}",
                        "to": [ids[0]],
                        "body": words,
                    },
                ],
                "decisions": [
                    {
                        "id": f"m{m}_all",
                        "prompt": f"What does each team do in move {m}?",
                        "resolve": "majority",
                        "objectives": ["obj_a"],
                        "options": options(f"a{m}"),
                    },
                    {
                        "id": f"m{m}_one",
                        "prompt": f"What does team one alone do in move {m}?",
                        "teams": [ids[0]],
                        "objectives": ["obj_b"],
                        "options": options(f"b{m}"),
                    },
                ],
            }
            for m in range(3)
        ],
    }
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path
