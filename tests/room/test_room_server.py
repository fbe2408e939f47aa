"""`RoomServer` as the console and the headless command use it: codes, revocation, closing by itself."""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from ttx.room import codes
from ttx.room.server import RoomServer
from ttx.service.session import Session
from ttx.session.actions import EndSession, EnterMove, ReleaseInject

from .helpers import new_session

pytestmark = pytest.mark.slow


def _wait(condition: Callable[[], bool], timeout: float = 20) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


def _server(**kwargs: Any) -> tuple[RoomServer, Session, list[str]]:
    session = new_session("demo")
    session.apply(EnterMove())
    closed: list[str] = []
    server = RoomServer(
        session.id,
        lambda: session.state,
        session.apply,
        host="127.0.0.1",
        on_close=closed.append,
        **kwargs,
    )
    server.start()
    return server, session, closed


def test_codes_are_revoked_and_reissued_while_the_room_is_open() -> None:
    server, session, _ = _server()
    try:
        urls = server.join_urls()
        assert set(urls) == {"us", "mexico"}
        old = urls["us"] or ""
        with httpx.Client(timeout=10) as client:
            assert client.get(old).status_code == 200
            server.revoke("us")
            assert server.join_url("us") is None
            assert _wait(lambda: client.get(old.split("/j/")[0] + "/team").status_code == 403)
            new = server.reissue("us")
            assert new != old
            assert _wait(lambda: httpx.get(new, timeout=5).status_code == 200)
            assert httpx.get(old, timeout=5).status_code == 403
        again = codes.load_or_issue(session.id, ["us", "mexico"])
        assert again["us"] == new.rsplit("/", 1)[1]
    finally:
        server.stop()
        session.close()


def test_the_room_closes_when_the_session_ends() -> None:
    server, session, closed = _server()
    base = server.url
    try:
        assert httpx.get(base + "/projector", timeout=5).status_code == 200
        server.publish(session.apply(EndSession()))
        assert _wait(lambda: not server.running and bool(closed))
        assert closed == ["the session has ended"]
        assert server.wait(10)
        with pytest.raises(httpx.ConnectError):
            httpx.get(base + "/projector", timeout=2)
    finally:
        server.stop()
        session.close()


def test_the_room_closes_after_its_idle_time() -> None:
    server, session, closed = _server(idle_seconds=1.0)
    try:
        assert _wait(lambda: bool(closed), timeout=30)
        assert "no device asked for anything" in closed[0]
        assert server.wait(10)
    finally:
        server.stop()
        session.close()


def test_stop_from_another_thread_while_pages_listen_returns_promptly() -> None:
    server, session, _ = _server()
    url = server.url + "/projector/events"
    started = threading.Event()

    def listen() -> None:
        try:
            with httpx.stream("GET", url, timeout=30) as response:
                for _ in response.iter_lines():
                    started.set()
        except httpx.HTTPError:
            pass

    reader = threading.Thread(target=listen, daemon=True)
    reader.start()
    assert started.wait(10), "the projector page's event stream sent its first event"
    began = time.monotonic()
    server.stop()
    assert time.monotonic() - began < 10
    assert server.wait(1)
    session.close()


def test_join_codes_file(ttx_home: Path) -> None:
    issued = codes.load_or_issue("s", ["a", "b"])
    assert len(set(issued.values())) == 2
    assert all(len(code) >= 16 for code in issued.values())  # 96 bits, URL-safe
    path = codes.codes_path("s")
    assert path.stat().st_mode & 0o777 == 0o600
    assert codes.load_or_issue("s", ["a", "b"]) == issued
    codes.revoke("s", "a")
    assert codes.load_or_issue("s", ["a", "b"]) == {"b": issued["b"]}
    fresh = codes.reissue("s", "a")
    assert fresh != issued["a"] and codes.load_or_issue("s", ["a", "b"])["a"] == fresh
    assert re.fullmatch(
        r"[0-9a-f]{32}\.json", codes.codes_path("my-session").name
    )  # a digest of the id
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(codes.CodesUnusable, match="delete the file"):
        codes.load_or_issue("s", ["a"])


def test_a_team_page_hears_of_each_change_on_its_event_stream() -> None:
    server, session, _ = _server()
    url = server.join_url("us") or ""
    heard: list[int] = []
    try:
        with httpx.Client(timeout=30) as client:
            assert client.get(url).status_code == 200
            base = url.split("/j/")[0]
            with client.stream("GET", base + "/team/events") as stream:
                assert stream.headers["content-type"].startswith("text/event-stream")
                for line in stream.iter_lines():
                    if line.startswith("data: "):
                        heard.append(int(line[6:]))
                        if len(heard) == 1:  # the page is listening: the facilitator acts
                            server.publish(session.apply(ReleaseInject(inject_id="offer_cable")))
                        else:
                            break
            view = client.get(base + "/team/view").json()
        assert heard[1] > heard[0] and view["version"] >= heard[1]
        assert "An offer, with a red line" in view["injects"]
    finally:
        server.stop()
        session.close()
