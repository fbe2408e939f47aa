"""The facilitator console: a Textual app that runs a live session from the keyboard.

Textual draws a changed screen on its next frame, at most `TEXTUAL_FPS` times a second
(60 unless set): a key's update waits up to one frame period for its frame. The console
asks for `FRAMES_PER_SECOND` (unless the environment says otherwise), so that wait is at
most ~8 ms and a recorded key (`space`: an fsync and a redraw) shows within the 16 ms the
facilitator must never notice. It only draws when something changed, so an idle console
costs no more. Set before any module of Textual is imported (it reads the variable once).
"""

import os

FRAMES_PER_SECOND = 120
"""The most frames a second the console draws (Textual's `TEXTUAL_FPS`)."""

os.environ.setdefault("TEXTUAL_FPS", str(FRAMES_PER_SECOND))
