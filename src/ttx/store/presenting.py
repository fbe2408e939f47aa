"""Which sessions the console was presenting (showing only the room's view), kept beside the journal.

It is a view setting, not something that happened in the exercise, so it is not an
event: a small JSON file next to the journal lists the sessions whose console was
presenting when last left, and resuming one starts presenting again.
"""

from __future__ import annotations

import json
import os
from pathlib import Path


def _file(journal_path: Path) -> Path:
    return journal_path.with_name(journal_path.name + ".presenting.json")


def _load(journal_path: Path) -> set[str]:
    try:
        data = json.loads(_file(journal_path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return set()
    return {item for item in data if isinstance(item, str)} if isinstance(data, list) else set()


def is_presenting(journal_path: Path, session_id: str) -> bool:
    """True when the console was presenting this session when last left."""
    return session_id in _load(journal_path)


def set_presenting(journal_path: Path, session_id: str, on: bool) -> None:
    """Remember whether this session's console is presenting (written atomically)."""
    ids = _load(journal_path)
    if (session_id in ids) == on:
        return
    ids = ids | {session_id} if on else ids - {session_id}
    target = _file(journal_path)
    temp = target.with_name(target.name + ".tmp")
    temp.write_text(json.dumps(sorted(ids)), encoding="utf-8")
    os.replace(temp, target)
