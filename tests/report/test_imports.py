"""Starting a render from the console costs nothing: no WeasyPrint, no Textual in the caller."""

from __future__ import annotations

import subprocess
import sys


def test_jobs_and_contexts_do_not_import_weasyprint_or_textual() -> None:
    code = (
        "import sys, ttx.report.jobs, ttx.report.aar, ttx.report.handouts, ttx.commands.report;"
        "print('weasyprint' in sys.modules, 'textual' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["False", "False"]
