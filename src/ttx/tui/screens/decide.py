"""The console's decision keys: record, correct and adjudicate a team's answer."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import work
from textual.content import Content

from ttx.session import actions as cmd
from ttx.tui.errors import guarded
from ttx.tui.screens.flow_base import FlowBase
from ttx.tui.text import join, one_line, safe
from ttx.tui.widgets import panels
from ttx.vocabulary import option_label

if TYPE_CHECKING:
    from ttx.model.exercise import Decision
    from ttx.session.state import SessionState
    from ttx.tui.dialogs.choose import ChoiceDialog
    from ttx.tui.dialogs.decision import Answer


class DecisionFlows(FlowBase):
    """Mixin for the console screen: d, c and a."""

    def _pairs(self, state: SessionState, answered: bool) -> list[tuple[Decision, str]]:
        pairs: list[tuple[Decision, str]] = []
        decisions = panels.current_decisions(state)
        if answered:
            current = {d.id for d in decisions}
            decisions += [
                state.exercise.decision(d)[1] for d in state.decisions if d not in current
            ]
        for decision in decisions:
            record = state.decisions.get(decision.id)
            have = set(record.records) if record else set()
            for team in state.deciding_teams(decision.id):
                if (team in have) == answered:
                    pairs.append((decision, team))
        return pairs

    def _pair_dialog(
        self, state: SessionState, pairs: list[tuple[Decision, str]], title: str
    ) -> ChoiceDialog:
        from ttx.tui.dialogs.choose import ChoiceDialog

        choices = [
            (
                f"{i}",
                join(
                    (one_line(state.team(team).name, 40).plain, "bold"),
                    " — ",
                    one_line(decision.prompt, 60),
                ),
            )
            for i, (decision, team) in enumerate(pairs)
        ]
        return ChoiceDialog(title, choices)

    async def _pick_pair(
        self, state: SessionState, pairs: list[tuple[Decision, str]], title: str
    ) -> tuple[Decision, str] | None:
        chosen = await self._ask(self._pair_dialog(state, pairs, title))
        return None if chosen is None else pairs[int(chosen)]

    def _team_dialog(self, state: SessionState) -> ChoiceDialog | None:
        """Every team of the session, numbered by its place in the exercise; answered ones ticked."""
        from ttx.tui.dialogs.choose import ChoiceDialog

        decisions = panels.current_decisions(state)
        place = {team.id: number for number, team in enumerate(state.exercise.teams, 1)}
        choices: list[tuple[str, Content]] = []
        numbers: list[int] = []
        open_count = 0
        for team in sorted(state.teams, key=lambda t: place.get(t.id, len(place) + 1)):
            mine = [d for d in decisions if team.id in state.deciding_teams(d.id)]
            waiting = [d for d in mine if team.id in state.waiting_for(d.id)]
            name = one_line(team.name, 40).plain
            if waiting:
                open_count += 1
                what = (
                    one_line(waiting[0].prompt, 60)
                    if len(waiting) == 1
                    else join(f"{len(waiting)} decisions")
                )
                label = join("  ", (name, "bold"), " — ", what)
            elif mine:
                chosen = Content("; ").join(self._answered_as(state, d, team.id) for d in mine)
                label = join(
                    ("✓ ", "$success bold"), (name, "dim"), (" — answered: ", "dim"), chosen
                )
            else:
                label = join("  ", (name, "dim"), (" — does not decide in this move", "dim"))
            choices.append((team.id, label))
            numbers.append(place.get(team.id, len(place) + 1))
        if not open_count:
            return None
        return ChoiceDialog(
            "Which team is answering?",
            choices,
            intro=join(("✓ answered · ", "dim"), f"{open_count} still to answer"),
            highlight=next((tid for tid, _ in choices if self._waiting(state, tid)), None),
            numbers=numbers,
        )

    @staticmethod
    def _waiting(state: SessionState, team_id: str) -> list[Decision]:
        return [d for d in panels.current_decisions(state) if team_id in state.waiting_for(d.id)]

    @staticmethod
    def _answered_as(state: SessionState, decision: Decision, team_id: str) -> Content:
        record = state.decisions.get(decision.id)
        answer = record.records.get(team_id) if record else None
        if answer is None:
            return join("—")
        if answer.counts_as:
            return join((option_label(state.exercise, decision.id, answer.counts_as), "dim"))
        return join(("free-form", "dim"))

    @guarded
    def action_decide(self) -> None:
        """Choose the team, then its option or free-form answer and rationale; confirm; record.

        The team dialog opens with the key itself (not in a worker that starts later), so an
        Escape typed right after d always finds it. It opens even when one team is left, and
        a team keeps its number (its place in the exercise) whoever has answered.
        """
        state = self.state
        if state.status != "running":
            self.notify("Decisions are recorded during the moves.", markup=False)
            return
        dialog = self._team_dialog(state)
        if dialog is None:
            if panels.current_decisions(state):
                self.notify(
                    "Every team has answered. c corrects an answer; m moves on.", markup=False
                )
            else:
                self.notify("This move has no decision point.", markup=False)
            return

        def chosen(team_id: str | None) -> None:
            if team_id is not None:
                self._team_chosen(state, team_id)

        self._ask_now(dialog, chosen)

    def _team_chosen(self, state: SessionState, team_id: str) -> None:
        waiting = self._waiting(state, team_id)
        name = state.team(team_id).name
        if not waiting:
            answered = any(
                team_id in state.deciding_teams(d.id) for d in panels.current_decisions(state)
            )
            self.notify(
                f"{name} has answered already: c corrects it."
                if answered
                else f"{name} does not decide in this move.",
                markup=False,
            )
            return
        if len(waiting) == 1:
            self.record_answer(state, (waiting[0], team_id))
            return
        self.record_answer_of(state, team_id, waiting)

    @work(exclusive=True, group="flow", exit_on_error=False, description="record_answer_of")
    @guarded
    async def record_answer_of(
        self, state: SessionState, team_id: str, waiting: list[Decision]
    ) -> None:
        """The team answers more than one decision in this move: which one now?"""
        pair = await self._pick_pair(
            state, [(d, team_id) for d in waiting], "Which decision is it answering?"
        )
        if pair is not None:
            await self._record(state, pair)

    # described once: Textual would otherwise describe the worker by the repr of its
    # arguments, the whole session state (≈3 ms, on the key that opens the dialog)
    @work(exclusive=True, group="flow", exit_on_error=False, description="record_answer")
    @guarded
    async def record_answer(self, state: SessionState, pair: tuple[Decision, str]) -> None:
        """Ask the team's answer in the decision dialog and record it."""
        await self._record(state, pair)

    async def _record(self, state: SessionState, pair: tuple[Decision, str]) -> None:
        from ttx.tui.dialogs.decision import DecisionDialog

        decision, team = pair
        answer: Answer | None = await self._ask(DecisionDialog(decision, state.team(team).name))
        if answer is None:
            return
        self._apply(
            cmd.RecordDecision(
                decision_id=decision.id,
                team_id=team,
                option_id=answer.option_id,
                allocation=answer.allocation,
                free_text=answer.free_text,
                rationale=answer.rationale,
            )
        )

    @work(exclusive=True, group="flow", exit_on_error=False)
    @guarded
    async def action_correct(self) -> None:
        """Correct a recorded answer (the earlier one stays in the history)."""
        from ttx.tui.dialogs.decision import Answer, DecisionDialog

        state = self.state
        pairs = self._pairs(state, answered=True)
        if not pairs:
            self.notify("No decision has been recorded yet.", markup=False)
            return
        pair = await self._pick_pair(state, pairs, "Correct which answer?")
        if pair is None:
            return
        decision, team = pair
        record = state.decisions[decision.id].records[team]
        previous = Answer(
            option_id=record.option_id,
            allocation=dict(record.allocation) if record.allocation else None,
            free_text=record.free_text,
            rationale=record.rationale,
        )
        answer: Answer | None = await self._ask(
            DecisionDialog(decision, state.team(team).name, previous=previous, correcting=True)
        )
        if answer is None:
            return
        self._apply(
            cmd.CorrectDecision(
                decision_id=decision.id,
                team_id=team,
                option_id=answer.option_id,
                allocation=answer.allocation,
                free_text=answer.free_text,
                rationale=answer.rationale,
                reason=answer.reason,
            )
        )

    @work(exclusive=True, group="flow", exit_on_error=False)
    @guarded
    async def action_adjudicate(self) -> None:
        """Count a free-form answer as one of the options."""
        from ttx.tui.dialogs.choose import ChoiceDialog

        state = self.state
        pairs = [
            (state.exercise.decision(d)[1], team)
            for d, record in state.decisions.items()
            for team, answer in record.records.items()
            if answer.free_text and not answer.option_id
        ]
        if not pairs:
            self.notify("There is no free-form answer to adjudicate.", markup=False)
            return
        pair = await self._pick_pair(state, pairs, "Adjudicate which answer?")
        if pair is None:
            return
        decision, team = pair
        answer = state.decisions[decision.id].records[team]
        chosen = await self._ask(
            ChoiceDialog(
                "Counts as which option?",
                [(o.id, join(one_line(o.label, 70))) for o in decision.options],
                intro=join(("Answer: ", "bold"), safe(answer.free_text or "", 400)),
            )
        )
        if chosen is None:
            return
        reason = await self._reason("the adjudication")
        if reason is not None:
            self._apply(
                cmd.AdjudicateDecision(
                    decision_id=decision.id, team_id=team, option_id=chosen, reason=reason
                )
            )
