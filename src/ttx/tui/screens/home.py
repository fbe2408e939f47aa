"""The home screen: shipped and own exercises, recent sessions, resume the latest with one key."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from ttx.tui.base import ttx
from ttx.tui.errors import describe, guarded
from ttx.tui.text import display_path, join, one_line, safe

if TYPE_CHECKING:
    from ttx.service.catalogue import Entry
    from ttx.service.listing import SessionRow


def _when(value: Any) -> str:
    if isinstance(value, datetime):
        return value.astimezone().strftime("%Y-%m-%d %H:%M")
    return str(value or "")


class HomeScreen(Screen[None]):
    """Pick an exercise to start, or a session to resume."""

    HELP_TITLE = "Home"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "r",
            "resume_latest",
            "Resume latest",
            id="home.resume",
            tooltip="Resume the most recent session",
        ),
        Binding(
            "s",
            "start",
            "Set up",
            id="home.start",
            tooltip="Set up a session of the highlighted exercise",
        ),
        Binding(
            "tab",
            "switch",
            "Switch list",
            id="home.switch",
            show=False,
            tooltip="Move between exercises and sessions",
        ),
        Binding(
            "f5",
            "reload",
            "Reload",
            id="home.reload",
            tooltip="Read the exercise folders and the journal again",
        ),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.entries: list[Entry] = []
        self.sessions: list[SessionRow] = []
        self._loaded = False
        self._loading = False
        self._fresh = False  # filled on mount: the resume that follows need not list again

    def compose(self) -> ComposeResult:
        """Two lists side by side, the highlighted exercise's summary below."""
        yield Static(join(("ttx", "bold"), " — run a tabletop exercise"), id="home-title")
        with Horizontal(id="home-lists"):
            with Vertical(id="home-exercises"):
                yield Static(
                    "Exercises  (enter: set up a session)", classes="section", markup=False
                )
                yield OptionList(id="exercise-list")
            with Vertical(id="home-sessions"):
                yield Static(
                    "Recent sessions  (enter: resume, r: the latest)",
                    classes="section",
                    markup=False,
                )
                yield OptionList(id="session-list")
        yield Static(id="exercise-detail")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        """Fill the lists before the first paint when every exercise is unchanged since the last
        start (summary cache, sessions with sqlite3: a few ms); else right after it, in a thread."""
        if self.is_current and self._fill_from_cache():
            return
        self.call_after_refresh(self._load_when_shown)

    def _fill_from_cache(self) -> bool:
        try:
            from ttx.service.catalogue import cached_catalogue

            entries = cached_catalogue()
        except Exception:  # the thread reads them and shows any problem
            return False
        if entries is None:
            return False
        self._fill(entries)
        self._fresh = True
        return True

    def on_screen_resume(self) -> None:
        """Refresh the session list when coming back to home (fill both on the first visit)."""
        if self._fresh:
            self._fresh = False
        elif self._loaded:
            self._load_sessions()
        else:
            self.call_after_refresh(self._load_when_shown)

    def _load_when_shown(self) -> None:
        """Read the exercises in a thread, once this screen is the one on show.

        Under the console (`tabletop resume`, `tabletop run`) nothing is read until the facilitator
        comes back here, so the console is not competing with it.
        """
        if self._loaded or self._loading or not self.is_current:
            return
        self._loading = True
        self.run_worker(self._read_in_thread, thread=True, group="home", exit_on_error=False)

    def _read_in_thread(self) -> None:
        # Unchanged exercises come from the summary cache; a changed one is read with YAML and
        # pydantic, which is why this runs off the main thread.
        try:
            from ttx.service.catalogue import catalogue

            entries: list[Entry] | Exception = catalogue()
        except Exception as error:  # shown in the list, never a crash
            entries = error
        self.app.call_from_thread(self._fill, entries)

    def _fill(self, entries: list[Entry] | Exception) -> None:
        self._loading = False
        self._loaded = True
        options = self.query_one("#exercise-list", OptionList)
        options.clear_options()
        if isinstance(entries, Exception):
            self.entries = []
            options.add_option(
                Option(safe(f"The exercises could not be read: {describe(entries)}"), disabled=True)
            )
        else:
            self.entries = entries
            for index, entry in enumerate(self.entries):
                options.add_option(Option(self._entry_prompt(entry), id=f"x{index}"))
            if self.entries:
                options.highlighted = 0
            else:
                options.add_option(Option(safe("No exercises found."), disabled=True))
        self._load_sessions()
        options.focus()

    def reload(self) -> None:
        """Read the exercise folders and the journal (F5; on the main thread)."""
        from ttx.service.catalogue import catalogue

        self._fill(catalogue())

    def _entry_prompt(self, entry: Entry) -> Any:
        where = "shipped" if entry.shipped else "yours"
        if entry.summary is None:
            return join(("⚠ ", "bold"), one_line(entry.path.name, 40), f"  ({where}, has problems)")
        ex = entry.summary
        return join(
            (one_line(ex.title, 60).plain, "bold"),
            f"\n  {ex.duration_minutes} min · {len(ex.teams)} teams · {ex.moves} moves · {where}",
        )

    def _load_sessions(self) -> None:
        options = self.query_one("#session-list", OptionList)
        options.clear_options()
        try:
            self.sessions = ttx(self).list_sessions()
        except Exception as error:
            self.sessions = []
            options.add_option(
                Option(safe(f"The journal could not be read: {describe(error)}"), disabled=True)
            )
            return
        if not self.sessions:
            options.add_option(Option(safe("No sessions yet."), disabled=True))
            return
        for index, info in enumerate(self.sessions[:50]):
            title = one_line(info.exercise_title or info.exercise_id, 50)
            status = (
                "DAMAGED: run `tabletop check`"
                if info.damage
                else str(info.status).replace("_", " ")
            )
            last = _when(info.last_at)
            options.add_option(
                Option(
                    join(
                        (title.plain, "bold"),
                        f"\n  {status} · {last} · {info.last_seq} events · ",
                        one_line(info.id, 40),
                    ),
                    id=f"s{index}",
                )
            )

    @on(OptionList.OptionHighlighted, "#exercise-list")
    def _show_detail(self, event: OptionList.OptionHighlighted) -> None:
        entry = self._entry(event.option.id)
        detail = self.query_one("#exercise-detail", Static)
        if entry is None:
            detail.update("")
        elif entry.summary is None:
            detail.update(join(("This file has problems: ", "bold"), safe(entry.problem or "")))
        else:
            ex = entry.summary
            teams = ", ".join(ex.teams)
            detail.update(
                join(
                    (one_line(ex.title, 100).plain, "bold"),
                    f"  v{ex.version}\n",
                    safe(ex.summary.strip(), 600),
                    "\nTeams: ",
                    safe(teams, 300),
                    "\nFile: ",
                    safe(display_path(entry.path), 200),
                )
            )

    def _entry(self, option_id: str | None) -> Entry | None:
        if option_id and option_id.startswith("x"):
            return self.entries[int(option_id[1:])]
        return None

    @on(OptionList.OptionSelected, "#exercise-list")
    @guarded
    def _exercise_chosen(self, event: OptionList.OptionSelected) -> None:
        self._start(self._entry(event.option.id))

    @on(OptionList.OptionSelected, "#session-list")
    @guarded
    def _session_chosen(self, event: OptionList.OptionSelected) -> None:
        option_id = event.option.id or ""
        if option_id.startswith("s"):
            ttx(self).resume(self.sessions[int(option_id[1:])].id)

    def _start(self, entry: Entry | None) -> None:
        if entry is None:
            return
        if entry.summary is None:
            self.notify(
                f"Fix this file first (tabletop validate shows every problem): {entry.problem}",
                severity="error",
                markup=False,
                timeout=10,
            )
            return
        ttx(self).open_setup(entry.path)

    @guarded
    def action_start(self) -> None:
        """Set up a session of the highlighted exercise."""
        option = self.query_one("#exercise-list", OptionList).highlighted_option
        self._start(self._entry(option.id if option else None))

    @guarded
    def action_resume_latest(self) -> None:
        """Resume the most recent session."""
        if not self._loaded:
            self._load_sessions()  # pressed before the lists were filled
        if not self.sessions:
            self.notify("There is no session to resume yet.", severity="warning")
            return
        ttx(self).resume(None)

    def action_switch(self) -> None:
        """Move focus between the two lists."""
        self.focus_next(OptionList)

    @guarded
    def action_reload(self) -> None:
        """Read the exercise folders and the journal again."""
        self.reload()
