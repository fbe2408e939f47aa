"""Turn an `Imported` exercise into the commented YAML file `tabletop import` writes."""

from __future__ import annotations

import re
import textwrap
from datetime import UTC, datetime
from typing import Any

import yaml

from ttx.importers.common import Imported

WIDTH = 88


class _Dumper(yaml.SafeDumper):
    """Block style for multi-line text, plain keys in the order given, lists indented."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def _text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    if "\n" in value:
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|")
    return dumper.represent_scalar("tag:yaml.org,2002:str", value)


_ID = re.compile(r"^[a-z][a-z0-9_]*$")


def _list(dumper: yaml.SafeDumper, value: list[Any]) -> yaml.SequenceNode:
    """Lists of ids on one line (`to: [eoc, schools]`), other lists one item a line."""
    flow = bool(value) and all(isinstance(v, str) and _ID.match(v) for v in value)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", value, flow_style=flow)


_Dumper.add_representer(str, _text)
_Dumper.add_representer(list, _list)


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


def _comment(lines: list[str], indent: str = "") -> list[str]:
    out: list[str] = []
    for line in lines:
        if not line:
            out.append(f"{indent}#")
            continue
        bullet = line.startswith("- ")
        wrapped = textwrap.wrap(
            line,
            WIDTH - len(indent) - 2,
            subsequent_indent="  " if bullet else "",
            break_long_words=False,
            break_on_hyphens=False,
        )
        out.extend(f"{indent}# {part}" for part in wrapped or [""])
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
        header.append("Could not carry over (format 1 cannot say these, or the source lacked them):")
        header.extend(f"- {sentence}" for sentence in imported.dropped)
    else:
        header.append("Everything in the source was carried over.")
    lines = _comment(header)
    for key, value in imported.exercise.items():
        notes = imported.comments.get(key, [])
        if notes:
            lines.append("")
            lines.extend(_comment(notes))
        lines.append(dump({key: value}).rstrip("\n"))
    return "\n".join(lines) + "\n"
