"""The console's key actions: each asks what it needs in a dialog, then applies one command."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual import work
from textual.content import Content

from ttx.session import commands as cmd
from ttx.tui.base import ttx
from ttx.tui.dialogs.choose import ChoiceDialog, ConfirmDialog
from ttx.tui.dialogs.decision import Answer, DecisionDialog
from ttx.tui.dialogs.note import NoteDialog
from ttx.tui.errors import guarded
from ttx.tui.text import join, one_line, safe
from ttx.tui.widgets import panels
from ttx.tui.widgets.describe import condition_text, move_label, option_label

if TYPE_CHECKING:
    from textual.screen import Screen

    from ttx.model.exercise import Decision
    from ttx.session.state import SessionState


class Flows:
    """Mixin for the console screen: the actions behind its keys."""

    _notes_hidden: bool
    _timeline_hidden: bool

    @property
    def state(self) -> SessionState:
        """The open session's current state."""
        session = ttx(self._screen()).session
        assert session is not None, "the console needs an open session"
        return session.state

    def _screen(self) -> Screen[Any]:
        return self  # type: ignore[return-value]

    def _apply(self, command: Any) -> SessionState | None:
        return ttx(self._screen()).apply(command)

    async def _ask(self, dialog: Any) -> Any:
        return await self._screen().app.push_screen_wait(dialog)

    # -- injects and moves ---------------------------------------------------------

    @guarded
    def action_next_inject(self) -> None:
        """Release the next inject due in this move (at the start: begin the first move)."""
        state = self.state
        if state.status == "setup":
            self._apply(cmd.EnterMove())
            return
        if state.status != "running":
            self._screen().notify("The moves are over: w opens the hot wash.", markup=False)
            return
        from ttx.session.branching import pending_injects

        pending = pending_injects(state, ttx(self._screen()).now())
        if not pending:
            self._screen().notify(
                "Every inject of this move whose condition holds is out. i releases a conditional one; m moves on.",
                markup=False,
            )
            return
        nxt = min(pending, key=lambda p: p.inject.at)
        self._apply(cmd.ReleaseInject(inject_id=nxt.inject.id))

    @work(exclusive=True, group="flow", exit_on_error=False)
    @guarded
    async def action_choose_inject(self) -> None:
        """Choose any unreleased inject of this move; one whose condition does not hold needs a yes."""
        state = self.state
        if state.status != "running":
            return
        unreleased = panels.pending_injects(state)
        if not unreleased:
            self._screen().notify("Every inject of this move is released.", markup=False)
            return
        from ttx.session.branching import inject_recipients

        choices: list[tuple[str, Content]] = []
        for inject in unreleased:
            _, held = inject_recipients(state, inject)
            flag = (
                ""
                if held is None
                else (
                    " (condition holds)"
                    if held
                    else f" (condition does NOT hold: {condition_text(inject.when)})"
                    if inject.when
                    else ""
                )
            )
            choices.append(
                (inject.id, join(f"{inject.at}′ ", one_line(inject.title, 60), (flag, "dim")))
            )
        chosen = await self._ask(ChoiceDialog("Release which inject?", choices))
        if chosen is None:
            return
        inject = next(i for i in unreleased if i.id == chosen)
        _, held = inject_recipients(state, inject)
        force = False
        if held is False:
            if not await self._ask(
                ConfirmDialog(
                    "Release it anyway?",
                    "Its condition does not hold. The report will show you released it by hand.",
                )
            ):
                return
            force = True
        self._apply(cmd.ReleaseInject(inject_id=chosen, force=force))

    def branch_summary(self, state: SessionState) -> Content:
        """E.g. "US NSC chose Pressure (team us) → next: move 3: A strained partnership"."""
        from ttx.session.branching import preview_branch

        move_id = state.current_move or ""
        preview = preview_branch(state, move_id)
        parts: list[Any] = []
        for decision in panels.current_decisions(state):
            record = state.decisions.get(decision.id)
            if record is None:
                continue
            outcome = record.outcome
            if outcome.status == "resolved" and outcome.option_id:
                parts += [
                    f"{panels.outcome_by(state, outcome.by or outcome.mode)} chose ",
                    (option_label(decision, outcome.option_id), "bold"),
                    "; ",
                ]
            elif outcome.status == "needs_ruling":
                parts += [(f"{decision.id} needs your ruling", "$warning bold"), "; "]
        if preview.waiting:
            parts += [(f"waiting on {', '.join(preview.waiting)}; ", "$warning")]
        if parts and parts[-1] == "; ":
            parts[-1] = " "
        parts += ["→ next: ", (move_label(state.exercise, preview.target), "bold")]
        if preview.rule_index is None:
            parts.append((" (file order)", "dim"))
        return join(*parts)

    @work(exclusive=True, group="flow", exit_on_error=False)
    @guarded
    async def action_next_move(self) -> None:
        """Rule on any tie, show where the rules lead, confirm or override, enter the next move."""
        state = self.state
        if state.status == "setup":
            self._apply(cmd.EnterMove())
            return
        if state.status != "running" or state.current_move is None:
            self._screen().notify(
                "The moves are over: w opens the hot wash, f finishes.", markup=False
            )
            return
        for decision in panels.current_decisions(state):
            record = state.decisions.get(decision.id)
            if record is not None and record.outcome.status == "needs_ruling":
                ruled = await self._rule(state, decision)
                if ruled is None:
                    return
                state = ruled
        from ttx.session.branching import preview_branch

        preview = preview_branch(state, state.current_move or "")
        waiting = [t for d in panels.current_decisions(state) for t in state.waiting_for(d.id)]
        intro = join(self.branch_summary(state))
        if waiting:
            names = ", ".join(state.team(t).name for t in dict.fromkeys(waiting))
            intro = join(
                intro, ("\n⚠ Not everyone has answered: ", "$warning bold"), safe(names, 200)
            )
        choices: list[tuple[str, Content]] = [
            (
                preview.target,
                join(("Confirm: ", "bold"), move_label(state.exercise, preview.target)),
            )
        ]
        for move in state.exercise.moves:
            if move.id != preview.target and move.id != state.current_move:
                choices.append((move.id, join("Override: ", move_label(state.exercise, move.id))))
        if preview.target != "end":
            choices.append(("end", join("Override: ", "end the moves (hot wash)")))
        chosen = await self._ask(
            ChoiceDialog("Where does the story go next?", choices, intro=intro)
        )
        if chosen is None:
            return
        if chosen == preview.target:
            self._apply(cmd.EnterMove())
        else:
            self._apply(cmd.EnterMove(move_id=chosen, reason="facilitator override"))

    async def _rule(self, state: SessionState, decision: Decision) -> SessionState | None:
        record = state.decisions[decision.id]
        tally = ", ".join(
            f"{option_label(decision, k)}: {v}" for k, v in record.outcome.tally.items()
        )
        choices = [(o.id, join(one_line(o.label, 70))) for o in decision.options]
        chosen = await self._ask(
            ChoiceDialog(
                "Your ruling",
                choices,
                intro=join(
                    safe(decision.prompt, 200),
                    ("\nTally: ", "bold"),
                    safe(tally or "no answers", 200),
                ),
            )
        )
        if chosen is None:
            return None
        return self._apply(
            cmd.RuleDecision(decision_id=decision.id, option_id=chosen, reason="facilitator ruling")
        )

    # -- decisions -------------------------------------------------------------------

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

    async def _pick_pair(
        self, state: SessionState, pairs: list[tuple[Decision, str]], title: str
    ) -> tuple[Decision, str] | None:
        if len(pairs) == 1:
            return pairs[0]
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
        chosen = await self._ask(ChoiceDialog(title, choices))
        return None if chosen is None else pairs[int(chosen)]

    @work(exclusive=True, group="flow", exit_on_error=False)
    @guarded
    async def action_decide(self) -> None:
        """Choose the team, then its option or free-form answer and rationale; confirm; record."""
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
        pair = await self._pick_pair(state, pairs, "Which team is answering?")
        if pair is None:
            return
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

    # -- clock, undo, notes -------------------------------------------------------------

    @guarded
    def action_pause(self) -> None:
        """Pause or resume the exercise clock."""
        state = self.state
        if state.status not in ("running", "hot_wash"):
            self._screen().notify("The clock runs during the moves and the hot wash.", markup=False)
            return
        self._apply(cmd.ResumeClock() if not state.clock.running else cmd.PauseClock())

    @work(exclusive=True, group="flow", exit_on_error=False)
    @guarded
    async def action_undo(self) -> None:
        """Undo the last action after a yes (it stays in the record as undone)."""
        state = self.state
        if not state.can_undo:
            self._screen().notify("Nothing to undo.", markup=False)
            return
        what = safe(state.undo_summary or "the last action", 300)
        if await self._ask(
            ConfirmDialog(
                "Undo this?",
                join(what, ("\nIt stays in the journal, marked undone.", "dim")),
                yes="Undo",
                no="Keep",
            )
        ):
            self._apply(cmd.Undo())

    @work(exclusive=True, group="flow", exit_on_error=False)
    @guarded
    async def action_note(self) -> None:
        """Add a note or observation tagged to the current inject."""
        state = self.state
        inject = panels.current_inject(state)
        teams = [(t.id, t.name) for t in state.teams]
        objectives = [(o.id, o.text) for o in state.exercise.objectives]
        tagged = (
            f"inject {inject.title}"
            if inject
            else (
                move_label(state.exercise, state.current_move)
                if state.current_move
                else "the session"
            )
        )
        note = await self._ask(NoteDialog(teams, objectives, tagged))
        if note is None:
            return
        self._apply(
            cmd.AddNote(
                text=note.text,
                category=note.category,  # type: ignore[arg-type]
                team_id=note.team_id,
                objective_id=note.objective_id,
                inject_id=inject.id if inject else None,
            )
        )

    @work(exclusive=True, group="flow", exit_on_error=False)
    @guarded
    async def action_track(self) -> None:
        """Move a state track by hand (the report shows it as the facilitator's change)."""
        state = self.state
        if not state.tracks:
            self._screen().notify("This exercise has no state tracks.", markup=False)
            return
        choices = [
            (t.track_id, join(one_line(t.label, 40), f"  {t.value}/{t.max}"))
            for t in state.tracks.values()
        ]
        track_id = await self._ask(ChoiceDialog("Adjust which track?", choices))
        if track_id is None:
            return
        track = state.tracks[track_id]
        steps = [("1", "+1"), ("-1", "−1"), ("2", "+2"), ("-2", "−2")]
        delta = await self._ask(
            ChoiceDialog(
                f"{track.label}: now {track.value} ({track.min}–{track.max})",
                [(v, join(label)) for v, label in steps],
            )
        )
        if delta is not None:
            self._apply(cmd.ChangeTrack(track_id=track_id, delta=int(delta), reason="facilitator"))

    # -- views ---------------------------------------------------------------------------

    def action_hide_notes(self) -> None:
        """Hide or show the facilitator-only panel."""
        self._notes_hidden = not self._notes_hidden
        panel = self._screen().query_one("#facilitator")
        panel.display = not self._notes_hidden

    def action_timeline(self) -> None:
        """Show or hide the timeline column."""
        self._timeline_hidden = not self._timeline_hidden
        self._screen().query_one("#timeline").display = not self._timeline_hidden

    @guarded
    def action_projector(self) -> None:
        """Show only what participants may see, large."""
        from ttx.tui.screens.projector import ProjectorScreen

        self._screen().app.push_screen(ProjectorScreen())

    @guarded
    def action_hot_wash(self) -> None:
        """Open the hot wash (ending the moves first, after a yes)."""
        self._open_hot_wash()

    @work(exclusive=True, group="flow", exit_on_error=False)
    @guarded
    async def _open_hot_wash(self) -> None:
        from ttx.tui.screens.hotwash import HotWashScreen

        state = self.state
        if state.status == "running":
            if not await self._ask(
                ConfirmDialog(
                    "End the moves and start the hot wash?",
                    "The current move is left; the hot-wash clock starts.",
                )
            ):
                return
            if self._apply(cmd.EnterMove(move_id="end", reason="hot wash")) is None:
                return
        elif state.status == "setup":
            self._screen().notify(
                "The session has not begun yet: m begins the first move.", markup=False
            )
            return
        self._screen().app.push_screen(HotWashScreen())

    @guarded
    def action_evaluate(self) -> None:
        """Rate the objectives and add improvement-plan items."""
        from ttx.tui.screens.evaluation import EvaluationScreen

        self._screen().app.push_screen(EvaluationScreen())

    @work(exclusive=True, group="flow", exit_on_error=False)
    @guarded
    async def action_finish(self) -> None:
        """End the session (after a yes) and write the after-action report."""
        from ttx.tui.screens.finish import FinishScreen

        state = self.state
        if state.status != "ended":
            if not await self._ask(
                ConfirmDialog(
                    "End the session?",
                    "The clock stops. You can still add notes, ratings and plan items, and write the report again.",
                    yes="End it",
                    no="Not yet",
                )
            ):
                return
            if self._apply(cmd.EndSession()) is None:
                return
        self._screen().app.push_screen(FinishScreen())
