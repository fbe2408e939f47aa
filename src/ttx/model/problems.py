"""Problems found in an exercise file, each with a place, what is wrong and how to fix it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from ttx.errors import Exit, TtxError

Severity = Literal["error", "warning"]


@dataclass(frozen=True, slots=True)
class Problem:
    """One problem: `file:line:column: message — fix`."""

    file: str
    line: int | None
    column: int | None
    message: str
    fix: str = ""
    severity: Severity = "error"

    def __str__(self) -> str:
        place = self.file
        if self.line is not None:
            place += f":{self.line}"
            if self.column is not None:
                place += f":{self.column}"
        text = f"{place}: {self.severity}: {self.message}"
        return f"{text} — {self.fix}" if self.fix else text


class ExerciseError(TtxError):
    """An exercise file could not be used; carries every problem found.

    `unusable` is True when the file could not be read as YAML text at all
    (missing, unreadable, binary, not UTF-8, too large): the exit code is then 2, else 1.
    """

    def __init__(self, problems: list[Problem], *, unusable: bool = False) -> None:
        self.problems = problems
        self.unusable = unusable
        self.exit_code = Exit.UNUSABLE if unusable else Exit.INVALID
        super().__init__("\n".join(str(p) for p in problems))
