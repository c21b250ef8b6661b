"""Errors that stop a command, each carrying the problems (with locations) that caused it.

Findings that do not stop a command are :class:`~litreview.model.Problem` values returned by
the core; these exceptions are for input the core cannot work with at all. The CLI turns them
into messages and exit code 2 in one place.
"""

from __future__ import annotations

import contextlib
import errno
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Self

from litreview.model import Location, Problem, Severity


class LitreviewError(Exception):
    """Base for every error the CLI reports as a message rather than a traceback."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))

    @classmethod
    def at(
        cls,
        location: Location,
        message: str,
        hint: str | None = None,
        code: str = "error",
        missing: str | None = None,
    ) -> Self:
        return cls([Problem(location, message, Severity.ERROR, code, hint, missing)])


class InputError(LitreviewError):
    """An input file cannot be read or understood."""


class ConfigError(LitreviewError):
    """A protocol, themes or decisions file is invalid."""


class LockError(LitreviewError):
    """Another litreview process holds the corpus."""


#: errno -> what it means for a review, and what to do; the core lets these propagate
#: codes of the problems that say a file could not be read at all (not YAML, not UTF-8, an
#: operating-system error): nothing is derived from such a file, so a command that reads it
#: stops with the problem (exit 2) instead of going on as if the file were empty
UNREADABLE = frozenset({"yaml", "encoding", "os-error"})


def unreadable(problems: Iterable[Problem]) -> list[Problem]:
    """The errors among ``problems`` that say a file could not be read at all."""
    return [p for p in problems if p.is_error and p.code in UNREADABLE]


_OS_ADVICE = {
    errno.ENOSPC: "the disk is full: free some space and run the command again",
    errno.EDQUOT: "the disk quota is used up: free some space and run the command again",
    errno.EFBIG: "the file is larger than this system or a `ulimit -f` allows: raise the limit or free space",
    errno.EACCES: "permission denied: check who owns this file and its folder (`ls -l`), or run as its owner",
    errno.EPERM: "permission denied: check who owns this file and its folder (`ls -l`), or run as its owner",
    errno.EROFS: "the disk is mounted read-only: work in a copy of the review on a writable disk",
    errno.EISDIR: "a folder stands where litreview expects a file: rename or remove that folder",
    errno.ENOTDIR: "a file stands where litreview expects a folder: rename or remove that file",
    errno.ENOENT: "no such file or folder: check the path",
}


def os_problem(exc: OSError, shown: str | None = None) -> Problem:
    """An operating-system error as a located problem with advice (the one place this happens).

    A file written atomically keeps its previous content when the write fails, so the advice
    can be simply to fix the cause and run again. ``shown`` is the file as messages name it
    (default: the error's file name, relative to the working folder when inside it).
    """
    if shown is None:
        name = exc.filename if exc.filename is not None else "litreview"
        shown = os.fsdecode(name) if isinstance(name, (str, bytes, os.PathLike)) else str(name)
        with contextlib.suppress(ValueError, OSError):
            shown = Path(shown).resolve().relative_to(Path.cwd().resolve()).as_posix()
    reason = exc.strerror or str(exc)
    hint = _OS_ADVICE.get(
        exc.errno or 0, "an operating-system error; fix its cause and run the command again"
    )
    return Problem(
        Location(shown), f"cannot use this file: {reason}", Severity.ERROR, "os-error", hint
    )
