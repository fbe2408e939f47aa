"""Reports already printed, kept by content (`ttx.report.content_cache`): re-printing an
unchanged session's report copies it, instantly, instead of rendering it again.

The key is a SHA-256 of the session's journal content (its stored exercise and every
event, `Journal.content_digest`), the ttx code, templates and fonts, and the options
that change the bytes: format, paper and time zone.
"""

from __future__ import annotations

from pathlib import Path

from ttx.report import content_cache

KIND = "reports"


def report_key(journal_digest: str, fmt: str, paper: str, zone: str) -> str:
    """The content key of a session's report; `zone` as `aar_timeline.zone_key` says it."""
    return content_cache.content_key(KIND, journal_digest, fmt, paper, zone)


def copy_out(key: str, output: Path) -> bool:
    """Write the report cached under `key` to `output`; False when there is none."""
    entry = content_cache.lookup(KIND, key)
    if entry is None or len(entry.files) != 1:
        return False
    return content_cache.copy_out(entry, [output])


def store(key: str, session_id: str, output: Path) -> None:
    """Keep the report just written to `output` under `key` (a failure is ignored)."""
    content_cache.store(KIND, key, {"session": session_id}, [output])
