"""Property: whatever bytes or YAML it is fed, the validator returns a clean report and never raises.

`check_file` may only raise ExerciseError (with placed problems); `tabletop validate`
always prints a summary and exits 0, 1 or 2. Inputs: random text, random bytes,
random YAML documents, and the demo exercise mutated line by line and value by value.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ttx.model.problems import ExerciseError, Problem
from ttx.model.validate import check_file

DEMO_PATH = Path(__file__).resolve().parent.parent.parent / "exercises" / "demo.yaml"
DEMO_TEXT = DEMO_PATH.read_text(encoding="utf-8")
DEMO_LINES = DEMO_TEXT.splitlines(keepends=True)
DEMO_DATA: Any = yaml.safe_load(DEMO_TEXT)
FUZZ = settings(
    max_examples=int(os.environ.get("TTX_FUZZ_EXAMPLES", "100")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


WORK = Path(tempfile.mkdtemp(prefix="ttx-fuzz-"))


def assert_clean(content: bytes) -> None:
    """Check the content as a file: only ExerciseError may escape, with placed, worded problems."""
    path = WORK / "fuzz.yaml"
    path.write_bytes(content)
    try:
        exercise, problems = check_file(path)
    except ExerciseError as exc:
        exercise, problems = None, exc.problems
        assert problems, "an ExerciseError must carry at least one problem"
    for problem in problems:
        assert isinstance(problem, Problem)
        assert problem.file == str(path)
        assert problem.line is None or problem.line >= 1
        assert problem.message and problem.fix
        assert "Input should" not in problem.message, problem
    if exercise is None:
        assert any(p.severity == "error" for p in problems)


YAML_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True),
    st.text(max_size=30),
    st.sampled_from(["all", "end", "facilitator", "each", "majority", "us", "mexico", "trust"]),
)
YAML_VALUES = st.recursive(
    YAML_SCALARS,
    lambda children: st.one_of(
        st.lists(children, max_size=5),
        st.dictionaries(st.one_of(st.text(max_size=12), st.integers()), children, max_size=5),
    ),
    max_leaves=30,
)


@FUZZ
@given(st.text(max_size=400))
def test_random_text(text: str) -> None:
    assert_clean(text.encode("utf-8", "surrogatepass"))


@FUZZ
@given(st.binary(max_size=400))
def test_random_bytes(content: bytes) -> None:
    assert_clean(content)


@FUZZ
@given(YAML_VALUES)
def test_random_yaml_documents(value: Any) -> None:
    assert_clean(yaml.safe_dump(value, allow_unicode=True).encode("utf-8", "surrogatepass"))


@FUZZ
@given(
    st.lists(
        st.tuples(
            st.sampled_from(
                ["delete", "duplicate", "swap", "insert", "truncate", "indent", "dedent"]
            ),
            st.integers(min_value=0, max_value=len(DEMO_LINES) - 1),
            st.integers(min_value=0, max_value=len(DEMO_LINES) - 1),
            st.text(alphabet=" \t:-[]{}&*!|>'\"#%@`,?x0\n", max_size=6),
        ),
        min_size=1,
        max_size=4,
    )
)
def test_mutated_demo_lines(edits: list[tuple[str, int, int, str]]) -> None:
    lines = list(DEMO_LINES)
    for kind, a, b, text in edits:
        a, b = a % len(lines), b % len(lines)
        if kind == "delete" and len(lines) > 1:
            del lines[a]
        elif kind == "duplicate":
            lines.insert(a, lines[a])
        elif kind == "swap":
            lines[a], lines[b] = lines[b], lines[a]
        elif kind == "insert":
            cut = min(len(lines[a]), b % (len(lines[a]) + 1))
            lines[a] = lines[a][:cut] + text + lines[a][cut:]
        elif kind == "truncate":
            lines = lines[: max(a, 1)]
        elif kind == "indent":
            lines[a] = "  " + lines[a]
        elif kind == "dedent":
            lines[a] = lines[a].lstrip(" ")
    assert_clean("".join(lines).encode("utf-8"))


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix]
    if isinstance(value, dict):
        for key, item in value.items():
            found += _paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += _paths(item, (*prefix, index))
    return found


DEMO_VALUE_PATHS = _paths(DEMO_DATA)


@FUZZ
@given(st.lists(st.tuples(st.sampled_from(DEMO_VALUE_PATHS), YAML_VALUES), min_size=1, max_size=3))
def test_mutated_demo_values(replacements: list[tuple[tuple[Any, ...], Any]]) -> None:
    data = yaml.safe_load(DEMO_TEXT)
    for path, value in replacements:
        if not path:
            data = value
            continue
        parent = data
        try:
            for part in path[:-1]:
                parent = parent[part]
            parent[path[-1]] = value
        except (KeyError, IndexError, TypeError):
            continue
    assert_clean(
        yaml.safe_dump(data, allow_unicode=True, sort_keys=False).encode("utf-8", "surrogatepass")
    )
