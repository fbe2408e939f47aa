"""Turn a YAML file into an Exercise, or into a list of problems that say how to fix them."""

from __future__ import annotations

import difflib
import re
import types
import typing
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError

from ttx.model.exercise import FORMAT_VERSION, FORMATS, Exercise, field_since
from ttx.model.loader import Document, Path_, read_yaml
from ttx.model.problems import ExerciseError, Problem


def load_exercise(path: str | Path) -> Exercise:
    """Load and fully check an exercise; raise ExerciseError listing every problem."""
    exercise, problems = check_file(Path(path))
    errors = [p for p in problems if p.severity == "error"]
    if errors or exercise is None:
        raise ExerciseError(errors)
    return exercise


def check_file(path: Path) -> tuple[Exercise | None, list[Problem]]:
    """Every problem of one file, and the Exercise when its structure is valid.

    Raises ExerciseError(unusable=True) when the file cannot be read as text,
    and ExerciseError for YAML syntax errors (nothing further can be checked).
    """
    doc = read_yaml(path)
    problems = list(doc.problems)
    exercise: Exercise | None = None
    if not isinstance(doc.data, dict):
        kind = (
            "a list"
            if isinstance(doc.data, list)
            else "empty (null)"
            if doc.data is None
            else f"a single value ({_show(doc.data)})"
        )
        line, column = doc.where(())
        problems.append(
            Problem(
                doc.file,
                line or 1,
                column or 1,
                f"the top level is {kind}, not a mapping of fields",
                f"an exercise starts with `format: {FORMAT_VERSION}`, `id:`, `title:`, `teams:` and `moves:`",
            )
        )
        return None, problems
    version_problem = format_version_problem(doc)
    if version_problem is not None:
        return None, [*problems, version_problem]
    try:
        exercise = Exercise.model_validate(doc.data)
    except ValidationError as exc:
        problems.extend(pydantic_problems(exc, doc))
        return None, _sorted(problems)
    exercise.set_source_folder(path.parent)
    from ttx.model.checks import semantic_problems

    problems.extend(newer_field_problems(exercise, doc))
    problems.extend(semantic_problems(exercise, doc))
    if not any(p.severity == "error" for p in problems):
        from ttx.model.time_checks import time_problems

        problems.extend(time_problems(exercise, doc))
    return exercise, _sorted(problems)


def format_version_problem(doc: Document) -> Problem | None:
    """One clear problem for a `format:` this version cannot read, naming both versions and the fix.

    A newer format cannot be checked field by field (its fields are unknown here), so
    this is the only problem reported for it.
    """
    assert isinstance(doc.data, dict)
    version = doc.data.get("format")
    if not isinstance(version, int) or isinstance(version, bool) or version in FORMATS:
        return None
    line, column = doc.where(("format",))
    if version > FORMAT_VERSION:
        return Problem(
            doc.file,
            line or 1,
            column or 1,
            f"this file is in exercise format {version}, written for a newer tabletop; "
            f"this tabletop reads {formats_text()}",
            "install a newer tabletop to use it",
        )
    return Problem(
        doc.file,
        line or 1,
        column or 1,
        f"format {version} does not exist; this tabletop reads {formats_text()}",
        f"write `format: {FORMAT_VERSION}` (or `format: 1` for a file that uses no format-2 field)",
    )


def formats_text() -> str:
    """The formats this version reads, in words: 'formats 1 and 2'."""
    names = [str(v) for v in FORMATS]
    if len(names) == 1:
        return f"format {names[0]}"
    return f"formats {', '.join(names[:-1])} and {names[-1]}"


def newer_field_problems(exercise: Exercise, doc: Document) -> list[Problem]:
    """Every field of a later format than the file's `format:`, each with the fix."""
    if exercise.format >= FORMAT_VERSION:
        return []
    problems: list[Problem] = []
    format_line = doc.where(("format",))[0]
    at = f" at line {format_line}" if format_line else ""

    def walk(node: Any, path: Path_) -> None:
        if len(problems) >= 50:
            return
        if isinstance(node, BaseModel):
            model = type(node)
            for name in sorted(node.model_fields_set, key=list(model.model_fields).index):
                key = model.model_fields[name].alias or name
                added = field_since(model, name)
                if added > exercise.format:
                    line, col = doc.where((*path, key), key=True)
                    problems.append(
                        Problem(
                            doc.file,
                            line,
                            col,
                            f"`{key}` in {describe(path, doc.data)} is a format-{added} field, "
                            f"but this file is `format: {exercise.format}`",
                            f"write `format: {added}`{at} (format-{exercise.format} files stay "
                            f"valid in format {added}), or remove `{key}:`",
                        )
                    )
                walk(getattr(node, name), (*path, key))
        elif isinstance(node, list):
            for index, item in enumerate(node):
                walk(item, (*path, index))
        elif isinstance(node, dict):
            for key, value in node.items():
                walk(value, (*path, str(key)))

    walk(exercise, ())
    return problems


def _sorted(problems: list[Problem]) -> list[Problem]:
    return sorted(problems, key=lambda p: (p.line or 0, p.column or 0, p.message))


def pydantic_problems(exc: ValidationError, doc: Document) -> list[Problem]:
    """One problem per distinct place, with a fix, from pydantic's errors."""
    seen: dict[Path_, Problem] = {}
    misspelt: set[Path_] = set()
    for error in exc.errors(include_url=False):
        path, model = _data_path(error["loc"], doc.data)
        try:
            problem = _problem(error, path, model, doc)
        except Exception:  # never lose an error to a bug in the wording: say it plainly
            line, col = doc.where(path)
            problem = Problem(
                doc.file,
                line,
                col,
                f"{describe(path, doc.data)}: {error.get('msg', 'invalid value')}",
                "see `tabletop guide` for this field",
            )
        if error["type"] == "extra_forbidden" and problem.fix.startswith("did you mean '"):
            misspelt.add((*path[:-1], problem.fix.split("'")[1]))
        if path in seen:
            # A union tried several forms at one place: keep the first, clearest message.
            continue
        seen[path] = problem
    # A misspelt required key also reports the key as missing: the "did you mean" says it all.
    return [p for path, p in seen.items() if path not in misspelt]


def _data_path(loc: tuple[Any, ...], data: Any = None) -> tuple[Path_, type[BaseModel] | None]:
    """Turn pydantic's error location into a path in the data; return it and the model there.

    A location part is kept when it is a key or index present in the data, or a field
    of the model there (a missing field); anything else is a union tag and is dropped.
    """
    path: list[str | int] = []
    model: Any = Exercise
    node: Any = data
    for part in loc:
        is_model = isinstance(model, type) and issubclass(model, BaseModel)
        if isinstance(part, int):
            path.append(part)
            node = node[part] if _has(node, part) else None
            model = _item_model(model)
            continue
        if part == "[key]":
            continue
        name = _field_by_alias(model, part) if is_model else None
        if _has(node, part) or name is not None:
            path.append(part)
            node = node[part] if _has(node, part) else None
            if name is not None:
                model = _field_model(model.model_fields[name].annotation)
            elif get_origin(model) is dict:
                model = _field_model(get_args(model)[1])
            else:
                model = None
    return tuple(path), model if isinstance(model, type) and issubclass(model, BaseModel) else None


def _field_by_alias(model: type[BaseModel], key: str) -> str | None:
    for name, info in model.model_fields.items():
        if key in (name, info.alias):
            return name
    return None


def _unwrap(annotation: Any) -> list[Any]:
    origin = get_origin(annotation)
    if origin in (Union, types.UnionType):
        return [a for arg in get_args(annotation) for a in _unwrap(arg)]
    if origin is typing.Annotated:
        return _unwrap(get_args(annotation)[0])
    return [annotation]


def _field_model(annotation: Any) -> Any:
    """The model (or container) a field holds, looking through Optional and Annotated."""
    for arg in _unwrap(annotation):
        if isinstance(arg, type) and issubclass(arg, BaseModel):
            return arg
        if get_origin(arg) in (list, dict):
            return arg
    return None


def _item_model(container: Any) -> Any:
    if get_origin(container) is list:
        return _field_model(get_args(container)[0])
    return None


def _fields_of(model: type[BaseModel] | None) -> list[str]:
    if model is None:
        return []
    return [info.alias or name for name, info in model.model_fields.items()]


_SINGULAR = {
    "moves": "move",
    "teams": "team",
    "injects": "inject",
    "decisions": "decision",
    "options": "option",
    "objectives": "objective",
    "sources": "source",
    "state": "state track",
    "criteria": "criterion",
    "questions": "question",
    "next": "rule",
    "roles": "role card",
    "all": "condition",
    "any": "condition",
}
_EXPECTED = {
    "int": "a whole number",
    "float": "a number",
    "string": "text",
    "bool": "true or false",
    "list": "a list (lines starting with '- ')",
    "dict": "a mapping (key: value lines)",
    "model": "a mapping (key: value lines)",
}


def describe(path: Path_, data: Any) -> str:
    """A place in the file in an instructor's words, e.g. move 'm1' › decision 'dp1' › minutes."""
    words: list[str] = []
    node = data
    for index, part in enumerate(path):
        parent_key = path[index - 1] if index else None
        node = node[part] if _has(node, part) else None
        if isinstance(part, int):
            noun = _SINGULAR.get(str(parent_key), "item")
            ident = node.get("id") if isinstance(node, dict) else None
            label = (
                f"{noun} '{_clip(ident)}'"
                if isinstance(ident, str) and ident
                else f"{noun} {part + 1}"
            )
            if words and words[-1] == str(parent_key):
                words[-1] = label
            else:
                words.append(label)
        else:
            words.append(_clip(str(part)))
    return " › ".join(words) if words else "the exercise"


def _has(node: Any, part: str | int) -> bool:
    if isinstance(node, dict):
        return part in node
    return isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)


@dataclass(frozen=True)
class _Place:
    """One pydantic error at its place in the file: what each wording below needs."""

    doc: Document
    path: Path_
    kind: str
    msg: str
    ctx: dict[str, Any]
    line: int | None
    col: int | None

    @property
    def where(self) -> str:
        return describe(self.path, self.doc.data)

    @property
    def value(self) -> Any:
        return _value_at(self.doc.data, self.path)

    def problem(self, message: str, fix: str) -> Problem:
        return Problem(self.doc.file, self.line, self.col, message, fix)


def _problem(error: Any, path: Path_, model: type[BaseModel] | None, doc: Document) -> Problem:
    """One pydantic error as a problem an instructor can act on: where, what, and the fix."""
    kind = str(error["type"])
    made_up = path and not _has(_value_at(doc.data, path[:-1]), path[-1])
    if made_up and kind not in ("missing", "extra_forbidden"):
        # A key the model makes up from a short form (e.g. `resolve: each` -> mode): blame the value.
        path = path[:-1]
    if kind == "extra_forbidden":
        return _unknown_key(path, doc)
    if kind == "missing":
        line, col = doc.where(path[:-1])
        field = str(path[-1])
        return Problem(
            doc.file,
            line,
            col,
            f"{describe(path[:-1], doc.data)} is missing the required field '{field}'",
            f"add `{field}:` here",
        )
    place = _Place(doc, path, kind, str(error["msg"]), error.get("ctx") or {}, *doc.where(path))
    for wording in (_pattern, _length, _literal, _wrong_type, _out_of_range, _value_error):
        found = wording(place)
        if found is not None:
            return found
    return place.problem(f"{place.where}: {place.msg}", "see `tabletop guide` for this field")


def _unknown_key(path: Path_, doc: Document) -> Problem:
    """An unknown key, with the closest allowed key ("did you mean") or the allowed ones."""
    line, col = doc.where(path, key=True)
    key = str(path[-1])
    parent_model, _ = _parent_model(path)
    choices = _fields_of(parent_model)
    guess = difflib.get_close_matches(key, choices, n=1, cutoff=0.6)
    hint = (
        f"did you mean '{guess[0]}'?"
        if guess
        else (f"allowed here: {', '.join(choices)}" if choices else "remove it")
    )
    if " " in key.strip():  # words, not a key: a comma in `{a: x, y}` split a text in two
        hint = (
            "this looks like the rest of a text cut at a comma inside { }: put the whole "
            'text in quotes (text: "…, …") or write each key on its own line'
        )
    return Problem(
        doc.file, line, col, f"unknown key '{_clip(key)}' in {describe(path[:-1], doc.data)}", hint
    )


def _pattern(place: _Place) -> Problem | None:
    """A language tag or an id that does not match its pattern."""
    if place.kind != "string_pattern_mismatch":
        return None
    value = place.value
    if place.path == ("language",):
        return place.problem(
            f"{place.where}: {_show(value)} is not a language tag",
            "write a BCP 47 language tag: a two- or three-letter language code, optionally "
            "with a region or script, e.g. en, fr, es-MX, pt-BR, zh-Hant",
        )
    return place.problem(
        f"{place.where}: {_show(value)} is not a valid id",
        "ids are snake_case: lower-case letters, digits and '_', starting with a letter"
        + (f", e.g. '{_snake(value)}'" if isinstance(value, str) and _snake(value) else ""),
    )


def _length(place: _Place) -> Problem | None:
    """Text or a list too long or too short."""
    if place.kind not in ("string_too_long", "too_long", "string_too_short", "too_short"):
        return None
    longer = "long" in place.kind
    limit = place.ctx.get("max_length" if longer else "min_length")
    unit = "characters" if place.kind.startswith("string") else "items"
    return place.problem(
        f"{place.where}: too {'long' if longer else 'short'} "
        f"({'at most' if longer else 'at least'} {limit} {unit})",
        "shorten it" if longer else "add to it",
    )


def _literal(place: _Place) -> Problem | None:
    """A value outside a fixed list (a resolve form gets its own list)."""
    if place.kind != "literal_error":
        return None
    shown = _show(place.value)
    if place.path and place.path[-1] == "resolve":
        return place.problem(
            f"{place.where}: {shown} is not a way to resolve a decision",
            "use each, majority, facilitator, or {team: ID}",
        )
    return place.problem(
        f"{place.where}: {shown} is not allowed",
        f"use {place.ctx.get('expected', 'one of the listed values')}",
    )


def _wrong_type(place: _Place) -> Problem | None:
    """A value of the wrong type, with the usual YAML slip behind it as the fix."""
    prefix = place.kind.split("_")[0]
    if prefix not in _EXPECTED or not place.kind.endswith(("_type", "_parsing", "_from_float")):
        return None
    expected = _EXPECTED[prefix]
    value = place.value
    fix = f"write {expected}"
    if prefix == "string" and isinstance(value, (int, float, bool)):
        fix = "put the value in quotes"
    elif prefix == "string" and isinstance(value, dict) and len(value) == 1:
        fix = "the text contains ': ', which YAML reads as a key: put the whole text in quotes"
    elif prefix == "list" and isinstance(value, (str, int, float)):
        fix = f"write a list even for one item: [{value}]"
    elif prefix == "int":
        fix = "write the number in digits, e.g. 30"
    elif prefix == "bool":
        fix = "write true or false (no quotes)"
    return place.problem(f"{place.where}: expected {expected}, found {_show(value)}", fix)


_BOUNDS = {
    "greater_than": "more than",
    "greater_than_equal": "at least",
    "less_than": "less than",
    "less_than_equal": "at most",
}


def _out_of_range(place: _Place) -> Problem | None:
    """A number outside its bounds."""
    if place.kind not in _BOUNDS:
        return None
    bound = next(iter(place.ctx.values()), "?")
    return place.problem(
        f"{place.where}: {_show(place.value)} is out of range",
        f"use a number {_BOUNDS[place.kind]} {bound}",
    )


def _value_error(place: _Place) -> Problem | None:
    """A model's own check: its message is `what is wrong; the fix`."""
    if place.kind != "value_error":
        return None
    message = str(place.ctx.get("error", place.msg))
    text, _, fix = message.partition("; ")
    needed = re.search(r"needs `(\w+):`", text)
    if not fix and needed:
        fix = f"add `{needed.group(1)}:`"
    elif not fix and ": `" in text:
        text, _, example = text.partition(": `")
        fix = f"write `{example}"
    return place.problem(f"{place.where}: {text}", fix or "see `tabletop guide`")


def _clip(text: str, limit: int = 40) -> str:
    """A text cut to `limit` characters, so a hostile value cannot flood the report."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _show(value: Any) -> str:
    if isinstance(value, str):
        return repr(value[:40] + ("…" if len(value) > 40 else ""))
    if isinstance(value, (dict, list)):
        return "a mapping" if isinstance(value, dict) else "a list"
    return "nothing" if value is None else repr(value)


def _snake(value: str) -> str:
    text = re.sub(r"[^a-z0-9]+", "_", value.strip().lower()).strip("_")
    if text and not text[0].isalpha():
        text = f"x_{text}"
    return text[:64]


def _parent_model(path: Path_) -> tuple[type[BaseModel] | None, Path_]:
    _, model = _data_path(path[:-1])
    return (model if path[:-1] else Exercise), path[:-1]


def _parent_name(path: Path_) -> str:
    parent = path[:-1]
    return ".".join(str(p) for p in parent) if parent else "the exercise"


def _value_at(data: Any, path: Path_) -> Any:
    for part in path:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return None
    return data
