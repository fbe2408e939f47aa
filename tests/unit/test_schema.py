"""`tabletop schema`: the shipped schema file is current, editors find it, and it accepts what ttx accepts."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from ttx.cli import main
from ttx.model.json_schema import MODELINE, SCHEMA_FILE, exercise_schema, schema_text
from ttx.model.loader import read_yaml

ROOT = Path(__file__).resolve().parent.parent.parent
EXERCISES = sorted((ROOT / "exercises").glob("*.yaml"))


def test_shipped_schema_equals_ttx_schema(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema"]) == 0
    printed = capsys.readouterr().out
    shipped = (ROOT / SCHEMA_FILE).read_text(encoding="utf-8")
    assert printed == schema_text()
    assert shipped == printed, "regenerate it: tabletop schema > schema/exercise.schema.json"


@pytest.mark.parametrize("path", EXERCISES, ids=lambda p: p.name)
def test_every_shipped_exercise_names_the_schema(path: Path) -> None:
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first == MODELINE
    target = (path.parent / first.split("$schema=", 1)[1]).resolve()
    assert target == (ROOT / SCHEMA_FILE).resolve() and target.is_file()


def test_schema_header_and_aliases() -> None:
    schema = exercise_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"] == "urn:ttx:exercise-format:2"
    assert schema["title"] == "ttx exercise (format 1 or 2)"
    assert schema["properties"]["format"]["enum"] == [1, 2]
    assert schema["properties"]["author"]["x-since-format"] == 2
    assert "x-since-format" not in schema["properties"]["title"]
    assert set(schema["required"]) == {"format", "id", "title", "teams", "moves"}
    defs = schema["$defs"]
    assert "from" in defs["Inject"]["properties"] and "from_" not in defs["Inject"]["properties"]
    condition = set(defs["Condition"]["properties"])
    assert {"all", "any", "not", "decision", "state", "option", "team"} <= condition
    assert not {"all_", "any_", "not_"} & condition
    text = json.dumps(schema)
    assert '"from_"' not in text and '"all_"' not in text


def test_resolve_accepts_short_forms() -> None:
    schema = exercise_schema()
    for value in (
        "each",
        "majority",
        "facilitator",
        {"team": "us"},
        {"mode": "team", "team": "us"},
    ):
        assert conforms(value, {"$ref": "#/$defs/Decision/properties/resolve"}, schema), value
    for wrong in ("team", "sometimes", {"team": "us", "x": 1}, 3):
        assert not conforms(wrong, {"$ref": "#/$defs/Decision/properties/resolve"}, schema), wrong


@pytest.mark.parametrize("path", EXERCISES, ids=lambda p: p.name)
def test_shipped_exercises_conform_to_schema(path: Path) -> None:
    schema = exercise_schema()
    data = read_yaml(path).data
    errors: list[str] = []
    assert conforms(data, schema, schema, errors), "\n".join(errors[:10])


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("title: ", "titel: "),  # unknown key
        ("duration_minutes: 10", "duration_minutes: ten"),  # wrong type
        ("id: demo", "id: Demo Exercise"),  # bad id
        ("resolve: {team: us}", "resolve: unanimous"),  # bad resolve form
        ("when: {decision: opening, option: pressure}", "when: {decision: opening, state: trust}"),
    ],
)
def test_schema_flags_what_an_editor_should(
    old: str, new: str, demo_path: Path, tmp_path: Path
) -> None:
    text = demo_path.read_text(encoding="utf-8")
    assert old in text
    broken = tmp_path / "broken.yaml"
    broken.write_text(text.replace(old, new, 1), encoding="utf-8")
    schema = exercise_schema()
    assert not conforms(read_yaml(broken).data, schema, schema)


FORMAT_1_DEMO_EDITS = [
    ("title: ", "author: Ana Ruiz\ntitle: "),  # a top-level format-2 field
    (
        "          - id: partner\n",
        "          - id: partner\n            goto: end\n",
    ),  # option goto
    ("objectives:\n  - id: ", "objectives:\n  - capability: Planning\n    id: "),
    ("resolve: {team: us}", "resolve: largest_remainder"),  # a format-2 value
]


@pytest.mark.parametrize(("old", "new"), FORMAT_1_DEMO_EDITS)
def test_schema_rejects_format_2_fields_in_a_format_1_file(
    old: str, new: str, demo_path: Path, tmp_path: Path
) -> None:
    text = demo_path.read_text(encoding="utf-8")
    assert "format: 1" in text and old in text
    edited = tmp_path / "edited.yaml"
    edited.write_text(text.replace(old, new, 1), encoding="utf-8")
    schema = exercise_schema()
    assert not conforms(read_yaml(edited).data, schema, schema)
    if "largest_remainder" in new:
        return  # a choice never resolves by largest remainder, in any format
    upgraded = tmp_path / "upgraded.yaml"
    upgraded.write_text(text.replace(old, new, 1).replace("format: 1", "format: 2"), "utf-8")
    errors: list[str] = []
    assert conforms(read_yaml(upgraded).data, schema, schema, errors), errors[:5]
    assert main(["validate", "--quiet", str(edited)]) == 1


# -- a small JSON Schema checker for the keywords the schema uses (no extra dependency) --

KEYWORDS = {
    "$defs", "$id", "$ref", "$schema", "additionalProperties", "anyOf", "const", "default",
    "description", "enum", "exclusiveMinimum", "items", "maxLength", "minimum", "oneOf",
    "pattern", "patternProperties", "properties", "propertyNames", "required", "title", "type",
    "x-since-format", "minItems", "minLength", "if", "then",
}  # fmt: skip
TYPES: dict[str, Any] = {
    "object": dict,
    "array": list,
    "string": str,
    "integer": int,
    "number": (int, float),
    "boolean": bool,
    "null": type(None),
}


def test_checker_knows_every_keyword_used() -> None:
    used: set[str] = set()

    def walk(node: Any, in_names: bool = False) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if not in_names:
                    used.add(key)
                walk(value, key in ("properties", "$defs", "patternProperties") and not in_names)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(exercise_schema())
    assert used <= KEYWORDS, used - KEYWORDS


def _resolve(ref: str, root: dict[str, Any]) -> Any:
    node: Any = root
    for part in ref.removeprefix("#/").split("/"):
        node = node[part]
    return node


def conforms(
    value: Any, schema: Any, root: dict[str, Any], errors: list[str] | None = None, at: str = ""
) -> bool:
    errors = [] if errors is None else errors

    def fail(why: str) -> bool:
        errors.append(f"{at or '/'}: {why}")
        return False

    if "$ref" in schema and not conforms(value, _resolve(schema["$ref"], root), root, errors, at):
        return False
    if "type" in schema:
        kinds = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
        ok = any(
            isinstance(value, TYPES[k])
            and not (k in ("integer", "number") and isinstance(value, bool))
            for k in kinds
        )
        if not ok:
            return fail(f"{value!r} is not {kinds}")
    if "const" in schema and value != schema["const"]:
        return fail(f"{value!r} != {schema['const']!r}")
    if "enum" in schema and value not in schema["enum"]:
        return fail(f"{value!r} not in {schema['enum']}")
    if isinstance(value, str):
        if "pattern" in schema and not re.search(schema["pattern"], value):
            return fail(f"{value!r} does not match {schema['pattern']}")
        if "maxLength" in schema and len(value) > schema["maxLength"]:
            return fail("too long")
        if "minLength" in schema and len(value) < schema["minLength"]:
            return fail("too short")
    if isinstance(value, list) and "minItems" in schema and len(value) < schema["minItems"]:
        return fail("too few items")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if "minimum" in schema and value < schema["minimum"]:
            return fail("below minimum")
        if "exclusiveMinimum" in schema and value <= schema["exclusiveMinimum"]:
            return fail("not above exclusiveMinimum")
    if "anyOf" in schema and not any(conforms(value, s, root, [], at) for s in schema["anyOf"]):
        return fail(f"{value!r} matches none of anyOf")
    if "oneOf" in schema and sum(conforms(value, s, root, [], at) for s in schema["oneOf"]) != 1:
        return fail(f"{value!r} does not match exactly one of oneOf")
    if (
        "if" in schema
        and conforms(value, schema["if"], root, [], at)
        and not conforms(value, schema["then"], root, errors, at)
    ):
        return False
    if (
        isinstance(value, list)
        and "items" in schema
        and not all(
            conforms(v, schema["items"], root, errors, f"{at}/{i}") for i, v in enumerate(value)
        )
    ):
        return False
    if isinstance(value, dict):
        for key in schema.get("required", []):
            if key not in value:
                return fail(f"missing {key}")
        props = schema.get("properties", {})
        patterns = schema.get("patternProperties", {})
        for key, item in value.items():
            if key in props:
                if not conforms(item, props[key], root, errors, f"{at}/{key}"):
                    return False
                continue
            matched = [s for p, s in patterns.items() if re.search(p, str(key))]
            if matched:
                if not all(conforms(item, s, root, errors, f"{at}/{key}") for s in matched):
                    return False
            elif schema.get("additionalProperties") is False:
                return fail(f"unknown key {key!r}")
        names = schema.get("propertyNames")
        if names and not all(conforms(k, names, root, errors, at) for k in value):
            return False
    return True
