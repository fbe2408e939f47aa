"""The hot wash: its questions, the answers heard so far, and a line to capture the next one."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from ttx.session import actions as cmd
from ttx.tui.base import console_action, ttx
from ttx.tui.dialogs.choose import NUMBER_KEYS
from ttx.tui.errors import guarded
from ttx.tui.keys import pause_key, undo_key
from ttx.tui.messages import SessionScreen
from ttx.tui.text import join, keep, one_line, safe
from ttx.tui.warm import warmer
from ttx.tui.widgets.clock import HeadLine
from ttx.tui.widgets.fields import LongField
from ttx.tui.widgets.saved import SavedIndicator

if TYPE_CHECKING:
    from ttx.session.state import SessionState

GENERAL = "general"


class HotWashScreen(SessionScreen):
    """Pick a question (number keys), type what was said, ctrl+s records it; ctrl+t says
    which team said it (the answer is then the team's in the report)."""

    speaker: str | None = None
    """The team the next answer is attributed to (None: the room as a whole)."""

    HELP_TITLE = "Hot wash"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "escape",
            "back",
            "Console",
            id="hotwash.back",
            tooltip="Leave the answer field (then u, space work); from the list, back to the console",
        ),
        Binding("ctrl+s", "record", "Record", id="hotwash.record", tooltip="Record the answer"),
        Binding(
            "ctrl+t",
            "speaker",
            "Team",
            id="hotwash.speaker",
            tooltip="Who said it: the next team, or back to the room as a whole",
        ),
        Binding(
            "ctrl+r",
            "evaluate",
            "Evaluate",
            id="hotwash.evaluate",
            tooltip="Rate objectives and plan improvements",
        ),
        Binding(
            "ctrl+f",
            "finish",
            "Finish",
            id="hotwash.finish",
            tooltip="End the session and write the report",
        ),
        undo_key("hotwash"),
        pause_key("hotwash"),
        *NUMBER_KEYS,
    ]

    def compose(self) -> ComposeResult:
        """Questions on the left, answers on the right, the answer line below."""
        with Horizontal(id="console-head"):
            yield HeadLine(join(("Hot wash", "bold")), id="head-clock")
            yield SavedIndicator()
        with Horizontal(id="console-body"):
            with Vertical(id="hw-questions", classes="form-body"):
                yield Static("Questions (1–9 picks)", classes="section", markup=False)
                yield OptionList(id="hw-list")
            with VerticalScroll(id="hw-answers", classes="form-body"):
                yield Static(id="hw-answer-text")
        yield Static(self._speaker_text(), id="hw-speaker", markup=False)
        yield LongField(
            placeholder="What was said · ctrl+s records · Enter: new line · Esc: to the questions (u, space)",
            id="hw-input",
        )
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        """List the questions, focus the answer line, and warm up the report writer."""
        state = self._state()
        options = self.query_one("#hw-list", OptionList)
        for number, question in enumerate(state.exercise.hot_wash.questions, 1):
            options.add_option(
                Option(
                    join((f"{number} ", "bold"), one_line(question.text, 70)), id=f"q{number - 1}"
                )
            )
        general = len(state.exercise.hot_wash.questions) + 1
        options.add_option(
            Option(
                join((f"{general} " if general <= 9 else "  ", "bold"), "General / other"),
                id=GENERAL,
            )
        )
        options.highlighted = 0
        self.show_state(state)
        self.query_one("#hw-input", LongField).focus()
        self.set_interval(1, self._tick)
        # The finish screen's report comes next: its worker loads while the hot wash runs.
        self.call_after_refresh(warmer(ttx(self)).prepare)

    def _state(self) -> SessionState:
        session = ttx(self).session
        assert session is not None
        return session.state

    def _tick(self) -> None:
        self.query_one(HeadLine).show(self._state(), ttx(self).now())

    def _question_index(self) -> int | None:
        option = self.query_one("#hw-list", OptionList).highlighted_option
        if option is None or option.id in (None, GENERAL):
            return None
        return int(option.id[1:])

    def show_state(self, state: SessionState) -> None:
        """Redraw the answers to the highlighted question."""
        self.query_one(HeadLine).show(state, ttx(self).now())
        index = self._question_index()
        questions = state.exercise.hot_wash.questions
        heading = (
            questions[index].text
            if index is not None and index < len(questions)
            else "General / other"
        )
        answers = [a for a in state.hot_wash if a.question_index == index]
        parts: list[object] = [(one_line(heading, 200).plain + "\n\n", "bold $accent")]
        if not answers:
            parts.append(("No answers yet.", "dim"))
        for answer in answers:
            who = f" ({state.team(answer.team_id).name})" if answer.team_id else ""
            parts += ["• ", safe(answer.text, 1000), (who, "dim"), "\n"]
        self.query_one("#hw-answer-text", Static).update(join(*parts))  # type: ignore[arg-type]

    @on(OptionList.OptionHighlighted, "#hw-list")
    def _highlighted(self) -> None:
        self.show_state(self._state())

    @on(OptionList.OptionSelected, "#hw-list")
    def _selected(self) -> None:
        self.query_one("#hw-input", LongField).focus()

    def action_pick(self, number: int) -> None:
        """Pick question `number` and go to the answer line."""
        options = self.query_one("#hw-list", OptionList)
        if 1 <= number <= options.option_count:  # the last is "General / other"
            options.highlighted = number - 1
            self.query_one("#hw-input", LongField).focus()

    def _speaker_text(self) -> str:
        if self.speaker is None:
            return "Said by: the room (ctrl+t: a team)"
        return f"Said by: {self._state().team(self.speaker).name} (ctrl+t: the next team)"

    def action_speaker(self) -> None:
        """Attribute the next answers to the next team in the exercise's order, then to the room."""
        teams = [t.id for t in self._state().teams]
        order: list[str | None] = [None, *teams]
        self.speaker = order[(order.index(self.speaker) + 1) % len(order)]
        self.query_one("#hw-speaker", Static).update(self._speaker_text())

    @guarded
    def action_record(self) -> None:
        """Record what was typed as an answer to the highlighted question (or General / other)."""
        field = self.query_one("#hw-input", LongField)
        text = keep(field.value).strip()
        if not text:
            self.notify("Type the answer first.", markup=False)
            return
        if (
            ttx(self).apply(
                cmd.AnswerHotWash(
                    text=text, question_index=self._question_index(), team_id=self.speaker
                )
            )
            is not None
        ):
            field.value = ""

    def _from_console(self, name: str) -> None:
        console_action(self, name)

    def action_back(self) -> None:
        """From the answer field, to the questions (where u and space work); from there, the console."""
        if isinstance(self.focused, LongField):
            self.query_one("#hw-list", OptionList).focus()
            return
        self.dismiss()

    def action_evaluate(self) -> None:
        """Open the evaluation screen."""
        self._from_console("evaluate")

    def action_finish(self) -> None:
        """End the session and write the report."""
        self._from_console("finish")

    def action_undo(self) -> None:
        """Undo the last action (after a yes)."""
        self._from_console("undo")

    def action_pause(self) -> None:
        """Pause or resume the clock."""
        self._from_console("pause")
