"""Errors that stop a command, each carrying the problems (with locations) that caused it.

Findings that do not stop a command are :class:`~litreview.model.Problem` values returned by
the core; these exceptions are for input the core cannot work with at all. The CLI turns them
into messages and exit code 2 in one place.
"""

from __future__ import annotations

from typing import Self

from litreview.model import Location, Problem, Severity


class LitreviewError(Exception):
    """Base for every error the CLI reports as a message rather than a traceback."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))

    @classmethod
    def at(cls, location: Location, message: str, hint: str | None = None, code: str = "error") -> Self:
        return cls([Problem(location, message, Severity.ERROR, code=code, hint=hint)])


class InputError(LitreviewError):
    """An input file cannot be read or understood."""


class ConfigError(LitreviewError):
    """A protocol, themes or decisions file is invalid."""


class LockError(LitreviewError):
    """Another litreview process holds the corpus."""
