"""The console: the screen the facilitator lives in during a session.

Every key here builds one command for `Session.apply` (through `TtxApp.apply`);
every widget is redrawn from the `SessionState` that comes back (`show_state`).
"""

from __future__ import annotations

import gc
from datetime import datetime
from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.widgets import Static

from ttx.tui.base import ttx
from ttx.tui.errors import guarded
from ttx.tui.keys import pause_key, undo_key
from ttx.tui.screens.flows import Flows
from ttx.tui.screens.room import ROOM_BINDINGS, RoomKeys
from ttx.tui.text import join, md_plain, one_line, safe
from ttx.tui.warm import warmer
from ttx.tui.widgets import panels
from ttx.tui.widgets.clock import HeadLine
from ttx.tui.widgets.facilitator import FacilitatorPanel
from ttx.tui.widgets.keybar import KeyBar
from ttx.tui.widgets.labels import move_label
from ttx.tui.widgets.notes import MarkdownText
from ttx.tui.widgets.panel import Panel
from ttx.tui.widgets.saved import SavedIndicator
from ttx.vocabulary import after_text, option_label

if TYPE_CHECKING:
    from ttx.model.exercise import Decision, Exercise
    from ttx.session.state import DecisionRecord, SessionState
    from ttx.tui.widgets.projection import Projection


def _freeze_heap() -> None:
    """Leave what exists once the console is up out of every later garbage collection.

    The modules, the exercise, the session and the widgets live as long as the console;
    a full collection walks all of them (some 70 ms on the benchmark machine), in the
    middle of whichever key it happens to follow. Garbage is collected once first, so
    nothing unreachable is kept; leaving the console unfreezes it all again.
    """
    gc.collect()
    gc.freeze()


def _load_dialogs() -> None:
    """Import the dialogs the keys open (not needed to draw the console, so not before it)."""
    import ttx.tui.dialogs.choose
    import ttx.tui.dialogs.decision
    import ttx.tui.dialogs.note
    import ttx.tui.dialogs.reason  # noqa: F401


class ConsoleScreen(RoomKeys, Flows):
    """Timeline, current inject, questions, team status, facilitator notes, clock, key hints."""

    HELP_TITLE = "Console"
    HORIZONTAL_BREAKPOINTS = [  # noqa: RUF012
        (0, "-narrow"),
        (110, "-wide"),
    ]
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "n",
            "next_inject",
            "Inject",
            id="console.next_inject",
            tooltip="Release the next inject (or begin the first move)",
        ),
        Binding(
            "i",
            "choose_inject",
            "Release…",
            id="console.choose_inject",
            show=False,
            tooltip="Choose an inject to release, conditional ones too",
        ),
        Binding(
            "m",
            "next_move",
            "Move",
            id="console.next_move",
            tooltip="Confirm the branch and go to the next move",
        ),
        Binding("d", "decide", "Decide", id="console.decide", tooltip="Record a team's decision"),
        Binding(
            "c", "correct", "Correct", id="console.correct", tooltip="Correct a recorded decision"
        ),
        Binding(
            "a",
            "adjudicate",
            "Adjudicate",
            id="console.adjudicate",
            show=False,
            tooltip="Count a free-form answer as an option",
        ),
        undo_key("console"),
        pause_key("console"),
        Binding("o", "note", "Note", id="console.note", tooltip="Add a note or observation"),
        Binding(
            "O",
            "correct_note",
            "Correct note",
            id="console.correct_note",
            show=False,
            tooltip="Correct a note's text (the earlier text stays in the record)",
        ),
        Binding(
            "h",
            "present",
            "Present",
            id="console.present",
            tooltip="Presenting on/off: show only what the whole room may see (for a mirrored screen)",
        ),
        Binding(
            "v",
            "reveal",
            "Reveal",
            id="console.reveal",
            show=False,
            tooltip="Show or hide the teams' answers to this move's decisions for the whole room",
        ),
        Binding(
            "p",
            "projector",
            "Project",
            id="console.projector",
            tooltip="Participant view, large, for the projector",
        ),
        Binding(
            "k",
            "track",
            "Track",
            id="console.track",
            show=False,
            tooltip="Adjust a state track (trust, violence...) by hand",
        ),
        Binding(
            "t",
            "timeline",
            "Timeline",
            id="console.timeline",
            show=False,
            tooltip="Show or hide the timeline",
        ),
        Binding(
            "w",
            "hot_wash",
            "Hot wash",
            id="console.hot_wash",
            show=False,
            tooltip="Hot-wash questions and answers",
        ),
        Binding(
            "e",
            "evaluate",
            "Rate",
            id="console.evaluate",
            show=False,
            tooltip="Rate objectives and plan improvements",
        ),
        Binding(
            "f",
            "finish",
            "Finish",
            id="console.finish",
            tooltip="End the session and write the report",
        ),
        *ROOM_BINDINGS,
    ]

    def __init__(self, width: int | None = None) -> None:
        super().__init__(classes=self._breakpoint_class(width))
        self._shown_inject: str | None = "-"
        self._timeline_hidden = False
        self._shown: SessionState | None = None
        self.presenting = False
        self.revealed: frozenset[str] = frozenset()
        self._room_shown: SessionState | None = None

    def _breakpoint_class(self, width: int | None) -> str | None:
        """The width class Textual sets on the first resize, set from the start (`width`: the
        terminal's, from the app that pushes the console).

        Set only after the first layout, the class made Textual restyle and lay out the
        whole console again before its first paint.
        """
        if width is None:
            return None
        for breakpoint, name in sorted(self.HORIZONTAL_BREAKPOINTS, reverse=True):
            if width >= breakpoint:
                return name
        return None

    def compose(self) -> ComposeResult:
        """Head line, three columns, footer."""
        with Horizontal(id="console-head"):
            yield HeadLine(id="head-clock")
            yield SavedIndicator()
        with Horizontal(id="console-body"):
            with VerticalScroll(id="timeline"):
                yield Panel(id="timeline-text")
            with VerticalScroll(id="centre"):
                yield Panel(id="inject-meta")
                yield Panel(id="inject-title")
                yield MarkdownText(id="inject-body")
                yield Panel(id="questions")
                yield Panel(id="consequence")
                yield Panel(id="branch-preview")
            with VerticalScroll(id="side"):
                yield Panel(id="team-status")
                yield Panel(id="recent-notes")
                yield Panel(id="tracks")
                yield FacilitatorPanel(id="facilitator")
        yield KeyBar()

    def now(self) -> datetime:
        """The app's clock (a fake one in tests)."""
        return ttx(self).now()

    def on_mount(self) -> None:
        """Draw, tick the clock once a second, and load the dialogs once the console is up."""
        self.revealed = self._remembered_revealed()
        self.show_state(self.state)
        self._tell_time_away(self.state)
        if self._remembered_presenting():
            self.set_presenting(True, remember=False)
        self.set_interval(1, self._tick)
        self.call_after_refresh(
            self.run_worker, _load_dialogs, thread=True, group="warm-up", exit_on_error=False
        )
        self.call_after_refresh(_freeze_heap)

    def _tell_time_away(self, state: SessionState) -> None:
        """Opened again: say how long the session was closed and what the clock did meanwhile."""
        if not state.closures or not state.reopened:
            return
        closure = state.closures[-1]
        if closure.reopened_at != state.reopened[-1] or closure.seconds < panels.NOTABLE_CLOSURE:
            return
        from ttx.session.event_text import closed_text

        self.notify(
            f"Welcome back: {closed_text(closure)}.",
            title="Session reopened",
            severity="warning" if closure.clock_running else "information",
            markup=False,
            timeout=12,
        )

    def on_unmount(self) -> None:
        """Leaving the session (or quitting): stop a report worker prepared and never used."""
        warmer(ttx(self)).discard()
        gc.unfreeze()

    @guarded
    def on_screen_resume(self) -> None:
        """Redraw when coming back from a dialog or another screen (the clock, at least)."""
        session = ttx(self).session
        if session is None:
            return
        state = session.state
        if state is self._shown:  # a state never changes: the panels show it already
            self.query_one(HeadLine).show(state, self.now())
        else:
            self.show_state(state)

    def _tick(self) -> None:
        session = ttx(self).session
        if session is not None:
            self.query_one(HeadLine).show(session.state, self.now())
            if self.presenting:
                self._room().show_clock(session.state, self.now())

    # -- presenting ------------------------------------------------------------

    def _room(self) -> Projection:
        from ttx.tui.widgets.projection import Projection

        return self.query_one("#console-room", Projection)

    def _remembered_presenting(self) -> bool:
        from ttx.service.presenting import is_presenting

        try:
            return is_presenting(ttx(self).journal.path, self.state.id)
        except Exception:  # a view setting: never a reason not to open the console
            return False

    def _remembered_revealed(self) -> frozenset[str]:
        from ttx.service.presenting import revealed

        try:
            return revealed(ttx(self).journal.path, self.state.id)
        except Exception:  # a view setting: never a reason not to open the console
            return frozenset()

    def action_reveal(self) -> None:
        """Reveal (or hide again) the answers to this move's decisions that the whole room sees."""
        from ttx.service.presenting import set_revealed
        from ttx.session.room import room_decisions

        state = self.state
        ids = set(room_decisions(state))
        if not ids:
            self.notify(
                "No decision of this move is put to the whole room: its answers stay with you.",
                markup=False,
            )
            return
        hide = ids <= self.revealed
        self.revealed = frozenset(self.revealed - ids if hide else self.revealed | ids)
        try:
            set_revealed(ttx(self).journal.path, state.id, self.revealed)
        except OSError as error:
            self.notify(f"Could not remember it: {error}", markup=False)
        self.notify(
            "The answers are hidden from the room again."
            if hide
            else "The teams' answers now show for the room (v hides them).",
            markup=False,
        )
        if self.presenting:
            self._room().revealed = self.revealed
            self._room().show(state, self.now())
        room = ttx(self).room
        if room is not None:  # the projector page in the browser follows too
            room.publish(state)

    def action_present(self) -> None:
        """Presenting on/off: the console shows only what the room may see (remembered on resume)."""
        self.set_presenting(not self.presenting)

    def set_presenting(self, on: bool, *, remember: bool = True) -> None:
        """Show only the room's view (`ttx.session.room`) instead of the console's panels, or back."""
        from ttx.tui.widgets.projection import Projection

        self.presenting = on
        body = self.query_one("#console-body")
        rooms = self.query("#console-room")
        if on and not rooms:
            room = Projection(id="console-room")
            self.mount(room, after=body)
        elif rooms:
            room = rooms.first(Projection)
        else:
            room = None
        body.display = not on
        if room is not None:
            room.display = on
            if on and (self._room_shown is not self.state or room.revealed != self.revealed):
                room.revealed = self.revealed
                room.show(self.state, self.now())
                self._room_shown = self.state
        head = self.query_one(HeadLine)
        head.set_class(on, "-presenting")
        if remember:
            from ttx.service.presenting import set_presenting

            try:
                set_presenting(ttx(self).journal.path, self.state.id, on)
            except OSError as error:
                self.notify(f"Presenting could not be remembered: {error}", markup=False)

    # -- drawing ---------------------------------------------------------------

    def show_state(self, state: SessionState) -> None:
        """Redraw every panel from `state`."""
        ex = state.exercise
        if state.current_move is not None:
            move = ex.move(state.current_move)
            where = join((move_label(ex, move.id), "bold"), f" · {move.scenario_time or ''}")
        else:
            where = join((state.status.replace("_", " ").replace("setup", "not started"), "bold"))
        head = self.query_one(HeadLine)
        head.set_title(join(where, " · ", one_line(ex.title, 60)))
        head.show(state, self.now())
        self.query_one("#timeline-text", Static).update(panels.timeline(state))
        self._show_inject(state)
        self._show_questions(state)
        self.query_one("#team-status", Static).update(panels.team_status(state))
        self.query_one("#recent-notes", Static).update(panels.move_notes(state))
        self.query_one("#tracks", Static).update(panels.tracks(state))
        self.query_one(FacilitatorPanel).show(
            panels.facilitator_markdown(state, panels.current_inject(state)),
            panels.consequences(state),
        )
        self.query_one("#consequence", Static).update(self._consequence(state))
        self.query_one("#branch-preview", Static).update(self._branch_text(state))
        if self.presenting:
            self._room().show(state, self.now())
            self._room_shown = state
        self._shown = state

    def _show_inject(self, state: SessionState) -> None:
        inject = panels.current_inject(state)
        meta = self.query_one("#inject-meta", Static)
        title = self.query_one("#inject-title", Static)
        body = self.query_one("#inject-body", MarkdownText)
        key = inject.id if inject else f"none:{state.status}:{state.current_move}"
        if inject is None:
            meta.update("")
            if state.status == "setup":
                first = move_label(state.exercise, state.exercise.start_move())
                title.update(
                    join(
                        ("Ready. ", "bold"),
                        "Press ",
                        ("m", "bold"),
                        f" to begin {first} — the clock starts.",
                    )
                )
                text = state.exercise.summary
            elif state.status in ("hot_wash", "ended"):
                title.update(
                    join(
                        ("The moves are over. ", "bold"),
                        "w: hot wash · e: evaluation · f: finish and report",
                    )
                )
                text = ""
            else:
                move = state.exercise.move(state.current_move or "")
                title.update(
                    join(
                        ("No inject released yet. ", "bold"),
                        "Press ",
                        ("n", "bold"),
                        " to release the first.",
                    )
                )
                text = move.narrative
        else:
            release = state.released(inject.id)
            to = (
                ", ".join(state.team(t).short or state.team(t).name for t in release.to)
                if release and release.to
                else "facilitator only"
            )
            released_at = release.at.astimezone().strftime("%H:%M") if release else ""
            after = after_text(state.exercise.move(release.move_id), inject) if release else None
            meta.update(
                join(
                    f"{inject.at}′" + (f" ({after})" if after else "") + " · to: ",
                    safe(to, 200),
                    " · from: ",
                    safe(inject.from_ or "—", 80),
                    f" · {inject.medium or '—'} · {inject.scenario_time or state.exercise.move(state.current_move or '').scenario_time or ''}",
                    f" · released {released_at}",
                )
            )
            title.update(join((one_line(inject.title, 120).plain, "bold")))
            text = inject.body
        if key != self._shown_inject:
            self._shown_inject = key
            body.update(text or "")

    def _show_questions(self, state: SessionState) -> None:
        widget = self.query_one("#questions", Static)
        if state.current_move is None:
            widget.update("")
            return
        move = state.exercise.move(state.current_move)
        parts: list[object] = []
        if move.questions:
            parts.append(("Discussion questions\n", "bold $accent"))
            for number, question in enumerate(move.questions, 1):
                who = f" ({self._team_names(state, question.teams)})" if question.teams else ""
                tags = f"  [{' · '.join(question.tags)}]" if question.tags else ""
                parts += [
                    f"{number}. ",
                    safe(md_plain(question.text).strip(), 600),
                    (who, "dim"),
                    (tags, "dim italic"),
                    "\n",
                ]
        for decision in state.exercise.decisions_in(move.id):
            who = ", ".join(
                state.team(t).short or state.team(t).name for t in state.deciding_teams(decision.id)
            )
            again = decision not in move.decisions
            parts += [
                ("Decision (asked again): " if again else "Decision: ", "bold $accent"),
                safe(md_plain(decision.prompt).strip(), 400),
                (f"  — {who}\n", "dim"),
            ]
            for number, option in enumerate(decision.options, 1):
                parts += [(f"  {number} ", "bold"), one_line(option.label, 90), "\n"]
            record = state.decisions.get(decision.id)
            if again and record is not None and record.records:
                answers = "; ".join(
                    f"{state.team(t).short or state.team(t).name}: {self._answer_text(state.exercise, decision, r)}"
                    for t, r in record.records.items()
                )
                parts += [
                    ("  Answered already: ", "bold"),
                    safe(answers, 400),
                    (" (c corrects an answer)\n", "dim"),
                ]
        widget.update(join(*parts))  # type: ignore[arg-type]

    @staticmethod
    def _answer_text(exercise: Exercise, decision: Decision, record: DecisionRecord) -> str:
        """A recorded answer in a few words: the option, the allocation, or "free-form"."""
        if record.counts_as:
            return option_label(exercise, decision.id, record.counts_as)
        if record.allocation is not None:
            return ", ".join(
                f"{option_label(exercise, decision.id, k)} {v}"
                for k, v in record.allocation.items()
                if v
            )
        return "free-form"

    @staticmethod
    def _team_names(state: SessionState, team_ids: list[str]) -> str:
        names = []
        for team_id in team_ids:
            try:
                team = state.team(team_id)
            except KeyError:
                continue
            names.append(team.short or team.name)
        return ", ".join(names)

    def _consequence(self, state: SessionState) -> Content | str:
        """The consequence of the answer recorded last in this move."""
        latest = None
        for decision in panels.current_decisions(state):
            record = state.decisions.get(decision.id)
            if record is None:
                continue
            for answer in record.records.values():
                if latest is None or answer.seq > latest[1].seq:
                    latest = (decision, answer)
        if latest is None:
            return ""
        decision, answer = latest
        team = state.team(answer.team_id).name
        option_id = answer.counts_as
        consequence = next((o.consequence for o in decision.options if o.id == option_id), None)
        why = join(("\nRationale: ", "bold"), safe(answer.rationale or "—", 600))
        if option_id is None:
            return join(
                ("Last answer: ", "bold"),
                one_line(team, 40),
                " — “",
                safe(answer.free_text or "", 300),
                "” (free-form; a adjudicates it as an option)",
                why,
            )
        return join(
            ("Consequence: ", "bold $accent"),
            one_line(team, 40),
            " chose ",
            (option_label(state.exercise, decision.id, option_id), "bold"),
            " → ",
            safe((consequence or "—").strip(), 600),
            why,
        )

    def _branch_text(self, state: SessionState) -> Content | str:
        """When every deciding team has answered: what the rules say comes next."""
        if state.status != "running" or state.current_move is None:
            return ""
        decisions = panels.current_decisions(state)
        if any(state.waiting_for(d.id) for d in decisions):
            return ""
        return join(
            ("Branch: ", "bold $warning"),
            self.branch_summary(state),
            "  — press m to confirm or override.",
        )
