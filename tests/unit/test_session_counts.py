"""The finish screen and the report count a session with one function and the same words
(tests/tui/test_report.py checks that the two print the same line)."""

from __future__ import annotations

from pathlib import Path

from tests.report.sessions import demo_session
from ttx.session.counts import session_counts


def test_counts_cover_free_form_answers_and_every_category(demo_path: Path) -> None:
    from ttx.api import open_journal

    session_id = demo_session(demo_path)
    with open_journal() as journal:
        session = journal.read_session(session_id)
        state = session.state
        session.close()
    counts = session_counts(state)
    # Four answers in effect (one was corrected: five recorded in all); notes of each kind.
    assert (counts.answers, counts.corrections, counts.free_form) == (4, 1, 0)
    assert (counts.strengths, counts.improvements, counts.notes) == (1, 1, 0)
    assert counts.observations == 2
    assert counts.phrases()[2] == "4 team answers, 1 correction"
    assert "1 area for improvement" in counts.phrases()


def test_a_free_form_answer_counts_as_a_team_answer_and_adjudication_is_no_correction(
    demo_path: Path,
) -> None:
    from ttx.api import open_journal
    from ttx.session.actions import AdjudicateDecision, EnterMove, RecordDecision

    with open_journal() as journal:
        session = journal.create_session(demo_path)
        session.apply(EnterMove())
        session.apply(
            RecordDecision(
                decision_id="opening",
                team_id="us",
                free_text="Ask Congress first.",
                rationale="Checks and balances.",
            )
        )
        session.apply(AdjudicateDecision(decision_id="opening", team_id="us", option_id="partner"))
        state = session.state
        session.close()
    counts = session_counts(state)
    assert (counts.answers, counts.free_form, counts.corrections) == (1, 1, 0)
    assert counts.phrases()[2] == "1 team answer (1 free-form)"
