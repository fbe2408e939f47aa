"""Markdown to safe HTML for the documents, and breaking of very long unbroken words.

Every text field of an exercise or a session is Markdown typed by someone we do
not trust, so raw HTML is off (it is shown literally), an image prints as its
description in brackets (fetching it would make the renderer read a URL; the
validator warns about it) and only ordinary link schemes survive. A single line
break is kept, as the authoring guide says (an e-mail inject keeps its lines),
except where a paragraph is prose wrapped to fit the editor (`_keep_line_breaks`).
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
    md.disable(["html_inline", "html_block"])
    # Every address parses (so an image is always recognised as one); unsafe link
    # addresses are dropped after parsing, keeping the link's text (`_drop_unsafe_links`).
    md.validateLink = lambda url: True  # type: ignore[method-assign]
    md.add_render_rule("image", _image_as_text)
    md.add_render_rule("link_open", _link_open)
    md.add_render_rule("link_close", _link_close)
    return md


WRAP_MIN, WRAP_MAX, WRAP_SHARE = 50, 140, 0.5
"""A paragraph whose longest line is 50-140 characters was wrapped by its author's editor:
a line at least half that long ends where the editor wrapped it, not where the author broke it."""


def _keep_line_breaks(tokens: list[Any]) -> None:
    """Turn a single line break into a printed one unless it only wraps prose.

    YAML's `|` keeps every line of a text, and authors both wrap prose at ~72
    columns and break lines on purpose ("Hello,", an address, a signature). A break
    is kept after a short line, before a short line inside a paragraph, and after
    every line of a paragraph of short lines;
    a line at least half as long as the paragraph's longest (50-140 characters) was wrapped.
    """
    for token in tokens:
        if token.type != "inline" or not token.children:
            continue
        lines = token.content.split("\n")
        longest = max((len(line.rstrip()) for line in lines), default=0)
        wrapped = WRAP_MIN <= longest <= WRAP_MAX
        short = [not (wrapped and len(line.rstrip()) >= WRAP_SHARE * longest) for line in lines]
        # Wrapped prose has a short line only at its end: a short line inside a
        # paragraph ("Regards,") was broken on purpose, before and after.
        inner = [i + 1 < len(lines) - 1 and short[i + 1] for i in range(len(lines))]
        index = 0
        for child in token.children:
            if child.type not in ("softbreak", "hardbreak"):
                continue
            keep = index < len(lines) and (short[index] or inner[index])
            index += 1
            if child.type == "softbreak" and keep:
                child.type = "hardbreak"
                child.tag = "br"


def _drop_unsafe_links(tokens: list[Any]) -> None:
    """Mark links whose address is not http(s), mailto or an anchor: they print as plain text."""
    for token in tokens:
        if token.children:
            dropping = 0
            for child in token.children:
                if child.type == "link_open":
                    unsafe = not _validate_link(str(child.attrGet("href") or ""))
                    child.meta["drop"] = unsafe
                    dropping = dropping + 1 if unsafe or dropping else 0
                elif child.type == "link_close" and dropping:
                    child.meta["drop"] = True
                    dropping -= 1


def _link_open(self: Any, tokens: list[Any], idx: int, options: Any, env: Any) -> str:
    if tokens[idx].meta.get("drop"):
        return ""
    return str(self.renderToken(tokens, idx, options, env))


def _link_close(self: Any, tokens: list[Any], idx: int, options: Any, env: Any) -> str:
    if tokens[idx].meta.get("drop"):
        return ""
    return str(self.renderToken(tokens, idx, options, env))


def _image_as_text(self: Any, tokens: list[Any], idx: int, options: Any, env: Any) -> str:
    """An image as its description in brackets: never an <img>, never its address."""
    token = tokens[idx]
    alt = "".join(child.content for child in token.children or []) or "image"
    return f'<span class="img-alt">[{escape(alt)}]</span>'


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
    _keep_line_breaks(tokens)
    _break_tokens(tokens)
    _drop_unsafe_links(tokens)
    return Markup(md.renderer.render(tokens, md.options, {}))


def markdown_inline(text: str | None) -> Markup:
    """Render one line of Markdown without the surrounding paragraph, for titles and cells."""
    if not text:
        return Markup("")
    md = _parser()
    tokens = md.parseInline(text)
    _break_tokens(tokens)
    _drop_unsafe_links(tokens)
    return Markup(md.renderer.render(tokens, md.options, {}))


def plain(text: object) -> Markup:
    """Escape plain text and break its long words (the Jinja `finalize` for every `{{ }}`)."""
    if isinstance(text, Markup):
        return text
    return escape(break_long_words(str(text)))
