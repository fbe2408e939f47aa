"""Child process of the kill test: records decisions and acknowledges each one after its commit.

Usage: python kill_writer.py EXERCISE.yaml ACK_FILE RUN
TTX_HOME points at the journal. Each acknowledgement is one line `RUN-N SEQ`, written
with a single unbuffered `os.write` to ACK_FILE only after `Session.apply` returned
(that is, after COMMIT): the parent kills this process at a random moment and then
checks that every acknowledged decision is in the journal.
"""

from __future__ import annotations

import os
import sys

from ttx.api import open_journal
from ttx.session.actions import (
    CorrectDecision,
    EnterMove,
    PauseClock,
    RecordDecision,
    ResumeClock,
)


def main() -> None:
    """Record decisions until killed."""
    exercise, ack_path, run = sys.argv[1], sys.argv[2], sys.argv[3]
    ack = os.open(ack_path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    journal = open_journal()
    if journal.sessions():
        session = journal.open_session()
    else:
        session = journal.create_session(exercise)
        session.apply(EnterMove())
    n = 0
    while True:
        n += 1
        token = f"{run}-{n}"
        state = session.state
        option = "partner" if n % 2 else "pressure"
        if "opening" not in state.decisions or "us" not in state.decisions["opening"].records:
            command: object = RecordDecision(
                decision_id="opening", team_id="us", option_id=option, rationale=token
            )
        else:
            command = CorrectDecision(
                decision_id="opening", team_id="us", option_id=option, rationale=token
            )
        state = session.apply(command)  # type: ignore[arg-type]
        os.write(ack, f"{token} {state.last_seq}\n".encode())
        if n % 7 == 0:
            session.apply(PauseClock() if state.clock.running else ResumeClock())


if __name__ == "__main__":
    main()
