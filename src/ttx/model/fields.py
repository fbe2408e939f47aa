"""The base of the format's models: versions, the `since(N)` mark, id and text types, `Node`.

Format 2 adds fields and never changes a format-1 one, so one set of models reads
both: a field marked `since(2)` is format 2 only, and `tabletop validate` (and the
JSON Schema) report it in a `format: 1` file.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
)

FORMAT_VERSION = 2
"""The newest exercise format this version reads."""
FORMATS: tuple[int, ...] = (1, 2)
"""Every exercise format this version reads."""
SINCE = "x-since-format"
"""The JSON Schema annotation on a field that exists only from a later format."""


def since(version: int) -> dict[str, Any]:
    """`json_schema_extra` of a field added in format `version` (editors show it, checks read it)."""
    return {SINCE: version}


def field_since(model: type[BaseModel], name: str) -> int:
    """The format a model's field was added in (1 for the original fields)."""
    extra = model.model_fields[name].json_schema_extra
    if isinstance(extra, dict):
        version = extra.get(SINCE)
        if isinstance(version, int):
            return version
    return 1


Id = Annotated[
    str,
    StringConstraints(pattern=r"^[a-z][a-z0-9_]*$", max_length=64),
    Field(description="An id in snake_case: lower-case letters, digits and underscores."),
]
ExerciseId = Annotated[
    str,
    StringConstraints(pattern=r"^[a-z0-9][a-z0-9_-]*$", max_length=64),
    Field(description="The exercise id: lower-case letters, digits, '-' and '_'."),
]
Markdown = Annotated[str, Field(description="Markdown text.")]
LanguageTag = Annotated[
    str,
    StringConstraints(pattern=r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$", max_length=35),
    Field(description="A BCP 47 language tag, e.g. en, fr, pt-BR, zh-Hant."),
]

END = "end"
"""The `goto` target that ends the exercise (the hot wash follows)."""


class Node(BaseModel):
    """Base of every format model: unknown keys are errors, values are frozen."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True, defer_build=True)
