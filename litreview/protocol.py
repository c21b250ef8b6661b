"""The review's protocol (``review.yaml``): question, sources, stages, criteria, reasons, extraction.

Loaded into frozen dataclasses and validated as a whole: every problem of the file is reported
together with its line, and a misspelt key gets a "did you mean".

The schema, in short::

    version: 1
    title: ...
    question: ...
    sources:            # where records came from; ids match `litreview import --source`
    - {id: database-search, name: ..., kind: database, searched: '2016-01', files: [corpus/searches/x.bib],
       searches: [{database: MEDLINE, platform: Ovid, query: ..., date: '2016-01-12', limits: ...,
                   records: 412, file: corpus/searches/x.bib}]}
    stages:             # in order; a record excluded at one never reaches the next
    - {id: title-abstract, label: Title and abstract}
    - {id: full-text, label: Full text, requires_person: true}
    reasons:            # exclusion reason codes and their labels
      out-of-period: Published before 2002 or after 2015
    criteria:           # in order: the first clearly unmet one gives the reason
    - {id: period, label: ..., kind: year-range, stage: title-abstract, reason: out-of-period, min: 2002, max: 2015}
    extraction:
      fields:
      - {name: relevance, label: ..., required: true, values: [direct, related]}

Criterion kinds are classes in :mod:`litreview.screen.criteria` (:func:`criterion_kinds`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from litreview.errors import ConfigError
from litreview.extract.appraisal import AppraisalSpec
from litreview.files.schema import FileSchema, check_header, unknown_keys
from litreview.files.yamlio import line_of, load_yaml, load_yaml_text, suggest
from litreview.model import Location, Problem, Severity, misspelt_field
from litreview.text.termmatch import term_problem

PROTOCOL_VERSION = 1


def criterion_kinds() -> dict[str, tuple[str, ...]]:
    """Criterion kind -> the parameters it accepts (besides id, label, kind, stage, reason, note):
    the classes of :mod:`litreview.screen.criteria`, where each kind is defined once."""
    from litreview.screen.criteria import KINDS

    return {name: kind.params for name, kind in KINDS.items()}


COMMON_CRITERION_KEYS = ("id", "label", "kind", "stage", "reason", "note")
NO_MATCH = ("unclear", "met", "not-met", "not-met-if-abstract")
SOURCE_KINDS = (
    "database",
    "citation-tracing",
    "website",
    "hand-search",
    "grey-literature",
    "expert",
    "register",
    "other",
)
DEFAULT_TEXT_FIELDS = ("title", "abstract", "keywords")

_TOP_KEYS = (
    "version",
    "title",
    "question",
    "methods_note",
    "synthesis",
    "limitations",
    "sources",
    "stages",
    "reasons",
    "criteria",
    "extraction",
    "ranking",
    "appraisal",
)
_SCHEMA = FileSchema(
    "the protocol",
    _TOP_KEYS,
    PROTOCOL_VERSION,
    "the protocol must be a mapping with title, question, sources, stages, reasons and criteria",
)
_SOURCE_KEYS = ("id", "name", "kind", "searched", "files", "note", "searches", "query")
#: one search run in a source (PRISMA-S items 1, 8, 9, 13 and 15)
_SEARCH_KEYS = ("database", "platform", "query", "date", "limits", "records", "file", "note")
_STAGE_KEYS = ("id", "label", "requires_person", "reviewers")
_FIELD_KEYS = ("name", "label", "required", "values", "evidence", "default", "table")
#: where a declared extraction field is shown
FIELD_TABLES = ("evidence", "characteristics")
_FALLBACK_KEYS = ("fields", "include_terms", "exclude_terms", "synonyms", "plurals")
_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_DATE = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2})?)?$")


@dataclass(frozen=True)
class Search:
    """One search as run: where, how, when and how many records the database reported.

    Empty text means the protocol does not record it (the appendix says "not recorded").
    """

    database: str = ""
    platform: str = ""
    query: str = ""  # as run, line breaks kept
    date: str = ""
    limits: str = ""
    records: int | None = None  # hits the database reported
    file: str = ""  # the export of the source's ``files`` that holds its results
    note: str = ""
    line: int | None = None
    records_line: int | None = None


@dataclass(frozen=True)
class Source:
    id: str
    name: str
    kind: str
    searched: str = ""
    files: tuple[str, ...] = ()
    note: str = ""
    line: int | None = None
    searches: tuple[Search, ...] = ()


@dataclass(frozen=True)
class Stage:
    id: str
    label: str
    #: when true, all criteria met is not enough: a person must include the record at this stage
    requires_person: bool = False
    #: how many different reviewers must decide a record at this stage, and agree, to settle it
    reviewers: int = 1


@dataclass(frozen=True)
class Criterion:
    id: str
    label: str
    kind: str
    stage: str
    reason: str
    params: Mapping[str, Any] = field(default_factory=dict)
    note: str = ""
    line: int | None = None


@dataclass(frozen=True)
class ExtractionField:
    name: str
    label: str
    required: bool = False
    values: tuple[str, ...] = ()
    #: ``evidence: required``: each value must cite the source line(s) and a short quote it rests on
    evidence: bool = False
    #: what the evidence table shows for a study with no value (e.g. "to appraise from full text")
    default: str = ""
    #: the table that shows the field: the evidence table (``evidence``) or the appendix's study
    #: characteristics table (``characteristics``: setting, level, sample, data period ...)
    table: str = "evidence"


@dataclass(frozen=True)
class Protocol:
    title: str
    question: str
    sources: tuple[Source, ...]
    stages: tuple[Stage, ...]
    criteria: tuple[Criterion, ...]
    reasons: Mapping[str, str]
    extraction_fields: tuple[ExtractionField, ...] = ()
    path: str = "review.yaml"
    #: shown at the head of the appendix's methods: where the methods and counts come from when
    #: they are not the review's own record (e.g. reconstructed after the fact)
    methods_note: str = ""
    #: how the included studies were brought together, and what limits the review (appendix text)
    synthesis: str = ""
    limitations: str = ""
    #: ``ranking:`` settings of the ranked queue (its stopping rule): see :mod:`litreview.screen.rank`
    ranking: Mapping[str, Any] = field(default_factory=dict)
    #: ``appraisal:`` the quality-appraisal tool and how many reviewers appraise each study
    appraisal: AppraisalSpec | None = None

    @cached_property
    def fingerprint(self) -> str:
        """A digest of everything this protocol says: a result cached from it is keyed by what
        was parsed, not by review.yaml's bytes now (which may have changed since)."""
        import hashlib

        return hashlib.sha256(repr(self).encode()).hexdigest()

    @cached_property
    def stage_ids(self) -> tuple[str, ...]:
        """Kept once made: asked for each decision read (~200,000 in a large review)."""
        return tuple(s.id for s in self.stages)

    def stage(self, stage_id: str) -> Stage:
        return next(s for s in self.stages if s.id == stage_id)

    def reason_label(self, code: str) -> str:
        return self.reasons.get(code, code)


# --- loading ----------------------------------------------------------------------------------


def load_protocol(path: Path, display: str | None = None) -> Protocol:
    """Read and validate ``review.yaml``; raise :class:`ConfigError` with every problem found."""
    shown = display or path.as_posix()
    return protocol_or_raise(parse_protocol(load_yaml(path, shown), shown))


def load_protocol_text(text: str, display: str = "review.yaml") -> Protocol:
    return protocol_or_raise(parse_protocol(load_yaml_text(text, display), display))


def protocol_or_raise(parsed: tuple[Protocol | None, list[Problem]]) -> Protocol:
    """The protocol of a parse, or every error in it raised together as a ConfigError."""
    protocol, problems = parsed
    if protocol is None or any(p.is_error for p in problems):
        raise ConfigError([p for p in problems if p.is_error])
    return protocol


class _Checker:
    def __init__(self, path: str) -> None:
        self.path = path
        self.problems: list[Problem] = []

    def error(
        self,
        node: Any,
        key: str | None,
        message: str,
        code: str = "protocol",
        hint: str | None = None,
        line: int | None = None,
    ) -> None:
        where = line if line is not None else line_of(node, key)
        self.problems.append(
            Problem(Location(self.path, where, key), message, Severity.ERROR, code, hint)
        )

    def unknown_keys(self, node: Mapping[str, Any], known: tuple[str, ...], where: str) -> None:
        self.problems.extend(unknown_keys(node, known, self.path, where))

    def text(self, node: Mapping[str, Any], key: str, where: str, required: bool = True) -> str:
        value = node.get(key)
        if value is None:
            if required:
                self.error(node, None, f"{where} needs {key!r}", "missing-key")
            return ""
        if isinstance(value, (dict, list)):
            self.error(node, key, f"{key!r} of {where} must be text", "type")
            return ""
        return str(value).strip()

    def text_list(
        self, node: Mapping[str, Any], key: str, where: str, required: bool = False
    ) -> tuple[str, ...]:
        value = node.get(key)
        if value is None:
            if required:
                self.error(node, None, f"{where} needs {key!r}", "missing-key")
            return ()
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or any(
            isinstance(v, (dict, list)) or v is None for v in value
        ):
            self.error(node, key, f"{key!r} of {where} must be a list of texts", "type")
            return ()
        return tuple(str(v).strip() for v in value)


def parse_protocol(data: Any, path: str = "review.yaml") -> tuple[Protocol | None, list[Problem]]:
    """Validate parsed YAML; return the protocol (None when unusable) and every problem found."""
    ck = _Checker(path)
    top, ck.problems = check_header(data, path, _SCHEMA)
    if top is None:
        return None, ck.problems
    title = ck.text(data, "title", "the protocol")
    question = ck.text(data, "question", "the protocol")
    sources = _sources(ck, data)
    stages = _stages(ck, data)
    reasons = _reasons(ck, data)
    criteria = _criteria(ck, data, {s.id for s in stages}, reasons)
    fields = _extraction(ck, data)
    protocol = Protocol(
        title=title,
        question=question,
        sources=sources,
        stages=stages,
        criteria=criteria,
        reasons=reasons,
        extraction_fields=fields,
        path=path,
        methods_note=ck.text(data, "methods_note", "the protocol", required=False),
        synthesis=ck.text(data, "synthesis", "the protocol", required=False),
        limitations=ck.text(data, "limitations", "the protocol", required=False),
        ranking=_ranking(ck, data),
        appraisal=_appraisal(ck, data),
    )
    return protocol, ck.problems


def _appraisal(ck: _Checker, data: Mapping[str, Any]) -> AppraisalSpec | None:
    if "appraisal" not in data:
        return None
    from litreview.extract.appraisal import parse_spec

    spec, problems = parse_spec(data["appraisal"], ck.path, line_of(data, "appraisal"))
    ck.problems.extend(problems)
    return spec


_RANKING_KEYS = ("stop_after_consecutive_excludes", "min_screened_share")


def _ranking(ck: _Checker, data: Mapping[str, Any]) -> dict[str, Any]:
    node = data.get("ranking")
    if node is None:
        return {}
    if not isinstance(node, dict):
        ck.error(
            data,
            "ranking",
            "'ranking' must be a mapping",
            "type",
            "e.g. ranking: {stop_after_consecutive_excludes: 50, min_screened_share: 0.1}",
        )
        return {}
    ck.unknown_keys(node, _RANKING_KEYS, "ranking")
    out: dict[str, Any] = {}
    n = node.get("stop_after_consecutive_excludes")
    if n is not None:
        if isinstance(n, bool) or not isinstance(n, int) or n < 1:
            ck.error(
                node,
                "stop_after_consecutive_excludes",
                "'stop_after_consecutive_excludes' must be a whole number >= 1",
                "type",
            )
        else:
            out["stop_after_consecutive_excludes"] = n
    share = node.get("min_screened_share")
    if share is not None:
        if isinstance(share, bool) or not isinstance(share, (int, float)) or not 0 <= share <= 1:
            ck.error(
                node,
                "min_screened_share",
                "'min_screened_share' must be a number from 0 to 1, e.g. 0.1",
                "type",
            )
        else:
            out["min_screened_share"] = float(share)
    return out


def _items(ck: _Checker, data: Mapping[str, Any], key: str, required: bool = True) -> list[Any]:
    raw = data.get(key)
    if raw is None:
        if required:
            ck.error(data, None, f"the protocol needs {key!r}", "missing-key")
        return []
    if not isinstance(raw, list):
        ck.error(data, key, f"{key!r} must be a list", "type")
        return []
    out = []
    for i, item in enumerate(raw):
        if not isinstance(item, dict):
            ck.error(raw, None, f"item {i + 1} of {key!r} must be a mapping", "type")
            continue
        out.append(item)
    return out


def _check_id(
    ck: _Checker,
    node: Mapping[str, Any],
    key: str,
    value: str,
    where: str,
    seen: dict[str, int | None],
) -> None:
    if not value:
        return
    if not _ID.match(value):
        ck.error(
            node,
            key,
            f"{where} id {value!r} must be lower-case letters, digits and hyphens",
            "bad-id",
        )
    if value in seen:
        ck.error(
            node,
            key,
            f"{where} id {value!r} is used twice",
            "duplicate-id",
            f"first at line {seen[value]}",
        )
    seen.setdefault(value, line_of(node, key))


def _sources(ck: _Checker, data: Mapping[str, Any]) -> tuple[Source, ...]:
    import posixpath

    out: list[Source] = []
    seen: dict[str, int | None] = {}
    #: each export listed so far (as a normalised path) -> the source that lists it, and its line
    listed: dict[str, tuple[str, int | None]] = {}
    for item in _items(ck, data, "sources"):
        ck.unknown_keys(item, _SOURCE_KEYS, "a source")
        sid = ck.text(item, "id", "a source")
        _check_id(ck, item, "id", sid, "source", seen)
        where = f"source {sid!r}"
        kind = ck.text(item, "kind", where)
        if kind and kind not in SOURCE_KINDS:
            ck.error(
                item,
                "kind",
                f"unknown source kind {kind!r}",
                "unknown-kind",
                suggest(kind, SOURCE_KINDS) or f"known kinds: {', '.join(SOURCE_KINDS)}",
            )
        searched = ck.text(item, "searched", where, required=False)
        if searched and not _DATE.match(searched):
            ck.error(
                item,
                "searched",
                f"search date {searched!r} is not YYYY, YYYY-MM or YYYY-MM-DD",
                "bad-date",
            )
        files = ck.text_list(item, "files", where)
        for f in files:
            if f.startswith("/") or ".." in Path(f).parts:
                ck.error(
                    item,
                    "files",
                    f"file {f!r} must be a path inside the review repository",
                    "bad-path",
                )
            # one export under two sources (or twice under one) is imported twice: its records
            # would count twice as identified, once per listing
            same = posixpath.normpath(f)
            if same in listed:
                first, at = listed[same]
                ck.error(
                    item,
                    "files",
                    f"file {f!r} is listed "
                    + ("twice under this source" if first == sid else f"under source {first!r} too")
                    + ": `litreview run` would import it once per listing, counting its records "
                    "twice",
                    "duplicate-file",
                    f"list it once, under the source it came from (first at line {at})",
                )
            else:
                listed[same] = (sid, line_of(item, "files"))
        out.append(
            Source(
                id=sid,
                name=ck.text(item, "name", where),
                kind=kind,
                searched=searched,
                files=files,
                note=ck.text(item, "note", where, required=False),
                line=line_of(item),
                searches=_searches(ck, item, where, searched, files),
            )
        )
    return tuple(out)


def _searches(
    ck: _Checker, item: Mapping[str, Any], where: str, searched: str, files: tuple[str, ...]
) -> tuple[Search, ...]:
    """The searches of one source; ``query:`` on the source itself is a one-search shorthand."""
    if "query" in item:
        if "searches" in item:
            ck.error(
                item,
                "query",
                f"{where} has both 'query' and 'searches'",
                "protocol",
                "move the query into one of the searches",
            )
            return ()
        query = _query(ck, item, where)
        return (Search(query=query, date=searched, line=line_of(item, "query")),)
    out: list[Search] = []
    for i, s in enumerate(_items(ck, item, "searches", required=False)):
        here = f"search {i + 1} of {where}"
        ck.unknown_keys(s, _SEARCH_KEYS, f"a search of {where}")
        date = ck.text(s, "date", here, required=False)
        if date and not _DATE.match(date):
            ck.error(
                s, "date", f"search date {date!r} is not YYYY, YYYY-MM or YYYY-MM-DD", "bad-date"
            )
        records = s.get("records")
        if records is not None and (
            not isinstance(records, int) or isinstance(records, bool) or records < 0
        ):
            ck.error(
                s,
                "records",
                f"'records' of {here} must be a whole number of records, not {records!r}",
                "type",
                "the number of hits the database reported; leave it out when it is not known",
            )
            records = None
        file = ck.text(s, "file", here, required=False)
        if file and file not in files:
            ck.error(
                s,
                "file",
                f"file {file!r} of {here} is not among the source's files",
                "unknown-file",
                suggest(file, files)
                or ("files: " + ", ".join(files) if files else "list it under 'files'"),
            )
        out.append(
            Search(
                database=ck.text(s, "database", here, required=False),
                platform=ck.text(s, "platform", here, required=False),
                query=_query(ck, s, here),
                date=date or searched,
                limits=ck.text(s, "limits", here, required=False),
                records=records,
                file=file,
                note=ck.text(s, "note", here, required=False),
                line=line_of(s),
                records_line=line_of(s, "records") if records is not None else None,
            )
        )
    return tuple(out)


def _query(ck: _Checker, node: Mapping[str, Any], where: str) -> str:
    """A query keeps its lines (an Ovid strategy is numbered line by line); ends are trimmed."""
    value = node.get("query")
    if value is None:
        return ""
    if isinstance(value, (dict, list)):
        ck.error(
            node,
            "query",
            f"'query' of {where} must be text",
            "type",
            "write a multi-line query as a YAML block: 'query: |' and the lines indented below",
        )
        return ""
    return "\n".join(line.rstrip() for line in str(value).strip().splitlines())


def _stages(ck: _Checker, data: Mapping[str, Any]) -> tuple[Stage, ...]:
    out: list[Stage] = []
    seen: dict[str, int | None] = {}
    items = _items(ck, data, "stages")
    if not items and isinstance(data.get("stages"), list):
        ck.error(data, "stages", "the protocol needs at least one stage", "missing-key")
    for item in items:
        ck.unknown_keys(item, _STAGE_KEYS, "a stage")
        sid = ck.text(item, "id", "a stage")
        _check_id(ck, item, "id", sid, "stage", seen)
        rp = item.get("requires_person", False)
        if not isinstance(rp, bool):
            ck.error(item, "requires_person", "'requires_person' must be true or false", "type")
            rp = False
        nr = item.get("reviewers", 1)
        if isinstance(nr, bool) or not isinstance(nr, int) or not 1 <= nr <= 9:
            ck.error(
                item,
                "reviewers",
                "'reviewers' must be a whole number from 1 to 9 (independent reviewers "
                "per record at this stage)",
                "type",
            )
            nr = 1
        out.append(
            Stage(
                id=sid,
                label=ck.text(item, "label", f"stage {sid!r}", required=False) or sid,
                requires_person=rp,
                reviewers=nr,
            )
        )
    return tuple(out)


def _reasons(ck: _Checker, data: Mapping[str, Any]) -> dict[str, str]:
    raw = data.get("reasons")
    if raw is None:
        ck.error(
            data,
            None,
            "the protocol needs 'reasons' (exclusion reason codes and labels)",
            "missing-key",
        )
        return {}
    if not isinstance(raw, dict):
        ck.error(data, "reasons", "'reasons' must map each code to its label", "type")
        return {}
    out: dict[str, str] = {}
    for code, label in raw.items():
        if not _ID.match(code):
            ck.error(
                raw,
                code,
                f"reason code {code!r} must be lower-case letters, digits and hyphens",
                "bad-id",
            )
        if not isinstance(label, str) or not label.strip():
            ck.error(raw, code, f"reason {code!r} needs a label", "type")
            label = code
        out[code] = label.strip()
    return out


def _criteria(
    ck: _Checker, data: Mapping[str, Any], stages: set[str], reasons: Mapping[str, str]
) -> tuple[Criterion, ...]:
    from litreview.screen.criteria import KINDS as kinds

    KINDS = {name: kind.params for name, kind in kinds.items()}
    out: list[Criterion] = []
    seen: dict[str, int | None] = {}
    for item in _items(ck, data, "criteria"):
        cid = ck.text(item, "id", "a criterion")
        _check_id(ck, item, "id", cid, "criterion", seen)
        where = f"criterion {cid!r}"
        kind = ck.text(item, "kind", where)
        if kind and kind not in KINDS:
            ck.error(
                item,
                "kind",
                f"unknown criterion kind {kind!r}",
                "unknown-kind",
                suggest(kind, tuple(KINDS)) or f"known kinds: {', '.join(KINDS)}",
            )
            ck.unknown_keys(
                item, COMMON_CRITERION_KEYS + tuple(p for ps in KINDS.values() for p in ps), where
            )
        elif kind:
            ck.unknown_keys(item, COMMON_CRITERION_KEYS + KINDS[kind], where)
        else:  # a misspelt `kind:` is itself an unknown key: say so, with the spelling meant
            ck.unknown_keys(
                item, COMMON_CRITERION_KEYS + tuple(p for ps in KINDS.values() for p in ps), where
            )
        stage = ck.text(item, "stage", where)
        if stage and stages and stage not in stages:
            ck.error(
                item,
                "stage",
                f"unknown stage {stage!r} in {where}",
                "unknown-stage",
                suggest(stage, stages) or f"stages: {', '.join(sorted(stages))}",
            )
        reason = ck.text(item, "reason", where)
        if reason and reason not in reasons:
            ck.error(
                item,
                "reason",
                f"unknown reason code {reason!r} in {where}",
                "unknown-reason",
                suggest(reason, tuple(reasons)) or "add it under 'reasons'",
            )
        params = kinds[kind].check(ck, item, where) if kind in kinds else {}
        out.append(
            Criterion(
                id=cid,
                label=ck.text(item, "label", where, required=False) or cid,
                kind=kind,
                stage=stage,
                reason=reason,
                params=params,
                note=ck.text(item, "note", where, required=False),
                line=line_of(item),
            )
        )
    return tuple(out)


def _fields(ck: _Checker, node: Mapping[str, Any], where: str) -> tuple[str, ...]:
    """The record fields a criterion reads; a near miss of a known field is an error, since it
    would read nothing and so change every outcome without a word."""
    fields = ck.text_list(node, "fields", where)
    for name in fields:
        near = misspelt_field(name)
        if near:
            ck.error(
                node,
                "fields",
                f"unknown field {name!r} in 'fields' of {where}",
                "unknown-field",
                f"did you mean {near!r}?",
            )
    return fields or DEFAULT_TEXT_FIELDS


def _field(ck: _Checker, node: Mapping[str, Any], where: str, default: str) -> str:
    """The one record field a country or language criterion reads (see :func:`_fields`)."""
    name = ck.text(node, "field", where, required=False) or default
    near = misspelt_field(name)
    if near:
        ck.error(
            node,
            "field",
            f"unknown field {name!r} in 'field' of {where}",
            "unknown-field",
            f"did you mean {near!r}?",
        )
    return name


def _terms_params(ck: _Checker, node: Mapping[str, Any], where: str, out: dict[str, Any]) -> None:
    for key in ("include_terms", "exclude_terms"):
        terms = ck.text_list(node, key, where)
        for t in terms:
            problem = term_problem(t)
            if problem:
                ck.error(node, key, f"{key} of {where}: {problem}", "bad-term")
        out[key] = terms
    out["fields"] = _fields(ck, node, where)
    syn = node.get("synonyms", {})
    synonyms: dict[str, tuple[str, ...]] = {}
    if not isinstance(syn, dict):
        ck.error(node, "synonyms", f"'synonyms' of {where} must map a word to its synonyms", "type")
    else:
        for head in syn:
            synonyms[head] = ck.text_list(syn, head, f"synonyms of {head!r}")
    out["synonyms"] = synonyms
    plurals = node.get("plurals", True)
    if not isinstance(plurals, bool):
        ck.error(node, "plurals", "'plurals' must be true or false", "type")
        plurals = True
    out["plurals"] = plurals


def _extraction(ck: _Checker, data: Mapping[str, Any]) -> tuple[ExtractionField, ...]:
    raw = data.get("extraction")
    if raw is None:
        return ()
    if not isinstance(raw, dict):
        ck.error(data, "extraction", "'extraction' must be a mapping with 'fields'", "type")
        return ()
    ck.unknown_keys(raw, ("fields",), "'extraction'")
    out: list[ExtractionField] = []
    seen: set[str] = set()
    for item in _items(ck, raw, "fields", required=False):
        ck.unknown_keys(item, _FIELD_KEYS, "an extraction field")
        name = ck.text(item, "name", "an extraction field")
        if name in seen:
            ck.error(item, "name", f"extraction field {name!r} is listed twice", "duplicate-id")
        seen.add(name)
        required = item.get("required", False)
        if not isinstance(required, bool):
            ck.error(item, "required", "'required' must be true or false", "type")
            required = False
        evidence = item.get("evidence", "optional")
        if evidence not in ("required", "optional"):
            ck.error(item, "evidence", "'evidence' must be required or optional", "type")
            evidence = "optional"
        table = item.get("table", "evidence")
        if table not in FIELD_TABLES:
            ck.error(
                item,
                "table",
                f"'table' must be one of {', '.join(FIELD_TABLES)}, not {table!r}",
                "type",
                suggest(str(table), FIELD_TABLES),
            )
            table = "evidence"
        out.append(
            ExtractionField(
                name=name,
                label=ck.text(item, "label", f"field {name!r}", required=False) or name,
                required=required,
                values=ck.text_list(item, "values", f"field {name!r}"),
                evidence=evidence == "required",
                default=ck.text(item, "default", f"field {name!r}", required=False),
                table=table,
            )
        )
    return tuple(out)


def check_protocol_files(protocol: Protocol, root: Path) -> list[Problem]:
    """Warnings for search export files the protocol names but the repository lacks."""
    out = []
    for s in protocol.sources:
        for f in s.files:
            if not (root / f).is_file():
                out.append(
                    Problem(
                        Location(protocol.path, s.line, s.id),
                        f"search export {f} of source {s.id!r} is missing",
                        Severity.WARNING,
                        "missing-export",
                        "put the export there, or correct its path under the source's `files:`",
                    )
                )
    return out
