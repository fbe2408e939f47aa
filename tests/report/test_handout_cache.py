"""Re-printing an unchanged exercise copies the handouts from the cache; any change renders again."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

import pytest

from tests.report.pdfcheck import text_of
from ttx.cli import main
from ttx.report import handout_cache, jobs


def _handouts(exercise: Path, out: Path, capsys: pytest.CaptureFixture[str]) -> str:
    assert main(["handouts", str(exercise), "-o", str(out)]) == 0
    return capsys.readouterr().out


def test_an_unchanged_exercise_is_copied_and_a_changed_one_rendered(
    demo_path: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    exercise = tmp_path / "demo.yaml"
    exercise.write_bytes(demo_path.read_bytes())
    first = _handouts(exercise, tmp_path / "first", capsys)
    assert "cache" not in first
    rendered = sorted((tmp_path / "first").glob("*.pdf"))
    assert len(rendered) >= 8

    started: list[Path] = []
    real_start = jobs.start_handouts

    def counting_start(path: Path, out_dir: Path, paper: str = "letter") -> jobs.RenderJob:
        started.append(path)
        return real_start(path, out_dir, paper)

    monkeypatch.setattr(jobs, "start_handouts", counting_start)
    again = _handouts(exercise, tmp_path / "again", capsys)
    assert "unchanged since printed, copied from the cache" in again
    assert started == [], "nothing was rendered"
    for pdf in rendered:
        assert (tmp_path / "again" / pdf.name).read_bytes() == pdf.read_bytes()

    exercise.write_text(
        exercise.read_text(encoding="utf-8").replace(
            'title: "Demo: An Offer Across the Border"', 'title: "Demo: A Changed Offer"'
        ),
        encoding="utf-8",
    )
    changed = _handouts(exercise, tmp_path / "changed", capsys)
    assert started == [exercise], "the changed exercise was rendered again"
    assert "cache" not in changed
    assert "A Changed Offer" in text_of(tmp_path / "changed" / "situation-manual.pdf")
    assert len([p for p in handout_cache.handouts_root().iterdir() if p.is_dir()]) == 2


def test_the_key_follows_the_exercise_its_pictures_and_the_paper(tmp_path: Path) -> None:
    exercise = tmp_path / "x.yaml"
    exercise.write_text("summary: 'See ![the map](map.png) and ![gone](missing.png)'\n")
    picture = tmp_path / "map.png"
    picture.write_bytes(b"\x89PNG one")
    key = handout_cache.handouts_key(exercise, "letter")
    assert key is not None
    assert handout_cache.handouts_key(exercise, "letter") == key
    assert handout_cache.handouts_key(exercise, "a4") != key
    picture.write_bytes(b"\x89PNG two")
    assert handout_cache.handouts_key(exercise, "letter") != key
    assert handout_cache.handouts_key(tmp_path / "nothing.yaml", "letter") is None


def _store(args: tuple[str, Path, int]) -> None:
    key, folder, writer = args
    files = []
    for name in ("a.pdf", "b.pdf"):
        path = folder / f"w{writer}" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(f"writer {writer} {name}".encode() * 20000)
        files.append(path)
    handout_cache.store(key, "x", f"writer {writer}", files)


def test_concurrent_writers_leave_one_complete_entry(tmp_path: Path) -> None:
    key = "0" * 64
    with multiprocessing.get_context("fork").Pool(4) as pool:
        pool.map(_store, [(key, tmp_path, n) for n in range(8)])
    entry = handout_cache.lookup(key)
    assert entry is not None
    writer = entry.title.split()[-1]
    for path in entry.files:  # every file from the one writer whose entry was kept
        assert path.read_bytes() == f"writer {writer} {path.name}".encode() * 20000
    assert [p.name for p in handout_cache.handouts_root().iterdir()] == [key], "no staging left"
