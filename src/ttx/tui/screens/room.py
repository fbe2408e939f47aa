"""The room screen: is the room open, where teams join, what each has sent; revoke, reissue, accept.

Opened with `r` from the console (which opens the room first when it is closed). The join
addresses carry the teams' codes: this screen is the facilitator's, never the projector's
(the projector page shows only the address).
"""

from __future__ import annotations

from typing import ClassVar, cast

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.dom import DOMNode
from textual.widgets import DataTable, Static

from ttx.session.actions import AcceptRoomAnswer, LockRoomAnswers
from ttx.session.event_text import Describer
from ttx.session.room_answers import locked, waiting_answers
from ttx.session.state import SessionState
from ttx.tui.base import ttx
from ttx.tui.messages import SessionScreen
from ttx.tui.text import join, one_line, safe
from ttx.tui.widgets.keybar import KeyBar
from ttx.vocabulary import decision_name


class RoomScreen(SessionScreen):
    """Each team of the room: its join address, and its answer waiting to be accepted."""

    HELP_TITLE = "Room"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,r", "back", "Back", id="room.back", tooltip="Back to the console"),
        Binding(
            "y",
            "accept",
            "Accept",
            id="room.accept",
            tooltip="Record the chosen team's answer from the room as its decision",
        ),
        Binding(
            "d",
            "direct",
            "Record directly",
            id="room.direct",
            tooltip="Record the teams' answers as they arrive (on), or keep them to accept (off)",
        ),
        Binding(
            "l",
            "lock",
            "Lock",
            id="room.lock",
            tooltip="Lock the chosen team's decision of this move: no team may send or change its answer",
        ),
        Binding(
            "x",
            "revoke",
            "Revoke",
            id="room.revoke",
            tooltip="Take the chosen team's code away (its devices are turned away)",
        ),
        Binding(
            "c",
            "reissue",
            "New code",
            id="room.reissue",
            tooltip="Give the chosen team a new code (its old card stops working)",
        ),
        Binding(
            "o",
            "open_close",
            "Open/close",
            id="room.open_close",
            tooltip="Close the room (nothing is served), or open it again",
        ),
    ]

    def compose(self) -> ComposeResult:
        """The room's state on top, one row per team below."""
        with Vertical(id="room-body"):
            yield Static(id="room-head")
            yield DataTable(id="room-teams", cursor_type="row", zebra_stripes=True)
            yield Static(id="room-hint")
        yield KeyBar()

    def on_mount(self) -> None:
        """Draw from the session."""
        table = self.query_one(DataTable)
        table.add_column("Team", width=16)
        table.add_column("Waiting for you (y) / join address (holds the code)")
        session = ttx(self).session
        if session is not None:
            self.show_state(session.state)
        table.focus()

    def _team(self) -> str | None:
        table = self.query_one(DataTable)
        if table.row_count == 0:
            return None
        row = table.coordinate_to_cell_key(table.cursor_coordinate).row_key
        return str(row.value) if row.value is not None else None

    def show_state(self, state: SessionState) -> None:
        """Redraw the rows (called by the app after every change)."""
        room = ttx(self).room
        head = self.query_one("#room-head", Static)
        hint = self.query_one("#room-hint", Static)
        table = self.query_one(DataTable)
        chosen = self._team()
        table.clear()
        if room is None or not room.open:
            head.update(join(("The room is closed.", "bold"), " o opens it."))
            hint.update("")
            return
        mode = "recorded as they arrive" if room.server.record else "kept for you to accept (y)"
        head.update(
            join(
                ("The room is open", "bold"),
                f" at {room.server.url} (the projector page: {room.server.url}/projector). ",
                f"Answers are {mode}.",
            )
        )
        describe = Describer(state.exercise, {t.id: t.name for t in state.teams})
        waiting = {(a.team_id): a for a in waiting_answers(state)}
        for team_id, url in room.server.join_urls().items():
            answer = waiting.get(team_id)
            sent = (
                describe.answer(
                    answer.decision_id, answer.option_id, answer.allocation, answer.free_text
                )
                if answer is not None
                else "—"
            )
            table.add_row(  # the address on a line of its own: whole at 80 columns
                one_line(room.server.team_names[team_id], 16).plain,
                f"{one_line(sent, 54).plain}\n{safe(url or 'revoked (c gives a new code)').plain}",
                key=team_id,
                height=2,
            )
        if chosen is not None and chosen in room.server.team_names:
            table.move_cursor(row=table.get_row_index(chosen))
        hint.update("Each address holds the team's code: keep this screen off the projector.")

    def _redraw(self) -> None:
        session = ttx(self).session
        if session is not None:
            self.show_state(session.state)

    def action_back(self) -> None:
        """Back to the console."""
        self.dismiss()

    def action_accept(self) -> None:
        """Record the chosen team's waiting answer (one key)."""
        session = ttx(self).session
        team = self._team()
        if session is None or team is None:
            return
        waiting = [a for a in waiting_answers(session.state) if a.team_id == team]
        if not waiting:
            self.notify("This team has no answer waiting.", severity="warning")
            return
        answer = waiting[-1]
        ttx(self).apply(AcceptRoomAnswer(decision_id=answer.decision_id, team_id=team))

    def action_direct(self) -> None:
        """Record answers directly, or keep them to accept."""
        room = ttx(self).room
        if room is None:
            return
        room.server.record = not room.server.record
        session = ttx(self).session
        if session is not None:
            room.server.publish(session.state)
        self._redraw()

    def action_lock(self) -> None:
        """Lock the decisions of this move the chosen team answers, for every team (an event)."""
        app, team = ttx(self), self._team()
        session = app.session
        if session is None or team is None:
            return
        state = session.state
        ids = [
            d.id
            for d in (
                state.exercise.move(state.current_move).decisions if state.current_move else []
            )
            if team in state.deciding_teams(d.id) and not locked(state, d.id, team, record=True)
        ]
        if not ids:
            self.notify("This team has no open decision to lock in this move.", severity="warning")
            return
        for decision_id in ids:
            if app.apply(LockRoomAnswers(decision_id=decision_id)) is None:
                return
        names = ", ".join(decision_name(state.exercise, d) for d in ids)
        self.notify(
            f"Locked: no team may change its answer to {names} (u undoes it).", markup=False
        )

    def action_revoke(self) -> None:
        """Take the chosen team's code away."""
        self._change_code("code revoked", revoke=True)

    def action_reissue(self) -> None:
        """Give the chosen team a new code."""
        self._change_code("new code issued", revoke=False)

    def _change_code(self, said: str, *, revoke: bool) -> None:
        room, team = ttx(self).room, self._team()
        if room is None or not room.open or team is None:
            return
        if revoke:
            room.server.revoke(team)
        else:
            room.server.reissue(team)
        self.notify(f"{room.server.team_names[team]}: {said}.", markup=False)
        self._redraw()

    def action_open_close(self) -> None:
        """Close the room, or open it again."""
        app = ttx(self)
        if app.room is not None and app.room.open:
            app.close_room()
        else:
            app.open_room()
        self._redraw()


ROOM_BINDINGS: list[BindingType] = [
    Binding(
        "r",
        "room",
        "Room",
        id="console.room",
        tooltip="Open the room (teams answer from their devices) and show its join addresses",
    ),
    Binding(
        "y",
        "accept_room",
        "Accept",
        id="console.accept_room",
        show=False,
        tooltip="Record the oldest answer waiting from the room as the team's decision",
    ),
]
"""The console's room keys (added to its bindings)."""


class RoomKeys:
    """The console's room keys: `r` opens the room and its screen, `y` accepts the oldest answer."""

    def action_room(self) -> None:
        """Open the room if it is closed, then show the room screen."""
        app = ttx(cast("DOMNode", self))
        if (app.room is None or not app.room.open) and not app.open_room():
            return
        app.push_screen(RoomScreen())

    def action_accept_room(self) -> None:
        """Record the oldest answer waiting from the room."""
        app = ttx(cast("DOMNode", self))
        session = app.session
        if session is None:
            return
        waiting = waiting_answers(session.state)
        if not waiting:
            app.notify("No answer from the room is waiting.", severity="information")
            return
        answer = waiting[0]
        app.apply(AcceptRoomAnswer(decision_id=answer.decision_id, team_id=answer.team_id))
