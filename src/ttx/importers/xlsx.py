"""MSEL spreadsheets saved as .xlsx: the sheet's cells as text rows, for `ttx.importers.msel`.

openpyxl reads the workbook read-only with cached values (formulas are not run).
The first sheet whose header maps is used; dates and times become text the MSEL
importer reads ('2026-06-01 09:30', '09:30').
"""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from ttx.importers.common import Imported, ImportError_
from ttx.importers.msel import KIND, import_rows

MAX_ROWS = 5000
MAX_COLUMNS = 60


def cell_text(value: Any) -> str:
    """A cell's value as the text a person would read in it."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        if value.time() == time(0, 0):
            return value.date().isoformat()
        if value.date() == date(1899, 12, 30) or value.year < 1901:  # a time typed alone
            return value.strftime("%H:%M")
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return value.strftime("%H:%M")
    if isinstance(value, timedelta):
        minutes = int(value.total_seconds() // 60)
        return f"{minutes // 60:02d}:{minutes % 60:02d}"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


MAX_UNPACKED = 100 * 1024 * 1024
"""The most a workbook may unpack to; a real MSEL is a small fraction of it."""


def _check_size(path: Path, data: bytes) -> None:
    """Refuse a workbook that would unpack to far more than any MSEL (a zip bomb)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError, OSError):
        return  # openpyxl's own error says it is damaged
    if unpacked > MAX_UNPACKED:
        raise ImportError_(
            f"{path}: the workbook unpacks to {unpacked // (1024 * 1024)} MB, more than an MSEL "
            f"could need ({MAX_UNPACKED // (1024 * 1024)} MB); save the MSEL sheet alone as .csv"
        )


def import_xlsx(path: Path, data: bytes) -> Imported:
    """Import the first sheet of the workbook that maps as an MSEL."""
    import openpyxl

    _check_size(path, data)
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError) as exc:
        raise ImportError_(
            f"{path}: not a readable .xlsx workbook ({type(exc).__name__}); open it in a "
            "spreadsheet program and save it again as .xlsx or .csv"
        ) from None
    except Exception as exc:  # openpyxl raises many kinds on damaged files
        raise ImportError_(
            f"{path}: not a readable .xlsx workbook ({exc.__class__.__name__}); save it again "
            "as .xlsx or .csv"
        ) from None
    first_error: ImportError_ | None = None
    try:
        for sheet in book.worksheets:
            rows: list[list[str]] = []
            for row in sheet.iter_rows(max_row=MAX_ROWS, max_col=MAX_COLUMNS, values_only=True):
                rows.append([cell_text(v) for v in row])
            try:
                imported = import_rows(path, rows, f"{KIND} (XLSX, sheet '{sheet.title}')")
            except ImportError_ as exc:
                first_error = first_error or ImportError_(
                    str(exc).replace(f"{path}:", f"{path} (sheet '{sheet.title}'):", 1)
                )
                continue
            if sheet.max_row and sheet.max_row > MAX_ROWS:
                imported.drop(f"Rows after {MAX_ROWS} of sheet '{sheet.title}' were not read.")
            return imported
    finally:
        book.close()
    raise first_error or ImportError_(f"{path}: the workbook has no sheets")
