"""`tabletop new TITLE`: write a commented starter exercise that validates as is."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from ttx.commands.outputs import OutputRefused, output_path
from ttx.model.starter import clean_title, slugify, starter_yaml
from ttx.safe_text import echo


def target_path(title: str, output: str | None) -> Path:
    """Where the starter goes: `-o FILE`, `-o FOLDER/<slug>.yaml`, or `./<slug>.yaml`.

    Raises OutputRefused for `-o ''` or a target that is not a regular file.
    """
    default_name = f"{slugify(title)}.yaml"
    return output_path(output, default_name, Path(default_name))


def run(args: argparse.Namespace) -> int:
    """Write the starter file; exit 0 on success, 1 when it cannot or would overwrite."""
    title = clean_title(args.title)
    if not title:
        echo(
            'tabletop new: the title is empty; give one, e.g. tabletop new "Border Crisis"',
            file=sys.stderr,
        )
        return 1
    try:
        path = target_path(title, args.output)
    except OutputRefused as exc:
        echo(f"tabletop new: {exc}", file=sys.stderr)
        return exc.exit_code
    shown = _shown(path)
    if path.exists() and not args.force:
        echo(
            f"tabletop new: {shown} already exists; choose another name with -o FILE.yaml, "
            "or add --force to overwrite it",
            file=sys.stderr,
        )
        return 1
    if path.exists() and path.is_dir():
        echo(
            f"tabletop new: {shown} is a folder; give a file name with -o FILE.yaml",
            file=sys.stderr,
        )
        return 1
    if not path.parent.is_dir():
        echo(
            f"tabletop new: the folder {_shown(path.parent)} does not exist; create it first "
            "or choose another -o path",
            file=sys.stderr,
        )
        return 1
    text = starter_yaml(title, file_name=path.name)
    try:
        _write(path, text)
    except OSError as exc:
        reason = exc.strerror or str(exc)
        echo(f"tabletop new: could not write {shown}: {reason}", file=sys.stderr)
        return 1
    echo(f"Wrote {shown}, a starter exercise titled {title!r} (id: {slugify(title)}).")
    quoted = _quoted(shown)
    steps = [
        (f"tabletop validate {quoted}", "check it (it is valid as written)"),
        (f"tabletop handouts {quoted} -o DIR", "print the handouts (PDF)"),
        (f"tabletop run {quoted}", "run a session in the console"),
    ]
    width = max(len(command) for command, _ in steps)
    echo("Next steps:")
    for command, what in steps:
        echo(f"  {command.ljust(width)}   {what}")
    echo(
        "Edit it section by section; the comments and `tabletop guide` "
        "(the authoring guide) explain every field."
    )
    return 0


def _write(path: Path, text: str) -> None:
    """Write through a temporary file so a failed write never leaves half a file."""
    temporary = path.with_name(f".{path.name}.tmp")
    try:
        temporary.write_text(text, encoding="utf-8")
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)  # never leave the temporary file behind
        raise


def _shown(path: Path) -> str:
    """The path as the user would type it: relative to the current folder when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def _quoted(text: str) -> str:
    """Quote a path for the shell when it holds spaces or other special characters."""
    if text and all(c.isalnum() or c in "-_./" for c in text):
        return text
    return "'" + text.replace("'", "'\"'\"'") + "'"
