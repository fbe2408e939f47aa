"""Property: whatever file it is given, an importer either returns an exercise that validates
or raises its own error (`ImportError_`, exit 2) with a message naming the file.

Inputs: random JSON values, random IcebergTTX- and T3SF-shaped JSON (real keys, random
values and references), and random CSV sheets under MSEL-like headers.
"""

from __future__ import annotations

import csv
import io
import json
import os
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ttx.importers import ImportError_, import_source
from ttx.importers.writer import to_yaml
from ttx.model.validate import check_file

FUZZ = settings(
    max_examples=int(os.environ.get("TTX_FUZZ_EXAMPLES", "100")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
WORK = Path(tempfile.mkdtemp(prefix="ttx-import-fuzz-"))

text = st.text(max_size=30)
words = st.sampled_from(["a", "b", "c", "start", "end", "all", "facilitator", "", " ", "Ops", "1"])
scalar = st.one_of(st.none(), st.booleans(), st.integers(-5, 10**7), st.floats(), text, words)
json_value = st.recursive(
    scalar,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(text, inner, max_size=4)),
    max_leaves=20,
)
maybe = st.one_of(scalar, json_value)


def assert_imports_or_refuses(name: str, content: str | bytes) -> None:
    """Import the content as a file called `name`; a result must validate without errors."""
    path = WORK / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    try:
        imported = import_source(path)
    except ImportError_ as exc:
        assert str(path) in str(exc) and "\n" not in str(exc)
        return
    out = WORK / "imported.yaml"
    out.write_text(to_yaml(imported, file_name="imported.yaml"), encoding="utf-8")
    _, problems = check_file(out)
    errors = [str(p) for p in problems if p.severity == "error"]
    assert not errors, (content, errors)


@FUZZ
@given(json_value)
def test_any_json(value: Any) -> None:
    assert_imports_or_refuses("any.json", json.dumps(value))


option = st.fixed_dictionaries(
    {"id": words}, optional={"label": maybe, "next_inject_id": st.one_of(st.none(), words)}
)
comm = st.fixed_dictionaries(
    {},
    optional={
        "external_entity": maybe,
        "direction": st.sampled_from(["inbound", "outbound", "sideways"]),
        "subject": maybe,
        "body": maybe,
        "delay_after_release_seconds": st.one_of(st.integers(-10, 100_000), maybe),
    },
)
inject = st.fixed_dictionaries(
    {"id": words},
    optional={
        "title": maybe,
        "content": maybe,
        "target_teams": st.one_of(st.lists(words, max_size=3), maybe),
        "sequence_order": maybe,
        "next_inject_id": st.one_of(st.none(), words),
        "options": st.one_of(st.lists(option, max_size=3), maybe),
        "free_text_response": maybe,
        "triggers_communications": st.one_of(st.lists(comm, max_size=2), maybe),
        "expected_actions": st.one_of(st.lists(text, max_size=3), maybe),
        "release_at_minutes": st.one_of(st.integers(-5, 600), maybe),
    },
)
iceberg = st.fixed_dictionaries(
    {"injects": st.lists(inject, max_size=6)},
    optional={
        "title": maybe,
        "schema_version": maybe,
        "description": maybe,
        "tags": st.one_of(st.lists(text, max_size=3), maybe),
        "metadata": st.one_of(
            st.fixed_dictionaries(
                {}, optional={"author": maybe, "estimated_duration_minutes": maybe}
            ),
            maybe,
        ),
        "participant_teams": st.one_of(
            st.lists(st.fixed_dictionaries({"id": words}, optional={"label": maybe}), max_size=3),
            maybe,
        ),
        "start_inject_id": words,
        "debrief_notes": maybe,
    },
)


@FUZZ
@given(iceberg)
def test_iceberg_shaped_json(value: dict[str, Any]) -> None:
    assert_imports_or_refuses("iceberg.json", json.dumps(value))


clock = st.one_of(
    st.sampled_from(["07:29 PM", "12:00 AM", "23:59", "7:5", "25:00", "noon", ""]),
    st.builds(lambda h, m: f"{h:02d}:{m:02d}", st.integers(0, 23), st.integers(0, 59)),
)
t3sf_inject = st.fixed_dictionaries(
    {"Player": st.one_of(words, text), "Script": st.one_of(text, words)},
    optional={
        "#": maybe,
        "Real Time": st.one_of(clock, maybe),
        "Date": st.one_of(clock, text, st.sampled_from(["Monday 9:30 AM", "Day 2"])),
        "Subject": maybe,
        "From": maybe,
        "Photo": st.one_of(st.sampled_from(["https://x/y.png", "../etc/passwd", "pic.png"]), maybe),
        "Picture Name": maybe,
        "Profile": maybe,
        "Poll": st.one_of(st.sampled_from(["A | B", "|", " | x |", "yes|yes"]), maybe),
    },
)


@FUZZ
@given(st.lists(st.one_of(t3sf_inject, maybe), max_size=6))
def test_t3sf_shaped_json(value: list[Any]) -> None:
    assert_imports_or_refuses("t3sf.json", json.dumps(value))


headers = st.lists(
    st.sampled_from(
        [
            "Event #",
            "Scenario Time",
            "Delivery Time",
            "From",
            "To",
            "Inject",
            "Expected Action",
            "Objective",
            "Notes",
            "Phase",
            "Method",
            "Title",
            "Other",
            "",
        ]
    ),
    min_size=1,
    max_size=9,
)
cell = st.one_of(
    text,
    words,
    clock,
    st.sampled_from(["Day 1 08:00", "T+15", "+2h", "All", "Controller", "A; B & C"]),
)


@FUZZ
@given(headers, st.lists(st.lists(cell, max_size=10), max_size=8), st.integers(0, 3))
def test_msel_shaped_csv(header: list[str], rows: list[list[str]], title_rows: int) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for _ in range(title_rows):
        writer.writerow(["An exercise - MSEL"])
    writer.writerow(header)
    writer.writerows(rows)
    assert_imports_or_refuses("msel.csv", buffer.getvalue())


@FUZZ
@given(st.binary(max_size=200), st.sampled_from(["x.csv", "x.json", "x.xlsx"]))
def test_any_bytes(content: bytes, name: str) -> None:
    assert_imports_or_refuses(name, content)


# Well-typed files (every value of the kind the tool writes) reach the builders far more often.
typed_text = st.one_of(text, words)
typed_inject = st.fixed_dictionaries(
    {"id": words, "title": typed_text, "content": typed_text},
    optional={
        "target_teams": st.lists(words, max_size=3, unique=True),
        "sequence_order": st.integers(0, 9),
        "next_inject_id": st.one_of(st.none(), words),
        "options": st.lists(
            st.fixed_dictionaries(
                {"id": words, "label": typed_text},
                optional={"next_inject_id": st.one_of(st.none(), words)},
            ),
            max_size=3,
        ),
        "free_text_response": st.booleans(),
        "triggers_communications": st.lists(
            st.fixed_dictionaries(
                {
                    "external_entity": typed_text,
                    "direction": st.sampled_from(["inbound", "outbound"]),
                    "subject": typed_text,
                    "body": typed_text,
                    "delay_after_release_seconds": st.integers(0, 86_400),
                }
            ),
            max_size=2,
        ),
        "expected_actions": st.lists(typed_text, max_size=3),
        "release_at_minutes": st.one_of(st.none(), st.integers(0, 600)),
    },
)


@FUZZ
@given(
    st.lists(typed_inject, min_size=1, max_size=6),
    st.lists(st.fixed_dictionaries({"id": words, "label": typed_text}), max_size=3),
    words,
    st.one_of(st.none(), typed_text),
)
def test_well_typed_iceberg(
    injects: list[dict[str, Any]], teams: list[dict[str, Any]], start: str, debrief: str | None
) -> None:
    scenario = {
        "title": "Fuzz",
        "participant_teams": teams,
        "injects": injects,
        "start_inject_id": start,
        "debrief_notes": debrief,
        "metadata": {"author": "x", "estimated_duration_minutes": 30},
    }
    assert_imports_or_refuses("typed-iceberg.json", json.dumps(scenario))


typed_t3sf = st.fixed_dictionaries(
    {"Player": typed_text, "Script": typed_text},
    optional={
        "#": st.integers(0, 99),
        "Real Time": clock,
        "Date": st.one_of(clock, typed_text, st.sampled_from(["Monday 9:30 AM", "Day 2"])),
        "Subject": typed_text,
        "From": typed_text,
        "Photo": st.sampled_from(["https://x/y.png", "../etc/passwd", "pic.png", ""]),
        "Picture Name": typed_text,
        "Profile": typed_text,
        "Poll": st.one_of(st.sampled_from(["A | B", "|", " | x |", "yes|yes", ""]), typed_text),
    },
)


@FUZZ
@given(st.lists(typed_t3sf, min_size=1, max_size=8))
def test_well_typed_t3sf(injects: list[dict[str, Any]]) -> None:
    assert_imports_or_refuses("typed-t3sf.json", json.dumps(injects))
