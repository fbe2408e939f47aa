"""Semantic checks of a structurally valid exercise (ids, references, flow, coverage).

Each problem is placed at the line of the value it is about, using the positions
the loader recorded; every dangling id gets a "did you mean" from the ids of its kind.
"""

from __future__ import annotations

import re
from pathlib import Path

from pydantic import BaseModel

from ttx.model.condition_checks import ConditionChecks, did_you_mean
from ttx.model.exercise import END, Decision, Exercise, Move
from ttx.model.flow import Flow, flow_problems
from ttx.model.images import ImageProblem, ImageRef, alt_problem, images_in, load_picture
from ttx.model.loader import Document, Path_
from ttx.model.problems import Problem, Severity

FACILITATOR = "facilitator"
_FRAME_TAG = re.compile(r"^([a-z][a-z0-9_]*)\.([a-z][a-z0-9_]*)$")
"""A question tag that names a frame question: `FRAME_ID.QUESTION_ID` (format 2)."""


def _clip(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


MAX_PICTURES = 200
"""The most different pictures one exercise may show (each is a file to read and check)."""

WORK_BUDGET = 50_000
"""How many comparisons the optional, costly parts ("did you mean", decision order) may spend,
so that a hostile file with thousands of moves is still checked in well under a second."""


def semantic_problems(exercise: Exercise, doc: Document) -> list[Problem]:
    """Every semantic problem of the exercise, placed at its line in `doc`."""
    checks = _Checks(exercise, doc)
    checks.run()
    return checks.problems


class _Checks(ConditionChecks):
    """One pass of every semantic check over an exercise."""

    def __init__(self, exercise: Exercise, doc: Document) -> None:
        self.ex = exercise
        self.doc = doc
        self.problems: list[Problem] = []
        self.team_ids = [t.id for t in exercise.teams]
        self.move_ids = [m.id for m in exercise.moves]
        self.objective_ids = [o.id for o in exercise.objectives]
        self.source_ids = [s.id for s in exercise.sources]
        self.state_ids = [s.id for s in exercise.state]
        self.decisions: dict[str, tuple[int, Decision]] = {}
        for index, move in enumerate(exercise.moves):
            for decision in move.decisions:
                self.decisions.setdefault(decision.id, (index, decision))
        self.flow = Flow(exercise)
        self._warned_each: set[tuple[str, str]] = set()
        self.work_left = WORK_BUDGET
        self._sets = {
            id(ids): set(ids)
            for ids in (
                self.team_ids,
                self.move_ids,
                self.objective_ids,
                self.source_ids,
                self.state_ids,
            )
        }
        self._listings: dict[tuple[int, str], str] = {}
        self._lines: list[str] | None = None
        self._pictures: dict[str, ImageProblem | None] = {}
        self.skipped = 0

    # -- helpers --

    def add(
        self,
        path: Path_,
        message: str,
        fix: str,
        severity: Severity = "error",
        *,
        key: bool = False,
    ) -> None:
        """Record a problem at the place of `path` in the file."""
        line, column = self.doc.where(path, key=key)
        self.problems.append(Problem(self.doc.file, line, column, message, fix, severity))

    def ref(
        self, path: Path_, value: str, kind: str, choices: list[str], owner: str, field: str
    ) -> bool:
        """Report `value` if it is not one of `choices`; True when it resolves."""
        known = self._sets.get(id(choices))  # the exercise's own id lists, as sets
        if value in (known if known is not None else choices):
            return True
        self.add(
            path,
            f"{owner} names an unknown {kind} '{value}' in `{field}`",
            self.suggest(value, choices, kind),
        )
        return False

    def suggest(self, value: str, choices: list[str], kind: str) -> str:
        """The closest id ("did you mean") while the work budget lasts, else the known ids."""
        if self.afford(len(choices)):
            return did_you_mean(value, self._sets.get(id(choices), choices), kind)
        key = (id(choices), kind)
        if key not in self._listings or id(choices) not in self._sets:
            self._listings[key] = did_you_mean("", choices, kind, guess=False)
        return self._listings[key]

    def afford(self, cost: int) -> bool:
        """Spend `cost` from the work budget; False (nothing spent) when it would run out."""
        if cost > self.work_left:
            return False
        self.work_left -= cost
        return True

    def refs(
        self, path: Path_, values: list[str], kind: str, choices: list[str], owner: str, field: str
    ) -> None:
        """Check each id of a list with `ref`."""
        for index, value in enumerate(values):
            self.ref((*path, index), value, kind, choices, owner, field)

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

    # -- text --

    def images(self, node: object, path: Path_) -> None:
        """Format 2: every Markdown image names a picture of the exercise's folder (errors).

        Format 1: warn at every Markdown image: documents print only its text.
        """
        if isinstance(node, str) and self.ex.format >= 2:
            for found in images_in(node):
                self.picture(path, found)
                if len(self.problems) > 1000:
                    return
        elif isinstance(node, str):
            first = next(iter(images_in(node)), None)
            if first is not None:
                self.add(
                    path,
                    f"the image `{_clip(first.text)}` will not be shown: printed documents "
                    "show only its description, in brackets",
                    "describe the picture in words, or link to it: `[description](https://...)`",
                    "warning",
                )
        elif isinstance(node, BaseModel):
            for name, field in type(node).model_fields.items():
                self.images(getattr(node, name), (*path, field.alias or name))
        elif isinstance(node, (list, tuple)):
            for index, item in enumerate(node):
                self.images(item, (*path, index))
        elif isinstance(node, dict):
            for key, value in node.items():
                self.images(value, (*path, str(key)))

    def picture(self, path: Path_, image: ImageRef) -> None:
        """One image of a format-2 text: its description and its file."""
        problem = alt_problem(image.alt)
        if problem is None and image.src in self._pictures:
            problem = self._pictures[image.src]
        elif problem is None and len(self._pictures) >= MAX_PICTURES:
            problem = ImageProblem(
                f"the exercise shows more than {MAX_PICTURES} different pictures",
                "use fewer pictures, or split the exercise",
            )
        elif problem is None:
            try:
                load_picture(Path(self.doc.file).parent, image.src)
            except ImageProblem as exc:
                problem = exc
            self._pictures[image.src] = problem
        if problem is not None:
            line, column = self._text_line(path, image.text)
            self.problems.append(
                Problem(self.doc.file, line, column, problem.message, problem.fix, "error")
            )

    def _text_line(self, path: Path_, needle: str) -> tuple[int | None, int | None]:
        """The line and column of `needle` in the file, searched from the field's own line."""
        line, column = self.doc.where(path)
        if line is None:
            return line, column
        if self._lines is None:
            try:
                self._lines = Path(self.doc.file).read_text(encoding="utf-8").splitlines()
            except (OSError, UnicodeDecodeError):
                self._lines = []
        for index in range(line - 1, min(len(self._lines), line + 2000)):
            found = self._lines[index].find(needle)
            if found >= 0:
                return index + 1, found + 1
        return line, column

    # -- ids --

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
        for q, question in enumerate(move.questions):
            self.question(
                (*base, "questions", q),
                question.teams,
                question.objectives,
                f"question {q + 1} of move '{move.id}'",
            )
        for d, decision in enumerate(move.decisions):
            self.decision((*base, "decisions", d), decision)
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

    def decision(self, path: Path_, decision: Decision) -> None:
        owner = f"decision '{decision.id}'"
        self.refs((*path, "teams"), decision.teams, "team", self.team_ids, owner, "teams")
        self.refs(
            (*path, "objectives"),
            decision.objectives,
            "objective",
            self.objective_ids,
            owner,
            "objectives",
        )
        deciders = self.ex.deciding_teams(decision)
        resolve = decision.resolve
        if (
            resolve.mode == "team"
            and resolve.team is not None
            and self.ref(
                (*path, "resolve", "team"), resolve.team, "team", self.team_ids, owner, "resolve"
            )
            and resolve.team not in deciders
        ):
            self.add(
                (*path, "resolve", "team"),
                f"{owner} resolves by team '{resolve.team}', which does not decide it",
                f"add '{resolve.team}' to `teams:` or name one of: {', '.join(deciders)}",
            )
        tie = decision.tie_break
        if (
            tie != FACILITATOR
            and self.ref(
                (*path, "tie_break"), tie, "team", [*self.team_ids, FACILITATOR], owner, "tie_break"
            )
            and tie not in deciders
        ):
            self.add(
                (*path, "tie_break"),
                f"{owner} breaks ties with team '{tie}', which does not decide it",
                f"use `facilitator` or one of: {', '.join(deciders)}",
            )
        if resolve.mode == "largest_remainder" and self.ex.format < 2:
            self.add(
                (*path, "resolve"),
                f"{owner}: `resolve: largest_remainder` is format 2, but this file is `format: 1`",
                "write `format: 2` at the top (format-1 files stay valid in format 2)",
            )
        if tie != FACILITATOR and resolve.mode != "majority":
            self.add(
                (*path, "tie_break"),
                f"{owner} sets `tie_break`, which only applies to `resolve: majority`",
                "remove `tie_break:` or set `resolve: majority`",
                "warning",
            )
        if not decision.options and not decision.free_form:
            self.add(
                (*path, "options"),
                f"{owner} has no options and refuses free-form answers, so no team can answer it",
                "add options, or set `free_form: true`",
            )
        for o, option in enumerate(decision.options):
            opath: Path_ = (*path, "options", o)
            oowner = f"option '{option.id}' of {owner}"
            if option.goto is not None and option.goto != END:
                self.ref((*opath, "goto"), option.goto, "move", self.move_ids, oowner, "goto")
            if not (option.consequence or "").strip() and not decision.poll:
                self.add(
                    opath,
                    f"{oowner} has no consequence",
                    "add `consequence:` saying what follows if teams choose it"
                    + (
                        ", or make the decision a poll (`poll: true`)"
                        if self.ex.format >= 2
                        else ""
                    ),
                )
            self.refs(
                (*opath, "sources"), option.sources, "source", self.source_ids, oowner, "sources"
            )
            for track in option.effects:
                self.ref(
                    (*opath, "effects", track),
                    track,
                    "state track",
                    self.state_ids,
                    oowner,
                    "effects",
                )
            if option.max is not None:
                if decision.kind != "allocation":
                    self.add(
                        (*opath, "max"),
                        f"{oowner} has `max:`, which only applies to allocations",
                        "remove `max:` or make the decision `kind: allocation`",
                        "warning",
                    )
                elif decision.budget is not None and option.max > decision.budget:
                    self.add(
                        (*opath, "max"),
                        f"{oowner} takes up to {option.max} points, more than the budget of {decision.budget}",
                        f"lower `max:` to {decision.budget} or less, or raise `budget:`",
                    )
        self.option_gotos(path, decision)
        if decision.kind == "allocation" and decision.budget is not None:
            maxes = [o.max for o in decision.options]
            if all(x is not None for x in maxes) and sum(x or 0 for x in maxes) < decision.budget:
                self.add(
                    (*path, "budget"),
                    f"{owner}: the options' `max:` add up to {sum(x or 0 for x in maxes)}, "
                    f"less than the budget of {decision.budget}",
                    "raise some `max:` values or lower `budget:`",
                    "warning",
                )

    def option_gotos(self, path: Path_, decision: Decision) -> None:
        """Options' `goto`s belong to a choice with one outcome (reported once, at the first)."""
        leading = [(o, opt.id) for o, opt in enumerate(decision.options) if opt.goto is not None]
        if not leading:
            return
        where: Path_ = (*path, "options", leading[0][0], "goto")
        named = ", ".join(f"'{option_id}'" for _, option_id in leading)
        owner = f"decision '{decision.id}'"
        if decision.kind != "choice":
            self.add(
                where,
                f"{owner} is an allocation, which has no single chosen option, but "
                f"{'options' if len(leading) > 1 else 'option'} {named} "
                f"{'have' if len(leading) > 1 else 'has'} `goto:`",
                "remove `goto:` and branch with `next:` rules comparing points, "
                "e.g. `{when: {decision: D, option: O, gte: 3}, goto: M}`",
            )
            return
        deciders = self.ex.deciding_teams(decision)
        if decision.resolve.mode == "each" and len(deciders) > 1:
            self.add(
                where,
                f"{owner} resolves `each` ({len(deciders)} teams answer for themselves), so no one "
                f"answer can follow a `goto:` (on {'options' if len(leading) > 1 else 'option'} {named})",
                "set the decision's `resolve:` to majority, facilitator or {team: ID}, "
                "or branch with `next:` rules",
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
