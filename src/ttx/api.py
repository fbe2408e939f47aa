"""The public Python API of tabletop sessions: open the journal, create or open a session, apply commands.

Scripts drive sessions through this module, so a session can be run and tested
without a terminal. See docs/api.md. It re-exports the session service
(`ttx.service`), which the console (TUI), the CLI and the report worker use
directly: nothing inside ttx imports `ttx.api` (the import contract in
pyproject.toml holds it to that).

    from ttx.api import open_journal
    from ttx.session.actions import EnterMove, RecordDecision

    with open_journal() as journal:
        session = journal.create_session("exercises/demo.yaml")
        session.apply(EnterMove())
        session.apply(RecordDecision(decision_id="opening", team_id="us",
                                     option_id="partner", rationale="Trust first."))
        print(session.state.decisions["opening"].outcome.option_id)
        session.close()
"""

from __future__ import annotations

from ttx.service.errors import (
    JournalError,
    JournalUnwritable,
    ReadOnlySession,
    SessionLocked,
    SessionNotFound,
)
from ttx.service.journal import Journal, SessionInfo, open_journal
from ttx.service.session import Session
from ttx.session.actions import CommandError
from ttx.session.branching import BranchPreview, PendingInject
from ttx.session.events import TeamSetup
from ttx.session.state import SessionState

__all__ = [
    "BranchPreview",
    "CommandError",
    "Journal",
    "JournalError",
    "JournalUnwritable",
    "PendingInject",
    "ReadOnlySession",
    "Session",
    "SessionInfo",
    "SessionLocked",
    "SessionNotFound",
    "SessionState",
    "TeamSetup",
    "open_journal",
]
