"""The console's room settings, kept beside the journal: presenting, and the answers revealed.

They are view settings, not things that happened in the exercise, so they are not
events: a small JSON file next to the journal lists the sessions whose console was
presenting when last left (resuming one presents again), and, per session, the
decisions whose answers the facilitator has revealed to the room (the projector
window of `tabletop project` reads it too).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any


def _file(journal_path: Path) -> Path:
    return journal_path.with_name(journal_path.name + ".presenting.json")


def _load(journal_path: Path) -> dict[str, Any]:
    try:
        data = json.loads(_file(journal_path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _save(journal_path: Path, data: dict[str, Any]) -> None:
    target = _file(journal_path)
    temp = target.with_name(target.name + ".tmp")
    temp.write_text(json.dumps(data, sort_keys=True), encoding="utf-8")
    os.replace(temp, target)


def _ids(data: dict[str, Any], key: str) -> set[str]:
    value = data.get(key)
    return {item for item in value if isinstance(item, str)} if isinstance(value, list) else set()


def is_presenting(journal_path: Path, session_id: str) -> bool:
    """True when the console was presenting this session when last left."""
    return session_id in _ids(_load(journal_path), "presenting")


def set_presenting(journal_path: Path, session_id: str, on: bool) -> None:
    """Remember whether this session's console is presenting (written atomically)."""
    data = _load(journal_path)
    ids = _ids(data, "presenting")
    if (session_id in ids) == on:
        return
    data["presenting"] = sorted(ids | {session_id} if on else ids - {session_id})
    _save(journal_path, data)


def revealed(journal_path: Path, session_id: str) -> frozenset[str]:
    """The decisions of this session whose answers the room may see."""
    per_session = _load(journal_path).get("revealed")
    if not isinstance(per_session, dict):
        return frozenset()
    ids = per_session.get(session_id)
    return frozenset(i for i in ids if isinstance(i, str)) if isinstance(ids, list) else frozenset()


def set_revealed(journal_path: Path, session_id: str, decision_ids: frozenset[str]) -> None:
    """Remember which decisions' answers the room may see (written atomically)."""
    data = _load(journal_path)
    per_session = data.get("revealed")
    if not isinstance(per_session, dict):
        per_session = {}
    per_session[session_id] = sorted(decision_ids)
    data["revealed"] = per_session
    _save(journal_path, data)
