"""One schema helper for every YAML file a review stores (review.yaml, themes.yaml, the decisions
files, theme-overrides.yaml, extraction.yaml, fulltext.yaml, rule-audit.yaml, corrections.yaml,
narrative.yaml, duplicates.yaml, the appraisal files).

Each loader used to check its own top level by hand, and the copies drifted: three codes for a
bad version, a version required in one file and defaulted in the others, one file raising where
the others returned problems. Here the header is checked once, the same way everywhere, and
every slip comes back as a located :class:`~litreview.model.Problem` (never raised), so a loader
can keep going and report everything at once.

The codes, the same in every file (documented in docs/ci.md):

- ``type``: a value has the wrong shape (the file is not a mapping, a list is not a list, ...);
- ``unknown-key``: a key the file does not define (with "did you mean" or the known keys);
- ``version``: a ``version`` this litreview does not read. A missing ``version`` means the
  current one, in every file.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from litreview.files.yamlio import line_of, suggest
from litreview.model import Location, Problem, Severity


@dataclass(frozen=True)
class FileSchema:
    """The top level of one stored file: what to call it, its keys, its version, its shape."""

    what: str  # how messages name the file: "the protocol", "the decisions file"
    keys: tuple[str, ...]  # the known top-level keys, "version" included
    version: int  # the version this litreview reads and writes
    shape: str  # the sentence shown when the file is not a mapping
    #: older versions this litreview still reads (and migrates on its next write)
    also_reads: tuple[int, ...] = ()

    @property
    def reads(self) -> tuple[int, ...]:
        return tuple(sorted({*self.also_reads, self.version}))


def unknown_keys(
    node: Mapping[str, Any],
    known: tuple[str, ...],
    path: str,
    where: str | None,
    at: str | None = None,
) -> list[Problem]:
    """One ``unknown-key`` problem per key of ``node`` not in ``known``. ``where`` names the
    mapping in the message ("in the protocol"); the location's key is ``at`` when given (the id
    of the entry the mapping belongs to, which a reader looks for), else the unknown key."""
    suffix = f" in {where}" if where else ""
    return [
        Problem(
            Location(path, line_of(node, str(k)), at if at is not None else str(k)),
            f"unknown key {k!r}{suffix}",
            Severity.ERROR,
            "unknown-key",
            suggest(str(k), known) or f"known keys: {', '.join(known)}",
        )
        for k in node
        if k not in known
    ]


def check_header(
    data: Any, path: str, schema: FileSchema
) -> tuple[Mapping[str, Any] | None, list[Problem]]:
    """Check a parsed file's top level; return it as a mapping (None when it is not one) and the
    problems: its shape, unknown top-level keys, its version."""
    if not isinstance(data, Mapping):
        return None, [
            Problem(Location(path, line_of(data) or 1), schema.shape, Severity.ERROR, "type")
        ]
    problems = unknown_keys(data, schema.keys, path, schema.what)
    version = data.get("version", schema.version)
    if version not in schema.reads:
        reads = schema.reads
        said = (
            f"version {reads[0]}"
            if len(reads) == 1
            else "versions " + ", ".join(map(str, reads[:-1])) + f" and {reads[-1]}"
        )
        problems.append(
            Problem(
                Location(path, line_of(data, "version"), "version"),
                f"unsupported version {version!r} of {schema.what}",
                Severity.ERROR,
                "version",
                f"this litreview reads {said}",
            )
        )
    return data, problems


def list_at(node: Mapping[str, Any], key: str, path: str) -> tuple[list[Any] | None, list[Problem]]:
    """The list under ``key`` ([] when absent or empty), or None and a ``type`` problem when it is
    something else."""
    value = node.get(key)
    if value is None:
        return [], []
    if not isinstance(value, list):
        return None, [
            Problem(
                Location(path, line_of(node, key), key),
                f"{key!r} must be a list",
                Severity.ERROR,
                "type",
            )
        ]
    return value, []


def listed_items(
    data: Any, path: str, schema: FileSchema, key: str
) -> tuple[list[Any] | None, list[Problem]]:
    """The list a stored file keeps under ``key``, with the problems of its header and shape:
    :func:`check_header` then :func:`list_at`, the opening every list-holding loader shares. None
    when the file is not a mapping or ``key`` is not a list (the problems say which)."""
    top, problems = check_header(data, path, schema)
    if top is None:
        return None, problems
    items, shape = list_at(top, key, path)
    return items, problems + shape
