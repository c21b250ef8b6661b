"""The words a review's decisions and outcomes are written with, defined once.

They were string literals re-declared in screen, export, prisma, the CLI and the browser page,
where a typo is a silent mismatch. As :class:`~enum.StrEnum` members they are still those very
strings (equal to them, hashed like them, written as them in YAML, JSON, CSV and templates), so
no stored file or output changes. A leaf module: cheap to import from the CLI.
"""

from __future__ import annotations

from enum import StrEnum


class Choice(StrEnum):
    """A person's decision on a record at a stage (a decisions file's ``decision``)."""

    INCLUDE = "include"
    EXCLUDE = "exclude"
    #: "not sure": at a stage with a later one it passes the record on (the full text decides);
    #: at the last stage it cannot settle the record (a conflict for ``screen resolve``)
    MAYBE = "maybe"


class StageOutcome(StrEnum):
    """What a stage makes of a record."""

    INCLUDE = "include"
    EXCLUDE = "exclude"
    NEEDS_PERSON = "needs-person"


class Outcome(StrEnum):
    """Where a record ends after every stage (and, for export, ``duplicate``: a merge absorbed it)."""

    INCLUDED = "included"
    EXCLUDED = "excluded"
    NEEDS_PERSON = "needs-person"
    DUPLICATE = "duplicate"


class Settled(StrEnum):
    """How several reviewers' decisions settled a stage: all said the same (include or exclude,
    their reasons may differ), most did, or a resolution (``screen resolve``) decided."""

    UNANIMOUS = "unanimous"
    MAJORITY = "majority"
    RESOLUTION = "resolution"
