"""The Jinja environment of the documents: autoescape on for every template, every `{{ }}` broken.

Templates live in folders under `templates/` (HTML + CSS) and receive plain
dicts. `finalize` escapes plain strings and breaks their long words, so no
template can forget either; Markdown arrives already rendered as `Markup`.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from ttx.report.markdown import plain

TEMPLATES = Path(__file__).resolve().parent / "templates"
PAPERS = {"letter": "letter", "a4": "A4"}


def _finalize(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, str):
        return plain(value)
    return value


@lru_cache(maxsize=1)
def environment() -> Environment:
    """The one Jinja environment: autoescape for every file name, strict about missing names."""
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        autoescape=True,
        undefined=StrictUndefined,
        finalize=_finalize,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )
    env.filters["url_attr"] = url_attr
    return env


def url_attr(url: str | None) -> Markup:
    """An http(s) URL for an `href`, escaped and left unbroken; anything else becomes empty."""
    if not url:
        return Markup("")
    text = str(url).strip()
    if not text.lower().startswith(("http://", "https://")):
        return Markup("")
    return Markup.escape(text)


def render_html(document: str, context: dict[str, Any], paper: str = "letter") -> str:
    """The HTML of one document (`templates/<document>/<document>.html`) filled with `context`."""
    if paper not in PAPERS:
        raise ValueError(f"paper must be one of {', '.join(PAPERS)}, not {paper!r}")
    template = environment().get_template(f"{document}/{document}.html")
    return template.render(**context, paper=PAPERS[paper], document=document)
