"""One-line, plain-text descriptions of events, for the timeline, undo prompts and the report."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from ttx.model.exercise import Exercise
from ttx.session import events as ev
from ttx.session.state import Closure
from ttx.vocabulary import clip, decision_name, move_title, option_label, span_text


class Describer:
    """Describes events using the exercise's titles and the session's team names."""

    def __init__(self, exercise: Exercise, team_names: Mapping[str, str] | None = None) -> None:
        self.exercise = exercise
        self.team_names = dict(team_names or {})
        self.closures: dict[int, Closure] = {}
        """Each reopening's closure, by the `journal_reopened` event's seq (set by the replay)."""

    def team(self, team_id: str | None) -> str:
        """A team's display name (its id if unknown)."""
        if team_id is None:
            return "—"
        if team_id in self.team_names:
            return self.team_names[team_id]
        try:
            return self.exercise.team(team_id).name
        except KeyError:
            return team_id

    def move(self, move_id: str | None) -> str:
        """A move's title (`end` reads as "the end (hot wash)")."""
        return move_title(self.exercise, move_id)

    def option(self, decision_id: str, option_id: str | None) -> str:
        """An option's label."""
        return option_label(self.exercise, decision_id, option_id)

    def rule(self, move_id: str, index: int | None) -> str:
        """Which rule sent the story on: " (rule 2)", " (option 'Evacuate now')", " (default order)"."""
        if index is None:
            return " (default order)"
        try:
            move = self.exercise.move(move_id)
        except KeyError:
            return f" (rule {index + 1})"
        derived = move.option_rules()
        if index < len(derived):
            when = derived[index].when
            if when is not None and when.decision is not None and isinstance(when.option, str):
                return f" (option {self.option(when.decision, when.option)})"
        return f" (rule {index - len(derived) + 1})"

    def decision(self, decision_id: str) -> str:
        """A decision's name: the first sentence of its prompt, quoted."""
        return decision_name(self.exercise, decision_id)

    def objective(self, objective_id: str) -> str:
        """An objective by its number and the start of its text."""
        for number, objective in enumerate(self.exercise.objectives, 1):
            if objective.id == objective_id:
                return f"{number} ({clip(objective.text, 40)})"
        return objective_id

    def inject(self, inject_id: str) -> str:
        """An inject's title."""
        for move in self.exercise.moves:
            for inject in move.injects:
                if inject.id == inject_id:
                    return inject.title
        return inject_id

    def answer(
        self,
        decision_id: str,
        option_id: str | None,
        allocation: Mapping[str, int] | None,
        free_text: str | None,
    ) -> str:
        """A team's answer in words: an option label, an allocation, or quoted free text."""
        if option_id is not None:
            return self.option(decision_id, option_id)
        if allocation is not None:
            parts = [f"{self.option(decision_id, k)} {v}" for k, v in allocation.items() if v]
            return ", ".join(parts) or "nothing allocated"
        return f"“{clip(free_text or '', 60)}”"

    def __call__(self, event: ev.BaseEvent) -> str:
        """The one-line description of an event."""
        handler = _HANDLERS.get(type(event))
        return handler(self, event) if handler else type(event).__name__


def _started(d: Describer, e: ev.SessionStarted) -> str:
    return f"Session started: {e.exercise_title} (version {e.exercise_version})"


def _track(d: Describer, e: ev.StateTrackChanged) -> str:
    label = e.track_id
    for track in d.exercise.state:
        if track.id == e.track_id:
            label = track.label
    why = {
        "effect": f"effect of {d.option(e.decision_id or '', e.option_id)}",
        "revert": f"reverted effect of {d.option(e.decision_id or '', e.option_id)}",
        "facilitator": "set by the facilitator",
    }[e.cause]
    if e.team_id and e.cause != "facilitator":
        why += f" ({d.team(e.team_id)})"
    reason = f": {clip(e.reason, 40)}" if e.reason else ""
    return f"{label} {e.before} → {e.after} ({why}{reason})"


def _released(d: Describer, e: ev.InjectReleased) -> str:
    who = ", ".join(d.team(t) for t in e.to) if e.to else "facilitator only"
    forced = (
        " (condition not met; released by the facilitator)" if e.condition_held is False else ""
    )
    return f"Inject released: {d.inject(e.inject_id)} → {who}{forced}"


def _recorded(d: Describer, e: ev.DecisionRecorded) -> str:
    answer = d.answer(e.decision_id, e.option_id, e.allocation, e.free_text)
    return f"Decision {d.decision(e.decision_id)}: {d.team(e.team_id)} chose {answer}"


def _corrected(d: Describer, e: ev.DecisionCorrected) -> str:
    answer = d.answer(e.decision_id, e.option_id, e.allocation, e.free_text)
    return f"Decision {d.decision(e.decision_id)} corrected: {d.team(e.team_id)} chose {answer}"


def _from_room(d: Describer, e: ev.RoomAnswerSubmitted) -> str:
    answer = d.answer(e.decision_id, e.option_id, e.allocation, e.free_text)
    return f"Decision {d.decision(e.decision_id)}: {d.team(e.team_id)} submitted from the room: {answer}"


def _reopened(closure: Closure | None) -> str:
    """E.g. "Session reopened after 2 d 3 h closed; the clock was paused" (no process or host)."""
    if closure is None:
        return "Session reopened"
    return f"Session reopened after {closed_text(closure)}"


def closed_text(closure: Closure) -> str:
    """How long the session was closed and what the clock did meanwhile."""
    clock = (
        "the clock ran on (the time counts)" if closure.clock_running else "the clock was paused"
    )
    return f"{span_text(closure.seconds)} closed; {clock}"


_HANDLERS: dict[type, Callable[..., str]] = {
    ev.SessionStarted: _started,
    ev.JournalReopened: lambda d, e: _reopened(d.closures.get(e.seq)),
    ev.ClockStarted: lambda d, e: "Clock started",
    ev.ClockPaused: lambda d, e: "Clock paused" + (f": {clip(e.reason, 60)}" if e.reason else ""),
    ev.PauseExplained: lambda d, e: f"Reason for the pause: {clip(e.reason, 60)}",
    ev.ClockResumed: lambda d, e: "Clock resumed",
    ev.MoveEntered: lambda d, e: (
        f"Move entered: {d.move(e.move_id)}"
        + (" (facilitator's choice)" if e.via == "override" else "")
    ),
    ev.HotWashStarted: lambda d, e: "Moves ended; hot wash started",
    ev.InjectReleased: _released,
    ev.DecisionRecorded: _recorded,
    ev.DecisionCorrected: _corrected,
    ev.DecisionAdjudicated: lambda d, e: (
        f"Decision {d.decision(e.decision_id)}: {d.team(e.team_id)}'s "
        f"free-form answer counted as {d.option(e.decision_id, e.option_id)}"
    ),
    ev.DecisionRuled: lambda d, e: (
        f"Decision {d.decision(e.decision_id)} ruled by the facilitator: {d.option(e.decision_id, e.option_id)}"
    ),
    ev.AllocationSettled: lambda d, e: (
        f"Decision {d.decision(e.decision_id)} shared out by the facilitator: "
        + (f"{d.team(e.team_id)} granted " if e.team_id else "")
        + d.answer(e.decision_id, None, e.allocation, None)
    ),
    ev.BranchResolved: lambda d, e: (
        f"Branch after {d.move(e.move_id)}: rules say "
        f"{d.move(e.target)}" + d.rule(e.move_id, e.rule_index)
    ),
    ev.BranchOverridden: lambda d, e: (
        f"Branch after {d.move(e.move_id)} overridden: "
        f"{d.move(e.target)} instead of {d.move(e.rule_target)}"
    ),
    ev.NoteAdded: lambda d, e: (
        {
            "note": "Note",
            "strength": "Strength",
            "improvement": "Area for improvement",
        }[e.category]
        + (f" ({d.team(e.team_id)})" if e.team_id else "")
        + f": {clip(e.text)}"
    ),
    ev.NoteCorrected: lambda d, e: f"Note corrected: {clip(e.text)}",
    ev.NoteAnalysed: lambda d, e: (
        f"Analysis: {clip(e.analysis)}" if e.analysis else "Analysis cleared"
    ),
    ev.StateTrackChanged: _track,
    ev.HotWashAnswered: lambda d, e: f"Hot wash: {clip(e.text)}",
    ev.ObjectiveRated: lambda d, e: f"Objective {d.objective(e.objective_id)} rated: {e.rating}",
    ev.ImprovementItemAdded: lambda d, e: f"Improvement item: {clip(e.issue)}",
    ev.RoomAnswerSubmitted: _from_room,
    ev.RoomAnswersLocked: lambda d, e: (
        f"Decision {d.decision(e.decision_id)}: answers from the room locked"
    ),
    ev.RoomFeedbackGiven: lambda d, e: "Anonymous feedback received from the room",
    ev.SessionEnded: lambda d, e: "Session ended",
    ev.Undone: lambda d, e: f"Undone: {e.summary}" if e.summary else "Undone",
}
