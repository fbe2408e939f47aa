"""Semantic checks of a structurally valid exercise (references, reachability, coverage)."""

from __future__ import annotations

from ttx.model.exercise import Exercise
from ttx.model.loader import Document
from ttx.model.problems import Problem


def semantic_problems(exercise: Exercise, doc: Document) -> list[Problem]:
    """Every semantic problem of the exercise, placed at its line in `doc`."""
    return []
