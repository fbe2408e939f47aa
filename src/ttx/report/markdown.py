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
A paragraph that starts in Arabic or Hebrew is `dir="rtl"`; elsewhere each Arabic or
Hebrew run is isolated with its own closing punctuation (`_rtl_runs`), so a quoted
«…!» keeps its "!" at its end for a right-to-left reader.
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
from markdown_it.token import Token
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


_R = "\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff"
"""Hebrew and Arabic (letters, and the Arabic comma, semicolon and question mark)."""
_STRONG = re.compile("[A-Za-z\u00c0-\u024f\u0370-\u052f" + _R + "]")
_RTL = re.compile("[" + _R + "]")
RLI, PDI = "\u2067", "\u2069"
"""Unicode's right-to-left isolate and its end: the text between is set right to left, and
the text around it treats it as one neutral character."""
_RTL_RUN = re.compile(
    "(?P<run>[" + _R + "](?:[" + _R + "\\s\\u200b\\d.,!?:;…-]*[" + _R + "])?)(?P<trail>[.,!?:;…]*)"
)
"""A right-to-left run (letters, with the spaces, digits and punctuation between them), and
the sentence punctuation right after it."""
_OPENING = "«‹“„‘‚\"'([{"
_CLOSING = "»›”’\"')]}"


def starts_rtl(text: str) -> bool:
    """True when the first letter of the text is Hebrew or Arabic (a right-to-left text)."""
    match = _STRONG.search(text)
    return bool(match and _RTL.match(match.group(0)))


def _set_direction(tokens: list[Any]) -> None:
    """Give a paragraph or heading whose text starts right-to-left `dir="rtl"`.

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


def _rtl_runs(text: str, rtl: bool | None = None) -> list[tuple[str, bool]]:
    """The text cut into pieces, each marked True when it is a right-to-left run to isolate.

    In a left-to-right line a "!" between an Arabic phrase and its closing » takes the
    line's direction and prints at the phrase's start for a right-to-left reader. The
    punctuation after a run is the run's own when the run fills a quotation or bracket
    (`«لا تذهبوا!»`, `"אל תלכו!"`) or ends a text that reads right to left (a team name
    or an Arabic rationale in a table cell; `rtl` says whether the text around reads so,
    by default whether `text` starts so); otherwise it ends the English sentence and stays
    outside. The quotes and brackets around a run always stay outside: they belong to the
    left-to-right line, and inside the isolate they would be mirrored. Two runs in one line
    ("«فريق»; Equipo «צוות»") stay two isolates, never one Arabic phrase.
    """
    if not _RTL.search(text):
        return [(text, False)]
    ends_text = starts_rtl(text) if rtl is None else rtl
    pieces: list[tuple[str, bool]] = []
    done = 0
    for match in _RTL_RUN.finditer(text):
        run, trail = match.group("run"), match.group("trail")
        after = text[match.end() :]
        quoted = text[: match.start()].rstrip()[-1:] in _OPENING and after[:1] in _CLOSING
        own = bool(trail) and (quoted or (ends_text and not after.strip()))
        pieces += [(text[done : match.start()], False), (run + trail if own else run, True)]
        done = match.end() if own else match.end("run")
    pieces.append((text[done:], False))
    return [(piece, isolated) for piece, isolated in pieces if piece]


def isolate(text: str) -> str:
    """Each right-to-left run of a plain text in Unicode's RLI…PDI (`_rtl_runs`).

    For the `{{ }}` path, whose text may land in an attribute (the running header): the
    Markdown paths use `<bdi dir="rtl">` instead, which WeasyPrint keeps right to left on
    every line of a run a line break cuts (it lays out each line apart and loses the RLI).
    """
    return "".join(RLI + piece + PDI if rtl else piece for piece, rtl in _rtl_runs(text))


_BDI_OPEN, _BDI_CLOSE = '<bdi dir="rtl">', "</bdi>"


def _isolated(token: Any, rtl_text: bool) -> list[Any]:
    """A text token cut into text tokens, its right-to-left runs each in a `<bdi dir="rtl">`."""
    out: list[Any] = []
    for piece, rtl in _rtl_runs(token.content, rtl_text):
        text = Token("text", "", 0, content=piece)
        out += (
            [
                Token("html_inline", "", 0, content=_BDI_OPEN),
                text,
                Token("html_inline", "", 0, content=_BDI_CLOSE),
            ]
            if rtl
            else [text]
        )
    return out


def _isolate_tokens(tokens: list[Any], rtl_text: bool = False) -> None:
    """Isolate the right-to-left runs of every inline text outside a `dir="rtl"` block.

    `rtl_text` is true for a line that starts right to left (`markdown_inline`), and for
    an item of a tight list that does: its paragraph, and so its `dir`, is not printed.
    """
    block, reads_rtl = False, rtl_text
    for token in tokens:
        if token.type in ("paragraph_open", "heading_open"):
            starts = token.attrGet("dir") == "rtl"
            block, reads_rtl = starts and not token.hidden, rtl_text or starts
        elif token.type in ("paragraph_close", "heading_close"):
            block, reads_rtl = False, rtl_text
        elif token.type == "inline" and token.children and not block:
            token.children = [
                part
                for child in token.children
                for part in (_isolated(child, reads_rtl) if child.type == "text" else [child])
            ]


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
    _isolate_tokens(tokens)
    _drop_unsafe_links(tokens)
    return Markup(md.renderer.render(tokens, md.options, {}))


def markdown_inline(text: str | None) -> Markup:
    """Render one line of Markdown without the surrounding paragraph, for titles and cells."""
    if not text:
        return Markup("")
    md = _parser()
    tokens = md.parseInline(text)
    _break_tokens(tokens)
    _isolate_tokens(tokens, starts_rtl(text))
    _drop_unsafe_links(tokens)
    return Markup(md.renderer.render(tokens, md.options, {}))


def plain(text: object) -> Markup:
    """Escape plain text and break its long words (the Jinja `finalize` for every `{{ }}`)."""
    if isinstance(text, Markup):
        return text
    return escape(isolate(break_long_words(str(text))))
