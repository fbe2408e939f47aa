"""The exercise format: typed models, safe loading, validation, participant views, schema."""

from ttx.model.exercise import END, FORMAT_VERSION, Exercise
from ttx.model.problems import ExerciseError, Problem
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
