"""The error boundary: an unexpected error in a key action is shown, and the session goes on."""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Any, ParamSpec, TypeVar

from textual.dom import DOMNode

from ttx.errors import TtxError

P = ParamSpec("P")
R = TypeVar("R")


def describe(error: BaseException) -> str:
    """A one-line description of an error for the facilitator (no traceback, no locals)."""
    text = str(error).strip().splitlines()
    detail = text[0] if text else ""
    if isinstance(error, TtxError) and detail:
        return detail  # ttx's own errors are written for the facilitator already
    name = type(error).__name__
    return f"{name}: {detail}" if detail else name


def report(node: DOMNode, error: BaseException, doing: str = "") -> None:
    """Tell the facilitator that something failed, without leaving the session."""
    app = node.app
    handler = getattr(app, "show_error", None)
    if callable(handler):
        handler(error, doing)
    else:  # pragma: no cover - every ttx app has show_error
        app.notify(describe(error), severity="error", markup=False)


def guarded(method: Callable[P, R]) -> Callable[P, R | None]:
    """Wrap an action or event handler so an exception is reported instead of closing the app."""
    doing = method.__name__.removeprefix("action_").removeprefix("on_").replace("_", " ")
    if inspect.iscoroutinefunction(method):

        @functools.wraps(method)
        async def run_async(*args: Any, **kwargs: Any) -> Any:
            try:
                return await method(*args, **kwargs)
            except Exception as error:
                report(args[0], error, doing)
                return None

        return run_async  # type: ignore[return-value]

    @functools.wraps(method)
    def run(*args: P.args, **kwargs: P.kwargs) -> R | None:
        try:
            return method(*args, **kwargs)
        except Exception as error:
            report(args[0], error, doing)  # type: ignore[arg-type]
            return None

    return run
