"""The warm worker's protocol: load everything first, then wait for one job on standard input.

`python -m ttx.report.worker warm` imports WeasyPrint, the modules that read a
session or an exercise, and the fonts, then waits for one job: the same four
arguments as a cold worker's (`handouts|report SOURCE TARGET PAPER`), as one JSON
list on one line. That is how `ttx.report.jobs.prepare_worker` gets a worker
ready before the user asks.
"""

from __future__ import annotations

import importlib
import json
import select
import sys

from ttx.report import processes

WARM_IDLE_LIMIT = 900.0
"""Seconds a warm worker waits for its job before it exits on its own."""


def load_everything() -> None:
    """WeasyPrint, the fonts and the modules that read a session or an exercise and fill
    its HTML, loaded, then kept out of the garbage collector's sight (`processes.keep_loaded`)."""
    from ttx.report import render

    render.warm_up()
    for module in ("ttx.service.journal", "ttx.report.aar", "ttx.report.handouts"):
        importlib.import_module(module)
    processes.keep_loaded()


def wait_for_job() -> list[str] | None:
    """Load what a render needs (`load_everything`), then read one job from stdin.

    None when the parent closed the pipe (it went away or discarded the worker),
    or after `WARM_IDLE_LIMIT` seconds without a job, or when the line is not a job.
    """
    load_everything()
    ready, _, _ = select.select([sys.stdin], [], [], WARM_IDLE_LIMIT)
    if not ready:
        return None
    line = sys.stdin.readline()
    try:
        job = json.loads(line)
    except json.JSONDecodeError:
        return None
    if not isinstance(job, list) or not all(isinstance(a, str) for a in job):
        return None
    return job
