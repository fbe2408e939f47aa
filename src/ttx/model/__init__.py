"""The exercise format: typed models, safe loading, validation, participant views, schema.

`check_file` and `load_exercise` (and with them the YAML reader) are imported on first
use, so code that only needs the models — reopening a stored session — does not load them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ttx.model.exercise import END, FORMAT_VERSION, Exercise
from ttx.model.problems import ExerciseError, Problem

if TYPE_CHECKING:
    from ttx.model.validate import check_file, load_exercise

__all__ = [
    "END",
    "FORMAT_VERSION",
    "Exercise",
    "ExerciseError",
    "Problem",
    "check_file",
    "load_exercise",
]


def __getattr__(name: str) -> Any:
    """`check_file` and `load_exercise`, imported from `ttx.model.validate` when first asked for."""
    if name in {"check_file", "load_exercise"}:
        from ttx.model import validate

        return getattr(validate, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
