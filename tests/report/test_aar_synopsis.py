"""The synopsis and charts of the after-action report: local time, reasons, downtime, and a long session summarised."""

from __future__ import annotations

from pathlib import Path
from typing import cast
from zoneinfo import ZoneInfo

import pytest

from ttx.report.charts import Boundary, Series, step_chart
from ttx.session.events import NoteCategory


def test_a_chart_of_thousands_of_changes_and_pauses_stays_small() -> None:
    points = [(float(i) / 10, 3 + (i % 2)) for i in range(5000)]
    pauses = [(i / 10 + 0.01, i / 10 + 0.05) for i in range(5000)]
    chart = step_chart(
        Series("Trust", 0, 5, [(0.0, 3), *points, (600.0, 1)]),
        minutes=600,
        pauses=pauses,
        boundaries=[Boundary(0, "Move 1"), Boundary(300, "Move 2")],
        label="Trust over the session",
    )
    assert len(chart) < 60_000
    assert chart.count("<rect") < 20 and "<circle" not in chart
    assert chart.count("stroke-dasharray") == 2 and ">Move 2<" in chart
    # The line still ends at the last value, and the axis reads in hours past four hours.
    assert (
        chart.split('d="', 1)[1].split('"', 1)[0].endswith(",106.8")
    )  # y of value 1: 128 - 106 / 5
    assert ">10 h<" in chart


def test_a_move_with_many_routine_events_lists_forty_and_counts_the_rest(demo_path: Path) -> None:
    from ttx.api import open_journal
    from ttx.report.aar import report_context
    from ttx.report.aar_synopsis import ROUTINE_SHOWN
    from ttx.session.actions import EnterMove, PauseClock, ResumeClock

    with open_journal() as journal:
        session = journal.create_session(demo_path)
        session.apply(EnterMove())
        for _ in range(ROUTINE_SHOWN + 25):
            session.apply(PauseClock(reason="a question"))
            session.apply(ResumeClock())
        state = session.state
        session.close()
    move = report_context(state)["moves"][0]
    assert len(move["lines"]) == ROUTINE_SHOWN
    assert move["omitted"].startswith("Not listed here: 25 pauses")


def test_synopsis_is_in_local_time_with_the_zone_and_says_how_long_the_app_was_closed(
    demo_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import time

    from ttx.api import open_journal
    from ttx.report.aar import report_context
    from ttx.session.actions import (
        ChangeTrack,
        EnterMove,
        PauseClock,
        RecordDecision,
        ResumeClock,
    )
    from ttx.session.clock import FakeClock

    clock = FakeClock()
    with open_journal() as journal:
        session = journal.create_session(demo_path, clock=clock)
        session_id = session.id
        session.apply(EnterMove())
        session.apply(ChangeTrack(track_id="trust", value=5, reason="the room agreed " * 20))
        session.apply(  # its effect, +1 trust, has no room left: 5 → 5
            RecordDecision(
                decision_id="opening", team_id="us", option_id="partner", rationale="Trust."
            )
        )
        session.close()
    clock.advance(3 * 3600 + 120)
    with open_journal() as journal:
        session = journal.open_session(session_id, clock=clock)
        session.apply(PauseClock(reason="lunch"))
        clock.advance(600)
        session.apply(ResumeClock())
        state = session.state
        session.close()
    # The zone the facilitator names (`tabletop report --tz`), whatever the machine's.
    context = report_context(state, ZoneInfo("America/Mexico_City"))
    assert context["session"]["zone"] == "America/Mexico_City, UTC-6"
    assert context["session"]["when"] == "2026-01-01, 03:00–06:12 CST (America/Mexico_City, UTC-6)"
    lines = [(line["time"], line["text"], line["reason"]) for line in context["moves"][0]["lines"]]
    texts = [text for _, text, _ in lines]
    assert "Session reopened after 3 h 02 min closed" in texts
    assert ("06:02 CST", "Clock paused for 10 min 00 s", "lunch") in lines
    assert not any("5 → 5" in text for text in texts)  # a change that changed nothing
    assert (
        "03:00 CST",
        "Partner trust 3 → 5, set by the facilitator",
        ("the room agreed " * 20).strip(),
    ) in [(t, x, r.strip()) for t, x, r in lines]
    # Without one, the machine's zone, named the same way; a zone whose abbreviation is a
    # number prints its offset.
    for tz, zone, paused in (
        ("America/Mexico_City", "UTC-6", "06:02 CST"),
        ("Asia/Kolkata", "UTC+5:30", "17:32 IST"),
        ("Asia/Dubai", "UTC+4", "16:02 UTC+4"),
    ):
        monkeypatch.setenv("TZ", tz)
        time.tzset()
        try:
            context = report_context(state)
        finally:
            monkeypatch.undo()
            time.tzset()
        assert context["session"]["zone"] == zone
        assert paused in [line["time"] for line in context["moves"][0]["lines"]]


def test_an_undone_action_prints_once_where_it_happened(demo_path: Path, tmp_path: Path) -> None:
    from ttx.api import open_journal
    from ttx.report.aar import report_html
    from ttx.session.actions import AddNote, EnterMove, Undo

    with open_journal() as journal:
        session = journal.create_session(demo_path)
        session.apply(EnterMove())
        session.apply(AddNote(text="A note typed in the wrong session.", category="note"))
        session.apply(Undo())
        state = session.state
        session.close()
    html = report_html(state)
    assert html.count("Undone: ") == 1
    assert "A note typed in the wrong session." not in html.split("Undone: ", 1)[0]
    assert "action " not in html.split("Undone: ", 1)[1].split("<", 1)[0].lower()


def test_key_strengths_come_from_the_best_rated_objectives_and_areas_from_the_worst(
    demo_path: Path,
) -> None:
    from tests.report.sessions import demo_session
    from ttx.api import open_journal
    from ttx.report.aar import report_context
    from ttx.session.actions import AddNote

    session_id = demo_session(demo_path)  # end_state: some challenges; partner: none
    with open_journal() as journal:
        session = journal.open_session(session_id)
        for text, category, objective in (
            ("Unlinked strength.", "strength", None),
            ("Partner strength.", "strength", "partner"),
            ("Unlinked gap.", "improvement", None),
            ("End-state gap.", "improvement", "end_state"),
        ):
            session.apply(
                AddNote(text=text, category=cast(NoteCategory, category), objective_id=objective)
            )
        state = session.state
        session.close()
    summary = report_context(state)["summary"]
    assert [(s["title"], s["objective"]) for s in summary["strengths"]] == [
        ("Partner strength.", 2),
        ("The US team named a measurable end state before choosing.", 1),
        ("Unlinked strength.", None),
    ]
    assert [s["title"] for s in summary["improvements"]] == [
        "End-state gap.",
        "Mexico's team did not plan for retaliation at home.",
        "Unlinked gap.",
    ]


def test_a_notes_corrections_and_analysis_print_once_in_its_analysis_not_in_the_synopsis(
    demo_path: Path,
) -> None:
    """The analysis section prints a note's latest text and analysis; the synopsis listed
    each correction and analysis again, as "Analysis: …" lines that named no note."""
    from ttx.api import open_journal
    from ttx.report.aar import report_html
    from ttx.session.actions import AddNote, AnalyseNote, CorrectNote, EnterMove

    with open_journal() as journal:
        session = journal.create_session(demo_path)
        session.apply(EnterMove())
        session.apply(AddNote(text="The cell waited for orders.", category="improvement"))
        seq = session.state.notes[-1].seq
        session.apply(CorrectNote(note_seq=seq, text="The cell waited for written orders."))
        session.apply(AnalyseNote(note_seq=seq, analysis="No one owned the first call."))
        state = session.state
        session.close()
    html = report_html(state)
    assert html.count("No one owned the first call.") == 1
    synopsis = html.split("Exercise synopsis and decisions", 1)[1].split("State tracks", 1)[0]
    assert "Analysis:" not in synopsis and "Note corrected" not in synopsis
