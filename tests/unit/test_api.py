"""The public API end to end, as a script would use it, and the core's independence from textual."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from ttx.api import open_journal
from ttx.session.actions import (
    AddImprovementItem,
    AddNote,
    AnswerHotWash,
    EndSession,
    EnterMove,
    RateObjective,
    RecordDecision,
    ReleaseInject,
)
from ttx.session.clock import FakeClock


def test_a_whole_demo_session_through_the_api(demo_path: Path) -> None:
    clock = FakeClock()
    with open_journal() as journal:
        session = journal.create_session(demo_path, clock=clock, facilitator="Dr. Ruiz")
        assert session.state.status == "setup" and not session.can_undo
        session.apply(EnterMove())
        assert [p.inject.id for p in session.pending_injects()] == ["offer_cable", "leak_warning"]
        session.apply(ReleaseInject(inject_id="offer_cable"))
        clock.advance(60)
        session.apply(ReleaseInject(inject_id="leak_warning"))
        session.apply(
            RecordDecision(decision_id="opening", team_id="us", option_id="partner", rationale="r")
        )
        session.apply(
            RecordDecision(
                decision_id="posture", team_id="mexico", option_id="intel_only", rationale="r"
            )
        )
        preview = session.branch_preview()
        assert preview is not None and preview.target == "working" and preview.rule_index == 1
        clock.advance(120)
        session.apply(EnterMove())
        # The conditional inject goes to Mexico because Mexico chose intelligence only.
        pending = {p.inject.id: p.to for p in session.pending_injects()}
        assert pending == {"first_arrests": ("us", "mexico"), "thin_cooperation": ("mexico",)}
        session.apply(
            AddNote(
                text="US named an end state",
                category="strength",
                team_id="us",
                objective_id="end_state",
            )
        )
        session.apply(EnterMove())
        session.apply(AnswerHotWash(text="Pressure would have cost trust.", question_index=0))
        session.apply(
            RateObjective(
                objective_id="end_state",
                rating="Performed without challenges",
                evidence="Stated in move 1",
            )
        )
        session.apply(
            AddImprovementItem(
                issue="Partner vetting",
                corrective_action="Brief it",
                responsible="Instructor",
                due="2027-01-15",
            )
        )
        state = session.apply(EndSession())
        session.close()
        assert state.status == "ended" and state.facilitator == "Dr. Ruiz"
        assert [v.move_id for v in state.path] == ["offer", "working"]
        assert state.tracks["trust"].value == 4
        assert state.ended_at == clock.now()
        info = journal.sessions()[0]
        assert (info.id, info.status, info.events) == (state.id, "ended", state.last_seq)
        assert any("Moves ended" in line.text for line in state.timeline)


def test_apply_is_fast_and_durable(demo_path: Path) -> None:
    with open_journal() as journal, journal.create_session(demo_path) as session:
        session.apply(EnterMove())
        start = time.perf_counter()
        for n in range(100):
            session.apply(AddNote(text=f"note {n}"))
        per_apply = (time.perf_counter() - start) / 100
        assert per_apply < 0.05, f"{per_apply * 1000:.1f} ms per apply"
    with open_journal() as journal:
        assert len(journal.read_session().state.notes) == 100


def test_the_core_never_imports_textual() -> None:
    code = (
        "import sys, ttx.api, ttx.session.engine, ttx.report.decision_log, ttx.commands.sessions, "
        "ttx.commands.export; print('textual' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
