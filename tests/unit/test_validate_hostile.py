"""Hostile and unreadable files: `tabletop validate` answers fast, names the file and line, never runs a tag.

These files are written into tmp_path (too big or too strange to commit). Each is
checked in a real `tabletop validate` process, as an instructor or a grader would run it.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from ttx.cli import main
from ttx.commands.validate import check_one

TTX = [sys.executable, "-m", "ttx.cli"]


def run_ttx(*args: str, cwd: Path | None = None) -> tuple[int, str, str, float]:
    start = time.monotonic()
    done = subprocess.run(
        [*TTX, *args], capture_output=True, text=True, timeout=60, cwd=cwd, check=False
    )
    return done.returncode, done.stdout, done.stderr, time.monotonic() - start


def _five_megabytes() -> bytes:
    line = b"    - " + b"lorem ipsum dolor sit amet " * 3 + b"\n"
    return b"format: 1\nnotes:\n" + line * (5 * 1024 * 1024 // len(line) + 1)


def _many_moves(n: int = 1200) -> bytes:
    """A thousand moves, each branching on the next move's decision and to a misspelt move."""
    head = "format: 1\nid: big\ntitle: Big\nteams: [{id: a, name: A}]\nmoves:\n"
    rows = "".join(
        f"  - {{id: m{i}, title: T, decisions: [{{id: d{i}, prompt: P, options: "
        f"[{{id: o, label: L, consequence: C}}]}}], next: [{{when: {{decision: d{(i + 1) % n}, "
        f"option: o}}, goto: m{(i + 1) % n}}}, {{goto: x{i}}}]}}\n"
        for i in range(n)
    )
    return (head + rows).encode()


HOSTILE: dict[str, tuple[bytes, int, int, str]] = {
    # name: (content, exit code, line, message)
    "five_megabytes.yaml": (
        _five_megabytes(),
        2,
        _five_megabytes()[: 1024 * 1024].count(b"\n") + 1,
        "file is too large (5.0 MB; the limit is 1.0 MB",
    ),
    "deep_flow.yaml": (
        b"a: " + b"[" * 20_000 + b"]" * 20_000 + b"\n",
        1,
        1,
        "nesting is deeper than 64 levels",
    ),
    "deep_block.yaml": (
        b"a:\n  " + b"- " * 20_000 + b"x\n",
        1,
        2,
        "nesting is deeper than 64 levels",
    ),
    "deep_mapping.yaml": (
        b"{a: " * 20_000 + b"}" * 20_000 + b"\n",
        1,
        1,
        "nesting is deeper than 64 levels",
    ),
    "binary.yaml": (
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)),
        2,
        3,
        "this is a binary file",
    ),
    "utf16.yaml": (
        "format: 1\nid: x\n".encode("utf-16"),
        2,
        1,
        "binary file (or UTF-16/UTF-32 text)",
    ),
    "latin1.yaml": (
        "format: 1\nid: x\ntitle: Caf\xe9 society\n".encode("latin-1"),
        2,
        3,
        "file is not UTF-8 text (byte 0xE9 at line 3, column 11",
    ),
    "empty.yaml": (b"", 1, 1, "the file is empty"),
    "blank.yaml": (b"\n\n   \n", 1, 1, "the file is empty"),
    "control.yaml": (b"format: 1\nid: x\ntitle: bell\x07\n", 1, 3, "control character (U+0007)"),
    "only_null.yaml": (b"~\n", 1, 1, "the top level is empty (null)"),
    "long_line.yaml": (
        b"title: " + b"x" * 900_000 + b": y\n",
        1,
        1,
        "put quotes around a text that contains ': '",
    ),
    "many_keys.yaml": (
        b"".join(b"k%d: %d\n" % (i, i) for i in range(110_000))[:1_000_000],
        1,
        25_001,
        "the document holds more than 50,000 values",
    ),
    "many_moves.yaml": (
        _many_moves(),
        1,
        6,
        "rule 2 of move 'm0' names an unknown move 'x0' in `goto`",
    ),
    "many_aliases.yaml": (
        b"a: &a [" + b"x, " * 1000 + b"x]\nb: [" + b"*a, " * 1000 + b"*a]\n",
        1,
        2,
        "expands to more than 50,000 values",
    ),
}


@pytest.fixture(scope="module")
def hostile_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("hostile")
    for name, (content, *_rest) in HOSTILE.items():
        (folder / name).write_bytes(content)
    return folder


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_file_fast_clear_no_traceback(name: str, hostile_dir: Path) -> None:
    _content, code, line, message = HOSTILE[name]
    path = hostile_dir / name
    exit_code, out, err, seconds = run_ttx("validate", str(path))
    assert exit_code == code, out + err
    assert err == ""
    assert "Traceback" not in out
    rows = [r for r in out.splitlines() if r.startswith(f"{path}:{line}:")]
    assert any(message in r for r in rows), f"wanted line {line}: {message}\n{out}"
    assert seconds < 10.0, f"took {seconds:.1f}s"  # wall time, interpreter start included


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_file_costs_little_cpu(name: str, hostile_dir: Path) -> None:
    """CPU time (not wall time, which a busy machine inflates) to check each hostile file."""
    start = time.process_time()
    result = check_one(hostile_dir / name)
    spent = time.process_time() - start
    assert result.problems
    assert spent < 1.5, f"{name} took {spent:.2f}s of CPU"


def test_whole_hostile_folder_in_one_run(hostile_dir: Path) -> None:
    exit_code, out, err, seconds = run_ttx("validate", str(hostile_dir))
    assert exit_code == 2  # some files are unusable
    assert err == ""
    for name in HOSTILE:
        assert f"{hostile_dir / name}:" in out
    assert out.splitlines()[-1].startswith(f"{len(HOSTILE)} files checked: 0 valid, ")
    assert seconds < 8.0


def test_no_tag_code_ever_runs(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    payloads = [
        f"!!python/object/apply:os.system ['touch {marker}']",
        f"!!python/object/apply:subprocess.check_output [['touch', '{marker}']]",
        f"!!python/object/new:os.system ['touch {marker}']",
        "!!python/name:os.system",
        "!!python/module:os",
        f"!<tag:yaml.org,2002:python/object/apply:os.system> ['touch {marker}']",
    ]
    files = []
    for index, payload in enumerate(payloads):
        path = tmp_path / f"tag{index}.yaml"
        path.write_text(f"format: 1\nid: x\ntitle: {payload}\n")
        files.append(str(path))
    exit_code, out, err, _ = run_ttx("validate", *files)
    assert exit_code == 1
    assert not marker.exists()
    assert out.count("is not allowed in an exercise") == len(payloads)
    assert all(f"{f}:3:8:" in out for f in files), out
    assert err == ""


def test_missing_file_is_unusable(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "nope.yaml"
    assert main(["validate", str(missing)]) == 2
    out = capsys.readouterr().out
    assert f"{missing}: error: no such file — check the path" in out
    assert (
        out.splitlines()[-1]
        == "1 file checked: 0 valid, 0 invalid, 1 unusable (1 error, 0 warnings)"
    )


def test_folder_without_exercises_is_unusable(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "notes.txt").write_text("not an exercise")
    assert main(["validate", str(tmp_path)]) == 2
    assert "this folder holds no .yaml or .yml files" in capsys.readouterr().out


def test_unreadable_file_is_unusable(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "locked.yaml"
    path.write_text("format: 1\n")
    path.chmod(0)
    try:
        if path.open("rb").readable():  # running as root: permissions do not apply
            pytest.skip("permissions are not enforced for this user")
    except PermissionError:
        pass
    finally:
        assert main(["validate", str(path)]) in (1, 2)
        path.chmod(0o600)
    assert "permission denied" in capsys.readouterr().out


def test_unexpected_failure_becomes_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import ttx.commands.validate as command

    def explode(path: Path) -> None:
        raise ZeroDivisionError("boom")

    monkeypatch.setattr(command, "check_file", explode)
    path = tmp_path / "any.yaml"
    path.write_text("format: 1\n")
    assert main(["validate", str(path)]) == 1
    out = capsys.readouterr().out
    assert f"{path}:1:1: error: internal error while checking (ZeroDivisionError: boom)" in out
    assert "Traceback" not in out


DEEP = {
    "flow_lists": "a: " + "[" * 20_000 + "]" * 20_000 + "\n",
    "flow_maps": "{a: " * 20_000 + "}" * 20_000 + "\n",
    "block_lists": "a:\n  " + "- " * 20_000 + "x\n",
    "just_over": "a: " + "[" * 70 + "]" * 70 + "\n",
}


@pytest.mark.parametrize("parser", ["libyaml", "pure-python"])
@pytest.mark.parametrize("shape", sorted(DEEP))
def test_deep_nesting_one_message_whichever_parser(
    shape: str, parser: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Whichever limit trips first (ours, or one inside the YAML parser), the author reads ours."""
    import yaml

    from ttx.model import loader

    if parser == "pure-python":
        monkeypatch.setattr(loader, "_Parser", yaml.SafeLoader)
    elif not hasattr(yaml, "CSafeLoader"):
        pytest.skip("PyYAML was built without libyaml")
    path = tmp_path / f"{shape}.yaml"
    path.write_text(DEEP[shape], encoding="utf-8")
    result = check_one(path)
    errors = [p for p in result.problems if "nesting" in p.message]
    assert len(result.problems) == 1, [p.message for p in result.problems]
    assert errors and errors[0].line is not None and errors[0].line <= 2
    assert f"{loader.MAX_DEPTH} levels" in errors[0].message
    assert not result.unusable
