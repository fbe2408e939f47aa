"""The console's decision keys: record, correct and adjudicate a team's answer."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import work

from ttx.session import commands as cmd
from ttx.tui.errors import guarded
from ttx.tui.screens.flow_base import FlowBase
from ttx.tui.text import join, one_line, safe
from ttx.tui.widgets import panels

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
        if len(pairs) == 1:
            return pairs[0]
        chosen = await self._ask(self._pair_dialog(state, pairs, title))
        return None if chosen is None else pairs[int(chosen)]

    @guarded
    def action_decide(self) -> None:
        """Choose the team, then its option or free-form answer and rationale; confirm; record.

        The team dialog opens with the key itself (not in a worker that starts later), so an
        Escape typed right after d always finds it.
        """
        state = self.state
        if state.status != "running":
            self._screen().notify("Decisions are recorded during the moves.", markup=False)
            return
        pairs = self._pairs(state, answered=False)
        if not pairs:
            if panels.current_decisions(state):
                self._screen().notify(
                    "Every team has answered. c corrects an answer; m moves on.", markup=False
                )
            else:
                self._screen().notify("This move has no decision point.", markup=False)
            return
        if len(pairs) == 1:
            self.record_answer(state, pairs[0])
            return

        def chosen(index: str | None) -> None:
            if index is not None:
                self.record_answer(state, pairs[int(index)])

        self._ask_now(self._pair_dialog(state, pairs, "Which team is answering?"), chosen)

    # described once: Textual would otherwise describe the worker by the repr of its
    # arguments, the whole session state (≈3 ms, on the key that opens the dialog)
    @work(exclusive=True, group="flow", exit_on_error=False, description="record_answer")
    @guarded
    async def record_answer(self, state: SessionState, pair: tuple[Decision, str]) -> None:
        """Ask the team's answer in the decision dialog and record it."""
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
            self._screen().notify("No decision has been recorded yet.", markup=False)
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
            self._screen().notify("There is no free-form answer to adjudicate.", markup=False)
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
        if chosen is not None:
            self._apply(
                cmd.AdjudicateDecision(decision_id=decision.id, team_id=team, option_id=chosen)
            )
