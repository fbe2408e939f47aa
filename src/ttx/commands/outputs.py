"""The one rule for `-o`: what a command writes to, decided the same way by every command.

- `-o ''` is refused (it used to be silently ignored);
- an existing folder, or a name ending in `/`, means a folder: the command's usual file
  name goes inside it (a missing folder named with `/` is created);
- anything else that exists must be a regular file: a device, a pipe (FIFO) or a
  socket is refused, never replaced by a file (as root, `-o /dev/null` would have
  replaced `/dev/null`).
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from ttx.errors import TtxError


class OutputRefused(TtxError):
    """The `-o` value cannot be used; `str(error)` says why and what to give instead (exit 1)."""


def output_path(raw: str | None, default_name: str, default: Path) -> Path:
    """The file to write for `-o raw` (None: `default`); OutputRefused when it cannot be used."""
    if raw is None:
        target = default
    elif not raw.strip():
        raise OutputRefused("-o is empty; give a file or folder name, or leave -o out")
    else:
        path = Path(raw).expanduser()
        if raw.endswith(("/", os.sep)):
            try:
                path.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise OutputRefused(
                    f"cannot create the folder {raw}: {exc.strerror or exc}; choose another -o"
                ) from exc
            target = path / default_name
        elif _is_dir(path):
            target = path / default_name
        else:
            target = path
    check_writable_target(target)
    return target


def _is_dir(path: Path) -> bool:
    try:
        return path.is_dir()
    except OSError as exc:  # a name too long, a loop of links...
        raise OutputRefused(f"cannot use -o {path}: {exc.strerror or exc}") from exc


def check_writable_target(target: Path) -> None:
    """Refuse a target that exists and is not a regular file (a folder, a device, a FIFO...)."""
    try:
        mode = target.stat().st_mode
    except OSError:
        return  # missing (it will be created), or the write itself will say what is wrong
    if stat.S_ISDIR(mode):
        raise OutputRefused(f"{target} is a folder; give a file name")
    if not stat.S_ISREG(mode):
        raise OutputRefused(
            f"{target} exists and is not a regular file (a device, a pipe or a socket); "
            "choose another -o"
        )
