"""Sessions for benchmarks: play an exercise through the public API, and the six-team flagship."""

from __future__ import annotations

import contextlib
import copy
import os
import tempfile
from pathlib import Path
from typing import Any

import yaml
from gen import text

from ttx.api import CommandError, Journal, Session
from ttx.model.exercise import Exercise
from ttx.session.actions import (
    AddImprovementItem,
    AddNote,
    AnswerHotWash,
    EndSession,
    EnterMove,
    RateObjective,
    RecordDecision,
    ReleaseInject,
    RuleDecision,
)
from ttx.session.clock import FakeClock

ROOT = Path(__file__).resolve().parent.parent
FLAGSHIP = ROOT / "exercises" / "across-the-line.yaml"


def isolated_home() -> Path:
    """Point TTX_HOME at a fresh temporary folder (journal, reports) and return it."""
    home = Path(tempfile.mkdtemp(prefix="ttx-bench-"))
    os.environ["TTX_HOME"] = str(home)
    return home


def play(
    journal: Journal,
    exercise: Path | Exercise,
    *,
    rationale_words: int = 40,
    notes_per_move: int = 2,
    seed: int = 0,
) -> Session:
    """A complete session played through the API: every move, inject, decision, a hot wash,
    ratings and an improvement plan; each answer has a rationale of `rationale_words` words.
    The clock is a fake one advanced a few minutes per step, so the report's timeline is
    realistic. Returns the (still open) session."""
    clock = FakeClock()
    session = journal.create_session(exercise, clock=clock)
    ex = session.exercise
    state = session.apply(EnterMove())
    visited = 0
    while state.status == "running" and visited < 4 * len(ex.moves):
        visited += 1
        move = ex.move(state.current_move or "")
        for inject in move.injects:
            clock.advance(120)
            with contextlib.suppress(CommandError):  # e.g. only to a team not playing
                state = session.apply(ReleaseInject(inject_id=inject.id, force=True))
        for k, decision in enumerate(move.decisions):
            for t, team in enumerate(state.waiting_for(decision.id)):
                clock.advance(60)
                rationale = text(rationale_words, seed + t + k)
                if decision.kind == "allocation":
                    budget = decision.budget or 1
                    first = decision.options[(t + seed) % len(decision.options)]
                    points = min(budget, first.max or budget)
                    answer: dict[str, Any] = {"allocation": {first.id: points}}
                else:
                    option = decision.options[(t + k + seed) % len(decision.options)]
                    answer = {"option_id": option.id}
                state = session.apply(
                    RecordDecision(
                        decision_id=decision.id, team_id=team, rationale=rationale, **answer
                    )
                )
            outcome = state.decisions[decision.id].outcome
            if outcome.status == "needs_ruling":
                state = session.apply(
                    RuleDecision(
                        decision_id=decision.id,
                        option_id=decision.options[0].id,
                        reason=text(12, k),
                    )
                )
        for n in range(notes_per_move):
            clock.advance(30)
            category = ("note", "strength", "improvement")[n % 3]
            state = session.apply(AddNote(text=text(25, n + visited), category=category))
        clock.advance(300)
        state = session.apply(EnterMove())
    for index, question in enumerate(ex.hot_wash.questions):
        del question
        clock.advance(60)
        state = session.apply(AnswerHotWash(text=text(40, index), question_index=index))
    scale = ex.evaluation.scale
    for i, objective in enumerate(ex.objectives):
        state = session.apply(
            RateObjective(
                objective_id=objective.id, rating=scale[i % len(scale)], evidence=text(30, i)
            )
        )
        state = session.apply(
            AddImprovementItem(
                issue=text(15, i),
                corrective_action=text(20, i + 1),
                responsible="Course lead",
                due="2026-06-01",
                objective_id=objective.id,
            )
        )
    clock.advance(60)
    session.apply(EndSession())
    return session


def six_team_flagship(out: Path) -> Path:
    """The flagship with two more student tables, written to `out`.

    A second US table (`nsc_b`) and a second Mexico table (`mexico_b`) play alongside
    the originals, as in a large class: they get the same briefings, receive the same
    injects and answer the same decisions as the team they copy.
    """
    data = yaml.safe_load(FLAGSHIP.read_text(encoding="utf-8"))
    copies = {"nsc": "nsc_b", "mexico": "mexico_b"}
    for team in list(data["teams"]):
        if team["id"] in copies:
            twin = copy.deepcopy(team)
            twin["id"] = copies[team["id"]]
            twin["name"] = team["name"] + " (table B)"
            twin["short"] = (team.get("short") or team["name"]) + " B"
            data["teams"].append(twin)

    def widen(ids: Any) -> Any:
        if isinstance(ids, list):
            return ids + [copies[i] for i in ids if i in copies]
        return ids

    for move in data["moves"]:
        for inject in move.get("injects", []):
            inject["to"] = widen(inject.get("to", "all"))
        for question in move.get("questions", []):
            if "teams" in question:
                question["teams"] = widen(question["teams"])
        for decision in move.get("decisions", []):
            if "teams" in decision:
                decision["teams"] = widen(decision["teams"])
    data["id"] = "across-the-line-six"
    out.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return out


def cycle_commands(exercise: Exercise, i: int) -> list[Any]:
    """One round of everyday console actions: notes, a pause and resume, a track change."""
    from ttx.session.actions import ChangeTrack, PauseClock, ResumeClock

    team = exercise.teams[i % len(exercise.teams)].id
    commands: list[Any] = [
        AddNote(text=text(20, i), category="note", team_id=team),
        AddNote(text=text(12, i + 1), category="strength"),
        PauseClock(reason="question from the floor"),
        ResumeClock(),
    ]
    if exercise.state:
        track = exercise.state[(i // 2) % len(exercise.state)]
        commands.append(ChangeTrack(track_id=track.id, delta=-1 if i % 2 else 1))
    return commands


def long_session(journal: Journal, exercise: Path, events: int, *, api_events: int = 2000) -> str:
    """A session of `events` real events; returns its id.

    The first `api_events` go through `Session.apply` (with the journal's fsync turned off
    for speed: only the generation is faster, the events are the same): the first move, its
    injects, then rounds of notes, pauses and track changes. Beyond that the last whole
    rounds are copied through the store with their sequence numbers, action numbers and
    times shifted, in one transaction — the same event kinds a long session records.
    """
    from ttx.session import events as ev

    clock = FakeClock()
    session = journal.create_session(exercise, clock=clock)
    session._store.conn.execute("PRAGMA synchronous=OFF")
    ex = session.exercise
    session.apply(EnterMove())
    for inject in ex.move(session.state.current_move or "").injects:
        clock.advance(60)
        with contextlib.suppress(CommandError):
            session.apply(ReleaseInject(inject_id=inject.id, force=True))
    block_start = session.state.last_seq
    i = 0
    while session.state.last_seq < min(events, api_events):
        for command in cycle_commands(ex, i):
            clock.advance(20)
            with contextlib.suppress(CommandError):  # a track already at its limit
                session.apply(command)
        i += 1
    sid = session.id
    store = session._store
    if session.state.last_seq < events:
        rows = store.conn.execute(
            "SELECT data FROM events WHERE session_id = ? AND seq > ? ORDER BY seq",
            (sid, block_start),
        ).fetchall()
        block = [ev.event_from_json(r[0]) for r in rows]
        size = len(block)
        span = block[-1].at - block[0].at + (block[1].at - block[0].at)
        last = session.state.last_seq
        conn = store.conn
        conn.execute("BEGIN IMMEDIATE")
        head = str(conn.execute("SELECT head FROM sessions WHERE id = ?", (sid,)).fetchone()[0])
        k = 1
        while last < events:
            for event in block:
                if last >= events:
                    break
                shift = k * size
                copy_ = event.model_copy(
                    update={
                        "seq": event.seq + shift,
                        "action": event.action + shift,
                        "at": event.at + k * span,
                    }
                )
                if copy_.seq != last + 1:  # a partial last action would not replay: stop here
                    break
                head = store._insert(sid, copy_, head)  # chained, as `append` does
                last = copy_.seq
            k += 1
        conn.execute(
            "UPDATE sessions SET last_seq = ?, last_at = ?, head = ? WHERE id = ?",
            (last, copy_.at.isoformat(), head, sid),
        )
        conn.execute("COMMIT")
    session.close()
    return sid
