"""The console's key actions: each asks what it needs in a dialog, then applies one command."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Any

from textual import work
from textual.content import Content

from ttx.session import actions as cmd
from ttx.tui import FRAMES_PER_SECOND
from ttx.tui.base import ttx
from ttx.tui.errors import guarded
from ttx.tui.screens.decide import DecisionFlows
from ttx.tui.screens.flow_base import reason_dialog
from ttx.tui.text import join, md_plain, one_line, safe
from ttx.tui.widgets import panels
from ttx.tui.widgets.labels import move_label
from ttx.vocabulary import after_text, allocation_units, condition_text, decision_name, option_label

if TYPE_CHECKING:
    from ttx.model.exercise import Decision
    from ttx.session.state import SessionState


MEAN = "_mean"
"""The choice that starts a pool's split from the teams' mean (never a team id)."""


class Flows(DecisionFlows):
    """Mixin for the console screen: the actions behind its keys (decisions live in `decide`)."""

    # -- injects and moves ---------------------------------------------------------

    @guarded
    def action_next_inject(self) -> None:
        """Release the next inject due in this move (at the start: begin the first move)."""
        state = self.state
        if state.status == "setup":
            self._apply(cmd.EnterMove())
            return
        if state.status != "running":
            self._hint("The moves are over: w opens the hot wash.")
            return
        from ttx.session.branching import pending_injects

        pending = pending_injects(state, ttx(self).now())
        if not pending:
            self._hint(
                "Every inject of this move whose condition holds is out. "
                "i releases a conditional one; m moves on."
            )
            return
        nxt = min(pending, key=lambda p: p.inject.at)
        self._apply(cmd.ReleaseInject(inject_id=nxt.inject.id))

    @work(exclusive=True, group="flow", exit_on_error=False)
    @guarded
    async def action_choose_inject(self) -> None:
        """Choose any unreleased inject of this move; one whose condition does not hold needs a yes."""
        from ttx.tui.dialogs.choose import ChoiceDialog, ConfirmDialog

        state = self.state
        if state.status != "running":
            return
        unreleased = panels.pending_injects(state)
        if not unreleased:
            self._hint("Every inject of this move is released.")
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
                    else f" (condition does NOT hold: {condition_text(state.exercise, inject.when)})"
                    if inject.when
                    else ""
                )
            )
            after = after_text(state.exercise.move(state.current_move or ""), inject)
            choices.append(
                (
                    inject.id,
                    join(
                        f"{inject.at}′ ",
                        one_line(inject.title, 60),
                        (f" · {after}" if after else "", "dim"),
                        (flag, "dim"),
                    ),
                )
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
                    (option_label(state.exercise, decision.id, outcome.option_id), "bold"),
                    "; ",
                ]
            elif outcome.status == "needs_ruling":
                parts += [
                    (
                        f"{decision_name(state.exercise, decision.id)} needs your ruling",
                        "$warning bold",
                    ),
                    "; ",
                ]
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
        from ttx.tui.dialogs.choose import ChoiceDialog

        state = self.state
        if state.status == "setup":
            self._apply(cmd.EnterMove())
            return
        if state.status != "running" or state.current_move is None:
            self._hint("The moves are over: w opens the hot wash, f finishes.")
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
            return
        reason = await self._reason("the override")
        if reason is not None:
            self._apply(cmd.EnterMove(move_id=chosen, reason=reason))

    async def _rule(self, state: SessionState, decision: Decision) -> SessionState | None:
        from ttx.tui.dialogs.choose import ChoiceDialog

        if decision.kind == "allocation" and decision.pool is not None:
            return await self._settle(state, decision)
        record = state.decisions[decision.id]
        tally = ", ".join(
            f"{option_label(state.exercise, decision.id, k)}: {v}"
            for k, v in record.outcome.tally.items()
        )
        choices = [(o.id, join(one_line(o.label, 70))) for o in decision.options]
        chosen = await self._ask(
            ChoiceDialog(
                "Your ruling",
                choices,
                intro=join(
                    safe(md_plain(decision.prompt), 200),
                    ("\nTally: ", "bold"),
                    safe(tally or "no answers", 200),
                ),
            )
        )
        if chosen is None:
            return None
        reason = await self._reason("the ruling")
        if reason is None:
            return None
        return self._apply(
            cmd.RuleDecision(decision_id=decision.id, option_id=chosen, reason=reason)
        )

    async def _settle(self, state: SessionState, decision: Decision) -> SessionState | None:
        """Share out a pool the facilitator resolves: the split, or a grant per team."""
        from ttx.session.pool import largest_remainder, pro_rata
        from ttx.tui.dialogs.choose import ChoiceDialog
        from ttx.tui.dialogs.decision import Answer, DecisionDialog

        record = state.decisions[decision.id]
        pool = decision.pool
        assert pool is not None
        units = allocation_units(decision)
        options = [o.id for o in decision.options]
        asked = {t: dict(r.allocation or {}) for t, r in record.records.items()}

        def said(split: dict[str, int]) -> str:
            parts = [
                f"{option_label(state.exercise, decision.id, k)} {v}" for k, v in split.items() if v
            ]
            return ", ".join(parts) or f"no {units}"

        if pool.kind == "contested":
            deciding = [t for t in state.deciding_teams(decision.id) if t not in record.settled]
            fair = pro_rata(asked, pool.total, list(asked))
            result: SessionState | None = None
            for team in deciding:
                name = state.team(team).short or state.team(team).name
                answer = await self._ask(
                    DecisionDialog(
                        decision,
                        f"{name}'s grant (asked: {said(asked.get(team, {}))})",
                        previous=Answer(allocation=fair.get(team, {})),
                    )
                )
                if answer is None:
                    return result
                result = self._apply(
                    cmd.SettleAllocation(
                        decision_id=decision.id,
                        team_id=team,
                        allocation=answer.allocation or {},
                        reason=answer.rationale,
                    )
                )
                if result is None:
                    return None
            return result
        lines = [
            f"{state.team(t).short or state.team(t).name}: {said(a)}" for t, a in asked.items()
        ]
        choices = [
            (t, join("Start from ", safe(line, 120))) for t, line in zip(asked, lines, strict=True)
        ]
        choices.append((MEAN, join("Start from the teams' mean (largest remainder)")))
        start = await self._ask(
            ChoiceDialog(
                f"Your split of the {pool.total} {units}",
                choices,
                intro=join(("Proposals\n", "bold"), safe("\n".join(lines), 1200)),
            )
        )
        if start is None:
            return None
        caps = {o.id: o.max for o in decision.options}
        merged = largest_remainder(list(asked.values()), options, caps)
        answer = await self._ask(
            DecisionDialog(
                decision,
                "the room (your split)",
                previous=Answer(allocation=merged if start == MEAN else asked.get(start)),
            )
        )
        if answer is None:
            return None
        return self._apply(
            cmd.SettleAllocation(
                decision_id=decision.id, allocation=answer.allocation or {}, reason=answer.rationale
            )
        )

    # -- clock, undo, notes -------------------------------------------------------------

    @guarded
    def action_pause(self) -> None:
        """Resume the clock, or pause it at once and then ask for an optional reason (Enter
        or Esc skips it). The clock stops with the key, so it never runs while the reason is
        typed; the reason is its own event (`ExplainPause`), which the report joins to the
        pause. The dialog opens right after the paused clock is drawn."""
        state = self.state
        if state.status not in ("running", "hot_wash"):
            self._hint("The clock runs during the moves and the hot wash.")
            return
        if not state.clock.running:
            self._apply(cmd.ResumeClock())
            return

        def explained(reason: str | None) -> None:
            if reason:
                self._apply(cmd.ExplainPause(reason=reason))

        if self._apply(cmd.PauseClock()) is not None:
            # Two frames later: the paused clock's own frame goes out first. (Deferring to
            # the next refresh is not enough: the screen's first idle comes before its
            # redrawn widgets report themselves dirty, so the dialog was composed into that
            # frame and PAUSED showed ~8 ms later, with the dialog.)
            dialog = reason_dialog("the clock is paused")
            self.set_timer(2 / FRAMES_PER_SECOND, partial(self._ask_now, dialog, explained))

    @work(exclusive=True, group="flow", exit_on_error=False)
    @guarded
    async def action_undo(self) -> None:
        """Undo the last action after a yes (it stays in the record as undone)."""
        from ttx.tui.dialogs.choose import ConfirmDialog

        state = self.state
        if not state.can_undo:
            self._hint("Nothing to undo.")
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
        """Add a note or observation, tagged to the last inject when it went to teams."""
        from ttx.tui.dialogs.note import NoteDialog

        state = self.state
        inject = panels.current_inject(state)
        release = state.released(inject.id) if inject is not None else None
        if release is None or not release.to:
            inject = None  # a facilitator card is nobody's inject: the note is the move's
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
    async def action_correct_note(self) -> None:
        """Correct a note's text: a compensating event; the earlier text stays in the record."""
        from ttx.tui.dialogs.choose import ChoiceDialog
        from ttx.tui.dialogs.form import FormDialog, FormField

        state = self.state
        notes = list(reversed(state.notes))
        if not notes:
            self._hint("There is no note to correct yet: o adds one.")
            return
        choices = [(str(note.seq), panels.note_line(state, note)) for note in notes]
        chosen = await self._ask(ChoiceDialog("Correct which note? (newest first)", choices))
        if chosen is None:
            return
        note = next(n for n in notes if str(n.seq) == chosen)
        values = await self._ask(
            FormDialog(
                "Correct the note",
                [FormField("text", "Note", value=note.text, required=True, multiline=True)],
                intro="The earlier text stays in the record · ctrl+s saves · Esc cancels",
            )
        )
        if values is not None:
            self._apply(cmd.CorrectNote(note_seq=note.seq, text=values["text"]))

    @work(exclusive=True, group="flow", exit_on_error=False)
    @guarded
    async def action_track(self) -> None:
        """Move a state track by hand (the report shows it as the facilitator's change)."""
        from ttx.tui.dialogs.choose import ChoiceDialog

        state = self.state
        if not state.tracks:
            self._hint("This exercise has no state tracks.")
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
        if delta is None:
            return
        reason = await self._reason(
            f"{track.label} {'+' if int(delta) > 0 else '−'}{abs(int(delta))}"
        )
        if reason is not None:
            self._apply(cmd.ChangeTrack(track_id=track_id, delta=int(delta), reason=reason))

    # -- views ---------------------------------------------------------------------------

    def action_timeline(self) -> None:
        """Show or hide the timeline column."""
        self._timeline_hidden = not self._timeline_hidden
        self.query_one("#timeline").display = not self._timeline_hidden

    @guarded
    def action_projector(self) -> None:
        """Show only what participants may see, large."""
        from ttx.tui.screens.projector import ProjectorScreen

        self.app.push_screen(ProjectorScreen())

    @guarded
    def action_hot_wash(self) -> None:
        """Open the hot wash (ending the moves first, after a yes)."""
        self._open_hot_wash()

    @work(exclusive=True, group="flow", exit_on_error=False)
    @guarded
    async def _open_hot_wash(self) -> None:
        from ttx.tui.dialogs.choose import ConfirmDialog
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
            self._hint("The session has not begun yet: m begins the first move.")
            return
        self.app.push_screen(HotWashScreen())

    @guarded
    def action_evaluate(self) -> None:
        """Rate the objectives and add improvement-plan items."""
        from ttx.tui.screens.evaluation import EvaluationScreen

        self.app.push_screen(EvaluationScreen())

    @work(exclusive=True, group="flow", exit_on_error=False)
    @guarded
    async def action_finish(self) -> None:
        """End the session (after a yes) and write the after-action report."""
        from ttx.tui.dialogs.choose import ConfirmDialog
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
        self.app.push_screen(FinishScreen())
