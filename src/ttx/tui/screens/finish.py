"""Finish: write the after-action report in a separate process, with visible progress, then show where it is."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Protocol

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.timer import Timer
from textual.widgets import Footer, LoadingIndicator, Static

from ttx.paths import reports_dir
from ttx.session.counts import session_counts
from ttx.tui.base import console_action, ttx
from ttx.tui.errors import describe, guarded
from ttx.tui.keys import pause_key, undo_key
from ttx.tui.messages import SessionScreen
from ttx.tui.text import display_path, join, one_line, safe
from ttx.tui.widgets.labels import minutes
from ttx.tui.widgets.saved import SavedIndicator

if TYPE_CHECKING:
    from ttx.session.state import SessionState


class ReportJob(Protocol):
    """What the documents engine's `start_report` returns: a child process writing the PDF."""

    done: bool
    path: Path | None
    error: str | None
    pid: int

    def poll(self) -> str | None:
        """The current progress phrase while it runs; None once done."""

    def cancel(self) -> None:
        """Stop the child process."""


def start_report(session_id: str, output: Path, paper: str) -> ReportJob:
    """Start rendering with the documents engine (imported only now: it is heavy)."""
    import importlib

    jobs: Any = importlib.import_module("ttx.report.jobs")
    job: ReportJob = jobs.start_report(session_id, output, paper)
    return job


class FinishScreen(SessionScreen):
    """Renders the report once on arrival; r renders again, a switches the paper size."""

    HELP_TITLE = "Finish"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "r",
            "render",
            "Write report",
            id="finish.render",
            tooltip="Write the after-action report (again)",
        ),
        Binding(
            "a", "paper", "Letter/A4", id="finish.paper", tooltip="Switch between US Letter and A4"
        ),
        Binding("x", "cancel_job", "Cancel", id="finish.cancel", tooltip="Stop writing the report"),
        undo_key("finish"),
        pause_key("finish", show=False),
        Binding(
            "escape",
            "back",
            "Back",
            id="finish.back",
            tooltip="Back to the console (add notes or ratings)",
        ),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.job: ReportJob | None = None
        self.paper = "letter"
        self._timer: Timer | None = None
        self._lines: list[str] = []

    def compose(self) -> ComposeResult:
        """Summary, progress, result."""
        with Horizontal(id="console-head"):
            yield Static(join(("Finish", "bold"), " · after-action report"), id="head-title")
            yield SavedIndicator()
        with VerticalScroll(classes="form-body"):
            yield Static(id="finish-summary")
            yield LoadingIndicator(id="finish-spinner")
            yield Static(id="finish-progress")
            yield Static(id="finish-result")
        yield Footer(compact=True, show_command_palette=False)

    def _state(self) -> SessionState:
        session = ttx(self).session
        assert session is not None
        return session.state

    def output(self) -> Path:
        """Where the report goes: the reports folder, named after the session."""
        try:
            from ttx.report.jobs import default_report_path

            return default_report_path(self._state().id)
        except ImportError:
            return reports_dir() / f"{self._state().id}.pdf"

    def on_mount(self) -> None:
        """Summarise the session and start writing the report."""
        self.query_one("#finish-spinner").display = False
        self.show_state(self._state())
        self.action_render()

    def show_state(self, state: SessionState) -> None:
        """The session in numbers."""
        now = ttx(self).now()
        self.query_one("#finish-summary", Static).update(
            join(
                (one_line(state.exercise.title, 80).plain, "bold"),
                f"\nSession {state.id} · {state.status.replace('_', ' ')} · exercise time {minutes(state.session_elapsed(now))}",
                "\n" + " · ".join(session_counts(state).phrases()),
                f"\nPaper: {self.paper.upper() if self.paper == 'a4' else 'US Letter'}",
            )
        )

    @guarded
    def action_render(self) -> None:
        """Start writing the report in a child process."""
        if self.job is not None and not self.job.done:
            self.notify("The report is already being written.", markup=False)
            return
        starter = getattr(ttx(self), "report_starter", None) or start_report
        output = self.output()
        output.parent.mkdir(parents=True, exist_ok=True)
        self._lines = []
        self.query_one("#finish-result", Static).update("")
        try:
            self.job = starter(self._state().id, output, self.paper)
        except ImportError:
            self.job = None
            self.query_one("#finish-result", Static).update(
                join(
                    ("The report writer is not installed in this build. ", "$error bold"),
                    f"Later: tabletop report {self._state().id}",
                )
            )
            return
        self.query_one("#finish-spinner").display = True
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_interval(0.2, self._poll)

    def _progress(self, line: str) -> None:
        self._lines = [*self._lines, line][-8:]
        self.query_one("#finish-progress", Static).update(safe("\n".join(self._lines)))

    def _poll(self) -> None:
        job = self.job
        if job is None:
            return
        try:
            text = job.poll()
        except Exception as error:
            text = f"(progress unavailable: {describe(error)})"
        if text is not None and (not self._lines or self._lines[-1] != text):
            self._progress(text)
        if not job.done:
            return
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        self.query_one("#finish-spinner").display = False
        result = self.query_one("#finish-result", Static)
        if job.error:
            result.update(
                join(
                    ("The report could not be written: ", "$error bold"),
                    safe(job.error, 600),
                    "\nr tries again.",
                )
            )
        else:
            path = job.path or self.output()
            result.update(
                join(
                    ("✓ Report written: ", "$success bold"),
                    safe(display_path(path), 400),
                    "\nEsc returns to the console; ctrl+q quits (everything is saved).",
                )
            )

    def action_paper(self) -> None:
        """Switch Letter/A4 (r writes the report again)."""
        self.paper = "a4" if self.paper == "letter" else "letter"
        self.show_state(self._state())

    def action_cancel_job(self) -> None:
        """Stop writing the report."""
        if self.job is not None and not self.job.done:
            self.job.cancel()
            self._progress("Cancelled.")

    def action_back(self) -> None:
        """Back to the console."""
        self.action_cancel_job()
        self.dismiss()

    def action_undo(self) -> None:
        """Undo the last action, after a yes (through the console)."""
        console_action(self, "undo")

    def action_pause(self) -> None:
        """Pause or resume the clock (through the console)."""
        console_action(self, "pause")

    def on_unmount(self) -> None:
        """Never leave a child process behind."""
        if self.job is not None and not self.job.done:
            self.job.cancel()
