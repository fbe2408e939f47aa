"""Reports cached by content, the cache's size limit, the time zone and the HTML copy."""

from __future__ import annotations

import os
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tests.report.pdfcheck import norm, text_of
from tests.report.sessions import demo_session
from ttx.cli import main
from ttx.report import content_cache, jobs


def _report(args: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    assert main(["report", *args]) == 0
    return capsys.readouterr().out


def test_an_unchanged_report_is_copied_and_a_changed_journal_renders_again(
    demo_path: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from ttx.api import open_journal
    from ttx.session.actions import AddNote

    session_id = demo_session(demo_path)
    first = _report([session_id, "-o", str(tmp_path / "first.pdf")], capsys)
    assert "cache" not in first
    started: list[str] = []
    real_start = jobs.start_report

    def counting_start(session: str, *args: object) -> jobs.ReportJob:
        started.append(session)
        return real_start(session, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(jobs, "start_report", counting_start)
    again = _report([session_id, "-o", str(tmp_path / "again.pdf")], capsys)
    assert "unchanged since printed, copied from the cache" in again
    assert started == [], "nothing was rendered"
    assert (tmp_path / "again.pdf").read_bytes() == (tmp_path / "first.pdf").read_bytes()
    # Other options are other reports.
    assert "cache" not in _report(
        [session_id, "--paper", "a4", "-o", str(tmp_path / "a4.pdf")], capsys
    )
    assert "cache" not in _report(
        [session_id, "--tz", "Asia/Tokyo", "-o", str(tmp_path / "t.pdf")], capsys
    )
    assert len(started) == 2

    with open_journal() as journal:
        session = journal.open_session(session_id)
        session.apply(AddNote(text="A late observation from the sponsor.", category="note"))
        session.close()
    changed = _report([session_id, "-o", str(tmp_path / "changed.pdf")], capsys)
    assert "cache" not in changed and len(started) == 3
    assert "A late observation from the sponsor." in text_of(tmp_path / "changed.pdf")


def _entry(kind: str, name: str, size: int, tmp_path: Path) -> str:
    source = tmp_path / f"{name}.pdf"
    source.write_bytes(b"x" * size)
    key = name * 64
    content_cache.store(kind, key, {"session": name}, [source])
    return key


def test_the_cache_keeps_to_its_limit_dropping_the_least_recently_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TTX_CACHE_MB", "1")
    a = _entry("reports", "a", 400_000, tmp_path)
    b = _entry("handouts", "b", 400_000, tmp_path)
    # a was stored first, b after; then a is used again, so b is now the least recent.
    os.utime(content_cache.kind_root("reports") / a / content_cache.MANIFEST, (1000, 1000))
    os.utime(content_cache.kind_root("handouts") / b / content_cache.MANIFEST, (2000, 2000))
    assert content_cache.lookup("reports", a) is not None
    c = _entry("reports", "c", 400_000, tmp_path)  # 1.2 MB: over the limit
    assert content_cache.lookup("handouts", b) is None
    assert content_cache.lookup("reports", a) is not None
    assert content_cache.lookup("reports", c) is not None
    # An entry larger than the whole cache is not kept.
    big = _entry("reports", "d", 2_000_000, tmp_path)
    assert content_cache.lookup("reports", big) is None
    # 0 keeps nothing at all; a limit that is not a number falls back to 200 MB.
    monkeypatch.setenv("TTX_CACHE_MB", "0")
    assert content_cache.lookup("reports", _entry("reports", "e", 10, tmp_path)) is None
    monkeypatch.setenv("TTX_CACHE_MB", "lots")
    assert content_cache.limit_bytes() == 200 * 1024 * 1024


def test_times_print_in_the_zone_named_with_tz(
    demo_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    session_id = demo_session(demo_path)  # starts at 09:00 UTC on 1 January
    out = tmp_path / "tokyo.pdf"
    _report([session_id, "--tz", "Asia/Tokyo", "-o", str(out)], capsys)
    text = text_of(out)
    assert "2026-01-01, 18:00–18:13 JST (Asia/Tokyo, UTC+9)" in text
    assert "The session ran 18:00–18:13 JST (13 min 35 s on the wall clock)" in text
    assert "18:02 JST Clock paused for 5 min 00 s. Reason: fire drill" in text
    assert "The offer 18:00–18:09 JST then A working partnership" in text  # the path taken
    assert "09:02" not in text
    word = tmp_path / "paris.docx"
    _report([session_id, "--tz", "Europe/Paris", "--format", "docx", "-o", str(word)], capsys)
    import docx

    cells = [c.text for t in docx.Document(str(word)).tables for r in t.rows for c in r.cells]
    assert "10:02 CET" in cells


class _Page(HTMLParser):
    """The text of an HTML page, its headings, and everything it would fetch."""

    def __init__(self) -> None:
        super().__init__()
        self.text: list[str] = []
        self.headings: list[str] = []
        self.fetches: list[str] = []
        self._in: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag in ("img", "script", "iframe", "source") and values.get("src"):
            self.fetches.append(str(values["src"]))
        if tag == "link":
            self.fetches.append(str(values.get("href")))
        self._in.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in self._in:
            while self._in.pop() != tag:
                pass

    def handle_data(self, data: str) -> None:
        if "style" in self._in or "title" in self._in:
            return
        self.text.append(data)
        if self._in and self._in[-1] in ("h2", "h3"):
            self.headings.append(norm(data))


def test_the_html_copy_holds_the_pdfs_sections_and_fetches_nothing(
    demo_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    session_id = demo_session(demo_path)
    pdf, page = tmp_path / "aar.pdf", tmp_path / "aar.html"
    _report([session_id, "-o", str(pdf)], capsys)
    out = _report([session_id, "--format", "html", "-o", str(page)], capsys)
    assert f"to {page}" in out
    html = page.read_text(encoding="utf-8")
    parser = _Page()
    parser.feed(html)
    assert all(src.startswith("data:") for src in parser.fetches), parser.fetches
    assert "url(" not in html and "@import" not in html
    assert html.count("<svg") >= 1, "the track charts, inline"
    assert "<style>" in html and ".matrix" in html, "the report's own styles, inline"
    sections = [h for h in parser.headings if h]
    assert "Executive summary" in sections and "Improvement plan" in sections
    pdf_text = text_of(pdf).replace("“", '"').replace("”", '"')
    at = 0
    for heading in sections:  # every heading of the page, in the PDF's text in the same order
        found = pdf_text.find(heading.replace("“", '"').replace("”", '"'), at)
        assert found >= 0, heading
        at = found + len(heading)
    text = norm(" ".join(parser.text))
    assert "Trust first; the cell needs vetted units." in text
    assert re.search(r"Times are local \(UTC\)", text)
