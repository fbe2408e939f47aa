"""YAML parser errors turned into problems an author can act on (tabs, quotes, brackets, colons)."""

from __future__ import annotations

import yaml
import yaml.reader

from ttx.model.problems import Problem


def syntax_problem(name: str, exc: yaml.MarkedYAMLError, text: str) -> Problem:
    """A YAML syntax error in an author's words, placed where it can be fixed."""
    mark = exc.problem_mark or exc.context_mark
    line = mark.line + 1 if mark else None
    col = mark.column + 1 if mark else None
    problem = (exc.problem or str(exc)).strip()
    context = (exc.context or "").strip()
    opened = exc.context_mark
    since = (
        f" (the {_WHAT_OPENS.get(context, context.removeprefix('while ').removeprefix('parsing '))} "
        f"started at line {opened.line + 1}, column {opened.column + 1})"
        if context and opened is not None and opened.line + 1 != line
        else ""
    )
    fix = "fix the YAML syntax at this place"
    if "'\\t'" in problem or "\\t" in problem or (mark is not None and _is_tab_at(text, mark.line)):
        return Problem(
            name,
            line,
            col,
            "a tab character is used for indentation",
            "YAML indents with spaces only: replace the tab with spaces",
        )
    if "quoted scalar" in context and opened is not None:
        return Problem(
            name,
            opened.line + 1,
            opened.column + 1,
            "a quoted text starts here and is never closed",
            "add the closing quote; inside '...' write '' for a quote, inside \"...\" write \\\"",
        )
    if "mapping values are not allowed" in problem:
        fix = "put quotes around a text that contains ': ', or fix the indentation of this line"
    elif "flow sequence" in context:
        fix = "close the list with ']' and separate its items with ','"
    elif "flow mapping" in context:
        fix = "close the mapping with '}' and separate its entries with ','"
    elif "expected <block end>" in problem or "did not find expected" in problem:
        fix = "check the indentation of this line against the lines above it"
    elif "found unexpected end of stream" in problem or "found unexpected end" in problem:
        fix = "close the quote or bracket that was opened earlier"
    elif "found undefined alias" in problem or "found undefined tag" in problem:
        fix = "define the anchor first, or remove the tag"
    elif "could not find expected ':'" in problem:
        fix = "a key needs ': ' after it; or close a quote opened on an earlier line"
    elif "found character that cannot start any token" in problem:
        fix = "put the value in quotes: it starts with a character YAML reserves (@, `, %)"
    return Problem(name, line, col, f"YAML syntax error: {problem}{since}", fix)


def too_deep_problem(name: str, text: str, exc: yaml.MarkedYAMLError, limit: int) -> Problem | None:
    """The nesting problem, if the brackets open before the error are deeper than `limit`.

    Counted on the raw text (quotes and comments ignored), so it only ever replaces an
    error that a parser already raised, whichever parser and whatever its wording.
    """
    mark = exc.problem_mark or exc.context_mark
    end = mark.index if mark is not None and mark.index is not None else len(text)
    depth = 0
    line = 1
    col = 0
    for char in text[: end + 1]:
        col += 1
        if char == "\n":
            line, col = line + 1, 0
        elif char in "[{":
            depth += 1
            if depth > limit:
                return Problem(
                    name,
                    line,
                    col,
                    f"nesting is deeper than {limit} levels",
                    "flatten the structure; an exercise never needs this depth",
                )
        elif char in "]}":
            depth = max(depth - 1, 0)
    return None


_WHAT_OPENS = {
    "while parsing a flow sequence": "list '['",
    "while parsing a flow mapping": "mapping '{'",
    "while parsing a block mapping": "mapping",
    "while parsing a block collection": "list",
    "while scanning a simple key": "key",
}


def reader_problem(name: str, exc: yaml.reader.ReaderError, text: str) -> Problem:
    """A character YAML does not accept (a control character), placed at its line."""
    before = text[: max(exc.position, 0)]
    line = before.count("\n") + 1
    col = exc.position - (before.rfind("\n") + 1) + 1
    char = exc.character if isinstance(exc.character, int) else ord(str(exc.character)[:1] or " ")
    return Problem(
        name,
        line,
        col,
        f"the file contains a control character (U+{char:04X}) that YAML does not allow",
        "delete it (it is often invisible: retype the text around this place)",
    )


def _is_tab_at(text: str, line_index: int) -> bool:
    lines = text.splitlines()
    if 0 <= line_index < len(lines):
        stripped = lines[line_index]
        return stripped[: len(stripped) - len(stripped.lstrip(" \t"))].count("\t") > 0
    return False
