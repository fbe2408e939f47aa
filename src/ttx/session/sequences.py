"""Read-only views of append-only lists, so a state snapshot shares its history instead of copying it.

The replay builder only ever appends to its history lists; a snapshot takes a
`Frozen` view of each: the list itself (not a copy) and its length at that moment.
Later appends never show through an earlier view, so a `SessionState` someone holds
never changes, and taking a snapshot costs the same at 10 or 100,000 events. A view
reads like the tuple it replaces: `len`, indexing, slicing (which returns a tuple),
iteration, `reversed`, `in`, and `==` with a tuple or another view.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar, overload

T = TypeVar("T")
R = TypeVar("R")
S = TypeVar("S")

__all__ = ["Frozen", "Lazy"]


class _TupleLike(Sequence[T]):
    """What both views share with a tuple: equality, hashing, `+` and `repr`."""

    __slots__ = ()

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, (tuple, _TupleLike)):
            return NotImplemented
        return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))

    def __hash__(self) -> int:
        return hash(tuple(self))

    def __add__(self, other: Sequence[T]) -> tuple[T, ...]:
        return (*self, *other)

    def __radd__(self, other: Sequence[T]) -> tuple[T, ...]:
        return (*other, *self)

    def __repr__(self) -> str:
        return repr(tuple(self))


class Frozen(_TupleLike[T]):
    """The first `n` items of a list that is only appended to, then `tail` (items not in it yet)."""

    __slots__ = ("_items", "_n", "_tail")

    def __init__(self, items: list[T], tail: tuple[T, ...] = ()) -> None:
        self._items = items
        self._n = len(items)
        self._tail = tail

    def __len__(self) -> int:
        return self._n + len(self._tail)

    @overload
    def __getitem__(self, index: int) -> T: ...

    @overload
    def __getitem__(self, index: slice) -> tuple[T, ...]: ...

    def __getitem__(self, index: int | slice) -> T | tuple[T, ...]:
        if isinstance(index, slice):
            return tuple(self[i] for i in range(*index.indices(len(self))))
        size = len(self)
        if index < 0:
            index += size
        if not 0 <= index < size:
            raise IndexError("index out of range")
        return self._items[index] if index < self._n else self._tail[index - self._n]

    def __iter__(self) -> Iterator[T]:
        return itertools.chain(itertools.islice(self._items, self._n), self._tail)

    def __reversed__(self) -> Iterator[T]:
        items = self._items
        return itertools.chain(reversed(self._tail), (items[i] for i in range(self._n - 1, -1, -1)))


class Lazy(_TupleLike[R]):
    """A read-only view that makes each item from an append-only list of sources on first read.

    `make(source)` must give the same item every time for the same source; made items
    are kept in `made`, shared by every view of the same list (an item at an index never
    changes, since the sources are only appended to).
    """

    __slots__ = ("_made", "_make", "_n", "_sources")

    def __init__(self, sources: list[S], make: Callable[[S], R], made: dict[int, R]) -> None:
        self._sources: list[Any] = sources
        self._n = len(sources)
        self._make: Callable[[Any], R] = make
        self._made = made

    def __len__(self) -> int:
        return self._n

    def _item(self, index: int) -> R:
        made = self._made.get(index)
        if made is None:
            made = self._make(self._sources[index])
            self._made[index] = made
        return made

    @overload
    def __getitem__(self, index: int) -> R: ...

    @overload
    def __getitem__(self, index: slice) -> tuple[R, ...]: ...

    def __getitem__(self, index: int | slice) -> R | tuple[R, ...]:
        if isinstance(index, slice):
            return tuple(self._item(i) for i in range(*index.indices(self._n)))
        if index < 0:
            index += self._n
        if not 0 <= index < self._n:
            raise IndexError("index out of range")
        return self._item(index)

    def __iter__(self) -> Iterator[R]:
        return (self._item(i) for i in range(self._n))

    def __reversed__(self) -> Iterator[R]:
        return (self._item(i) for i in range(self._n - 1, -1, -1))
