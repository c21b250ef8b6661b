"""Criterion kinds: what review.yaml may say about each kind of criterion and the rule that
screens a record with it, one class per kind.

A kind used to be spread over three tables (``protocol.KINDS`` for its parameters,
``protocol._params`` for checking them, ``screen._BUILDERS`` for its rule); adding one meant
editing all three. Now a kind is one :class:`CriterionKind` subclass listed in :data:`KINDS`:
its ``params``, ``check`` (review.yaml's values, with located problems) and ``rule`` (a function
from a record's prepared texts to a verdict with evidence). This module also holds what every
rule shares: the prepared texts (:class:`_Texts`), the verdict memo, and compiling a protocol's
criteria once (:func:`compile_criteria`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from litreview.files.yamlio import LineDict, suggest
from litreview.model import Record
from litreview.protocol import (
    _FALLBACK_KEYS,
    NO_MATCH,
    Criterion,
    Protocol,
    _Checker,
    _field,
    _fields,
    _terms_params,
)
from litreview.text import gazetteer
from litreview.text.termmatch import LabelledTerms, Scanner, TermMatcher, prepare

if TYPE_CHECKING:
    from litreview.corpus.store import RowRecord

Status = Literal["met", "not-met", "unclear"]
MET: Status = "met"
NOT_MET: Status = "not-met"
UNCLEAR: Status = "unclear"


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
        return {
            "criterion": self.criterion,
            "label": self.label,
            "kind": self.kind,
            "stage": self.stage,
            "reason": self.reason,
            "status": self.status,
            "detail": self.detail,
            "evidence": [e.as_dict() for e in self.evidence],
        }


# --- what every rule shares ------------------------------------------------------------------------------------


class _Texts:
    """A record's field texts, prepared for matching once and shared by every criterion, and
    where in each the protocol's terms may match (one :class:`Scanner` pass per field)."""

    __slots__ = ("_raw", "_scanned", "record", "scanner")

    def __init__(self, record: Record | RowRecord, scanner: Scanner) -> None:
        self.record = record
        self.scanner = scanner
        self._raw: dict[str, str] = {}
        self._scanned: dict[str, tuple[str, str, Sequence[int]]] = {}

    def scan(self, name: str) -> tuple[str, str, Sequence[int]]:
        """The field's text, its :func:`prepare`-d form (for term matching) and where a term of
        any of the protocol's lists may match in it: none where no term can match, so a rule
        skips the matching there (most fields of most records)."""
        hit = self._scanned.get(name)
        if hit is None:
            text = self.raw(name)
            if text:
                prepared = prepare(text)
                hit = (text, prepared, self.scanner.starts(prepared))
            else:
                hit = _UNSCANNED
            self._scanned[name] = hit
        return hit

    def starts(self, name: str) -> Sequence[int]:
        """Where a term of any of the protocol's lists may match in the prepared field."""
        return self.scan(name)[2]

    def get(self, name: str) -> tuple[str, str]:
        """The field's text and its :func:`prepare`-d form (for term matching)."""
        text, prepared, _starts = self.scan(name)
        return text, prepared

    def raw(self, name: str) -> str:
        """The field's text as the record has it."""
        hit = self._raw.get(name)
        if hit is None:
            hit = self._raw[name] = self.record.get(name)
        return hit


#: an empty field: no text, nothing prepared, nowhere a term matches
_UNSCANNED: tuple[str, str, Sequence[int]] = ("", "", ())


#: A rule's verdict on one record: status, evidence as (field, phrase) pairs, and a detail. Plain
#: tuples, so that verdicts hash cheaply and equal verdicts share one :class:`CriterionResult`.
Verdict = tuple[Status, tuple[tuple[str, str], ...], str]
Rule = Callable[[_Texts], Verdict]
#: what a rule builder gets: the criterion's parameters and a list to add the term matchers it
#: uses to (they make up the protocol's :class:`Scanner`)
Builder = Callable[[Mapping[str, Any], list[TermMatcher]], Rule]

#: results kept per criterion for reuse (equal verdicts are common: the same year, annotation or
#: matched phrase in many records); beyond this many distinct ones, new results are not kept
_MEMO_SIZE = 50_000


def _memo_by(key: Callable[[_Texts], Any], compute: Rule) -> Rule:
    """A rule that depends only on ``key(texts)``, computed once per distinct key."""
    cache: dict[Any, Verdict] = {}

    def rule(texts: _Texts) -> Verdict:
        k = key(texts)
        hit = cache.get(k)
        if hit is None:
            hit = compute(texts)
            if len(cache) < _MEMO_SIZE:
                cache[k] = hit
        return hit

    return rule


def _phrase(text: str, prepared: str, m: re.Match[str]) -> str:
    return text[m.start() : m.end()] if len(text) == len(prepared) else m.group(0)


def _split_values(value: str) -> list[str]:
    return [v.strip() for v in re.split(r"[;|]", value) if v.strip()]


_LANGUAGES = {
    "en": "english",
    "eng": "english",
    "english": "english",
    "de": "german",
    "ger": "german",
    "deu": "german",
    "german": "german",
    "fr": "french",
    "fre": "french",
    "fra": "french",
    "french": "french",
    "es": "spanish",
    "spa": "spanish",
    "spanish": "spanish",
    "nl": "dutch",
    "dut": "dutch",
    "nld": "dutch",
    "dutch": "dutch",
    "sv": "swedish",
    "swe": "swedish",
    "swedish": "swedish",
    "it": "italian",
    "ita": "italian",
    "italian": "italian",
    "pt": "portuguese",
    "por": "portuguese",
    "portuguese": "portuguese",
}


def _language(value: str) -> str:
    v = prepare(value).strip()
    return _LANGUAGES.get(v, v)


class CriterionKind:
    """One kind of criterion. Subclasses set :attr:`name` and :attr:`params` and write
    :meth:`check` and :meth:`rule`; list the class in :data:`KINDS`."""

    name: ClassVar[str]
    #: the keys review.yaml may give a criterion of this kind (besides id, label, kind, stage,
    #: reason and note)
    params: ClassVar[tuple[str, ...]]

    def check(self, ck: _Checker, item: LineDict, where: str) -> dict[str, Any]:
        """The criterion's parameters from review.yaml, each slip reported through ``ck``."""
        raise NotImplementedError

    def rule(self, params: Mapping[str, Any], matchers: list[TermMatcher]) -> Rule:
        """The rule for checked ``params``; add the term matchers it reads with to ``matchers``
        (they make up the protocol's :class:`Scanner`)."""
        raise NotImplementedError


class YearRange(CriterionKind):
    """A publication year within ``min``–``max`` (either may be open)."""

    name = "year-range"
    params = ("min", "max")

    def check(self, ck: _Checker, item: LineDict, where: str) -> dict[str, Any]:
        out: dict[str, Any] = {}
        lo, hi = item.get("min"), item.get("max")
        for key, value in (("min", lo), ("max", hi)):
            if value is not None and (
                not isinstance(value, int) or isinstance(value, bool) or not 1000 <= value <= 2999
            ):
                ck.error(
                    item,
                    key,
                    f"{key!r} of {where} must be a four-digit year, not {value!r}",
                    "bad-year",
                )
        if lo is None and hi is None:
            ck.error(item, None, f"{where} needs 'min', 'max' or both", "missing-key")
        if isinstance(lo, int) and isinstance(hi, int) and lo > hi:
            ck.error(
                item,
                "min",
                f"impossible year range in {where}: min {lo} is after max {hi}",
                "bad-year-range",
            )
        out["min"], out["max"] = lo, hi
        return out

    def rule(self, params: Mapping[str, Any], matchers: list[TermMatcher]) -> Rule:
        lo, hi = params.get("min"), params.get("max")

        def rule(texts: _Texts) -> Verdict:
            year = texts.record.year
            if year is None:
                return UNCLEAR, (), "the record has no year"
            ev = (("year", str(year)),)
            if lo is not None and year < lo:
                return NOT_MET, ev, f"{year} is before {lo}"
            if hi is not None and year > hi:
                return NOT_MET, ev, f"{year} is after {hi}"
            return MET, ev, f"{year} is within {lo or '…'}–{hi or '…'}"

        return _memo_by(lambda texts: texts.record.year, rule)


class Terms(CriterionKind):
    """Included and excluded term lists searched in the record's text fields."""

    name = "terms"
    params = ("fields", "include_terms", "exclude_terms", "synonyms", "plurals", "no_match")

    def check(self, ck: _Checker, item: LineDict, where: str) -> dict[str, Any]:
        out: dict[str, Any] = {}
        _terms_params(ck, item, where, out)
        if not out["include_terms"] and not out["exclude_terms"]:
            ck.error(
                item, None, f"{where} needs 'include_terms', 'exclude_terms' or both", "missing-key"
            )
        no_match = item.get("no_match", "unclear" if out["include_terms"] else "met")
        if no_match not in NO_MATCH:
            ck.error(
                item,
                "no_match",
                f"'no_match' of {where} must be one of {', '.join(NO_MATCH)}",
                "bad-value",
                suggest(str(no_match), NO_MATCH),
            )
            no_match = "unclear"
        out["no_match"] = no_match
        return out

    def rule(self, params: Mapping[str, Any], matchers: list[TermMatcher]) -> Rule:
        fields = tuple(params["fields"])
        syn = params.get("synonyms") or {}
        plurals = bool(params.get("plurals", True))
        terms = LabelledTerms(
            {
                "include": params.get("include_terms", ()),
                "exclude": params.get("exclude_terms", ()),
            },
            syn,
            plurals,
        )
        matchers.extend(terms.all_matchers)
        no_match = params.get("no_match", "unclear" if terms.matchers["include"] else "met")
        first = terms.first
        # what the rule says when no term occurs, by which of the fields have text (bit i: the
        # i-th field), and for no_match not-met-if-abstract whether the abstract has text: the
        # same few sentences for every record, made once
        nothing: dict[tuple[int, bool], Verdict] = {}

        def no_term(present: int, abstract: bool) -> Verdict:
            searched = ", ".join(f for i, f in enumerate(fields) if present >> i & 1)
            where = (
                f" in {searched}"
                if searched
                else f": {', '.join(fields)} {'has' if len(fields) == 1 else 'have'} no text"
            )
            if no_match == "met":
                return MET, (), f"no excluded term{where}"
            if no_match == "not-met":
                return NOT_MET, (), f"no included term{where}"
            if no_match == "not-met-if-abstract" and abstract:
                return NOT_MET, (), f"no included term{where}"
            return UNCLEAR, (), f"no term found{where}"

        def rule(texts: _Texts) -> Verdict:
            inc: list[tuple[str, str]] = []
            exc: list[tuple[str, str]] = []
            present = 0
            for i, f in enumerate(fields):
                text, prepared, starts = texts.scan(f)
                if text:
                    present |= 1 << i
                if starts:  # where there are none, no term of these lists occurs
                    found = first(prepared, starts)
                    if found:
                        m = found.get("include")
                        if m is not None:
                            inc.append((f, _phrase(text, prepared, m)))
                        m = found.get("exclude")
                        if m is not None:
                            exc.append((f, _phrase(text, prepared, m)))
            if inc and exc:
                return UNCLEAR, tuple(inc + exc), "both included and excluded terms occur"
            if inc:
                return MET, tuple(inc), "an included term occurs"
            if exc:
                return NOT_MET, tuple(exc), "an excluded term occurs"
            said = (present, no_match == "not-met-if-abstract" and bool(texts.raw("abstract")))
            hit = nothing.get(said)
            if hit is None:
                hit = nothing[said] = no_term(*said)
            return hit

        return rule


class FieldEquals(CriterionKind):
    """A field (an annotation such as ``design``) with accepted and refused values; a term fallback reads the text when it is empty."""

    name = "field-equals"
    params = ("field", "values", "not_values", "fallback")

    def check(self, ck: _Checker, item: LineDict, where: str) -> dict[str, Any]:
        out: dict[str, Any] = {}
        out["field"] = ck.text(item, "field", where)
        out["values"] = ck.text_list(item, "values", where, required=True)
        out["not_values"] = ck.text_list(item, "not_values", where)
        both = {v.lower() for v in out["values"]} & {v.lower() for v in out["not_values"]}
        if both:
            ck.error(
                item,
                "not_values",
                f"{where}: {', '.join(sorted(both))} both in 'values' and 'not_values'",
                "bad-value",
            )
        fb = item.get("fallback")
        if fb is not None:
            if not isinstance(fb, dict):
                ck.error(
                    item,
                    "fallback",
                    f"'fallback' of {where} must be a mapping of term lists",
                    "type",
                )
            else:
                ck.unknown_keys(fb, _FALLBACK_KEYS, f"the fallback of {where}")
                fallback: dict[str, Any] = {}
                _terms_params(ck, fb, f"the fallback of {where}", fallback)
                out["fallback"] = fallback
        return out

    def rule(self, params: Mapping[str, Any], matchers: list[TermMatcher]) -> Rule:
        name = params["field"]
        values = {v.lower() for v in params["values"]}
        not_values = {v.lower() for v in params.get("not_values", ())}
        fallback = (
            KINDS["terms"].rule({**params["fallback"], "no_match": "unclear"}, matchers)
            if params.get("fallback")
            else None
        )

        def recorded(texts: _Texts) -> Verdict:
            raw = texts.raw(name)
            found = _split_values(raw)
            ev = ((name, raw),)
            lowered = [v.lower() for v in found]
            if any(v in values for v in lowered):
                return MET, ev, f"{name} is {raw}"
            if not not_values or all(v in not_values for v in lowered):
                return NOT_MET, ev, f"{name} {raw} is not one of: {', '.join(sorted(values))}"
            return UNCLEAR, ev, f"{name} {raw} is neither accepted nor ruled out"

        by_value = _memo_by(lambda texts: texts.raw(name), recorded)

        def rule(texts: _Texts) -> Verdict:
            if texts.raw(name):
                return by_value(texts)
            if fallback is not None:
                status, ev, detail = fallback(texts)
                return status, ev, f"no {name} recorded; from the text: {detail}"
            return UNCLEAR, (), f"no {name} recorded"

        return rule


class Country(CriterionKind):
    """Where the study was done: the ``country`` field, else countries named in the text (the gazetteer)."""

    name = "country"
    params = ("countries", "field", "fields")

    def check(self, ck: _Checker, item: LineDict, where: str) -> dict[str, Any]:
        out: dict[str, Any] = {}
        out["countries"] = ck.text_list(item, "countries", where, required=True)
        out["field"] = _field(ck, item, where, "country")
        out["fields"] = _fields(ck, item, where)
        return out

    def rule(self, params: Mapping[str, Any], matchers: list[TermMatcher]) -> Rule:
        targets = {gazetteer.canonical_country(c) for c in params["countries"]}
        matchers.append(gazetteer.MATCHER)
        name = params.get("field", "country")
        fields = tuple(params.get("fields", ("title", "abstract", "keywords")))
        wanted = ", ".join(sorted(targets))
        find = gazetteer.find

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

        def recorded(texts: _Texts) -> Verdict:
            raw = texts.raw(name)
            status, detail = judge({c: [raw] for c in gazetteer.split_countries(raw)})
            return status, ((name, raw),), detail

        by_value = _memo_by(lambda texts: texts.raw(name), recorded)

        def rule(texts: _Texts) -> Verdict:
            if texts.raw(name):
                return by_value(texts)
            found: dict[str, list[str]] = {}
            evidence: list[tuple[str, str]] = []
            for f in fields:
                text, prepared, starts = texts.scan(f)
                # no place name where the scanner found no term and no "US" is written
                if starts or (text and ("US" in text or "U.S." in text)):
                    for country, phrase in find(text, prepared, starts):
                        phrases = found.get(country)
                        if phrases is None:
                            found[country] = [phrase]
                        elif phrase in phrases:
                            continue
                        else:
                            phrases.append(phrase)
                        evidence.append((f, phrase))
            status, detail = judge(found)
            return status, tuple(evidence[:8]), detail

        return rule


class Language(CriterionKind):
    """The language the record is written in."""

    name = "language"
    params = ("languages", "field", "absent")

    def check(self, ck: _Checker, item: LineDict, where: str) -> dict[str, Any]:
        out: dict[str, Any] = {}
        out["languages"] = ck.text_list(item, "languages", where, required=True)
        out["field"] = _field(ck, item, where, "language")
        absent = item.get("absent", "unclear")
        if absent not in ("met", "unclear", "not-met"):
            ck.error(
                item, "absent", f"'absent' of {where} must be met, unclear or not-met", "bad-value"
            )
            absent = "unclear"
        out["absent"] = absent
        return out

    def rule(self, params: Mapping[str, Any], matchers: list[TermMatcher]) -> Rule:
        wanted = {_language(v) for v in params["languages"]}
        name = params.get("field", "language")
        absent: Status = params.get("absent", UNCLEAR)

        def rule(texts: _Texts) -> Verdict:
            raw = texts.raw(name)
            if not raw:
                return absent, (), f"no {name} recorded"
            langs = {_language(v) for v in re.split(r"[;,|]", raw) if v.strip()}
            ev = ((name, raw),)
            if langs & wanted:
                return MET, ev, f"written in {raw}"
            return NOT_MET, ev, f"written in {raw}, not {', '.join(sorted(wanted))}"

        return _memo_by(lambda texts: texts.raw(name), rule)


class EntryType(CriterionKind):
    """The entry type (article, book, report, ...)."""

    name = "entry-type"
    params = ("types", "not_types")

    def check(self, ck: _Checker, item: LineDict, where: str) -> dict[str, Any]:
        out: dict[str, Any] = {}
        out["types"] = tuple(t.lower() for t in ck.text_list(item, "types", where))
        out["not_types"] = tuple(t.lower() for t in ck.text_list(item, "not_types", where))
        if not out["types"] and not out["not_types"]:
            ck.error(item, None, f"{where} needs 'types' or 'not_types'", "missing-key")
        return out

    def rule(self, params: Mapping[str, Any], matchers: list[TermMatcher]) -> Rule:
        types = set(params.get("types", ()))
        not_types = set(params.get("not_types", ()))

        def rule(texts: _Texts) -> Verdict:
            t = texts.record.entry_type.lower()
            ev = (("entry_type", t),)
            if t in not_types or (types and t not in types):
                return NOT_MET, ev, f"entry type {t} is not accepted"
            return MET, ev, f"entry type {t}"

        return _memo_by(lambda texts: texts.record.entry_type, rule)


#: every kind, by the name review.yaml gives it
KINDS: dict[str, CriterionKind] = {
    k.name: k for k in (YearRange(), Terms(), FieldEquals(), Country(), Language(), EntryType())
}


@dataclass(frozen=True)
class CompiledCriterion:
    criterion: Criterion
    rule: Rule
    #: the term matchers the rule reads with (see :func:`scanner_for`)
    matchers: tuple[TermMatcher, ...] = field(default=(), compare=False, repr=False)
    #: verdict -> its result: equal verdicts share one (immutable) result object
    results: dict[Verdict, CriterionResult] = field(default_factory=dict, compare=False, repr=False)

    def evaluate(self, texts: _Texts) -> CriterionResult:
        verdict = self.rule(texts)
        hit = self.results.get(verdict)
        if hit is None:
            status, evidence, detail = verdict
            c = self.criterion
            hit = CriterionResult(
                c.id,
                c.label,
                c.kind,
                c.stage,
                c.reason,
                status,
                tuple(Evidence(f, p) for f, p in evidence),
                detail,
            )
            if len(self.results) < _MEMO_SIZE:
                self.results[verdict] = hit
        return hit


def compile_criteria(protocol: Protocol) -> tuple[CompiledCriterion, ...]:
    """Every criterion as a rule, its term lists compiled once."""
    out = []
    for c in protocol.criteria:
        matchers: list[TermMatcher] = []
        rule = KINDS[c.kind].rule(c.params, matchers)
        out.append(CompiledCriterion(c, rule, tuple(matchers)))
    return tuple(out)


def scanner_for(compiled: Sequence[CompiledCriterion]) -> Scanner:
    """One scanner for every term list of the criteria: each field is scanned once for all."""
    return Scanner(m for c in compiled for m in c.matchers)


def evaluate(
    record: Record, protocol: Protocol | Sequence[CompiledCriterion]
) -> tuple[CriterionResult, ...]:
    """Every criterion's result for one record (compile once with :func:`compile_criteria` for many)."""
    compiled = compile_criteria(protocol) if isinstance(protocol, Protocol) else protocol
    texts = _Texts(record, scanner_for(compiled))
    return tuple(c.evaluate(texts) for c in compiled)


def term_matchers(protocol: Protocol) -> list[TermMatcher]:
    """The term lists of the protocol's criteria (for highlighting), included terms first."""
    out: list[TermMatcher] = []
    for c in protocol.criteria:
        p = c.params
        groups = [p] + ([p["fallback"]] if p.get("fallback") else [])
        for g in groups:
            if g.get("include_terms"):
                out.append(
                    TermMatcher(
                        g["include_terms"], g.get("synonyms") or {}, bool(g.get("plurals", True))
                    )
                )
    return out
