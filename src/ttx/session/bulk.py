"""Reading and replaying a whole journal without the cyclic garbage collector's pauses.

Replaying 10,000 events allocates some 100,000 objects, none of them in reference
cycles; each allocation burst makes CPython's collector walk every object the
program holds (the console's widgets, the exercise, pydantic's schemas), which cost
a quarter of reopening a session in a fresh `tabletop resume`. Reference counting still
frees everything as usual; the collector resumes as soon as the bulk work ends (and
catches up on any cycles made meanwhile).
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def bulk_work() -> Iterator[None]:
    """Pause automatic cyclic garbage collection for the duration (nesting-safe)."""
    was_enabled = gc.isenabled()
    if was_enabled:
        gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
