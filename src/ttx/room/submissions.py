"""What a team's page sends, turned into session commands by the process that holds the session.

The web server's process checks sizes (`ttx.room.limits`) and forwards; here, in the
holder, the payload becomes a command for `Session.apply`, and the page hears back only
once the events are committed. A page that resends after the laptop came back carries the
same submission id: it is answered "saved" without writing again.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ttx.errors import TtxError
from ttx.session.actions import Command, CommandError, GiveRoomFeedback, SubmitRoomAnswer
from ttx.session.state import SessionState

Apply = Callable[[Command], SessionState]


def already_saved(state: SessionState, payload: dict[str, Any]) -> bool:
    """True when this very submission (same page id) is already in the journal."""
    submission = payload.get("submission") or ""
    return bool(submission) and submission in state.room_submissions


def command_for(kind: str, team_id: str, payload: dict[str, Any], *, record: bool) -> Command:
    """The session command a checked payload asks for."""
    if kind == "feedback":
        return GiveRoomFeedback(
            ratings=dict(payload["ratings"]),
            strengths=payload["strengths"],
            improvements=payload["improvements"],
            submission=payload["submission"],
        )
    return SubmitRoomAnswer(
        decision_id=payload["decision_id"],
        team_id=team_id,
        option_id=payload["option_id"],
        allocation=payload["allocation"],
        free_text=payload["free_text"],
        rationale=payload["rationale"],
        submission=payload["submission"],
        record=record,
    )


def handle(
    kind: str,
    team_id: str,
    payload: dict[str, Any],
    *,
    state: SessionState,
    apply: Apply,
    record: bool,
) -> tuple[str, str]:
    """Apply one submission: ("saved", ...) once committed, ("refused", why) when the session
    refuses it (the page shows why), ("failed", why) when it could not be saved (the page
    keeps it and sends it again)."""
    if already_saved(state, payload):
        return "saved", "saved"
    try:
        apply(command_for(kind, team_id, payload, record=record))
    except CommandError as error:
        return "refused", str(error)
    except TtxError as error:
        return "failed", f"not saved on the laptop ({error}); it will be sent again"
    return "saved", "saved"
