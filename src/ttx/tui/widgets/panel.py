"""A Static that skips unchanged redraws and re-lays out the screen only when its size changes."""

from __future__ import annotations

from textual.content import Content
from textual.visual import VisualType
from textual.widget import Widget
from textual.widgets import Static


class Panel(Static):
    """Redrawing the console after every event must not re-lay out every column for nothing.

    Textual re-lays out the whole screen (every widget, twice when one resizes) whenever a
    widget's content is updated with `layout=True`. A panel asks for that only when its new
    content needs a different size; otherwise only the panel itself is repainted.
    """

    _last: VisualType | None = None

    def __init__(
        self,
        content: VisualType = "",
        *,
        markup: bool = True,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(content, markup=markup, id=id, classes=classes)
        self._last = content

    def update(self, content: VisualType = "", *, layout: bool = True) -> None:
        """Update only when the text or its styles differ from what is shown."""
        last = self._last
        if isinstance(content, Content) and isinstance(last, Content):
            if content.is_same(last):
                return
        elif isinstance(content, str) and isinstance(last, str) and content == last:
            return
        self._last = content
        super().update(content, layout=False)
        if layout and not self._same_size():
            self.refresh(layout=True)

    def _same_size(self) -> bool:
        """True when the current content fits exactly the size the panel has now.

        Only the auto dimensions depend on the content; a fixed or fractional width or
        height does not. Anything not laid out yet, or clamped, counts as a change. (A layout
        already pending happens anyway, whatever this says.)
        """
        if not self.is_mounted or not self.display:
            return False
        size = self.content_size
        if not size.width or not size.height:
            return False
        styles = self.styles
        parent = self.parent
        outer = parent.content_size if isinstance(parent, Widget) else self.app.size
        container = outer - styles.gutter.totals - styles.margin.totals
        viewport = self.app.size
        auto_width = styles.width is not None and styles.width.is_auto
        if auto_width and self.get_content_width(container, viewport) != size.width:
            return False
        auto_height = styles.height is not None and styles.height.is_auto
        return not (
            auto_height and self.get_content_height(container, viewport, size.width) != size.height
        )


def show_optional(widget: Static, content: VisualType) -> None:
    """Show `content` in `widget`, hidden while there is none (a dialog's optional line)."""
    widget.update(content)
    widget.display = bool(content)
