"""Shared pieces of the room tests: a session, an in-process app over it, and the text a page shows."""

from __future__ import annotations

import asyncio
import html
import re
from pathlib import Path
from typing import Any

from starlette.testclient import TestClient

from ttx.paths import shipped_exercises_dir
from ttx.room.submissions import handle
from ttx.room.views import RoomViews, room_message, team_names
from ttx.room.web import Hub, build_app
from ttx.service.journal import open_journal
from ttx.service.session import Session
from ttx.session.state import SessionState


def exercise_path(name: str) -> Path:
    return shipped_exercises_dir() / f"{name}.yaml"


def new_session(name: str = "demo", session_id: str = "room-test") -> Session:
    with open_journal() as journal:
        return journal.create_session(exercise_path(name), session_id=session_id)


class Room:
    """A hub over a live session, as the server process has it, with the holder's logic in process."""

    def __init__(self, session: Session, *, record: bool = False) -> None:
        self.session = session
        self.record = record
        self.names = team_names(session.state)
        self.views = RoomViews(session.exercise, list(self.names))
        self.codes = {team: f"code-{team}-0123456789abcdef" for team in self.names}

        async def forward(kind: str, team: str, payload: dict[str, Any]) -> tuple[str, str]:
            result = handle(
                kind, team, payload, state=session.state, apply=session.apply, record=self.record
            )
            self.publish()
            return result

        self.hub = Hub(forward, b"secret" * 6)
        self.publish()
        self.app = build_app(self.hub)

    def publish(self, state: SessionState | None = None) -> None:
        state = state or self.session.state
        now = self.session.now()
        shown = room_message(
            self.views, state, now, teams=list(self.codes), record=self.record, revealed=frozenset()
        )
        self.hub.update({"codes": dict(self.codes), "address": "http://127.0.0.1:9", **shown})

    def client(self, team: str | None = None) -> TestClient:
        client = TestClient(self.app, base_url="http://room.test", follow_redirects=False)
        if team is not None:
            response = client.get(f"/j/{self.codes[team]}")
            assert response.status_code == 200, response.text
        return client


def csrf(client: TestClient) -> str:
    page = client.get("/team").text
    found = re.search(r'name="csrf-token" content="([0-9a-f]+)"', page)
    assert found, page
    return found.group(1)


def shown_text(markup: str) -> str:
    """What a person reads in served HTML/JSON: tags dropped, entities decoded, spaces collapsed."""
    markup = markup.replace("\\u003c", "<").replace("\\u003e", ">").replace("\\n", " ")
    text = re.sub(r"<[^>]+>", " ", markup)
    text = html.unescape(text).replace("\u200b", "").replace("\\", "")
    return " ".join(text.split())


def run(coro: Any) -> Any:
    return asyncio.run(coro)
