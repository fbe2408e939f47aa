"""Injects timed after another inject (format 2 `after:`): planned, checked and shown."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.report.pdfcheck import squash, text_of
from tests.unit.session_helpers import playing
from ttx.api import Session
from ttx.cli import main
from ttx.model.validate import load_exercise
from ttx.session.actions import ReleaseInject
from ttx.vocabulary import after_text

RELATIVE_YAML = """\
format: 2
id: relative
title: Relative timing
duration_minutes: 60
teams:
  - {id: city, name: City}
  - {id: county, name: County}
moves:
  - id: one
    title: The warning
    minutes: 30
    injects:
      - id: update
        title: Shelters open
        body: The shelters are open.
        after: {inject: order, minutes: 4}
      - {id: warning, title: Hurricane warning, at: 3, body: A warning is issued.}
      - id: order
        title: Evacuation order
        body: The governor orders an evacuation.
        after: {inject: warning, minutes: 5}
    decisions:
      - id: go
        prompt: Evacuate now?
        options:
          - {id: yes_now, label: Now, consequence: Roads fill.}
          - {id: wait, label: Wait, consequence: The storm comes closer.}
    next: [{goto: end}]
"""


def _write(tmp_path: Path, text: str = RELATIVE_YAML) -> Path:
    path = tmp_path / "relative.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_chain_of_afters_is_planned_from_the_first_fixed_minute(tmp_path: Path) -> None:
    exercise = load_exercise(_write(tmp_path))
    minutes = {i.id: i.at for i in exercise.moves[0].injects}
    assert minutes == {"warning": 3, "order": 8, "update": 12}
    move = exercise.moves[0]
    order = next(i for i in move.injects if i.id == "order")
    assert after_text(move, order) == "5 min after “Hurricane warning”"


def test_a_relative_inject_is_format_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _write(tmp_path, RELATIVE_YAML.replace("format: 2", "format: 1"))
    assert main(["validate", "--quiet", str(path)]) == 1
    out = capsys.readouterr().out
    assert "`after` in move 'one' › inject 'update' is a format-2 field" in out


def test_a_chain_past_the_move_end_is_warned_at_its_planned_minute(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _write(tmp_path, RELATIVE_YAML.replace("minutes: 4}", "minutes: 40}"))
    assert main(["validate", str(path)]) == 0
    out = capsys.readouterr().out
    assert "inject 'update' arrives at minute 48 of move 1" in out


@pytest.fixture
def session() -> Iterator[Session]:
    with playing(RELATIVE_YAML) as s:
        yield s


def test_the_console_lists_them_in_planned_order_saying_after_what(session: Session) -> None:
    from ttx.tui.widgets.panels import pending_injects, timeline

    assert [i.id for i in pending_injects(session.state)] == ["warning", "order", "update"]
    text = timeline(session.state).plain
    assert "· 8′ Evacuation order\n      5 min after “Hurricane warning”" in text
    session.apply(ReleaseInject(inject_id="warning"))
    session.apply(ReleaseInject(inject_id="order"))
    text = timeline(session.state).plain
    assert "✓ 8′ Evacuation order\n" in text and "5 min after “Hurricane warning”" not in text
    assert "· 12′ Shelters open\n      4 min after “Evacuation order”" in text


def test_printed_cards_and_the_guide_say_after_what(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert main(["handouts", str(_write(tmp_path)), "-o", str(out)]) == 0
    cards = _plain(text_of(out / "inject-cards.pdf"))  # the card's top line is in capitals
    assert _plain("minute 8 · 5 min after “Hurricane warning” — Move 1") in cards
    assert _plain("minute 12 · 4 min after “Evacuation order” — Move 1") in cards
    guide = _plain(text_of(out / "facilitator-guide.pdf"))
    assert _plain("minute 8 (5 min after “Hurricane warning”)") in guide


def _plain(text: str) -> str:
    return squash(text).lower().replace("“", '"').replace("”", '"')
