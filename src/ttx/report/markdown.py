"""Markdown to safe HTML for the documents, and breaking of very long unbroken words.

Every text field of an exercise or a session is Markdown typed by someone we do
not trust, so raw HTML is off (it is shown literally), an image prints as its
description in brackets (fetching it would make the renderer read a URL; the
validator warns about it), except a format-2 picture of the exercise's own folder
while `pictures_from` is active: that one is checked again (`ttx.model.images`) and
embedded as a `data:` URL, so the renderer never reads a file or the network for it;
and only ordinary link schemes survive. A single line
break is kept, as the authoring guide says (an e-mail inject keeps its lines),
except where a paragraph is prose wrapped to fit the editor (`_keep_line_breaks`).
A word longer than `MAX_RUN` characters gets zero-width spaces so WeasyPrint
can wrap it: without them the text silently overflows the page and is lost.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache
from pathlib import Path
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


_STRONG = re.compile(r"[A-Za-z\u00c0-\u024f\u0370-\u052f\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")
_RTL = re.compile(r"[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")
FSI, PDI = "\u2068", "\u2069"
"""Unicode's first-strong isolate and its end: the text between takes its own direction."""


def starts_rtl(text: str) -> bool:
    """True when the first letter of the text is Hebrew or Arabic (a right-to-left text)."""
    match = _STRONG.search(text)
    return bool(match and _RTL.match(match.group(0)))


def _set_direction(tokens: list[Any]) -> None:
    """Give a paragraph, list item or heading whose text starts right-to-left `dir="rtl"`.

    In a left-to-right paragraph, an Arabic sentence's closing quote or full stop
    would attach to the left-to-right side and print at the wrong end, mirrored.
    """
    for index, token in enumerate(tokens):
        if (
            token.type in ("paragraph_open", "heading_open")
            and index + 1 < len(tokens)
            and starts_rtl(tokens[index + 1].content)
        ):
            token.attrSet("dir", "rtl")


_R = "\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff"
_RTL_RUN = re.compile(
    '[«‹“„"(\\[]?[' + _R + "](?:[" + _R + "\\s\\d.,،؛!?:-]*[" + _R + '])?[»›”"\\])]?'
)
"""A right-to-left run with the quotes or brackets around it."""


def isolate(text: str) -> str:
    """Each right-to-left run of a text, with its quotes, wrapped in a first-strong isolate.

    A team name like «فريق» set among English words keeps its own direction and its
    punctuation: nothing outside the isolate reorders or mirrors what is inside, and
    two names in one line ("«فريق»; Equipo «צוות»") are not read as one Arabic phrase.
    """
    if not _RTL.search(text):
        return text
    return _RTL_RUN.sub(lambda m: FSI + m.group(0) + PDI, text)


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


_PICTURES: ContextVar[tuple[Path, dict[str, str | None]] | None] = ContextVar(
    "ttx_pictures", default=None
)


@contextmanager
def pictures_from(folder: Path | None) -> Iterator[None]:
    """While active, images naming a valid picture of `folder` are printed (format 2).

    Each picture is read and checked once while the context lasts.
    """
    token = _PICTURES.set(None if folder is None else (folder, {}))
    try:
        yield
    finally:
        _PICTURES.reset(token)


def _image_as_text(self: Any, tokens: list[Any], idx: int, options: Any, env: Any) -> str:
    """A picture of the exercise's folder as an embedded <img>; any other image as its description."""
    token = tokens[idx]
    alt = "".join(child.content for child in token.children or []).replace(ZWSP, "")
    active = _PICTURES.get()
    if active is not None and alt.strip():
        folder, seen = active
        src = str(token.attrGet("src") or "")
        if src not in seen:
            from ttx.model.images import ImageProblem, load_picture

            try:
                picture = load_picture(folder, src)
                encoded = base64.b64encode(picture.data).decode("ascii")
                seen[src] = f"data:{picture.mime};base64,{encoded}"
            except ImageProblem:
                seen[src] = None
        url = seen[src]
        if url is not None:
            return f'<img class="md-img" alt="{escape(alt)}" src="{url}">'
    return f'<span class="img-alt">[{escape(alt or "image")}]</span>'


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
    _set_direction(tokens)
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
    html = md.renderer.render(tokens, md.options, {})
    return Markup(isolate(html) if starts_rtl(text) else html)


def plain(text: object) -> Markup:
    """Escape plain text and break its long words (the Jinja `finalize` for every `{{ }}`)."""
    if isinstance(text, Markup):
        return text
    return escape(isolate(break_long_words(str(text))))
