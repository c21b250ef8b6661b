"""The extraction data: per included study, the fields the protocol declares (design, country…).

``corpus/extraction.yaml``::

    version: 1
    studies:
    - key: Harvey2014
      relevance: direct          # direct | related
      design: Qualitative
      country: UK
      key_findings: ...
      report_of: Harvey2013      # optional: a linked report of the study another entry reports
      evidence:                  # optional; required per field by ``evidence: required``
        key_findings:
        - {line: 172, quote: a short quote from the source, at most twelve words}

The declared fields come in as a parameter (the protocol owns them), so this module does not
depend on the protocol. Every finding is a :class:`~litreview.model.Problem` with file and line.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from litreview.files.schema import FileSchema, listed_items
from litreview.files.yamlio import line_of, load_yaml, suggest
from litreview.model import Location, Problem, Severity

VERSION = 1
_SCHEMA = FileSchema(
    "the extraction file",
    ("version", "studies"),
    VERSION,
    "the extraction file must be a mapping with 'version' and 'studies'",
)
RELEVANCE = ("direct", "related")
#: Longest quote an evidence item may carry: enough to find the passage again, short enough
#: that the project never reproduces the source's sentences.
MAX_QUOTE_WORDS = 12
#: A value saying the source is silent ("not reported in the review …") rests on no line.
_UNREPORTED = re.compile(r"^not (reported|stated)\b", re.I)


@dataclass(frozen=True)
class FieldSpec:
    """A field the protocol declares for extraction: its YAML name, its label, required or not."""

    name: str
    label: str
    required: bool = False
    evidence: bool = False


@dataclass(frozen=True)
class Evidence:
    """Where in the source a value comes from: the line it rests on and a short quote of it."""

    line: int
    quote: str


#: The fields the evidence table shows; a protocol may declare more or mark some required.
DEFAULT_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("design", "Design"),
    FieldSpec("methods", "Methods"),
    FieldSpec("participants", "Participants"),
    FieldSpec("setting", "Setting"),
    FieldSpec("country", "Country"),
    FieldSpec("key_findings", "Key findings"),
)


def fields_from(declared: Iterable[Any]) -> tuple[FieldSpec, ...]:
    """The fields a protocol declares (``Protocol.extraction_fields``) as specs, or the defaults
    when it declares none. ``relevance`` is read by the loader itself, so it is not a field."""
    specs = tuple(
        FieldSpec(f.name, f.label, f.required, bool(getattr(f, "evidence", False)))
        for f in declared
        if f.name != "relevance"
    )
    return specs or DEFAULT_FIELDS


@dataclass(frozen=True)
class StudyExtraction:
    key: str
    relevance: str = ""
    values: Mapping[str, str] = field(default_factory=dict)
    line: int | None = None
    evidence: Mapping[str, tuple[Evidence, ...]] = field(default_factory=dict)
    #: the entry of the study's main report when this is a linked report of the same study
    #: (PRISMA 2020 counts studies and their reports apart)
    report_of: str = ""

    def get(self, name: str) -> str:
        return self.values.get(name, "")


@dataclass(frozen=True)
class ExtractionResult:
    studies: Mapping[str, StudyExtraction]
    problems: tuple[Problem, ...]

    @property
    def ok(self) -> bool:
        return not any(p.is_error for p in self.problems)


def load_extraction(
    path: Path,
    fields: Sequence[FieldSpec] = DEFAULT_FIELDS,
    known_keys: Collection[str] | None = None,
    display: str | None = None,
    aliases: Mapping[str, str] | None = None,
) -> ExtractionResult:
    """Read and validate the extraction file; an unreadable file raises ConfigError."""
    shown = display or path.as_posix()
    return parse_extraction(load_yaml(path, shown), shown, fields, known_keys, aliases)


def parse_extraction(
    data: Any,
    path: str,
    fields: Sequence[FieldSpec] = DEFAULT_FIELDS,
    known_keys: Collection[str] | None = None,
    aliases: Mapping[str, str] | None = None,
) -> ExtractionResult:
    """Validate parsed YAML: unknown fields, missing required ones, keys not in the corpus, duplicates.

    ``aliases`` (the dedupe log's absorbed -> survivor): an entry written for a record that a
    later merge absorbed is the survivor's, as people's decisions and theme overrides are."""
    problems: list[Problem] = []

    def err(
        line: int | None,
        message: str,
        code: str,
        key: str | None = None,
        hint: str | None = None,
        severity: Severity = Severity.ERROR,
        missing: str | None = None,
    ) -> None:
        problems.append(Problem(Location(path, line, key), message, severity, code, hint, missing))

    if data is None:
        return ExtractionResult({}, ())
    entries, shape = listed_items(data, path, _SCHEMA, "studies")
    problems.extend(shape)
    if entries is None:
        return ExtractionResult({}, tuple(problems))
    names = {f.name for f in fields}
    allowed = ["key", "relevance", "evidence", "report_of", *sorted(names)]
    known = set(known_keys) if known_keys is not None else None
    studies: dict[str, StudyExtraction] = {}
    first_line: dict[str, int | None] = {}
    links: dict[str, tuple[int | None, str]] = {}  # linked report -> (line, the main report's key)
    for entry in entries:
        line = line_of(entry)
        if not isinstance(entry, dict):
            err(line, "each study must be a mapping with a 'key'", "type")
            continue
        key = entry.get("key")
        if not isinstance(key, str) or not key.strip():
            err(line, "a study without a 'key'", "missing-key")
            continue
        key = written = key.strip()
        if known is not None and key not in known and aliases:
            from litreview.corpus.mergemap import MergeMap

            key = MergeMap(aliases).survivor(key, known) or key
        if key in studies or key in first_line:
            also = "" if written == key else f" (as {written!r}, which a merge absorbed into it)"
            err(
                line_of(entry, "key"),
                f"study {key!r} appears twice{also} (first at line {first_line[key]})",
                "duplicate-key",
                key,
            )
            continue
        first_line[key] = line_of(entry, "key")
        if known is not None and key not in known:
            err(
                line_of(entry, "key"),
                f"{key!r} is not a record in the corpus",
                "unknown-study",
                key,
                hint=suggest(key, sorted(known)),
                missing=key,
            )
        values: dict[str, str] = {}
        wrong_type: set[str] = set()
        for name, value in entry.items():
            if name in ("key", "relevance", "evidence", "report_of"):
                continue
            if name not in names:
                err(
                    line_of(entry, name),
                    f"unknown field {name!r}",
                    "unknown-field",
                    key,
                    hint=suggest(name, allowed) or "declare it in the protocol's extraction fields",
                )
                continue
            if isinstance(value, (dict, list)):
                err(
                    line_of(entry, name),
                    f"field {name!r} has the wrong type: expected text, found {_kind(value)}",
                    "field-type",
                    key,
                    hint="write the value on one line after the ':', or as a '|' block for "
                    "several lines",
                )
                wrong_type.add(name)
                continue
            values[name] = "" if value is None else str(value).strip()
        relevance = entry.get("relevance")
        rel = (
            ""
            if relevance is None or isinstance(relevance, (dict, list))
            else str(relevance).strip()
        )
        if isinstance(relevance, (dict, list)):
            err(
                line_of(entry, "relevance"),
                f"relevance has the wrong type: expected one of {', '.join(RELEVANCE)}, "
                f"found {_kind(relevance)}",
                "field-type",
                key,
            )
        elif rel and rel not in RELEVANCE:
            err(
                line_of(entry, "relevance"),
                f"relevance must be one of {', '.join(RELEVANCE)}, not {rel!r}",
                "relevance",
                key,
                hint=suggest(rel, RELEVANCE),
            )
            rel = ""
        for spec in fields:
            if spec.required and not values.get(spec.name) and spec.name not in wrong_type:
                err(
                    line,
                    f"required field {spec.name!r} ({spec.label}) is missing",
                    "missing-field",
                    key,
                )
        evidence, cited = _evidence(entry, names, key, allowed, err)
        for spec in fields:
            value = values.get(spec.name, "")
            if spec.evidence and value and not _UNREPORTED.match(value) and spec.name not in cited:
                err(
                    line_of(entry, spec.name),
                    f"field {spec.name!r} ({spec.label}) has no evidence",
                    "missing-evidence",
                    key,
                    hint=f"the protocol requires it: under 'evidence', list {spec.name}: [{{line: N, quote: ...}}] "
                    f"(a quote of at most {MAX_QUOTE_WORDS} words), or write 'not reported in …' if the source is silent",
                )
        raw_of = entry.get("report_of")
        report_of = (
            "" if raw_of is None or isinstance(raw_of, (dict, list)) else str(raw_of).strip()
        )
        if report_of and known is not None and report_of not in known and aliases:
            from litreview.corpus.mergemap import MergeMap

            report_of = MergeMap(aliases).survivor(report_of, known) or report_of
        studies[key] = StudyExtraction(
            key=key, relevance=rel, values=values, line=line, evidence=evidence, report_of=report_of
        )
        if report_of:
            links[key] = (line_of(entry, "report_of"), report_of)
    for key, (at, main) in links.items():
        if main == key:
            err(at, f"{key!r} cannot be a linked report of itself", "report-of", key)
        elif main not in studies:
            err(
                at,
                f"report_of names {main!r}, which has no entry in this file",
                "report-of",
                key,
                hint=suggest(main, sorted(studies))
                or "a linked report points at the entry of its study's main report",
            )
        elif studies[main].report_of:
            err(
                at,
                f"report_of names {main!r}, which is itself a linked report of {studies[main].report_of!r}",
                "report-of",
                key,
                hint=f"point at the study's main report: report_of: {studies[main].report_of}",
            )
        elif studies[key].relevance and studies[key].relevance != studies[main].relevance:
            # the tables group a study's reports under its main report's relevance, the CSV
            # and the narrative under each report's own: one study, two groups
            err(
                at,
                f"{key!r} is marked {studies[key].relevance!r} but its study's main report"
                f" {main!r} is {studies[main].relevance!r}",
                "report-of-relevance",
                key,
                hint=f"a linked report shares its study's relevance: relevance: {studies[main].relevance}",
                severity=Severity.WARNING,
            )
    return ExtractionResult(dict(sorted(studies.items())), tuple(problems))


def _evidence(
    entry: Mapping[str, Any],
    names: Collection[str],
    key: str,
    allowed: Sequence[str],
    err: Callable[..., None],
) -> tuple[dict[str, tuple[Evidence, ...]], set[str]]:
    """The study's ``evidence`` mapping (field -> list of line and quote), each fault an error, and
    the fields that cite something (a faulty item is reported once, not again as missing)."""
    raw = entry.get("evidence")
    if raw is None:
        return {}, set()
    if not isinstance(raw, dict):
        err(
            line_of(entry, "evidence"),
            "evidence must be a mapping of field names to lists of {line, quote}",
            "evidence-shape",
            key,
        )
        return {}, set(names)
    out: dict[str, tuple[Evidence, ...]] = {}
    cited: set[str] = set()
    for name, items in raw.items():
        at = line_of(raw, name) or line_of(entry, "evidence")
        if name not in names:
            err(
                at,
                f"evidence for unknown field {name!r}",
                "unknown-field",
                key,
                hint=suggest(
                    str(name), [n for n in allowed if n not in ("key", "relevance", "evidence")]
                ),
            )
            continue
        cited.add(str(name))
        if not isinstance(items, list):
            err(
                at,
                f"evidence for {name!r} must be a list of {{line, quote}}",
                "evidence-shape",
                key,
            )
            continue
        found: list[Evidence] = []
        for item in items:
            where = line_of(item) or at
            line, quote = (
                (item.get("line"), item.get("quote")) if isinstance(item, dict) else (None, None)
            )
            if not isinstance(item, dict) or set(item) - {"line", "quote"}:
                err(
                    where,
                    f"each evidence item for {name!r} is a mapping with 'line' and 'quote' only",
                    "evidence-shape",
                    key,
                )
            elif isinstance(line, bool) or not isinstance(line, int) or line < 1:
                err(
                    where,
                    f"evidence for {name!r} needs a 'line': a line number of the source (1 or more)",
                    "evidence-shape",
                    key,
                )
            elif not isinstance(quote, str) or not quote.strip():
                err(
                    where,
                    f"evidence for {name!r} needs a 'quote' from the source line",
                    "evidence-shape",
                    key,
                )
            elif len(quote.split()) > MAX_QUOTE_WORDS:
                err(
                    where,
                    f"evidence quote for {name!r} has {len(quote.split())} words; at most "
                    f"{MAX_QUOTE_WORDS} are allowed",
                    "evidence-quote",
                    key,
                    hint="shorten it to the words "
                    "that locate the passage; write the value itself in your own words",
                )
            else:
                found.append(Evidence(line, " ".join(quote.split())))
        if found:
            out[str(name)] = tuple(found)
        elif not items:
            cited.discard(str(name))  # an empty list cites nothing
    return out, cited


def _kind(value: Any) -> str:
    return "a list" if isinstance(value, list) else "a mapping"


def missing_extraction(
    result: ExtractionResult, included: Collection[str], path: str
) -> list[Problem]:
    """A warning for each included study that has no extraction entry."""
    return [
        Problem(
            Location(path, None, key),
            f"included study {key!r} has no extraction entry",
            Severity.WARNING,
            "no-extraction",
        )
        for key in sorted(included)
        if key not in result.studies
    ]


def extraction_of_excluded(
    result: ExtractionResult, excluded: Mapping[str, str], path: str
) -> list[Problem]:
    """A warning for each extraction entry of a study the screening now excludes
    (``excluded``: key -> where and why, in words): the outputs show included studies only,
    so what a person extracted for it would be left out without a word (a decision changed
    after the extraction). A study still waiting for a person is not warned of."""
    return [
        Problem(
            Location(path, study.line, key),
            f"extraction entry for {key!r}, which is excluded ({excluded[key]}): the outputs"
            " leave it out",
            Severity.WARNING,
            "extraction-of-excluded",
            "remove the entry, or check the study's screening",
        )
        for key, study in sorted(result.studies.items())
        if key in excluded and not study.report_of
    ]
