"""Dual screening: where two reviewers' decisions conflict, and how far they agree (Cohen's kappa
and PABAK per stage and pair of reviewers)."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from litreview.protocol import Protocol
from litreview.screen.engine import (
    EXCLUDE,
    MAYBE,
    Decision,
    resolve,
)
from litreview.text.wording import counted


@dataclass(frozen=True)
class Conflict:
    key: str
    stage: str
    kind: str  # "decision": include v exclude (or maybe); "reason": all exclude, for different reasons
    decisions: tuple[Decision, ...]
    resolved: bool  # a majority or a resolution (``screen resolve``) has settled it

    def as_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "stage": self.stage,
            "kind": self.kind,
            "resolved": self.resolved,
            "decisions": [d.as_dict() for d in self.decisions],
        }


@dataclass(frozen=True)
class ConflictCounts:
    """The unsettled disagreements, in the two kinds a review team treats differently.

    A *conflict* (include v exclude, or a maybe nothing settles) holds the record up: it waits
    for a resolution or a majority. A *reason-only* disagreement (all exclude, for different
    reasons) does not: the record is excluded either way, and the most given reason counts
    until a resolution names one. Both are worth showing; only conflicts keep a review waiting.
    ``status``, ``screen`` and ``screen conflicts`` all count with :func:`count_conflicts`.
    """

    conflicts: int
    reason_only: int

    @property
    def unsettled(self) -> int:
        return self.conflicts + self.reason_only

    def describe(self) -> str:
        """E.g. "3 conflicts, 5 reason-only"."""
        return f"{counted(self.conflicts, 'conflict')}, {self.reason_only} reason-only"

    def as_dict(self) -> dict[str, int]:
        return {"conflicts": self.conflicts, "reason_only": self.reason_only}


def count_conflicts(found: Iterable[Conflict]) -> ConflictCounts:
    """The unsettled disagreements among ``found`` (:func:`find_conflicts`), by kind."""
    open_ = [c for c in found if not c.resolved]
    return ConflictCounts(
        sum(1 for c in open_ if c.kind == "decision"), sum(1 for c in open_ if c.kind == "reason")
    )


def find_conflicts(decisions: Iterable[Decision], protocol: Protocol) -> list[Conflict]:
    """Records where reviewers disagree at a stage, in stage then key order.

    A lone maybe at the last stage is a conflict only once the stage has as many reviewers as
    it needs (as the screening has it); before that the record merely waits for the others.
    """
    groups: dict[tuple[str, str], list[Decision]] = defaultdict(list)
    for d in decisions:
        groups[(d.stage, d.key)].append(d)
    order = {s: i for i, s in enumerate(protocol.stage_ids)}
    needed = {s.id: s.reviewers for s in protocol.stages}
    last = protocol.stage_ids[-1] if protocol.stage_ids else ""
    out = []
    for (stage, key), ds in groups.items():
        if len(ds) == 1 and not (stage == last and ds[0].decision == MAYBE):
            continue  # one decision disagrees with nobody (most records of a screened review)
        votes = [d for d in ds if not d.resolves]
        kinds = {d.decision for d in votes}
        if len(kinds) > 1 or (MAYBE in kinds and stage == last):
            # settled only where the votes may conflict: most groups are unanimous
            settled = resolve(ds, (), needed.get(stage, 1), stage == last)
            if len(kinds) > 1 or settled.conflict:
                out.append(
                    Conflict(key, stage, "decision", tuple(ds), settled.decision is not None)
                )
        elif kinds == {EXCLUDE} and len({d.reason for d in votes}) > 1:
            out.append(Conflict(key, stage, "reason", tuple(ds), any(d.resolves for d in ds)))
    out.sort(key=lambda c: (order.get(c.stage, 99), c.key))
    return out


def cohen_kappa(pairs: Sequence[tuple[str, str]]) -> float | None:
    """Cohen's kappa for two raters' labels on the same items; None when it is undefined.

    kappa = (p_o - p_e) / (1 - p_e), p_o the observed agreement and p_e the agreement expected
    from each rater's label frequencies. Undefined when there are no items or p_e is 1 (both
    raters used one and the same label for everything).
    """
    n = len(pairs)
    if n == 0:
        return None
    po = sum(1 for a, b in pairs if a == b) / n
    ca = Counter(a for a, _ in pairs)
    cb = Counter(b for _, b in pairs)
    pe = sum(ca[label] * cb[label] for label in set(ca) | set(cb)) / (n * n)
    if pe >= 1.0:
        return None
    return (po - pe) / (1 - pe)


def pabak(pairs: Sequence[tuple[str, str]]) -> float | None:
    """Prevalence- and bias-adjusted kappa: (k·p_o − 1)/(k − 1), k the number of labels either
    rater used (at least 2, include and exclude); None when there are no items.

    Unlike Cohen's kappa it stays informative when nearly every record is excluded (a kappa
    near 0 with 98% agreement is the usual screening paradox).
    """
    n = len(pairs)
    if n == 0:
        return None
    k = max(2, len({a for a, _ in pairs} | {b for _, b in pairs}))
    po = sum(1 for a, b in pairs if a == b) / n
    return (k * po - 1) / (k - 1)


@dataclass(frozen=True)
class Agreement:
    stage: str
    reviewers: tuple[str, str]
    records: int  # screened by both
    agreed: int
    kappa: float | None
    table: Mapping[str, int]  # "include/exclude" -> count (first reviewer's label first)
    pabak: float | None = None

    @property
    def percent(self) -> float | None:
        return None if not self.records else 100.0 * self.agreed / self.records

    def as_dict(self) -> dict[str, Any]:
        return {
            "stage": self.stage,
            "reviewers": list(self.reviewers),
            "records": self.records,
            "agreed": self.agreed,
            "percent": None if self.percent is None else round(self.percent, 2),
            "kappa": None if self.kappa is None else round(self.kappa, 4),
            "pabak": None if self.pabak is None else round(self.pabak, 4),
            "table": dict(self.table),
        }


def agreement(decisions: Iterable[Decision], protocol: Protocol) -> list[Agreement]:
    """Per stage and pair of reviewers: records both screened, % agreement, Cohen's kappa, PABAK.

    Resolutions are not independent screening and are left out; "maybe" is a label of its own.
    """
    by: dict[str, dict[str, dict[str, str]]] = defaultdict(lambda: defaultdict(dict))
    for d in decisions:
        if not d.resolves:
            by[d.stage][d.reviewer][d.key] = d.decision
    out = []
    for stage in protocol.stage_ids:
        reviewers = sorted(by.get(stage, {}))
        for i, a in enumerate(reviewers):
            for b in reviewers[i + 1 :]:
                common = sorted(set(by[stage][a]) & set(by[stage][b]))
                if not common:
                    continue
                pairs = [(by[stage][a][k], by[stage][b][k]) for k in common]
                table = Counter(f"{x}/{y}" for x, y in pairs)
                out.append(
                    Agreement(
                        stage,
                        (a, b),
                        len(pairs),
                        sum(1 for x, y in pairs if x == y),
                        cohen_kappa(pairs),
                        dict(sorted(table.items())),
                        pabak(pairs),
                    )
                )
    return out
