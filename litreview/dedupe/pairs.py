"""What the dedupe log is made of, apart from the matcher: a person's decision on a pair, a pair
the matcher scored, a merge. Reading ``corpus/duplicates.yaml`` (``status``, ``screen``,
``render``, ``check``) needs these and nothing of the matcher, whose rules and model take a
few hundred milliseconds to import.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from litreview.model import Record

SAME, DIFFERENT = "same", "different"


@dataclass(frozen=True)
class Decision:
    """A person's verdict on a pair of records, kept in ``corpus/duplicates.yaml``."""

    a: str
    b: str
    decision: str  # "same" or "different"
    reviewer: str = ""
    date: str = ""
    note: str = ""
    keep: str = ""  # for ``same``: the record that survives the merge (blank: the default)
    #: the titles of a's and b's records when it was decided (:mod:`litreview.corpus.madeon`)
    a_title: str = field(default="", compare=False)
    b_title: str = field(default="", compare=False)

    @property
    def pair(self) -> tuple[str, str]:
        return (self.a, self.b) if self.a <= self.b else (self.b, self.a)


@dataclass(frozen=True)
class Pair:
    """Two records and how alike they are."""

    a: str
    b: str
    outcome: str
    score: float
    reason: str
    scores: Mapping[str, float | None] = field(default_factory=dict)
    rule: str = ""
    bits: float = 0.0  # the model's match weight

    @property
    def pair(self) -> tuple[str, str]:
        return (self.a, self.b)

    def as_dict(self) -> dict[str, Any]:
        return {
            "pair": [self.a, self.b],
            "outcome": self.outcome,
            "score": self.score,
            "reason": self.reason,
            "rule": self.rule or None,
            "scores": {k: v for k, v in self.scores.items() if v is not None},
        }


@dataclass(frozen=True)
class Merge:
    """One group of records found to be one work: the survivor absorbs the others."""

    survivor: str
    before: Record  # the survivor as it was before this merge
    absorbed: tuple[Record, ...]  # exactly as they were, for undo
    merged: Record
    links: tuple[Pair, ...]  # the pairs that joined the group

    @property
    def reason(self) -> str:
        return "; ".join(sorted({p.reason for p in self.links}))

    def as_dict(self) -> dict[str, Any]:
        return {
            "survivor": self.survivor,
            "absorbed": [r.key for r in self.absorbed],
            "reason": self.reason,
            "links": [p.as_dict() for p in self.links],
        }
