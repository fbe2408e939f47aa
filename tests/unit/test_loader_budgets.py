"""Byte budgets in the loader: text is counted as it expands (aliases at full size), not only values."""

from __future__ import annotations

from pathlib import Path

import pytest

from ttx.cli import main
from ttx.model.loader import MAX_BYTES, MAX_CHARS


def test_one_long_string_aliased_thousands_of_times_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # 203 KB on disk, 500 MB of text once expanded: it used to pass validate, then
    # take gigabytes in handouts and the journal.
    path = tmp_path / "amplified.yaml"
    long = "a" * 100_000
    path.write_text(
        "format: 1\nid: amplified\ntitle: Amplified\n"
        f"summary: &s {long}\nassumptions:\n" + "  - *s\n" * 5_000,
        encoding="utf-8",
    )
    assert path.stat().st_size < MAX_BYTES
    assert main(["validate", str(path)]) == 1
    out = capsys.readouterr().out
    assert "characters" in out and "alias" in out and f"{MAX_CHARS:,}" in out
    assert main(["handouts", str(path), "-o", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err
    assert "characters" in err and not (tmp_path / "out").exists()


def test_a_few_aliases_of_a_paragraph_are_fine(
    tmp_path: Path, demo_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = demo_path.read_text(encoding="utf-8")
    path = tmp_path / "reuse.yaml"
    paragraph = "A paragraph reused by alias. " * 40
    path.write_text(
        text.replace("title:", f"content_note: &note {paragraph}\ntitle:", 1).replace(
            "\ntitle:", "\nsubtitle: *note\ntitle:", 1
        ),
        encoding="utf-8",
    )
    main(["validate", str(path)])
    assert "characters" not in capsys.readouterr().out
