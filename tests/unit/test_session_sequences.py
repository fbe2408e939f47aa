"""The shared history views read like the tuples they replace, and never grow after they are taken."""

from __future__ import annotations

import pytest

from ttx.session.sequences import Frozen, Lazy


def test_a_frozen_view_keeps_its_length_while_the_list_grows() -> None:
    items = [1, 2, 3]
    view = Frozen(items, tail=(9,))
    items.extend([4, 5])
    assert len(view) == 4
    assert list(view) == [1, 2, 3, 9]
    assert view == (1, 2, 3, 9)
    assert view != (1, 2, 3, 4)
    assert view[0] == 1 and view[-1] == 9 and view[-2] == 3
    assert view[1:] == (2, 3, 9) and view[::-1] == (9, 3, 2, 1) and view[-2:] == (3, 9)
    assert list(reversed(view)) == [9, 3, 2, 1]
    assert 9 in view and 4 not in view
    assert view.index(3) == 2 and view.count(2) == 1
    assert view + (7,) == (1, 2, 3, 9, 7) and (0,) + view == (0, 1, 2, 3, 9)  # noqa: RUF005
    assert hash(view) == hash((1, 2, 3, 9))
    assert repr(view) == "(1, 2, 3, 9)"
    assert Frozen(items) == Frozen([1, 2, 3, 4, 5])
    assert not Frozen([]) and Frozen([]) == ()
    with pytest.raises(IndexError):
        view[4]
    with pytest.raises(IndexError):
        view[-5]


def test_a_lazy_view_makes_each_item_once_and_only_when_read() -> None:
    made: list[int] = []

    def make(source: int) -> str:
        made.append(source)
        return f"#{source}"

    sources, cache = [1, 2, 3], {}  # type: ignore[var-annotated]
    view = Lazy(sources, make, cache)
    sources.append(4)
    assert made == []
    assert view[-1] == "#3" and made == [3]
    later = Lazy(sources, make, cache)
    assert list(later) == ["#1", "#2", "#3", "#4"] and made == [3, 1, 2, 4]
    assert view == ("#1", "#2", "#3") and len(view) == 3
    assert list(reversed(view)) == ["#3", "#2", "#1"]
    assert view[:2] == ("#1", "#2") and view[::2] == ("#1", "#3")
    assert made == [3, 1, 2, 4]  # nothing made twice
    with pytest.raises(IndexError):
        view[3]
