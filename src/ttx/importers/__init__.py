"""`tabletop import`: other tools' scenario files as format-1 exercises.

`import_source(path)` picks the importer from the file (its extension, and for JSON
its shape) and returns an `Imported` exercise; `ttx.importers.writer.to_yaml` turns
that into the commented YAML file. Every problem with the source is an
`ImportError_` (exit code 2) whose message names the file and, where it can, the
row or key and the fix.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ttx.importers.common import Imported, ImportError_, read_bytes, read_text

__all__ = ["ImportError_", "Imported", "import_source"]

FORMATS = (
    "an HSEEP-style MSEL spreadsheet (.csv, .tsv or .xlsx), "
    "an IcebergTTX scenario (.json) or a T3SF MSEL (.json)"
)


def import_source(path: Path) -> Imported:
    """Read `path` with the importer its kind calls for."""
    suffix = path.suffix.lower()
    if suffix in (".csv", ".tsv", ".txt"):
        from ttx.importers.msel import import_rows, read_csv

        return import_rows(path, read_csv(path, read_text(path)))
    if suffix in (".xlsx", ".xlsm"):
        from ttx.importers.xlsx import import_xlsx

        return import_xlsx(path, read_bytes(path))
    if suffix == ".json":
        return import_json(path, load_json(path, read_text(path)))
    if suffix in (".xls", ".ods", ".numbers"):
        raise ImportError_(
            f"{path}: {suffix} spreadsheets cannot be read; save the sheet as .xlsx or .csv "
            "(File → Save As) and import that"
        )
    raise ImportError_(
        f"{path}: unknown kind of file ({suffix or 'no extension'}); import {FORMATS}"
    )


def load_json(path: Path, text: str) -> Any:
    """The JSON value of `text`, or one message with the line and column of the mistake."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ImportError_(
            f"{path}:{exc.lineno}:{exc.colno}: not valid JSON ({exc.msg}); fix the file or "
            "export it again from the tool that wrote it"
        ) from None
    except RecursionError:
        raise ImportError_(f"{path}: the JSON is nested too deeply to be a scenario") from None


def import_json(path: Path, data: Any) -> Imported:
    """An IcebergTTX scenario (an object with `injects`) or a T3SF MSEL (a list of injects)."""
    if isinstance(data, dict) and "injects" in data:
        from ttx.importers.iceberg import import_iceberg

        return import_iceberg(path, data)
    if isinstance(data, list) and any(
        isinstance(item, dict) and ("Script" in item or "Player" in item) for item in data
    ):
        from ttx.importers.t3sf import import_t3sf

        return import_t3sf(path, data)
    shape = (
        f"an object with the keys {', '.join(repr(k) for k in sorted(map(str, data))[:8]) or '(none)'}"
        if isinstance(data, dict)
        else "a list of injects without `Player` and `Script`"
        if isinstance(data, list)
        else f"a single {type(data).__name__} value"
    )
    raise ImportError_(
        f"{path}: the JSON is {shape}, neither an IcebergTTX scenario (an object with "
        "`injects` and `start_inject_id`) nor a T3SF MSEL (a list of injects with `Player` "
        "and `Script`)"
    )
