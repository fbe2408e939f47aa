"""Markdown drawn as one widget (paragraphs, lists, emphasis), and hidden in place without moving anything.

Textual's `Markdown` widget mounts a widget per paragraph and list item, so changing,
showing or hiding it re-lays out the whole screen, often several times. The console's
Markdown (an inject's text, the facilitator's notes) is short; drawn here as lines of one
widget, a new inject is one re-layout and hiding the notes a repaint of blank lines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import cache, lru_cache
from typing import TYPE_CHECKING

from textual.content import Content, Span
from textual.geometry import Size
from textual.widget import Widget

from ttx.tui.text import clean
from ttx.tui.widgets.panel import Panel

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

INLINE_STYLES = {
    "strong_open": "bold",
    "em_open": "italic",
    "s_open": "strike",
    "link_open": "underline",
}
BULLET_STYLE = "$text-primary"
HEADING_STYLE = "bold $text-primary"
CODE_STYLE = "$text-muted"


@dataclass(frozen=True)
class Block:
    """A paragraph, list item or heading: its text, and what goes before its first and later lines."""

    text: Content
    first: Content
    rest: str
    gap: int = 1
    """Blank lines after it."""


@cache
def _parser() -> MarkdownIt:
    from markdown_it import MarkdownIt

    return MarkdownIt("gfm-like")


def inline(token: Token) -> Content:
    """An inline token's text with bold, italic, strike-through, code and link text styled.

    Links show their text only (no action): notes come from exercise files.
    """
    parts: list[str] = []
    spans: list[Span] = []
    stack: list[tuple[str, int]] = []
    position = 0

    def add(text: str) -> None:
        nonlocal position
        text = clean(text)
        parts.append(text)
        position += len(text)

    for child in token.children or []:
        kind = child.type
        if kind == "text":
            add(re.sub(r"\s+", " ", child.content))
        elif kind == "softbreak":
            add(" ")
        elif kind == "hardbreak":
            parts.append("\n")
            position += 1
        elif kind == "code_inline":
            start = position
            add(child.content)
            spans.append(Span(start, position, CODE_STYLE))
        elif kind == "image":
            add(child.attrs.get("alt", "") or child.content)  # type: ignore[arg-type]
        elif kind in INLINE_STYLES:
            stack.append((INLINE_STYLES[kind], position))
        elif kind.endswith("_close") and stack:
            style, start = stack.pop()
            spans.append(Span(start, position, style))
    return Content("".join(parts), spans)


@lru_cache(maxsize=256)
def blocks(markdown: str) -> tuple[Block, ...]:
    """The blocks of a Markdown text, in order, with list bullets and quote marks as prefixes.

    Kept by text (the blocks are immutable): an inject or a move's notes shown again,
    e.g. after an undo or when the facilitator's notes did not change, is not parsed again.
    """
    out: list[Block] = []
    indents: list[str] = []
    numbers: list[int | None] = []
    mark: str | None = None
    heading = False
    for token in _parser().parse(markdown):
        kind = token.type
        if kind in ("bullet_list_open", "ordered_list_open"):
            numbers.append(
                int(token.attrs.get("start", 1)) if kind == "ordered_list_open" else None
            )
        elif kind in ("bullet_list_close", "ordered_list_close"):
            numbers.pop()
            if out:  # a list keeps a blank line of its own after its last item
                out[-1] = replace(out[-1], gap=out[-1].gap + 1)
        elif kind == "list_item_open":
            number = numbers[-1] if numbers else None
            mark = "• " if number is None else f"{number}. "
            if number is not None:
                numbers[-1] = number + 1
            indents.append(" " * len(mark))
        elif kind == "list_item_close":
            indents.pop()
        elif kind == "blockquote_open":
            indents.append("▌ ")
        elif kind == "blockquote_close":
            indents.pop()
        elif kind == "heading_open":
            heading = True
        elif kind == "heading_close":
            heading = False
        elif kind in ("inline", "fence", "code_block", "hr"):
            if kind == "inline":
                text = inline(token)
                if heading:
                    text = text.stylize(HEADING_STYLE)
            elif kind == "hr":
                text = Content("───")
            else:
                text = Content(clean(token.content.rstrip("\n"))).stylize(CODE_STYLE)
            rest = "".join(indents)
            if mark is not None:
                first = Content.assemble(rest[: -len(mark)], (mark, BULLET_STYLE))
                mark = None
            else:
                first = Content(rest)
            out.append(Block(text, first, rest))
    return tuple(out)


def layout_lines(items: tuple[Block, ...], width: int) -> list[Content]:
    """The blocks wrapped to `width` cells, later lines indented under the first, blank lines between."""
    lines: list[Content] = []
    for block in items:
        room = max(1, width - len(block.rest))
        for index, line in enumerate(block.text.wrap(room)):
            lines.append((block.first if index == 0 else Content(block.rest)) + line.rstrip())
        lines.extend([Content("")] * block.gap)
    return lines


class MarkdownText(Widget):
    """Markdown as wrapped lines of one widget; `hidden` draws the same number of blank lines."""

    DEFAULT_CSS = """
    MarkdownText { height: auto; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.source: str | None = None
        self.hidden = False
        self._blocks: tuple[Block, ...] = ()
        self._wrapped: tuple[int, list[Content]] = (-1, [])

    def update(self, markdown: str) -> None:
        """Show `markdown` (re-lays out only when its height changes)."""
        if markdown == self.source:
            return
        before = self._height(self.content_size.width) if self.source is not None else -1
        self.source = markdown
        self._blocks = blocks(markdown)
        self._wrapped = (-1, [])
        width = self.content_size.width
        self.refresh(layout=not width or self._height(width) != before)

    def set_hidden(self, hidden: bool) -> None:
        """Hide (blank lines, same height) or show the text again: a repaint, never a re-layout."""
        if hidden != self.hidden:
            self.hidden = hidden
            self.refresh()

    def lines(self, width: int) -> list[Content]:
        """The text wrapped to `width` (cached for the last width asked)."""
        if self._wrapped[0] != width:
            self._wrapped = (width, layout_lines(self._blocks, width))
        return self._wrapped[1]

    def _height(self, width: int) -> int:
        return len(self.lines(width)) if width else 0

    def get_content_width(self, container: Size, viewport: Size) -> int:
        """As wide as the column."""
        return container.width

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        """One row per wrapped line, whether shown or hidden."""
        return max(1, self._height(width))

    def render(self) -> Content:
        """The wrapped lines, or as many blank lines while hidden."""
        lines = self.lines(self.content_size.width)
        if self.hidden:
            return Content("\n" * max(0, len(lines) - 1))
        return Content("\n").join(lines)


class HideablePanel(Panel):
    """A Panel whose text can be hidden in place: blank lines of the same height, a repaint only."""

    hidden = False

    def set_hidden(self, hidden: bool) -> None:
        """Hide or show the text without changing the panel's size."""
        if hidden != self.hidden:
            self.hidden = hidden
            self.refresh()

    def render(self) -> Content:
        """The text, or blank lines of the same height while hidden."""
        if not self.hidden:
            return super().render()  # type: ignore[return-value]
        height = self.visual.get_height(self.styles, self.content_size.width)  # type: ignore[arg-type]
        return Content("\n" * max(0, height - 1))
