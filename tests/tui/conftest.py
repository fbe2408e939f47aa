"""Shared set-up for the console's Pilot and snapshot tests: a fake clock, a journal in tmp_path."""

from __future__ import annotations

import html
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

import pytest
from textual.app import App
from textual.pilot import Pilot
from textual.screen import Screen

from ttx.session.clock import FakeClock
from ttx.tui.app import TtxApp, make_app

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "exercises" / "demo.yaml"
START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _utc(monkeypatch: pytest.MonkeyPatch) -> None:
    """Show times in UTC so screenshots do not depend on the machine's time zone."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()


@dataclass
class FakeJob:
    """A report job that finishes after a few polls, like the documents engine's child process."""

    session_id: str
    output: Path
    paper: str
    fail: str | None = None
    steps: list[str] = field(
        default_factory=lambda: ["Reading the journal", "Laying out 6 pages", "Writing the PDF"]
    )
    done: bool = False
    path: Path | None = None
    error: str | None = None
    cancelled: bool = False

    def poll(self) -> str | None:
        """Like the real job: the current phrase while running, None once done."""
        if self.done:
            return None
        if self.steps:
            return self.steps.pop(0)
        if not self.done:
            self.done = True
            if self.fail:
                self.error = self.fail
            else:
                self.output.write_bytes(b"%PDF-1.7 fake")
                self.path = self.output
        return None

    def cancel(self) -> None:
        self.cancelled = True
        self.done = True


@dataclass
class FakeWarmer:
    """Counts what the console asks of the report worker started ahead of time; starts nothing."""

    prepared: int = 0
    discarded: int = 0

    def prepare(self) -> None:
        self.prepared += 1

    def discard(self) -> None:
        self.discarded += 1


@dataclass
class Harness:
    """Builds apps that share one journal and one fake clock."""

    journal: Path
    clock: FakeClock
    jobs: list[FakeJob] = field(default_factory=list)
    warmer: FakeWarmer = field(default_factory=FakeWarmer)

    def app(self, **kwargs: Any) -> TtxApp:
        def starter(session_id: str, output: Path, paper: str) -> FakeJob:
            job = FakeJob(session_id, output, paper)
            self.jobs.append(job)
            return job

        kwargs.setdefault("report_starter", starter)
        kwargs.setdefault("report_warmer", self.warmer)
        return make_app(self.journal, self.clock, blink=False, animate=False, **kwargs)


@pytest.fixture
def harness(tmp_path: Path) -> Harness:
    """A journal in tmp_path and a frozen clock."""
    return Harness(journal=tmp_path / "journal.sqlite3", clock=FakeClock(START))


async def wait_for(
    pilot: Pilot[Any], condition: Callable[[], bool], what: str = "condition", timeout: float = 5.0
) -> None:
    """Let the app work until `condition()` holds (fails the test after `timeout` seconds)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        await pilot.pause()
        if condition():
            return
    raise AssertionError(f"timed out waiting for {what}; screen is {pilot.app.screen!r}")


async def wait_screen(pilot: Pilot[Any], name: str) -> None:
    """Wait until the screen on top is of class `name`."""
    await wait_for(pilot, lambda: type(pilot.app.screen).__name__ == name, f"screen {name}")


async def press_to_new_screen(pilot: Pilot[Any], key: str) -> None:
    """Press `key` and wait until another screen than the one before is on top."""
    before = pilot.app.screen
    await pilot.press(key)
    await wait_for(pilot, lambda: pilot.app.screen is not before, f"a new screen after {key}")


S = TypeVar("S", bound=Screen[Any])


def top_screen(app: App[Any], kind: type[S]) -> S:
    """The screen on top, which must be a `kind` (typed, for reading the dialog's fields)."""
    screen = app.screen
    assert isinstance(screen, kind), f"{type(screen).__name__} is on top, not {kind.__name__}"
    return screen


_SVG_TEXT = re.compile(
    r'<text [^>]*?x="([\d.]+)"[^>]*?clip-path="url\(#[^)]*?-line-(\d+)\)"[^>]*>([^<]*)</text>'
)


def screen_text(app: TtxApp) -> str:
    """Every character on the screen, row by row, as a terminal shows it (read from the
    app's public SVG screenshot)."""
    rows: dict[int, list[tuple[float, str]]] = {}
    for match in _SVG_TEXT.finditer(app.export_screenshot()):
        text = html.unescape(match[3]).replace("\xa0", " ")
        rows.setdefault(int(match[2]), []).append((float(match[1]), text))
    if not rows:
        return ""
    return "\n".join(
        "".join(text for _, text in sorted(rows.get(row, []))) for row in range(max(rows) + 1)
    )


def on_screen(app: TtxApp, text: str) -> bool:
    """True when `text` shows on the screen (a toast's wrapped lines and borders joined)."""
    flat = " ".join(screen_text(app).replace("▌", " ").replace("▐", " ").split())
    return " ".join(text.split()) in flat
