"""`tabletop room SESSION --cards FILE.pdf [--host H] [--port P] [--paper]`: the room's join cards.

One card per team of the room with its join address, its code and a QR code of that
address. The codes are the session's (`ttx.room.codes`: issued now if the room never
opened, the same ones the room will use); the address is the one `tabletop room` or the
console serves when opened with the same --host and --port. Nothing is served here, and a
console may hold the session meanwhile (it is only read).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ttx.errors import Exit
from ttx.safe_text import echo

PROG = "tabletop room"


def run(args: argparse.Namespace) -> int:
    """Write the join cards of a session. Exit 0: written; 1: refused, the codes file unusable,
    or rendering failed; 2: no such session."""
    if not args.port:
        echo(
            f"{PROG}: join cards need a fixed port (one chosen at random would not match "
            "them): leave --port out (8765), or give the --port you will open the room with",
            file=sys.stderr,
        )
        return int(Exit.INVALID)
    from ttx.report.jobs import discard_worker, prepare_worker, start_join_cards

    # The worker loads WeasyPrint and the fonts while this process reads the session.
    prepare_worker()
    from ttx.commands.outputs import output_path
    from ttx.commands.progress import wait_showing_progress
    from ttx.errors import TtxError
    from ttx.report.join_cards import JoinLink
    from ttx.room.codes import load_or_issue
    from ttx.room.server import RoomServer
    from ttx.service.journal import open_journal
    from ttx.session.actions import Command, CommandError
    from ttx.session.state import SessionState

    def read_only(command: Command) -> SessionState:
        raise CommandError("printing join cards records nothing")

    try:
        with open_journal(read_only=True) as journal:
            session = journal.read_session(args.session)
            try:
                state = session.state
            finally:
                session.close()
        output = output_path(args.cards, f"{state.id}-join-cards.pdf", Path(args.cards))
        room = RoomServer(state.id, lambda: state, read_only, host=args.host, port=args.port)
        codes = load_or_issue(state.id, list(room.team_names))
    except TtxError as exc:  # no such session, an unusable FILE.pdf, an unreadable codes file
        discard_worker()  # nothing to render: the prepared worker goes
        echo(f"{PROG}: {exc}", file=sys.stderr)
        return int(exc.exit_code)
    room.codes = codes
    links = {team: JoinLink(url, codes[team]) for team, url in room.join_urls().items() if url}
    revoked = [team for team, url in room.join_urls().items() if not url]
    paper = getattr(args, "paper", "letter") or "letter"
    job = start_join_cards(state.id, links, output, paper)
    if not wait_showing_progress(job):
        for line in str(job.error).splitlines():
            echo(line if line.startswith("  ") else f"{PROG}: {line}", file=sys.stderr)
        return job.exit_code
    cards = f"{len(links)} join card{'' if len(links) == 1 else 's'}"
    echo(f"Wrote {cards} for session {state.id} to {job.path} ({room.url}).")
    if revoked:
        echo(f"  No card for {', '.join(revoked)}: its code is revoked.")
    return int(Exit.OK)
