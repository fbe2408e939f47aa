"""Typed access to the ttx app from any widget or screen."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual.dom import DOMNode

if TYPE_CHECKING:
    from ttx.tui.app import TtxApp


def ttx(node: DOMNode) -> TtxApp:
    """The running TtxApp (typed)."""
    return cast("TtxApp", node.app)


def console_action(node: DOMNode, name: str) -> bool:
    """Run the console's `action_<name>` from another screen; False when no console is open.

    Only the console itself is asked: screens that forward keys to it (hot wash,
    evaluation, projector) must never forward to one another, or f opened from the
    evaluation opened from the hot wash would bounce between them for ever.
    """
    from ttx.tui.screens.console import ConsoleScreen

    for screen in reversed(node.app.screen_stack):
        if isinstance(screen, ConsoleScreen):
            action = getattr(screen, f"action_{name}", None)
            if callable(action):
                action()
                return True
    return False
