"""Sessions driven through the public API, as a facilitator would, for the report tests."""

from __future__ import annotations

from pathlib import Path

from ttx.api import open_journal
from ttx.session.clock import FakeClock
from ttx.session.commands import (
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
from ttx.session.events import TeamSetup

HOSTILE = {
    "attachment": '<link rel="attachment" href="file:///etc/passwd">',
    "jinja": "{{ 7*7 }} {% if true %}jinja{% endif %}",
}


def demo_session(demo_path: Path, *, rationale_us: str = "Trust first; the cell needs vetted units.",
                 extra_note: str | None = None) -> str:
    """A complete demo session: moves, decisions for both teams, branch, note, pause, hot wash, end."""
    clock = FakeClock()
    teams = [
        TeamSetup(id="us", name="Equipo EE. UU. (mañana)", members=["Ana Núñez", "Ben Ode"]),
        TeamSetup(id="mexico", members=["Carla Peña"]),
    ]
    with open_journal() as journal, journal.create_session(
        demo_path, teams, clock=clock, facilitator="Dr. Ruiz"
    ) as session:
        session.apply(EnterMove())
        session.apply(ReleaseInject(inject_id="offer_cable"))
        clock.advance(60)
        session.apply(ReleaseInject(inject_id="leak_warning"))
        clock.advance(90)
        session.apply(
            RecordDecision(
                decision_id="opening", team_id="us", option_id="pressure",
                rationale="Congress wants results this year.",
            )
        )
        clock.advance(20)
        session.apply(
            CorrectDecision(
                decision_id="opening", team_id="us", option_id="partner",
                rationale=rationale_us, reason="the team changed its mind after discussion",
            )
        )
        session.apply(PauseClock(reason="fire drill"))
        clock.advance(300)
        session.apply(ResumeClock())
        clock.advance(30)
        session.apply(
            RecordDecision(
                decision_id="posture", team_id="mexico", option_id="intel_only",
                rationale="¿Tropas extranjeras? No: soberanía ante todo.",
            )
        )
        session.apply(
            AddNote(text="The US team named a measurable end state before choosing.",
                    category="strength", team_id="us", objective_id="end_state")
        )
        session.apply(
            AddNote(text="Mexico's team did not plan for retaliation at home.",
                    category="improvement", team_id="mexico", objective_id="partner")
        )
        if extra_note:
            session.apply(AddNote(text=extra_note, category="note"))
        clock.advance(60)
        session.apply(EnterMove())  # the rules: opening = partner, so "working"
        session.apply(ReleaseInject(inject_id="first_arrests"))
        clock.advance(45)
        session.apply(ReleaseInject(inject_id="thin_cooperation"))
        clock.advance(60)
        session.apply(RecordDecision(decision_id="next_step", team_id="us", option_id="deepen",
                                     rationale="Keep the momentum."))
        session.apply(RecordDecision(decision_id="next_step", team_id="mexico", option_id="deepen",
                                     rationale="Results justify it."))
        clock.advance(60)
        session.apply(EnterMove(move_id="end"))
        clock.advance(30)
        session.apply(AnswerHotWash(text="The first answer shaped everything after it.",
                                    question_index=0, team_id="us"))
        session.apply(AnswerHotWash(text="Sovereignty mattered more than we thought.",
                                    question_index=1))
        session.apply(RateObjective(objective_id="end_state", rating="Performed with some challenges",
                                    evidence="Named late, after the first choice."))
        session.apply(RateObjective(objective_id="partner", rating="Performed without challenges",
                                    evidence="Both teams planned around the partner's limits."))
        session.apply(AddImprovementItem(issue="End state named late",
                                         corrective_action="Open move 1 with an end-state drill",
                                         responsible="Course lead", due="2026-12-15",
                                         objective_id="end_state"))
        clock.advance(60)
        session.apply(EndSession())
        return session.id
