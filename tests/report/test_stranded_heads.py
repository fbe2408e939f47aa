"""No head left at a page's foot: a heading, or a line styled to stay with what follows
(a decision's question, the synopsis's introduction), never ends a page other than the last.

Read from WeasyPrint's laid-out pages (`tests.report.layoutcheck`), since the text read back
from a PDF cannot tell a heading from a line.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.report.conftest import DEMO, FLAGSHIP, TOOLBOX
from tests.report.layoutcheck import stranded_heads
from tests.report.sessions import full_session, generated_exercise
from ttx.model.validate import load_exercise
from ttx.report.handouts import handout_set

pytestmark = pytest.mark.slow


def test_the_check_sees_a_stranded_head() -> None:
    html = (
        '<html lang="en"><head><title>t</title></head><body><p>Intro</p><h2>Left behind</h2>'
        '<p style="break-before: page">Overleaf</p><h2>Kept</h2><p>Text</p></body></html>'
    )
    assert stranded_heads(html) == [(1, "Left behind")]


@pytest.mark.parametrize("exercise", [DEMO, FLAGSHIP, TOOLBOX], ids=lambda p: p.stem)
def test_no_head_ends_a_page_of_the_shipped_handouts(exercise: Path) -> None:
    found = {
        doc.filename: heads
        for doc in handout_set(load_exercise(exercise))
        if (heads := stranded_heads(doc.html("letter")))
    }
    assert found == {}


def test_a_long_team_list_keeps_the_feedback_forms_last_question_with_its_lines(
    tmp_path: Path,
) -> None:
    """Twenty teams' names push the form's last question to the page's foot."""
    exercise = load_exercise(generated_exercise(tmp_path / "gen.yaml", 20))
    form = next(d for d in handout_set(exercise) if d.filename == "feedback-form.pdf")
    assert stranded_heads(form.html("letter")) == []


@pytest.mark.parametrize("teams", [0, 6])
def test_no_head_ends_a_page_of_a_report(teams: int, tmp_path: Path) -> None:
    """The played flagship (teams=0), and a generated six-team session."""
    from ttx.api import open_journal
    from ttx.report.aar import report_html

    path = FLAGSHIP if not teams else generated_exercise(tmp_path / "gen.yaml", teams)
    session_id = full_session(path)
    with open_journal(read_only=True) as journal:
        session = journal.read_session(session_id)
        try:
            html = report_html(session.state)
        finally:
            session.close()
    assert stranded_heads(html) == []
