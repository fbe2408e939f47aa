"""Format-2 pictures: only PNG/JPEG files of the exercise's own folder, checked by content."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from ttx.cli import main

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64

EXERCISE = """\
format: {version}
id: pictures
title: Pictures
teams:
  - {{id: red, name: Red}}
moves:
  - id: only
    title: Only
    narrative: |
      The situation, with a map.

      {image}
    next: [{{goto: end}}]
"""
IMAGE_LINE = 12


def _write(folder: Path, image: str, version: int = 2) -> Path:
    path = folder / "ex.yaml"
    path.write_text(EXERCISE.format(version=version, image=image), encoding="utf-8")
    return path


def _validate(path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(["validate", "--quiet", str(path)])
    return code, capsys.readouterr().out


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "images").mkdir()
    (tmp_path / "images" / "map.png").write_bytes(PNG)
    (tmp_path / "photo.jpg").write_bytes(JPEG)
    return tmp_path


@pytest.mark.parametrize(
    "image",
    [
        "![Map of the zones](images/map.png)",
        "![A photo](photo.jpg)",
        '![A photo](./images/../photo.jpg "title")',
    ],
)
def test_a_png_or_jpeg_of_the_folder_is_accepted(
    image: str, folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out = _validate(_write(folder, image), capsys)
    assert code == 0, out


@pytest.mark.parametrize(
    ("image", "message"),
    [
        (
            "![Map](images/missing.png)",
            "the image 'images/missing.png' does not exist in the exercise's folder",
        ),
        ("![Map](../outside.png)", "the image '../outside.png' is outside the exercise's folder"),
        (
            "![Map](https://example.org/map.png)",
            "is not a file of the exercise's folder (documents never fetch pictures from the network)",
        ),
        (
            "![Map](/etc/hostname)",
            "the image '/etc/hostname' is not a file of the exercise's folder",
        ),
        ("![Map](file:///etc/hostname)", "is not a file of the exercise's folder"),
        (
            "![Map](fake.png)",
            "the image 'fake.png' is not a PNG, JPEG or SVG picture (by its content)",
        ),
        (
            "![Map](drawing.svg)",
            "the SVG drawing 'drawing.svg' holds a <script> element",
        ),
        ("![Map](huge.png)", "the image 'huge.png' is too large (5.1 MB; at most 5 MB)"),
        ("![Map](images)", "the image 'images' is not a file"),
        ("![](images/map.png)", "an image has no description (alt text)"),
    ],
)
def test_a_bad_picture_is_an_error_at_its_line(
    image: str, message: str, folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (folder.parent / "outside.png").write_bytes(PNG)
    (folder / "fake.png").write_bytes(b"GIF89a" + b"\x00" * 64)
    (folder / "drawing.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "utf-8"
    )
    (folder / "huge.png").write_bytes(PNG + b"\x00" * (5 * 1024 * 1024))
    path = _write(folder, image)
    code, out = _validate(path, capsys)
    assert code == 1
    errors = [line for line in out.splitlines() if ": error: " in line]
    assert len(errors) == 1, out
    assert errors[0].startswith(f"{path}:{IMAGE_LINE}:7: error: "), errors[0]
    assert message in errors[0]


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symbolic links")
def test_a_link_leading_out_of_the_folder_is_outside(
    folder: Path, tmp_path_factory: pytest.TempPathFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    elsewhere = tmp_path_factory.mktemp("elsewhere") / "secret.png"
    elsewhere.write_bytes(PNG)
    (folder / "link.png").symlink_to(elsewhere)
    code, out = _validate(_write(folder, "![Map](link.png)"), capsys)
    assert code == 1 and "the image 'link.png' is outside the exercise's folder" in out


def test_format_1_keeps_its_warning_and_never_reads_the_file(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out = _validate(_write(folder, "![Map](images/missing.png)", version=1), capsys)
    assert code == 0
    assert "warning: the image `![Map](images/missing.png)` will not be shown" in out


@pytest.mark.parametrize("version", [1, 2])
def test_text_full_of_image_openings_is_checked_in_one_pass(
    version: int, folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # 200,000 characters of `![](`: a backtracking pattern took minutes on this text.
    path = _write(folder, '"' + "![](" * 50_000 + '"', version=version)
    code, out = _validate(path, capsys)
    assert code == 0, out[:500]


SVG_OPEN = '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="40" height="20">'
SAFE_SVG = (
    SVG_OPEN + '<defs><linearGradient id="g"><stop offset="0" stop-color="red"/></linearGradient>'
    '<rect id="r" width="10" height="10"/></defs>'
    '<rect width="40" height="20" fill="url(#g)"/><use xlink:href="#r"/><use href="#r" x="20"/>'
    "</svg>"
)


def test_a_self_contained_svg_drawing_is_accepted(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (folder / "zones.svg").write_text(SAFE_SVG, "utf-8")
    code, out = _validate(_write(folder, "![Evacuation zones](zones.svg)"), capsys)
    assert code == 0, out


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            '<image xlink:href="https://example.org/x.png"/>',
            "refers to 'https://example.org/x.png'",
        ),
        ('<image href="file:///etc/passwd"/>', "refers to 'file:///etc/passwd' outside"),
        ('<use xlink:href="other.svg#a"/>', "refers to 'other.svg#a' outside the drawing"),
        ('<rect fill="url(http://x.org/p.svg#g)"/>', "refers to 'http://x.org/p.svg#g'"),
        ("<style>rect { fill: url('pattern.svg#p') }</style>", "refers to 'pattern.svg#p'"),
        ("<style>@import 'x.css';</style>", "imports a style sheet from outside the drawing"),
        ('<rect onclick="alert(1)"/>', "has an event handler (onclick=)"),
        ("<foreignObject><p>hi</p></foreignObject>", "holds a <foreignobject> element"),
        ("<script>alert(1)</script>", "holds a <script> element"),
    ],
)
def test_an_svg_reaching_outside_itself_is_refused(
    body: str, message: str, folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (folder / "zones.svg").write_text(SVG_OPEN + body + "</svg>", "utf-8")
    code, out = _validate(_write(folder, "![Zones](zones.svg)"), capsys)
    assert code == 1
    errors = [line for line in out.splitlines() if ": error: " in line]
    assert len(errors) == 1, out
    assert f"the SVG drawing 'zones.svg' {message}" in errors[0]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            '<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
            '<svg xmlns="http://www.w3.org/2000/svg"><text>&x;</text></svg>',
            "declares a DTD or entities",
        ),
        (
            '<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;">]>'
            '<svg xmlns="http://www.w3.org/2000/svg"><text>&b;</text></svg>',
            "declares a DTD or entities",
        ),
        ('<svg xmlns="http://www.w3.org/2000/svg"><rect>', "is not well-formed SVG"),
        ('<?xml version="1.0"?><html/>', "is XML but not an SVG drawing"),
    ],
)
def test_an_svg_with_entities_or_broken_xml_is_refused(
    text: str, message: str, folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (folder / "zones.svg").write_text(text, "utf-8")
    code, out = _validate(_write(folder, "![Zones](zones.svg)"), capsys)
    assert code == 1 and f"the SVG drawing 'zones.svg' {message}" in out, out


def test_a_large_svg_is_refused_by_size(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    padding = "<!--" + "x" * (5 * 1024 * 1024) + "-->"
    (folder / "zones.svg").write_text(SAFE_SVG.replace("</svg>", padding + "</svg>"), "utf-8")
    code, out = _validate(_write(folder, "![Zones](zones.svg)"), capsys)
    assert code == 1 and "the image 'zones.svg' is too large (5.1 MB; at most 5 MB)" in out, out
