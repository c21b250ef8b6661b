"""PRISMA 2020 flow counts as data: identified per source, duplicates removed, screened, excluded.

The numbers come from the corpus (each record's provenance says which searches found it) and from
a :class:`~litreview.screen.engine.ScreeningResult`; rendering them as a diagram is another step's job.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence, Set
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from litreview.model import Record
from litreview.outcomes import Outcome, StageOutcome

if TYPE_CHECKING:
    from litreview.protocol import Protocol
    from litreview.screen.engine import ScreeningResult

INCLUDE, INCLUDED, EXCLUDED = StageOutcome.INCLUDE, Outcome.INCLUDED, Outcome.EXCLUDED
NEEDS_PERSON = Outcome.NEEDS_PERSON  # the same string as StageOutcome.NEEDS_PERSON

#: 2: ``screened`` is PRISMA's records screened (it was the records after duplicates, now
#: ``records``), and each stage's count of the records that got there is ``reached``
PRISMA_VERSION = 2


def by_reason(counts: Mapping[str, int], reasons: Mapping[str, str]) -> list[dict[str, Any]]:
    """Counts per reason code as the JSON lists them, each with its label."""
    return [
        {"reason": code, "label": reasons.get(code, code), "records": n}
        for code, n in counts.items()
    ]


@dataclass(frozen=True)
class StageCounts:
    stage: str
    label: str
    #: records that reached this stage, those the rules excluded unseen by a person included (at
    #: the first stage these are PRISMA's records screened plus those marked by automation tools)
    reached: int
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
        return {
            "stage": self.stage,
            "label": self.label,
            "reached": self.reached,
            "excluded_total": self.excluded_total,
            "excluded": by_reason(self.excluded, reasons),
            "needs_person": self.needs_person,
            "passed": self.passed,
            "excluded_by_rules_total": sum(self.excluded_by_rules.values()),
            "excluded_by_rules": by_reason(self.excluded_by_rules, reasons),
            "passed_by_rules": self.passed_by_rules,
            **extra,
        }


@dataclass(frozen=True)
class PrismaCounts:
    """The PRISMA 2020 flow of one review: the one model behind the diagram, the appendix,
    ``prisma.json`` and the ``screen prisma``, ``run`` and ``status`` summaries.

    :func:`prisma_counts` computes it from the screening, stage by stage (``stages``), and works
    out the flow's boxes once: what the rules excluded unseen by a person at the first stage was
    "marked as ineligible by automation tools" and is not among the records screened; the last
    stage's records are the reports assessed. A flow can also be given directly (a render case),
    without stages. Reason maps are reason code -> records.
    """

    identified_by_source: Mapping[str, int] = field(default_factory=dict)
    duplicates_removed: int = 0
    screened: int = (
        0  # records a person screened: after duplicates, less those marked by automation
    )
    excluded_title_abstract: Mapping[str, int] = field(default_factory=dict)  # by a person
    assessed_full_text: int = 0
    excluded_full_text: Mapping[str, int] = field(default_factory=dict)
    needs_person: int = 0
    included: int = 0  # reports; ``included_studies`` counts studies when some reports are linked
    included_direct: int | None = None
    included_related: int | None = None
    #: records the rules excluded at the first stage with no person's look (PRISMA 2020: "marked
    #: as ineligible by automation tools"); not in ``screened``
    automation_ineligible: Mapping[str, int] = field(default_factory=dict)
    passed_by_rules: int = (
        0  # of ``screened``: went on to full text by the rules, unseen by a person
    )
    excluded_full_text_by_rules: int = (
        0  # of the reports excluded: by the rules, unseen by a person
    )
    #: the rule audits (see :mod:`litreview.screen.audit`), one mapping per stage that has one
    rule_audits: tuple[Mapping[str, Any], ...] = ()
    #: reports sought for retrieval (records that reached full text), when the review keeps
    #: corpus/fulltext.yaml; None: no retrieval boxes are drawn
    sought_full_text: int | None = None
    not_retrieved: int = (
        0  # of the reports sought: marked not retrieved (not in assessed_full_text)
    )
    #: studies included, when some included reports are linked reports of one study (``included``
    #: then counts the reports, and ``included_direct``/``included_related`` the studies); None
    #: when every report is a study of its own
    included_studies: int | None = None
    #: each stage of the protocol as screened (empty for a flow given directly)
    stages: tuple[StageCounts, ...] = ()
    source_names: Mapping[str, str] = field(default_factory=dict)
    reasons: Mapping[str, str] = field(default_factory=dict)

    @property
    def identified_total(self) -> int:
        return sum(self.identified_by_source.values())

    @property
    def records(self) -> int:
        """Records after duplicates were removed: those screened and those marked by automation."""
        return self.screened + sum(self.automation_ineligible.values())

    @property
    def excluded_total(self) -> int:
        """Every record excluded, wherever and by whom: those marked by automation tools too
        (the figure that balances the records: excluded + waiting + not retrieved + included)."""
        if self.stages:
            return sum(s.excluded_total for s in self.stages)
        return (
            sum(self.automation_ineligible.values())
            + sum(self.excluded_title_abstract.values())
            + sum(self.excluded_full_text.values())
        )

    @property
    def balanced(self) -> bool:
        """Identified − duplicates = records, and records = excluded + waiting + not retrieved + included."""
        return (
            self.identified_total - self.duplicates_removed == self.records
            and self.records
            == self.excluded_total + self.needs_person + self.not_retrieved + self.included
        )

    def flow(self) -> dict[str, int]:
        """The numbers in the PRISMA 2020 flow's boxes, named as the rendered ``prisma.json``
        names them. Every output that gives them (``screen prisma`` and its ``--json``, ``run``,
        ``status``, ``prisma.json``, the diagram) takes them from here, so that none can say
        "screened" of another number: records screened are those left after duplicates and
        after those marked ineligible by automation tools (identification, before screening).
        """
        return {
            "automation_ineligible_total": sum(self.automation_ineligible.values()),
            "screened": self.screened,
            "passed_by_rules": self.passed_by_rules,
            "excluded_title_abstract_total": sum(self.excluded_title_abstract.values()),
            "needs_person": self.needs_person,
            "assessed_full_text": self.assessed_full_text,
            "excluded_full_text_total": sum(self.excluded_full_text.values()),
            "excluded_full_text_by_rules": self.excluded_full_text_by_rules,
            "included": self.included,
        }

    def as_dict(self) -> dict[str, Any]:
        """The flow's numbers (:meth:`flow`) and the counts stage by stage (``screen prisma
        --json``, ``run --json``, ``status --json``); the rendered ``prisma.json`` is the flow
        with reasons and the rule audits (:func:`litreview.report.render.prisma_dict`)."""

        return {
            "version": PRISMA_VERSION,
            "identified": [
                {"source": s, "name": self.source_names.get(s, s), "records": n}
                for s, n in self.identified_by_source.items()
            ],
            "identified_total": self.identified_total,
            "duplicates_removed": self.duplicates_removed,
            "records": self.records,
            **self.flow(),
            "automation_ineligible": by_reason(self.automation_ineligible, self.reasons),
            "excluded_title_abstract": by_reason(self.excluded_title_abstract, self.reasons),
            "excluded_full_text": by_reason(self.excluded_full_text, self.reasons),
            "stages": [s.as_dict(self.reasons) for s in self.stages],
            "excluded_total": self.excluded_total,
            "balanced": self.balanced,
            **(
                {}
                if self.sought_full_text is None
                else {
                    "reports_sought": self.sought_full_text,
                    "reports_not_retrieved": self.not_retrieved,
                }
            ),
        }


def provenance_counts(records: Sequence[Record]) -> tuple[dict[str, int], int]:
    """What PRISMA needs of the records themselves: records read per source (``(unknown)`` for
    a record without provenance), and duplicates removed: records absorbed into others, each
    record's provenance count minus one.
    Kept apart so a command that has them cached need not load 100k records to count."""
    return counts_of_sources(tuple(p.source for p in r.provenance) for r in records)


def counts_of_sources(sources: Iterable[Sequence[str]]) -> tuple[dict[str, int], int]:
    """:func:`provenance_counts` from each record's provenance sources alone (the corpus cache
    holds them without the records being built)."""
    found: Counter[str] = Counter()
    removed = 0
    for each in sources:
        for source in each:
            found[source] += 1
        if not each:
            found["(unknown)"] += 1
        removed += max(len(each) - 1, 0)
    return dict(found), removed


def prisma_counts(
    records: Sequence[Record],
    result: ScreeningResult,
    protocol: Protocol,
    duplicates_removed: int | None = None,
    not_retrieved: Set[str] | None = None,
    counted: tuple[Mapping[str, int], int] | None = None,
) -> PrismaCounts:
    """PRISMA counts for screened ``records``; duplicates default to those :func:`provenance_counts`
    finds.

    ``not_retrieved`` (the keys corpus/fulltext.yaml marks so; None when the review keeps no such
    file) are taken out of the full-text stage's exclusions and waiting records and counted as
    reports not retrieved, except one included (an error ``check`` reports), which stays included.
    ``counted``: :func:`provenance_counts` of ``records``, when known (``records`` is then unused).
    """
    ft_stage = (
        protocol.stages[-1].id if not_retrieved is not None and len(protocol.stages) > 1 else None
    )
    unretrieved = not_retrieved or frozenset()
    gone: set[str] = set()
    per_source, dups_read = counted if counted is not None else provenance_counts(records)
    found: Counter[str] = Counter(per_source)
    identified = {s.id: found.pop(s.id, 0) for s in protocol.sources}
    identified.update(sorted(found.items()))
    reason_order = {code: i for i, code in enumerate(protocol.reasons)}

    def ordered(counts: Mapping[str, int]) -> dict[str, int]:
        return dict(
            sorted(
                counts.items(),
                key=lambda kv: (reason_order.get(kv[0], len(reason_order)), kv[0]),
            )
        )

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
        excluded = ordered(here)
        if stage.id == ft_stage:
            stages.append(
                StageCounts(
                    stage.id,
                    stage.label,
                    len(reached_all),
                    excluded,
                    waiting,
                    len(reached) - sum(excluded.values()) - waiting,
                    ordered(by_rules),
                    passed_by_rules,
                    len(gone),
                )
            )
            continue
        stages.append(
            StageCounts(
                stage.id,
                stage.label,
                len(reached),
                excluded,
                waiting,
                len(reached) - sum(excluded.values()) - waiting,
                ordered(by_rules),
                passed_by_rules,
            )
        )
    dups = dups_read if duplicates_removed is None else duplicates_removed
    first, last = stages[0] if stages else None, stages[-1] if len(stages) > 1 else None
    automation = dict(first.excluded_by_rules) if first else {}
    excluded_ta = (
        {
            code: n - automation.get(code, 0)
            for code, n in first.excluded.items()
            if n - automation.get(code, 0)
        }
        if first
        else {}
    )
    # a stage between the first and the last (a title, then an abstract, then a full-text
    # screen) is still screening of records, before any report is sought: PRISMA's "records
    # excluded" box holds its exclusions, whoever made them, or the flow would not add up
    for middle in stages[1:-1]:
        excluded_ta = ordered(Counter(excluded_ta) + Counter(middle.excluded))
    # a report waiting for a person's full-text decision has not been assessed yet: it is counted
    # once, as awaiting, so screened − excluded − awaiting = assessed holds at every stage; with
    # corpus/fulltext.yaml only the retrieved reports can be assessed
    assessed = last.reached - last.needs_person - (last.not_retrieved or 0) if last else 0
    return PrismaCounts(
        identified_by_source=identified,
        duplicates_removed=dups,
        screened=len(result.records) - sum(automation.values()),
        excluded_title_abstract=excluded_ta,
        assessed_full_text=assessed,
        excluded_full_text=dict(last.excluded) if last else {},
        needs_person=sum(
            1 for r in result.records if r.outcome == NEEDS_PERSON and r.key not in gone
        ),
        included=sum(1 for r in result.records if r.outcome == INCLUDED),
        automation_ineligible=automation,
        passed_by_rules=first.passed_by_rules if first and last else 0,
        excluded_full_text_by_rules=sum(last.excluded_by_rules.values()) if last else 0,
        sought_full_text=last.reached if last and last.not_retrieved is not None else None,
        not_retrieved=(last.not_retrieved or 0) if last else 0,
        stages=tuple(stages),
        source_names={s.id: s.name for s in protocol.sources},
        reasons=dict(protocol.reasons),
    )
