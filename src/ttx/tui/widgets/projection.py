"""What the projector shows: only participant-visible content, large — inject, question, countdown."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Digits, Markdown, Static

from ttx.model.exercise import Exercise, Inject
from ttx.model.views import participant_view
from ttx.tui.text import join, md_plain, one_line, safe
from ttx.tui.widgets.clock import countdown_text
from ttx.tui.widgets.describe import minutes

if TYPE_CHECKING:
    from ttx.session.state import SessionState


def public_inject(state: SessionState, public: Exercise) -> Inject | None:
    """The latest inject released to every team (injects for some teams stay off the projector)."""
    everyone = set(state.team_ids)
    for release in reversed(state.injects):
        if not release.to or set(release.to) != everyone:
            continue
        for move in public.moves:
            for inject in move.injects:
                if inject.id == release.inject_id:
                    return inject
    return None


class Projection(Vertical):
    """The participant view of a session, redrawn from its state."""

    def __init__(self) -> None:
        super().__init__(id="projection")
        self._public: Exercise | None = None
        self._source: Exercise | None = None
        self._inject_key: str | None = "-"

    def compose(self) -> ComposeResult:
        """Heading, inject, questions, countdown."""
        yield Static(id="proj-head")
        with VerticalScroll(id="proj-body"):
            yield Static(id="proj-title")
            yield Markdown(id="proj-inject")
            yield Static(id="proj-question")
        with Vertical(id="proj-clock"):
            yield Digits("", id="proj-digits")
            yield Static(id="proj-clock-note")

    def _view(self, state: SessionState) -> Exercise:
        if self._public is None or self._source is not state.exercise:
            self._source = state.exercise
            self._public = participant_view(state.exercise)
        return self._public

    def show(self, state: SessionState, now: datetime) -> None:
        """Redraw from `state` (participant-visible parts only)."""
        public = self._view(state)
        move = public.move(state.current_move) if state.current_move else None
        head = join((one_line(public.title, 80).plain, "bold"))
        if move is not None:
            head = join(head, "\n", one_line(move.title, 80), f" · {move.scenario_time or ''}")
        elif state.status in ("hot_wash", "ended"):
            head = join(head, "\nHot wash")
        self.query_one("#proj-head", Static).update(head)
        inject = public_inject(state, public)
        if state.status in ("hot_wash", "ended"):
            inject = None
        title = self.query_one("#proj-title", Static)
        key = inject.id if inject else f"none:{state.current_move}:{state.status}"
        if inject is not None:
            title.update(
                join(
                    (one_line(inject.title, 100).plain, "bold"),
                    (f"\n{inject.from_ or ''} · {inject.medium or ''}", "dim"),
                )
            )
            text = inject.body
        elif move is not None:
            title.update(join((one_line(move.title, 100).plain, "bold")))
            text = move.narrative
        else:
            title.update("")
            text = public.summary if state.status == "setup" else ""
        if key != self._inject_key:
            self._inject_key = key
            self.query_one("#proj-inject", Markdown).update(text or "")
        self.query_one("#proj-question", Static).update(self._questions(state, public))
        self.show_clock(state, now)

    def _questions(self, state: SessionState, public: Exercise) -> Content | str:
        if state.status in ("hot_wash", "ended"):
            questions = [q for q in public.hot_wash.questions if not q.teams]
        elif state.current_move is not None:
            questions = [q for q in public.move(state.current_move).questions if not q.teams]
        else:
            return ""
        parts: list[object] = []
        for question in questions:
            parts += ["❓ ", safe(md_plain(question.text).strip(), 500), "\n"]
        if state.current_move is not None and state.status == "running":
            for decision in public.move(state.current_move).decisions:
                parts += [
                    "\n",
                    ("Decide: ", "bold"),
                    safe(md_plain(decision.prompt).strip(), 300),
                    "\n",
                ]
                for number, option in enumerate(decision.options, 1):
                    parts += [f"  {number}. ", one_line(option.label, 90), "\n"]
        return join(*parts)  # type: ignore[arg-type]

    def show_clock(self, state: SessionState, now: datetime) -> None:
        """Redraw the countdown only (once a second)."""
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
