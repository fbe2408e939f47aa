"""The keys that mean the same thing on every screen of a session: undo and pause.

Help (F1 or ?) is the app's own key, and ctrl+s saves in every dialog and text field. Each
screen takes undo and pause from here, so F1 lists them with the same words everywhere.
"""

from __future__ import annotations

from textual.binding import Binding

UNDO = "Undo the last action (it stays in the record, marked undone)"
PAUSE = "Pause or resume the exercise clock (a pause asks for an optional reason)"


def undo_key(screen: str, *, show: bool = True) -> Binding:
    """`u`: undo, after a yes (through the console)."""
    return Binding("u", "undo", "Undo", id=f"{screen}.undo", tooltip=UNDO, show=show)


def pause_key(screen: str, *, show: bool = True) -> Binding:
    """`space`: pause (with an optional reason) or resume the clock (through the console)."""
    return Binding("space", "pause", "Pause", id=f"{screen}.pause", tooltip=PAUSE, show=show)
