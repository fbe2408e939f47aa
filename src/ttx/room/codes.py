"""Join codes: one unguessable code per team (≥ 64 bits), kept beside the journal, never in it.

The codes of a session live in `TTX_HOME/room/<digest of the session id>.json`, readable
by the user alone (mode 0600), written atomically, with the secret the pages' CSRF tokens
are made from (kept, so a page open before the laptop restarted can still send). A revoked
team has no code until one is reissued; the report and the journal never see them.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ttx.errors import TtxError
from ttx.paths import data_dir

CODE_BYTES = 12
"""96 bits of randomness per code (16 URL-safe characters)."""


class CodesUnusable(TtxError):
    """The file of join codes cannot be read or written."""


def codes_path(session_id: str) -> Path:
    """Where a session's join codes are kept."""
    digest = hashlib.sha256(session_id.encode("utf-8")).hexdigest()[:32]
    return data_dir() / "room" / f"{digest}.json"


def new_code() -> str:
    """A fresh join code."""
    return secrets.token_urlsafe(CODE_BYTES)


def _read(session_id: str) -> dict[str, Any]:
    path = codes_path(session_id)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {"codes": {}, "revoked": [], "secret": ""}
    except (OSError, ValueError) as error:
        raise CodesUnusable(
            f"the room's join codes in {path} cannot be read ({error}); "
            "delete the file to issue new codes (the old cards stop working)"
        ) from None
    if not isinstance(data, dict):
        return {"codes": {}, "revoked": [], "secret": ""}
    codes = data.get("codes")
    revoked = data.get("revoked")
    secret = data.get("secret")
    return {
        "codes": {str(k): str(v) for k, v in codes.items()} if isinstance(codes, dict) else {},
        "revoked": [str(t) for t in revoked] if isinstance(revoked, list) else [],
        "secret": secret if isinstance(secret, str) else "",
    }


def _write(session_id: str, data: dict[str, Any]) -> None:
    path = codes_path(session_id)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(data, handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, 0o600)
        os.replace(temp, path)
    except OSError as error:
        raise CodesUnusable(
            f"the room's join codes cannot be saved in {path.parent}: {error.strerror or error}"
        ) from None


def load_or_issue(session_id: str, team_ids: Sequence[str]) -> dict[str, str]:
    """Each team's join code (team id → code), issuing the missing ones; revoked teams have none."""
    data = _read(session_id)
    codes: dict[str, str] = data["codes"]
    changed = False
    for team_id in team_ids:
        if team_id not in codes and team_id not in data["revoked"]:
            codes[team_id] = new_code()
            changed = True
    if changed:
        _write(session_id, data)
    return {t: codes[t] for t in team_ids if t in codes}


def page_secret(session_id: str) -> bytes:
    """The secret the room's CSRF tokens are made from (made once per session, then kept)."""
    data = _read(session_id)
    try:
        secret = bytes.fromhex(data["secret"])
    except ValueError:
        secret = b""
    if len(secret) < 32:
        secret = secrets.token_bytes(32)
        data["secret"] = secret.hex()
        _write(session_id, data)
    return secret


def reissue(session_id: str, team_id: str) -> str:
    """A new code for a team (its old card stops working); lifts a revocation."""
    data = _read(session_id)
    code = new_code()
    data["codes"][team_id] = code
    data["revoked"] = [t for t in data["revoked"] if t != team_id]
    _write(session_id, data)
    return code


def revoke(session_id: str, team_id: str) -> None:
    """Take a team's code away: its devices are turned away until a code is reissued."""
    data = _read(session_id)
    data["codes"].pop(team_id, None)
    if team_id not in data["revoked"]:
        data["revoked"].append(team_id)
    _write(session_id, data)
