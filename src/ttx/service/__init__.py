"""The session service: the one way the CLI, the console, the report worker and scripts reach sessions.

It sits between the durable journal (`ttx.store`) and its users: it opens the journal,
creates, opens and reads sessions, and applies commands (`ttx.session`'s engine, then
`JournalStore.append`, then the replayer). `ttx.api` re-exports it as the documented
public API (docs/api.md); inside ttx, import from the modules here:

- `ttx.service.journal`: `open_journal`, `Journal`, `SessionInfo`;
- `ttx.service.session`: `Session`;
- `ttx.service.errors`: the journal errors it raises (each a `ttx.errors.TtxError`);
- `ttx.service.maintenance`: check the journal, salvage a session, list and restore backups;
- `ttx.service.listing`: `list_sessions`, `SessionRow` — the sessions list read with
  `sqlite3` alone (no pydantic models loaded), for the home screen's first paint.

This `__init__` imports nothing, so `ttx.service.listing` stays light.
"""
