"""What the room's screens show of a session, for the console and the projector window.

The store keeps it beside the journal (`ttx.store.presenting`): whether the console is
presenting, and which decisions' answers the facilitator has revealed.
"""

from __future__ import annotations

from ttx.store.presenting import is_presenting, revealed, set_presenting, set_revealed

__all__ = ["is_presenting", "revealed", "set_presenting", "set_revealed"]
