"""Rendering: evidence table, technical appendix, narrative skeleton, PRISMA and pictures.

The input is a *view model* (:class:`RenderInput`): plain frozen data that an adapter builds
from the screening and tagging results, so that this module depends on neither. Every output
goes through :func:`litreview.files.fsutil.atomic_write` into one folder; the same input gives the same
bytes (no timestamps; orders fixed).

Templates are Jinja2, sandboxed (a user's template cannot reach Python internals), with
``StrictUndefined`` (a misspelt variable fails loudly). Escaping is on by default in every
format: HTML autoescapes; Markdown and LaTeX templates escape every ``{{ value }}`` through
:func:`md_escape` / :func:`tex_escape` unless the template marks it ``|safe``. A user's template
folder is searched first, then ours (``litreview/report/templates``), template by template.
"""

from __future__ import annotations

import base64
import contextvars
import dataclasses
import functools
import hashlib
import json
import re
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup

from litreview.corpus.searches import NOT_RECORDED as NOT_RECORDED_TEXT
from litreview.corpus.searches import prisma_s
from litreview.errors import ConfigError
from litreview.files.fsutil import atomic_write, inside
from litreview.model import Location, Name, Record
from litreview.progress import Progress, track
from litreview.report import _svg as svg
from litreview.report import citations
from litreview.report._escaping import _md_text, _plain, _tex_text, md_escape, tex_escape
from litreview.report.narrative import ROLE_HEADINGS, NarrativeMap, Section
from litreview.report.prisma import PrismaCounts

PRISMA_JSON_VERSION = 2
#: what ``--format`` chooses from: svg is the pictures (PRISMA diagram, evidence maps, chart by
#: year), json the PRISMA counts
FORMATS = ("md", "html", "csv", "tex", "svg", "json")
#: a format that needs another's files: the Markdown appendix shows the pictures by file name
#: (the HTML pages carry them inline)
BRINGS = {"md": ("svg",)}
TEMPLATES_DIR = Path(__file__).parent / "templates"


# --- the view model -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Search:
    """One search of a source as the protocol records it; empty text is "not recorded"."""

    database: str = ""
    platform: str = ""
    query: str = ""  # as run; its lines kept
    date: str = ""
    limits: str = ""
    records: int | None = None  # hits the database reported
    imported: int | None = (
        None  # records the corpus holds from the search's export (None: no export named)
    )
    note: str = ""


@dataclass(frozen=True)
class Source:
    """A database or other source searched, from the protocol."""

    id: str
    name: str
    kind: str = "database"
    searched: str = ""  # the date of the search as written in the protocol
    identified: int = 0
    searches: tuple[Search, ...] = ()


@dataclass(frozen=True)
class Criterion:
    """An eligibility criterion; ``reason`` is the exclusion reason code it leads to."""

    id: str
    label: str
    reason: str = ""


@dataclass(frozen=True)
class Theme:
    id: str
    label: str
    question: str = ""
    description: str = ""


@dataclass(frozen=True)
class Study:
    """An included study: its record, extraction data and themes.

    ``citation`` may be left empty: :func:`prepare` fills it in the review's style, with a/b
    letters across all included studies. ``theme_sources`` says for each theme id whether a
    rule or a person's override put it there; ``overridden`` is the override's note.
    """

    key: str
    record: Record
    citation: str = ""
    country: str = ""
    setting: str = ""
    design: str = ""
    methods: str = ""
    participants: str = ""
    themes: tuple[str, ...] = ()
    theme_sources: Mapping[str, str] = field(default_factory=dict)
    key_findings: str = ""
    relevance: str = ""  # direct | related | ""
    overridden: str = ""
    other: Mapping[str, str] = field(
        default_factory=dict
    )  # further declared extraction fields, by label
    #: field name → (source line, quote) pairs the value rests on (corpus/extraction.yaml's evidence)
    evidence: Mapping[str, tuple[tuple[int, str], ...]] = field(default_factory=dict)
    #: the key of the study's main report when this is a linked report of the same study
    report_of: str = ""
    #: fields declared for the study characteristics table (``table: characteristics``), by label
    characteristics: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class ExcludedStudy:
    """A record excluded at full text, with the reason's label and the reviewer's note."""

    key: str
    citation: str
    reason: str
    note: str = ""


@dataclass(frozen=True)
class RenderInput:
    title: str
    question: str = ""
    sources: tuple[Source, ...] = ()
    criteria: tuple[Criterion, ...] = ()
    reasons: Mapping[str, str] = field(default_factory=dict)  # reason code → label
    prisma: PrismaCounts = field(default_factory=PrismaCounts)
    studies: tuple[Study, ...] = ()
    themes: tuple[Theme, ...] = ()
    excluded_full_text: tuple[ExcludedStudy, ...] = ()
    methods_note: str = ""  # the protocol's note on where the methods and counts come from
    synthesis: str = ""  # the protocol's account of how the studies were synthesised
    limitations: str = ""  # and of the review's limitations
    #: reports sought but not retrieved (corpus/fulltext.yaml), the reason in ``reason``
    not_retrieved: tuple[ExcludedStudy, ...] = ()
    #: where the review cites each work (corpus/narrative.yaml), for the narrative skeleton
    narrative: NarrativeMap | None = None
    #: works the narrative cites that are not included studies (for references.bib)
    cited: tuple[Record, ...] = ()
    #: a theme with fewer included studies is a gap (themes.yaml's ``settings.min_studies``)
    min_studies: int = 3


# --- escaping: litreview/report/_escaping.py (citations uses it too; here for the templates and tests) ----


def pandoc_cite(key: str) -> str:
    """``[@key]``, braced when the key holds characters pandoc would end a citation at."""
    if re.fullmatch(r"[A-Za-z0-9_][\w:.#$%&+?<>~/-]*[A-Za-z0-9_]|[A-Za-z0-9_]", key):
        return f"[@{key}]"
    return "[@{" + key.replace("}", "") + "}]"


# --- template environments ------------------------------------------------------------------------


class _ReviewsOwn(jinja2.FileSystemLoader):
    """The review's own templates, which people edit on branches: a merge left unfinished in
    one (git's conflict markers) is a syntax error at the first marker, not text to render."""

    def get_source(
        self, environment: jinja2.Environment, template: str
    ) -> tuple[str, str, Callable[[], bool]]:
        source, filename, uptodate = super().get_source(environment, template)
        from litreview.files.yamlio import merge_conflict_markers

        markers = merge_conflict_markers(source, filename)
        if markers:
            raise jinja2.TemplateSyntaxError(
                f"{markers[0].message} (finish the merge: keep what you want between the "
                "markers, delete the marker lines)",
                markers[0].location.line or 1,
                template,
                filename,
            )
        return source, filename, uptodate


def _loader(templates_dir: Path | None) -> jinja2.BaseLoader:
    ours = jinja2.FileSystemLoader(str(TEMPLATES_DIR))
    if templates_dir is None:
        return ours
    return jinja2.ChoiceLoader([_ReviewsOwn(str(templates_dir)), ours])


class _Sandbox(SandboxedEnvironment):
    """Jinja's sandbox with a short way to the fields of our own frozen data classes.

    The sandbox checks every attribute a template reads; for 10,000 studies that is most of the
    rendering time. A declared field of a view-model class is plain data (its name has no
    underscore, its value is no function or frame), so the check would always pass: read it
    directly and leave everything else to the sandbox.
    """

    def getattr(self, obj: Any, attribute: str) -> Any:
        fields = _VIEW_FIELDS.get(type(obj))
        if fields is not None and attribute in fields:
            return getattr(obj, attribute)
        return super().getattr(obj, attribute)

    # a review's templates come with the review (a clone, a pull request): limit what they can make
    intercepted_binops = frozenset({"*", "**"})

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if (
            operator == "**"
            and isinstance(left, int)
            and isinstance(right, int)
            and right > 0
            and abs(left) > 1
            and right * abs(left).bit_length() > 4096
        ):
            raise TemplateLimit(f"{left} ** {right} is too large a number")
        if operator == "*":
            seq, n = (left, right) if isinstance(right, int) else (right, left)
            if (
                isinstance(seq, (str, list, tuple))
                and isinstance(n, int)
                and len(seq) * n > MAX_OUTPUT
            ):
                raise TemplateLimit(
                    f"repeating a value {n} times makes more than {MAX_OUTPUT:,} characters"
                )
        return super().call_binop(context, operator, left, right)


#: What one template rendering may do: loop over at most MAX_RANGE numbers in one range() and
#: RANGE_BUDGET in all (a nested loop of ranges runs out), write at most MAX_OUTPUT characters,
#: and take at most MAX_SECONDS. Templates loop over the review's data, not over large ranges.
MAX_RANGE = 10_000
RANGE_BUDGET = 1_000_000
MAX_OUTPUT = 256 * 2**20
MAX_SECONDS = 600.0


class TemplateLimit(Exception):
    """A template asked for more than :data:`MAX_RANGE`, :data:`MAX_OUTPUT` or the time allows."""


@dataclass
class _Budget:
    ranges: int = RANGE_BUDGET
    deadline: float = 0.0

    def spend(self, items: int) -> None:
        self.ranges -= items
        if self.ranges < 0:
            raise TemplateLimit(
                f"the template's range() loops count more than {RANGE_BUDGET:,} numbers in all"
            )
        if time.monotonic() > self.deadline:
            raise TemplateLimit(f"rendering took longer than {MAX_SECONDS:.0f} s")


_BUDGET: contextvars.ContextVar[_Budget] = contextvars.ContextVar("template_budget")


def _capped_range(*args: int) -> range:
    numbers = range(*args)
    if len(numbers) > MAX_RANGE:
        raise TemplateLimit(
            f"range() of {len(numbers):,} numbers; a template may loop over at most {MAX_RANGE:,}"
        )
    budget = _BUDGET.get(None)
    if budget is not None:
        budget.spend(len(numbers))
    return numbers


def environments(templates_dir: Path | None = None) -> dict[str, SandboxedEnvironment]:
    """One sandboxed environment per output language, sharing the loader (user folder first).

    Made once per template folder: Jinja compiles each template once and re-reads it only when
    the file changes.
    """
    return _environments(None if templates_dir is None else templates_dir.resolve())


@functools.lru_cache(maxsize=8)
def _environments(templates_dir: Path | None) -> dict[str, SandboxedEnvironment]:
    loader = _loader(templates_dir)

    def make(finalize: Callable[[Any], Any] | None, autoescape: bool) -> SandboxedEnvironment:
        env = _Sandbox(
            loader=loader,
            undefined=jinja2.StrictUndefined,
            autoescape=autoescape,
            finalize=finalize,
            keep_trailing_newline=True,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        env.filters["md"] = md_escape
        env.filters["tex"] = tex_escape
        env.filters["cite"] = pandoc_cite
        env.globals["range"] = _capped_range
        env.filters["reports_of"] = reports_of
        return env

    # what a Markdown or LaTeX template prints goes through the escaping (as plain text: Jinja
    # turns it into a string anyway; Markup, from |safe or our filters, passes unchanged)
    return {"html": make(None, True), "md": make(_md_text, False), "tex": make(_tex_text, False)}


def _render(envs: Mapping[str, SandboxedEnvironment], name: str, context: Mapping[str, Any]) -> str:
    """Render one template as it is; a template error becomes a ConfigError naming template and line."""
    lang = (
        "html"
        if ".html" in name or name.endswith((".js", ".css"))
        else ("tex" if ".tex" in name else "md")
    )
    outer = _BUDGET.get(None)
    budget = outer or _Budget(deadline=time.monotonic() + MAX_SECONDS)
    token = _BUDGET.set(budget)
    try:
        parts, size = [], 0
        for part in envs[lang].get_template(name).generate(context):
            parts.append(part)
            size += len(part)
            if size > MAX_OUTPUT:
                raise TemplateLimit(f"the template writes more than {MAX_OUTPUT:,} characters")
            if len(parts) % 1024 == 0:  # the clock, now and then
                budget.spend(0)
        return "".join(parts)
    except TemplateLimit as exc:
        raise ConfigError.at(
            _template_location(exc, name),
            f"template exceeds a limit: {exc}",
            hint="templates format the review's data: loop over studies or themes, not large "
            "ranges",
            code="template",
        ) from None
    except RecursionError as exc:
        raise ConfigError.at(
            _template_location(exc, name),
            "template calls itself without end",
            hint="a template must not extend or include itself, and a macro that calls itself "
            "needs a case that stops; to build on a built-in template, copy it under "
            "templates/ rather than extend it by the same name",
            code="template",
        ) from None
    except jinja2.TemplateSyntaxError as exc:
        raise ConfigError.at(
            Location(exc.filename or name, exc.lineno),
            f"template error: {exc.message}",
            code="template",
        ) from None
    except jinja2.TemplateNotFound as exc:
        raise ConfigError.at(
            Location(name), f"template not found: {exc.name}", code="template"
        ) from None
    except jinja2.UndefinedError as exc:
        raise ConfigError.at(
            Location(name),
            f"template uses an undefined value: {exc.message}",
            hint="see docs/rendering.md for the variables each template gets",
            code="template",
        ) from None
    except jinja2.exceptions.SecurityError as exc:
        raise ConfigError.at(
            Location(name), f"template not allowed: {exc}", code="template"
        ) from None
    except (jinja2.TemplateError, ArithmeticError, LookupError, TypeError, ValueError) as exc:
        raise ConfigError.at(
            _template_location(exc, name),
            f"template error: {type(exc).__name__}: {exc}",
            hint="see docs/rendering.md for the variables each template gets",
            code="template",
        ) from None
    finally:
        _BUDGET.reset(token)


def _template_location(exc: BaseException, name: str) -> Location:
    """The innermost template line in ``exc``'s traceback (Jinja rewrites its frames to them)."""
    where = Location(name)
    tb = exc.__traceback__
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith((".j2", ".js", ".css")):
            where = Location(filename, tb.tb_lineno)
        tb = tb.tb_next
    return where


def render_template(envs: Mapping[str, SandboxedEnvironment], name: str, **context: Any) -> str:
    """Render one output template; the text ends with a newline."""
    text = _render(envs, name, context)
    return text if text.endswith("\n") else text + "\n"


# --- preparing the data ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    """An evidence-table row as the templates see it: every cell already plain text."""

    key: str
    citation: str
    year: str
    title: str
    country: str
    setting: str
    design: str
    methods: str
    design_methods: str
    participants: str
    themes: tuple[str, ...]
    themes_text: str
    key_findings: str
    relevance: str
    overridden: str
    doi: str
    other: tuple[tuple[str, str], ...]
    #: the citation of the study's main report when this row is a linked report of it
    linked_to: str = ""
    #: the study characteristics table's own columns, (label, value), in the protocol's order
    traits: tuple[tuple[str, str], ...] = ()
    #: the key of the study this row reports: its main report's key, or its own
    study: str = ""


def reports_of(rows: Sequence[Row]) -> str:
    """A part's count for its heading: "11", or "11 reports of 10 studies" when reports are linked."""
    studies = count_studies(rows)
    return str(len(rows)) if studies == len(rows) else f"{len(rows)} reports of {studies} studies"


def count_studies(rows: Iterable[Row]) -> int:
    """Studies, not reports: PRISMA 2020 counts a study once however many of its reports are listed,
    and a theme carried by one study in two papers is as thin as a theme with one paper."""
    return len({r.study or r.key for r in rows})


@dataclass(frozen=True)
class CitedWork:
    """A work as the narrative skeleton lists it under a subsection."""

    key: str  # a corpus key, or "" for a work with no record (``ref``)
    ref: str
    lines: str  # "line 160" / "lines 160, 170"
    summary: str  # an included study's key findings, the first time the skeleton lists it
    see: str  # later: the heading it was summarised under


@dataclass(frozen=True)
class NarrativePart:
    """A subsection: its title, the review's lines, and its works grouped by role."""

    title: str
    lines: str
    groups: tuple[tuple[str, tuple[CitedWork, ...]], ...]


@dataclass(frozen=True)
class NarrativeSection:
    """A section of the skeleton: a theme (with its tagged studies) or a section of its own."""

    id: str
    heading: str
    question: str
    lines: str
    tagged: int  # studies tagged with the theme (0 for a section that is not a theme)
    is_theme: bool
    parts: tuple[NarrativePart, ...]
    #: included studies tagged with this theme that the review does not cite in it
    tagged_not_cited: tuple[str, ...]


@dataclass(frozen=True)
class Prepared:
    """What the templates get: the input plus derived rows, references, counts and figures."""

    data: RenderInput
    rows: tuple[Row, ...]
    references_md: tuple[tuple[str, str], ...]
    references_html: tuple[tuple[str, Markup], ...]
    theme_studies: tuple[tuple[Theme, tuple[Row, ...]], ...]
    untagged: tuple[Row, ...]
    reason_label: Mapping[str, str]
    prisma: dict[str, Any]
    other_columns: tuple[str, ...]
    #: the PRISMA-S checklist: (item, name, what it asks, what the protocol records)
    prisma_s: tuple[tuple[int, str, str, tuple[str, ...]], ...] = ()
    #: every search as (source name, search, its query's lines), for the search table
    searches: tuple[tuple[str, Search, tuple[str, ...]], ...] = ()
    #: the evidence table's parts: (id, heading, rows); one part with no id or heading when no
    #: study has a relevance, else directly relevant, related, then any without one
    row_groups: tuple[tuple[str, str, tuple[Row, ...]], ...] = ()
    #: the narrative skeleton from corpus/narrative.yaml (empty: one section per theme instead)
    narrative: tuple[NarrativeSection, ...] = ()
    #: included studies the narrative map never cites
    narrative_uncited: tuple[str, ...] = ()
    #: the study characteristics table's own columns (fields declared ``table: characteristics``)
    trait_columns: tuple[str, ...] = ()
    #: studies from other countries the review draws on (role ``international`` in the map):
    #: (key, reference as Markdown, as HTML, the sections that use it)
    international: tuple[tuple[str, str, Markup, str], ...] = ()


#: the view-model classes whose declared fields templates read without the sandbox's check
_VIEW_FIELDS: dict[type, frozenset[str]] = {
    cls: frozenset(f.name for f in dataclasses.fields(cls))
    for cls in (
        RenderInput,
        Source,
        Search,
        Criterion,
        Theme,
        PrismaCounts,
        Study,
        ExcludedStudy,
        Row,
        Record,
        Name,
        CitedWork,
        NarrativePart,
        NarrativeSection,
    )
}


def prepare(data: RenderInput) -> Prepared:
    """Fill citations, sort studies in reference-list order and derive what every output needs."""
    records = [s.record for s in data.studies]
    suffixes = citations.assign_suffixes(records)
    theme_label = {t.id: t.label for t in data.themes}
    ordered = sorted(
        data.studies, key=lambda s: citations.sort_key(s.record, suffixes.get(s.key, ""))
    )
    rows: list[Row] = []
    other_columns = list(
        dict.fromkeys(k for s in data.studies for k in s.other)
    )  # the protocol's order
    trait_columns = list(dict.fromkeys(k for s in data.studies for k in s.characteristics))
    # a linked report follows its study's main report, so a reader sees one study's reports together
    # (the reference list keeps reference-list order)
    reference_order = ordered
    mains = {s.key for s in ordered}
    followers: dict[str, list[Study]] = defaultdict(list)
    for s in ordered:
        if s.report_of and s.report_of in mains and s.report_of != s.key:
            followers[s.report_of].append(s)
    if followers:
        linked_keys = {s.key for group in followers.values() for s in group}
        grouped: list[Study] = []
        for s in ordered:
            if s.key in linked_keys:
                continue
            grouped.append(s)
            grouped.extend(followers.get(s.key, ()))
        ordered = grouped
    cite_of = {
        s.key: s.citation or citations.base_citation(s.record) + suffixes.get(s.key, "")
        for s in ordered
    }
    for s in ordered:
        cite = cite_of[s.key]
        # who assigned a theme (rules or a person's override) is for the audit and `tag --explain`,
        # not for the published table
        labels = tuple(theme_label.get(t, t) for t in s.themes)
        design_methods = "; ".join(
            dict.fromkeys(p for p in (_plain(s.design), _plain(s.methods)) if p)
        )
        rows.append(
            Row(
                key=s.key,
                citation=_plain(cite),
                year=citations.year_label(s.record),
                title=_plain(s.record.title),
                country=_plain(s.country),
                setting=_plain(s.setting),
                design=_plain(s.design),
                methods=_plain(s.methods),
                design_methods=design_methods,
                participants=_plain(s.participants),
                themes=tuple(s.themes),
                themes_text="; ".join(labels),
                key_findings=_plain(s.key_findings),
                relevance=_plain(s.relevance),
                overridden=_plain(s.overridden),
                doi=_plain(s.record.doi),
                other=tuple((c, _plain(s.other.get(c, ""))) for c in other_columns),
                linked_to=_plain(cite_of.get(s.report_of, "")) if s.report_of else "",
                traits=tuple((c, _plain(s.characteristics.get(c, ""))) for c in trait_columns),
                study=s.report_of if s.report_of and s.report_of in mains else s.key,
            )
        )
    by_theme: dict[str, list[Row]] = defaultdict(list)
    for row in rows:
        for t in row.themes:
            by_theme[t].append(row)
    # the evidence table is already in reference-list order: build each entry once, write it twice
    refs: list[tuple[str, str]] = []
    refs_html: list[tuple[str, str]] = []
    for s in reference_order:
        runs = citations.reference_segments(s.record, suffixes.get(s.key, ""))
        refs.append((s.key, citations.render_segments(runs, "md")))
        refs_html.append((s.key, citations.render_segments(runs, "html")))
    return Prepared(
        data=data,
        rows=tuple(rows),
        references_md=tuple(refs),
        references_html=tuple((k, Markup(v)) for k, v in refs_html),
        theme_studies=tuple((t, tuple(by_theme.get(t.id, ()))) for t in data.themes),
        untagged=tuple(r for r in rows if not r.themes),
        reason_label=dict(data.reasons),
        prisma=prisma_dict(data),
        other_columns=tuple(other_columns),
        prisma_s=tuple(
            (i.number, i.name, i.asks, i.recorded)
            for i in prisma_s(data.sources, data.prisma.duplicates_removed)
        ),
        searches=tuple(
            (src.name, s, tuple(line for line in s.query.splitlines() if line.strip()))
            for src in data.sources
            for s in src.searches
        ),
        row_groups=row_groups(rows),
        narrative=narrative_sections(data.narrative, data.themes, rows, by_theme)
        if data.narrative
        else (),
        narrative_uncited=_uncited(data.narrative, rows),
        international=_international(data, records) if data.narrative else (),
        trait_columns=tuple(trait_columns),
    )


def _uncited(nmap: NarrativeMap | None, rows: Sequence[Row]) -> tuple[str, ...]:
    """Included studies the narrative map never cites (none without a map)."""
    if nmap is None:
        return ()
    cited = set(nmap.cited_keys())
    return tuple(r.key for r in rows if r.key not in cited)


def _section_heading(section: Section, theme_label: Mapping[str, str]) -> str:
    """A narrative section's heading: its own title, else its theme's label, else its id."""
    return section.title or theme_label.get(section.theme, section.id)


def _international(
    data: RenderInput, included: Sequence[Record]
) -> tuple[tuple[str, str, Markup, str], ...]:
    """The studies from other countries the narrative map cites, as references in reference-list
    order, each with the sections of the review that use it: the review says it draws on them
    only to make a point, so the appendix lists them apart from the included studies."""
    assert data.narrative is not None
    theme_label = {t.id: t.label for t in data.themes}
    used: dict[str, list[str]] = {}
    for s in data.narrative.sections:
        label = _section_heading(s, theme_label)
        for sub in s.subsections:
            for c in sub.cites:
                if c.role == "international" and c.key and label not in used.setdefault(c.key, []):
                    used[c.key].append(label)
    by_key = {r.key: r for r in data.cited}
    records = [by_key[k] for k in used if k in by_key]
    suffixes = citations.assign_suffixes([*included, *records])
    out = []
    for r in sorted(records, key=lambda r: citations.sort_key(r, suffixes.get(r.key, ""))):
        runs = citations.reference_segments(r, suffixes.get(r.key, ""))
        out.append(
            (
                r.key,
                citations.render_segments(runs, "md"),
                Markup(citations.render_segments(runs, "html")),
                _plain("; ".join(used[r.key])),
            )
        )
    return tuple(out)


def _lines_text(lines: Sequence[int]) -> str:
    if not lines:
        return ""
    shown = ", ".join(str(n) for n in lines)
    return f"line {shown}" if len(lines) == 1 else f"lines {shown}"


def _span_text(lines: Sequence[int]) -> str:
    """A section's place in the review: its first and last line."""
    if len(lines) < 2:
        return _lines_text(lines)
    return f"lines {lines[0]}–{lines[-1]}"


def narrative_sections(
    nmap: NarrativeMap,
    themes: Sequence[Theme],
    rows: Sequence[Row],
    by_theme: Mapping[str, Sequence[Row]],
) -> tuple[NarrativeSection, ...]:
    """The skeleton's sections as the review is laid out: under each subsection the works it
    draws on, by role. An included study's key findings are written out the first time it is
    listed and pointed to after that, so a study that serves six themes is summarised once."""
    theme_by_id = {t.id: t for t in themes}
    theme_label = {t.id: t.label for t in themes}
    row_by_key = {r.key: r for r in rows}
    summarised_under: dict[str, str] = {}
    out: list[NarrativeSection] = []
    for s in nmap.sections:
        theme = theme_by_id.get(s.theme)
        heading = _section_heading(s, theme_label)
        cited_here: set[str] = set()
        parts: list[NarrativePart] = []
        for sub in s.subsections:
            groups: dict[str, list[CitedWork]] = {}
            for c in sub.cites:
                summary = see = ""
                row = row_by_key.get(c.key) if c.key else None
                if row is not None:
                    cited_here.add(c.key)
                    if c.key in summarised_under:
                        see = summarised_under[c.key]
                    else:
                        summary = row.key_findings or "no key findings recorded"
                        summarised_under[c.key] = (
                            f"{heading}: {sub.title}" if sub.title else heading
                        )
                groups.setdefault(c.role, []).append(
                    CitedWork(c.key, _plain(c.ref), _lines_text(c.lines), summary, see)
                )
            parts.append(
                NarrativePart(
                    _plain(sub.title),
                    _span_text(sub.lines),
                    tuple(
                        (ROLE_HEADINGS[role], tuple(groups[role]))
                        for role in ROLE_HEADINGS
                        if role in groups
                    ),
                )
            )
        tagged = by_theme.get(s.theme, ()) if theme else ()
        out.append(
            NarrativeSection(
                id=s.id,
                heading=_plain(heading),
                question=_plain(theme.question) if theme else "",
                lines=_span_text(s.lines),
                tagged=count_studies(tagged),
                is_theme=theme is not None,
                parts=tuple(parts),
                tagged_not_cited=tuple(r.key for r in tagged if r.key not in cited_here),
            )
        )
    return tuple(out)


#: evidence-table headings per relevance, in the order the parts are shown
RELEVANCE_HEADINGS = (("direct", "Directly relevant studies"), ("related", "Related studies"))


def row_groups(rows: Sequence[Row]) -> tuple[tuple[str, str, tuple[Row, ...]], ...]:
    """Split the evidence table by relevance, because a reader weighs a study that examines the
    question itself differently from one that only sheds light on it; each part keeps reference-list
    order. Without any relevance recorded the table stays whole, with no heading."""
    if not any(r.relevance for r in rows):
        return (("", "", tuple(rows)),)
    known = dict(RELEVANCE_HEADINGS)
    # a linked report goes in its study's part, after its main report: a study is as relevant as
    # its main report says
    main_relevance = {r.key: r.relevance for r in rows}

    def relevance(r: Row) -> str:
        return (
            main_relevance.get(r.study, r.relevance)
            if r.study and r.study != r.key
            else r.relevance
        )

    parts = [
        (value, heading, tuple(r for r in rows if relevance(r) == value))
        for value, heading in RELEVANCE_HEADINGS
    ]
    parts.append(
        ("unrecorded", "Relevance not recorded", tuple(r for r in rows if not relevance(r)))
    )
    parts.append(
        (
            "other",
            "Other studies",
            tuple(r for r in rows if relevance(r) and relevance(r) not in known),
        )
    )
    return tuple(part for part in parts if part[2])


#: the fields an evidence audit lists for each study, in the evidence table's order
AUDIT_FIELDS = (
    ("design", "Design"),
    ("participants", "Participants"),
    ("setting", "Setting"),
    ("country", "Country"),
    ("methods", "Methods"),
    ("key_findings", "Key findings"),
)


def evidence_audit_md(prep: Prepared) -> str:
    """The audit appendix: each included study's claims with the source lines and quotes they rest
    on, so a reader can check every cell of the evidence table against the source. It is an
    internal working document, so it keeps what the published table leaves out (theme overrides)."""
    by_key = {s.key: s for s in prep.data.studies}
    label = {t.id: t.label for t in prep.data.themes}
    out = [
        f"# Evidence audit: {_md_text(prep.data.title)}",
        "",
        "Each claim of the evidence table with the line(s) of the source it rests on and a quote of "
        "at most 12 words from that line (the source is named at the top of corpus/extraction.yaml). "
        "'No line cited' marks a claim not yet traced; a value saying the source is silent cites "
        "nothing. Themes marked (override) were assigned by a person, not by the rules.",
        "",
    ]
    for row in prep.rows:
        study = by_key[row.key]
        out.append(f"## {_md_text(row.citation)} ({_md_text(row.key)})")
        out.append("")
        if row.relevance:
            out.append(f"- **Relevance**: {_md_text(row.relevance)}")
        themes = "; ".join(
            label.get(t, t) + (" (override)" if study.theme_sources.get(t) == "override" else "")
            for t in row.themes
        )
        out.append(f"- **Themes**: {_md_text(themes) or 'none'}")
        for name, title in AUDIT_FIELDS:
            value = _plain(getattr(study, name))
            cited = study.evidence.get(name, ())
            if not value and not cited:
                continue
            out.append(f"- **{title}**: {_md_text(value) or '(empty)'}")
            if not cited and not _UNSTATED.match(value):
                out.append("  - no line cited")
            for line, quote in cited:
                out.append(f"  - line {line}: “{_md_text(quote)}”")
        out.append("")
    return "\n".join(out)


#: fields that name organisations: braced whole in references.bib so that "and" inside a name
#: ("NHS Institute for Innovation and Improvement") does not split it in two
ORGANISATION_FIELDS = frozenset({"institution", "publisher", "organization", "school"})
#: the corpus's screening annotations, not bibliographic data: left out of references.bib
_ANNOTATIONS = frozenset({"country", "setting", "design"})


def references_bib(prep: Prepared) -> str:
    """The cited works (the included studies) as BibTeX for LaTeX (pandoc reads
    :func:`references_json`). Corpus bookkeeping (provenance, abstracts, keywords) stays out;
    corporate authors are braced whole, and a title's capitalised words after the first each in
    braces, so that a style that lowercases titles keeps names as they are."""
    from litreview.io.bibtex import format_entry

    return "\n".join(
        format_entry(
            r,
            protect=ORGANISATION_FIELDS,
            mark_no_container=False,
            for_latex=True,
            keep_case=("title",),
        )
        for r in _cited_records(prep)
    )


def references_json(prep: Prepared) -> str:
    """The same works as :func:`references_bib`, as CSL-JSON, which ``narrative.md`` names: pandoc
    reads it as it is, with each title's capitals kept (``in London`` stays so in a sentence-case
    style, which pandoc 2.17 cannot be told through a .bib file)."""
    from litreview.export.records import INCLUDED, ExportItem, to_csl_json

    return to_csl_json([ExportItem(r, INCLUDED) for r in _cited_records(prep)])


def _cited_records(prep: Prepared) -> list[Record]:
    """The works a narrative may cite, by key, without the corpus's bookkeeping (provenance,
    abstracts, keywords, screening annotations)."""

    def cited(r: Record) -> Record:
        extra = tuple(
            (k, v) for k, v in r.extra if k not in _ANNOTATIONS and not k.endswith("_evidence")
        )
        return dataclasses.replace(r, provenance=(), abstract="", keywords=(), extra=extra)

    records = sorted(
        (*(s.record for s in prep.data.studies), *prep.data.cited), key=lambda r: r.key
    )
    return [cited(r) for r in records]


def _reasons(counts: Mapping[str, int], labels: Mapping[str, str]) -> list[dict[str, Any]]:
    """Reasons by count (largest first), then label: the order PRISMA diagrams list them in."""
    items = [
        {"reason": code, "label": labels.get(code, code), "n": int(n)} for code, n in counts.items()
    ]
    return sorted(items, key=lambda d: (-d["n"], d["label"], d["reason"]))


def prisma_dict(data: RenderInput) -> dict[str, Any]:
    """The PRISMA counts as JSON-ready data, with a ``version`` key and a consistency check."""
    p = data.prisma
    names = {s.id: s.name for s in data.sources}
    identified = [
        {"source": k, "name": names.get(k, k), "n": int(n)}
        for k, n in p.identified_by_source.items()
    ]
    out: dict[str, Any] = {
        "version": PRISMA_JSON_VERSION,
        "identified": sum(d["n"] for d in identified),
        "identified_by_source": identified,
        "duplicates_removed": p.duplicates_removed,
        **p.flow(),  # the numbers `screen prisma` gives, worked out in one place
        "automation_ineligible": _reasons(p.automation_ineligible, data.reasons),
        "excluded_title_abstract": _reasons(p.excluded_title_abstract, data.reasons),
        "excluded_full_text": _reasons(p.excluded_full_text, data.reasons),
        "rule_audits": [{**a, "sentence": audit_sentence(a)} for a in p.rule_audits],
        "included_direct": p.included_direct,
        "included_related": p.included_related,
    }
    if p.included_studies is not None:
        out["included_studies"] = p.included_studies
    if p.sought_full_text is not None:
        out["reports_sought"] = p.sought_full_text
        out["reports_not_retrieved"] = p.not_retrieved
    out["checks"] = prisma_checks(out)
    return out


def audit_sentence(a: Mapping[str, Any]) -> str:
    """What one stage's rule audit (:class:`litreview.screen.audit.AuditEstimate` as a dict) says, in a sentence."""
    where = str(a.get("label") or a["stage"]).lower()
    n = a["excluded_by_rules"]
    head = f"The screening rules excluded {n} record{'s' if n != 1 else ''} at {where}"
    if not a["checked"]:
        tail = (
            f"; {len(a['waiting'])} drawn for a person's check wait for a decision"
            if a["waiting"]
            else ""
        )
        return (
            head
            + " that no person read"
            + tail
            + ". They were not audited, so how many eligible studies they removed is not known."
        )
    lost, recall = a["studies_lost"], a["recall"]
    kept = len(a["wrongly_excluded"])
    out = (
        f"{head}. A person checked a random sample of {a['checked']} of them and would have kept {kept}; "
        f"about {lost['estimate']:.0f} eligible stud{'y' if round(lost['estimate']) == 1 else 'ies'} "
        f"(95% CI {lost['low']:.0f}–{lost['high']:.0f}) may remain among the "
        f"{n - a['checked']} no person read, a recall of the rules of {recall['estimate']:.2f} "
        f"(95% CI {recall['low']:.2f}–{recall['high']:.2f})."
    )
    if a["waiting"]:
        out += f" {len(a['waiting'])} more drawn records wait for a person's check."
    return out


def prisma_checks(d: Mapping[str, Any]) -> list[str]:
    """Arithmetic the flow diagram must satisfy; each failure is a sentence (empty when it adds up)."""
    out = []
    automation = d.get("automation_ineligible_total", 0)
    if d["identified"] - d["duplicates_removed"] - automation != d["screened"]:
        by_rules = f" − marked ineligible by rules {automation}" if automation else ""
        out.append(
            f"identified {d['identified']} − duplicates {d['duplicates_removed']}{by_rules} ≠ "
            f"screened {d['screened']}"
        )
    nr = d.get("reports_not_retrieved", 0)
    if (
        d["screened"] - d["excluded_title_abstract_total"] - d["needs_person"] - nr
        != d["assessed_full_text"]
    ):
        not_retrieved = f" − not retrieved {nr}" if "reports_not_retrieved" in d else ""
        out.append(
            f"screened {d['screened']} − excluded {d['excluded_title_abstract_total']} − awaiting "
            f"{d['needs_person']}{not_retrieved} ≠ assessed {d['assessed_full_text']}"
        )
    if d["assessed_full_text"] - d["excluded_full_text_total"] != d["included"]:
        out.append(
            f"assessed {d['assessed_full_text']} − excluded {d['excluded_full_text_total']} ≠ "
            f"included {d['included']}"
        )
    return out


# --- outputs: one function each -------------------------------------------------------------------

CSV_COLUMNS = (
    "key",
    "citation",
    "year",
    "title",
    "country",
    "setting",
    "design",
    "methods",
    "participants",
    "themes",
    "key_findings",
    "relevance",
    "doi",
)


def evidence_csv(prep: Prepared) -> str:
    from litreview.report.spreadsheet import csv_text

    return csv_text(
        [*CSV_COLUMNS, *prep.other_columns],
        (
            [
                r.key,
                r.citation,
                r.year,
                r.title,
                r.country,
                r.setting,
                r.design,
                r.methods,
                r.participants,
                r.themes_text,
                r.key_findings,
                r.relevance,
                r.doi,
                *(v for _, v in r.other),
            ]
            for r in prep.rows
        ),
        bom=True,
    )


def _context(prep: Prepared, **extra: Any) -> dict[str, Any]:
    return {
        "data": prep.data,
        "rows": prep.rows,
        "references_md": prep.references_md,
        "references_html": prep.references_html,
        "theme_studies": prep.theme_studies,
        "count_studies": count_studies,
        "untagged": prep.untagged,
        "prisma": prep.prisma,
        "few": prep.data.min_studies - 1,
        "reason_label": prep.reason_label,
        "searches": prep.searches,
        "prisma_s": prep.prisma_s,
        "not_recorded": NOT_RECORDED_TEXT,
        "row_groups": prep.row_groups,
        "other_columns": prep.other_columns,
        "narrative": prep.narrative,
        "narrative_uncited": prep.narrative_uncited,
        "international": prep.international,
        "trait_columns": prep.trait_columns,
        **extra,
    }


def _script(envs: Mapping[str, SandboxedEnvironment], prep: Prepared) -> tuple[Markup, str]:
    """The table script and its CSP hash: the page runs our script and nothing else."""
    script = render_template(envs, "table.js", **_context(prep))
    digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
    return Markup(script), f"sha256-{digest}"


#: partials that two pages of a language show: rendered once, handed to both as a variable
SHARED_PARTIALS: dict[str, tuple[str, str]] = {
    "md": ("evidence_rows_md", "_evidence_rows.md.j2"),
    "html": ("evidence_table_html", "_evidence_table.html.j2"),
}


def _language_context(
    prep: Prepared, envs: Mapping[str, SandboxedEnvironment], lang: str, **extra: Any
) -> dict[str, Any]:
    """The variables every template of one output language gets (``md``, ``html`` or ``tex``)."""
    ctx = _context(prep, **extra)
    if lang == "html":
        ctx["script"], ctx["script_hash"] = _script(envs, prep)
    if lang in SHARED_PARTIALS:
        variable, partial = SHARED_PARTIALS[lang]
        ctx[variable] = Markup(_render(envs, partial, ctx))
    return ctx


def render_text(
    prep: Prepared, name: str, envs: Mapping[str, SandboxedEnvironment], **extra: Any
) -> str:
    """Render one template with the variables of its language."""
    lang = "html" if ".html" in name else ("tex" if ".tex" in name else "md")
    return render_template(envs, name, **_language_context(prep, envs, lang, **extra))


def _inline_svg(text: str) -> Markup:
    return Markup(text.strip())


def figures(prep: Prepared, country_map: bool = True) -> dict[str, str]:
    """File name → SVG text for every picture."""
    p = prep.prisma
    out = {
        "prisma.svg": svg.prisma_svg(
            identified=[(d["name"], d["n"]) for d in p["identified_by_source"]],
            duplicates_removed=p["duplicates_removed"],
            screened=p["screened"],
            automation_ineligible=p["automation_ineligible_total"],
            excluded_screening=[(d["label"], d["n"]) for d in p["excluded_title_abstract"]],
            assessed=p["assessed_full_text"],
            excluded_full_text=[(d["label"], d["n"]) for d in p["excluded_full_text"]],
            included=p.get("included_studies", p["included"]),
            needs_person=p["needs_person"],
            included_reports=p["included"] if "included_studies" in p else None,
            sought=p.get("reports_sought"),
            not_retrieved=p.get("reports_not_retrieved", 0),
            included_detail=[
                (label, p[k])
                for label, k in (
                    ("Directly relevant", "included_direct"),
                    ("Related", "included_related"),
                )
                if p[k] is not None
            ],
        ),
        "evidence-map.svg": _evidence_map(prep, "design", "Study design"),
        "studies-by-year.svg": _year_chart(prep),
    }
    if country_map:
        out["evidence-map-country.svg"] = _evidence_map(prep, "country", "Country")
    return out


NOT_RECORDED = "Not recorded"
#: named columns of an evidence map at most (the rest go into "Other"): with "Not recorded" the
#: map stays within the width of the HTML page, so that its labels are not scaled down
MAX_MAP_COLUMNS = 11


_UNSTATED = re.compile(
    r"^(not (stated|reported|recorded|known|clear)|unknown|unclear|n/?a|none)\b", re.I
)


def map_category(value: str) -> str:
    """A map column from free text: the part before any ``(`` or ``;``; unstated values → Not recorded."""
    head = re.split(r"[(;]", value, maxsplit=1)[0].strip().rstrip(",.:")
    return "" if not head or _UNSTATED.match(head) else head[:1].upper() + head[1:]


def _singular(word: str) -> str:
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith("s") and not word.endswith(("ss", "us", "is")) and len(word) > 3:
        return word[:-1]
    return word


def category_key(value: str) -> str:
    """Spellings of one map column: case and a plural last word do not make another column
    (``Case studies`` and ``case study`` are one design)."""
    words = value.casefold().split()
    return " ".join([*words[:-1], _singular(words[-1])]) if words else ""


def _evidence_map(prep: Prepared, attr: str, heading: str) -> str:
    label = {t.id: t.label for t in prep.data.themes}
    spelling: dict[str, Counter[str]] = defaultdict(Counter)
    category = {r.key: map_category(getattr(r, attr)) for r in prep.rows}
    for v in category.values():
        if v:
            spelling[category_key(v)][v] += 1
    display = {
        k: sorted(c.items(), key=lambda kv: (-kv[1], kv[0]))[0][0] for k, c in spelling.items()
    }
    col_of = {k: display[category_key(v)] if v else NOT_RECORDED for k, v in category.items()}
    study_of = {r.key: r.study or r.key for r in prep.rows}
    # one column a study: its main report's, else the first of its reports that records one
    # (a linked report that does not say the country does not make the study a second study)
    reports_of: dict[str, list[str]] = defaultdict(list)
    for k in sorted(col_of, key=lambda k: (k != study_of[k], k)):
        reports_of[study_of[k]].append(k)
    study_col = {
        s: next((col_of[k] for k in ks if col_of[k] != NOT_RECORDED), NOT_RECORDED)
        for s, ks in reports_of.items()
    }
    col_of = {k: study_col[study_of[k]] for k in col_of}

    def column_totals() -> Counter[str]:
        # studies, not reports: a study's second report in the same column adds nothing
        return Counter(c for _, c in {(study_of[k], c) for k, c in col_of.items()})

    totals = column_totals()
    named = sorted(
        (c for c in totals if c != NOT_RECORDED), key=lambda c: (-totals[c], c.casefold(), c)
    )
    if len(named) > MAX_MAP_COLUMNS:
        # a design literally called "Other" joins the "Other" column rather than making a second one
        kept = [c for c in named if c != "Other"][: MAX_MAP_COLUMNS - 1]
        col_of = {k: (v if v in kept or v == NOT_RECORDED else "Other") for k, v in col_of.items()}
        named = [*kept, "Other"]
        totals = column_totals()
    columns = [*named, *([NOT_RECORDED] if NOT_RECORDED in totals else [])]
    rows_ids = [t.id for t in prep.data.themes]
    # one entry per study in a cell, naming its linked reports after its main report
    by_study: dict[tuple[str, str], dict[str, list[str]]] = defaultdict(dict)
    for r in prep.rows:
        for t in r.themes or (svg.NO_THEME,):
            by_study[(label.get(t, t), col_of[r.key])].setdefault(study_of[r.key], []).append(
                r.citation
            )
    cells: dict[tuple[str, str], list[str]] = {
        cell: [
            c[0] + (f" (with {', '.join(c[1:])})" if len(c) > 1 else "") for c in studies.values()
        ]
        for cell, studies in by_study.items()
    }
    row_labels = [label[t] for t in rows_ids]
    if prep.untagged:
        row_labels.append(svg.NO_THEME)
    row_n = Counter(k[0] for k, v in cells.items() for _ in v)
    rows_shown = [f"{r} ({row_n[r]})" for r in row_labels]
    cols_shown = [f"{c} ({totals[c]})" for c in columns]
    rename_r = dict(zip(row_labels, rows_shown, strict=True))
    rename_c = dict(zip(columns, cols_shown, strict=True))
    shown = {(rename_r[r], rename_c[c]): v for (r, c), v in cells.items() if r in rename_r}
    title = f"Evidence map: themes by {heading.lower()}"
    return svg.evidence_map_svg(
        rows_shown, cols_shown, shown, title, f"{heading} (studies)", "Theme (studies)"
    )


def _year_chart(prep: Prepared) -> str:
    years_known = sorted({int(r.year) for r in prep.rows if r.year.isdigit()})
    years = [str(y) for y in range(years_known[0], years_known[-1] + 1)] if years_known else []
    if any(not r.year.isdigit() for r in prep.rows):
        years.append(citations.NO_DATE)
    index = {y: i for i, y in enumerate(years)}
    names = [t.label for t in prep.data.themes]
    label = {t.id: t.label for t in prep.data.themes}
    theme_order = {t.id: i for i, t in enumerate(prep.data.themes)}
    counts: dict[str, list[int]] = {n: [0] * len(years) for n in [*names, svg.NO_THEME]}
    totals = [0] * len(years)
    # studies, not reports: a study counts once, in its main report's year (else its first
    # report's), under every theme any of its reports has
    first: dict[str, Any] = {}
    themes_of: dict[str, set[str]] = defaultdict(set)
    for r in sorted(prep.rows, key=lambda r: (r.key != (r.study or r.key), r.key)):
        first.setdefault(r.study or r.key, r)
        themes_of[r.study or r.key].update(r.themes)
    for study, r in first.items():
        i = index[r.year if r.year.isdigit() else citations.NO_DATE]
        totals[i] += 1
        ordered = sorted(themes_of[study], key=lambda t: (theme_order.get(t, len(theme_order)), t))
        for t in ordered or (svg.NO_THEME,):
            counts.setdefault(label.get(t, t), [0] * len(years))[i] += 1
    series = [(n, c) for n, c in counts.items() if any(c)]
    return svg.year_chart_svg(years, series, totals)


TEMPLATE_OUTPUTS: dict[str, tuple[tuple[str, str], ...]] = {
    "md": (
        ("evidence-table.md", "evidence-table.md.j2"),
        ("appendix.md", "appendix.md.j2"),
        ("narrative.md", "narrative.md.j2"),
        ("prisma-s.md", "prisma-s.md.j2"),
    ),
    "html": (
        ("evidence-table.html", "evidence-table.html.j2"),
        ("appendix.html", "appendix.html.j2"),
    ),
    "tex": (("evidence-table.tex", "evidence-table.tex.j2"),),
}


def selected_formats(formats: Iterable[str]) -> tuple[str, ...]:
    """The formats to write, in FORMATS order: those asked for and those they bring (md → svg)."""
    chosen = set(formats)
    unknown = sorted(chosen - set(FORMATS))
    if unknown:
        raise ConfigError.at(
            Location("--format"),
            f"unknown format {unknown[0]!r}",
            hint="choose from " + ", ".join(FORMATS),
            code="format",
        )
    for f in list(chosen):
        chosen.update(BRINGS.get(f, ()))
    return tuple(f for f in FORMATS if f in chosen)


def render_outputs(
    data: RenderInput,
    formats: Sequence[str] = FORMATS,
    templates_dir: Path | None = None,
    country_map: bool = True,
    progress: Progress | None = None,
) -> dict[str, str]:
    """File name → text of every output of ``formats``, without writing anything (the API behind
    render_all). ``md`` brings ``svg`` along: the Markdown appendix shows the pictures by file name."""
    chosen = selected_formats(formats)
    prep = prepare(data)
    envs = environments(templates_dir)
    out: dict[str, str] = {}
    pictures = figures(prep, country_map) if set(chosen) & {"md", "html", "tex", "svg"} else {}
    inline = {
        name.replace("-", "_").removesuffix(".svg"): _inline_svg(text)
        for name, text in pictures.items()
    }
    for fmt in track(chosen, progress, "render"):
        if fmt == "svg":
            out.update(pictures)
        elif fmt == "json":
            out["prisma.json"] = (
                json.dumps(prep.prisma, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
            )
        elif fmt == "csv":
            out["evidence-table.csv"] = evidence_csv(prep)
        else:
            ctx = _language_context(prep, envs, fmt, figures=inline)
            for filename, template in TEMPLATE_OUTPUTS[fmt]:
                out[filename] = render_template(envs, template, **ctx)
            if fmt == "md":
                out["references.bib"] = references_bib(prep)
                out["references.json"] = references_json(prep)
            if fmt == "md" and any(s.evidence for s in data.studies):
                out["evidence-audit.md"] = evidence_audit_md(prep)
    return dict(sorted(out.items()))


def render_all(
    data: RenderInput,
    out_dir: Path,
    formats: Sequence[str] = FORMATS,
    templates_dir: Path | None = None,
    country_map: bool = True,
    progress: Progress | None = None,
) -> list[Path]:
    """Render every output into ``out_dir`` (atomically, file by file); the paths written, sorted."""
    outputs = render_outputs(data, formats, templates_dir, country_map, progress)
    written = []
    for name, text in outputs.items():
        path = out_dir / name
        if not inside(out_dir, path):  # names are ours, but keep the promise explicit
            raise ConfigError.at(
                Location(name), "output would be written outside the output folder"
            )
        atomic_write(path, text)
        written.append(path)
    return written


# --- plain-data round trip (fixtures, adapters, debugging) ----------------------------------------


def _record_from(d: Mapping[str, Any]) -> Record:
    authors = tuple(
        Name(
            last=a["last"],
            first=a.get("first", ""),
            von=a.get("von", ""),
            jr=a.get("jr", ""),
            corporate=bool(a.get("corporate", False)),
        )
        for a in d.get("authors", ())
    )
    return Record(
        key=d["key"],
        entry_type=d.get("entry_type", "article"),
        title=d.get("title", ""),
        authors=authors,
        year=d.get("year"),
        container=d.get("container", ""),
        volume=str(d.get("volume", "")),
        issue=str(d.get("issue", "")),
        pages=str(d.get("pages", "")),
        doi=d.get("doi", ""),
        extra=tuple(sorted((d.get("extra") or {}).items())),
    )


def input_from_dict(d: Mapping[str, Any]) -> RenderInput:
    """A view model from JSON-like data (the test fixtures use this form)."""
    p = d.get("prisma", {})
    studies = []
    for s in d.get("studies", ()):
        rec = _record_from(s["record"])
        values = {k: v for k, v in s.items() if k != "record"}
        values.setdefault("key", rec.key)
        values["themes"] = tuple(values.get("themes", ()))
        if "evidence" in values:
            values["evidence"] = {
                f: tuple((int(e["line"]), str(e["quote"])) for e in items)
                for f, items in values["evidence"].items()
            }
        studies.append(Study(record=rec, **values))
    return RenderInput(
        title=d["title"],
        question=d.get("question", ""),
        sources=tuple(
            Source(**{**s, "searches": tuple(Search(**x) for x in s.get("searches", ()))})
            for s in d.get("sources", ())
        ),
        criteria=tuple(Criterion(**c) for c in d.get("criteria", ())),
        reasons=dict(d.get("reasons", {})),
        prisma=PrismaCounts(**p),
        studies=tuple(studies),
        themes=tuple(Theme(**t) for t in d.get("themes", ())),
        excluded_full_text=tuple(ExcludedStudy(**e) for e in d.get("excluded_full_text", ())),
        methods_note=d.get("methods_note", ""),
        synthesis=d.get("synthesis", ""),
        limitations=d.get("limitations", ""),
        not_retrieved=tuple(ExcludedStudy(**e) for e in d.get("not_retrieved", ())),
    )
