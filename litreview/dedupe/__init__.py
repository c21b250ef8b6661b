"""Deduplication: sure merges, a queue of unsure pairs, people's decisions kept in the corpus.

``find_duplicates`` is the pure core; ``dedupe_project``, ``decide``, ``undo`` and
``list_unsure`` are the same operations on a review repository (``corpus/records.bib`` and
``corpus/duplicates.yaml``). See ``docs/dedupe.md``.
"""

from __future__ import annotations

from .engine import (
    DIFFERENT,
    SAME,
    Decision,
    DedupeResult,
    Merge,
    Pair,
    candidate_pairs,
    find_duplicates,
    merge_records,
)
from .project import PairView, UndoResult, decide, decide_many, dedupe_project, list_unsure, undo
from .rules import DISTINCT, DUPLICATE, UNSURE, Features, Verdict, compare, features, never_merge
from .store import DuplicatesFile, StoredMerge, format_duplicates, load_duplicates, save_duplicates

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
