"""Crash reports: an unexpected error's full traceback goes to a file the user can attach.

The user sees one line naming the file; the traceback never reaches the terminal.
"""

from __future__ import annotations

import os
import platform
import sys
import tempfile
import traceback
from datetime import UTC, datetime
from pathlib import Path

from ttx import __version__
from ttx.paths import data_dir


def write_crash_report(error: BaseException, doing: str) -> Path | None:
    """Write the traceback of `error` (while `doing`) to a new log file; its path, or None.

    The log goes to the data folder's `crashes/`, or the temporary folder when that
    cannot be written. Writing it never raises.
    """
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    text = (
        f"ttx {__version__} crashed while: {doing}\n"
        f"when: {datetime.now(UTC).isoformat(timespec='seconds')}\n"
        f"python: {sys.version.split()[0]} on {platform.platform()}\n"
        f"command: {' '.join(sys.argv)!r}\n\n" + "".join(traceback.format_exception(error))
    )
    for folder in (data_dir() / "crashes", Path(tempfile.gettempdir())):
        try:
            folder.mkdir(parents=True, exist_ok=True)
            path = folder / f"crash-{stamp}-{os.getpid()}.log"
            path.write_text(text, encoding="utf-8", errors="backslashreplace")
            return path
        except OSError:
            continue
    return None


def crash_message(error: BaseException, report: Path | None) -> str:
    """The one line (plus a reassurance) shown for an unexpected error."""
    detail = str(error).strip().splitlines()
    what = f"{type(error).__name__}: {detail[0]}" if detail else type(error).__name__
    where = (
        f"The details are in {report}; please attach that file when you report this."
        if report
        else (
            "No crash report could be written (the data folder and the temporary folder are not writable)."
        )
    )
    return f"unexpected error: {what}\n{where}\nNothing recorded was lost."
