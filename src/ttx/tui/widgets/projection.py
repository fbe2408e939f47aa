"""What the projector shows: only participant-visible content, large — inject, question, countdown."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Digits, Markdown, Static

from ttx.session.room import RoomView, room_view
from ttx.tui.text import join, md_plain, one_line, safe
from ttx.tui.widgets.clock import countdown_text
from ttx.tui.widgets.labels import minutes

if TYPE_CHECKING:
    from ttx.session.state import SessionState


class Projection(Vertical):
    """The participant view of a session, redrawn from its state."""

    def __init__(self, team_id: str | None = None, *, id: str = "projection") -> None:
        super().__init__(id=id)
        self.team_id = team_id
        self._inject_key: str | None = "-"
        self._pending: tuple[SessionState, datetime] | None = None
        self._hint = ""
        self.revealed: frozenset[str] = frozenset()
        """The decisions whose answers the facilitator has revealed to the room."""

    def on_mount(self) -> None:
        """Draw what was asked before the widgets were there (a projection mounted just now)."""
        if self._pending is not None:
            state, now = self._pending
            self._pending = None
            self.show(state, now)

    def compose(self) -> ComposeResult:
        """Heading, inject, questions, countdown."""
        yield Static(id="proj-head")
        with VerticalScroll(id="proj-body"):
            yield Static(id="proj-title")
            yield Markdown(id="proj-inject")
            yield Static(id="proj-question")
        yield Static(id="proj-scroll")
        with Vertical(id="proj-clock"):
            yield Digits("", id="proj-digits")
            yield Static(id="proj-clock-note")

    def show(self, state: SessionState, now: datetime) -> None:
        """Redraw from `state`: only what `room_view` lets the room (or one team's table) see."""
        if not self.query("#proj-head"):
            self._pending = (state, now)
            return
        view = room_view(state, self.team_id, self.revealed)
        head = join((one_line(view.title, 80).plain, "bold"))
        if view.move_title:
            head = join(
                head,
                "\n",
                one_line(view.move_title, 80),
                f" · {view.scenario_time}" if view.scenario_time else "",
            )
        if self.team_id is not None:
            head = join(
                head, ("\nFor ", "dim"), (one_line(state.team(self.team_id).name, 60).plain, "dim")
            )
        self.query_one("#proj-head", Static).update(head)
        title = self.query_one("#proj-title", Static)
        inject = view.inject
        key = f"{view.move_id}:{view.status}:{inject.id if inject else ''}"
        if inject is not None:
            title.update(
                join(
                    (one_line(inject.title, 100).plain, "bold"),
                    ("\n" + " · ".join(p for p in (inject.sender, inject.medium) if p), "dim"),
                )
            )
            text = inject.body
        elif view.move_id is not None:
            title.update(join((one_line(view.move_title, 100).plain, "bold")))
            text = view.narrative
        else:
            title.update("")
            text = view.narrative
        if key != self._inject_key:
            self._inject_key = key
            self.query_one("#proj-inject", Markdown).update(text or "")
            self.query_one("#proj-body", VerticalScroll).scroll_home(animate=False)
        self.query_one("#proj-question", Static).update(self._questions(view))
        self.show_clock(state, now)
        self.call_after_refresh(self._scroll_hint)

    def _scroll_hint(self) -> None:
        """Say how to scroll when the text is longer than the window."""
        body = self.query_one("#proj-body", VerticalScroll)
        hint = self.query_one("#proj-scroll", Static)
        if body.max_scroll_y <= 0:
            text = ""
        elif body.scroll_y < body.max_scroll_y:
            text = "More below: ↓ / PgDn scrolls, ↑ / PgUp goes back"
        else:
            text = "End of the text: ↑ / PgUp goes back"
        if text != self._hint:
            self._hint = text
            hint.update(join((text, "dim")))

    @staticmethod
    def _questions(view: RoomView) -> Content | str:
        parts: list[object] = []
        for question in view.questions:
            parts += ["❓ ", safe(md_plain(question.text).strip(), 500)]
            if question.tags:
                parts += [("  " + " · ".join(question.tags), "dim italic")]
            parts.append("\n")
        for decision in view.decisions:
            parts += [
                "\n",
                ("Decide: ", "bold"),
                safe(md_plain(decision.prompt).strip(), 600),
                "\n",
            ]
            for number, label in enumerate(decision.options, 1):
                parts += [f"  {number}. ", one_line(label, 90), "\n"]
            if decision.answers:
                parts.append(("Answers\n", "bold"))
                for team, chosen in decision.answers:
                    parts += [
                        "  ",
                        (one_line(team, 40).plain, "bold"),
                        ": ",
                        safe(chosen, 300),
                        "\n",
                    ]
        return join(*parts)  # type: ignore[arg-type]

    def show_clock(self, state: SessionState, now: datetime) -> None:
        """Redraw the countdown only (once a second), and the scroll hint (the text may have grown)."""
        if not self.query("#proj-clock"):
            return
        self._scroll_hint()
        text, paused = countdown_text(state, now)
        clock = self.query_one("#proj-clock", Vertical)
        clock.set_class(paused, "-paused")
        digits = self.query_one("#proj-digits", Digits)
        note = self.query_one("#proj-clock-note", Static)
        if not text:
            digits.update("")
            note.update("")
            return
        if state.current_move is not None and state.status == "running":
            planned = state.exercise.move(state.current_move).minutes * 60
            left = planned - state.move_elapsed(now)
        else:
            left = state.exercise.hot_wash.minutes * 60 - state.clock.phase_elapsed("hot_wash", now)
        digits.update(("-" if left < 0 else "") + minutes(abs(left)))
        note.update(join(("PAUSED" if paused else ("left" if left >= 0 else "over time"), "bold")))
