"""Moves grouped into stages (branch alternatives share one) and the numbers printed for them.

One numbering serves the console, the handouts and the report: a move's own
`number` when the author gave one, else its stage counted from 1, with A, B, …
for alternatives that share a stage (the demo: 1, 2A, 2B).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from string import ascii_uppercase
from typing import Protocol

from ttx.model.fields import END
from ttx.model.moves import Move


class Storyline(Protocol):
    """What numbering needs of an exercise: its moves, in file order."""

    @property
    def moves(self) -> Sequence[Move]: ...


def default_next(moves: Sequence[Move], move_id: str) -> str:
    """Where a move goes when no branch rule applies: the next non-branch-only move, or end."""
    ids = [m.id for m in moves]
    for move in moves[ids.index(move_id) + 1 :]:
        if not move.branch_only:
            return move.id
    return END


def successors(exercise: Storyline, move: Move) -> list[str]:
    """The moves (or `end`) a move can lead to, in rule order."""
    if move.has_rules():
        out: list[str] = []
        for rule in move.rules():
            if rule.goto not in out:
                out.append(rule.goto)
        if not move.next:  # only options' `goto`s: no option chosen goes on in file order
            fallback = default_next(exercise.moves, move.id)
            if fallback not in out:
                out.append(fallback)
        return out
    return [default_next(exercise.moves, move.id)]


def stages(exercise: Storyline) -> list[list[Move]]:
    """Moves grouped by the longest path that leads to them from the start (the start is first).

    A move every branch comes back to (a convergence point) so gets its own stage
    after the branch alternatives, whichever shortcut could also reach it. Moves
    that lead back to an earlier one (a loop) do not push it later. Only the
    structure is used (which move can follow which), never its conditions; moves
    no path reaches come last, one stage each.
    """
    by_id: dict[str, Move] = {}
    for move in exercise.moves:
        by_id.setdefault(move.id, move)
    fallback = _default_next(exercise)

    def targets(move_id: str) -> list[str]:
        move = by_id[move_id]
        found = successors(exercise, move) if move.has_rules() else [fallback[move_id]]
        return [t for t in found if t != END and t in by_id]

    order = _forward_order(exercise.moves[0].id, targets)
    position = {move_id: index for index, move_id in enumerate(order)}
    depth = dict.fromkeys(order, 0)
    for move_id in order:
        for target in targets(move_id):
            if position[target] > position[move_id]:  # a loop back never moves a stage
                depth[target] = max(depth[target], depth[move_id] + 1)
    grouped: dict[int, list[Move]] = {}
    for move in exercise.moves:
        if move.id in depth:
            grouped.setdefault(depth[move.id], []).append(move)
    result = [grouped[k] for k in sorted(grouped)]
    result.extend([m] for m in exercise.moves if m.id not in depth)
    return result


def _forward_order(start: str, targets: Callable[[str], list[str]]) -> list[str]:
    """The moves reachable from `start`, each after every move that leads to it except by a loop.

    A reverse post-order of a depth-first walk: an edge to a move still on the
    walk's path is a loop back, and the only kind of edge that points backwards.
    """
    finished: list[str] = []
    seen = {start}
    stack: list[tuple[str, Iterator[str]]] = [(start, iter(targets(start)))]
    while stack:
        move_id, pending = stack[-1]
        target = next(pending, None)
        if target is None:
            stack.pop()
            finished.append(move_id)
        elif target not in seen:
            seen.add(target)
            stack.append((target, iter(targets(target))))
    finished.reverse()
    return finished


def _default_next(exercise: Storyline) -> dict[str, str]:
    """Every move's default next move (`default_next`), computed in one pass."""
    found: dict[str, str] = {}
    following = END
    for move in reversed(exercise.moves):
        found[move.id] = following  # the first of duplicate ids wins, as in default_next
        if not move.branch_only:
            following = move.id
    return found


def move_numbers(exercise: Storyline) -> dict[str, str]:
    """The printed number of every move, by id (an Exercise keeps it: `Exercise.move_numbers`)."""
    numbers: dict[str, str] = {}
    for index, stage in enumerate(stages(exercise), 1):
        for letter, move in enumerate(stage):
            if move.number:
                numbers[move.id] = move.number
            elif len(stage) == 1:
                numbers[move.id] = str(index)
            else:
                numbers[move.id] = f"{index}{ascii_uppercase[letter % 26]}"
    return numbers


class Numbered(Protocol):
    """An exercise that knows its moves' printed numbers (`Exercise.move_number`)."""

    def move_number(self, move_id: str) -> str: ...


def stage_number(exercise: Numbered, stage: list[Move], index: int) -> str:
    """The number of a whole stage: its move's number, or what its alternatives share (3A, 3B → 3)."""
    labels = [exercise.move_number(m.id) for m in stage]
    if len(labels) == 1:
        return labels[0]
    shared = labels[0]
    for label in labels[1:]:
        while not label.startswith(shared):
            shared = shared[:-1]
    shared = re.sub(r"[^0-9]+$", "", shared)
    return shared or str(index)
