"""Small things a reader of the review's documents saw said twice or said wrong: a ruling the
outcome already names, the teams a decision leaves out, whose date the report's header shows,
the red cell on the students' feedback form, a question group's teams on every question."""

from __future__ import annotations

import re

import pytest

from tests.report.conftest import FLAGSHIP
from tests.report.sessions import full_session
from ttx.model.validate import load_exercise
from ttx.report.handouts import handout_set

pytestmark = pytest.mark.slow


def _flagship_report_context() -> dict[str, object]:
    from ttx.api import open_journal
    from ttx.report.aar import report_context

    session_id = full_session(FLAGSHIP)
    with open_journal(read_only=True) as journal:
        session = journal.read_session(session_id)
        try:
            return report_context(session.state)
        finally:
            session.close()


def test_a_report_says_a_ruling_and_the_teams_left_out_once_and_dates_the_session() -> None:
    context = _flagship_report_context()
    columns = [c for m in context["moves"] if m["matrix"] for c in m["matrix"]["columns"]]  # type: ignore[attr-defined]
    ruled = [c for c in columns if re.search(r"\(by (ruling|facilitator)\)", c["outcome"])]
    assert ruled, "the played flagship should hold a ruling"
    assert all(c["ruling"] is None for c in ruled)
    for move in context["moves"]:  # type: ignore[attr-defined]
        matrix = move["matrix"]
        if matrix and matrix["idle"]:
            said = "every team but " + ", ".join(matrix["idle"])
            assert not all(c["asks"] == said for c in matrix["columns"]), move["title"]
    assert re.search(r" · session \d{4}-\d\d-\d\d$", context["meta"]["head_left"])  # type: ignore[index]


def test_the_feedback_form_names_the_student_teams_and_grouped_questions_name_theirs_once() -> None:
    exercise = load_exercise(FLAGSHIP)
    docs = {d.filename: d for d in handout_set(exercise)}
    form = docs["feedback-form.pdf"].html("letter")
    teams_line = form[form.index("Teams: ") : form.index("</p>", form.index("Teams: "))]
    for team in exercise.teams:
        assert (team.name in teams_line) == (team.played_by == "students"), team.name
    sitman = docs["situation-manual.pdf"].html("letter")
    groups = sitman.split('<h4 class="q-group">')[1:]
    assert len(groups) > 1, "the flagship's questions should be grouped by team"
    for group in groups:
        questions = group.split("</ol>", 1)[0]
        assert "For " not in re.sub(r"<[^>]+>", "", questions.split("</h4>", 1)[1]), group[:60]
