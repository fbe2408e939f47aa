"""Checks of the pictures in an exercise's text (a mixin of the semantic checks)."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel

from ttx.model.check_base import CheckBase
from ttx.model.images import ImageProblem, ImageRef, alt_problem, images_in, load_picture
from ttx.model.loader import Path_
from ttx.model.problems import Problem

MAX_PICTURES = 200
"""The most different pictures one exercise may show (each is a file to read and check)."""


def _clip(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


class PictureChecks(CheckBase):
    """Format 2: every Markdown image is a checked picture of the folder; format 1: a warning."""

    def images(self, node: object, path: Path_) -> None:
        """Format 2: every Markdown image names a picture of the exercise's folder (errors).

        Format 1: warn at every Markdown image: documents print only its text.
        """
        if isinstance(node, str) and self.ex.format >= 2:
            for found in images_in(node):
                self.picture(path, found)
                if len(self.problems) > 1000:
                    return
        elif isinstance(node, str):
            first = next(iter(images_in(node)), None)
            if first is not None:
                self.add(
                    path,
                    f"the image `{_clip(first.text)}` will not be shown: printed documents "
                    "show only its description, in brackets",
                    "describe the picture in words, or link to it: `[description](https://...)`",
                    "warning",
                )
        elif isinstance(node, BaseModel):
            for name, field in type(node).model_fields.items():
                self.images(getattr(node, name), (*path, field.alias or name))
        elif isinstance(node, (list, tuple)):
            for index, item in enumerate(node):
                self.images(item, (*path, index))
        elif isinstance(node, dict):
            for key, value in node.items():
                self.images(value, (*path, str(key)))

    def picture(self, path: Path_, image: ImageRef) -> None:
        """One image of a format-2 text: its description and its file."""
        problem = alt_problem(image.alt)
        if problem is None and image.src in self._pictures:
            problem = self._pictures[image.src]
        elif problem is None and len(self._pictures) >= MAX_PICTURES:
            problem = ImageProblem(
                f"the exercise shows more than {MAX_PICTURES} different pictures",
                "use fewer pictures, or split the exercise",
            )
        elif problem is None:
            try:
                load_picture(Path(self.doc.file).parent, image.src)
            except ImageProblem as exc:
                problem = exc
            self._pictures[image.src] = problem
        if problem is not None:
            line, column = self._text_line(path, image.text)
            self.problems.append(
                Problem(self.doc.file, line, column, problem.message, problem.fix, "error")
            )

    def _text_line(self, path: Path_, needle: str) -> tuple[int | None, int | None]:
        """The line and column of `needle` in the file, searched from the field's own line."""
        line, column = self.doc.where(path)
        if line is None:
            return line, column
        if self._lines is None:
            try:
                self._lines = Path(self.doc.file).read_text(encoding="utf-8").splitlines()
            except (OSError, UnicodeDecodeError):
                self._lines = []
        for index in range(line - 1, min(len(self._lines), line + 2000)):
            found = self._lines[index].find(needle)
            if found >= 0:
                return index + 1, found + 1
        return line, column
