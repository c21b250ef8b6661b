"""PRISMA 2020 flow counts as data: identified per source, duplicates removed, screened, excluded.

The numbers come from the corpus (each record's provenance says which searches found it) and from
a :class:`~litreview.screen.engine.ScreeningResult`; rendering them as a diagram is another step's job.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence, Set
from dataclasses import dataclass, field
from typing import Any

from litreview.model import Record
from litreview.protocol import Protocol
from litreview.screen.engine import EXCLUDED, INCLUDE, INCLUDED, NEEDS_PERSON, ScreeningResult

PRISMA_VERSION = 1


@dataclass(frozen=True)
class StageCounts:
    stage: str
    label: str
    screened: int  # records that reached this stage
    excluded: Mapping[str, int]  # reason code -> records excluded here, in protocol reason order
    needs_person: int  # records waiting for a person at this stage
    passed: int  # records that went on to the next stage (or were included, at the last)
    #: of ``excluded``, the records the rules excluded with no person's decision at this stage
    #: (PRISMA 2020: "marked as ineligible by automation tools"), reason code -> records
    excluded_by_rules: Mapping[str, int] = field(default_factory=dict)
    passed_by_rules: int = 0  # of ``passed``, the records no person looked at at this stage
    #: at the full-text stage of a review with corpus/fulltext.yaml: reports marked not retrieved
    #: (not in ``excluded``, ``needs_person`` or ``passed``); None elsewhere
    not_retrieved: int | None = None

    @property
    def excluded_total(self) -> int:
        return sum(self.excluded.values())

    def as_dict(self, reasons: Mapping[str, str]) -> dict[str, Any]:
        extra = {} if self.not_retrieved is None else {"not_retrieved": self.not_retrieved}
        return {"stage": self.stage, "label": self.label, "screened": self.screened,
                "excluded_total": self.excluded_total,
                "excluded": [{"reason": code, "label": reasons.get(code, code), "records": n}
                             for code, n in self.excluded.items()],
                "needs_person": self.needs_person, "passed": self.passed,
                "excluded_by_rules_total": sum(self.excluded_by_rules.values()),
                "excluded_by_rules": [{"reason": code, "label": reasons.get(code, code), "records": n}
                                      for code, n in self.excluded_by_rules.items()],
                "passed_by_rules": self.passed_by_rules, **extra}


@dataclass(frozen=True)
class PrismaCounts:
    identified: Mapping[str, int]  # source id -> records found there (before duplicates are removed)
    source_names: Mapping[str, str]
    duplicates_removed: int
    screened: int  # records after duplicates were removed
    stages: tuple[StageCounts, ...]
    needs_person: int
    included: int
    reasons: Mapping[str, str]
    #: reports sought for retrieval and reports not retrieved (PRISMA 2020), when the review keeps
    #: corpus/fulltext.yaml; None otherwise
    reports_sought: int | None = None
    reports_not_retrieved: int | None = None

    @property
    def identified_total(self) -> int:
        return sum(self.identified.values())

    @property
    def excluded_total(self) -> int:
        return sum(s.excluded_total for s in self.stages)

    @property
    def balanced(self) -> bool:
        """Identified − duplicates = screened, and screened = excluded + waiting + not retrieved + included."""
        return (self.identified_total - self.duplicates_removed == self.screened
                and self.screened == self.excluded_total + self.needs_person + (self.reports_not_retrieved or 0)
                + self.included)

    def as_dict(self) -> dict[str, Any]:
        return {
            "version": PRISMA_VERSION,
            "identified": [{"source": s, "name": self.source_names.get(s, s), "records": n}
                           for s, n in self.identified.items()],
            "identified_total": self.identified_total,
            "duplicates_removed": self.duplicates_removed,
            "screened": self.screened,
            "stages": [s.as_dict(self.reasons) for s in self.stages],
            "excluded_total": self.excluded_total,
            "needs_person": self.needs_person,
            "included": self.included,
            "balanced": self.balanced,
            **({} if self.reports_sought is None else
               {"reports_sought": self.reports_sought, "reports_not_retrieved": self.reports_not_retrieved}),
        }


def duplicates_from_provenance(records: Sequence[Record]) -> int:
    """Records absorbed into others by deduplication: each record's provenance count minus one."""
    return sum(max(len(r.provenance) - 1, 0) for r in records)


def provenance_counts(records: Sequence[Record]) -> tuple[dict[str, int], int]:
    """What PRISMA needs of the records themselves: records read per source (``(unknown)`` for
    a record without provenance), and duplicates removed (:func:`duplicates_from_provenance`).
    Kept apart so a command that has them cached need not load 100k records to count."""
    found: Counter[str] = Counter()
    for r in records:
        for p in r.provenance:
            found[p.source] += 1
        if not r.provenance:
            found["(unknown)"] += 1
    return dict(found), duplicates_from_provenance(records)


def prisma_counts(records: Sequence[Record], result: ScreeningResult, protocol: Protocol,
                  duplicates_removed: int | None = None, not_retrieved: Set[str] | None = None,
                  counted: tuple[Mapping[str, int], int] | None = None) -> PrismaCounts:
    """PRISMA counts for screened ``records``; duplicates default to :func:`duplicates_from_provenance`.

    ``not_retrieved`` (the keys corpus/fulltext.yaml marks so; None when the review keeps no such
    file) are taken out of the full-text stage's exclusions and waiting records and counted as
    reports not retrieved, except one included (an error ``check`` reports), which stays included.
    ``counted``: :func:`provenance_counts` of ``records``, when known (``records`` is then unused).
    """
    ft_stage = protocol.stages[-1].id if not_retrieved is not None and len(protocol.stages) > 1 else None
    unretrieved = not_retrieved or frozenset()
    gone: set[str] = set()
    per_source, dups_read = counted if counted is not None else provenance_counts(records)
    found: Counter[str] = Counter(per_source)
    identified = {s.id: found.pop(s.id, 0) for s in protocol.sources}
    identified.update(sorted(found.items()))
    reason_order = {code: i for i, code in enumerate(protocol.reasons)}
    stages: list[StageCounts] = []
    for stage in protocol.stages:
        reached = [r for r in result.records if any(s.stage == stage.id for s in r.stages)]
        if stage.id == ft_stage:
            gone = {r.key for r in reached if r.key in unretrieved and r.outcome != INCLUDED}
            reached_all, reached = reached, [r for r in reached if r.key not in gone]
        here: Counter[str] = Counter()
        by_rules: Counter[str] = Counter()
        passed_by_rules = 0
        for rs in reached:
            sr = next(s for s in rs.stages if s.stage == stage.id)
            unseen = sr.override is None and not sr.conflict
            if rs.outcome == EXCLUDED and rs.stage == stage.id:
                here[rs.reason or "(no reason)"] += 1
                if unseen:
                    by_rules[rs.reason or "(no reason)"] += 1
            elif unseen and sr.outcome == INCLUDE:
                passed_by_rules += 1
        waiting = sum(1 for r in reached if r.outcome == NEEDS_PERSON and r.stage == stage.id)

        def ordered(counts: Counter[str]) -> dict[str, int]:
            return dict(sorted(counts.items(), key=lambda kv: (reason_order.get(kv[0], len(reason_order)), kv[0])))

        excluded = ordered(here)
        if stage.id == ft_stage:
            stages.append(StageCounts(stage.id, stage.label, len(reached_all), excluded, waiting,
                                      len(reached) - sum(excluded.values()) - waiting, ordered(by_rules),
                                      passed_by_rules, len(gone)))
            continue
        stages.append(StageCounts(stage.id, stage.label, len(reached), excluded, waiting,
                                  len(reached) - sum(excluded.values()) - waiting, ordered(by_rules),
                                  passed_by_rules))
    dups = dups_read if duplicates_removed is None else duplicates_removed
    return PrismaCounts(
        identified=identified,
        source_names={s.id: s.name for s in protocol.sources},
        duplicates_removed=dups,
        screened=len(result.records),
        stages=tuple(stages),
        needs_person=sum(1 for r in result.records if r.outcome == NEEDS_PERSON and r.key not in gone),
        included=sum(1 for r in result.records if r.outcome == INCLUDED),
        reasons=dict(protocol.reasons),
        reports_sought=next((s.screened for s in stages if s.stage == ft_stage), None) if ft_stage else None,
        reports_not_retrieved=len(gone) if ft_stage else None,
    )
