"""IcebergTTX scenarios (JSON), as read by IcebergTTX's `app/schemas/scenario_json.py`.

IcebergTTX is a graph of injects: each inject goes to target teams (none: all), and
either offers options whose `next_inject_id` picks the next inject, or continues
to its own `next_inject_id`. The exercise is format 2: each inject reachable from
`start_inject_id` becomes a move holding it; its options become a decision whose
options lead on by `goto` (the inject's own `next_inject_id` is the move's `next`).
Triggered communications become injects timed `after` the inject by their delay;
expected actions become the inject's expected points; debrief notes become the hot
wash's facilitator notes; the author and tags are kept.
"""

from __future__ import annotations

from collections import deque
from pathlib import Path
from typing import Any

from ttx.importers.common import Ids, Imported, ImportError_, clean, one_line, short_title
from ttx.model.starter import slugify

KIND = "an IcebergTTX scenario"


HOT_WASH = 20
"""The minutes a default hot wash takes (the format's default)."""


def _text(value: Any, where: str, path: Path, *, required: bool = False) -> str:
    if value is not None and not isinstance(value, (str, int, float)):
        raise ImportError_(f"{path}: {where} should be text, not {_kind(value)}; fix the file")
    text = clean(value)
    if required and not text:
        raise ImportError_(f"{path}: {where} is missing or empty; every inject needs it")
    return text


def _list(value: Any, where: str, path: Path) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise ImportError_(f"{path}: {where} should be a list, not {_kind(value)}; fix the file")
    return value


def _object(value: Any, where: str, path: Path) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ImportError_(f"{path}: {where} should be an object, not {_kind(value)}; fix the file")
    return value


def _kind(value: Any) -> str:
    return {dict: "an object", list: "a list", bool: "true/false", type(None): "null"}.get(
        type(value), f"a {type(value).__name__}"
    )


def _int(value: Any) -> int | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    if value != value or abs(value) > 1_000_000:  # NaN or absurd
        return None
    return int(value)


def import_iceberg(path: Path, data: dict[str, Any]) -> Imported:
    """Build the exercise from an IcebergTTX scenario's JSON object."""
    result = Imported(path, KIND, {})
    title = one_line(_text(data.get("title"), "`title`", path)) or path.stem
    version = clean(data.get("schema_version")) if "schema_version" in data else "1.0"
    if version not in ("1.0", "1"):
        result.drop(f"schema_version {version!r}: read as IcebergTTX's 1.0; check the result.")

    # -- teams --
    team_ids = Ids(("all", "facilitator"))
    teams: dict[str, dict[str, Any]] = {}
    for index, team in enumerate(_list(data.get("participant_teams"), "`participant_teams`", path)):
        where = f"participant_teams[{index}]"
        team = _object(team, where, path)
        key = _text(team.get("id"), f"{where}.id", path, required=True)
        label = one_line(_text(team.get("label"), f"{where}.label", path)) or key
        if key in teams:
            raise ImportError_(f"{path}: {where}: the team id {key!r} is used twice; rename one")
        teams[key] = {"id": team_ids.make(key, "team"), "name": label[:120]}

    # -- injects --
    raw_injects = _list(data.get("injects"), "`injects`", path)
    if not raw_injects:
        raise ImportError_(f"{path}: `injects` is empty; a scenario needs at least one inject")
    nodes: dict[str, dict[str, Any]] = {}
    for index, raw in enumerate(raw_injects):
        node = _object(raw, f"injects[{index}]", path)
        key = _text(node.get("id"), f"injects[{index}].id", path, required=True)
        if key in nodes:
            raise ImportError_(f"{path}: injects[{index}]: the inject id {key!r} is used twice")
        nodes[key] = node
        for target in _list(node.get("target_teams"), f"inject {key!r}: target_teams", path):
            target = _text(target, f"inject {key!r}: a target team", path)
            if target and target not in teams:
                teams[target] = {"id": team_ids.make(target, "team"), "name": target[:120]}
                result.drop(
                    f"Inject {key!r} targets the team {target!r}, which participant_teams "
                    "does not declare: it was added as a team."
                )
    start = _text(data.get("start_inject_id"), "`start_inject_id`", path)
    if not start:
        start = next(iter(nodes))
        result.drop(f"No start_inject_id: the first inject, {start!r}, starts the exercise.")
    if start not in nodes:
        raise ImportError_(
            f"{path}: start_inject_id {start!r} is not an inject id; use one of: "
            f"{', '.join(list(nodes)[:8])}"
        )
    if not teams:
        teams["participants"] = {"id": "participants", "name": "Participants"}
        result.drop(
            "The scenario declares no participant_teams: one team, 'Participants', plays every inject."
        )

    edges: dict[str, list[str]] = {}
    for key, node in nodes.items():
        targets: list[str] = []
        for o, option in enumerate(_list(node.get("options"), f"inject {key!r}: options", path)):
            option = _object(option, f"inject {key!r}: options[{o}]", path)
            targets.append(
                _next(option.get("next_inject_id"), f"inject {key!r}, option {o + 1}", nodes, path)
            )
        targets.append(_next(node.get("next_inject_id"), f"inject {key!r}", nodes, path))
        edges[key] = [t for t in targets if t]
    _no_cycle(edges, path)

    order = _order(start, edges, nodes)
    reachable = set(order)
    move_ids = Ids(("end",))
    move_of = {key: move_ids.make(key, "move") for key in order}
    decision_ids = Ids()
    inject_ids = Ids()
    depth = _longest(start, edges)
    raw_meta = data.get("metadata")
    meta: dict[str, Any] = raw_meta if isinstance(raw_meta, dict) else {}
    duration = _int(meta.get("estimated_duration_minutes"))
    # The scenario's estimate covers the debrief too: the moves share what the hot wash
    # (20 minutes) leaves, and the plan grows only when even 5-minute moves would not fit.
    minutes = max(5, (duration - HOT_WASH) // max(1, depth)) if duration else 15
    multi_team_choice = False

    moves: list[dict[str, Any]] = []
    for key in order:
        node = nodes[key]
        move, multi = _move(
            key, node, nodes, teams, move_of, inject_ids, decision_ids, minutes, result, path
        )
        multi_team_choice |= multi
        moves.append(move)
    if multi_team_choice:
        result.drop(
            "IcebergTTX follows each team's choice on its own path; tabletop plays one storyline "
            "for the room, so a choice several teams make resolves by majority (ties: the facilitator)."
        )

    # Injects no branch reaches (IcebergTTX fires them on their own clock) join the first move.
    parallel = [key for key in nodes if key not in reachable]
    for key in parallel:
        node = nodes[key]
        inject = _inject(key, node, teams, inject_ids, path)
        release = _int(node.get("release_at_minutes"))
        inject["at"] = max(0, release or 0)
        moves[0]["injects"].append(inject)
        moves[0]["minutes"] = max(moves[0]["minutes"], inject["at"] + 5)
        lost = "its options and next inject were dropped" if edges[key] else "nothing else was lost"
        result.drop(
            f"Inject {key!r} is not reached from the start inject (a parallel timeline in "
            f"IcebergTTX): it is delivered in the first move at minute {inject['at']}; {lost}."
        )

    debrief = _text(data.get("debrief_notes"), "`debrief_notes`", path)
    author = one_line(_text(meta.get("author"), "`metadata.author`", path))
    tags = list(
        dict.fromkeys(
            one_line(clean(t))[:60] for t in _list(data.get("tags"), "`tags`", path) if clean(t)
        )
    )

    description = _text(data.get("description"), "`description`", path)
    played = HOT_WASH + _longest(
        start, edges, {k: m["minutes"] for k, m in zip(order, moves, strict=True)}
    )
    planned = max(duration or 0, played)
    if duration and played > duration:
        result.drop(
            f"estimated_duration_minutes {duration}: the longest path and a hot wash take "
            f"{played} minutes, so the plan says {played}; shorten moves to fit."
        )
    exercise: dict[str, Any] = {
        "format": 2,
        "id": slugify(title),
        "title": title[:200],
    }
    if author:
        exercise["author"] = author[:200]
    if tags:
        exercise["tags"] = tags
    exercise.update(
        {
            "summary": description or f"Imported from the IcebergTTX scenario {path.name}.",
            "duration_minutes": planned,
            "teams": list(teams.values()),
            "moves": moves,
        }
    )
    if debrief:
        exercise["hot_wash"] = {"minutes": HOT_WASH, "facilitator_notes": debrief}
    result.exercise.update(exercise)
    result.comment(
        "moves",
        "One move per IcebergTTX inject; each option's `next_inject_id` is the option's "
        "`goto:`. A free-form answer follows the move's `next:` (the inject's own "
        "next_inject_id, else the end); the facilitator can always choose the branch live.",
    )
    result.comment("teams", "Teams come from participant_teams; write each one's briefing.")
    return result


def _next(value: Any, where: str, nodes: dict[str, Any], path: Path) -> str:
    if value is None:
        return ""
    target = _text(value, f"{where}: next_inject_id", path)
    if target and target not in nodes:
        raise ImportError_(
            f"{path}: {where}: next_inject_id {target!r} is not an inject id; fix or remove it"
        )
    return target


def _no_cycle(edges: dict[str, list[str]], path: Path) -> None:
    """Refuse a loop, as IcebergTTX does (iteratively: long chains cannot exhaust the stack)."""
    state: dict[str, int] = {}
    for root in edges:
        if root in state:
            continue
        stack: list[tuple[str, int]] = [(root, 0)]
        trail: list[str] = []
        while stack:
            key, index = stack.pop()
            if index == 0:
                state[key] = 1
                trail.append(key)
            children = edges.get(key, [])
            if index < len(children):
                stack.append((key, index + 1))
                child = children[index]
                if state.get(child) == 1:
                    loop = [*trail[trail.index(child) :], child]
                    raise ImportError_(
                        f"{path}: the injects loop ({' -> '.join(loop[:10])}); IcebergTTX "
                        "refuses loops too: point one next_inject_id elsewhere"
                    )
                if child not in state:
                    stack.append((child, 0))
            else:
                state[key] = 2
                trail.pop()


def _order(start: str, edges: dict[str, list[str]], nodes: dict[str, dict[str, Any]]) -> list[str]:
    """The injects reachable from the start, breadth first, by `sequence_order` within a level."""
    seen = {start}
    order: list[str] = []
    queue = deque([start])
    while queue:
        key = queue.popleft()
        order.append(key)
        children = sorted(
            (c for c in dict.fromkeys(edges[key]) if c not in seen),
            key=lambda c: _int(nodes[c].get("sequence_order")) or 0,
        )
        for child in children:
            seen.add(child)
            queue.append(child)
    return order


def _longest(start: str, edges: dict[str, list[str]], weight: dict[str, int] | None = None) -> int:
    """The most moves a run can play, or with `weight` the most minutes (the graph has no loops)."""
    order: list[str] = []
    seen: set[str] = set()
    stack: list[tuple[str, bool]] = [(start, False)]
    while stack:
        key, done = stack.pop()
        if done:
            order.append(key)
            continue
        if key in seen:
            continue
        seen.add(key)
        stack.append((key, True))
        stack.extend((c, False) for c in edges[key] if c not in seen)
    length: dict[str, int] = {}
    for key in order:  # children before parents
        own = weight.get(key, 0) if weight is not None else 1
        length[key] = own + max((length.get(c, 0) for c in edges[key]), default=0)
    return length.get(start, 1)


def _audience(
    node: dict[str, Any], teams: dict[str, dict[str, Any]], path: Path, key: str
) -> str | list[str]:
    targets = [
        _text(t, f"inject {key!r}: a target team", path)
        for t in _list(node.get("target_teams"), f"inject {key!r}: target_teams", path)
    ]
    ids = list(dict.fromkeys(teams[t]["id"] for t in targets if t in teams))
    return ids if ids and len(ids) < len(teams) else "all"


def _inject(
    key: str, node: dict[str, Any], teams: dict[str, dict[str, Any]], ids: Ids, path: Path
) -> dict[str, Any]:
    content = _text(node.get("content"), f"inject {key!r}: content", path)
    title = one_line(_text(node.get("title"), f"inject {key!r}: title", path))
    return {
        "id": ids.make(key, "inject"),
        "title": (title or short_title(content) or key)[:200],
        "at": 0,
        "to": _audience(node, teams, path, key),
        "body": content,
    }


def _move(
    key: str,
    node: dict[str, Any],
    nodes: dict[str, dict[str, Any]],
    teams: dict[str, dict[str, Any]],
    move_of: dict[str, str],
    inject_ids: Ids,
    decision_ids: Ids,
    minutes: int,
    result: Imported,
    path: Path,
) -> tuple[dict[str, Any], bool]:
    inject = _inject(key, node, teams, inject_ids, path)
    move: dict[str, Any] = {"id": move_of[key], "title": inject["title"], "minutes": minutes}
    if key != next(iter(move_of)):
        move["branch_only"] = True
    notes: list[str] = []
    release = _int(node.get("release_at_minutes"))
    if release is not None and not (release == 0 and key == next(iter(move_of))):
        notes.append(f"IcebergTTX released this inject {release} minutes after the start.")
        result.drop(
            f"release_at_minutes of inject {key!r} ({release}): tabletop times injects within "
            "a move, not from the start; it is in the move's facilitator notes."
        )
    expected = [
        one_line(clean(a))
        for a in _list(node.get("expected_actions"), f"inject {key!r}: expected_actions", path)
        if clean(a)
    ]
    if notes:
        move["facilitator_notes"] = "\n\n".join(notes)
    if expected:
        inject["expected_points"] = expected
    injects = [inject]
    comms = _list(
        node.get("triggers_communications"), f"inject {key!r}: triggers_communications", path
    )
    for c, raw in enumerate(comms):
        comm = _object(raw, f"inject {key!r}: triggers_communications[{c}]", path)
        injects.append(_communication(key, inject["id"], c, comm, inject_ids, result, path))
    move["injects"] = injects

    options = _list(node.get("options"), f"inject {key!r}: options", path)
    deciders = inject["to"] if isinstance(inject["to"], list) else []
    free_form = node.get("free_text_response", True) is not False
    multi = False
    linear = _next(node.get("next_inject_id"), f"inject {key!r}", nodes, path)
    if options:
        decision_id = decision_ids.make(f"{key} choice", "choice")
        option_ids = Ids()
        written: list[dict[str, Any]] = []
        for o, raw in enumerate(options):
            option = _object(raw, f"inject {key!r}: options[{o}]", path)
            label = one_line(
                _text(option.get("label"), f"inject {key!r}: options[{o}].label", path)
            )
            raw_id = _text(option.get("id"), f"inject {key!r}: options[{o}].id", path)
            target = _next(
                option.get("next_inject_id"), f"inject {key!r}, option {o + 1}", nodes, path
            )
            option_id = option_ids.make(raw_id or label, "option")
            consequence = (
                f"The scenario goes on to “{_title(nodes[target], target)}”."
                if target
                else "This path of the scenario ends here."
            )
            written.append(
                {
                    "id": option_id,
                    "label": (label or raw_id or f"Option {o + 1}")[:200],
                    "consequence": consequence,
                    "goto": move_of.get(target, "end") if target else "end",
                }
            )
        decision: dict[str, Any] = {
            "id": decision_id,
            "prompt": f"What do you do about “{inject['title']}”?",
        }
        if deciders:
            decision["teams"] = deciders
        if len(deciders) == 1:
            decision["resolve"] = {"team": deciders[0]}
        else:
            decision["resolve"] = "majority"
            multi = len(teams) > 1
        decision["free_form"] = free_form
        decision["options"] = written
        move["decisions"] = [decision]
        move["next"] = [{"goto": move_of.get(linear, "end") if linear else "end"}]
        result.drop(
            "IcebergTTX options have no consequence text: each option's consequence says which "
            "inject it leads to; write what happens."
        )
    else:
        if free_form:
            question: dict[str, Any] = {"text": f"How do you respond to “{inject['title']}”?"}
            if deciders:
                question["teams"] = deciders
            move["questions"] = [question]
        move["next"] = [{"goto": move_of.get(linear, "end") if linear else "end"}]
    return move, multi


def _title(node: dict[str, Any], key: str) -> str:
    title = node.get("title")
    return one_line(clean(title)) if isinstance(title, str) and clean(title) else key


def _communication(
    key: str,
    after: str,
    index: int,
    comm: dict[str, Any],
    ids: Ids,
    result: Imported,
    path: Path,
) -> dict[str, Any]:
    """A triggered communication: an inject timed `after` its inject (`after`) by its delay."""
    where = f"inject {key!r}: triggers_communications[{index}]"
    sender = one_line(_text(comm.get("external_entity"), f"{where}.external_entity", path))
    subject = one_line(_text(comm.get("subject"), f"{where}.subject", path))
    body = _text(comm.get("body"), f"{where}.body", path)
    direction = _text(comm.get("direction"), f"{where}.direction", path).lower()
    delay = max(0, _int(comm.get("delay_after_release_seconds")) or 0)
    inject: dict[str, Any] = {
        "id": ids.make(f"{key} message {index + 1}", "message"),
        "title": (subject or short_title(body) or f"Message from {sender or 'outside'}")[:200],
        "after": {"inject": after, "minutes": delay // 60},
    }
    if sender:
        inject["from"] = sender[:120]
    inject["medium"] = "message"
    inject["to"] = "facilitator" if direction == "outbound" else "all"
    inject["body"] = body
    if delay % 60:
        inject["facilitator_notes"] = (
            f"IcebergTTX delivered this {delay} seconds after the inject “{key}”."
        )
        result.drop(
            f"A message of inject {key!r} comes {delay} seconds after it: tabletop times "
            f"injects in whole minutes, so it comes {delay // 60} min after it (noted on it)."
        )
    if direction == "outbound":
        result.drop(
            "Outbound communications have no participant audience in IcebergTTX: they are "
            "facilitator-only injects."
        )
    return inject
