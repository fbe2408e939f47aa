"""The pieces that keep rendering safe: the asset-only fetcher, Markdown without HTML, autoescape."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from ttx.report.fetcher import ASSET_DIRS, AssetFetcher, RefusedURL
from ttx.report.markdown import MAX_RUN, ZWSP, break_long_words, markdown, plain
from ttx.report.templates import TEMPLATES, environment


def test_fetcher_serves_only_package_assets() -> None:
    fetcher = AssetFetcher()
    font = (ASSET_DIRS[1] / "Caladea-Regular.ttf").as_uri()
    response = fetcher.fetch(font)
    assert response.read(4) in (b"\x00\x01\x00\x00", b"true", b"OTTO")
    response.close()
    css = (TEMPLATES / "base" / "base.css").as_uri()
    assert b"@font-face" in fetcher.fetch(css).read()
    for url in (
        "file:///etc/passwd",
        "http://127.0.0.1:9/x",
        "https://example.com/font.ttf",
        "ftp://example.com/x",
        (TEMPLATES / ".." / ".." / ".." / "ttx" / "paths.py").as_uri(),
        TEMPLATES.as_uri() + "/../../../../../../etc/passwd",
        "file://remotehost" + str(TEMPLATES / "base" / "base.css"),
    ):
        with pytest.raises(RefusedURL):
            fetcher.fetch(url)
    assert len(fetcher.refused) == 7


def test_fetcher_refuses_symlinks_out_of_the_assets(tmp_path: Path) -> None:
    link = ASSET_DIRS[0] / "zz-test-link.css"
    try:
        os.symlink("/etc/passwd", link)
    except OSError:
        pytest.skip("cannot create a symlink here")
    try:
        with pytest.raises(RefusedURL):
            AssetFetcher().fetch(link.as_uri())
    finally:
        link.unlink()


def test_fetcher_serves_data_urls() -> None:
    assert AssetFetcher().fetch("data:text/plain,hello").read() == b"hello"


def test_markdown_shows_raw_html_as_text_and_drops_images() -> None:
    html = markdown('<link rel="attachment" href="file:///etc/passwd"> **bold**')
    assert "&lt;link rel=&quot;attachment&quot;" in html and "<strong>bold</strong>" in html
    assert "<link" not in html
    assert "<img" not in markdown("![x](http://127.0.0.1:9/x)")
    assert 'href="file:' not in markdown("[x](file:///etc/passwd)")
    assert 'href="javascript:' not in markdown("[x](javascript:alert(1))")
    assert '<a href="https://example.com">x</a>' in markdown("[x](https://example.com)")
    assert "{{ 7*7 }}" in markdown("{{ 7*7 }}")


def test_long_words_get_break_opportunities_and_keep_every_character() -> None:
    word = "x" * 20_000
    broken = break_long_words(word)
    assert broken.replace(ZWSP, "") == word
    assert max(len(part) for part in broken.split(ZWSP)) == MAX_RUN
    assert break_long_words("short words stay as they are") == "short words stay as they are"
    assert ZWSP in markdown("a " + "y" * 100)
    assert plain("<b>" + "z" * 40) == "&lt;b&gt;" + "z" * 27 + ZWSP + "z" * 13


def test_every_template_autoescapes() -> None:
    env = environment()
    assert env.autoescape is True
    rendered = env.from_string("{{ value }}").render(value="<script>x</script>")
    assert rendered == "&lt;script&gt;x&lt;/script&gt;"
    for path in TEMPLATES.rglob("*.html"):
        source = path.read_text(encoding="utf-8")
        assert "|safe" not in source and "autoescape false" not in source, path
        assert 'style="{{' not in source, path


def test_source_links_are_only_web_links() -> None:
    template = environment().get_template("base/macros.html")
    source = {"title_end": ".", "author": None, "publisher": None, "date": None, "note": None}
    html = template.module.sources(  # type: ignore[attr-defined]
        [
            {**source, "id": "a", "title": "Local", "url": "file:///etc/passwd"},
            {**source, "id": "b", "title": "Web", "url": "https://example.org/a?b=1&c=2"},
        ]
    )
    assert 'href="file:' not in html and "file:///etc/passwd</span>" in html
    assert 'href="https://example.org/a?b=1&amp;c=2"' in html
