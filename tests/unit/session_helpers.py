"""One way for the unit tests to play an exercise written inline."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import yaml

from ttx.api import Session, open_journal
from ttx.model.exercise import Exercise
from ttx.session.actions import EnterMove
from ttx.session.clock import FakeClock


@contextmanager
def playing(text: str) -> Iterator[Session]:
    """A session of the exercise in `text` (YAML), already in its first move."""
    with open_journal() as journal:
        exercise = Exercise.model_validate(yaml.safe_load(text))
        session = journal.create_session(exercise, clock=FakeClock())
        session.apply(EnterMove())
        try:
            yield session
        finally:
            session.close()
