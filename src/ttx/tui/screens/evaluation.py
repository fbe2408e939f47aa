"""Evaluation: rate each objective on the HSEEP scale with evidence, and build the improvement plan."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from ttx.session import actions as cmd
from ttx.session.lookups import date_problem
from ttx.tui.base import console_action, ttx
from ttx.tui.dialogs.choose import NUMBER_KEYS, ChoiceDialog
from ttx.tui.dialogs.form import FormDialog, FormField
from ttx.tui.dialogs.reuse import ask
from ttx.tui.errors import guarded
from ttx.tui.keys import pause_key, undo_key
from ttx.tui.messages import SessionScreen
from ttx.tui.text import join, md_plain, one_line, safe
from ttx.tui.widgets.saved import SavedIndicator

if TYPE_CHECKING:
    from ttx.session.state import Note, SessionState


class EvaluationScreen(SessionScreen):
    """Objectives with their ratings; the improvement plan below."""

    HELP_TITLE = "Evaluation"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "enter", "rate", "Rate", id="evaluation.rate", tooltip="Rate the highlighted objective"
        ),
        Binding(
            "i",
            "add_item",
            "Plan item",
            id="evaluation.add_item",
            tooltip="Add an improvement-plan item",
        ),
        Binding(
            "escape", "back", "Back", id="evaluation.back", tooltip="Back to the previous screen"
        ),
        Binding(
            "f",
            "finish",
            "Finish",
            id="evaluation.finish",
            tooltip="End the session and write the report",
        ),
        Binding(
            "a",
            "analyse",
            "Analysis",
            id="evaluation.analyse",
            tooltip="Write your analysis of a strength or area for improvement",
        ),
        undo_key("evaluation"),
        pause_key("evaluation"),
        *NUMBER_KEYS,
    ]

    def compose(self) -> ComposeResult:
        """Objectives list, criteria and plan."""
        with Horizontal(id="console-head"):
            yield Static(
                join(("Evaluation", "bold"), " · rate objectives, plan improvements"),
                id="head-title",
            )
            yield SavedIndicator()
        with Horizontal(id="console-body"):
            with Vertical(classes="form-body", id="eval-left"):
                yield Static("Objectives (number or Enter rates)", classes="section", markup=False)
                yield OptionList(id="eval-objectives")
            with VerticalScroll(classes="form-body", id="eval-right"):
                yield Static(id="eval-detail")
                yield Static(id="eval-observations")
                yield Static(id="eval-plan")
        yield Footer(compact=True, show_command_palette=False)

    def _state(self) -> SessionState:
        session = ttx(self).session
        assert session is not None
        return session.state

    def on_mount(self) -> None:
        """Draw and focus the objectives."""
        self.show_state(self._state())
        self.query_one("#eval-objectives", OptionList).focus()

    def show_state(self, state: SessionState) -> None:
        """Redraw ratings and the plan from the state."""
        options = self.query_one("#eval-objectives", OptionList)
        keep = options.highlighted or 0
        options.clear_options()
        for number, objective in enumerate(state.exercise.objectives, 1):
            rating = state.ratings.get(objective.id)
            rated = (rating.rating, "$success") if rating else ("not rated", "$warning")
            options.add_option(
                Option(
                    join((f"{number} ", "bold"), one_line(objective.text, 70), "\n   ", rated),
                    id=objective.id,
                )
            )
        if state.exercise.objectives:
            options.highlighted = min(keep, len(state.exercise.objectives) - 1)
        self._detail(state)
        parts: list[object] = [("Improvement plan (i adds)\n", "bold $accent")]
        if not state.improvements:
            parts.append(("No items yet.", "dim"))
        for item in state.improvements:
            parts += ["• ", safe(item.issue, 300), " → ", safe(item.corrective_action or "—", 300)]
            parts += [
                (" · ", "dim"),
                safe(item.responsible or "—", 80),
                (" · due ", "dim"),
                safe(item.due or "—", 40),
                "\n",
            ]
        self.query_one("#eval-plan", Static).update(join(*parts))  # type: ignore[arg-type]
        self.query_one("#eval-observations", Static).update(_observations(state))

    def _detail(self, state: SessionState) -> None:
        option = self.query_one("#eval-objectives", OptionList).highlighted_option
        detail = self.query_one("#eval-detail", Static)
        if option is None or option.id is None:
            detail.update(join(("This exercise names no objectives.", "dim")))
            return
        objective = next(o for o in state.exercise.objectives if o.id == option.id)
        number = state.exercise.objectives.index(objective) + 1
        parts: list[object] = [
            (f"Objective {number}\n", "bold"),
            safe(md_plain(objective.text), 600),
            "\n",
        ]
        for criterion in state.exercise.evaluation.criteria:
            if criterion.objective == objective.id:
                parts += ["  ◦ ", safe(md_plain(criterion.text), 300), "\n"]
        rating = state.ratings.get(objective.id)
        if rating:
            parts += [
                ("Rating: ", "bold"),
                rating.rating,
                "\n",
                ("Evidence: ", "bold"),
                safe(rating.evidence or "—", 800),
                "\n",
            ]
        notes = [n for n in state.notes if n.objective_id == objective.id]
        if notes:
            parts.append(("Observations tagged to it\n", "bold"))
            for note in notes:
                parts += [
                    f"  {'+' if note.category == 'strength' else '−' if note.category == 'improvement' else '·'} ",
                    safe(note.text, 300),
                    "\n",
                ]
        parts.append("\n")
        detail.update(join(*parts))  # type: ignore[arg-type]

    @on(OptionList.OptionHighlighted, "#eval-objectives")
    def _highlighted(self) -> None:
        self._detail(self._state())

    @on(OptionList.OptionSelected, "#eval-objectives")
    def _selected(self) -> None:
        self.action_rate()

    def action_pick(self, number: int) -> None:
        """Rate objective `number`."""
        options = self.query_one("#eval-objectives", OptionList)
        if 1 <= number <= options.option_count:
            options.highlighted = number - 1
            self.action_rate()

    @work(exclusive=True, group="flow", exit_on_error=False)
    @guarded
    async def action_rate(self) -> None:
        """Choose a rating on the scale, then give the evidence."""
        state = self._state()
        option = self.query_one("#eval-objectives", OptionList).highlighted_option
        if option is None or option.id is None:
            return
        objective = next(o for o in state.exercise.objectives if o.id == option.id)
        scale = state.exercise.evaluation.scale
        current = state.ratings.get(objective.id)
        choices = [(str(i), join(one_line(label, 80))) for i, label in enumerate(scale)]
        chosen = await self.app.push_screen_wait(
            ChoiceDialog(
                "Rating",
                choices,
                intro=safe(md_plain(objective.text), 300),
                highlight=str(scale.index(current.rating))
                if current and current.rating in scale
                else None,
            )
        )
        if chosen is None:
            return
        values = await ask(
            self.app,
            FormDialog(
                "Evidence",
                [
                    FormField(
                        "evidence",
                        "What you saw that supports this rating",
                        "e.g. the US team named an end state in move 1",
                        current.evidence if current else "",
                        multiline=True,
                    )
                ],
                intro=join(("Rating: ", "bold"), scale[int(chosen)]),
            ),
        )
        if values is None:
            return
        ttx(self).apply(
            cmd.RateObjective(
                objective_id=objective.id, rating=scale[int(chosen)], evidence=values["evidence"]
            )
        )

    @work(exclusive=True, group="flow", exit_on_error=False)
    @guarded
    async def action_add_item(self) -> None:
        """Add an improvement-plan item (HSEEP's columns: objective, capability, who, when)."""
        objectives = list(self._state().exercise.objectives)
        values = await ask(
            self.app,
            FormDialog(
                "Improvement-plan item",
                [
                    FormField(
                        "issue", "Issue or area for improvement", required=True, multiline=True
                    ),
                    FormField("action", "Corrective action", multiline=True),
                    FormField(
                        "objective",
                        "Objective (its number)",
                        f"1-{len(objectives)}, or empty" if objectives else "none in this exercise",
                        check=lambda text: _objective_problem(text, len(objectives)),
                    ),
                    FormField("capability", "Capability", "e.g. Operational coordination"),
                    FormField("responsible", "Responsible (organisation)"),
                    FormField("contact", "Point of contact", "name, office, e-mail"),
                    FormField("start", "Start", "YYYY-MM-DD", check=date_problem),
                    FormField("due", "Due", "YYYY-MM-DD", check=date_problem),
                ],
            ),
        )
        if values is None:
            return
        number = values["objective"]
        ttx(self).apply(
            cmd.AddImprovementItem(
                issue=values["issue"],
                corrective_action=values["action"],
                responsible=values["responsible"],
                due=values["due"],
                objective_id=objectives[int(number) - 1].id if number else None,
                capability=values["capability"],
                point_of_contact=values["contact"],
                start=values["start"],
            )
        )

    @work(exclusive=True, group="flow", exit_on_error=False)
    @guarded
    async def action_analyse(self) -> None:
        """Choose a strength or area for improvement, then write (or rewrite) its analysis."""
        state = self._state()
        observed = _observed(state)
        if not observed:
            self.notify(
                "No strength or area for improvement yet: mark a note as one (o in the console).",
                markup=False,
            )
            return
        choices = [
            (
                str(note.seq),
                join(
                    ("+ " if note.category == "strength" else "− ", "bold"),
                    one_line(note.text, 70),
                    ("  ✓ analysed" if note.analysis else "", "$success"),
                ),
            )
            for note in observed
        ]
        chosen = await ask(self.app, ChoiceDialog("Analysis of which observation?", choices))
        if chosen is None:
            return
        note = next(n for n in observed if str(n.seq) == chosen)
        kind = "Strength" if note.category == "strength" else "Area for improvement"
        values = await ask(
            self.app,
            FormDialog(
                "Analysis",
                [
                    FormField(
                        "analysis",
                        "Why it happened, what it led to, what to keep or change",
                        value=note.analysis,
                        multiline=True,
                    )
                ],
                intro=join((f"{kind}: ", "bold"), safe(note.text, 400)),
            ),
        )
        if values is not None:
            ttx(self).apply(cmd.AnalyseNote(note_seq=note.seq, analysis=values["analysis"]))

    def action_back(self) -> None:
        """Back to where you came from."""
        self.dismiss()

    def action_undo(self) -> None:
        """Undo the last action, after a yes (through the console)."""
        console_action(self, "undo")

    def action_pause(self) -> None:
        """Pause or resume the clock (through the console)."""
        console_action(self, "pause")

    def action_finish(self) -> None:
        """End the session and write the report (through the console)."""
        console_action(self, "finish")


def _observed(state: SessionState) -> list[Note]:
    """The session's strengths and areas for improvement, in the order they were noted."""
    return [n for n in state.notes if n.category in ("strength", "improvement")]


def _observations(state: SessionState) -> Content:
    """Each strength and area for improvement with the facilitator's analysis (a writes one)."""
    parts: list[str | Content | tuple[str, str]] = [
        ("Strengths and areas for improvement (a writes an analysis)\n", "bold $accent")
    ]
    observed = _observed(state)
    if not observed:
        parts.append(("None noted yet.\n", "dim"))
    for note in observed:
        strength = note.category == "strength"
        parts += [
            ("+ " if strength else "− ", "$success" if strength else "$warning"),
            safe(note.text, 300),
            "\n",
            ("   Analysis: ", "bold"),
            safe(note.analysis, 2000) if note.analysis else ("none yet", "dim"),
            "\n",
        ]
    parts.append("\n")
    return join(*parts)


def _objective_problem(text: str, count: int) -> str | None:
    """Why `text` is not an objective's number (1..count, or empty), or None."""
    if not text or (text.isdigit() and 1 <= int(text) <= count):
        return None
    return f"give a number from 1 to {count}, or leave it empty" if count else "leave it empty"
