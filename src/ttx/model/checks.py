"""Semantic checks of a structurally valid exercise (ids, references, flow, coverage).

Each problem is placed at the line of the value it is about, using the positions
the loader recorded; every dangling id gets a "did you mean" from the ids of its kind.
"""

from __future__ import annotations

import re

from ttx.model.check_base import did_you_mean
from ttx.model.condition_checks import ConditionChecks
from ttx.model.decision_checks import FACILITATOR, DecisionChecks
from ttx.model.exercise import END, Exercise, Move
from ttx.model.flow import flow_problems
from ttx.model.loader import Document, Path_
from ttx.model.picture_checks import PictureChecks
from ttx.model.problems import Problem

_FRAME_TAG = re.compile(r"^([a-z][a-z0-9_]*)\.([a-z][a-z0-9_]*)$")
"""A question tag that names a frame question: `FRAME_ID.QUESTION_ID` (format 2)."""


def _clip(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def semantic_problems(exercise: Exercise, doc: Document) -> list[Problem]:
    """Every semantic problem of the exercise, placed at its line in `doc`."""
    checks = _Checks(exercise, doc)
    checks.run()
    return checks.problems


class _Checks(ConditionChecks, DecisionChecks, PictureChecks):
    """One pass of every semantic check over an exercise."""

    def run(self) -> None:
        """Run every check, in file order where it matters."""
        for field, what, example in (
            ("teams", "team", "`- {id: red, name: Red team}`"),
            ("moves", "move", "`- {id: opening, title: The opening}`"),
        ):
            if not getattr(self.ex, field):
                self.add(
                    (field,),
                    f"the exercise has no {field}; it needs at least one {what}",
                    f"add a {what} under `{field}:`, e.g. {example}",
                )
        self.unique_ids()
        self.reserved_ids()
        for index, move in enumerate(self.ex.moves):
            self.move_refs(index, move)
        for q, question in enumerate(self.ex.hot_wash.questions):
            self.question(
                ("hot_wash", "questions", q),
                question.teams,
                question.objectives,
                f"hot-wash question {q + 1}",
            )
        for c, criterion in enumerate(self.ex.evaluation.criteria):
            self.ref(
                ("evaluation", "criteria", c, "objective"),
                criterion.objective,
                "objective",
                self.objective_ids,
                f"criterion '{criterion.id}'",
                "objective",
            )
        self.objectives_served()
        self.frame()
        self.images(self.ex, ())
        self.problems.extend(flow_problems(self.ex, self.flow, self.doc))
        if self.skipped:
            self.add(
                (),
                f"the exercise is too large to check completely ({self.skipped} checks of "
                "decision order were skipped)",
                "split the exercise into smaller ones",
                "warning",
            )

    def unique_ids(self) -> None:
        ex = self.ex
        self.unique("team", [(t.id, ("teams", i, "id")) for i, t in enumerate(ex.teams)])
        self.unique("move", [(m.id, ("moves", i, "id")) for i, m in enumerate(ex.moves)])
        self.unique(
            "objective", [(o.id, ("objectives", i, "id")) for i, o in enumerate(ex.objectives)]
        )
        self.unique("source", [(s.id, ("sources", i, "id")) for i, s in enumerate(ex.sources)])
        self.unique("state track", [(s.id, ("state", i, "id")) for i, s in enumerate(ex.state)])
        self.unique(
            "criterion",
            [
                (c.id, ("evaluation", "criteria", i, "id"))
                for i, c in enumerate(ex.evaluation.criteria)
            ],
        )
        injects: list[tuple[str, Path_]] = []
        decisions: list[tuple[str, Path_]] = []
        for m, move in enumerate(ex.moves):
            injects += [
                (x.id, ("moves", m, "injects", i, "id")) for i, x in enumerate(move.injects)
            ]
            decisions += [
                (d.id, ("moves", m, "decisions", i, "id")) for i, d in enumerate(move.decisions)
            ]
            for d, decision in enumerate(move.decisions):
                base = ("moves", m, "decisions", d, "options")
                self.unique(
                    "option",
                    [(o.id, (*base, i, "id")) for i, o in enumerate(decision.options)],
                    f" in decision '{decision.id}'",
                )
        self.unique("inject", injects)
        self.unique("decision", decisions)

    def unique(self, kind: str, items: list[tuple[str, Path_]], within: str = "") -> None:
        """Report every id used a second time, pointing back at its first use."""
        seen: dict[str, Path_] = {}
        for value, path in items:
            if value not in seen:
                seen[value] = path
                continue
            first = self.doc.where(seen[value])[0]
            where = f" (first used at line {first})" if first else ""
            self.add(
                path,
                f"duplicate {kind} id '{value}'{within}{where}",
                "give each one its own id; ids must be unique",
            )

    def reserved_ids(self) -> None:
        for i, move in enumerate(self.ex.moves):
            if move.id == END:
                self.add(
                    ("moves", i, "id"),
                    "a move cannot be called 'end': `goto: end` ends the exercise",
                    "rename the move, e.g. 'ending'",
                )
        for i, team in enumerate(self.ex.teams):
            if team.id in ("all", FACILITATOR):
                self.add(
                    ("teams", i, "id"),
                    f"a team cannot be called '{team.id}': `to: {team.id}` already means something",
                    f"rename the team, e.g. '{team.id}_team'",
                )

    # -- references inside a move --

    def move_refs(self, m: int, move: Move) -> None:
        base: Path_ = ("moves", m)
        owner = f"move '{move.id}'"
        self.refs((*base, "sources"), move.sources, "source", self.source_ids, owner, "sources")
        for i, inject in enumerate(move.injects):
            path: Path_ = (*base, "injects", i)
            owner = f"inject '{inject.id}'"
            self.audience(path, inject.to, owner)
            self.refs(
                (*path, "sources"), inject.sources, "source", self.source_ids, owner, "sources"
            )
            if inject.when is not None:
                self.condition((*path, "when"), inject.when, m, owner)
        self.relative_timing(m, move)
        for q, question in enumerate(move.questions):
            self.question(
                (*base, "questions", q),
                question.teams,
                question.objectives,
                f"question {q + 1} of move '{move.id}'",
            )
        for d, decision in enumerate(move.decisions):
            self.decision((*base, "decisions", d), decision)
        self.asks(m, move)
        for r, rule in enumerate(move.next):
            path = (*base, "next", r)
            if rule.goto != END:
                self.ref(
                    (*path, "goto"),
                    rule.goto,
                    "move",
                    self.move_ids,
                    f"rule {r + 1} of move '{move.id}'",
                    "goto",
                )
            if rule.when is not None:
                self.condition((*path, "when"), rule.when, m, f"rule {r + 1} of move '{move.id}'")

    def asks(self, m: int, move: Move) -> None:
        """Format 2 `asks:`: each names a decision of another move, once."""
        seen: set[str] = set()
        own = {d.id for d in move.decisions}
        for a, decision_id in enumerate(move.asks):
            path: Path_ = ("moves", m, "asks", a)
            owner = f"move '{move.id}'"
            if decision_id in seen or decision_id in own:
                self.add(
                    path,
                    f"{owner} asks decision '{decision_id}' "
                    + ("twice" if decision_id in seen else "that it defines itself"),
                    f"remove '{decision_id}' from `asks:`",
                    "warning",
                )
            elif self.ref(path, decision_id, "decision", list(self.decisions), owner, "asks"):
                seen.add(decision_id)

    def relative_timing(self, m: int, move: Move) -> None:
        """Format 2 `after:`: it names another inject of the same move, and no circle forms."""
        timed = {i.id: i.after.inject for i in move.injects if i.after is not None}
        if not timed:
            return
        ids = [i.id for i in move.injects]
        for i, inject in enumerate(move.injects):
            if inject.after is None:
                continue
            path: Path_ = ("moves", m, "injects", i)
            owner = f"inject '{inject.id}'"
            raw = self.doc.data["moves"][m]["injects"][i]
            target = inject.after.inject
            if isinstance(raw, dict) and "at" in raw:
                self.add(
                    (*path, "at"),
                    f"{owner} has both `at:` and `after:`",
                    "keep one: `after:` plans it from the other inject's minute",
                    key=True,
                )
            elif target == inject.id:
                self.add(
                    (*path, "after", "inject"),
                    f"{owner} is timed after itself",
                    "name another inject of the move, or give it `at:`",
                )
            elif target not in ids:
                other = next(
                    (mv.id for mv in self.ex.moves for x in mv.injects if x.id == target), None
                )
                if other is not None:
                    self.add(
                        (*path, "after", "inject"),
                        f"{owner} is timed after inject '{target}', which is in move '{other}', "
                        f"not in move '{move.id}'",
                        f"time it after an inject of move '{move.id}', or give it `at:`",
                    )
                else:
                    self.ref((*path, "after", "inject"), target, "inject", ids, owner, "after")
        self.timing_circles(m, move, timed)

    def timing_circles(self, m: int, move: Move, timed: dict[str, str]) -> None:
        """Report each circle of `after:`s once, at its first inject in the file."""
        reported: set[str] = set()
        for i, inject in enumerate(move.injects):
            chain: list[str] = []
            current = inject.id
            while current in timed and current not in chain and current not in reported:
                chain.append(current)
                current = timed[current]
            if current not in chain or chain[0] != current or len(chain) < 2:
                continue
            reported.update(chain)
            circle = " → ".join(f"'{x}'" for x in [*chain, current])
            self.add(
                ("moves", m, "injects", i, "after", "inject"),
                f"injects {circle} are each timed after the other, so none of them has a minute",
                f"give one of them `at:` instead of `after:`, e.g. inject '{chain[0]}'",
            )

    def audience(self, path: Path_, to: str | list[str], owner: str) -> None:
        choices = [*self.team_ids, "all", FACILITATOR]
        if isinstance(to, str):
            self.ref((*path, "to"), to, "team", choices, owner, "to")
            return
        if not to:
            self.add(
                (*path, "to"),
                f"{owner} is sent to nobody (`to: []`)",
                "write `to: facilitator`, `to: all`, or a list of team ids",
                "warning",
            )
        for index, team in enumerate(to):
            if team in ("all", FACILITATOR):
                self.add(
                    (*path, "to", index),
                    f"{owner} lists '{team}' among teams in `to`",
                    f"write `to: {team}` on its own, not in a list",
                )
            else:
                self.ref((*path, "to", index), team, "team", self.team_ids, owner, "to")

    def question(self, path: Path_, teams: list[str], objectives: list[str], owner: str) -> None:
        self.refs((*path, "teams"), teams, "team", self.team_ids, owner, "teams")
        self.refs(
            (*path, "objectives"), objectives, "objective", self.objective_ids, owner, "objectives"
        )
        played = {t.id: t.played_by for t in self.ex.teams}
        if teams and all(played.get(t) == FACILITATOR for t in teams):
            self.add(
                (*path, "teams"),
                f"{owner} is addressed only to teams the facilitator plays, so no student answers it",
                "add a student team, or move it into the facilitator notes",
                "warning",
            )

    def frame(self) -> None:
        """The frame's source and question ids, and question tags that name a frame question."""
        frame = self.ex.frame
        if frame is not None:
            if frame.source is not None:
                self.ref(
                    ("frame", "source"),
                    frame.source,
                    "source",
                    self.source_ids,
                    "the frame",
                    "source",
                )
            self.unique(
                "frame question",
                [(q.id, ("frame", "questions", i, "id")) for i, q in enumerate(frame.questions)],
            )
        if self.ex.format < 2:
            return
        asked: set[str] = set()
        places: list[tuple[Path_, list[str]]] = [
            (("moves", m, "questions", q), question.tags)
            for m, move in enumerate(self.ex.moves)
            for q, question in enumerate(move.questions)
        ]
        places += [
            (("hot_wash", "questions", q), question.tags)
            for q, question in enumerate(self.ex.hot_wash.questions)
        ]
        question_ids = [q.id for q in frame.questions] if frame else []
        for path, tags in places:
            for t, tag in enumerate(tags):
                match = _FRAME_TAG.match(tag)
                if match is None:
                    continue
                where = (*path, "tags", t)
                frame_id, question_id = match.groups()
                if frame is None:
                    self.add(
                        where,
                        f"the tag '{_clip(tag)}' names a frame question, but the exercise has no `frame:`",
                        f"add `frame:` with a question '{question_id}', or write the tag as free text "
                        "(with a space or a capital, not `word.word`)",
                    )
                elif frame_id != frame.id:
                    self.add(
                        where,
                        f"the tag '{_clip(tag)}' names the frame '{frame_id}', but the exercise's frame is '{frame.id}'",
                        f"write `{frame.id}.{question_id}`",
                    )
                elif question_id not in question_ids:
                    self.add(
                        where,
                        f"the tag '{_clip(tag)}' names no question of the frame '{frame.id}'",
                        did_you_mean(question_id, question_ids, "frame question"),
                    )
                else:
                    asked.add(question_id)
        if frame is not None:
            for i, question in enumerate(frame.questions):
                if question.id not in asked:
                    self.add(
                        ("frame", "questions", i, "id"),
                        f"frame question '{question.id}' is asked by no question of the exercise",
                        f"tag a move or hot-wash question with `tags: [{frame.id}.{question.id}]`",
                        "warning",
                    )

    # -- coverage and flow --

    def objectives_served(self) -> None:
        served: set[str] = set()
        for move in self.ex.moves:
            for question in move.questions:
                served.update(question.objectives)
            for decision in move.decisions:
                served.update(decision.objectives)
        for question in self.ex.hot_wash.questions:
            served.update(question.objectives)
        served.update(c.objective for c in self.ex.evaluation.criteria)
        for i, objective in enumerate(self.ex.objectives):
            if objective.id not in served:
                self.add(
                    ("objectives", i, "id"),
                    f"objective '{objective.id}' is served by no question, decision or criterion",
                    f"add '{objective.id}' to some `objectives:` of a question or decision, "
                    "or add an evaluation criterion for it",
                )
