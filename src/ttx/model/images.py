"""Pictures in Markdown text (format 2): files of the exercise's own folder, checked by content.

An image is `![what it shows](file.png)`. The address must name a PNG, JPEG or SVG file
inside the folder of the exercise file (after resolving `..` and symbolic links), of at
most 5 MB, recognised by its content, never by its name; the description (alt text) is
required. Nothing is ever fetched from the network. An SVG drawing is parsed with
defusedxml and must be self-contained (`ttx.model.svg`): no scripts, entities or
references to anything but its own `#fragments`.
"""

from __future__ import annotations

import math
import os
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

from ttx.model.svg import looks_like_svg, svg_problem

MAX_IMAGE_BYTES = 5 * 1024 * 1024
"""The largest picture accepted, in bytes (5 MB)."""

_AFTER_BANG = re.compile(
    r"(?P<alt>[^\]\n]*)\]\((?P<src><[^>\n]*>|[^)\s]*)(?:[ \t]+\"[^\"\n]*\")?[ \t]*\)"
)
"""What follows `![` in a Markdown image: `alt](address)` or `alt](address "title")`.

Every part stops at a character the next part needs, so a match costs time linear in
the text it reads; `images_in` tries it once per `![`, on the text up to the next `![`.
"""


@dataclass(frozen=True, slots=True)
class ImageRef:
    """One Markdown image of a text: its description, its address, itself and where it starts."""

    alt: str
    src: str
    text: str
    start: int


def images_in(text: str) -> list[ImageRef]:
    """Every Markdown image of a text, in linear time (hostile text cannot stall the check)."""
    found: list[ImageRef] = []
    start = text.find("![")
    while start >= 0:
        following = text.find("![", start + 2)
        end = len(text) if following < 0 else following
        match = _AFTER_BANG.match(text, start + 2, end)
        if match is not None:
            found.append(ImageRef(match["alt"], match["src"], text[start : match.end()], start))
        start = following
    return found


_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_KINDS: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
)


@dataclass(frozen=True, slots=True)
class Picture:
    """A checked picture: its media type and bytes."""

    mime: str
    data: bytes


class ImageProblem(ValueError):
    """Why a picture cannot be used, and how to fix it."""

    def __init__(self, message: str, fix: str) -> None:
        super().__init__(message)
        self.message = message
        self.fix = fix


def address(raw: str) -> str:
    """The file name an image's address stands for (`<a b.png>` and `%20` decoded)."""
    raw = raw.strip()
    if raw.startswith("<") and raw.endswith(">"):
        raw = raw[1:-1]
    return unquote(raw)


def load_picture(folder: Path, raw_address: str) -> Picture:
    """The picture an image's address names in `folder`; ImageProblem says why not."""
    name = address(raw_address)
    shown = name if len(name) <= 60 else name[:59] + "…"
    if not name:
        raise ImageProblem(
            "an image has no file name",
            "write the picture's file name: `![what it shows](map.png)`",
        )
    if _SCHEME.match(name) or name.startswith(("/", "\\", "//")) or re.match(r"^[A-Za-z]:", name):
        where = "from the network" if re.match(r"^(https?|ftp)://", name, re.I) else "outside"
        raise ImageProblem(
            f"the image '{shown}' is not a file of the exercise's folder"
            + (" (documents never fetch pictures from the network)" if where != "outside" else ""),
            "save the picture next to the exercise file and write its file name relative to it, "
            "e.g. `![what it shows](images/map.png)`",
        )
    root = folder.resolve()
    try:
        path = (root / name).resolve(strict=True)
    except (OSError, RuntimeError, ValueError):
        raise ImageProblem(
            f"the image '{shown}' does not exist in the exercise's folder ({root.name or root})",
            "check the file name and put the picture next to the exercise file",
        ) from None
    if not path.is_relative_to(root):
        raise ImageProblem(
            f"the image '{shown}' is outside the exercise's folder",
            "copy the picture into the exercise's folder (or a folder inside it) and name it from there",
        )
    if not path.is_file():
        raise ImageProblem(f"the image '{shown}' is not a file", "name a PNG, JPEG or SVG file")
    try:
        with open(path, "rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            if size > MAX_IMAGE_BYTES:
                raise ImageProblem(
                    f"the image '{shown}' is too large ({math.ceil(size / 104857.6) / 10:.1f} MB; at most 5 MB)",
                    "make it smaller: fewer pixels, or save it as JPEG",
                )
            data = handle.read(MAX_IMAGE_BYTES + 1)
    except OSError as exc:
        raise ImageProblem(
            f"the image '{shown}' cannot be read ({exc.strerror or 'unreadable'})",
            "check the file's permissions",
        ) from None
    if len(data) > MAX_IMAGE_BYTES:
        raise ImageProblem(
            f"the image '{shown}' is too large (more than 5 MB)",
            "make it smaller: fewer pixels, or save it as JPEG",
        )
    for magic, mime in _KINDS:
        if data.startswith(magic):
            return Picture(mime, data)
    if looks_like_svg(data, name):
        problem = svg_problem(data)
        if problem is None:
            return Picture("image/svg+xml", data)
        raise ImageProblem(
            f"the SVG drawing '{shown}' {problem}",
            "keep the drawing self-contained (no scripts, entities or links to other files), "
            "or export it as PNG",
        )
    raise ImageProblem(
        f"the image '{shown}' is not a PNG, JPEG or SVG picture (by its content)",
        "save it as PNG or JPEG (renaming the file is not enough)",
    )


def alt_problem(alt: str) -> ImageProblem | None:
    """The problem of an image without a description (alt text), or None."""
    if alt.strip():
        return None
    return ImageProblem(
        "an image has no description (alt text), which screen readers and a failed print need",
        "write what the picture shows between the brackets: `![Map of the evacuation zones](map.png)`",
    )
