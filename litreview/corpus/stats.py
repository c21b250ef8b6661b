"""Counts that describe a corpus: per source, year, entry type, and which fields are missing."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

from litreview.model import Record, missing_fields

TRACKED_FIELDS = ("title", "authors", "year", "container", "doi", "abstract", "pages")


def corpus_stats(records: Sequence[Record]) -> dict[str, Any]:
    by_source: Counter[str] = Counter()
    for r in records:
        for s in r.sources or ("(none)",):
            by_source[s] += 1
    by_year = Counter("unknown" if r.year is None else str(r.year) for r in records)
    by_type = Counter(r.entry_type for r in records)
    missing: Counter[str] = Counter()
    for r in records:
        missing.update(f for f in TRACKED_FIELDS if not r.get(f))
    incomplete = sum(1 for r in records if missing_fields(r))
    return {
        "version": 1,
        "records": len(records),
        "by_source": dict(sorted(by_source.items())),
        "by_year": dict(sorted(by_year.items())),
        "by_type": dict(sorted(by_type.items())),
        "missing": {f: missing.get(f, 0) for f in TRACKED_FIELDS},
        "missing_required": incomplete,
    }
