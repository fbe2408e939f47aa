"""`RoomServer`: the holder's handle on the room's web server process.

The holder (the console, or headless `tabletop room`) keeps the session and is the
journal's only writer. `RoomServer` starts the server's own process
(`ttx.room.process`), which reads the same journal read-only and builds the pages there
(`ttx.room.follow`); the holder only pings it when the session changed (`publish`), and
applies each submission the server forwards through the holder's `apply`, answering the
page only once the events are committed.
"""

from __future__ import annotations

import contextlib
import subprocess
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ttx.errors import TtxError
from ttx.paths import sessions_db
from ttx.room import codes as join_codes
from ttx.room.address import lan_address
from ttx.room.process import PORT_TAKEN, launch
from ttx.room.submissions import Apply, handle
from ttx.room.views import team_names
from ttx.session.state import SessionState

IDLE_SECONDS = 30 * 60
"""The room closes after this long with no request from any device."""
START_SECONDS = 30


class RoomError(TtxError):
    """The room cannot be opened (the port is taken, the address cannot be used)."""


class PortTaken(RoomError):
    """Another program (or another room) listens on the port asked for."""


class RoomServer:
    """The room of one session: start it, publish the session's changes, stop it.

    `state` returns the session's current state and `apply` applies a command in the
    holder (it raises `CommandError` when refused); both are called from the room's own
    threads, so the holder passes thread-safe ones (`Session.apply` is; the console
    passes one that runs on its own thread). `revealed` returns the decisions whose
    answers the room may see. `on_close(reason)` is told when the room closes by itself.
    """

    def __init__(
        self,
        session_id: str,
        state: Callable[[], SessionState],
        apply: Apply,
        *,
        host: str | None = None,
        port: int = 0,
        record: bool = False,
        journal_path: Path | None = None,
        on_close: Callable[[str], None] | None = None,
        idle_seconds: float = IDLE_SECONDS,
    ) -> None:
        self.session_id = session_id
        self._state = state
        self._apply = apply
        self.host = host or lan_address()
        self.port = port
        self.record = record
        """True: answers from the room are recorded directly; False: they are proposals."""
        self._journal_path = journal_path or sessions_db()
        self._on_close = on_close
        self._idle = idle_seconds
        self.team_names = team_names(state())
        self.codes: dict[str, str] = {}
        self._conn: Any = None
        self._process: Any = None
        self._send_lock = threading.Lock()
        self._threads: list[threading.Thread] = []
        self.closed_because: str | None = None
        self.running = False

    # -- addresses -----------------------------------------------------------------------

    @property
    def url(self) -> str:
        """The room's address, e.g. http://192.168.1.20:8765 (what the projector shows)."""
        host = lan_address() if self.host in ("0.0.0.0", "") else self.host
        shown = f"[{host}]" if ":" in host else host
        return f"http://{shown}:{self.port}"

    def join_url(self, team_id: str) -> str | None:
        """A team's join address (None: its code is revoked)."""
        code = self.codes.get(team_id)
        return f"{self.url}/j/{code}" if code else None

    def join_urls(self) -> dict[str, str | None]:
        """Every team of the room with its join address (None where revoked), in set-up order."""
        return {team: self.join_url(team) for team in self.team_names}

    # -- start and stop ------------------------------------------------------------------

    def start(self) -> None:
        """Issue or load the codes, start the server process and wait until it listens.

        Raises `RoomError` with a message for the facilitator when it cannot listen.
        """
        self.codes = join_codes.load_or_issue(self.session_id, list(self.team_names))
        first = {"codes": dict(self.codes), "record": self.record}
        try:
            mine, process = launch(
                self.host,
                self.port,
                (self._journal_path, self.session_id),
                join_codes.page_secret(self.session_id),
                first,
                self._idle,
            )
        except OSError as error:
            raise RoomError(f"the room's web server cannot start: {error}") from None
        if not mine.poll(START_SECONDS):
            process.kill()
            process.wait(5)
            mine.close()
            raise RoomError("the room's web server did not start in time; try again")
        try:
            reply = mine.recv()
        except (EOFError, OSError):
            process.wait(5)
            mine.close()
            raise RoomError("the room's web server stopped as it started; try again") from None
        if reply[0] == "error":
            process.wait(5)
            mine.close()
            where = f"{self.host}:{self.port}"
            if reply[1] == PORT_TAKEN:
                raise PortTaken(
                    f"port {self.port} on {self.host} is taken (another program or another "
                    "room uses it); choose another with --port, or --port 0 to let ttx choose"
                )
            if reply[1] == "journal":
                raise RoomError(f"the room's web server cannot read the session: {reply[2]}")
            raise RoomError(f"the room cannot listen on {where}: {reply[2]}; try another --host")
        self.port = int(reply[1])
        self._conn, self._process = mine, process
        self.running = True
        self.closed_because = None
        self._push({"address": self.url})
        self._threads = [threading.Thread(target=self._read, name="room-reader", daemon=True)]
        for thread in self._threads:
            thread.start()

    def stop(self) -> None:
        """Stop serving (safe to call twice): the port is free again when this returns."""
        if not self.running:
            return
        self.running = False
        with contextlib.suppress(OSError, ValueError):
            self._send(("stop",))
        if self._process is not None:
            try:
                self._process.wait(5)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait(5)
        if self._conn is not None:
            self._conn.close()
        for thread in self._threads:
            if thread is not threading.current_thread():
                thread.join(5)

    def wait(self, timeout: float | None = None) -> bool:
        """Wait until the server process ends (True) or `timeout` passes (False)."""
        if self._process is None:
            return True
        try:
            self._process.wait(timeout)
        except subprocess.TimeoutExpired:
            return False
        return True

    # -- codes ---------------------------------------------------------------------------

    def revoke(self, team_id: str) -> None:
        """Take a team's code away; its devices are turned away at their next request."""
        join_codes.revoke(self.session_id, team_id)
        self.codes.pop(team_id, None)
        self._push({"codes": dict(self.codes)})

    def reissue(self, team_id: str) -> str:
        """A new code for a team (the old card stops working); returns the new join address."""
        self.codes[team_id] = join_codes.reissue(self.session_id, team_id)
        self._push({"codes": dict(self.codes)})
        return self.join_url(team_id) or ""

    # -- publishing ----------------------------------------------------------------------

    def publish(self, state: SessionState) -> None:
        """The session changed (or the room's mode): the server's process reads the journal again.

        Only a ping crosses the pipe; the views are built in that process. The room closes
        once the session has ended.
        """
        self._push({"changed": True, "record": self.record})
        if state.status == "ended" and self.running and self.closed_because is None:
            self.closed_because = "the session has ended"
            threading.Thread(
                target=self._closed, args=("the session has ended",), daemon=True
            ).start()

    def _send(self, message: tuple[Any, ...]) -> None:
        with self._send_lock:
            self._conn.send(message)

    def _push(self, update: dict[str, Any]) -> None:
        if not self.running:
            return
        with contextlib.suppress(OSError, ValueError):
            self._send(("update", update))

    def _read(self) -> None:
        while self.running:
            try:
                message = self._conn.recv()
            except (EOFError, OSError, ValueError):
                if self.running:
                    self._closed("the room's web server stopped")
                return
            if message[0] == "submit":
                _, number, kind, team, payload = message
                result = self._submit(kind, team, payload)
                try:
                    self._send(("ack", number, result))
                except (OSError, ValueError):
                    return
            elif message[0] == "idle":
                self._closed(f"no device asked for anything in {self._idle / 60:g} minutes")
                return

    def _submit(self, kind: str, team: str, payload: dict[str, Any]) -> tuple[str, str]:
        if team not in self.codes:
            return "refused", "this team's code was revoked"
        try:
            result = handle(
                kind, team, payload, state=self._state(), apply=self._apply, record=self.record
            )
        except Exception as error:  # a bug must not take the room down; the page retries
            return "failed", f"the laptop could not save it ({type(error).__name__})"
        if result[0] == "saved":
            self.publish(self._state())
        return result

    def _closed(self, reason: str) -> None:
        self.closed_because = reason
        threading.Thread(target=self.stop, name="room-stop", daemon=True).start()
        if self._on_close is not None:
            self._on_close(reason)
