"""Turn an `Imported` exercise into the commented YAML file `tabletop import` writes."""

from __future__ import annotations

import re
import textwrap
from datetime import UTC, datetime
from typing import Any

import yaml

from ttx.importers.common import Imported

WIDTH = 88
_ID = re.compile(r"^[a-z][a-z0-9_]*$")
_ON_ONE_LINE = {"decision", "option", "team", "state", "lt", "lte", "gt", "gte", "eq", "id", "name"}
"""Mappings with only these keys (conditions, `resolve: {team: x}`, plain teams) are written
on one line when short, as authors write them."""


class _Dumper(yaml.SafeDumper):
    """Block style for multi-line text, keys in the order given, lists indented, no aliases."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    if "\n" in value:
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|")
    return dumper.represent_scalar("tag:yaml.org,2002:str", value)


def _ids(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) and _ID.match(v) for v in value)


def _list(dumper: yaml.SafeDumper, value: list[Any]) -> yaml.SequenceNode:
    """Lists of ids on one line (`to: [eoc, schools]`), other lists one item a line."""
    flow = bool(value) and _ids(value) and len(str(value)) < 70
    return dumper.represent_sequence("tag:yaml.org,2002:seq", value, flow_style=flow)


def _dict(dumper: yaml.SafeDumper, value: dict[str, Any]) -> yaml.MappingNode:
    """Conditions and other small mappings of short values on one line."""
    flow = (
        bool(value)
        and set(value) <= _ON_ONE_LINE
        and all(
            isinstance(v, int) or (isinstance(v, str) and "\n" not in v) or _ids(v)
            for v in value.values()
        )
        and len(str(value)) < 70
    )
    return dumper.represent_mapping("tag:yaml.org,2002:map", value, flow_style=flow)


class _Block(dict[str, Any]):
    """A mapping always written in block style (the file's top level)."""


def _block(dumper: yaml.SafeDumper, value: _Block) -> yaml.MappingNode:
    return dumper.represent_mapping("tag:yaml.org,2002:map", value, flow_style=False)


_Dumper.add_representer(_Block, _block)
_Dumper.add_representer(str, _text)
_Dumper.add_representer(list, _list)
_Dumper.add_representer(dict, _dict)


def dump(value: Any) -> str:
    """YAML for plain data, keys in insertion order, Unicode kept."""
    return yaml.dump(
        value,
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        width=WIDTH,
        default_flow_style=False,
    )


def _comment(lines: list[str]) -> list[str]:
    out: list[str] = []
    for line in lines:
        if not line:
            out.append("#")
            continue
        wrapped = textwrap.wrap(
            line,
            WIDTH - 2,
            subsequent_indent="  " if line.startswith("- ") else "",
            break_long_words=False,
            break_on_hyphens=False,
        )
        out.extend(f"# {part}" for part in wrapped or [""])
    return out


def to_yaml(imported: Imported, *, file_name: str) -> str:
    """The whole file: a header saying where it came from and what was left behind, then
    each top-level section with the importer's comments above it."""
    today = datetime.now(UTC).date().isoformat()
    header = [
        f"Imported by `tabletop import` from {imported.source.name} ({imported.kind}) on {today}.",
        f"Check it with `tabletop validate {file_name}`; `tabletop guide` explains every field.",
        "",
    ]
    if imported.dropped:
        header.append(
            "Could not carry over (the format cannot say these, or the source lacked them):"
        )
        header.extend(f"- {sentence}" for sentence in imported.dropped)
    else:
        header.append("Everything in the source was carried over.")
    lines = _comment(header)
    for key, value in imported.exercise.items():
        notes = imported.comments.get(key, [])
        if notes:
            lines.append("")
            lines.extend(_comment(notes))
        lines.append(dump(_Block({key: value})).rstrip("\n"))
    return "\n".join(lines) + "\n"
