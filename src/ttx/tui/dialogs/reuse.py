"""Dialogs mounted once per app and shown again with new content, instead of built for every question.

Pushing a new screen makes Textual compose and mount its widgets, apply the whole
stylesheet to them and lay the screen out several times; closing it removes them and
lays the console out once more. A dialog installed in the app is pushed again as it is:
only the text that changed is updated, and closing it removes nothing.
"""

from __future__ import annotations

from typing import Any, Protocol, TypeVar, runtime_checkable

from textual.app import App
from textual.screen import Screen


@runtime_checkable
class Reusable(Protocol):
    """A dialog that can take over the question of another instance of its class."""

    def load(self, other: Any) -> None:
        """Show `other`'s question (title, choices, ...) in this dialog, as if it were new."""


def _fits(shared: Any, dialog: Any) -> bool:
    """True when `shared` can show `dialog`'s question (a dialog may refuse another layout)."""
    fits = getattr(shared, "fits", None)
    return bool(fits(dialog)) if callable(fits) else True


S = TypeVar("S", bound=Screen[Any])
T = TypeVar("T")


def reuse(app: App[Any], dialog: S) -> S:
    """The app's shown-before dialog of `dialog`'s class, loaded with its question; else `dialog`.

    The first dialog of a class is installed and returned as it is. A dialog of the same
    class asked while that one is still open (one question inside another) is returned
    as it is, not installed. A dialog whose `fits(other)` says False (its fields differ)
    is replaced by `dialog`.
    """
    if not isinstance(dialog, Reusable):
        return dialog
    name = f"ttx-dialog-{type(dialog).__module__}.{type(dialog).__qualname__}"
    if not app.is_screen_installed(name):
        app.install_screen(dialog, name)
        return dialog
    shared = app.get_screen(name)
    if type(shared) is not type(dialog) or shared in app.screen_stack:
        return dialog
    if not _fits(shared, dialog):  # another set of fields: this one is new, and kept
        app.uninstall_screen(name)
        shared.remove()  # as Textual removes a dialog that was not installed when it closes
        app.install_screen(dialog, name)
        return dialog
    assert isinstance(shared, Reusable)
    shared.load(dialog)
    return shared


async def ask(app: App[Any], dialog: Screen[T]) -> T:
    """Show `dialog` (or the app's reused one of its class) and wait for its typed answer."""
    return await app.push_screen_wait(reuse(app, dialog))
