"""Markdown to safe HTML for the documents, and breaking of very long unbroken words.

Every text field of an exercise or a session is Markdown typed by someone we do
not trust, so raw HTML is off (it is shown literally), images are off (they
would make the renderer fetch a URL) and only ordinary link schemes survive.
A word longer than `MAX_RUN` characters gets zero-width spaces so WeasyPrint
can wrap it: without them the text silently overflows the page and is lost.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from markdown_it import MarkdownIt
from markupsafe import Markup, escape

MAX_RUN = 30
"""The longest run of non-space characters printed without a break opportunity."""

ZWSP = "\u200b"
_LONG_RUN = re.compile(r"[^\s\u200b]{" + str(MAX_RUN + 1) + ",}")
_SAFE_LINK = re.compile(r"^(https?:|mailto:|#)", re.IGNORECASE)


def break_long_words(text: str) -> str:
    """Insert a zero-width space every MAX_RUN characters inside runs longer than that."""
    if len(text) <= MAX_RUN:
        return text

    def split(match: re.Match[str]) -> str:
        run = match.group(0)
        return ZWSP.join(run[i : i + MAX_RUN] for i in range(0, len(run), MAX_RUN))

    return _LONG_RUN.sub(split, text)


def _validate_link(url: str) -> bool:
    return bool(_SAFE_LINK.match(url.strip()))


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.enable(["table", "strikethrough"])
    md.disable(["image", "html_inline", "html_block"])
    md.validateLink = _validate_link  # type: ignore[method-assign]
    return md


def _break_tokens(tokens: list[Any]) -> None:
    for token in tokens:
        if token.type in ("text", "code_inline", "code_block", "fence") and token.content:
            token.content = break_long_words(token.content)
        if token.children:
            _break_tokens(token.children)


def markdown(text: str | None) -> Markup:
    """Render Markdown to HTML that is safe to insert: raw HTML and images appear as text."""
    if not text:
        return Markup("")
    md = _parser()
    tokens = md.parse(text)
    _break_tokens(tokens)
    return Markup(md.renderer.render(tokens, md.options, {}))


def markdown_inline(text: str | None) -> Markup:
    """Render one line of Markdown without the surrounding paragraph, for titles and cells."""
    if not text:
        return Markup("")
    md = _parser()
    tokens = md.parseInline(text)
    _break_tokens(tokens)
    return Markup(md.renderer.render(tokens, md.options, {}))


def plain(text: object) -> Markup:
    """Escape plain text and break its long words (the Jinja `finalize` for every `{{ }}`)."""
    if isinstance(text, Markup):
        return text
    return escape(break_long_words(str(text)))
