"""The JSON Schema of the exercise format, for editors that complete and check fields as authors type."""

from __future__ import annotations

import copy
import json
from typing import Any

from ttx.model.exercise import FORMAT_VERSION, FORMATS, Exercise

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
SCHEMA_ID = f"urn:ttx:exercise-format:{FORMAT_VERSION}"
SCHEMA_FILE = "schema/exercise.schema.json"
MODELINE = "# yaml-language-server: $schema=../schema/exercise.schema.json"
"""The first line of every shipped exercise, so editors find the schema."""

_RESOLVE = {
    "description": (
        "How the storyline resolves: each (every team separately), majority, facilitator "
        "(the facilitator rules), largest_remainder (allocations, format 2: the teams' mean "
        "split, rounded so no unit is lost), or {team: ID} (that team decides)."
    ),
    "default": "each",
    "anyOf": [
        {"enum": ["each", "majority", "facilitator", "largest_remainder"]},
        {
            "type": "object",
            "properties": {"team": {"$ref": "#/$defs/Id"}},
            "required": ["team"],
            "additionalProperties": False,
        },
        {"$ref": "#/$defs/Resolve"},
    ],
}
_CONDITION_FORMS = ["decision", "state", "all", "any", "not"]


def exercise_schema() -> dict[str, Any]:
    """The JSON Schema (2020-12) of an exercise file, field names as authors write them."""
    body = copy.deepcopy(Exercise.model_json_schema(by_alias=True))
    defs: dict[str, Any] = body.setdefault("$defs", {})
    defs["Id"] = {
        "description": "An id in snake_case: lower-case letters, digits and underscores.",
        "type": "string",
        "pattern": "^[a-z][a-z0-9_]*$",
        "maxLength": 64,
    }
    defs["Decision"]["properties"]["resolve"] = _RESOLVE
    condition = defs["Condition"]
    condition["oneOf"] = [{"required": [form]} for form in _CONDITION_FORMS]
    schema: dict[str, Any] = {
        "$schema": SCHEMA_DIALECT,
        "$id": SCHEMA_ID,
        "title": f"ttx exercise (format {' or '.join(map(str, FORMATS))})",
    }
    schema.update((k, v) for k, v in body.items() if k != "title")
    return schema


def schema_text() -> str:
    """The schema as the JSON text `tabletop schema` prints and the repository ships."""
    return json.dumps(exercise_schema(), indent=2, ensure_ascii=False) + "\n"
