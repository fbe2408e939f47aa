"""Bug hunting under Pilot: a walk over the screen graph and a seeded random "monkey".

Both drive the real app (a fake clock, a journal in a temporary folder) and fail on
what a facilitator would suffer: the app exiting with an error, an error shown to
the facilitator (the error boundary's message), or a journal that, replayed, does
not give the state on screen. `benchmarks/monkey.py` runs the monkey for longer.
"""

from __future__ import annotations

import os
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from textual import events
from textual.pilot import Pilot

from ttx.tui.app import MIN_HEIGHT, MIN_WIDTH, TtxApp

NEVER = {"ctrl+q", "ctrl+c", "q"}
"""Keys that quit (the follower's q too): a walk that quits learns nothing more."""

FAMILY = "👨\u200d👩\u200d👧\u200d👦"
PASTES = (
    "x" * 5_000,
    "First paragraph.\n\nSecond paragraph, longer, with a list:\n- one\n- two\n\nThird.\n\nFourth.",
    "Markup [bold]bold[/bold] [/] [@click=app.quit]quit[/] $error {x}",
    f"A family {FAMILY} and a flag 🇲🇽 and e\u0301",
    "إنها خطة جيدة — עברית באמצע English",
    "word" * 5_001,  # over 20,000 characters: refused, never cut
    "\t tabs\r\nand CRLF\r\n",
)
TYPED = [*list("abcxyz019 "), "enter", "tab", "shift+tab", "backspace", "up", "down"]


@dataclass
class Trouble:
    """What went wrong during a run (empty when nothing did)."""

    errors: list[str] = field(default_factory=list)

    def watch(self, app: TtxApp) -> None:
        """Record every error the app shows the facilitator (the boundary would hide a bug)."""
        original = app.show_error

        def show_error(error: BaseException, doing: str = "") -> None:
            self.errors.append(f"{doing}: {type(error).__name__}: {error}")
            original(error, doing)

        app.show_error = show_error  # type: ignore[method-assign]

    @staticmethod
    def no_quitting(app: TtxApp) -> None:
        """Make quitting (a key, or Quit in the palette) do nothing: a run that quits hunts no more."""

        async def stay() -> None:
            return None

        app.action_quit = stay  # type: ignore[method-assign]


def alive(app: TtxApp) -> bool:
    """True while the app runs (a fatal error exits it with return code 1)."""
    return app.is_running and app.return_code in (None, 0)


def binding_keys(app: TtxApp, screens_only: bool = False) -> list[str]:
    """The keys bound on the screen on top (and the app's), in a stable order.

    `screens_only` leaves out a focused widget's own keys (scrolling, moving in a list)
    and number keys past 3 (each picks the same way as 1).
    """
    from textual.screen import Screen

    keys = []
    for key, active in sorted(app.active_bindings.items()):
        if key in NEVER:
            continue
        if screens_only:
            if not isinstance(active.node, Screen | TtxApp):
                continue
            if key.isdigit() and key not in "0123":
                continue
        keys.append(key)
    return keys


async def settle(pilot: Pilot[Any]) -> None:
    await pilot.pause()
    await pilot.pause()


async def back_to(pilot: Pilot[Any], app: TtxApp, depth: int) -> bool:
    """Escape until the screen stack is `depth` deep again (False if it will not go)."""
    for _ in range(6):
        if len(app.screen_stack) <= depth:
            return len(app.screen_stack) == depth
        await pilot.press("escape")
        await settle(pilot)
    return len(app.screen_stack) == depth


async def walk_screens(
    pilot: Pilot[Any], app: TtxApp, trouble: Trouble, limit: int = 400
) -> dict[str, list[str]]:
    """Press every key of every screen reached; return each screen's first path from the start.

    Breadth first: a screen's keys are tried from that screen (reached again by its
    path after each key, escaping back where the key led elsewhere).
    """
    start_depth = len(app.screen_stack)
    found: dict[str, list[str]] = {type(app.screen).__name__: []}
    queue: list[list[str]] = [[]]
    pressed = 0
    slow: list[tuple[float, str]] = []
    while queue and pressed < limit:
        path = queue.pop(0)
        if not await _reach(pilot, app, path, start_depth):
            continue
        depth = len(app.screen_stack)
        here = app.screen
        for key in binding_keys(app, screens_only=True):
            if app.screen is not here and not await _reach(pilot, app, path, start_depth):
                break
            here = app.screen
            started = time.monotonic()
            await pilot.press(key)
            await settle(pilot)
            pressed += 1
            assert alive(app), f"the app stopped after {[*path, key]}"
            name = type(app.screen).__name__
            slow.append((time.monotonic() - started, f"{[*path, key]}"))
            if name not in found:
                found[name] = [*path, key]
                queue.append([*path, key])
            await back_to(pilot, app, depth)
    assert not trouble.errors, trouble.errors
    if os.environ.get("TTX_WALK_TIMES"):
        print(sorted(slow)[-15:], pressed)
    return found


async def _reach(pilot: Pilot[Any], app: TtxApp, path: list[str], depth: int) -> bool:
    """Go back to the starting screen, then press `path`."""
    if not await back_to(pilot, app, depth):
        return False
    for key in path:
        await pilot.press(key)
        await settle(pilot)
    return alive(app)


async def paste(pilot: Pilot[Any], text: str) -> None:
    """Paste as a terminal does: the app hands it to the focused widget."""
    pilot.app.post_message(events.Paste(text))
    await pilot.pause()


async def monkey(
    pilot: Pilot[Any],
    app: TtxApp,
    seed: int,
    steps: int,
    trouble: Trouble,
    check: Callable[[], None] | None = None,
) -> list[str]:
    """Random keys, pastes and resizes; returns what was done (to reproduce a failure)."""
    rng = random.Random(seed)
    done: list[str] = []
    size = app.size
    for step in range(steps):
        roll = rng.random()
        if roll < 0.08:
            text = rng.choice(PASTES)
            done.append(f"paste {text[:20]!r}… ({len(text)})")
            await paste(pilot, text)
        elif roll < 0.11:
            width = rng.choice([MIN_WIDTH, MIN_WIDTH + 20, 120, 60])
            height = rng.choice([MIN_HEIGHT, 30, 40, 20])
            done.append(f"resize {width}x{height}")
            await pilot.resize_terminal(width, height)
        elif roll < 0.6:
            keys = binding_keys(app)
            key = rng.choice(keys) if keys else "escape"
            done.append(key)
            await pilot.press(key)
        else:
            key = rng.choice(TYPED)
            done.append(key)
            await pilot.press(key)
        await pilot.pause()
        assert alive(app), f"the app stopped at step {step}: {done[-30:]}"
        assert not trouble.errors, (trouble.errors, done[-30:])
        if check is not None and step % 50 == 49:
            check()
    await pilot.resize_terminal(*size)
    await settle(pilot)
    return done


def same_as_journal(app: TtxApp, journal_path: Path) -> None:
    """Replaying the journal gives the state on screen: every saved record is in it."""
    from ttx.api import open_journal

    session = app.session
    if session is None:
        return
    shown = session.state
    with open_journal(journal_path) as journal:
        replayed = journal.read_session(shown.id)
        try:
            again = replayed.state
            assert summary(again) == summary(shown)
        finally:
            replayed.close()


def summary(state: Any) -> dict[str, Any]:
    """The parts of a state a facilitator sees and the report prints."""
    return {
        "status": state.status,
        "move": state.current_move,
        "path": [v.move_id for v in state.path],
        "injects": [(i.inject_id, tuple(i.to)) for i in state.injects],
        "decisions": {
            d: {
                t: (r.option_id, r.free_text, r.rationale, r.counts_as)
                for t, r in record.records.items()
            }
            for d, record in state.decisions.items()
        },
        "notes": [(n.text, n.category, n.team_id, n.objective_id) for n in state.notes],
        "hot_wash": [(a.text, a.question_index) for a in state.hot_wash],
        "ratings": {k: (r.rating, r.evidence) for k, r in state.ratings.items()},
        "plan": [(i.issue, i.corrective_action, i.responsible, i.due) for i in state.improvements],
        "tracks": {k: t.value for k, t in state.tracks.items()},
        "clock": state.clock.running,
        "undone": len(state.undone),
    }
