"""The decision dialog: a team's option (number keys) or free-form answer, the rationale, confirm."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Input, OptionList, Static
from textual.widgets.option_list import Option

from ttx.model.exercise import Decision
from ttx.tui.dialogs.choose import NUMBER_KEYS, same_options
from ttx.tui.text import clean, join, keep, md_plain, one_line, safe
from ttx.tui.widgets.fields import Field, LongField
from ttx.vocabulary import allocation_units

FREE = "__free__"


@dataclass(frozen=True)
class Answer:
    """What the facilitator entered: exactly one of option, allocation or free text, plus why."""

    option_id: str | None = None
    allocation: dict[str, int] | None = None
    free_text: str | None = None
    rationale: str = ""
    reason: str = ""


class DecisionDialog(ModalScreen[Answer | None]):
    """Record (or correct) one team's answer to one decision point."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "escape", "cancel", "Cancel", id="decision.cancel", tooltip="Close without recording"
        ),
        Binding(
            "ctrl+s", "confirm", "Record", id="decision.record", tooltip="Record the answer now"
        ),
        Binding(
            "enter",
            "enter",
            "Next / record",
            id="decision.enter",
            show=False,
            priority=True,
            tooltip="Next field; on the last, check then record",
        ),
        *NUMBER_KEYS,
        Binding(
            "0,f",
            "free",
            "Free-form",
            id="decision.free",
            show=False,
            tooltip="Type a free-form answer",
        ),
    ]

    def __init__(
        self,
        decision: Decision,
        team_name: str,
        *,
        previous: Answer | None = None,
        correcting: bool = False,
    ) -> None:
        super().__init__()
        self.decision = decision
        self.team_name = team_name
        self.previous = previous
        self.correcting = correcting
        self.choice: str | None = previous.option_id if previous else None
        if previous and previous.free_text:
            self.choice = FREE
        self.confirming = False

    def compose(self) -> ComposeResult:
        """Prompt, options, free text, rationale, and the confirm line."""
        d = self.decision
        with Vertical(classes="dialog", id="decision-box"):
            yield Static(self._title(), classes="title", id="decision-title")
            yield Static(self._prompt(), id="decision-prompt")
            with VerticalScroll(id="decision-fields"):
                if d.kind == "allocation":
                    yield Static(self._budget(), classes="label", id="alloc-budget", markup=False)
                    for option in d.options:
                        with Horizontal(classes="alloc-row"):
                            yield Static(
                                join(
                                    one_line(option.label, 50),
                                    f"  (max {option.max})" if option.max is not None else "",
                                ),
                                classes="alloc-label",
                            )
                            value = (
                                str(self.previous.allocation.get(option.id, ""))
                                if self.previous and self.previous.allocation
                                else ""
                            )
                            yield Field(
                                classes="alloc",
                                value=value,
                                placeholder="0",
                                id=f"alloc-{option.id}",
                                type="integer",
                                max_length=6,
                            )
                    yield Static(id="alloc-total")
                else:
                    yield OptionList(*self._options(), id="decision-options")
                yield Static("Free-form answer", classes="label free", markup=False)
                yield LongField(
                    self.previous.free_text or "" if self.previous else "",
                    placeholder="What the team decided, in their words",
                    id="free-text",
                    classes="free",
                )
                yield Static(
                    self._rationale_label(), classes="label", id="rationale-label", markup=False
                )
                yield LongField(
                    self.previous.rationale if self.previous else "",
                    placeholder="Why the team chose it",
                    id="rationale",
                )
                yield Static("Reason for the correction", classes="label correcting", markup=False)
                yield Field(
                    placeholder="e.g. misheard the team",
                    id="reason",
                    classes="correcting",
                    max_length=500,
                )
            yield Static(id="decision-summary")
            with Horizontal(classes="buttons"):
                yield Button("Cancel", id="decision-cancel")
                yield Button(self._record_label(), id="decision-record", variant="primary")
            yield Static(
                "Tab: next field · ctrl+s: record · Esc: cancel"
                if d.kind == "allocation"
                else "1-9: option · 0: free-form · Tab: next · ctrl+s: record · Esc: cancel",
                classes="hint",
                markup=False,
            )

    def _verb(self) -> str:
        return "Correct" if self.correcting else "Record"

    def _title(self) -> Content:
        return join(
            (f"{self._verb()} a decision — ", "bold"),
            (one_line(self.team_name, 50).plain, "bold $accent"),
        )

    def _prompt(self) -> Content:
        return safe(md_plain(self.decision.prompt).strip(), 600)

    def _budget(self) -> str:
        return (
            f"Allocate {self.decision.budget} {allocation_units(self.decision)} "
            "(Enter: next field):"
        )

    def _rationale_label(self) -> str:
        return "Rationale (required)" if self.decision.rationale_required else "Rationale"

    def _record_label(self) -> str:
        return f"{self._verb()} (ctrl+s)"

    def _options(self) -> list[Option]:
        d = self.decision
        items = [
            Option(
                join(
                    (f"{n}  ", "bold"),
                    one_line(o.label, 70),
                    ("  — " + one_line(o.detail, 60).plain) if o.detail else "",
                ),
                id=o.id,
            )
            for n, o in enumerate(d.options, 1)
        ]
        if d.free_form:
            items.append(
                Option(join(("0  ", "bold"), "Free-form answer (you adjudicate it)"), id=FREE)
            )
        return items

    def fits(self, other: DecisionDialog) -> bool:
        """True when `other`'s decision has this one's fields (allocation rows are per option)."""
        mine, theirs = self.decision, other.decision
        if mine.kind != theirs.kind:
            return False
        if mine.kind != "allocation":
            return True
        return [(o.id, o.label, o.max) for o in mine.options] == [
            (o.id, o.label, o.max) for o in theirs.options
        ]

    def load(self, other: DecisionDialog) -> None:
        """Ask `other`'s question: its team, decision and previous answer; nothing of the last one."""
        self.decision, self.team_name = other.decision, other.team_name
        self.previous, self.correcting = other.previous, other.correcting
        self.choice, self.confirming = other.choice, False
        if not self.is_mounted:
            return
        previous = self.previous
        self.query_one("#decision-title", Static).update(self._title())
        self.query_one("#decision-prompt", Static).update(self._prompt())
        self.query_one("#rationale-label", Static).update(self._rationale_label())
        self.query_one("#decision-record", Button).label = self._record_label()
        if self.decision.kind == "allocation":
            self.query_one("#alloc-budget", Static).update(self._budget())
            for option in self.decision.options:
                value = (
                    str(previous.allocation.get(option.id, ""))
                    if previous and previous.allocation
                    else ""
                )
                _set(self.query_one(f"#alloc-{option.id}", Input), value)
        else:
            options = self.query_one("#decision-options", OptionList)
            new = self._options()
            if not same_options(options.options, new):
                options.set_options(new)
            options.scroll_y = 0
            options.action_first()  # as a new list starts
        self.query_one("#free-text", LongField).value = previous.free_text or "" if previous else ""
        self.query_one("#rationale", LongField).value = previous.rationale if previous else ""
        _set(self.query_one("#reason", Input), "")
        self._summary()
        self.query_one("#decision-fields", VerticalScroll).scroll_home(animate=False)
        self._start()

    def on_mount(self) -> None:
        """Start on the options (or the first allocation field), unless closed already."""
        if not self.query(Input):
            return
        self._start()

    def _start(self) -> None:
        for widget in self.query(".correcting"):
            widget.display = self.correcting
        self._show_free(self.choice == FREE)
        if self.decision.kind == "allocation":
            self._allocation_changed()
            self.query(".alloc").first().focus()
            return
        options = self.query_one("#decision-options", OptionList)
        ids = [o.id for o in self.decision.options] + [FREE]
        if self.choice in ids:
            options.highlighted = ids.index(self.choice)
        options.focus()

    def _show_free(self, show: bool) -> None:
        for widget in self.query(".free"):
            widget.display = show

    def action_pick(self, number: int) -> None:
        """Choose option `number` and go to the rationale."""
        if self.decision.kind == "allocation" or not 1 <= number <= len(self.decision.options):
            return
        self._choose(self.decision.options[number - 1].id)

    def action_free(self) -> None:
        """Choose a free-form answer."""
        if self.decision.kind == "choice" and self.decision.free_form:
            self._choose(FREE)

    def _choose(self, option_id: str) -> None:
        self.choice = option_id
        self.confirming = False
        options = self.query_one("#decision-options", OptionList)
        ids = [o.id for o in self.decision.options] + [FREE]
        options.highlighted = ids.index(option_id)
        self._show_free(option_id == FREE)
        self.set_focus(
            self.query_one("#free-text" if option_id == FREE else "#rationale", LongField)
        )
        self._summary()

    @on(OptionList.OptionSelected, "#decision-options")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            self._choose(event.option.id)

    @on(Input.Changed, ".alloc")
    def _allocation_changed(self) -> None:
        total = 0
        for option in self.decision.options:
            raw = self.query_one(f"#alloc-{option.id}", Input).value.strip()
            total += int(raw) if raw not in ("", "-") else 0
        budget = self.decision.budget or 0
        style = "$error bold" if total > budget else ("$success" if total == budget else "")
        self.query_one("#alloc-total", Static).update(
            join((f"Allocated {total} of {budget} {allocation_units(self.decision)}", style))
        )

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Enter in a text field is that field's (a new line), not the dialog's."""
        return not (action == "enter" and isinstance(self.focused, LongField))

    def action_enter(self) -> None:
        """Enter, handled at once so fast typing never lands in the wrong field."""
        focused = self.focused
        if isinstance(focused, OptionList):
            option = focused.highlighted_option
            if option is not None and option.id:
                self._choose(option.id)
        elif isinstance(focused, Button):
            focused.press()
        elif isinstance(focused, Input):
            if focused.id == "reason":
                self.action_confirm()
            else:
                fields = [f for f in self.query("Input, LongField") if f.display]
                later = fields[fields.index(focused) + 1 :] if focused in fields else []
                if later:
                    self.set_focus(later[0])

    @on(Button.Pressed, "#decision-record")
    def _record_pressed(self) -> None:
        self.action_confirm()

    @on(Button.Pressed, "#decision-cancel")
    def _cancel_pressed(self) -> None:
        self.action_cancel()

    def answer(self) -> Answer:
        """The answer as entered; ValueError says what is missing."""
        d = self.decision
        rationale = keep(self.query_one("#rationale", LongField).value).strip()
        reason = clean(self.query_one("#reason", Input).value).strip() if self.correcting else ""
        if d.rationale_required and not rationale:
            raise ValueError("type the team's rationale (this decision asks for one)")
        if d.kind == "allocation":
            units = allocation_units(d)
            allocation: dict[str, int] = {}
            for option in d.options:
                raw = self.query_one(f"#alloc-{option.id}", Input).value.strip()
                allocation[option.id] = int(raw) if raw not in ("", "-") else 0
                if allocation[option.id] < 0:
                    raise ValueError(f"{option.label}: {units} cannot be negative")
                if option.max is not None and allocation[option.id] > option.max:
                    raise ValueError(f"{option.label} takes at most {option.max} {units}")
            total = sum(allocation.values())
            if d.budget is not None and total > d.budget:
                raise ValueError(f"{total} {units} allocated; the budget is {d.budget}")
            return Answer(allocation=allocation, rationale=rationale, reason=reason)
        if self.choice is None:
            raise ValueError("choose an option (number keys)")
        if self.choice == FREE:
            text = keep(self.query_one("#free-text", LongField).value).strip()
            if not text:
                raise ValueError("type the free-form answer")
            return Answer(free_text=text, rationale=rationale, reason=reason)
        return Answer(option_id=self.choice, rationale=rationale, reason=reason)

    def _summary(self, problem: str | None = None) -> None:
        summary = self.query_one("#decision-summary", Static)
        if problem:
            summary.update(join(("⚠ ", "$error bold"), safe(problem)))
        else:
            summary.update("")

    def restate(self, answer: Answer) -> str:
        """What will be recorded, in words: "Record 'Pressure' for Mexico?"."""
        team = clean(self.team_name, 60)
        if answer.option_id is not None:
            what = f"'{clean(_label(self.decision, answer.option_id), 80)}'"
        elif answer.free_text is not None:
            what = f"the free-form answer '{clean(' '.join(answer.free_text.split()), 60)}'"
        else:
            what = "this allocation"
        return f"{self._verb()} {what} for {team}?"

    def action_confirm(self) -> None:
        """Check the answer, then one confirmation that restates it; yes records it."""
        try:
            answer = self.answer()
        except ValueError as problem:
            self._summary(str(problem))
            return
        self._summary()
        from ttx.tui.dialogs.choose import ConfirmDialog
        from ttx.tui.dialogs.reuse import reuse

        body: list[str | Content | tuple[str, str]] = []
        if answer.allocation:
            body.append(
                ", ".join(f"{_label(self.decision, k)}: {v}" for k, v in answer.allocation.items())
            )
        body += [("Rationale: ", "bold"), safe(answer.rationale or "—", 300)]
        if answer.reason:
            body += [("\nReason: ", "bold"), safe(answer.reason, 200)]

        def then(yes: bool | None) -> None:
            if yes:
                self.dismiss(answer)

        verb = self._verb()
        self.app.push_screen(
            reuse(
                self.app,
                ConfirmDialog(self.restate(answer), join(*body), yes=verb, no="Go back and edit"),
            ),
            then,
        )

    def action_cancel(self) -> None:
        """Close without recording."""
        self.dismiss(None)


def _label(decision: Decision, option_id: str) -> str:
    return next((o.label for o in decision.options if o.id == option_id), option_id)


def _set(field: Input, value: str) -> None:
    """Give a reused field `value`, as a new field starts: cursor at the end, nothing selected."""
    field.value = value
    field.cursor_position = len(value)
