"""Small pieces of wording every surface shares (the CLI, the console, the documents)."""

from __future__ import annotations


def counted(number: int, noun: str, plural: str | None = None) -> str:
    """`1 note`, `3 notes` (`plural` for nouns that do not just take an s)."""
    return f"{number} {noun if number == 1 else plural or noun + 's'}"
