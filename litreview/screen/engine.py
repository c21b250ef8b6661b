"""Screening: the protocol's criteria as rules with evidence, stages, and people's decisions on top.

Per record and criterion the rules say *met*, *not met* or *unclear*, with the field and the
phrase that decided it. Per stage (in protocol order): a person's decision wins; otherwise the
first clearly unmet criterion excludes with its reason, all met passes the record on (unless the
stage requires a person), and anything else leaves it to a person. A record excluded at one stage
never reaches the next.

Everything here is pure: records, protocol and decisions in, a :class:`ScreeningResult` out. The
criteria's rules are in :mod:`litreview.screen.criteria`; one decisions file is read and written by
:mod:`litreview.screen.decisions`, all of them by :mod:`litreview.screen.reviewers`; conflicts and
agreement between reviewers are :mod:`litreview.screen.agreement`.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from litreview.files.bulk import paused_gc
from litreview.model import Location, Problem, Record, Severity
from litreview.outcomes import Choice, Outcome, Settled, StageOutcome
from litreview.progress import Progress, track
from litreview.project import Project
from litreview.protocol import Protocol
from litreview.screen.criteria import (
    MET,
    NOT_MET,
    CriterionResult,
    _Texts,
    compile_criteria,
    scanner_for,
)

if TYPE_CHECKING:
    from litreview.corpus.store import RowRecord

# the words, defined once in litreview.outcomes; these names stay for the modules that use them
INCLUDE, EXCLUDE, NEEDS_PERSON = (
    StageOutcome.INCLUDE,
    StageOutcome.EXCLUDE,
    StageOutcome.NEEDS_PERSON,
)
MAYBE = Choice.MAYBE
DECISION_VALUES = tuple(Choice)
INCLUDED, EXCLUDED = Outcome.INCLUDED, Outcome.EXCLUDED
OUTCOMES = (Outcome.INCLUDED, Outcome.EXCLUDED, Outcome.NEEDS_PERSON)
#: 2: the records that reached each stage are ``reached`` (they were ``screened``, which PRISMA
#: uses for another number: see :meth:`litreview.report.prisma.PrismaCounts.flow`)
RESULT_VERSION = 2


# --- results ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Decision:
    """One person's decision on one record at one stage, as written in their decisions file (``corpus/screening/ID.yaml``)."""

    key: str
    stage: str
    decision: str  # include | exclude | maybe
    reviewer: str
    date: str = ""
    reason: str | None = None
    note: str = ""
    line: int | None = None
    #: the file it was read from, as shown in messages (empty for a decision made in code)
    path: str = field(default="", compare=False)
    #: the key as written, when a dedupe merge absorbed that record: ``key`` is then the survivor
    alias: str | None = field(default=None, compare=False)
    #: a resolution (``screen resolve``): it settles a conflict at its stage, whatever the others said
    resolves: bool = False
    #: the title of the record it was made on, shortened (:mod:`litreview.corpus.madeon`); written
    #: by every command that writes a decision, "" in a file written before titles were kept
    title: str = field(default="", compare=False)

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"key": self.key}
        if self.title:
            out["title"] = self.title
        out.update(stage=self.stage, decision=self.decision)
        if self.reason:
            out["reason"] = self.reason
        out["reviewer"] = self.reviewer
        if self.date:
            out["date"] = self.date
        if self.note:
            out["note"] = self.note
        if self.resolves:
            out["resolves"] = True
        if self.alias:
            out["written_as"] = self.alias
        return out

    def counts_as(self, last: bool) -> str:
        """The vote this decision casts: a maybe counts as an include at a stage with a later one
        (the record goes on to be looked at again) and stays a maybe at the ``last``."""
        return INCLUDE if self.decision == MAYBE and not last else self.decision

    def as_item(self) -> dict[str, Any]:
        """The item as stored in the decisions file: the key as the person wrote it."""
        out = self.as_dict()
        out.pop("written_as", None)
        if self.alias:
            out["key"] = self.alias
        return out


@dataclass(frozen=True)
class Override:
    """People's decision at a stage: who, when, why, and what the rules had said.

    ``reviewers``, ``dates`` and ``notes`` are everyone's who decided the record there, whatever
    each said; ``votes`` keeps each one's own decision (and resolutions), so that an audit trail
    can say who said what and ``settled_by`` how the outcome came out of them.
    """

    stage: str
    decision: str
    reason: str | None
    reviewers: tuple[str, ...]
    dates: tuple[str, ...]
    notes: tuple[str, ...]
    rule_outcome: str
    rule_reason: str | None
    #: every decision at this stage, votes then resolutions, each as its reviewer made it
    votes: tuple[Decision, ...] = ()
    #: how ``votes`` gave ``decision``
    settled_by: str = Settled.UNANIMOUS

    @property
    def contradicts_rules(self) -> bool:
        """True when the rules had decided otherwise (not merely left the record to a person)."""
        if self.rule_outcome == NEEDS_PERSON:
            return False
        return self.rule_outcome != self.decision or (
            self.decision == EXCLUDE and self.rule_reason != self.reason
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "stage": self.stage,
            "decision": self.decision,
            "reason": self.reason,
            "reviewers": list(self.reviewers),
            "dates": list(self.dates),
            "notes": list(self.notes),
            "rule_outcome": self.rule_outcome,
            "rule_reason": self.rule_reason,
            "contradicts_rules": self.contradicts_rules,
            "settled_by": self.settled_by,
            "votes": [d.as_dict() for d in self.votes],
        }


@dataclass(frozen=True)
class StageResult:
    stage: str
    rule_outcome: str  # include | exclude | needs-person
    rule_reason: str | None
    outcome: str  # include | exclude | needs-person
    reason: str | None
    override: Override | None = None
    conflict: bool = False  # people disagree at this stage and nobody has settled it

    def as_dict(self) -> dict[str, Any]:
        return {
            "stage": self.stage,
            "rule_outcome": self.rule_outcome,
            "rule_reason": self.rule_reason,
            "outcome": self.outcome,
            "reason": self.reason,
            "conflict": self.conflict,
            "override": self.override.as_dict() if self.override else None,
        }


@dataclass(frozen=True)
class RecordScreening:
    key: str
    outcome: str  # included | excluded | needs-person
    stage: (
        str  # where it was excluded, where it waits for a person, or the last stage when included
    )
    reason: str | None  # the reason code when excluded
    criteria: tuple[CriterionResult, ...]  # every criterion of every stage, in protocol order
    stages: tuple[StageResult, ...]  # the stages the record reached
    overrides: tuple[Override, ...] = ()

    def criterion(self, criterion_id: str) -> CriterionResult:
        return next(c for c in self.criteria if c.criterion == criterion_id)

    def as_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "outcome": self.outcome,
            "stage": self.stage,
            "reason": self.reason,
            "criteria": [c.as_dict() for c in self.criteria],
            "stages": [s.as_dict() for s in self.stages],
            "overrides": [o.as_dict() for o in self.overrides],
        }


@dataclass(frozen=True)
class ScreeningResult:
    records: tuple[RecordScreening, ...]
    stages: tuple[str, ...]
    problems: tuple[Problem, ...] = ()

    def by_key(self) -> dict[str, RecordScreening]:
        return {r.key: r for r in self.records}

    def with_outcome(self, outcome: str) -> list[RecordScreening]:
        return [r for r in self.records if r.outcome == outcome]

    @property
    def included(self) -> list[RecordScreening]:
        return self.with_outcome(INCLUDED)

    def excluded_where(self) -> dict[str, str]:
        """Each excluded record's key -> where and why, in words (``at full-text: off-topic``):
        what a warning about a person's entry for an excluded study says."""
        return {
            r.key: f"at {r.stage}" + (f": {r.reason}" if r.reason else "")
            for r in self.with_outcome(EXCLUDED)
        }

    def counts(self) -> dict[str, Any]:
        """Records per outcome; excluded and waiting records per stage (and reason)."""
        outcomes = Counter(r.outcome for r in self.records)
        excluded: dict[str, dict[str, int]] = {s: {} for s in self.stages}
        waiting: dict[str, int] = dict.fromkeys(self.stages, 0)
        reached: dict[str, int] = dict.fromkeys(self.stages, 0)
        by_rules: dict[str, int] = dict.fromkeys(self.stages, 0)
        passed_by_rules: dict[str, int] = dict.fromkeys(self.stages, 0)
        for r in self.records:
            for s in r.stages:
                reached[s.stage] = reached.get(s.stage, 0) + 1
                if s.override is None and not s.conflict:
                    if s.outcome == EXCLUDE:
                        by_rules[s.stage] = by_rules.get(s.stage, 0) + 1
                    elif s.outcome == INCLUDE:
                        passed_by_rules[s.stage] = passed_by_rules.get(s.stage, 0) + 1
            if r.outcome == EXCLUDED:
                per = excluded.setdefault(r.stage, {})
                code = r.reason or "(no reason)"
                per[code] = per.get(code, 0) + 1
            elif r.outcome == NEEDS_PERSON:
                waiting[r.stage] = waiting.get(r.stage, 0) + 1
        return {
            "records": len(self.records),
            "outcomes": {o: outcomes.get(o, 0) for o in OUTCOMES},
            "reached": reached,
            "excluded": {s: dict(sorted(v.items())) for s, v in excluded.items()},
            "needs_person": waiting,
            "excluded_by_rules": by_rules,
            "passed_by_rules": passed_by_rules,
            "overrides": sum(1 for r in self.records for o in r.overrides if o.contradicts_rules),
            "decided_by_people": sum(1 for r in self.records if r.overrides),
            "conflicts": sum(1 for r in self.records if any(s.conflict for s in r.stages)),
        }

    def as_dict(self, records: bool = True) -> dict[str, Any]:
        out: dict[str, Any] = {"version": RESULT_VERSION, **self.counts()}
        if records:
            out["results"] = [
                {
                    "key": r.key,
                    "outcome": r.outcome,
                    "stage": r.stage,
                    "reason": r.reason,
                    "overridden": any(o.contradicts_rules for o in r.overrides),
                }
                for r in self.records
            ]
        out["problems"] = [p.as_dict() for p in self.problems]
        return out


# --- people's decisions on top ------------------------------------------------------------------


@dataclass(frozen=True)
class _Resolved:
    decision: str | None  # include | exclude | None when unsettled
    reason: str | None
    decisions: tuple[Decision, ...]
    #: people disagree (or a "maybe" at the last stage) and nobody has settled it; False when the
    #: record merely waits for more reviewers (``reviewers:`` of the stage)
    conflict: bool = True
    #: how a settled decision came about (empty when unsettled)
    settled_by: str = ""


def resolve(
    decisions: Sequence[Decision],
    reasons_order: Sequence[str] = (),
    needed: int = 1,
    last: bool = False,
) -> _Resolved:
    """The decision of the people who screened one record at one stage.

    A resolution (:attr:`Decision.resolves`) wins over the others' votes (several resolutions
    must agree). Otherwise the stage needs ``needed`` different reviewers; then unanimous → that
    decision, disagreement → the majority when there is one (a further reviewer settles a tie),
    else a conflict. "maybe" counts as include at a stage with a later one and settles nothing at
    the ``last``. The reason of an exclusion is the one most reviewers gave; ties go to the
    reason first in protocol order.
    """
    resolutions = [d for d in decisions if d.resolves]
    counted = resolutions or [d for d in decisions if not d.resolves]
    if not resolutions and len({d.reviewer for d in counted}) < needed:
        return _Resolved(None, None, tuple(decisions), conflict=False)
    votes = Counter(d.counts_as(last) for d in counted)
    ranked = votes.most_common()
    if not ranked or (len(ranked) > 1 and ranked[0][1] == ranked[1][1]) or ranked[0][0] == MAYBE:
        return _Resolved(None, None, tuple(decisions))
    decision = ranked[0][0]
    decisions = counted
    reason = None
    if decision == EXCLUDE:
        order = {code: i for i, code in enumerate(reasons_order)}
        rc = Counter(d.reason for d in decisions if d.decision == EXCLUDE and d.reason)
        if rc:
            reason = min(rc, key=lambda code: (-rc[code], order.get(code, len(order)), code))
    how = (
        Settled.RESOLUTION
        if resolutions
        else Settled.UNANIMOUS
        if len(ranked) == 1
        else Settled.MAJORITY
    )
    return _Resolved(decision, reason, tuple(decisions), settled_by=how)


def _agree(decisions: Sequence[Decision], rule_outcome: str, last: bool) -> bool:
    """Whether people's (too few) decisions all say what the rules settled (include or exclude)."""
    if rule_outcome == NEEDS_PERSON:
        return False
    return all(d.counts_as(last) == rule_outcome for d in decisions)


def _rule_outcome(
    results: Sequence[CriterionResult], requires_person: bool
) -> tuple[str, str | None]:
    for r in results:
        if r.status == NOT_MET:
            return EXCLUDE, r.reason
    if all(r.status == MET for r in results) and not requires_person:
        return INCLUDE, None
    return NEEDS_PERSON, None


def screen_records(
    records: Iterable[Record],
    protocol: Protocol,
    decisions: Iterable[Decision] = (),
    progress: Progress | None = None,
) -> ScreeningResult:
    """Screen every record: rules per criterion, stages in order, people's decisions on top. Pure."""
    records = list(records)
    return apply_decisions(
        [r.key for r in records], rule_results(records, protocol, progress), protocol, decisions
    )


def rule_results(
    records: Iterable[Record], protocol: Protocol, progress: Progress | None = None
) -> tuple[tuple[CriterionResult, ...], ...]:
    """Every criterion's verdict on every record, in the records' order: the costly half of
    screening, which depends only on the records and the protocol. Cached on its own, so a
    person's decision (the other half) does not make 100k records be read and matched again."""
    records = records if isinstance(records, Sequence) else list(records)
    return rule_results_known(
        len(records), lambda a, b: records[a:b], protocol, None, None, progress
    )[0]


#: how many records this process's rule screening evaluated rather than took from the memo of
#: an earlier run (the tests read it)
EVALUATED = 0


def fingerprint(row: tuple[Any, ...]) -> bytes:
    """A record's identity for the rules' memo: a digest of every value of its cache row, so
    equal records, and only equal records, share it (marshal's version 0 writes equal values as
    equal bytes whatever objects hold them)."""
    import hashlib
    import marshal

    return hashlib.blake2b(marshal.dumps(row, 0), digest_size=16).digest()


def rule_results_known(
    count: int,
    records_in: Callable[[int, int], Sequence[Record]],
    protocol: Protocol,
    known: Mapping[bytes, tuple[CriterionResult, ...]] | None,
    rows_in: Callable[[int, int], Sequence[tuple[Any, ...]]] | None = None,
    progress: Progress | None = None,
) -> tuple[tuple[tuple[CriterionResult, ...], ...], tuple[bytes, ...]]:
    """:func:`rule_results` of ``count`` records that ``records_in(start, stop)`` builds a slice
    of at a time, so each worker builds only the records it screens; and each record's
    :func:`fingerprint` when ``known`` is given (else none). A record an earlier run screened
    under the same protocol and code takes its verdicts from ``known``: after a dedupe rewrote
    15 % of 100k records, only those are matched again. ``rows_in(start, stop)``: the records'
    cache rows, when the caller has them."""
    from litreview.corpus.store import RowRecord, _row
    from litreview.workers import split_map, worker_count

    with paused_gc():  # millions of small acyclic results: the cycle collector only slows it (~40%)
        compiled = compile_criteria(protocol)
        scanner = scanner_for(compiled)
        workers = worker_count(count)
        shown = progress if workers == 1 else None  # a forked worker must not draw a bar

        def part(start: int, stop: int) -> list[tuple[bytes, tuple[CriterionResult, ...], bool]]:
            records: Sequence[Record | RowRecord]
            rows: Sequence[tuple[Any, ...] | None]
            if rows_in is not None:
                # the rules read the cache's rows as they are: the records are never built
                have = rows_in(start, stop)
                records = [RowRecord(row) for row in have]
                rows = [None] * len(have) if known is None else have
            else:
                records = records_in(start, stop)
                rows = [None] * len(records) if known is None else [_row(r) for r in records]
            out = []
            for record, row in zip(track(records, shown, "screen"), rows, strict=True):
                print_ = b"" if row is None else fingerprint(row)
                found = known.get(print_) if known is not None else None
                new = found is None
                if found is None:
                    texts = _Texts(record, scanner)
                    found = tuple([c.evaluate(texts) for c in compiled])
                out.append((print_, found, new))
            return out

        made = split_map(part, count, workers=workers)
    global EVALUATED
    EVALUATED += sum(1 for _p, _r, new in made if new)
    prints = () if known is None else tuple(p for p, _r, _n in made)
    return tuple(r for _p, r, _n in made), prints


def apply_decisions(
    keys: Sequence[str],
    results: Sequence[tuple[CriterionResult, ...]],
    protocol: Protocol,
    decisions: Iterable[Decision] = (),
) -> ScreeningResult:
    """Stages in order and people's decisions on top of the rules' verdicts (:func:`rule_results`
    of the records whose ``keys`` are given, in that order). Pure."""
    with paused_gc():
        return _screen_records(keys, results, protocol, decisions)


def _screen_records(
    keys: Sequence[str],
    all_results: Sequence[tuple[CriterionResult, ...]],
    protocol: Protocol,
    decisions: Iterable[Decision],
) -> ScreeningResult:
    plan = [
        (
            s.id,
            tuple(i for i, c in enumerate(protocol.criteria) if c.stage == s.id),
            s.requires_person,
        )
        for s in protocol.stages
    ]
    people: dict[tuple[str, str], list[Decision]] = defaultdict(list)
    for d in decisions:
        people[(d.key, d.stage)].append(d)
    decided = {key for key, _ in people}
    needed = {s.id: s.reviewers for s in protocol.stages}
    reasons_order = tuple(protocol.reasons)
    last = protocol.stages[-1].id if protocol.stages else ""
    # a stage the rules alone settled is the same value for every record that got there
    by_rules: dict[tuple[str, str, str | None], StageResult] = {}
    out: list[RecordScreening] = []
    problems: list[Problem] = []
    for key, results in zip(keys, all_results, strict=True):
        stages: list[StageResult] = []
        overrides: list[Override] = []
        outcome, where, why = INCLUDED, last, None
        mine_any = key in decided
        for sid, indexes, requires_person in plan:
            rule_outcome, rule_reason = _rule_outcome(
                [results[i] for i in indexes], requires_person
            )
            mine = people.get((key, sid)) if mine_any else None
            if mine:
                final, reason, override, conflict = rule_outcome, rule_reason, None, False
                resolved = resolve(mine, reasons_order, needed[sid], sid == last)
                if (
                    resolved.decision is None
                    and not resolved.conflict
                    and _agree(mine, rule_outcome, sid == last)
                ):
                    pass  # fewer reviewers than the stage needs, but all agree with what the rules settled
                elif resolved.decision is None:
                    final, reason, conflict = NEEDS_PERSON, None, resolved.conflict
                else:
                    final, reason = resolved.decision, resolved.reason
                    override = Override(
                        sid,
                        resolved.decision,
                        resolved.reason,
                        tuple(d.reviewer for d in mine),
                        tuple(d.date for d in mine),
                        tuple(d.note for d in mine if d.note),
                        rule_outcome,
                        rule_reason,
                        tuple(sorted(mine, key=lambda d: (d.resolves, d.reviewer))),
                        resolved.settled_by,
                    )
                    overrides.append(override)
                stage_result = StageResult(
                    sid, rule_outcome, rule_reason, final, reason, override, conflict
                )
            else:
                final, reason = rule_outcome, rule_reason
                held = by_rules.get((sid, rule_outcome, rule_reason))
                if held is None:
                    held = by_rules[(sid, rule_outcome, rule_reason)] = StageResult(
                        sid, rule_outcome, rule_reason, rule_outcome, rule_reason
                    )
                stage_result = held
            stages.append(stage_result)
            if final == EXCLUDE:
                outcome, where, why = EXCLUDED, sid, reason
                break
            if final == NEEDS_PERSON:
                outcome, where, why = Outcome.NEEDS_PERSON, sid, None
                break
        if mine_any:
            problems.extend(_unreached(key, protocol, stages, people, outcome, where))
        out.append(
            RecordScreening(key, outcome, where, why, results, tuple(stages), tuple(overrides))
        )
    return ScreeningResult(tuple(out), protocol.stage_ids, tuple(problems))


def _unreached(
    key: str,
    protocol: Protocol,
    stages: Sequence[StageResult],
    people: Mapping[tuple[str, str], Sequence[Decision]],
    outcome: str,
    where: str,
) -> list[Problem]:
    """A warning for each decision at a stage the record never reached (it does not count)."""
    reached = {s.stage for s in stages}
    out = []
    for stage in protocol.stages:
        if stage.id not in reached:
            for d in people.get((key, stage.id), ()):
                out.append(
                    Problem(
                        Location(d.path or _decisions_display(), d.line, d.alias or d.key),
                        f"{d.reviewer}'s {stage.id} decision on {d.key} does not count: the record "
                        f"{'was excluded' if outcome == EXCLUDED else 'is waiting'} at {where}",
                        Severity.WARNING,
                        "decision-unreached",
                    )
                )
    return out


def _decisions_display() -> str:
    """Where a project keeps people's decisions, as messages show it (for decisions made in code)."""
    project = Project(Path("."))
    return project.rel(project.screening)
