"""The commented starter exercise that `tabletop new` writes, and the slug rule for its id."""

from __future__ import annotations

import json
import re
import unicodedata
from importlib import resources

import jinja2

MAX_ID_LENGTH = 60
"""Slugs are cut to this length (the format allows 64) at a word boundary."""

FALLBACK_ID = "exercise"


def clean_title(title: str) -> str:
    """The title on one line, control characters (ESC, DEL...) dropped, white space collapsed."""
    printable = "".join(" " if unicodedata.category(ch) == "Cc" else ch for ch in title)
    return " ".join(printable.split())


def slugify(title: str) -> str:
    """The exercise id for a title: lower-case ASCII words joined by '-' ('exercise' if none)."""
    ascii_text = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode("ascii")
    words = re.findall(r"[a-z0-9]+", ascii_text.lower())
    slug = ""
    for word in words:
        candidate = f"{slug}-{word}" if slug else word
        if len(candidate) > MAX_ID_LENGTH:
            break
        slug = candidate
    if not slug and words:
        slug = words[0][:MAX_ID_LENGTH]
    return slug or FALLBACK_ID


def _yaml_string(value: str) -> str:
    """A double-quoted YAML scalar (JSON strings are valid YAML)."""
    return json.dumps(value, ensure_ascii=False)


def starter_yaml(title: str, file_name: str | None = None) -> str:
    """The starter exercise for `title`, as YAML text with explanatory comments."""
    title = clean_title(title)
    if not title:
        raise ValueError("the title is empty")
    exercise_id = slugify(title)
    template_text = (
        resources.files("ttx.model").joinpath("templates", "starter.yaml.j2").read_text("utf-8")
    )
    env = jinja2.Environment(
        autoescape=False,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )
    return env.from_string(template_text).render(
        title=_yaml_string(title),
        title_comment=title,
        id=_yaml_string(exercise_id),
        file_name=file_name or f"{exercise_id}.yaml",
    )
