"""Words for counts in messages, so each command says "1 exclude" and "3 excludes" alike."""

from __future__ import annotations


def counted(n: int, noun: str) -> str:
    """``n`` and the noun, plural unless n is 1: "1 exclude", "3 excludes"."""
    return f"{n} {noun}{'' if n == 1 else 's'}"
