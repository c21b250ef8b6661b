"""Screening: the protocol's criteria as rules with evidence, stages, and people's decisions on top.

Per record and criterion the rules say *met*, *not met* or *unclear*, with the field and the
phrase that decided it. Per stage (in protocol order): a person's decision wins; otherwise the
first clearly unmet criterion excludes with its reason, all met passes the record on (unless the
stage requires a person), and anything else leaves it to a person. A record excluded at one stage
never reaches the next.

Everything here is pure: records, protocol and decisions in, a :class:`ScreeningResult` out.
Reading and writing ``corpus/screening.yaml`` is at the end of the module.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import gc
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

from litreview import gazetteer
from litreview.errors import ConfigError
from litreview.fsutil import atomic_write, corpus_lock
from litreview.model import Location, Problem, Record, Severity
from litreview.protocol import Criterion, Protocol
from litreview.termmatch import LabelledTerms, TermMatcher, prepare
from litreview.yamlio import MISSING, dump_yaml, line_of, load_optional_yaml, suggest

Status = Literal["met", "not-met", "unclear"]
MET: Status = "met"
NOT_MET: Status = "not-met"
UNCLEAR: Status = "unclear"

INCLUDE, EXCLUDE, NEEDS_PERSON = "include", "exclude", "needs-person"
INCLUDED, EXCLUDED = "included", "excluded"
OUTCOMES = (INCLUDED, EXCLUDED, NEEDS_PERSON)
RESULT_VERSION = 1


# --- results ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Evidence:
    """What a rule saw: the field and the phrase (or value) in it."""

    field: str
    phrase: str

    def as_dict(self) -> dict[str, str]:
        return {"field": self.field, "phrase": self.phrase}


@dataclass(frozen=True)
class CriterionResult:
    criterion: str
    label: str
    kind: str
    stage: str
    reason: str
    status: Status
    evidence: tuple[Evidence, ...] = ()
    detail: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {"criterion": self.criterion, "label": self.label, "kind": self.kind, "stage": self.stage,
                "reason": self.reason, "status": self.status, "detail": self.detail,
                "evidence": [e.as_dict() for e in self.evidence]}


@dataclass(frozen=True)
class Decision:
    """One person's decision on one record at one stage, as written in ``corpus/screening.yaml``."""

    key: str
    stage: str
    decision: str  # include | exclude
    reviewer: str
    date: str = ""
    reason: str | None = None
    note: str = ""
    line: int | None = None

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"key": self.key, "stage": self.stage, "decision": self.decision}
        if self.reason:
            out["reason"] = self.reason
        out["reviewer"] = self.reviewer
        if self.date:
            out["date"] = self.date
        if self.note:
            out["note"] = self.note
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
        for r in self.records:
            for s in r.stages:
                reached[s.stage] = reached.get(s.stage, 0) + 1
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


# --- rules ------------------------------------------------------------------------------------

class _Texts:
    """A record's field texts, prepared for matching once and shared by every criterion."""

    __slots__ = ("_prepared", "record")

    def __init__(self, record: Record) -> None:
        self.record = record
        self._prepared: dict[str, tuple[str, str]] = {}

    def get(self, name: str) -> tuple[str, str]:
        hit = self._prepared.get(name)
        if hit is None:
            text = self.record.get(name)
            hit = (text, prepare(text) if text else "")
            self._prepared[name] = hit
        return hit


Rule = Callable[[_Texts], tuple[Status, tuple[Evidence, ...], str]]


def _phrase(text: str, prepared: str, m: re.Match[str]) -> str:
    return text[m.start() : m.end()] if len(text) == len(prepared) else m.group(0)


def _terms_rule(params: Mapping[str, Any]) -> Rule:
    fields = tuple(params["fields"])
    syn = params.get("synonyms") or {}
    plurals = bool(params.get("plurals", True))
    terms = LabelledTerms({"include": params.get("include_terms", ()), "exclude": params.get("exclude_terms", ())},
                          syn, plurals)
    no_match = params.get("no_match", "unclear" if terms.matchers["include"] else "met")

    def rule(texts: _Texts) -> tuple[Status, tuple[Evidence, ...], str]:
        inc: list[Evidence] = []
        exc: list[Evidence] = []
        for f in fields:
            text, prepared = texts.get(f)
            if prepared:
                found = terms.first(prepared)
                if "include" in found:
                    inc.append(Evidence(f, _phrase(text, prepared, found["include"])))
                if "exclude" in found:
                    exc.append(Evidence(f, _phrase(text, prepared, found["exclude"])))
        if inc and exc:
            return UNCLEAR, tuple(inc + exc), "both included and excluded terms occur"
        if inc:
            return MET, tuple(inc), "an included term occurs"
        if exc:
            return NOT_MET, tuple(exc), "an excluded term occurs"
        searched = ", ".join(f for f in fields if texts.get(f)[0]) or "none of the fields has text"
        if no_match == "met":
            return MET, (), f"no excluded term in {searched}"
        if no_match == "not-met":
            return NOT_MET, (), f"no included term in {searched}"
        if no_match == "not-met-if-abstract" and texts.get("abstract")[0]:
            return NOT_MET, (), f"no included term in {searched}"
        return UNCLEAR, (), f"no term found in {searched}"

    return rule


def _year_rule(params: Mapping[str, Any]) -> Rule:
    lo, hi = params.get("min"), params.get("max")

    def rule(texts: _Texts) -> tuple[Status, tuple[Evidence, ...], str]:
        year = texts.record.year
        if year is None:
            return UNCLEAR, (), "the record has no year"
        ev = (Evidence("year", str(year)),)
        if lo is not None and year < lo:
            return NOT_MET, ev, f"{year} is before {lo}"
        if hi is not None and year > hi:
            return NOT_MET, ev, f"{year} is after {hi}"
        return MET, ev, f"{year} is within {lo or '…'}–{hi or '…'}"

    return rule


def _split_values(value: str) -> list[str]:
    return [v.strip() for v in re.split(r"[;|]", value) if v.strip()]


def _field_rule(params: Mapping[str, Any]) -> Rule:
    name = params["field"]
    values = {v.lower() for v in params["values"]}
    not_values = {v.lower() for v in params.get("not_values", ())}
    fallback = _terms_rule({**params["fallback"], "no_match": "unclear"}) if params.get("fallback") else None

    def rule(texts: _Texts) -> tuple[Status, tuple[Evidence, ...], str]:
        raw = texts.get(name)[0]
        if not raw:
            if fallback is not None:
                status, ev, detail = fallback(texts)
                return status, ev, f"no {name} recorded; from the text: {detail}"
            return UNCLEAR, (), f"no {name} recorded"
        found = _split_values(raw)
        ev = (Evidence(name, raw),)
        lowered = [v.lower() for v in found]
        if any(v in values for v in lowered):
            return MET, ev, f"{name} is {raw}"
        if not not_values or all(v in not_values for v in lowered):
            return NOT_MET, ev, f"{name} {raw} is not one of: {', '.join(sorted(values))}"
        return UNCLEAR, ev, f"{name} {raw} is neither accepted nor ruled out"

    return rule


def _country_rule(params: Mapping[str, Any]) -> Rule:
    targets = {gazetteer.canonical_country(c) for c in params["countries"]}
    name = params.get("field", "country")
    fields = tuple(params.get("fields", ("title", "abstract", "keywords")))
    wanted = ", ".join(sorted(targets))

    def judge(found: Mapping[str, Sequence[str]]) -> tuple[Status, str]:
        inside = [c for c in found if c in targets]
        outside = [c for c in found if c not in targets]
        if inside and not outside:
            return MET, f"set in {', '.join(inside)}"
        if outside and not inside and gazetteer.MULTI not in found:
            return NOT_MET, f"set in {', '.join(outside)}, not {wanted}"
        if inside or gazetteer.MULTI in found:
            return UNCLEAR, f"several countries ({', '.join(found)}); a person decides"
        return UNCLEAR, "no country named"

    def rule(texts: _Texts) -> tuple[Status, tuple[Evidence, ...], str]:
        raw = texts.get(name)[0]
        if raw:
            countries = gazetteer.split_countries(raw)
            status, detail = judge({c: [raw] for c in countries})
            return status, (Evidence(name, raw),), detail
        found: dict[str, list[str]] = {}
        evidence: list[Evidence] = []
        for f in fields:
            text, prepared = texts.get(f)
            for m in gazetteer.mentions(text, prepared):
                if m.phrase not in found.setdefault(m.country, []):
                    found[m.country].append(m.phrase)
                    evidence.append(Evidence(f, m.phrase))
        status, detail = judge(found)
        return status, tuple(evidence[:8]), detail

    return rule


_LANGUAGES = {"en": "english", "eng": "english", "english": "english", "de": "german", "ger": "german",
              "deu": "german", "german": "german", "fr": "french", "fre": "french", "fra": "french",
              "french": "french", "es": "spanish", "spa": "spanish", "spanish": "spanish",
              "nl": "dutch", "dut": "dutch", "nld": "dutch", "dutch": "dutch", "sv": "swedish",
              "swe": "swedish", "swedish": "swedish", "it": "italian", "ita": "italian",
              "italian": "italian", "pt": "portuguese", "por": "portuguese", "portuguese": "portuguese"}


def _language(value: str) -> str:
    v = prepare(value).strip()
    return _LANGUAGES.get(v, v)


def _language_rule(params: Mapping[str, Any]) -> Rule:
    wanted = {_language(v) for v in params["languages"]}
    name = params.get("field", "language")
    absent: Status = params.get("absent", UNCLEAR)

    def rule(texts: _Texts) -> tuple[Status, tuple[Evidence, ...], str]:
        raw = texts.get(name)[0]
        if not raw:
            return absent, (), f"no {name} recorded"
        langs = {_language(v) for v in re.split(r"[;,|]", raw) if v.strip()}
        ev = (Evidence(name, raw),)
        if langs & wanted:
            return MET, ev, f"written in {raw}"
        return NOT_MET, ev, f"written in {raw}, not {', '.join(sorted(wanted))}"

    return rule


def _type_rule(params: Mapping[str, Any]) -> Rule:
    types = set(params.get("types", ()))
    not_types = set(params.get("not_types", ()))

    def rule(texts: _Texts) -> tuple[Status, tuple[Evidence, ...], str]:
        t = texts.record.entry_type.lower()
        ev = (Evidence("entry_type", t),)
        if t in not_types or (types and t not in types):
            return NOT_MET, ev, f"entry type {t} is not accepted"
        return MET, ev, f"entry type {t}"

    return rule


_BUILDERS: dict[str, Callable[[Mapping[str, Any]], Rule]] = {
    "year-range": _year_rule,
    "terms": _terms_rule,
    "field-equals": _field_rule,
    "country": _country_rule,
    "language": _language_rule,
    "entry-type": _type_rule,
}


@dataclass(frozen=True)
class CompiledCriterion:
    criterion: Criterion
    rule: Rule

    def evaluate(self, texts: _Texts) -> CriterionResult:
        status, evidence, detail = self.rule(texts)
        c = self.criterion
        return CriterionResult(c.id, c.label, c.kind, c.stage, c.reason, status, evidence, detail)


def compile_criteria(protocol: Protocol) -> tuple[CompiledCriterion, ...]:
    """Every criterion as a rule, its term lists compiled once."""
    return tuple(CompiledCriterion(c, _BUILDERS[c.kind](c.params)) for c in protocol.criteria)


def evaluate(record: Record, protocol: Protocol | Sequence[CompiledCriterion]) -> tuple[CriterionResult, ...]:
    """Every criterion's result for one record (compile once with :func:`compile_criteria` for many)."""
    compiled = compile_criteria(protocol) if isinstance(protocol, Protocol) else protocol
    texts = _Texts(record)
    return tuple(c.evaluate(texts) for c in compiled)


def term_matchers(protocol: Protocol) -> list[TermMatcher]:
    """The term lists of the protocol's criteria (for highlighting), included terms first."""
    out: list[TermMatcher] = []
    for c in protocol.criteria:
        p = c.params
        groups = [p] + ([p["fallback"]] if p.get("fallback") else [])
        for g in groups:
            if g.get("include_terms"):
                out.append(TermMatcher(g["include_terms"], g.get("synonyms") or {}, bool(g.get("plurals", True))))
    return out


# --- people's decisions on top ------------------------------------------------------------------

@dataclass(frozen=True)
class _Resolved:
    decision: str | None  # include | exclude | None when people disagree
    reason: str | None
    decisions: tuple[Decision, ...]


def resolve(decisions: Sequence[Decision], reasons_order: Sequence[str] = ()) -> _Resolved:
    """The decision of the people who screened one record at one stage.

    Unanimous → that decision. Disagreement → the majority when there is one (a third reviewer
    settles a tie), else unresolved (a conflict). The reason of an exclusion is the one most
    reviewers gave; ties go to the reason first in protocol order.
    """
    votes = Counter(d.decision for d in decisions)
    ranked = votes.most_common()
    if not ranked or (len(ranked) > 1 and ranked[0][1] == ranked[1][1]):
        return _Resolved(None, None, tuple(decisions))
    decision = ranked[0][0]
    reason = None
    if decision == EXCLUDE:
        order = {code: i for i, code in enumerate(reasons_order)}
        rc = Counter(d.reason for d in decisions if d.decision == EXCLUDE and d.reason)
        if rc:
            reason = min(rc, key=lambda code: (-rc[code], order.get(code, len(order)), code))
    return _Resolved(decision, reason, tuple(decisions))


def _rule_outcome(results: Sequence[CriterionResult], requires_person: bool) -> tuple[str, str | None]:
    for r in results:
        if r.status == NOT_MET:
            return EXCLUDE, r.reason
    if all(r.status == MET for r in results) and not requires_person:
        return INCLUDE, None
    return NEEDS_PERSON, None


@contextlib.contextmanager
def _gc_paused() -> Iterator[None]:
    """Screening allocates millions of small acyclic objects; the cycle collector only slows it
    (by about 40% on 100k records), so it is paused and restored, never left off."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def screen_records(records: Iterable[Record], protocol: Protocol,
                   decisions: Iterable[Decision] = ()) -> ScreeningResult:
    """Screen every record: rules per criterion, stages in order, people's decisions on top. Pure."""
    with _gc_paused():
        return _screen_records(records, protocol, decisions)


def _screen_records(records: Iterable[Record], protocol: Protocol,
                    decisions: Iterable[Decision]) -> ScreeningResult:
    compiled = compile_criteria(protocol)
    by_stage = {s.id: [i for i, c in enumerate(compiled) if c.criterion.stage == s.id] for s in protocol.stages}
    people: dict[tuple[str, str], list[Decision]] = defaultdict(list)
    for d in decisions:
        people[(d.key, d.stage)].append(d)
    reasons_order = tuple(protocol.reasons)
    out: list[RecordScreening] = []
    problems: list[Problem] = []
    for record in records:
        texts = _Texts(record)
        results = tuple(c.evaluate(texts) for c in compiled)
        stages: list[StageResult] = []
        overrides: list[Override] = []
        outcome, where, why = INCLUDED, protocol.stages[-1].id if protocol.stages else "", None
        for stage in protocol.stages:
            rule_outcome, rule_reason = _rule_outcome([results[i] for i in by_stage[stage.id]], stage.requires_person)
            mine = people.get((record.key, stage.id))
            final, reason, override, conflict = rule_outcome, rule_reason, None, False
            if mine:
                resolved = resolve(mine, reasons_order)
                if resolved.decision is None:
                    final, reason, conflict = NEEDS_PERSON, None, True
                else:
                    final, reason = resolved.decision, resolved.reason
                    override = Override(stage.id, resolved.decision, resolved.reason,
                                        tuple(d.reviewer for d in mine), tuple(d.date for d in mine),
                                        tuple(d.note for d in mine if d.note), rule_outcome, rule_reason)
                    overrides.append(override)
            stages.append(StageResult(stage.id, rule_outcome, rule_reason, final, reason, override, conflict))
            if final == EXCLUDE:
                outcome, where, why = EXCLUDED, stage.id, reason
                break
            if final == NEEDS_PERSON:
                outcome, where, why = NEEDS_PERSON, stage.id, None
                break
        reached = {s.stage for s in stages}
        for stage in protocol.stages:
            if stage.id not in reached:
                for d in people.get((record.key, stage.id), ()):
                    problems.append(Problem(
                        Location("corpus/screening.yaml", d.line, d.key),
                        f"{d.reviewer}'s {stage.id} decision on {d.key} does not count: the record "
                        f"{'was excluded' if outcome == EXCLUDED else 'is waiting'} at {where}",
                        Severity.WARNING, "decision-unreached"))
        out.append(RecordScreening(record.key, outcome, where, why, results, tuple(stages), tuple(overrides)))
    return ScreeningResult(tuple(out), protocol.stage_ids, tuple(problems))


# --- dual screening: conflicts and agreement ----------------------------------------------------

@dataclass(frozen=True)
class Conflict:
    key: str
    stage: str
    kind: str  # "decision": include v exclude; "reason": all exclude, for different reasons
    decisions: tuple[Decision, ...]
    resolved: bool  # a majority has settled it

    def as_dict(self) -> dict[str, Any]:
        return {"key": self.key, "stage": self.stage, "kind": self.kind, "resolved": self.resolved,
                "decisions": [d.as_dict() for d in self.decisions]}


def find_conflicts(decisions: Iterable[Decision], protocol: Protocol) -> list[Conflict]:
    """Records where reviewers disagree at a stage, in stage then key order."""
    groups: dict[tuple[str, str], list[Decision]] = defaultdict(list)
    for d in decisions:
        groups[(d.stage, d.key)].append(d)
    order = {s: i for i, s in enumerate(protocol.stage_ids)}
    out = []
    for (stage, key), ds in sorted(groups.items(), key=lambda kv: (order.get(kv[0][0], 99), kv[0][1])):
        kinds = {d.decision for d in ds}
        if len(kinds) > 1:
            out.append(Conflict(key, stage, "decision", tuple(ds), resolve(ds).decision is not None))
        elif kinds == {EXCLUDE} and len({d.reason for d in ds}) > 1:
            out.append(Conflict(key, stage, "reason", tuple(ds), False))
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


@dataclass(frozen=True)
class Agreement:
    stage: str
    reviewers: tuple[str, str]
    records: int  # screened by both
    agreed: int
    kappa: float | None
    table: Mapping[str, int]  # "include/exclude" -> count (first reviewer's label first)

    @property
    def percent(self) -> float | None:
        return None if not self.records else 100.0 * self.agreed / self.records

    def as_dict(self) -> dict[str, Any]:
        return {"stage": self.stage, "reviewers": list(self.reviewers), "records": self.records,
                "agreed": self.agreed, "percent": None if self.percent is None else round(self.percent, 2),
                "kappa": None if self.kappa is None else round(self.kappa, 4), "table": dict(self.table)}


def agreement(decisions: Iterable[Decision], protocol: Protocol) -> list[Agreement]:
    """Per stage and pair of reviewers: records both screened, % agreement, Cohen's kappa."""
    by: dict[str, dict[str, dict[str, str]]] = defaultdict(lambda: defaultdict(dict))
    for d in decisions:
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
                                     cohen_kappa(pairs), dict(sorted(table.items()))))
    return out


# --- corpus/screening.yaml ----------------------------------------------------------------------

DECISIONS_VERSION = 1
_ITEM_KEYS = ("key", "stage", "decision", "reason", "reviewer", "date", "note")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_HEADER = ("# People's screening decisions. One item per reviewer, record and stage; written by\n"
           "# `litreview screen decide`, hand edits welcome (`litreview check` validates them).\n")


def _scalar(value: Any) -> str | None:
    if value is None or isinstance(value, (dict, list)):
        return None
    return str(value).strip()


def validate_decision(item: Mapping[str, Any], path: str, known_keys: Iterable[str] | None,
                      protocol: Protocol, line: int | None = None) -> tuple[Decision | None, list[Problem]]:
    """One decision item checked against the protocol and the corpus; None when it is unusable."""
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
    for k in _ITEM_KEYS:
        if k in item:
            v = _scalar(item[k])
            if v is None:
                err(k, f"{k!r} of a decision must be text", "type")
            else:
                values[k] = v
    for k in ("key", "stage", "decision", "reviewer"):
        if k not in item:
            err(None, f"a decision needs {k!r}", "missing-key")
        elif values.get(k) == "":
            err(k, f"a decision needs a non-empty {k!r}", "missing-key")
    key, stage, decision = values.get("key", ""), values.get("stage", ""), values.get("decision", "")
    reason = values.get("reason") or None
    if key and known is not None and key not in known:
        err("key", f"decision for {key!r}, which is not in the corpus", "unknown-record",
            suggest(key, tuple(known)) if len(known) < 50000 else None)
    if stage and stage not in protocol.stage_ids:
        err("stage", f"unknown stage {stage!r}", "unknown-stage",
            suggest(stage, protocol.stage_ids) or f"stages: {', '.join(protocol.stage_ids)}")
    if decision and decision not in (INCLUDE, EXCLUDE):
        err("decision", f"decision must be include or exclude, not {decision!r}", "bad-decision",
            suggest(decision, (INCLUDE, EXCLUDE)))
    if reason is not None and reason not in protocol.reasons:
        err("reason", f"unknown reason code {reason!r}", "unknown-reason",
            suggest(reason, tuple(protocol.reasons)) or f"reasons: {', '.join(protocol.reasons)}")
    if decision == EXCLUDE and reason is None and "reason" not in [p.location.key for p in problems]:
        err(None, f"exclusion of {key or 'a record'} needs a reason", "missing-reason",
            f"one of: {', '.join(protocol.reasons)}")
    if decision == INCLUDE and reason is not None:
        problems.append(Problem(Location(path, line_of(item, "reason") if line is None else line, "reason"),
                                f"inclusion of {key} gives a reason; it is ignored", Severity.WARNING, "reason-ignored"))
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
                    line=line if line is not None else line_of(item)), problems


def parse_decisions(data: Any, path: str, known_keys: Iterable[str] | None,
                    protocol: Protocol) -> tuple[tuple[Decision, ...], list[Problem]]:
    """Validate the parsed YAML of a decisions file; every problem is collected."""
    problems: list[Problem] = []
    if data is MISSING:
        return (), problems
    if not isinstance(data, dict):
        return (), [Problem(Location(path, 1), "the decisions file must be a mapping with 'version' and 'decisions'",
                            Severity.ERROR, "type")]
    for k in data:
        if k not in ("version", "decisions"):
            problems.append(Problem(Location(path, line_of(data, k), k), f"unknown key {k!r}", Severity.ERROR,
                                    "unknown-key", suggest(k, ("version", "decisions"))))
    if data.get("version", DECISIONS_VERSION) != DECISIONS_VERSION:
        problems.append(Problem(Location(path, line_of(data, "version"), "version"),
                                f"unsupported decisions version {data.get('version')!r}", Severity.ERROR, "version"))
    items = data.get("decisions") or []
    if not isinstance(items, list):
        problems.append(Problem(Location(path, line_of(data, "decisions"), "decisions"),
                                "'decisions' must be a list", Severity.ERROR, "type"))
        return (), problems
    known = None if known_keys is None else set(known_keys)
    out: list[Decision] = []
    seen: dict[tuple[str, str, str], Decision] = {}
    for i, item in enumerate(items):
        if not isinstance(item, dict):
            problems.append(Problem(Location(path, line_of(items)), f"decision {i + 1} must be a mapping",
                                    Severity.ERROR, "type"))
            continue
        decision, found = validate_decision(item, path, known, protocol)
        problems.extend(found)
        if decision is None:
            continue
        ident = (decision.key, decision.stage, decision.reviewer)
        if ident in seen:
            problems.append(Problem(
                Location(path, decision.line, decision.key),
                f"{decision.reviewer} decided {decision.key} at {decision.stage} twice",
                Severity.ERROR, "duplicate-decision", f"first at line {seen[ident].line}; keep one"))
            continue
        seen[ident] = decision
        out.append(decision)
    return tuple(out), problems


def load_decisions(path: Path, known_keys: Iterable[str] | None, protocol: Protocol,
                   display: str | None = None) -> tuple[tuple[Decision, ...], list[Problem]]:
    """Read ``corpus/screening.yaml``: the valid decisions and every problem (a missing file is empty)."""
    shown = display or path.as_posix()
    data, problems = load_optional_yaml(path, shown)
    if data is MISSING:
        return (), problems
    return parse_decisions(data, shown, known_keys, protocol)


def format_decisions(decisions: Iterable[Decision], protocol: Protocol) -> str:
    """The decisions file's text: stage order, then key, reviewer and date; always the same bytes."""
    order = {s: i for i, s in enumerate(protocol.stage_ids)}
    ordered = sorted(decisions, key=lambda d: (order.get(d.stage, 99), d.key, d.reviewer, d.date))
    body = dump_yaml({"version": DECISIONS_VERSION, "decisions": [d.as_dict() for d in ordered]})
    return _HEADER + body


@dataclass(frozen=True)
class DecideResult:
    decision: Decision
    replaced: Decision | None
    path: str
    warnings: tuple[Problem, ...] = field(default=())


def record_decision(path: Path, decision: Decision, known_keys: Iterable[str], protocol: Protocol,
                    display: str | None = None) -> DecideResult:
    """Validate one decision and write it into the decisions file, atomically, under the corpus lock.

    A reviewer deciding again on the same record and stage replaces the earlier decision. Raises
    :class:`ConfigError` (and writes nothing) when the decision or the existing file is invalid.
    """
    shown = display or path.as_posix()
    known = set(known_keys)
    item = decision.as_dict()
    checked, problems = validate_decision(item, "command line", known, protocol, line=None)
    if checked is None:
        raise ConfigError([replace(p, location=Location("command line", None, p.location.key))
                           for p in problems if p.is_error])
    checked = replace(checked, line=None)
    with corpus_lock(path.parent):
        existing, found = load_decisions(path, known, protocol, shown)
        errors = [p for p in found if p.is_error]
        if errors:
            raise ConfigError(errors)
        replaced = None
        kept = []
        for d in existing:
            if (d.key, d.stage, d.reviewer) == (checked.key, checked.stage, checked.reviewer):
                replaced = d
            else:
                kept.append(d)
        kept.append(checked)
        atomic_write(path, format_decisions(kept, protocol))
    return DecideResult(checked, replaced, shown, tuple(p for p in problems if not p.is_error))


def today() -> str:
    return _dt.date.today().isoformat()
