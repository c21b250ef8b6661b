"""Records and verdicts for the deduplication tests: each test file keeps its own base record
(its own invented study) and builds its pairs from it with :func:`record`."""

from __future__ import annotations

from collections.abc import Mapping

from litreview.dedupe import Decision, compare, features, find_duplicates
from litreview.model import Provenance, Record


def record(key: str, base: Mapping[str, object], **kw: object) -> Record:
    """``base`` with the fields in ``kw`` changed, from an export file named after the key."""
    fields: dict[str, object] = dict(base)
    fields.setdefault("provenance", (Provenance("src", f"{key}.ris", 1, key),))
    fields.update(kw)
    return Record(key=key, **fields)  # type: ignore[arg-type]


def verdict(a: Record, b: Record) -> str:
    return compare(features(a), features(b)).outcome


def rule(a: Record, b: Record) -> str:
    return compare(features(a), features(b)).rule


def groups(records: list[Record], decisions: tuple[Decision, ...] = ()) -> set[frozenset[str]]:
    """The records ``find_duplicates`` puts together, as sets of keys."""
    result = find_duplicates(records, decisions)
    return {frozenset([m.survivor, *(r.key for r in m.absorbed)]) for m in result.merges}
