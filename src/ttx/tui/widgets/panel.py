"""A Static that skips redraws when its content has not changed (keeps key latency low)."""

from __future__ import annotations

from textual.content import Content
from textual.visual import VisualType
from textual.widgets import Static


class Panel(Static):
    """Redrawing the whole console after every event would re-lay out every column; this skips no-ops."""

    _last: VisualType | None = None

    def update(self, content: VisualType = "", *, layout: bool = True) -> None:
        """Update only when the text or its styles differ from what is shown."""
        last = self._last
        if isinstance(content, Content) and isinstance(last, Content):
            if content.is_same(last):
                return
        elif isinstance(content, str) and isinstance(last, str) and content == last:
            return
        self._last = content
        super().update(content, layout=layout)
