"""`tabletop room SESSION`: serve a session's room with no console (scripts, tests, no terminal).

This process holds the session (its lock) and is the journal's only writer while the
room is open. It prints one `TEAM_ID URL` line per team and serves until SIGTERM or
Ctrl-C (exit 0), or until the room closes by itself (the session ended, 30 idle minutes).
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from types import FrameType

from ttx.errors import Exit, TtxError
from ttx.safe_text import echo


class SessionOver(TtxError):
    """The session has ended: there is nothing left to answer from the room."""


def run(args: argparse.Namespace) -> int:
    """Open the session, start the room, print the join addresses, serve until told to stop.

    With --cards, print the join cards instead (`ttx.commands.join_cards`) and serve nothing;
    with --reveal or --hide, change what the projector page shows (`reveal`) and serve nothing.
    """
    if getattr(args, "cards", None) is not None:
        from ttx.commands import join_cards

        return join_cards.run(args)
    if getattr(args, "reveal", False) or getattr(args, "hide", False):
        return reveal(args.session, show=bool(args.reveal))
    from ttx.room.server import RoomServer
    from ttx.service.journal import open_journal

    stop = threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        stop.set()

    previous = signal.signal(signal.SIGTERM, on_signal)
    with open_journal() as journal:
        session = journal.open_session(args.session)
        try:
            if session.state.status == "ended":
                raise SessionOver(
                    f"session {session.id} has ended; the room serves a session still being played"
                )
            server = RoomServer(
                session.id,
                lambda: session.state,
                session.apply,
                host=args.host,
                port=args.port,
                record=args.record,
                journal_path=journal.path,
                on_close=lambda reason: stop.set(),
            )
            server.start()
            try:
                for team, url in server.join_urls().items():
                    echo(f"{team} {url or 'revoked'}")
                echo(f"projector {server.url}/projector", file=sys.stderr)
                sys.stdout.flush()
                try:
                    while not stop.wait(0.5):
                        pass
                except KeyboardInterrupt:
                    pass
            finally:
                server.stop()
            if server.closed_because:
                echo(f"tabletop room: the room closed: {server.closed_because}", file=sys.stderr)
        finally:
            session.close()
            signal.signal(signal.SIGTERM, previous)
    return int(Exit.OK)


class RevealRefused(TtxError):
    """Nothing to reveal (no decision of this move is put to the room), or it cannot be kept."""


def reveal(session_id: str | None, *, show: bool) -> int:
    """Reveal (or hide) the answers to the current move's decisions on the projector page.

    The same setting the console's `v` keeps beside the journal (a view setting, not an
    event: the report is the same either way); the room's web server reads it there, so it
    works while `tabletop room` (or the console) holds the session.
    """
    from ttx.service.journal import open_journal
    from ttx.service.presenting import revealed, set_revealed
    from ttx.session.room import room_decisions
    from ttx.vocabulary import decision_name

    with open_journal(read_only=True) as journal:
        session = journal.read_session(session_id)
        try:
            state = session.state
        finally:
            session.close()
        ids = frozenset(room_decisions(state))
        if not ids:
            raise RevealRefused(
                f"session {state.id}: no decision of the current move is put to the whole room; "
                "its answers stay with the facilitator"
            )
        before = revealed(journal.path, state.id)
        try:
            set_revealed(journal.path, state.id, before | ids if show else before - ids)
        except OSError as error:
            raise RevealRefused(f"cannot keep it beside the journal: {error}") from None
    names = ", ".join(sorted(decision_name(state.exercise, d) for d in ids))
    if show:
        echo(f"The answers to {names} now show on the projector page (--hide hides them).")
    else:
        echo(f"The answers to {names} are hidden from the projector page again.")
    return int(Exit.OK)
