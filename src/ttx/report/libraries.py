"""WeasyPrint's native libraries found from the loader's cache: a faster import on Linux.

Kept apart from `ttx.report.render` (which needs Jinja and the templates) so that
anything that only imports WeasyPrint starts as fast as the worker does.
"""

from __future__ import annotations

import os
from typing import Any

_SONAME_CACHE: list[str] | None = None


def find_in_loader_cache(name: str) -> str | None:
    """`ctypes.util.find_library` on Linux without a compiler: the loader's cache, read once.

    WeasyPrint 70 tries several spellings of each library's name; cffi asks
    `find_library` about each that is not a file name, and on Linux every miss
    runs `ldconfig`, `gcc` and `ld` (~25 ms), some 0.3 s per process start.
    The soname found is the one `find_library` itself would find first.
    """
    import re
    import subprocess

    global _SONAME_CACHE
    if _SONAME_CACHE is None:
        try:
            listing = subprocess.run(
                ["/sbin/ldconfig", "-p"],
                capture_output=True,
                text=True,
                env={"LC_ALL": "C", "LANG": "C"},
                timeout=10,
                check=False,
            ).stdout
        except (OSError, subprocess.SubprocessError):
            listing = ""
        _SONAME_CACHE = listing.splitlines()
    pattern = re.compile(rf"\s+(lib{re.escape(name)}\.[^\s]+)\s+\(libc6,x86-64")
    for line in _SONAME_CACHE:
        match = pattern.match(line)
        if match is not None:
            return match.group(1)
    return None


def import_weasyprint() -> Any:
    """`import weasyprint`, looking its libraries up in the loader's cache on x86-64 Linux."""
    import sys

    if "weasyprint" in sys.modules or sys.platform != "linux" or os.uname().machine != "x86_64":
        import weasyprint

        return weasyprint
    import ctypes.util

    original = ctypes.util.find_library
    ctypes.util.find_library = find_in_loader_cache
    try:
        import weasyprint
    except OSError:
        # A library the cache does not know: let the full search find it.
        for module in [m for m in sys.modules if m == "weasyprint" or m.startswith("weasyprint.")]:
            del sys.modules[module]
        ctypes.util.find_library = original
        import weasyprint
    finally:
        ctypes.util.find_library = original
    return weasyprint
