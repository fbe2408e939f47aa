"""Typed access to the ttx app from any widget or screen."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual.dom import DOMNode

if TYPE_CHECKING:
    from ttx.tui.app import TtxApp


def ttx(node: DOMNode) -> TtxApp:
    """The running TtxApp (typed)."""
    return cast("TtxApp", node.app)
