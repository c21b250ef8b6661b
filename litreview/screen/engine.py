"""Screening: the protocol's criteria as rules with evidence, stages, and people's decisions on top.

Per record and criterion the rules say *met*, *not met* or *unclear*, with the field and the
phrase that decided it. Per stage (in protocol order): a person's decision wins; otherwise the
first clearly unmet criterion excludes with its reason, all met passes the record on (unless the
stage requires a person), and anything else leaves it to a person. A record excluded at one stage
never reaches the next.

Everything here is pure: records, protocol and decisions in, a :class:`ScreeningResult` out.
Reading one decisions file is at the end of the module; :mod:`litreview.screen.reviewers` reads them all
(``corpus/screening.yaml`` and each reviewer's ``corpus/screening/ID.yaml``) and writes them.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections import Counter, defaultdict
from collections.abc import Container, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from litreview.files.bulk import paused_gc
from litreview.files.schema import FileSchema, check_header, list_at
from litreview.files.yamlio import MISSING, dump_yaml, line_of, load_optional_yaml, suggest
from litreview.model import Location, Problem, Record, Severity
from litreview.outcomes import Choice, Outcome, StageOutcome
from litreview.progress import Progress, track
from litreview.project import Project
from litreview.protocol import Protocol
from litreview.review import Review
from litreview.screen.criteria import (
    MET,
    NOT_MET,
    CriterionResult,
    _Texts,
    compile_criteria,
    scanner_for,
)

# the words, defined once in litreview.outcomes; these names stay for the modules that use them
INCLUDE, EXCLUDE, NEEDS_PERSON = StageOutcome.INCLUDE, StageOutcome.EXCLUDE, StageOutcome.NEEDS_PERSON
MAYBE = Choice.MAYBE
DECISION_VALUES = tuple(Choice)
INCLUDED, EXCLUDED = Outcome.INCLUDED, Outcome.EXCLUDED
OUTCOMES = (Outcome.INCLUDED, Outcome.EXCLUDED, Outcome.NEEDS_PERSON)
RESULT_VERSION = 1


# --- results ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Decision:
    """One person's decision on one record at one stage, as written in ``corpus/screening.yaml``."""

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

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"key": self.key, "stage": self.stage, "decision": self.decision}
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

    def as_item(self) -> dict[str, Any]:
        """The item as stored in the decisions file: the key as the person wrote it."""
        out = self.as_dict()
        out.pop("written_as", None)
        if self.alias:
            out["key"] = self.alias
        return out


@dataclass(frozen=True)
class Override:
    """People's decision at a stage: who, when, why, and what the rules had said."""

    stage: str
    decision: str
    reason: str | None
    reviewers: tuple[str, ...]
    dates: tuple[str, ...]
    notes: tuple[str, ...]
    rule_outcome: str
    rule_reason: str | None

    @property
    def contradicts_rules(self) -> bool:
        """True when the rules had decided otherwise (not merely left the record to a person)."""
        if self.rule_outcome == NEEDS_PERSON:
            return False
        return self.rule_outcome != self.decision or (self.decision == EXCLUDE and self.rule_reason != self.reason)

    def as_dict(self) -> dict[str, Any]:
        return {"stage": self.stage, "decision": self.decision, "reason": self.reason,
                "reviewers": list(self.reviewers), "dates": list(self.dates), "notes": list(self.notes),
                "rule_outcome": self.rule_outcome, "rule_reason": self.rule_reason,
                "contradicts_rules": self.contradicts_rules}


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
        return {"stage": self.stage, "rule_outcome": self.rule_outcome, "rule_reason": self.rule_reason,
                "outcome": self.outcome, "reason": self.reason, "conflict": self.conflict,
                "override": self.override.as_dict() if self.override else None}


@dataclass(frozen=True)
class RecordScreening:
    key: str
    outcome: str  # included | excluded | needs-person
    stage: str  # where it was excluded, where it waits for a person, or the last stage when included
    reason: str | None  # the reason code when excluded
    criteria: tuple[CriterionResult, ...]  # every criterion of every stage, in protocol order
    stages: tuple[StageResult, ...]  # the stages the record reached
    overrides: tuple[Override, ...] = ()

    def criterion(self, criterion_id: str) -> CriterionResult:
        return next(c for c in self.criteria if c.criterion == criterion_id)

    def as_dict(self) -> dict[str, Any]:
        return {"key": self.key, "outcome": self.outcome, "stage": self.stage, "reason": self.reason,
                "criteria": [c.as_dict() for c in self.criteria],
                "stages": [s.as_dict() for s in self.stages],
                "overrides": [o.as_dict() for o in self.overrides]}


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
            "screened": reached,
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
            out["results"] = [{"key": r.key, "outcome": r.outcome, "stage": r.stage, "reason": r.reason,
                               "overridden": any(o.contradicts_rules for o in r.overrides)}
                              for r in self.records]
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


def resolve(decisions: Sequence[Decision], reasons_order: Sequence[str] = (), needed: int = 1,
            last: bool = False) -> _Resolved:
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
    votes = Counter(INCLUDE if d.decision == MAYBE and not last else d.decision for d in counted)
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
    return _Resolved(decision, reason, tuple(decisions))


def _agree(decisions: Sequence[Decision], rule_outcome: str, last: bool) -> bool:
    """Whether people's (too few) decisions all say what the rules settled (include or exclude)."""
    if rule_outcome == NEEDS_PERSON:
        return False
    return all((INCLUDE if d.decision == MAYBE and not last else d.decision) == rule_outcome for d in decisions)


def _rule_outcome(results: Sequence[CriterionResult], requires_person: bool) -> tuple[str, str | None]:
    for r in results:
        if r.status == NOT_MET:
            return EXCLUDE, r.reason
    if all(r.status == MET for r in results) and not requires_person:
        return INCLUDE, None
    return NEEDS_PERSON, None


def screen_records(records: Iterable[Record], protocol: Protocol,
                   decisions: Iterable[Decision] = (), progress: Progress | None = None) -> ScreeningResult:
    """Screen every record: rules per criterion, stages in order, people's decisions on top. Pure."""
    records = list(records)
    return apply_decisions([r.key for r in records], rule_results(records, protocol, progress), protocol, decisions)


def rule_results(records: Iterable[Record], protocol: Protocol,
                 progress: Progress | None = None) -> tuple[tuple[CriterionResult, ...], ...]:
    """Every criterion's verdict on every record, in the records' order: the costly half of
    screening, which depends only on the records and the protocol. Cached on its own, so a
    person's decision (the other half) does not make 100k records be read and matched again."""
    with paused_gc():  # millions of small acyclic results: the cycle collector only slows it (~40%)
        compiled = compile_criteria(protocol)
        scanner = scanner_for(compiled)
        out = []
        for record in track(records, progress, "screen"):
            texts = _Texts(record, scanner)
            out.append(tuple([c.evaluate(texts) for c in compiled]))
        return tuple(out)


def apply_decisions(keys: Sequence[str], results: Sequence[tuple[CriterionResult, ...]], protocol: Protocol,
                    decisions: Iterable[Decision] = ()) -> ScreeningResult:
    """Stages in order and people's decisions on top of the rules' verdicts (:func:`rule_results`
    of the records whose ``keys`` are given, in that order). Pure."""
    with paused_gc():
        return _screen_records(keys, results, protocol, decisions)


def _screen_records(keys: Sequence[str], all_results: Sequence[tuple[CriterionResult, ...]], protocol: Protocol,
                    decisions: Iterable[Decision]) -> ScreeningResult:
    plan = [(s.id, tuple(i for i, c in enumerate(protocol.criteria) if c.stage == s.id), s.requires_person)
            for s in protocol.stages]
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
            rule_outcome, rule_reason = _rule_outcome([results[i] for i in indexes], requires_person)
            mine = people.get((key, sid)) if mine_any else None
            if mine:
                final, reason, override, conflict = rule_outcome, rule_reason, None, False
                resolved = resolve(mine, reasons_order, needed[sid], sid == last)
                if resolved.decision is None and not resolved.conflict and _agree(mine, rule_outcome, sid == last):
                    pass  # fewer reviewers than the stage needs, but all agree with what the rules settled
                elif resolved.decision is None:
                    final, reason, conflict = NEEDS_PERSON, None, resolved.conflict
                else:
                    final, reason = resolved.decision, resolved.reason
                    override = Override(sid, resolved.decision, resolved.reason,
                                        tuple(d.reviewer for d in mine), tuple(d.date for d in mine),
                                        tuple(d.note for d in mine if d.note), rule_outcome, rule_reason)
                    overrides.append(override)
                stage_result = StageResult(sid, rule_outcome, rule_reason, final, reason, override, conflict)
            else:
                final, reason = rule_outcome, rule_reason
                held = by_rules.get((sid, rule_outcome, rule_reason))
                if held is None:
                    held = by_rules[(sid, rule_outcome, rule_reason)] = StageResult(
                        sid, rule_outcome, rule_reason, rule_outcome, rule_reason)
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
        out.append(RecordScreening(key, outcome, where, why, results, tuple(stages), tuple(overrides)))
    return ScreeningResult(tuple(out), protocol.stage_ids, tuple(problems))


def _unreached(key: str, protocol: Protocol, stages: Sequence[StageResult],
               people: Mapping[tuple[str, str], Sequence[Decision]], outcome: str, where: str) -> list[Problem]:
    """A warning for each decision at a stage the record never reached (it does not count)."""
    reached = {s.stage for s in stages}
    out = []
    for stage in protocol.stages:
        if stage.id not in reached:
            for d in people.get((key, stage.id), ()):
                out.append(Problem(
                    Location(d.path or _decisions_display(), d.line, d.alias or d.key),
                    f"{d.reviewer}'s {stage.id} decision on {d.key} does not count: the record "
                    f"{'was excluded' if outcome == EXCLUDED else 'is waiting'} at {where}",
                    Severity.WARNING, "decision-unreached"))
    return out


def _decisions_display() -> str:
    """Where a project keeps people's decisions, as messages show it (for decisions made in code)."""
    project = Project(Path("."))
    return project.rel(project.screening)


# --- dual screening: conflicts and agreement ----------------------------------------------------

@dataclass(frozen=True)
class Conflict:
    key: str
    stage: str
    kind: str  # "decision": include v exclude (or maybe); "reason": all exclude, for different reasons
    decisions: tuple[Decision, ...]
    resolved: bool  # a majority or a resolution (``screen resolve``) has settled it

    def as_dict(self) -> dict[str, Any]:
        return {"key": self.key, "stage": self.stage, "kind": self.kind, "resolved": self.resolved,
                "decisions": [d.as_dict() for d in self.decisions]}


def find_conflicts(decisions: Iterable[Decision], protocol: Protocol) -> list[Conflict]:
    """Records where reviewers disagree at a stage, in stage then key order."""
    groups: dict[tuple[str, str], list[Decision]] = defaultdict(list)
    for d in decisions:
        groups[(d.stage, d.key)].append(d)
    order = {s: i for i, s in enumerate(protocol.stage_ids)}
    needed = {s.id: s.reviewers for s in protocol.stages}
    last = protocol.stage_ids[-1] if protocol.stage_ids else ""
    out = []
    for (stage, key), ds in sorted(groups.items(), key=lambda kv: (order.get(kv[0][0], 99), kv[0][1])):
        votes = [d for d in ds if not d.resolves]
        kinds = {d.decision for d in votes}
        resolution = any(d.resolves for d in ds)
        if len(kinds) > 1 or (MAYBE in kinds and stage == last):
            settled = resolve(ds, (), needed.get(stage, 1), stage == last).decision is not None
            out.append(Conflict(key, stage, "decision", tuple(ds), settled))
        elif kinds == {EXCLUDE} and len({d.reason for d in votes}) > 1:
            out.append(Conflict(key, stage, "reason", tuple(ds), resolution))
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
        return {"stage": self.stage, "reviewers": list(self.reviewers), "records": self.records,
                "agreed": self.agreed, "percent": None if self.percent is None else round(self.percent, 2),
                "kappa": None if self.kappa is None else round(self.kappa, 4),
                "pabak": None if self.pabak is None else round(self.pabak, 4), "table": dict(self.table)}


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
                out.append(Agreement(stage, (a, b), len(pairs), sum(1 for x, y in pairs if x == y),
                                     cohen_kappa(pairs), dict(sorted(table.items())), pabak(pairs)))
    return out


# --- corpus/screening.yaml ----------------------------------------------------------------------

DECISIONS_VERSION = 1
_DECISIONS_SCHEMA = FileSchema("the decisions file", ("version", "decisions"), DECISIONS_VERSION,
                               "the decisions file must be a mapping with 'version' and 'decisions'")
_ITEM_KEYS = ("key", "stage", "decision", "reason", "reviewer", "date", "note", "resolves")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_HEADER = ("# People's screening decisions. One item per reviewer, record and stage; written by\n"
           "# `litreview screen decide`, hand edits welcome (`litreview check` validates them).\n")


def _scalar(value: Any) -> str | None:
    if value is None or isinstance(value, (dict, list)):
        return None
    return str(value).strip()


def resolve_alias(key: str, known: Container[str], aliases: Mapping[str, str]) -> str | None:
    """The record in ``known`` that absorbed ``key`` (through one merge or a chain), or None."""
    from litreview.corpus.mergemap import MergeMap

    return MergeMap(aliases).survivor(key, known)


def project_aliases(path: Path) -> dict[str, str]:
    """``{absorbed key: survivor key}`` from the dedupe log of the project whose corpus folder holds
    ``path`` (a decisions or overrides file); empty when there is none or it cannot be read (the
    dedupe log's own problems are reported by ``litreview dedupe`` and ``litreview check``)."""
    folder = path.parent.resolve()
    project = Project(path.parent.parent)
    if project.corpus_dir.resolve() != folder:
        project = Project(path.parent.parent.parent)  # a reviewer's own file, corpus/screening/ID.yaml
        if project.screening_dir.resolve() != folder:
            return {}
    return Review.of(project).aliases


def validate_decision(item: Mapping[str, Any], path: str, known_keys: Iterable[str] | None,
                      protocol: Protocol, line: int | None = None,
                      aliases: Mapping[str, str] | None = None,
                      reviewer: str | None = None) -> tuple[Decision | None, list[Problem]]:
    """One decision item checked against the protocol and the corpus; None when it is unusable.

    A key that a dedupe merge absorbed (``aliases``: absorbed key -> survivor) is not an error:
    the decision applies to the survivor, and keeps the written key as :attr:`Decision.alias`.
    ``reviewer`` is the owner of a reviewer's own file: an item may leave its reviewer out, and
    one naming somebody else is an error.
    """
    problems: list[Problem] = []
    known = known_keys if known_keys is None or isinstance(known_keys, (set, frozenset, dict)) else set(known_keys)

    def err(key: str | None, message: str, code: str, hint: str | None = None) -> None:
        where = line_of(item, key) if line is None else line
        problems.append(Problem(Location(path, where, key), message, Severity.ERROR, code, hint))

    for k in item:
        if k not in _ITEM_KEYS:
            err(k, f"unknown key {k!r} in a decision", "unknown-key",
                suggest(k, _ITEM_KEYS) or f"known keys: {', '.join(_ITEM_KEYS)}")
    values: dict[str, str] = {}
    resolves = item.get("resolves", False)
    if not isinstance(resolves, bool):
        err("resolves", "'resolves' of a decision must be true or false", "type")
        resolves = False
    for k in _ITEM_KEYS:
        if k in item and k != "resolves":
            v = _scalar(item[k])
            if v is None:
                err(k, f"{k!r} of a decision must be text", "type")
            else:
                values[k] = v
    if reviewer is not None and "reviewer" not in item:
        values["reviewer"] = reviewer
    for k in ("key", "stage", "decision", "reviewer"):
        if k not in item and k not in values:
            err(None, f"a decision needs {k!r}", "missing-key")
        elif values.get(k) == "":
            err(k, f"a decision needs a non-empty {k!r}", "missing-key")
    if reviewer is not None and values.get("reviewer", reviewer) != reviewer:
        err("reviewer", f"a decision by {values['reviewer']!r} in {reviewer}'s own file", "reviewer-mismatch",
            f"move it to the file of {values['reviewer']}, or correct the reviewer")
    key, stage, decision = values.get("key", ""), values.get("stage", ""), values.get("decision", "")
    reason = values.get("reason") or None
    alias = None
    if key and known is not None and key not in known:
        survivor = resolve_alias(key, known, aliases) if aliases else None
        if survivor is not None:
            alias, key = key, survivor
        else:
            err("key", f"decision for {key!r}, which is not in the corpus", "unknown-record",
                (suggest(key, tuple(known)) if len(known) < 50000 else None)
                or "correct the key or delete this decision; the keys are in corpus/records.bib")
    if stage and stage not in protocol.stage_ids:
        err("stage", f"unknown stage {stage!r}", "unknown-stage",
            suggest(stage, protocol.stage_ids) or f"stages: {', '.join(protocol.stage_ids)}")
    if decision and decision not in DECISION_VALUES:
        err("decision", f"decision must be include, exclude or maybe, not {decision!r}", "bad-decision",
            suggest(decision, DECISION_VALUES))
    if resolves and decision == MAYBE:
        err("decision", "a resolution must include or exclude, not maybe", "bad-decision")
    if reason is not None and reason not in protocol.reasons:
        err("reason", f"unknown reason code {reason!r}", "unknown-reason",
            suggest(reason, tuple(protocol.reasons)) or f"reasons: {', '.join(protocol.reasons)}")
    if decision == EXCLUDE and reason is None and "reason" not in [p.location.key for p in problems]:
        err(None, f"exclusion of {key or 'a record'} needs a reason", "missing-reason",
            f"one of: {', '.join(protocol.reasons)}")
    if decision in (INCLUDE, MAYBE) and reason is not None:
        problems.append(Problem(Location(path, line_of(item, "reason") if line is None else line, "reason"),
                                f"{'inclusion' if decision == INCLUDE else 'a maybe'} of {key} gives a reason; "
                                "it is ignored", Severity.WARNING, "reason-ignored"))
        reason = None
    date = values.get("date", "")
    if date:
        ok = bool(_DATE.match(date))
        if ok:
            try:
                _dt.date.fromisoformat(date)
            except ValueError:
                ok = False
        if not ok:
            err("date", f"date {date!r} is not a real YYYY-MM-DD date", "bad-date")
    if any(p.is_error for p in problems):
        return None, problems
    return Decision(key=key, stage=stage, decision=decision, reviewer=values["reviewer"], date=date,
                    reason=reason, note=values.get("note", ""),
                    line=line if line is not None else line_of(item), path=path, alias=alias,
                    resolves=resolves), problems


def parse_decisions(data: Any, path: str, known_keys: Iterable[str] | None, protocol: Protocol,
                    aliases: Mapping[str, str] | None = None,
                    reviewer: str | None = None) -> tuple[tuple[Decision, ...], list[Problem]]:
    """Validate the parsed YAML of a decisions file; every problem is collected.

    ``aliases`` (absorbed key -> survivor, from the dedupe log) lets a decision on a record that
    a merge absorbed apply to the survivor. When the same reviewer also decided the survivor at
    that stage, the two must agree (then the survivor's own decision is kept); otherwise it is a
    duplicate decision. ``reviewer``: the file is that reviewer's own (see :func:`validate_decision`).
    """
    problems: list[Problem] = []
    if data is MISSING:
        return (), problems
    top, problems = check_header(data, path, _DECISIONS_SCHEMA)
    if top is None:
        return (), problems
    items, shape = list_at(top, "decisions", path)
    problems.extend(shape)
    if items is None:
        return (), problems
    known = None if known_keys is None else set(known_keys)
    out: list[Decision] = []
    seen: dict[tuple[str, str, str, bool], Decision] = {}
    for i, item in enumerate(items):
        if not isinstance(item, dict):
            problems.append(Problem(Location(path, line_of(items)), f"decision {i + 1} must be a mapping",
                                    Severity.ERROR, "type"))
            continue
        decision, found = validate_decision(item, path, known, protocol, aliases=aliases, reviewer=reviewer)
        problems.extend(found)
        if decision is None:
            continue
        ident = (decision.key, decision.stage, decision.reviewer, decision.resolves)
        first = seen.get(ident)
        if first is None:
            seen[ident] = decision
            out.append(decision)
        elif (first.alias or decision.alias) and (first.decision, first.reason) == (decision.decision, decision.reason):
            # the same decision on a record and on the duplicate merged into it: one counts
            if first.alias and not decision.alias:
                out[out.index(first)] = seen[ident] = decision
        else:
            merged = (f" ({first.alias or decision.alias} was merged into {decision.key})"
                      if first.alias or decision.alias else "")
            problems.append(Problem(
                Location(path, decision.line, decision.alias or decision.key),
                f"{decision.reviewer} {'resolved' if decision.resolves else 'decided'} {decision.key} at "
                f"{decision.stage} twice{merged}",
                Severity.ERROR, "duplicate-decision", f"first at line {first.line}; keep one"))
    return tuple(out), problems


_MARKER = re.compile(rb"^(?:<{7}|={7}|>{7})(?:[ \t].*)?\r?$", re.MULTILINE)


def merge_markers(path: Path, display: str) -> list[Problem]:
    """An error for each line of a git merge-conflict marker (``<<<<<<<``, ``=======``, ``>>>>>>>``).

    Checked before YAML parsing: a conflicted file may even parse (a marker can read as text),
    and then two versions of a decision would silently count.
    """
    try:
        data = path.read_bytes()
    except OSError:
        return []  # absent or unreadable: the YAML loader says so
    if b"<<<<<<<" not in data and b"=======" not in data and b">>>>>>>" not in data:
        return []
    return [Problem(Location(display, data.count(b"\n", 0, m.start()) + 1),
                    f"git merge-conflict marker {m.group(0)[:7].decode()}", Severity.ERROR, "merge-conflict",
                    "finish the merge: keep the decisions you want between the markers, delete the marker lines")
            for m in _MARKER.finditer(data)]


def load_decisions(path: Path, known_keys: Iterable[str] | None, protocol: Protocol,
                   display: str | None = None, aliases: Mapping[str, str] | None = None,
                   reviewer: str | None = None) -> tuple[tuple[Decision, ...], list[Problem]]:
    """Read one decisions file (``Project.screening`` or a reviewer's own): the valid decisions and
    every problem (a missing file is empty). ``aliases`` default to the merges logged in the same
    project's duplicates file (:func:`project_aliases`). A file with merge-conflict markers gives
    only those errors."""
    shown = display or path.as_posix()
    markers = merge_markers(path, shown)
    if markers:
        return (), markers
    data, problems = load_optional_yaml(path, shown, fast=True)  # read by every decide
    if data is MISSING:
        return (), problems
    if aliases is None and known_keys is not None:
        aliases = project_aliases(path)
    found, more = parse_decisions(data, shown, known_keys, protocol, aliases, reviewer)
    return found, problems + more


def format_decisions(decisions: Iterable[Decision], protocol: Protocol) -> str:
    """The decisions file's text: stage order, then key, reviewer and date; always the same bytes."""
    order = {s: i for i, s in enumerate(protocol.stage_ids)}
    ordered = sorted(decisions, key=lambda d: (order.get(d.stage, 99), d.key, d.reviewer, d.resolves, d.date))
    body = dump_yaml({"version": DECISIONS_VERSION, "decisions": [d.as_item() for d in ordered]})
    return _HEADER + body


def today() -> str:
    return _dt.date.today().isoformat()
