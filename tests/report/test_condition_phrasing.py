"""The console and the printed facilitator guide phrase a condition identically (`ttx.vocabulary`)."""

from __future__ import annotations

import re
from pathlib import Path

from textual.widgets import OptionList

from tests.report.pdfcheck import text_of
from ttx.api import open_journal
from ttx.model import load_exercise
from ttx.session import actions as cmd
from ttx.session.clock import FakeClock
from ttx.tui.app import make_app
from ttx.vocabulary import condition_text

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "exercises" / "demo.yaml"


async def test_console_and_guide_phrase_a_condition_alike(
    demo_handouts: Path, tmp_path: Path
) -> None:
    exercise = load_exercise(DEMO)
    move = next(m for m in exercise.moves if any(i.when for i in m.injects))
    inject = next(i for i in move.injects if i.when)
    assert inject.when is not None
    phrase = condition_text(exercise, inject.when)
    journal_path = tmp_path / "journal.sqlite3"
    with open_journal(journal_path) as journal:
        session = journal.create_session(DEMO)
        session.apply(cmd.EnterMove())
        session.apply(cmd.EnterMove(move_id=move.id, reason="test"))
        session.close()
    app = make_app(journal_path, FakeClock(), start="resume", blink=False, animate=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("i")  # release which inject? conditional ones say their condition
        for _ in range(50):
            await pilot.pause()
            if type(app.screen).__name__ == "ChoiceDialog":
                break
        options = app.screen.query_one(OptionList)
        console = " ".join(
            str(options.get_option_at_index(i).prompt) for i in range(options.option_count)
        )
    assert phrase in console
    guide = next(p for p in demo_handouts.glob("*.pdf") if "guide" in p.name.lower())
    assert " ".join(phrase.split()).replace("“", '"').replace("”", '"') in text_of(guide)


def test_printed_conditions_keep_options_and_clauses_apart(
    shipped_handouts: list[Path],
) -> None:
    flagship = next(f for f in shipped_handouts if f.name == "across-the-line")
    cards = text_of(flagship / "inject-cards.pdf")
    guide = text_of(flagship / "facilitator-guide.pdf")
    # one decision's options are a list; "or" only ever joins whole clauses ("either …; or …")
    assert re.search(r'" or "', cards + guide) is None
    assert (
        'Deal only if "How does the United States open?" is one of '
        '"Leverage through tariffs and aid", "Dual track"' in cards
    )
    assert 'either "What course of action does the NSC recommend to the…" is' in guide
    # `not` turns its clause around instead of standing before it
    assert "only if not " not in cards + guide
    assert '"How do the networks respond to the quarter\'s pressure?" is not "Retaliate' in cards
