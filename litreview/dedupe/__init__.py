"""Deduplication: sure merges, a queue of unsure pairs, people's decisions kept in the corpus.

``find_duplicates`` is the pure core; ``dedupe_project``, ``decide``, ``undo`` and
``list_unsure`` are the same operations on a review repository (``corpus/records.bib`` and
``corpus/duplicates.yaml``). See ``docs/dedupe.md``.

The names below are imported on first use: ``status``, ``screen`` and ``render`` read the dedupe
log through :mod:`litreview.dedupe.store`, and importing this package must not load the matcher
(its rules and model, ~0.2–0.4 s) for them.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .engine import DedupeResult, candidate_pairs, find_duplicates, merge_records
    from .pairs import DIFFERENT, SAME, Decision, Merge, Pair
    from .project import (
        PairView,
        UndoResult,
        decide,
        decide_many,
        dedupe_project,
        list_unsure,
        undo,
    )
    from .rules import (
        DISTINCT,
        DUPLICATE,
        UNSURE,
        Features,
        Verdict,
        compare,
        features,
        never_merge,
    )
    from .store import (
        DuplicatesFile,
        StoredMerge,
        format_duplicates,
        load_duplicates,
        save_duplicates,
    )

#: each public name and the module that defines it
_WHERE = {
    **dict.fromkeys(("DIFFERENT", "SAME", "Decision", "Merge", "Pair"), "pairs"),
    **dict.fromkeys(
        ("DedupeResult", "candidate_pairs", "find_duplicates", "merge_records"), "engine"
    ),
    **dict.fromkeys(
        (
            "PairView",
            "UndoResult",
            "decide",
            "decide_many",
            "dedupe_project",
            "list_unsure",
            "undo",
        ),
        "project",
    ),
    **dict.fromkeys(
        (
            "DISTINCT",
            "DUPLICATE",
            "UNSURE",
            "Features",
            "Verdict",
            "compare",
            "features",
            "never_merge",
        ),
        "rules",
    ),
    **dict.fromkeys(
        (
            "DuplicatesFile",
            "StoredMerge",
            "format_duplicates",
            "load_duplicates",
            "save_duplicates",
        ),
        "store",
    ),
}

__all__ = [
    "DIFFERENT",
    "DISTINCT",
    "DUPLICATE",
    "SAME",
    "UNSURE",
    "Decision",
    "DedupeResult",
    "DuplicatesFile",
    "Features",
    "Merge",
    "Pair",
    "PairView",
    "StoredMerge",
    "UndoResult",
    "Verdict",
    "candidate_pairs",
    "compare",
    "decide",
    "decide_many",
    "dedupe_project",
    "features",
    "find_duplicates",
    "format_duplicates",
    "list_unsure",
    "load_duplicates",
    "merge_records",
    "never_merge",
    "save_duplicates",
    "undo",
]
assert sorted(__all__) == sorted(_WHERE)


def __getattr__(name: str) -> Any:
    where = _WHERE.get(name)
    if where is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f".{where}", __name__), name)
    globals()[name] = value  # asked once
    return value
