"""The console's panels, each drawn from a SessionState: timeline, team status, facilitator notes."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from textual.content import Content

from ttx.model.exercise import Decision, Inject, Move
from ttx.model.stages import move_numbers
from ttx.session.actions import MAX_TEXT
from ttx.session.event_text import closed_text
from ttx.tui.text import join, one_line, safe
from ttx.vocabulary import after_text, allocation_units, condition_text, decision_name, option_label

if TYPE_CHECKING:
    from ttx.model.exercise import Exercise
    from ttx.session.state import Closure, Note, RoomAnswer, SessionState


def visited(state: SessionState) -> set[str]:
    """Ids of the moves already entered."""
    return {visit.move_id for visit in state.path}


def pending_injects(state: SessionState) -> list[Inject]:
    """The current move's injects not yet released, in delivery order."""
    if state.current_move is None:
        return []
    move = state.exercise.move(state.current_move)
    released = {r.inject_id for r in state.injects}
    return sorted((i for i in move.injects if i.id not in released), key=lambda i: i.at)


def current_inject(state: SessionState) -> Inject | None:
    """The inject released last in the current move (None before the first)."""
    if state.current_move is None:
        return None
    move = state.exercise.move(state.current_move)
    for release in reversed(state.injects):
        if release.move_id == move.id:
            for inject in move.injects:
                if inject.id == release.inject_id:
                    return inject
    return None


NOTABLE_CLOSURE = 60.0
"""Seconds closed from which the console tells of it (a quick restart is not news)."""


def notable_closures(state: SessionState) -> list[Closure]:
    """The times the session was closed for a minute or more."""
    return [c for c in state.closures if c.seconds >= NOTABLE_CLOSURE]


def _closed(closure: Closure) -> tuple[str, str]:
    """A timeline line for a time the session was closed."""
    return (f"   ⏸ {closed_text(closure)}\n", "$warning" if closure.clock_running else "dim")


def timeline(state: SessionState) -> Content:
    """Moves in file order; the current one with released (✓), upcoming (·) and conditional (?)
    injects, past ones collapsed to a line; and each time the session was closed (⏸)."""
    ex = state.exercise
    seen = visited(state)
    released = {r.inject_id for r in state.injects}
    parts: list[str | Content | tuple[str, str]] = []
    numbers = move_numbers(ex)
    closures = notable_closures(state)
    parts += [_closed(c) for c in closures if c.move_id is None and state.current_move is not None]
    for move in ex.moves:
        number = numbers[move.id]
        current = move.id == state.current_move
        if current:
            mark, style = "▶ ", "bold $accent"
        elif move.id in seen:
            mark, style = "✓ ", "$success"
        else:
            mark, style = "○ ", "dim"
        branch = " ⑂" if move.branch_only else ""
        parts.append((f"{mark}{number} {one_line(move.title, 24).plain}{branch}\n", style))
        parts += [_closed(c) for c in closures if c.move_id == move.id]
        if not current:
            if move.id in seen:
                out = sum(1 for i in move.injects if i.id in released)
                parts.append((f"   {out} of {len(move.injects)} injects released\n", "dim"))
            continue
        for inject in sorted(move.injects, key=lambda i: i.at):
            if inject.id in released:
                parts.append((f"   ✓ {inject.at}′ {one_line(inject.title, 21).plain}\n", ""))
            elif inject.when is not None:
                parts.append(
                    (f"   ? {inject.at}′ {one_line(inject.title, 21).plain}\n", "$warning")
                )
                parts.append(
                    (
                        f"      if {one_line(condition_text(state.exercise, inject.when), 60).plain}\n",
                        "dim",
                    )
                )
            else:
                parts.append((f"   · {inject.at}′ {one_line(inject.title, 21).plain}\n", ""))
            after = after_text(move, inject) if inject.id not in released else None
            if after:
                parts.append((f"      {one_line(after, 60).plain}\n", "dim"))
    if state.status in ("hot_wash", "ended"):
        parts.append(
            ("▶ hot wash\n" if state.status == "hot_wash" else "✓ hot wash · ended\n", "bold")
        )
    if state.current_move is None:
        parts += [_closed(c) for c in closures if c.move_id is None]
    parts.append(("\n✓ released  · upcoming\n? conditional  ⑂ branch", "dim"))
    return join(*parts)


def current_decisions(state: SessionState) -> list[Decision]:
    """The current move's decision points, with those it asks again (format 2 `asks:`)."""
    if state.current_move is None:
        return []
    return state.exercise.decisions_in(state.current_move)


def outcome_by(state: SessionState, by: str) -> str:
    """The engine's "team us" / "tie-break us" with the team's display name."""
    for prefix in ("team ", "tie-break "):
        if by.startswith(prefix):
            team_id = by[len(prefix) :]
            try:
                return prefix.replace("team ", "") + state.team(team_id).name
            except KeyError:
                return by
    return by


def team_status(state: SessionState) -> Content:
    """Every deciding team's answer (or "waiting") on each decision of the current move."""
    decisions = current_decisions(state)
    if not decisions:
        return join(
            ("Teams\n", "bold"),
            *[safe(f"· {t.name}\n") for t in state.teams],
            ("No decision in this move.", "dim"),
        )
    parts: list[str | Content | tuple[str, str]] = []
    for decision in decisions:
        parts.append((one_line(decision.prompt, 60).plain + "\n", "bold"))
        record = state.decisions.get(decision.id)
        for team_id in state.deciding_teams(decision.id):
            name = one_line(state.team(team_id).name, 28).plain
            answer = record.records.get(team_id) if record else None
            proposal = state.room_answer(decision.id, team_id)
            if proposal is not None and answer is not None and answer.recorded_at >= proposal.at:
                proposal = None  # recorded since (accepted, or recorded directly)
            if answer is None and proposal is None:
                parts.append(("  … ", "$warning"))
                parts.append((f"{name}: waiting\n", "dim"))
                continue
            if answer is None:
                parts += _proposed(state.exercise, decision, name, proposal)
                continue
            what = _answer_text(
                state.exercise, decision, answer.option_id, answer.allocation, answer.free_text
            )
            if answer.adjudicated_option:  # a free-form answer counted as an option
                what += f" → {option_label(state.exercise, decision.id, answer.adjudicated_option)}"
            fixed = " (corrected)" if answer.correction else ""
            parts.append(("  ✓ ", "$success"))
            parts.append((f"{name}: ", "bold"))
            parts.append(one_line(what, 60))
            parts.append((fixed + "\n", "dim"))
            if proposal is not None:
                parts += _proposed(state.exercise, decision, name, proposal)
        if record is not None:
            outcome = record.outcome
            if outcome.status == "resolved" and outcome.option_id:
                parts.append(
                    (
                        f"  ⇒ {option_label(state.exercise, decision.id, outcome.option_id)} ({outcome_by(state, outcome.by)})\n",
                        "$accent",
                    )
                )
            elif outcome.status == "resolved" and outcome.allocation and decision.pool:
                shared = ", ".join(
                    f"{option_label(state.exercise, decision.id, k)} {v}"
                    for k, v in outcome.allocation.items()
                    if v
                )
                parts.append(
                    (
                        f"  ⇒ {shared or 'nothing'} · {allocation_units(decision)} "
                        f"({outcome_by(state, outcome.by)})\n",
                        "$accent",
                    )
                )
            elif outcome.status == "needs_ruling":
                parts.append(("  ⇒ needs your ruling (m)\n", "$warning bold"))
        parts.append("\n")
    return join(*parts)


def _answer_text(
    exercise: Exercise,
    decision: Decision,
    option_id: str | None,
    allocation: Mapping[str, int] | None,
    free_text: str | None,
) -> str:
    """An answer in the team panel's words: the option, the allocation, or the quoted text."""
    if option_id:
        return option_label(exercise, decision.id, option_id)
    if allocation:
        return ", ".join(f"{k} {v}" for k, v in allocation.items())
    return f"“{free_text or ''}”"


def _proposed(
    exercise: Exercise, decision: Decision, name: str, proposal: RoomAnswer | None
) -> list[str | Content | tuple[str, str]]:
    """A team's answer from the room, not recorded yet: what it sent, when, and the key."""
    if proposal is None:
        return []
    what = _answer_text(
        exercise, decision, proposal.option_id, proposal.allocation, proposal.free_text
    )
    at = proposal.at.astimezone().strftime("%H:%M")
    return [
        ("  ↑ ", "$accent"),
        (f"{name}: ", "bold"),
        one_line(what, 50),
        (f" (submitted from the room at {at}; y accepts)\n", "dim"),
    ]


_MARKS = {"strength": ("+ ", "$success"), "improvement": ("− ", "$warning"), "note": ("· ", "")}


def note_line(state: SessionState, note: Note, limit: int | None = 70) -> Content:
    """A note: its mark (+ strength, − area for improvement), team and text (whole when
    `limit` is None, else on one line cut to `limit`)."""
    parts: list[str | Content | tuple[str, str]] = [_MARKS.get(note.category, ("· ", ""))]
    if note.team_id:
        try:
            team = state.team(note.team_id)
            parts.append((one_line(team.short or team.name, 20).plain + ": ", "dim"))
        except KeyError:
            pass
    parts.append(safe(note.text, MAX_TEXT) if limit is None else one_line(note.text, limit))
    return join(*parts)


def move_notes(state: SessionState) -> Content:
    """Every note of the current move (or of the hot wash), whole; the column scrolls."""
    notes = [n for n in state.notes if n.move_id == state.current_move]
    if not notes:
        return join(("Notes: none in this move yet (o adds one)\n", "dim"))
    parts: list[str | Content | tuple[str, str]] = [
        (f"Notes of this move ({len(notes)})", "bold"),
        (" · o adds · O corrects\n", "dim"),
    ]
    for note in notes:
        parts += [note_line(state, note, None), (" (corrected)" if note.earlier else "", "dim")]
        parts.append("\n")
    return join(*parts)


def tracks(state: SessionState) -> Content:
    """The state tracks, e.g. "Partner trust  3/5 ■■■□□" (k adjusts one)."""
    if not state.tracks:
        return join("")
    parts: list[str | Content | tuple[str, str]] = [("Tracks (k adjusts)\n", "bold")]
    for track in state.tracks.values():
        span = max(1, track.max - track.min)
        filled = (
            round(10 * (track.value - track.min) / span) if span > 10 else track.value - track.min
        )
        empty = (10 if span > 10 else span) - filled
        change = ""
        if track.value != track.start:
            change = f" ({track.value - track.start:+d})"
        parts += [
            one_line(track.label, 22),
            f" {track.value}/{track.max} ",
            ("■" * filled, "$accent"),
            ("□" * empty, "dim"),
            (change + "\n", "dim"),
        ]
    return join(*parts)


def facilitator_markdown(state: SessionState, inject: Inject | None) -> str:
    """Facilitator notes, inject notes and expected points as Markdown (hidden with one key)."""
    if state.current_move is None:
        if state.status in ("hot_wash", "ended"):
            notes = state.exercise.hot_wash.facilitator_notes
            closing = "The moves are over: **w** opens the hot wash, **f** finishes."
            return f"{notes.strip()}\n\n{closing}" if notes else closing
        return "Press **m** to begin the first move."
    move: Move = state.exercise.move(state.current_move)
    parts: list[str] = []
    if move.facilitator_notes:
        parts.append(move.facilitator_notes.strip())
    if inject is not None and inject.facilitator_notes:
        parts.append("**On this inject:** " + inject.facilitator_notes.strip())
    if move.expected_points:
        parts.append(
            "**Expected points**\n\n" + "\n".join(f"- {p.strip()}" for p in move.expected_points)
        )
    return "\n\n".join(parts) or "_No facilitator notes for this move._"


def consequences(state: SessionState) -> Content:
    """Each option's consequence in this move's decisions (facilitator only)."""
    if state.current_move is None:
        return join("")
    parts: list[str | Content | tuple[str, str]] = []
    for decision in state.exercise.decisions_in(state.current_move):
        parts.append((f"Consequences · {decision_name(state.exercise, decision.id)}\n", "bold"))
        for index, option in enumerate(decision.options, 1):
            effects = ", ".join(f"{k} {v:+d}" for k, v in option.effects.items())
            parts += [
                f"{index} ",
                one_line(option.label, 40),
                " → ",
                safe((option.consequence or "—").strip(), 300),
            ]
            parts += [(f" [{effects}]" if effects else "", "dim"), "\n"]
    return join(*parts)
