"""A long session's report summarises instead of printing a line per event."""

from __future__ import annotations

from pathlib import Path

from ttx.report.charts import Boundary, Series, step_chart


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
    from ttx.session.commands import EnterMove, PauseClock, ResumeClock

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
