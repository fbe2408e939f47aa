"""The corpus of broken exercises: each file holds one fault and says what `tabletop validate` must report.

Every file in tests/broken starts with `# expect: exit N, line L: message`; the
test runs `tabletop validate` on it and checks the exit code, that an error is placed
at that line with that message, and that it is the only error. The hostile files
too big or too strange to commit (5 MB, 20,000-deep, binary, UTF-16, empty) are
written into tmp_path by the tests below.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ttx.cli import main

BROKEN = Path(__file__).resolve().parent.parent / "broken"
EXPECT = re.compile(r"^# expect: exit (?P<code>\d), line (?P<line>\d+): (?P<message>.+)$", re.M)


def corpus() -> list[Path]:
    return sorted(BROKEN.glob("*.yaml"))


def validate(capsys: pytest.CaptureFixture[str], *paths: Path) -> tuple[int, list[str]]:
    code = main(["validate", "--quiet", *map(str, paths)])
    captured = capsys.readouterr()
    assert "Traceback" not in captured.out + captured.err
    return code, captured.out.splitlines()


def expectation(path: Path) -> tuple[int, int, str]:
    head = path.read_bytes()[:2000].decode("utf-8", "replace")
    found = EXPECT.search(head)
    assert found, f"{path.name} has no '# expect:' line"
    return int(found["code"]), int(found["line"]), found["message"].strip()


def test_corpus_is_large_and_distinct() -> None:
    files = corpus()
    assert len(files) >= 25
    messages = [expectation(p)[2] for p in files]
    assert len(set(messages)) == len(messages), "two corpus files expect the same message"


@pytest.mark.parametrize("path", corpus(), ids=lambda p: p.stem)
def test_broken_file(path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, line, message = expectation(path)
    exit_code, out = validate(capsys, path)
    assert exit_code == code, "\n".join(out)
    errors = [row for row in out if ": error: " in row]
    at_line = [row for row in errors if row.startswith(f"{path}:{line}:")]
    assert any(message in row for row in at_line), (
        f"expected line {line}: {message!r}\ngot:\n" + "\n".join(out)
    )
    assert len(errors) == 1, "a corpus file holds exactly one fault:\n" + "\n".join(out)
    assert out[-1].startswith("1 file checked: 0 valid, ")


def test_whole_corpus_in_one_run(capsys: pytest.CaptureFixture[str]) -> None:
    code, out = validate(capsys, BROKEN)
    files = corpus()
    assert code == 1
    for path in files:
        assert any(row.startswith(f"{path}:") for row in out), f"nothing reported for {path.name}"
    assert out[-1].startswith(f"{len(files)} files checked: 0 valid, {len(files)} invalid")
