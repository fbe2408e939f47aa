"""The narrative synopsis of a session, move by move, for the after-action report.

What a reader needs of the journal, in local time: the injects released, answers
corrected, adjudicated or ruled, the branch taken and why, pauses with their length and
reason, the time the app was closed before each "Session reopened", track changes the
facilitator made and their reasons. What other sections print (answers in the decision
matrices, observations, hot-wash answers, ratings, plan items) and changes that left a
track where it was are left out, so nothing prints twice and no line says nothing.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from ttx.report.aar_timeline import clock, local_date
from ttx.session.state import ReleasedInject, SessionState, TimelineEntry, TrackChange
from ttx.vocabulary import END_OF_MOVES_HEADING, duration_text, move_title
from ttx.wording import counted

ROUTINE_SHOWN = 40
"""A move lists at most this many routine lines (injects, track changes, corrections,
pauses, undos); the rest are counted in one closing line. A page per item of a
25,000-event session would be useless."""

SKIPPED = frozenset(
    {
        "session_started",
        "clock_started",
        "clock_resumed",
        "move_entered",
        "decision_recorded",
        "note_added",
        "note_corrected",
        "note_analysed",
        "hot_wash_answered",
        "objective_rated",
        "improvement_item_added",
    }
)
"""Events the synopsis does not list: the heading says it, or another section prints them."""

KEY = frozenset(
    {"branch_resolved", "branch_overridden", "decision_ruled", "journal_reopened", "session_ended"}
)
"""Events always listed, however long the move."""

ROUTINE_NAMES = {
    "inject_released": ("inject released", "injects released"),
    "state_track_changed": ("track change", "track changes"),
    "decision_corrected": ("correction", "corrections"),
    "decision_adjudicated": ("adjudication", "adjudications"),
    "clock_paused": ("pause", "pauses"),
    "undone": ("undo", "undos"),
}


@dataclass(slots=True)
class _Part:
    """One part of the synopsis being built: a move (or the set-up, or the hot wash)."""

    title: str
    start: datetime
    day: str
    """The session's first local date: a line on a later day shows its date too."""
    lines: list[dict[str, str]] = field(default_factory=list)
    routine: int = 0
    left_out: Counter[str] = field(default_factory=Counter)
    effect: tuple[tuple[object, ...], dict[str, str], str] | None = None
    """The last line of an answer's effect on a track: its cause, the line, the cause's words."""
    track_changes: list[dict[str, Any]] = field(default_factory=list)
    """Every change of a track in this part, listed or not (the Word report's track tables)."""

    def add_change(self, entry: TimelineEntry, label: str, change: TrackChange) -> None:
        """Keep a track change as data: its time, values, cause in words and reason."""
        head = f"{label} {change.before} → {change.after}"
        if entry.reason or change.cause == "facilitator" or not entry.text.startswith(head):
            cause = "set by the facilitator"
        else:
            cause = entry.text[len(head) :].strip(" ,").removeprefix("(").removesuffix(")")
        self.track_changes.append(
            {
                "label": label,
                "time": self.stamp(entry.at),
                "before": change.before,
                "after": change.after,
                "cause": cause or "changed",
                "reason": entry.reason,
            }
        )

    def add(self, entry: TimelineEntry, text: str, reason: str = "") -> None:
        self.effect = None
        if entry.kind not in KEY:
            self.routine += 1
            if self.routine > ROUTINE_SHOWN:
                self.left_out[entry.kind] += 1
                return
        self.lines.append({"time": self.stamp(entry.at), "text": text, "reason": reason})

    def add_effect(self, entry: TimelineEntry, label: str, change: TrackChange) -> None:
        """An answer's effect on a track; its effects on several tracks at once share one line
        ("Trust 3 → 2, Violence 3 → 4 (effect of …)"), so the cause prints once."""
        head = f"{label} {change.before} → {change.after}"
        cause = (change.cause, change.decision_id, change.option_id, change.team_id)
        key = (*cause, self.stamp(entry.at))
        if self.effect is not None and self.effect[0] == key and entry.text.startswith(head):
            _, line, why = self.effect
            line["text"] = f"{line['text'][: -len(why)]}, {head}{why}"
            return
        self.add(entry, entry.text)
        if self.lines and self.lines[-1]["text"] == entry.text and entry.text.startswith(head):
            self.effect = (key, self.lines[-1], entry.text[len(head) :])

    def stamp(self, at: datetime) -> str:
        day = local_date(at)
        return clock(at) if day == self.day else f"{day} {clock(at)}"

    def plain(self, move_id: str | None) -> dict[str, Any]:
        omitted = ""
        if self.left_out:
            parts = []
            for kind, number in self.left_out.most_common():
                one, many = ROUTINE_NAMES.get(kind, ("other event", "other events"))
                parts.append(counted(number, one, many))
            omitted = (
                f"Not listed here: {', '.join(parts)} (the session's journal keeps every one)."
            )
        return {
            "title": self.title,
            "move_id": move_id,
            "start": self.stamp(self.start),
            "lines": self.lines,
            "omitted": omitted,
            "track_changes": self.track_changes,
        }


def synopsis(state: SessionState) -> list[dict[str, Any]]:
    """The session as parts (before the first move, each move visited, the hot wash), each a list of lines."""
    exercise = state.exercise
    changes = {c.seq: (t.label, c) for t in state.tracks.values() for c in t.history}
    released = {i.seq: i for i in state.injects}
    everyone = set(state.team_ids)
    day = local_date(state.started_at)
    parts: list[tuple[str | None, _Part]] = [
        (None, _Part("Before the first move", state.started_at, day))
    ]
    previous: TimelineEntry | None = None
    pause: dict[str, str] | None = None
    paused_at: datetime | None = None
    for entry in state.timeline:
        part = parts[-1][1]
        kind = entry.kind
        if kind == "move_entered" and entry.move_id is not None:
            title = move_title(exercise, entry.move_id, heading=True)
            if "facilitator's choice" in entry.text:
                title += " (the facilitator's choice)"
            parts.append((entry.move_id, _Part(title, entry.at, day)))
        elif kind == "hot_wash_started":
            parts.append((None, _Part(END_OF_MOVES_HEADING, entry.at, day)))
        elif kind == "clock_resumed" and pause is not None and paused_at is not None:
            pause["text"] = (
                f"Clock paused for {duration_text((entry.at - paused_at).total_seconds())}"
            )
            pause = None
        elif kind == "pause_explained":
            if pause is not None:  # the reason given after the key stopped the clock
                pause["reason"] = entry.reason
        elif kind == "clock_paused":
            before = len(part.lines)
            part.add(entry, "Clock paused", entry.reason)
            pause = part.lines[-1] if len(part.lines) > before else None
            paused_at = entry.at
        elif kind == "journal_reopened":
            closed = (entry.at - previous.at).total_seconds() if previous else 0.0
            part.add(entry, f"Session reopened after {duration_text(closed)} closed")
        elif kind == "state_track_changed":
            label, change = changes.get(entry.seq, ("", None))
            if change is not None and change.before != change.after:
                part.add_change(entry, label, change)
            if change is not None and change.cause != "facilitator" and not entry.reason:
                if change.before != change.after:
                    part.add_effect(entry, label, change)
            elif change is None or change.before != change.after:
                part.add(entry, _track_text(label, entry, change), entry.reason)
        elif (
            kind in ("branch_overridden", "decision_adjudicated", "decision_ruled")
            or kind == "decision_corrected"
        ):
            part.add(entry, entry.text, entry.reason)
        elif kind == "inject_released":
            part.add(entry, _inject_text(entry, released.get(entry.seq), everyone))
        elif kind not in SKIPPED:
            part.add(entry, entry.text)
        previous = entry
    return [p.plain(move_id) for move_id, p in parts if p.lines or move_id is not None]


def _track_text(label: str, entry: TimelineEntry, change: TrackChange | None) -> str:
    """A track change; one with a reason reads `Trust 3 → 4, set by the facilitator` and the
    reason is printed in full beside it (the timeline's own line clips it)."""
    if change is None or not entry.reason:
        return entry.text
    return f"{label} {change.before} → {change.after}, set by the facilitator"


def _inject_text(entry: TimelineEntry, inject: ReleasedInject | None, everyone: set[str]) -> str:
    """An inject's release; one addressed to every team in the session says "all teams"
    rather than naming them all."""
    if inject is None or len(everyone) < 2 or set(inject.to) != everyone:
        return entry.text
    head, _, who = entry.text.rpartition(" → ")
    forced = who[who.index(" (condition") :] if " (condition" in who else ""
    return f"{head} → all teams{forced}"
