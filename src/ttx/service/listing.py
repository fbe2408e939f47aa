"""The sessions list, read with `sqlite3` alone: no exercise or event models are loaded.

The home screen lists sessions right after its first paint; importing the models
(pydantic) would delay it, so this module stays away from `ttx.service.journal`.
"""

from __future__ import annotations

from pathlib import Path

from ttx.paths import sessions_db
from ttx.store.journal import JournalStore, SessionRow

__all__ = ["SessionRow", "list_sessions"]


def list_sessions(path: Path | None = None) -> list[SessionRow]:
    """Every session in the journal at `path` (default: `ttx.paths.sessions_db()`), newest first."""
    store = JournalStore(path or sessions_db())
    try:
        return store.list_sessions()
    finally:
        store.close()
