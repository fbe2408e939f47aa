"""The handout set of an exercise: which documents, their file names, and their HTML."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ttx.model.exercise import Exercise
from ttx.report.facilitator import facilitator_guide_context
from ttx.report.markdown import pictures_from
from ttx.report.participant import (
    branch_modules_context,
    feedback_context,
    inject_cards_context,
    sitman_context,
    student_teams,
    team_packet_context,
)
from ttx.report.room import print_checklist
from ttx.report.templates import render_html


@dataclass(frozen=True, slots=True)
class Handout:
    """One document of the set: its file name, what it is, its template and its plain-data context."""

    filename: str
    title: str
    template: str
    context: dict[str, Any]
    participant: bool

    def html(self, paper: str) -> str:
        """The document's HTML on this paper size."""
        return render_html(self.template, self.context, paper)


def handout_set(exercise: Exercise) -> list[Handout]:
    """Every handout of an exercise, participant documents first, the facilitator guide last.

    A format-2 exercise loaded from a file prints the pictures of its own folder.
    """
    folder = exercise.source_folder() if exercise.format >= 2 else None
    with pictures_from(folder):
        return _handout_set(exercise)


def _handout_set(exercise: Exercise) -> list[Handout]:
    docs = [
        Handout(
            "situation-manual.pdf", "situation manual", "sitman", sitman_context(exercise), True
        )
    ]
    for team_id in student_teams(exercise):
        docs.append(
            Handout(
                f"team-{team_id}.pdf",
                f"team packet for {exercise.team(team_id).short or exercise.team(team_id).name}",
                "team_packet",
                team_packet_context(exercise, team_id),
                True,
            )
        )
    # One deck per team (only the cards it receives), then the facilitator's deck of every card.
    for team_id in student_teams(exercise):
        team = exercise.team(team_id)
        context = inject_cards_context(exercise, team_id)
        if context["cards"]:
            docs.append(
                Handout(
                    f"inject-cards-{team_id}.pdf",
                    f"inject cards for {team.label}",
                    "inject_cards",
                    context,
                    True,
                )
            )
    docs.append(
        Handout(
            "inject-cards.pdf",
            "inject cards (facilitator's deck)",
            "inject_cards",
            inject_cards_context(exercise),
            True,
        )
    )
    modules = branch_modules_context(exercise)
    if modules is not None:
        docs.append(
            Handout("branch-modules.pdf", "branch modules", "branch_modules", modules, True)
        )
    docs.append(
        Handout(
            "feedback-form.pdf", "feedback form", "feedback_form", feedback_context(exercise), True
        )
    )
    docs.append(
        Handout(
            "facilitator-guide.pdf",
            "facilitator guide",
            "facilitator_guide",
            facilitator_guide_context(exercise),
            False,
        )
    )
    docs[-1].context["print_checklist"] = print_checklist(
        exercise, [(d.filename, d.title, d.participant) for d in docs]
    )
    return docs
