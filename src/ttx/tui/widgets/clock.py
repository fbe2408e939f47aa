"""The move clock: elapsed against planned, paused clearly shown, and the scenario time."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from textual.content import Content
from textual.widget import Widget

from ttx.tui.text import join
from ttx.tui.widgets.labels import minutes

if TYPE_CHECKING:
    from ttx.session.state import SessionState


PAUSED_MARK = "⏸ PAUSED"
RUNNING_MARK = "⏱"
PAUSED_STYLE = "bold $background on $warning"
OVER_STYLE = "bold auto 87% on $error"  # $text on $error, as the CSS colour would be


def clock_text(state: SessionState, now: datetime) -> tuple[Content, bool, bool]:
    """The clock line, whether it is paused, and whether the move is over its planned time."""
    clock = state.clock
    total = minutes(state.session_elapsed(now))
    if state.status == "setup" or not clock.started:
        return join("⏱ not started"), False, False
    if state.status == "ended":
        return join(f"⏱ ended · total {total}"), False, False
    if state.current_move is not None and state.status == "running":
        planned = state.exercise.move(state.current_move).minutes * 60
        elapsed = state.move_elapsed(now)
        move_part = f"move {minutes(elapsed)} / {minutes(planned)}"
        over = elapsed > planned
    else:
        planned = state.exercise.hot_wash.minutes * 60
        elapsed = state.clock.phase_elapsed("hot_wash", now)
        move_part = f"hot wash {minutes(elapsed)} / {minutes(planned)}"
        over = elapsed > planned
    paused = not clock.running
    mark = PAUSED_MARK if paused else RUNNING_MARK
    return join((mark, "bold") if paused else mark, f" {move_part} · total {total}"), paused, over


def countdown_text(state: SessionState, now: datetime) -> tuple[str, bool]:
    """Time left in the move (or hot wash) for the projector, and whether the clock is paused."""
    if not state.clock.started or state.status in ("setup", "ended"):
        return "", False
    if state.current_move is not None and state.status == "running":
        planned = state.exercise.move(state.current_move).minutes * 60
        elapsed = state.move_elapsed(now)
    else:
        planned = state.exercise.hot_wash.minutes * 60
        elapsed = state.clock.phase_elapsed("hot_wash", now)
    left = planned - elapsed
    text = f"{minutes(left)} left" if left >= 0 else f"{minutes(-left)} over time"
    paused = not state.clock.running
    return ("⏸ PAUSED · " if paused else "") + text, paused


class HeadLine(Widget):
    """The head line: the title on the left, the clock on the right, drawn as one line.

    Its size never depends on its text (the row's width, one line high), so a pause, a
    resume or the clock's tick repaints this line and never re-lays out the screen. The
    title is cut to the room the clock leaves, at a word, as a one-line label would be.
    """

    DEFAULT_CSS = """
    HeadLine { width: 1fr; height: 1; padding: 0 0 0 1; }
    """

    def __init__(self, title: Content | str = "", *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._title = title if isinstance(title, Content) else Content(title)
        self._clock = Content("")

    def set_title(self, title: Content) -> None:
        """Show `title` on the left (repaints only when it changed)."""
        if not title.is_same(self._title):
            self._title = title
            self.refresh()

    def show(self, state: SessionState | None, now: datetime) -> None:
        """Redraw the clock for `now`."""
        clock = Content("")
        if state is not None:
            text, paused, over = clock_text(state, now)
            style = PAUSED_STYLE if paused else (OVER_STYLE if over else "")
            clock = join((" ", style), text.stylize(style) if style else text, (" ", style))
        if not clock.is_same(self._clock):
            self._clock = clock
            self.refresh()

    @property
    def clock(self) -> Content:
        """The clock as shown (with its one-cell margins)."""
        return self._clock

    def render(self) -> Content:
        """Title cut to the room left of the clock, one blank cell, the clock."""
        width = self.content_size.width
        room = max(0, width - self._clock.cell_length - 1)
        lines = self._title.wrap(room) if room else []
        title = lines[0].rstrip() if lines else Content("")
        if title.cell_length > room:
            title = title.truncate(room)
        return join(title, " " * (width - title.cell_length - self._clock.cell_length), self._clock)
