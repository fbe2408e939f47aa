"""The join cards of a session's room: one card per team with its join address, code and QR code.

Codes belong to a session (`ttx.room.codes`), so the cards are built from the session's
state and the links the room hands out, never from the exercise alone. The QR code is a
PNG data URI made here with segno (nothing is fetched), drawn without smoothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import segno

from ttx.report.common import doc_meta
from ttx.session.state import SessionState

QR_ERROR = "m"
"""Error correction: M survives a fold or a smudge and keeps a join URL at version 3-4."""
QR_SCALE = 8
"""Pixels per module in the embedded PNG (printed at a fixed size, drawn without smoothing)."""
QR_BORDER = 4
"""The quiet zone around the code, in modules: the four the QR standard asks for."""


@dataclass(frozen=True, slots=True)
class JoinLink:
    """What the room hands a team: the URL that joins it, and the code inside that URL."""

    url: str
    code: str


def qr_code(url: str) -> segno.QRCode:
    """The QR code a card prints for this URL."""
    return segno.make(url, error=QR_ERROR, micro=False)


def join_cards_context(state: SessionState, links: Mapping[str, JoinLink]) -> dict[str, Any]:
    """One card per team of the session that has a link (the room decides which), in set-up order."""
    exercise = state.exercise
    cards = []
    for team in state.teams:
        link = links.get(team.id)
        if link is None:
            continue
        cards.append(
            {
                "team": team.name,
                "short": team.short if team.short and team.short != team.name else None,
                "url": link.url,
                "room": link.url.split("/j/", 1)[0],
                "code": link.code,
                "qr": qr_code(link.url).png_data_uri(scale=QR_SCALE, border=QR_BORDER),
            }
        )
    return {
        "meta": doc_meta(exercise, "Join cards"),
        "ex": {"title": exercise.title},
        "cards": cards,
    }
