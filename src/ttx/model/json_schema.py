"""The JSON Schema of the exercise format, for editors that complete and check fields as authors type."""

from __future__ import annotations

import copy
import json
from typing import Any

from ttx.model.decision_point import RESOLVE_NAMES
from ttx.model.exercise import FORMAT_VERSION, FORMATS, SINCE, Exercise

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
SCHEMA_ID = f"urn:ttx:exercise-format:{FORMAT_VERSION}"
SCHEMA_FILE = "schema/exercise.schema.json"
MODELINE = "# yaml-language-server: $schema=../schema/exercise.schema.json"
"""The first line of every shipped exercise, so editors find the schema."""

_RESOLVE = {
    "description": (
        "How the storyline resolves: each (every team separately), majority, facilitator "
        "(the facilitator rules; for a pool, sets the split seeing every proposal), "
        "largest_remainder (allocations, format 2: the teams' mean split, rounded so no unit "
        "is lost), pro_rata (a contested pool, format 2: requests beyond the pool scaled down, "
        "no unit lost), or {team: ID} (that team decides)."
    ),
    "default": "each",
    "anyOf": [
        {"enum": list(RESOLVE_NAMES)},
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
    top = {
        k: body[k] for k in ("type", "properties", "required", "additionalProperties") if k in body
    }
    defs[FORMAT_1 + "Exercise"] = top
    _add_format_1_defs(defs, [*defs])
    schema["if"] = {"properties": {"format": {"const": 1}}, "required": ["format"]}
    schema["then"] = {"$ref": f"#/$defs/{FORMAT_1}Exercise"}
    return schema


FORMAT_1 = "Format1"
"""The prefix of the `$defs` a `format: 1` file is held to: the same models without format-2 fields."""
_FORMAT_2_VALUES = frozenset({"largest_remainder", "pro_rata"})
"""Enumerated values (not fields) that only format 2 allows."""


def _newer(node: Any) -> bool:
    return isinstance(node, dict) and isinstance(node.get(SINCE), int) and node[SINCE] > 1


def _newer_value(node: Any) -> bool:
    """True when a schema node lists a format-2 value in some `enum`, at any depth."""
    if isinstance(node, dict):
        enum = node.get("enum")
        if isinstance(enum, list) and _FORMAT_2_VALUES.intersection(map(str, enum)):
            return True
        return any(_newer_value(v) for v in node.values())
    return isinstance(node, list) and any(_newer_value(v) for v in node)


def _refs(node: Any) -> set[str]:
    """The `$defs` names a schema node refers to, at any depth."""
    if isinstance(node, dict):
        found = (
            {node["$ref"].removeprefix("#/$defs/")} if isinstance(node.get("$ref"), str) else set()
        )
        return found.union(*(_refs(v) for v in node.values()))
    if isinstance(node, list):
        return set().union(*(_refs(v) for v in node))
    return set()


def _add_format_1_defs(defs: dict[str, Any], names: list[str]) -> None:
    """Add `Format1<Name>` for every def that has, or reaches, a format-2 field or value.

    A `format: 1` file is checked against them (the schema's `if`/`then`), so an editor
    flags a format-2 field there as the validator does.
    """
    differs = {
        n
        for n in names
        if n.startswith(FORMAT_1)
        or any(_newer(p) or _newer_value(p) for p in defs[n].get("properties", {}).values())
    }
    grown = True
    while grown:
        more = {n for n in names if n not in differs and _refs(defs[n]) & differs}
        differs |= more
        grown = bool(more)

    def rewrite(node: Any) -> Any:
        if isinstance(node, dict):
            out = {k: rewrite(v) for k, v in node.items()}
            target = (
                node.get("$ref", "").removeprefix("#/$defs/")
                if isinstance(node.get("$ref"), str)
                else ""
            )
            if target in differs and not target.startswith(FORMAT_1):
                out["$ref"] = f"#/$defs/{FORMAT_1}{target}"
            if isinstance(out.get("enum"), list):
                out["enum"] = [v for v in out["enum"] if v not in _FORMAT_2_VALUES]
            return out
        if isinstance(node, list):
            return [rewrite(v) for v in node]
        return node

    for name in sorted(differs):
        source = copy.deepcopy(defs[name])
        properties = source.get("properties", {})
        for key in [k for k, p in properties.items() if _newer(p)]:
            del properties[key]
        target = name if name.startswith(FORMAT_1) else FORMAT_1 + name
        defs[target] = rewrite(source)


def schema_text() -> str:
    """The schema as the JSON text `tabletop schema` prints and the repository ships."""
    return json.dumps(exercise_schema(), indent=2, ensure_ascii=False) + "\n"
