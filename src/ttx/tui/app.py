"""The ttx Textual app: screens, the one place commands reach the session, and the error boundary.

The app holds no session state of its own: it keeps the open `Session` (the
engine) and hands every facilitator action to `Session.apply`, then asks the
screens to redraw from the `SessionState` that comes back.
"""

from __future__ import annotations

import sys
import traceback
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Literal
from weakref import WeakSet

from textual import events
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.screen import Screen

from ttx.room.address import DEFAULT_PORT
from ttx.tui.errors import describe

if TYPE_CHECKING:
    from collections.abc import Iterable

    from ttx.service.journal import Journal
    from ttx.service.listing import SessionRow
    from ttx.service.session import Session
    from ttx.session.actions import Command
    from ttx.session.clock import Clock
    from ttx.session.state import SessionState
    from ttx.tui.room import ConsoleRoom, RoomAnswered
    from ttx.tui.widgets.saved import SavedIndicator

Start = Literal["home", "run", "resume", "project"]
MIN_WIDTH = 80
MIN_HEIGHT = 24


def _binding_commands() -> Any:
    """The palette provider, imported when the palette first opens (keeps start-up quick)."""
    from ttx.tui.palette import BindingCommands

    return BindingCommands


class TtxApp(App[None]):
    """The facilitator console."""

    TITLE = "ttx"
    SUB_TITLE = "tabletop exercise facilitator"
    CSS_PATH = "app.tcss"
    COMMANDS: ClassVar[set[Any]] = {_binding_commands, *App.COMMANDS}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f1", "help", "Help", id="app.help", tooltip="List every key"),
        Binding("question_mark", "help", "Help", id="app.help_q", show=False),
        Binding("ctrl+q", "quit", "Quit", id="app.quit", tooltip="Quit (everything is saved)"),
    ]

    def __init__(
        self,
        *,
        start: Start = "home",
        exercise: Path | None = None,
        session_id: str | None = None,
        journal_path: Path | None = None,
        clock: Clock | None = None,
        blink: bool = True,
        animate: bool = True,
        report_starter: Any = None,
        report_warmer: Any = None,
        journal: Journal | None = None,
        session: Session | None = None,
        project_team: str | None = None,
        room: bool = False,
        room_host: str | None = None,
        room_port: int = DEFAULT_PORT,
    ) -> None:
        super().__init__()
        self.project_team = project_team
        self.room: ConsoleRoom | None = None
        """The open session's room (teams answer from their devices), once opened."""
        self.room_at_start = room
        self.room_host = room_host
        self.room_port = room_port
        self.report_starter = report_starter
        self.report_warmer = report_warmer
        self.start = start
        self.start_exercise = exercise
        self.start_session = session_id
        self.journal_path = journal_path or (journal.path if journal is not None else None)
        self.clock = clock
        self.blink = blink
        if not animate:
            self.animation_level = "none"
        self._journal: Journal | None = journal
        self._opened = session
        self.session: Session | None = None
        self.saved_at: datetime | None = None
        self.save_error: str | None = None
        # The mounted "saved" indicators register here: no DOM query on every event.
        self.saved_indicators: WeakSet[SavedIndicator] = WeakSet()

    # -- start-up -------------------------------------------------------------

    def on_mount(self) -> None:
        """Open the screen the command line asked for.

        The console (`tabletop resume`) and the projector are never left for the home screen,
        so home is not put beneath them: mounting and styling it would delay the console's
        first paint by a tenth of a second or more. It is shown if they cannot open.
        """
        try:
            if self.start == "resume" and self._opened is not None:
                opened, self._opened = self._opened, None
                self.enter_session(opened)  # opened by `tabletop resume` before the app started
            elif self.start == "resume":
                self.resume(self.start_session)
            elif self.start == "project":
                self.open_projector(self.start_session)
            else:
                self._show_home()
                if self.start == "run" and self.start_exercise is not None:
                    self.open_setup(self.start_exercise)
        except Exception as error:
            if len(self.screen_stack) <= 1:  # nothing opened: stand on the home screen
                self._show_home()
            self.show_error(error, "open")
        self._check_size()

    def _show_home(self) -> None:
        from ttx.tui.screens.home import HomeScreen

        if not any(isinstance(screen, HomeScreen) for screen in self.screen_stack):
            self.push_screen(HomeScreen())

    @property
    def journal(self) -> Journal:
        """The session journal, opened on first use."""
        if self._journal is None:
            from ttx.service.journal import open_journal

            self._journal = open_journal(self.journal_path)
        return self._journal

    def list_sessions(self) -> list[SessionRow]:
        """Every session in the journal, newest first (read with sqlite3 alone: no models loaded)."""
        from ttx.service.listing import list_sessions

        return list_sessions(self.journal_path)

    # -- navigation -----------------------------------------------------------

    def open_setup(self, exercise: Path) -> None:
        """Go to the setup screen for an exercise file."""
        from ttx.tui.screens.setup import SetupScreen

        self.push_screen(SetupScreen(exercise))

    def resume(self, session_id: str | None = None) -> None:
        """Reopen a session (the latest when none is named) and go to the console."""
        session = self.journal.open_session(session_id, clock=self.clock)
        self.enter_session(session)

    def enter_session(self, session: Session) -> None:
        """Make `session` the open one and show the console."""
        from ttx.tui.screens.console import ConsoleScreen

        if self.session is not None and self.session is not session:
            self.close_room()
            self.session.close()
        self.session = session
        self.save_error = None
        self.saved_at = session.state.last_at
        self.push_screen(ConsoleScreen(self.size.width))
        if self.room_at_start:
            self.room_at_start = False
            self.open_room()

    # -- the room -------------------------------------------------------------

    def open_room(self) -> bool:
        """Serve the open session's room; False (with a message) when it cannot be opened."""
        from ttx.room.server import PortTaken, RoomError
        from ttx.tui.room import ConsoleRoom

        if self.session is None:
            return False
        if self.room is not None and self.room.open:
            return True
        room = ConsoleRoom(self, host=self.room_host, port=self.room_port)
        moved = ""
        try:
            try:
                room.start()
            except PortTaken:
                if not self.room_port:
                    raise
                # Another program has the usual port: take any free one (the room screen
                # shows the new addresses; printed join cards name the usual one).
                room = ConsoleRoom(self, host=self.room_host, port=0)
                room.start()
                moved = f" (port {self.room_port} was taken: printed join cards will not reach it)"
        except RoomError as error:
            self.notify(
                f"The room cannot open: {error}", severity="error", markup=False, timeout=15
            )
            return False
        self.room = room
        self.notify(f"The room is open at {room.server.url}{moved}.", markup=False, timeout=10)
        return True

    def close_room(self) -> None:
        """Stop serving the room (nothing is served once this returns)."""
        if self.room is not None:
            self.room.stop()

    def on_unmount(self) -> None:
        """However the app ends, the room stops serving with it."""
        self.close_room()

    def on_room_answered(self, message: RoomAnswered) -> None:
        """Answers from the room were committed (on the room's thread): redraw once for all."""
        if self.room is not None:
            self.room.catch_up()

    def open_projector(self, session_id: str | None) -> None:
        """Show the read-only projector window that follows a session from the journal."""
        from ttx.tui.screens.follow import FollowScreen

        self.push_screen(FollowScreen(session_id, self.project_team))

    # -- the one way commands reach the session -------------------------------

    def apply(self, command: Command) -> SessionState | None:
        """Apply a facilitator command; show "saved" or a warning; redraw the screens."""
        if self.session is None:
            self.notify("No session is open.", severity="warning")
            return None
        from ttx.session.actions import CommandError

        try:
            state = self.session.apply(command)
        except CommandError as problem:
            self.notify(f"Not recorded: {problem}", severity="warning", markup=False, timeout=8)
            return None
        except Exception as error:
            if _is_store_error(error):
                self.save_error = describe(error)
                self.refresh_saved()
                self.notify(
                    f"NOT SAVED: {self.save_error}",
                    title="Saving failed",
                    severity="error",
                    markup=False,
                    timeout=30,
                )
            else:
                self.show_error(error, "record that")
            return None
        self.save_error = None
        self.saved_at = self.now()
        self.redraw(state)  # the screens redraw, and their saved marks with them
        return state

    def now(self) -> datetime:
        """The current time from the session's clock (a fake one in tests)."""
        if self.session is not None:
            return self.session.now()
        if self.clock is not None:
            return self.clock.now()
        return datetime.now().astimezone()

    def redraw(self, state: SessionState) -> None:
        """Ask every screen that shows the session to redraw from `state` (and the room's pages)."""
        if self.room is not None:
            self.room.publish(state)
        from ttx.tui.messages import SessionScreen, StateChanged

        # Only screens that show the session: a message to any other screen (the app's
        # blank base screen, a dialog) gives it an idle turn, and a screen under the top one
        # that wakes repaints the whole top screen (Textual's background screens), which
        # made a pause or resume redraw every cell of the console (~9 ms) for one label.
        for screen in self.screen_stack:
            if isinstance(screen, SessionScreen):
                screen.post_message(StateChanged(state))

    def refresh_saved(self) -> None:
        """Update every saved indicator on screen."""
        for indicator in list(self.saved_indicators):
            indicator.show_status(self.saved_at, self.save_error)

    # -- errors ---------------------------------------------------------------

    def show_error(self, error: BaseException, doing: str = "") -> None:
        """Show an unexpected error and keep going (the journal already has everything)."""
        self.log.error("".join(traceback.format_exception(error)))
        what = f"Could not {doing}" if doing else "Something went wrong"
        self.notify(
            f"{what}: {describe(error)}\nThe session is intact; carry on.",
            title="Error",
            severity="error",
            markup=False,
            timeout=15,
        )

    def _fatal_error(self) -> None:
        """Exit after an error no handler caught: the traceback goes to a crash report file.

        The one adapter to Textual's internals: Textual has no public hook for an error
        no handler caught (it calls `App._fatal_error`, with the error in `_exception`, and
        prints the traceback with local variables). Overriding it keeps the terminal to one
        message naming the report.
        """
        from ttx.crash import crash_message, write_crash_report

        error = self._exception
        report = write_crash_report(error, "the console") if error else None
        self.bell()
        self.exit(
            return_code=3,
            message=(
                f"ttx stopped after an {crash_message(error, report) if error else 'unexpected error'}\n"
                "`tabletop resume` continues the session."
            ),
        )

    # -- help, palette, size --------------------------------------------------

    def action_help(self) -> None:
        """Show every key of the current screen."""
        from ttx.tui.dialogs.help import HelpDialog
        from ttx.tui.screens.too_small import TooSmallScreen

        if isinstance(self.screen, TooSmallScreen | HelpDialog):
            return
        self.push_screen(HelpDialog(self.screen))

    def action_command_palette(self) -> None:
        """Open the palette, unless one is open already (under the "too small" message, say)."""
        if any(screen.id == "--command-palette" for screen in self.screen_stack):
            return
        super().action_command_palette()

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """The palette's system commands, plus help."""
        yield from super().get_system_commands(screen)
        yield SystemCommand("Help", "List every key of this screen", self.action_help)

    def on_resize(self, event: events.Resize) -> None:
        """Show a friendly message when the terminal is too small to work in."""
        self._check_size(event.size.width, event.size.height)

    def _check_size(self, width: int | None = None, height: int | None = None) -> None:
        if width is None or height is None:
            width, height = self.size
        small = width < MIN_WIDTH or height < MIN_HEIGHT
        if not small and "ttx.tui.screens.too_small" not in sys.modules:
            return  # never shown: nothing to take down (and nothing to import at start-up)
        from ttx.tui.screens.too_small import TooSmallScreen

        if small and not isinstance(self.screen, TooSmallScreen):
            self.push_screen(TooSmallScreen())
        elif not small and isinstance(self.screen, TooSmallScreen):
            self.pop_screen()

    async def action_quit(self) -> None:
        """Quit; while the clock runs, ask first whether to pause it (pausing is the default).

        A class split over a week must not find the week on its clock.
        """
        session = self.session
        if session is not None and _clock_running(session.state):
            from ttx.tui.dialogs.choose import ChoiceDialog
            from ttx.tui.text import join

            if any(
                isinstance(screen, ChoiceDialog) and screen.id == "quit"
                for screen in self.screen_stack
            ):
                return

            def chosen(answer: str | None) -> None:
                if answer is None:
                    return
                if answer == "pause":
                    from ttx.session.actions import PauseClock

                    if self.apply(PauseClock(reason="the console was closed")) is None:
                        return  # not saved: stay, the warning says why
                self.call_later(self._close_and_exit)

            dialog = ChoiceDialog(
                "Quit: pause the clock first?",
                [
                    (
                        "pause",
                        join(("Pause the clock and quit", "bold"), " (resume goes on from here)"),
                    ),
                    ("running", join("Quit and leave the clock running (the time away counts)")),
                ],
                intro=join("Everything recorded is saved either way. Esc stays."),
                highlight="pause",
            )
            dialog.id = "quit"
            self.push_screen(dialog, chosen)
            return
        await self._close_and_exit()

    async def _close_and_exit(self) -> None:
        """Close the session cleanly and quit."""
        self.close_room()
        if self.session is not None:
            try:
                self.session.close()
            except Exception as error:  # closing must never keep the user in the app
                self.log.error(describe(error))
            self.session = None
        self.exit()


def _clock_running(state: SessionState) -> bool:
    return state.status in ("running", "hot_wash") and state.clock.running


def _is_store_error(error: BaseException) -> bool:
    """True when the journal could not write (its errors, SQLite and OS errors)."""
    import sqlite3

    from ttx.service.errors import JournalError

    return isinstance(error, JournalError | sqlite3.Error | OSError)


def make_app(
    journal_path: Path | None = None,
    clock: Clock | None = None,
    *,
    start: Start = "home",
    exercise: Path | None = None,
    session_id: str | None = None,
    blink: bool = True,
    animate: bool = True,
    report_starter: Any = None,
    report_warmer: Any = None,
    journal: Journal | None = None,
    session: Session | None = None,
    project_team: str | None = None,
    room: bool = False,
    room_host: str | None = None,
    room_port: int = DEFAULT_PORT,
) -> TtxApp:
    """The app factory shared by the command line and the tests.

    `journal`, `session`: ones already open (`tabletop resume` opens the session before the
    app starts: the journal is opened once, and a problem is printed before any screen).
    """
    return TtxApp(
        start=start,
        exercise=exercise,
        session_id=session_id,
        journal_path=journal_path,
        clock=clock,
        blink=blink,
        animate=animate,
        report_starter=report_starter,
        report_warmer=report_warmer,
        journal=journal,
        session=session,
        project_team=project_team,
        room=room,
        room_host=room_host,
        room_port=room_port,
    )
