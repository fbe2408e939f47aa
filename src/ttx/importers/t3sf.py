"""T3SF MSELs (JSON), as read by T3SF's `T3SF/T3SF.py`: a list of injects.

Each inject has `#`, `Real Time` (when the bot posts it, '07:29 PM'), `Date` (the
scenario's time, 'Monday 9:30 AM'), `Subject`, `From`, `Player` (the inbox, i.e.
the team), `Script` (the text), `Photo` (an image URL), `Picture Name`, `Profile`
(the sender's avatar URL) and `Poll` ('A | B': the team answers a poll).
Players become teams, scripts inject bodies, polls poll decisions (format 2: options
need no consequence), real times minutes within a move; moves follow the day of the
scenario date ('Monday 9:30 AM' -> 'Monday').
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ttx.importers.common import (
    Ids,
    Imported,
    ImportError_,
    clean,
    one_line,
    relative,
    short_title,
    time_minutes,
    without_clock,
)
from ttx.model.starter import slugify

KIND = "a T3SF MSEL"
KNOWN = {
    "#",
    "Real Time",
    "Date",
    "Subject",
    "From",
    "Player",
    "Script",
    "Photo",
    "Picture Name",
    "Profile",
    "Poll",
}


def _field(item: dict[str, Any], key: str, where: str, path: Path) -> str:
    value = item.get(key)
    if isinstance(value, (dict, list)):
        raise ImportError_(f"{path}: {where}: `{key}` should be text, not a {type(value).__name__}")
    return clean(value)


def import_t3sf(path: Path, data: list[Any]) -> Imported:
    """Build the exercise from a T3SF MSEL's list of injects."""
    result = Imported(path, KIND, {})
    rows: list[tuple[str, dict[str, Any]]] = []
    for index, item in enumerate(data):
        number = clean(item.get("#")) if isinstance(item, dict) else ""
        where = f"inject {number or index + 1} (item {index + 1} of the list)"
        if not isinstance(item, dict):
            raise ImportError_(f"{path}: item {index + 1} of the list is not an inject object")
        if not _field(item, "Script", where, path) and not _field(item, "Subject", where, path):
            raise ImportError_(f"{path}: {where} has no `Script`; every T3SF inject needs its text")
        if not _field(item, "Player", where, path):
            raise ImportError_(f"{path}: {where} has no `Player` (the inbox it goes to); add one")
        rows.append((where, item))
    if not rows:
        raise ImportError_(f"{path}: the MSEL has no injects")

    team_ids = Ids(("all", "facilitator"))
    teams: dict[str, dict[str, str]] = {}
    for where, item in rows:
        player = one_line(_field(item, "Player", where, path))
        if player.lower() not in teams:
            teams[player.lower()] = {"id": team_ids.make(player, "team"), "name": player[:120]}

    times = [time_minutes(_field(item, "Real Time", where, path)) for where, item in rows]
    unreadable = [
        where
        for (where, item), t in zip(rows, times, strict=True)
        if t is None and _field(item, "Real Time", where, path)
    ]
    if unreadable:
        result.drop(
            f"Real times that are not clock times ({', '.join(unreadable[:5])}): those injects "
            "keep the minute of the inject before."
        )
    labels = [without_clock(_field(item, "Date", where, path)) for where, item in rows]
    groups: list[tuple[str, list[int]]] = []
    for index, label in enumerate(labels):
        if groups and (groups[-1][0] == label or not label):
            groups[-1][1].append(index)
        else:
            groups.append((label, [index]))

    inject_ids = Ids()
    decision_ids = Ids()
    move_ids = Ids(("end",))
    moves: list[dict[str, Any]] = []
    pictures: dict[str, list[str]] = {"web": [], "local": []}
    for position, (label, indexes) in enumerate(groups, start=1):
        minutes = relative([times[i] for i in indexes])
        injects: list[dict[str, Any]] = []
        decisions: list[dict[str, Any]] = []
        for index, at in zip(indexes, minutes, strict=True):
            where, item = rows[index]
            inject, decision, image = _inject(
                where, item, at, teams, inject_ids, decision_ids, result, path
            )
            if image:
                pictures[image].append(
                    one_line(_field(rows[index][1], "#", where, path)) or str(index + 1)
                )
            injects.append(inject)
            if decision:
                decisions.append(decision)
        first_date = one_line(_field(rows[indexes[0]][1], "Date", "", path))
        move: dict[str, Any] = {
            "id": move_ids.make(label or f"move {position}", "move"),
            "title": (label or ("The incident" if len(groups) == 1 else f"Move {position}"))[:120],
        }
        if first_date:
            move["scenario_time"] = first_date[:80]
        move["minutes"] = max(10, max(minutes) + 10)
        move["narrative"] = "Messages arrive in each team's inbox; discuss each as it comes."
        move["injects"] = injects
        move["questions"] = [{"text": "What does your team do now, and why?"}]
        if decisions:
            move["decisions"] = decisions
        moves.append(move)

    extra = sorted({str(k) for _, item in rows for k in item if str(k) not in KNOWN})
    if extra:
        result.drop(
            f"Columns T3SF does not use and the format has no place for: {', '.join(extra[:10])}."
        )
    profiles = sum(1 for where, item in rows if _field(item, "Profile", where, path))
    if profiles:
        result.drop(f"Sender avatars ('Profile', {profiles} injects): tabletop shows no avatars.")
    for where_from, numbers in pictures.items():
        if numbers and where_from == "web":
            which = (
                "web addresses, not fetched" if where_from == "web" else "files next to the MSEL"
            )
            result.drop(
                f"Pictures of inject{'s' if len(numbers) > 1 else ''} {', '.join(numbers[:12])}"
                f"{', …' if len(numbers) > 12 else ''} ({which}): not copied; each inject's facilitator notes name its "
                "picture (copy it next to the exercise and show it with `![what it shows](file)`)."
            )
    title = path.stem.replace("_", " ").replace("-", " ").strip().title() or "Imported MSEL"
    polls = any(move.get("decisions") for move in moves)  # a poll is format 2
    result.exercise.update(
        {
            "format": 2 if polls or result.pictures else 1,  # so are pictures
            "id": slugify(title),
            "title": title,
            "summary": f"Imported from the T3SF MSEL {path.name}: {len(rows)} injects. "
            "Write a summary of the scenario here.",
            "duration_minutes": sum(m["minutes"] for m in moves) + 20,
            "teams": list(teams.values()),
            "moves": moves,
        }
    )
    result.comment("teams", "One team per T3SF player (inbox); write each one's briefing.")
    result.comment(
        "moves",
        "Injects keep T3SF's order; `at` is the real time in minutes from the move's first "
        "inject, and moves follow the day of the scenario date.",
    )
    result.drop("Team briefings and the scenario summary: a T3SF MSEL has none; write them.")
    return result


def _inject(
    where: str,
    item: dict[str, Any],
    at: int,
    teams: dict[str, dict[str, str]],
    inject_ids: Ids,
    decision_ids: Ids,
    result: Imported,
    path: Path,
) -> tuple[dict[str, Any], dict[str, Any] | None, str]:
    number = one_line(_field(item, "#", where, path))
    script = _field(item, "Script", where, path)
    subject = one_line(_field(item, "Subject", where, path))
    team = teams[one_line(_field(item, "Player", where, path)).lower()]["id"]
    inject: dict[str, Any] = {
        "id": inject_ids.make(f"inject {number}" if number else subject, "inject"),
        "title": (subject or short_title(script) or f"Inject {number}")[:200],
        "at": at,
    }
    date = one_line(_field(item, "Date", where, path))
    if date:
        inject["scenario_time"] = date[:80]
    sender = one_line(_field(item, "From", where, path))
    if sender:
        inject["from"] = sender[:120]
    inject["medium"] = "message"
    inject["to"] = [team]
    inject["body"] = script or subject
    notes: list[str] = []
    photo = one_line(_field(item, "Photo", where, path))
    picture = one_line(_field(item, "Picture Name", where, path))
    image = ""
    if photo:
        local = not photo.lower().startswith(("http:", "https:", "data:", "//")) and _local(
            path, photo
        )
        if local:
            image = "local"
            described = bool(picture) and not picture.lower().endswith(PICTURE_FILES)
            alt = picture if described else f"The picture attached to inject {number or subject}"
            target = f"<{photo}>" if any(c in photo for c in " ()") else photo
            inject["body"] = f"{inject['body']}\n\n![{_alt(alt[:200])}]({target})"
            result.pictures.append(photo)
        else:
            named = f" ({picture})" if picture else ""
            image = "web"
            notes.append(f"T3SF attached a picture{named} from {photo}: it was not imported.")
    if notes:
        inject["facilitator_notes"] = "\n\n".join(notes)
    poll = _field(item, "Poll", where, path)
    options = [one_line(o) for o in poll.split("|") if one_line(o)] if poll else []
    if not options:
        return inject, None, image
    decision_id = decision_ids.make(f"poll {number}" if number else subject, "poll")
    option_ids = Ids()
    decision: dict[str, Any] = {
        "id": decision_id,
        "prompt": script or subject or "Poll",
        "teams": [team],
        "resolve": {"team": team},
        "poll": True,
        "options": [
            {"id": option_ids.make(label, "option"), "label": label[:200]} for label in options
        ],
    }
    return inject, decision, image


PICTURE_FILES = (".png", ".jpg", ".jpeg", ".svg")
"""A `Picture Name` ending so is a file name, not a description to use as alt text."""


def _alt(text: str) -> str:
    """Alt text safe inside `![...]`: no brackets or line breaks."""
    return " ".join(text.replace("[", "(").replace("]", ")").split())


def _local(source: Path, name: str) -> bool:
    """True when `name` is a file inside the MSEL's folder."""
    try:
        folder = source.resolve().parent
        target = (folder / name).resolve()
        return target.is_relative_to(folder) and target.is_file()
    except (OSError, ValueError):
        return False
