"""The move clock: elapsed against planned, paused clearly shown, and the scenario time."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from textual.content import Content

from ttx.tui.text import join
from ttx.tui.widgets.describe import minutes
from ttx.tui.widgets.panel import Panel

if TYPE_CHECKING:
    from ttx.session.state import SessionState


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
    mark = "⏸ PAUSED" if paused else "⏱"
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


class ClockLabel(Panel):
    """Redrawn once a second from the state and the app's clock (cheap: one line, no re-layout)."""

    def show(self, state: SessionState | None, now: datetime) -> None:
        """Redraw for `now`."""
        if state is None:
            self.update("")
            return
        text, paused, over = clock_text(state, now)
        self.set_class(paused, "-paused")
        self.set_class(over and not paused, "-over")
        self.update(text)
