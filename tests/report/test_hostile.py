"""Hostile text in exercises and decisions prints literally: no file embedded, no request made."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from tests.report.conftest import DEMO
from tests.report.pdfcheck import embedded_files, squash, text_of
from tests.report.sessions import demo_session
from ttx.cli import main

LONG_WORD = "ß" * 20_000


class Listener:
    """A TCP port that counts every connection made to it (there must be none)."""

    def __init__(self) -> None:
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self._stop = False
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._stop:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.connections += 1
            conn.close()

    def close(self) -> None:
        self._stop = True
        self._thread.join(timeout=2)
        self.sock.close()


@pytest.fixture
def listener() -> Iterator[Listener]:
    server = Listener()
    yield server
    server.close()


def payloads(port: int) -> dict[str, str]:
    return {
        "attachment": '<link rel="attachment" href="file:///etc/passwd">',
        "img": f'<img src="http://127.0.0.1:{port}/img">',
        "css": f"<style>@import url(http://127.0.0.1:{port}/import); body {{ background: url(file:///etc/passwd) }}</style>",
        "style_attr": f'<p style="background:url(http://127.0.0.1:{port}/attr)">styled</p>',
        "markdown_image": f"![pixel](http://127.0.0.1:{port}/md)",
        "jinja": "{{ 7*7 }} {% if true %}jinja{% endif %} {{ config }}",
    }


def _hostile_exercise(tmp_path: Path, port: int) -> Path:
    data = yaml.safe_load(DEMO.read_text(encoding="utf-8"))
    p = payloads(port)
    data["title"] = f"Hostile {p['jinja']} {p['attachment']}"
    data["summary"] = "\n\n".join(p.values())
    data["teams"][0]["name"] = f"US {p['img']}"
    data["teams"][0]["briefing"] = p["css"] + "\n\n" + p["style_attr"]
    data["moves"][0]["narrative"] = "\n\n".join([*p.values(), LONG_WORD])
    data["moves"][0]["injects"][0]["body"] = p["attachment"] + "\n\n" + p["markdown_image"]
    data["moves"][0]["decisions"][0]["options"][0]["label"] = f"Accept {p['img']}"
    data["sources"][0]["url"] = f"http://127.0.0.1:{port}/source"
    path = tmp_path / "hostile.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def _assert_literal(text: str, port: int, keys: list[str]) -> None:
    p = payloads(port)
    flat = squash(text)
    for key in keys:
        assert squash(p[key]) in flat, f"{key} should print literally"


def test_hostile_exercise_fields_print_literally(tmp_path: Path, listener: Listener) -> None:
    exercise = _hostile_exercise(tmp_path, listener.port)
    out = tmp_path / "out"
    started = time.monotonic()
    assert main(["handouts", str(exercise), "-o", str(out)]) == 0
    assert time.monotonic() - started < 120, "a 20,000-character word must not stall the renderer"
    sitman = text_of(out / "situation-manual.pdf")
    _assert_literal(sitman, listener.port, ["attachment", "img", "css", "style_attr", "jinja"])
    assert squash(sitman).count("ß") == 20_000, "the long word is printed whole, not lost"
    assert "49" not in squash(sitman).split("Hostile", 1)[1][:20]
    packet = text_of(out / "team-us.pdf")
    _assert_literal(packet, listener.port, ["css", "style_attr", "img"])
    cards = text_of(out / "inject-cards.pdf")
    _assert_literal(cards, listener.port, ["attachment"])
    for pdf in out.glob("*.pdf"):
        assert embedded_files(pdf) == [], pdf.name
        assert b"root:x:0:0" not in pdf.read_bytes()
    time.sleep(0.3)
    assert listener.connections == 0, "the renderer must not make any request"


def test_hostile_decisions_in_a_session_print_literally(
    demo_path: Path, tmp_path: Path, listener: Listener
) -> None:
    p = payloads(listener.port)
    rationale = "\n\n".join(p.values())
    session_id = demo_session(demo_path, rationale_us=rationale, extra_note=LONG_WORD)
    out = tmp_path / "aar.pdf"
    assert main(["report", session_id, "-o", str(out)]) == 0
    text = text_of(out)
    _assert_literal(text, listener.port, ["attachment", "img", "css", "style_attr", "jinja"])
    assert squash(text).count("ß") >= 20_000
    assert embedded_files(out) == []
    assert b"root:x:0:0" not in out.read_bytes()
    time.sleep(0.3)
    assert listener.connections == 0
