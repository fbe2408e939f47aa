"""Format-2 fields in the printed documents: who wrote it, where, the language, notes and frames."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.report.pdfcheck import catalog, squash, text_of
from ttx.cli import main

ROOT = Path(__file__).resolve().parents[2]
GUIDE = ROOT / "docs" / "authoring.md"


def _guide_format_2_example() -> str:
    text = GUIDE.read_text(encoding="utf-8")
    blocks = [c.split("\n```", 1)[0] + "\n" for c in text.split("```yaml\n")[1:]]
    return next(b for b in blocks if b.startswith("format: 2"))


@pytest.fixture(scope="module")
def handouts(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("format2")
    source = folder / "hurricane.yaml"
    source.write_text(_guide_format_2_example(), encoding="utf-8")
    out = folder / "out"
    assert main(["handouts", str(source), "-o", str(out)]) == 0
    return out


def test_every_pdf_declares_the_exercise_language_author_and_tags(handouts: Path) -> None:
    pdfs = sorted(handouts.glob("*.pdf"))
    assert len(pdfs) >= 5
    for pdf in pdfs:
        reader = PdfReader(str(pdf))
        assert catalog(reader)["/Lang"] == "en-US", pdf.name
        assert reader.metadata is not None
        assert str(reader.metadata["/Author"]) == "Dr. A. Lee, Emergency Management 301", pdf.name
        assert str(reader.metadata["/Keywords"]) == "hurricane, evacuation, seminar", pdf.name


def test_the_situation_manual_carries_the_public_format_2_fields(handouts: Path) -> None:
    text = text_of(handouts / "situation-manual.pdf")
    for expected in (
        "Written by Dr. A. Lee, Emergency Management 301",
        "Room 204, Science Building",
        "Dr. A. Lee · Course lead · a.lee@example.edu",
        "capability: Public Information and Warning",
        "Glossary",
        "Emergency Operations Centre",
        "National Hurricane Center",
    ):
        assert squash(expected) in squash(text), expected
    for secret in ("Start with the county team", "Name the trigger for the order", "Leads to"):
        assert squash(secret) not in squash(text), secret


def test_the_facilitator_guide_carries_every_format_2_field(handouts: Path) -> None:
    text = squash(
        text_of(handouts / "facilitator-guide.pdf")
    ).casefold()  # labels print in capitals
    for expected in (
        "Written by Dr. A. Lee",
        "Room 204, Science Building",
        "hurricane, evacuation, seminar",
        "capability: Public Information and Warning",
        "Expected response",
        "Name the trigger for the order.",  # the inject's expected points
        "Start with the county team; it saw the traffic first.",  # hot-wash notes
        "Frame: Five questions for an evacuation order",
        "When must the order go out? — asked in Move 1",
        "Leads to An early order",
        "Poll · Decided by every team",
        "Glossary",
        "NHC",
    ):
        assert squash(expected).casefold() in text, expected


def test_no_participant_document_carries_facilitator_only_format_2_text(handouts: Path) -> None:
    for pdf in sorted(handouts.glob("*.pdf")):
        if pdf.name == "facilitator-guide.pdf":
            continue
        text = squash(text_of(pdf))
        for secret in ("Start with the county team", "Name the trigger for the order"):
            assert squash(secret) not in text, (pdf.name, secret)


def test_a_format_1_exercise_still_prints_in_english_by_its_sponsor(
    demo_handouts: Path,
) -> None:
    reader = PdfReader(str(demo_handouts / "situation-manual.pdf"))
    assert catalog(reader)["/Lang"] == "en"
    assert reader.metadata is not None and "/Keywords" not in reader.metadata


def test_a_picture_of_the_exercise_folder_is_printed_embedded(tmp_path: Path) -> None:
    from PIL import Image

    from ttx.model.validate import load_exercise
    from ttx.report.handouts import handout_set

    folder = tmp_path / "pictures"
    (folder / "images").mkdir(parents=True)
    Image.new("RGB", (120, 60), "#336699").save(folder / "images" / "map.png")
    source = folder / "hurricane.yaml"
    source.write_text(
        _guide_format_2_example().replace(
            "        body: The storm is now forecast to make landfall in 60 hours.\n",
            "        body: |\n          The storm is now forecast to make landfall.\n\n"
            "          ![Map of the evacuation zones](images/map.png)\n",
        ),
        encoding="utf-8",
    )
    docs = {d.filename: d for d in handout_set(load_exercise(source))}
    html = docs["inject-cards-city.pdf"].html("a4")
    assert 'alt="Map of the evacuation zones" src="data:image/png;base64,' in html
    assert "images/map.png" not in html  # embedded: the renderer never opens the file
    out = tmp_path / "out"
    assert main(["handouts", str(source), "-o", str(out)]) == 0
    for name in ("inject-cards-city.pdf", "inject-cards.pdf", "facilitator-guide.pdf"):
        reader = PdfReader(str(out / name))
        assert any(page.images for page in reader.pages), name
        assert "[Map of the evacuation zones]" not in text_of(out / name), name
    # copies of the exercise (the participant views) keep the folder the pictures live in
    exercise = load_exercise(source).model_copy()
    assert exercise.source_folder() == folder


def test_a_self_contained_svg_drawing_is_printed_embedded(tmp_path: Path) -> None:
    from ttx.model.validate import load_exercise
    from ttx.report.handouts import handout_set

    folder = tmp_path / "drawing"
    folder.mkdir()
    (folder / "zones.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="120" height="60">'
        '<rect width="120" height="60" fill="#336699"/></svg>',
        encoding="utf-8",
    )
    source = folder / "hurricane.yaml"
    source.write_text(
        _guide_format_2_example().replace(
            "        body: The storm is now forecast to make landfall in 60 hours.\n",
            "        body: |\n          The storm is now forecast to make landfall.\n\n"
            "          ![Evacuation zones drawn as a map](zones.svg)\n",
        ),
        encoding="utf-8",
    )
    docs = {d.filename: d for d in handout_set(load_exercise(source))}
    html = docs["inject-cards-city.pdf"].html("a4")
    assert 'alt="Evacuation zones drawn as a map" src="data:image/svg+xml;base64,' in html
    out = tmp_path / "out"
    assert main(["handouts", str(source), "-o", str(out)]) == 0
    text = text_of(out / "inject-cards-city.pdf")
    assert "The storm is now forecast to make landfall." in text
    assert "[Evacuation zones drawn as a map]" not in text


def test_a_format_1_image_still_prints_as_its_description(tmp_path: Path) -> None:
    from ttx.model.validate import load_exercise
    from ttx.report.handouts import handout_set

    (tmp_path / "map.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
    demo = (ROOT / "exercises" / "demo.yaml").read_text(encoding="utf-8")
    source = tmp_path / "demo.yaml"
    source.write_text(
        demo.replace(
            "        body: One partner unit may be compromised. Sharing with it is a risk.",
            '        body: "One partner unit may be compromised. ![A unit badge](map.png)"',
        ),
        encoding="utf-8",
    )
    docs = {d.filename: d for d in handout_set(load_exercise(source))}
    html = docs["facilitator-guide.pdf"].html("a4")
    assert "[A unit badge]" in html and "data:image" not in html


def test_a_pool_is_printed_with_its_units(tmp_path: Path) -> None:
    from tests.unit.test_pool import POOL_YAML

    source = tmp_path / "buses.yaml"
    source.write_text(POOL_YAML, encoding="utf-8")
    out = tmp_path / "out"
    assert main(["handouts", str(source), "-o", str(out)]) == 0
    packet = squash(text_of(out / "team-city.pdf"))
    assert squash("Spend 10 buses across the options below") in packet
    assert squash("They must add up to 10.") in packet
    guide = squash(text_of(out / "facilitator-guide.pdf"))
    assert squash("allocation of 10 buses, all to be placed") in guide


def test_a_budget_may_be_left_partly_unspent_as_the_guide_says(tmp_path: Path) -> None:
    from tests.unit.test_pool import POOL_YAML
    from ttx.model.validate import load_exercise
    from ttx.report.handouts import handout_set

    source = tmp_path / "budget.yaml"
    source.write_text(
        POOL_YAML.replace("format: 2", "format: 1")
        .replace(
            "        pool: {units: buses, total: 10, must_spend_all: true}\n",
            "        budget: 10\n",
        )
        .replace("        resolve: largest_remainder\n", ""),
        encoding="utf-8",
    )
    docs = {d.filename: d for d in handout_set(load_exercise(source))}
    html = docs["team-city.pdf"].html("a4")
    assert "Spend 10 points across the options below" in html
    assert "you may leave some unspent" in html and "must add up" not in html


@pytest.mark.parametrize(
    ("resolve", "packet_words", "guide_words"),
    [
        (
            "pro_rata",
            "if the teams together ask for more than 10, the buses are shared out in "
            "proportion to each request.",
            "contested pool of 10 buses: teams request, over-requests shared pro rata",
        ),
        (
            "facilitator",
            "if the teams together ask for more than 10, the buses are shared out by the "
            "facilitator.",
            "contested pool of 10 buses: teams request, over-requests shared by you",
        ),
    ],
)
def test_a_contested_pool_worksheet_and_guide_say_how_requests_are_settled(
    tmp_path: Path, resolve: str, packet_words: str, guide_words: str
) -> None:
    from tests.unit.test_pool import CONTESTED_YAML

    source = tmp_path / "contested.yaml"
    source.write_text(CONTESTED_YAML.replace("resolve: pro_rata", f"resolve: {resolve}"), "utf-8")
    out = tmp_path / "out"
    assert main(["handouts", str(source), "-o", str(out)]) == 0
    packet = squash(text_of(out / "team-city.pdf"))
    assert squash("Request buses for your team from the one pool of 10") in packet
    assert squash(packet_words) in packet
    assert squash("must add up") not in packet and squash("leave some unspent") not in packet
    guide = squash(text_of(out / "facilitator-guide.pdf"))
    assert squash(guide_words) in guide


def test_the_report_prints_what_each_team_was_granted_from_a_contested_pool() -> None:
    """Over-requests settled pro rata: the report names each team's grant in the pool's units,
    so no unit goes missing between what teams asked and what the room carried forward."""
    from tests.unit.session_helpers import playing
    from tests.unit.test_pool import CONTESTED_YAML
    from ttx.report.aar import report_html
    from ttx.session.actions import RecordDecision
    from ttx.vocabulary import option_label as label

    with playing(CONTESTED_YAML) as s:
        for team, ask in (("city", {"north": 6}), ("county", {"south": 5}), ("state", {"east": 3})):
            s.apply(RecordDecision(decision_id="buses", team_id=team, allocation=ask))
        grants = s.state.decisions["buses"].outcome.grants
        html = report_html(s.state)
        exercise = s.state.exercise
    assert grants is not None and sum(sum(g.values()) for g in grants.values()) == 10
    text = squash(re.sub(r"<[^>]+>", " ", html))
    assert squash("Granted from the pool (buses):") in text
    names = {"city": "City", "county": "County", "state": "State"}
    for team, split in grants.items():
        said = ", ".join(f"{label(exercise, 'buses', k)} {v}" for k, v in split.items() if v)
        assert squash(f"{names[team]}: {said}") in text, (team, split)
