"""One recorder per session: an OS file lock on a per-session lock file beside the journal.

The lock dies with its process (even on SIGKILL), so a crash never leaves a session
locked. The lock file holds the owner's pid and host for the "open elsewhere" message.
"""

from __future__ import annotations

import contextlib
import os
import socket
import sys
from pathlib import Path
from typing import IO

from ttx.store.errors import JournalUnwritable, SessionLocked


def lock_dir(db_path: Path) -> Path:
    """The folder of lock files for a journal file."""
    return db_path.parent / f"{db_path.name}.locks"


def _try_lock(handle: IO[bytes]) -> bool:
    if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
        import msvcrt

        try:
            handle.seek(0)  # every process locks the same first byte
            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


class SessionLock:
    """A held lock on one session; `release()` frees it (closing the process frees it too)."""

    def __init__(self, path: Path, handle: IO[bytes]) -> None:
        self.path = path
        self._handle: IO[bytes] | None = handle

    @classmethod
    def acquire(cls, db_path: Path, session_id: str) -> SessionLock:
        """Lock a session for recording, or raise SessionLocked naming the other ttx."""
        folder = lock_dir(db_path)
        path = folder / f"{session_id}.lock"
        try:
            folder.mkdir(parents=True, exist_ok=True)
            # Unbuffered: a failed write of the owner note (a full disk) leaves nothing
            # buffered for close() to retry, so releasing never raises in its place.
            handle = open(path, "a+b", buffering=0)  # noqa: SIM115 - held for the lock's lifetime
        except OSError as exc:
            raise JournalUnwritable(
                f"cannot create the session lock {path}: {exc.strerror or exc}; "
                "make the folder writable or set TTX_HOME to a writable folder"
            ) from exc
        if not _try_lock(handle):
            pid, host = _owner(handle)
            handle.close()
            where = f"pid {pid}" if pid else "another process"
            if host and host != socket.gethostname():
                where += f" on {host}"
            raise SessionLocked(
                f"session {session_id} is open in another ttx ({where}); close it or use "
                f"`tabletop project {session_id}` to watch it read-only",
                pid=pid,
                host=host,
            )
        try:
            handle.seek(0)
            handle.truncate()
            handle.write(f"{os.getpid()} {socket.gethostname()}\n".encode())
            handle.flush()
        except OSError:
            pass  # the lock holds even if the note about its owner cannot be written
        return cls(path, handle)

    def release(self) -> None:
        """Free the lock (safe to call twice)."""
        if self._handle is not None:
            handle, self._handle = self._handle, None
            with contextlib.suppress(OSError):  # the OS frees the lock whatever close says
                handle.close()

    @property
    def held(self) -> bool:
        """True until released."""
        return self._handle is not None


def probe_held(folder: Path) -> str | None:
    """The id of a session whose lock in `folder` is held now (by any process), or None."""
    try:
        paths = sorted(folder.glob("*.lock"))
    except OSError:
        return None
    for path in paths:
        try:
            handle = open(path, "a+b", buffering=0)  # noqa: SIM115 - closed just below
        except OSError:
            continue
        try:
            if not _try_lock(handle):
                return path.stem
        finally:
            handle.close()  # closing frees the probe's own lock
    return None


def _owner(handle: IO[bytes]) -> tuple[int | None, str | None]:
    try:
        handle.seek(0)
        parts = handle.read(200).decode("utf-8", "replace").split()
    except OSError:
        return None, None
    pid = int(parts[0]) if parts and parts[0].isdigit() else None
    host = parts[1] if len(parts) > 1 else None
    return pid, host
