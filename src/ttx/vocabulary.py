"""How an exercise's parts read in words, the same on every surface: moves, decisions, options,
conditions and durations.

The session's timeline (`ttx.session.event_text`), the printed guide, handouts and the
after-action report (`ttx.report`) all phrase these through this one module, so the same
thing reads the same everywhere. It stands on the exercise model alone (see the layers in
pyproject.toml's import contract) and never on the console, so any surface can use it.
"""

from __future__ import annotations

import re

from ttx.model.exercise import END, Condition, Decision, Exercise, Inject, Move

COMPARISONS = {"lt": "<", "lte": "≤", "gt": ">", "gte": "≥", "eq": "="}
"""A condition's comparison keys as the signs a reader knows."""

END_OF_MOVES = "the end (hot wash)"
"""What `EnterMove(move_id="end")` leads to, inside a sentence."""

END_OF_MOVES_HEADING = "End (hot wash)"
"""The same at the start of a table cell or a heading."""


NEGATED = {"lt": "≥", "lte": ">", "gt": "≤", "gte": "<", "eq": "≠"}
"""The sign of a comparison that does not hold (`not: {state: trust, lt: 2}` reads "≥ 2")."""

_ABBREVIATED = (
    "adm al approx apr ave aug blvd capt cf ch cmdr co col corp dec dept dr feb fig ft gen gov "
    "inc jan jr jul jun lt ltd mar mr mrs ms mt nov oct op pres prof rd rep sen sep sept "
    "sgt sr st univ vol vs"
)
ABBREVIATIONS = frozenset(_ABBREVIATED.split())
"""Words written with a full stop that does not end a sentence ("St. Brigid's", "Dr. Varga").

("No." is left out: before a number it ends nothing anyway, and "… say no. The …" does.)"""

_SENTENCE_END = re.compile(r"[?!:](?=\s)|\.(?=\s+[\"“‘'(\[]?[A-Z])")


def clip(text: str, limit: int = 80) -> str:
    """`text` on one line, cut to at most `limit` characters with "…", never inside a word
    nor inside a bracketed aside (it goes whole).

    A single word longer than about half the limit is the one thing cut where it stands.
    """
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    head = flat[: limit - 1]
    space = head.rfind(" ")
    if flat[limit - 1] != " " and space > limit // 2:
        head = head[:space]
    while head.count("(") > head.count(")") and head.rfind("(") > limit // 2:  # no aside open
        head = head[: head.rfind("(")]
    return (head.rstrip(" ,;:-–—") or head) + "…"


def first_sentence(text: str) -> str:
    """The first sentence (or the part before a colon) of `text`, on one line.

    A sentence ends at "?", "!" or ":" before a space, or at "." before a space and
    a capital, unless the word before the stop is an abbreviation: one in
    `ABBREVIATIONS`, a single letter ("J. Smith") or one with stops inside it ("U.S.", "e.g.").
    """
    flat = " ".join(text.split())
    for found in _SENTENCE_END.finditer(flat):
        if found.group() == "." and _abbreviation(flat[: found.start()].rsplit(" ", 1)[-1]):
            continue
        return flat[: found.end()].rstrip(":")
    return flat


def _abbreviation(word: str) -> bool:
    """Whether `word` (the text before a full stop, back to a space) is an abbreviation."""
    word = word.lstrip("\"“‘'([")
    return len(word) == 1 or "." in word or word.lower() in ABBREVIATIONS


def move_title(exercise: Exercise, move_id: str | None, *, heading: bool = False) -> str:
    """A move's title (its id when unknown); the end of the moves reads `END_OF_MOVES`.

    `heading=True` for a table cell or a heading: "End (hot wash)", and "" for no move;
    otherwise "the end (hot wash)", and "—" for no move.
    """
    if move_id is None:
        return "" if heading else "—"
    if move_id == END:
        return END_OF_MOVES_HEADING if heading else END_OF_MOVES
    try:
        return exercise.move(move_id).title
    except KeyError:
        return move_id


def decision_name(exercise: Exercise, decision_id: str) -> str:
    """A decision as a reader knows it: the first sentence of its prompt, quoted and clipped.

    Printed text never shows a decision's id (`us_opening`); an unknown id is kept as is.
    """
    try:
        _, decision = exercise.decision(decision_id)
    except KeyError:
        return decision_id
    flat = first_sentence(decision.prompt.replace("*", "").replace("`", ""))
    return f"“{clip(flat, 60)}”" if flat else decision_id


def option_label(exercise: Exercise, decision_id: str, option_id: str | None) -> str:
    """The label of a decision's option ("—" for none; the id when the decision or option is unknown)."""
    if option_id is None:
        return "—"
    try:
        _, decision = exercise.decision(decision_id)
    except KeyError:
        return option_id
    for option in decision.options:
        if option.id == option_id:
            return option.label
    return option_id


def condition_text(exercise: Exercise, cond: Condition) -> str:
    """A condition as a sentence fragment that reads one way only.

    Commas list one decision's options (`“How do you open?” is one of “Accept”,
    “Refuse”`) and semicolons set clauses apart: `either …; or …` for `any`, `…; and …`
    for `all`, a clause that is itself a group in brackets. `not` turns its clause
    around (`“How do you open?” is not “Accept”`, `Trust ≥ 2`).
    """
    return _condition_text(exercise, cond, negated=False)


def _condition_text(exercise: Exercise, cond: Condition, *, negated: bool) -> str:
    """`condition_text`, or the words for the condition not holding when `negated`."""
    kind = cond.kind
    if kind == "decision" and cond.decision is not None:
        return _decision_clause(exercise, cond, cond.decision, negated=negated)
    if kind == "state" and cond.state is not None:
        label = cond.state
        for track in exercise.state:
            if track.id == cond.state:
                label = track.label
        op, value = next(iter(cond.comparisons().items()))
        return f"{label} {(NEGATED if negated else COMPARISONS)[op]} {value}"
    if kind == "not" and cond.not_ is not None:
        return _condition_text(exercise, cond.not_, negated=not negated)
    group = cond.all_ if kind == "all" else cond.any_ if kind == "any" else None
    if group is None:
        return "?"
    parts = [_clause(exercise, c, negated=negated) for c in group]
    if len(parts) == 1:
        return parts[0]
    if (kind == "any") != negated:  # any, or not all: at least one of the clauses
        return "either " + "; or ".join(parts)
    return "; and ".join(parts)


def _clause(exercise: Exercise, cond: Condition, *, negated: bool) -> str:
    """One clause of an `all` or `any`, in brackets when it is a group of clauses itself."""
    text = _condition_text(exercise, cond, negated=negated)
    inner = cond
    while inner.kind == "not" and inner.not_ is not None:
        inner = inner.not_
    grouped = inner.kind in ("all", "any") and len(inner.all_ or inner.any_ or []) > 1
    return f"({text})" if grouped else text


def _decision_clause(
    exercise: Exercise, cond: Condition, decision_id: str, *, negated: bool
) -> str:
    """`“Q” is “A”`, `… is one of “A”, “B”`, `… is not “A”`, `“Q”: points on “A” ≥ 3`."""
    who = ""
    if cond.team:
        try:
            team = exercise.team(cond.team)
            who = f"{team.label}'s answer to "
        except KeyError:
            who = f"{cond.team}'s answer to "
    labels = [f"“{option_label(exercise, decision_id, o)}”" for o in cond.options()]
    name = decision_name(exercise, decision_id)
    compared = cond.comparisons()
    if compared:
        op, value = next(iter(compared.items()))
        sign = (NEGATED if negated else COMPARISONS)[op]
        return f"{who}{name}: points on {labels[0]} {sign} {value}"
    if len(labels) == 1:
        return f"{who}{name} is {'not ' if negated else ''}{labels[0]}"
    return f"{who}{name} is {'none' if negated else 'one'} of {', '.join(labels)}"


def duration_text(seconds: float) -> str:
    """Elapsed seconds as `1 h 05 min`, `12 min 30 s` or `45 s` (the report's timeline and facts)."""
    total = round(seconds)
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours} h {minutes:02d} min"
    if minutes:
        return f"{minutes} min {secs:02d} s"
    return f"{secs} s"


def span_text(seconds: float) -> str:
    """A stretch of wall time that may last days: `2 d 3 h`, `3 h 05 min`, `12 min`, `40 s`."""
    total = round(seconds)
    days, rest = divmod(total, 86_400)
    if days:
        return f"{days} d {rest // 3600} h"
    if total >= 60:
        return duration_text(total - total % 60).removesuffix(" 00 s")
    return f"{total} s"


def minutes_text(minutes: int) -> str:
    """Planned minutes: `95` -> `1 h 35 min`; `40` -> `40 min`; `120` -> `2 h`."""
    hours, rest = divmod(minutes, 60)
    if not hours:
        return f"{rest} min"
    return f"{hours} h {rest} min" if rest else f"{hours} h"


def after_text(move: Move, inject: Inject) -> str | None:
    """When an inject is timed after another (format 2): `5 min after “Evacuation order”`
    (`with “Evacuation order”` at 0 minutes).

    None for an inject planned at a fixed minute. An inject the move does not hold
    (e.g. left out of a participant's view) reads "another inject".
    """
    if inject.after is None:
        return None
    target = next((i for i in move.injects if i.id == inject.after.inject), None)
    name = f"“{clip(target.title, 60)}”" if target is not None else "another inject"
    if not inject.after.minutes:
        return f"with {name}"
    return f"{minutes_text(inject.after.minutes)} after {name}"


def allocation_units(decision: Decision) -> str:
    """What an allocation shares out: its pool's named units ("buses"), else "points"."""
    return decision.pool.units if decision.pool is not None else "points"


def tag_label(exercise: Exercise, tag: str) -> str:
    """A question tag as a reader sees it: `five.legal` names a question of the exercise's
    frame and reads `Five questions: legal basis` (its label); other tags read as written."""
    frame = exercise.frame
    frame_id, dot, question_id = tag.partition(".")
    if frame is None or not dot or frame_id != frame.id:
        return tag
    for question in frame.questions:
        if question.id == question_id:
            return f"{frame.title}: {question.label or question.id.replace('_', ' ')}"
    return tag


RESOLVE_WORDS = {
    "each": "each team's answer stands for itself",
    "majority": "majority of the teams",
    "facilitator": "the facilitator's ruling",
    "largest_remainder": "the proposals merged by largest remainder",
    "pro_rata": "requests shared pro rata",
}
"""How a decision resolves, as the facilitator guide says it (`{team: ID}` names the team)."""


def resolve_text(exercise: Exercise, decision: Decision) -> str:
    """How a decision's answers become the outcome, in words ("the US NSC's answer")."""
    resolve = decision.resolve
    if resolve.mode == "team" and resolve.team is not None:
        team = exercise.team(resolve.team)
        return f"the answer of {team.label}"
    return RESOLVE_WORDS.get(resolve.mode, resolve.mode.replace("_", " "))
