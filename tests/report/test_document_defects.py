"""Defects a reader of the printed documents noticed (issue 15), each read back from the page or the SVG."""

from __future__ import annotations

import copy
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.report.conftest import DEMO, FLAGSHIP
from ttx.model.stages import move_numbers
from ttx.model.validate import load_exercise
from ttx.report.branchmap import branch_map


def _demo_data() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(DEMO.read_text(encoding="utf-8"))
    return data


def _write(tmp_path: Path, data: dict[str, Any], name: str = "x.yaml") -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def _web(tmp_path: Path) -> Path:
    """An IcebergTTX-style web: every move of a stage can lead to every move of the next."""
    data = _demo_data()
    first = data["moves"][0]
    moves = []
    names = ["start", "a", "b", "c", "x", "y"]
    for name in names:
        move = copy.deepcopy(first)
        move["id"] = name
        move["title"] = f"Move {name}"
        move["decisions"] = []
        for inject in move["injects"]:
            inject["id"] = f"{name}_{inject['id']}"
            inject.pop("when", None)
        moves.append(move)

    def rules(*targets: str) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = [
            {"when": {"state": "trust", "lt": n + 2}, "goto": t} for n, t in enumerate(targets[:-1])
        ]
        return [*out, {"goto": targets[-1]}]

    moves[0]["next"] = rules("a", "b", "c")
    for move in moves[1:4]:
        move["next"] = rules("x", "y")
    moves[4]["next"] = rules("start", "end")
    moves[5]["next"] = rules("end")
    data["moves"] = moves
    return _write(tmp_path, data, "web.yaml")


def _label_boxes(svg: str) -> list[tuple[float, float, float, float]]:
    found = re.findall(
        r'<rect x="([-\d.]+)" y="([-\d.]+)" width="([\d.]+)" height="14" rx="7"', svg
    )
    return [(float(x), float(y), float(x) + float(w), float(y) + 14) for x, y, w in found]


def test_branch_map_labels_never_hide_one_another(tmp_path: Path) -> None:
    exercise = load_exercise(_web(tmp_path))
    svg = str(branch_map(exercise)["svg"])
    boxes = _label_boxes(svg)
    assert len(boxes) >= 10
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            overlap = a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]
            assert not overlap, (a, b)
    nodes = re.findall(
        r'<rect x="([-\d.]+)" y="([-\d.]+)" width="([\d.]+)" height="([\d.]+)" rx="4"', svg
    )
    for x, y, w, h in nodes:
        node = (float(x), float(y), float(x) + float(w), float(y) + float(h))
        for a in boxes:
            assert not (a[0] < node[2] and node[0] < a[2] and a[1] < node[3] and node[1] < a[3])


def test_branch_map_numbers_moves_as_every_other_document() -> None:
    exercise = load_exercise(FLAGSHIP)
    svg = str(branch_map(exercise)["svg"])
    printed = re.findall(r">MOVE ([0-9A-Z]+)", svg)
    assert printed == [move_numbers(exercise)[m.id] for s in _stages(exercise) for m in s]
    assert printed[0] == "0"


def _stages(exercise: Any) -> list[list[Any]]:
    from ttx.model.stages import stages

    return stages(exercise)


def _ids(exercise: Any) -> set[str]:
    found: set[str] = set()

    def walk(node: Any) -> None:
        if hasattr(type(node), "model_fields"):
            for key in type(node).model_fields:
                value = getattr(node, key)
                if key == "id" and isinstance(value, str):
                    found.add(value)
                walk(value)
        elif isinstance(node, (list, tuple)):
            for item in node:
                walk(item)

    walk(exercise)
    return found


def test_no_internal_ids_in_the_handouts(tmp_path: Path) -> None:
    """No id (`us_opening`, a team's `nsc`) prints in any handout of the flagship: the guide
    names a deciding team by its name, and the exercise's prose names decisions by their
    questions."""
    from tests.report.pdfcheck import text_of
    from ttx.cli import main

    exercise = load_exercise(FLAGSHIP)
    ids = {i for i in _ids(exercise) if "_" in i}
    assert len(ids) > 20, "the flagship's ids should be checkable"
    out = tmp_path / "h"
    assert main(["handouts", str(FLAGSHIP), "-o", str(out)]) == 0
    for pdf in sorted(out.glob("*.pdf")):
        text = text_of(pdf)
        printed = {i for i in ids if re.search(r"(?<![\w-])" + re.escape(i) + r"(?![\w-])", text)}
        assert not printed, (pdf.name, printed)
        teams = [t.id for t in exercise.teams]
        assert not [t for t in teams if re.search(rf"\bteam {re.escape(t)}\b", text)], pdf.name
    guide = " ".join(text_of(out / "facilitator-guide.pdf").split())
    assert "outcome: the answer of Mexico" in guide


def _mail_and_image(tmp_path: Path) -> Path:
    data = _demo_data()
    inject = data["moves"][0]["injects"][0]
    inject["body"] = (
        "Hello,\nWe have information about the unit.\nRegards,\nThe liaison\n\n"
        "The map: ![Map of the border crossings](https://example.org/map.png)"
    )
    return _write(tmp_path, data, "mail.yaml")


def test_single_line_breaks_are_kept_and_images_print_their_description(tmp_path: Path) -> None:
    from tests.report.pdfcheck import pages_text
    from ttx.cli import main

    out = tmp_path / "h"
    assert main(["handouts", str(_mail_and_image(tmp_path)), "-o", str(out)]) == 0
    raw = "\n".join(pages_text(out / "inject-cards.pdf"))
    lines = [line.strip() for line in raw.splitlines()]
    assert "Hello," in lines and "Regards," in lines  # each on its own line, as typed
    flat = " ".join(raw.split())
    assert "The map: [Map of the border crossings]" in flat
    assert "!Map" not in flat and "example.org/map.png" not in flat


def test_the_validator_warns_about_an_image(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from ttx.cli import main

    path = _mail_and_image(tmp_path)
    assert main(["validate", str(path)]) == 0
    said = capsys.readouterr()
    text = said.out + said.err
    assert "warning" in text and "![Map of the border crossings]" in text
    line = next(n for n, t in enumerate(path.read_text().splitlines(), 1) if "Hello," in t)
    assert f"mail.yaml:{line - 1}" in text or f"mail.yaml:{line}" in text


def test_line_breaks_are_kept_where_typed_and_wrapped_prose_still_flows() -> None:
    from ttx.report.markdown import markdown

    mail = str(
        markdown("Hello,\nWe have information about the unit, sadly.\nRegards,\nThe liaison")
    )
    assert mail.count("<br") == 3
    prose = (
        "Welcome to a fictional year in US-Mexico security relations. It opens\n"
        "soon after Washington has listed several Mexican criminal networks as\n"
        "Foreign Terrorist Organizations. Overdose deaths lead the US news.\n"
        "Short last line."
    )
    assert "<br" not in str(markdown(prose))
    for exercise in (FLAGSHIP, DEMO):
        # The shipped exercises' prose is wrapped by the editor: none of it gains a break.
        assert "<br" not in "".join(str(markdown(t)) for t in _texts(load_exercise(exercise)))


def _texts(node: Any) -> list[str]:
    if isinstance(node, str):
        return [node] if "\n" in node.strip() else []
    if hasattr(type(node), "model_fields"):
        return [t for key in type(node).model_fields for t in _texts(getattr(node, key))]
    if isinstance(node, (list, tuple)):
        return [t for item in node for t in _texts(item)]
    return []


def test_cards_dealt_per_cell_never_say_all_teams() -> None:
    from tests.report.conftest import TOOLBOX
    from ttx.report.participant import inject_cards_context

    exercise = load_exercise(TOOLBOX)
    master = inject_cards_context(exercise)["cards"]
    year_two = [c for c in master if c["title"].startswith("Year-two card")]
    assert len(year_two) >= 5
    for card in year_two:
        assert card["to"] != "All teams" and card["per_team"], card["title"]
        assert "each team whose own answer meets the trigger" in card["note"]
        assert card["trigger"] and "portfolio" not in card["trigger"]  # named, not by id
    deck = inject_cards_context(exercise, "defense")["cards"]
    assert {c["title"] for c in deck} >= {c["title"] for c in year_two}
    assert all(c["to"] == "Defense" for c in deck)


def test_a_worksheet_heading_never_wraps(tmp_path: Path) -> None:
    """The heading was cut beside a floated team name ("... MONTH" / "3"): now one line each."""
    from tests.report.pdfcheck import pages_text
    from ttx.cli import main

    out = tmp_path / "h"
    assert main(["handouts", str(FLAGSHIP), "-o", str(out)]) == 0
    for name in ("team-mexico.pdf", "team-nsc.pdf", "team-domestic.pdf", "branch-modules.pdf"):
        lines = [line.strip() for page in pages_text(out / name) for line in page.splitlines()]
        heads = [line for line in lines if line.upper().startswith("DECISION WORKSHEET")]
        assert heads, name
        for head in heads:
            assert re.search(r"· (MONTH|MONTHS|TODAY|BEFORE|YEAR)[^·]*\d*$", head.upper()) or (
                head.upper().endswith(("TODAY", "BEFORE MONTH 0"))
            ), head
        assert "3" not in lines and "MONTH" not in [line.upper() for line in lines]


def test_events_list_columns_hold_what_they_say() -> None:
    """The inject column holds the inject's facilitator note under that name; a move's
    expected discussion is labelled as such on its row (it was an empty 'Expected discussion')."""
    from ttx.report.handouts import handout_set

    def events_table(exercise: Path) -> str:
        docs = handout_set(load_exercise(exercise))
        html = next(d for d in docs if d.filename == "facilitator-guide.pdf").html("letter")
        start = html.index('<table class="msel">')
        return html[start : html.index("</table>", start)]

    table = events_table(FLAGSHIP)
    assert "<th>Facilitator note</th>" in table and "<th>Expected discussion</th>" not in table
    # The demo's injects carry no note for the facilitator: no column left empty for one.
    demo = events_table(DEMO)
    assert "Facilitator note" not in demo and 'colspan="6"' in demo and 'colspan="7"' not in demo
    groups = demo.split('<tr class="msel-group">')[1:]
    assert groups
    for group in groups:
        row = group.split("</tr>")[0]
        if "msel-point" in row:
            assert row.index("Expected discussion") < row.index("msel-point")


SCRIPTS = {
    "greek": "Ομάδα Αθήνας",
    "cyrillic": "Команда Киева",
    "arabic": "«فريق الأزمة»",
    "hebrew": "«צוות חירום»",
    "emoji": "Rocket 🚀 team 🇲🇽 ✓",
}


def test_every_script_and_emoji_prints_with_a_shipped_font(tmp_path: Path) -> None:
    """Team names in six scripts reach the report: every character is covered by a font of
    the package's stack, and the PDF embeds only shipped fonts (no system fallback, no boxes)."""
    from fontTools.ttLib import TTFont  # type: ignore[import-untyped]

    import ttx.report
    from tests.report.pdfcheck import fonts, text_of
    from ttx.api import open_journal
    from ttx.cli import main
    from ttx.session.actions import AddNote, EnterMove
    from ttx.session.events import TeamSetup

    shipped = Path(str(ttx.report.__file__)).parent / "fonts"
    cmaps = [set(TTFont(f).getBestCmap()) for f in sorted(shipped.glob("*.ttf"))]
    for text in SCRIPTS.values():
        for char in text:
            if char.isspace() or char in "\u200d\ufe0f":
                continue
            assert any(ord(char) in cmap for cmap in cmaps), (char, hex(ord(char)))

    with open_journal() as journal:
        teams = [
            TeamSetup(id="us", name=f"{SCRIPTS['greek']} {SCRIPTS['arabic']}"),
            TeamSetup(id="mexico", name=f"{SCRIPTS['cyrillic']} {SCRIPTS['hebrew']}"),
        ]
        with journal.create_session(DEMO, teams) as session:
            session.apply(EnterMove())
            session.apply(AddNote(text=SCRIPTS["emoji"] + " " + SCRIPTS["arabic"]))
            session_id = session.id
    out = tmp_path / "aar.pdf"
    assert main(["report", session_id, "-o", str(out)]) == 0
    used = fonts(out)
    assert {"Noto-Naskh-Arabic", "ttx-Emoji", "Noto-Serif"} <= {f.rstrip("*") for f in used}
    # Digits are text, never the emoji font's grey pictures.
    assert not set("0123456789") & set(_text_by_font(out).get("ttx-Emoji", ""))
    assert all(not f.endswith("*") for f in used)
    assert not any(f.startswith("DejaVu") for f in used), used
    text = text_of(out)
    for word in ("Ομάδα", "Киева", "🚀"):
        assert word in text


def _text_by_font(pdf: Path) -> dict[str, str]:
    from pypdf import PdfReader

    found: dict[str, str] = {}
    for page in PdfReader(str(pdf)).pages:

        def visit(text: str, cm: Any, tm: Any, font: Any, size: Any) -> None:
            if font is not None:
                name = str(font.get("/BaseFont", "?")).split("+", 1)[-1]
                found[name] = found.get(name, "") + text

        page.extract_text(visitor_text=visit)
    return found


def test_right_to_left_text_keeps_its_order_and_punctuation(tmp_path: Path) -> None:
    """An Arabic team name among English words stays one isolated run with its quotes;
    an Arabic-first rationale is a right-to-left paragraph (its closing » and full stop
    no longer jump to the other end)."""
    from tests.report.pdfcheck import pages_text
    from ttx.api import open_journal
    from ttx.cli import main
    from ttx.report.markdown import PDI, RLI, isolate, markdown
    from ttx.session.actions import EnterMove, RecordDecision
    from ttx.session.events import TeamSetup

    assert isolate("«فريق»; Equipo «צוות» 🚀") == f"«{RLI}فريق{PDI}»; Equipo «{RLI}צוות{PDI}» 🚀"
    assert isolate("Team Blue") == "Team Blue"
    assert 'dir="rtl"' in str(markdown("قال الفريق «إنها خطة» and then «نعم»."))
    assert str(markdown("Note: «فريق» said «نعم»")).startswith("<p>Note:")

    with open_journal() as journal:
        teams = [
            TeamSetup(id="us", name="«فريق الأزمة»"),
            TeamSetup(id="mexico", name="Equipo «צוות חירום» 🚀"),
        ]
        with journal.create_session(DEMO, teams) as session:
            session.apply(EnterMove())
            session.apply(
                RecordDecision(
                    decision_id="opening",
                    team_id="us",
                    option_id="partner",
                    rationale="قال الفريق «إنها خطة» and then «نعم».",
                )
            )
            session_id = session.id
    out = tmp_path / "aar.pdf"
    assert main(["report", session_id, "-o", str(out)]) == 0
    lines = [line for page in pages_text(out) for line in page.splitlines()]
    teams_line = next(line for line in lines if "Equipo" in line and "فريق" in line)
    # Before: the whole line was read as one Arabic phrase: "🚀 »צוות חירום« Equipo ;»فريق…«".
    assert teams_line.index("فريق") < teams_line.index("; Equipo") < teams_line.index("🚀")
