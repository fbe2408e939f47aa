"""One error hierarchy: ttx's own errors are `TtxError`s carrying docs/cli.md's exit codes."""

from __future__ import annotations

import pytest

from ttx.commands.outputs import OutputRefused
from ttx.errors import Exit, TtxError, UnusableInput
from ttx.importers.common import ImportError_
from ttx.model.problems import ExerciseError, Problem
from ttx.paths import ExerciseNotFound
from ttx.report.aar_timeline import UnknownZone
from ttx.report.render import RenderError
from ttx.session.actions import CommandError
from ttx.store.errors import (
    JournalCorrupt,
    JournalError,
    JournalUnwritable,
    ReadOnlySession,
    SessionDamaged,
    SessionExists,
    SessionLocked,
    SessionNotFound,
)


@pytest.mark.parametrize(
    ("error", "code"),
    [
        (JournalError("x"), Exit.INVALID),
        (SessionExists("x"), Exit.INVALID),
        (SessionLocked("x", pid=1, host="h"), Exit.INVALID),
        (JournalUnwritable("x"), Exit.INVALID),
        (ReadOnlySession("x"), Exit.INVALID),
        (SessionNotFound("x"), Exit.UNUSABLE),
        (JournalCorrupt("x"), Exit.UNUSABLE),
        (SessionDamaged("x", session_id="s", first_bad=None), Exit.UNUSABLE),
        (CommandError("x"), Exit.INVALID),
        (RenderError("x"), Exit.INVALID),
        (OutputRefused("x"), Exit.INVALID),
        (UnusableInput("x"), Exit.UNUSABLE),
        (ExerciseNotFound("x"), Exit.UNUSABLE),
        (ImportError_("x"), Exit.UNUSABLE),
        (UnknownZone("x"), Exit.UNUSABLE),
    ],
)
def test_each_error_is_a_ttx_error_with_its_exit_code(error: TtxError, code: Exit) -> None:
    assert isinstance(error, TtxError)
    assert error.exit_code == code
    assert str(error) == "x"  # the message is the user's, untouched


def test_an_exercise_error_exits_2_only_when_the_file_is_unusable() -> None:
    problem = Problem("a.yaml", 1, 1, "broken")
    assert ExerciseError([problem]).exit_code == Exit.INVALID
    assert ExerciseError([problem], unusable=True).exit_code == Exit.UNUSABLE
    assert str(ExerciseError([problem])) == str(problem)


def test_a_command_error_is_still_a_value_error() -> None:
    with pytest.raises(ValueError, match="no such move"):
        raise CommandError("no such move")
