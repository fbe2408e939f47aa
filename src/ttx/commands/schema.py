"""`tabletop schema`: print the JSON Schema of the exercise format (for editors)."""

from __future__ import annotations

import argparse
import sys

from ttx.model.json_schema import schema_text


def run(args: argparse.Namespace) -> int:
    """Write the schema to standard output."""
    sys.stdout.write(schema_text())
    return 0
